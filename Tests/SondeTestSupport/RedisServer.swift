import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real redis-server on a loopback port, with no persistence, and the real redis-cli and
/// redis-benchmark pointed at it.
public final class RedisServer: @unchecked Sendable {
    public let port: Int
    private let server: ServerProcess

    public init(port: Int) throws {
        self.port = port
        server = try ServerProcess(name: "redis", port: port)
        try server.start("/usr/bin/redis-server",
                         ["--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                          "--dir", server.directory.path],
                         what: "redis-server")
    }

    /// Stops redis-server and waits for it.
    public func stop() { server.stop() }

    /// Runs `redis-cli -p PORT ARGUMENTS` and returns its output.
    @discardableResult
    public func cli(_ arguments: String...) throws -> String {
        try ChildProcess.run("/usr/bin/redis-cli", ["-p", "\(port)"] + arguments)
    }

    /// Runs `redis-benchmark -p PORT ARGUMENTS` and returns its output.
    @discardableResult
    public func benchmark(_ arguments: String...) throws -> String {
        try ChildProcess.run("/usr/bin/redis-benchmark", ["-p", "\(port)"] + arguments)
    }

    /// A raw connection to the server.
    public func connect() throws -> RESPConnection {
        RESPConnection(socket: try TCPPort.connect(port: port))
    }
}

/// A raw loopback connection speaking RESP by hand: exactly the bytes a test chooses, in the sends it
/// chooses.
public final class RESPConnection {
    private let socket: Int32

    init(socket: Int32) {
        self.socket = socket
        var seconds = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(socket) }

    /// A command as clients send it: an array of bulk strings.
    public static func command(_ words: [UInt8]...) -> [UInt8] {
        words.reduce(Array("*\(words.count)\r\n".utf8)) { $0 + Array("$\($1.count)\r\n".utf8) + $1 + [13, 10] }
    }

    /// A command of text words.
    public static func command(_ words: String...) -> [UInt8] {
        words.reduce(Array("*\(words.count)\r\n".utf8)) { $0 + Array("$\($1.utf8.count)\r\n\($1)\r\n".utf8) }
    }

    /// Sends `bytes` in one `send`.
    public func send(_ bytes: [UInt8]) throws {
        guard bytes.withUnsafeBytes({ Glibc.send(socket, $0.baseAddress, $0.count, 0) }) == bytes.count else {
            throw TestSupportError("could not send \(bytes.count) bytes")
        }
    }

    /// Reads until `count` bytes arrived (the length of the replies the test expects).
    public func receive(count: Int) throws -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while received.count < count {
            let read = recv(socket, &buffer, min(buffer.count, count - received.count), 0)
            guard read > 0 else { throw TestSupportError("the connection ended after \(received.count) of \(count) bytes") }
            received += buffer[0..<read]
        }
        return received
    }

    /// Reads until what arrived ends with `suffix`.
    public func receive(until suffix: String) throws -> String {
        var received: [UInt8] = []
        var byte: UInt8 = 0
        while !received.ends(with: Array(suffix.utf8)) {
            guard recv(socket, &byte, 1, 0) == 1 else {
                throw TestSupportError("the connection ended before \(suffix.debugDescription)")
            }
            received.append(byte)
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// Sends `bytes` and reads `replyLength` bytes of replies.
    @discardableResult
    public func exchange(_ bytes: [UInt8], replyLength: Int) throws -> [UInt8] {
        try send(bytes)
        return try receive(count: replyLength)
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}
