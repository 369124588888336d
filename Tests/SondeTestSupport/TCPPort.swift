import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Loopback TCP helpers for tests: waiting for a server, raw exchanges a high-level client cannot make.
public enum TCPPort {
    /// A loopback TCP port nothing listens on right now.
    public static func freeLoopbackPort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw TestSupportError("socket() failed: errno \(errno).") }
        defer { close(socket) }
        var address = loopbackAddress(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard named else { throw TestSupportError("could not find a free loopback port: errno \(errno).") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    public static func acceptsConnections(port: Int) -> Bool {
        guard let socket = try? connect(port: port) else { return false }
        close(socket)
        return true
    }

    /// Waits until something accepts connections on 127.0.0.1:`port`.
    public static func waitUntilAccepting(port: Int, what: String, timeout: Duration = .seconds(15)) throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if acceptsConnections(port: port) { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw TestSupportError("\(what) did not accept connections on 127.0.0.1:\(port) within \(timeout)")
    }

    /// Connects to 127.0.0.1:`port`, sends `bytes` in one `send`, and reads until the peer closes.
    public static func exchange(port: Int, sending bytes: [UInt8], timeout: Duration = .seconds(10)) throws -> [UInt8] {
        let socket = try connect(port: port)
        defer { close(socket) }
        var seconds = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
        guard bytes.withUnsafeBytes({ send(socket, $0.baseAddress, $0.count, 0) }) == bytes.count else {
            throw TestSupportError("could not send \(bytes.count) bytes to port \(port)")
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(socket, &buffer, buffer.count, 0)
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        return received
    }

    /// Connects to 127.0.0.1:`port` and keeps the connection for several exchanges.
    public static func open(port: Int) throws -> TCPConnection {
        TCPConnection(socket: try connect(port: port))
    }

    static func connect(port: Int) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw TestSupportError("socket() failed") }
        var address = loopbackAddress(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(socket)
            throw TestSupportError("could not connect to 127.0.0.1:\(port)")
        }
        return socket
    }

    private static func loopbackAddress(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}

/// A kept-open loopback connection that sends HTTP/1.1 requests and reads their responses.
public final class TCPConnection {
    private let socket: Int32

    init(socket: Int32) {
        self.socket = socket
    }

    deinit { close(socket) }

    /// Sends `request` and returns the response, read to the end of its Content-Length body.
    public func exchange(_ request: String) throws -> String {
        let bytes = Array(request.utf8)
        guard bytes.withUnsafeBytes({ send(socket, $0.baseAddress, $0.count, 0) }) == bytes.count else {
            throw TestSupportError("could not send the request")
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let text = String(decoding: received, as: UTF8.self)
            if let headEnd = text.range(of: "\r\n\r\n") {
                let length = text[..<headEnd.lowerBound].split(separator: "\r\n")
                    .first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                if text.utf8.distance(from: text.utf8.startIndex, to: headEnd.upperBound) + length <= received.count {
                    return text
                }
            }
            let count = recv(socket, &buffer, buffer.count, 0)
            guard count > 0 else { throw TestSupportError("the connection closed before the response was complete") }
            received += buffer[0..<count]
        }
    }
}
