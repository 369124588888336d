import Foundation

/// A real nginx serving HTTP/1.1 on a loopback port from a directory of its own, with files made for the
/// tests: small pages, a compressible text served gzip-chunked, and a binary over 64 KiB sent with sendfile.
/// With `tls`, it serves HTTPS with a self-signed certificate made for it. With `http2`, it serves HTTP/2:
/// h2c (prior knowledge) in plaintext, h2 through ALPN with `tls`.
public final class NginxServer: @unchecked Sendable {
    public let port: Int
    public let tls: Bool
    public let http2: Bool
    /// Where the configuration, logs and served files live.
    public let directory: URL
    private let process = Process()
    private let extraLocations: String
    private let accessLogFormat: String?

    /// Sizes of the files served, by path.
    public static let files: [String: Int] = [
        "/index.html": 26, "/small.txt": 12, "/text.txt": 20_000, "/big.bin": 70_000,
    ]

    /// Starts nginx on `port`. `extraLocations` adds server directives (e.g. locations answering fixed
    /// statuses); `accessLogFormat` turns the access log on with that `log_format`; `environment` is added
    /// to nginx's (e.g. `LD_LIBRARY_PATH`).
    public init(port: Int, tls: Bool = false, http2: Bool = false, extraLocations: String = "",
                accessLogFormat: String? = nil, environment: [String: String] = [:]) throws {
        self.port = port
        self.tls = tls
        self.http2 = http2
        self.extraLocations = extraLocations
        self.accessLogFormat = accessLogFormat
        directory = FileManager.default.temporaryDirectory.appending(path: "sonde-nginx-\(port)-\(UUID().uuidString.prefix(8))")
        let html = directory.appending(path: "html")
        try FileManager.default.createDirectory(at: html, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: directory.appending(path: "body"), withIntermediateDirectories: true)
        try Data("<h1>sonde test page</h1>\n\n".utf8).write(to: html.appending(path: "index.html"))
        try Data("small file\n\n".utf8).write(to: html.appending(path: "small.txt"))
        let line = "the quick brown fox jumps over the lazy dog, again and again\n"
        let text = String(repeating: line, count: 20_000 / line.utf8.count + 1).utf8.prefix(20_000)
        try Data(text).write(to: html.appending(path: "text.txt"))
        try Data((0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }).write(to: html.appending(path: "big.bin"))
        if tls { try Self.makeCertificate(in: directory) }
        try configuration.write(to: directory.appending(path: "nginx.conf"), atomically: true, encoding: .utf8)

        process.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
        process.arguments = ["-c", directory.appending(path: "nginx.conf").path, "-p", directory.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        try process.run()
        try TCPPort.waitUntilAccepting(port: port, what: "nginx")
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// `http://127.0.0.1:PORT/path`, or `https://...` with TLS.
    public func url(_ path: String) -> String { "\(tls ? "https" : "http")://127.0.0.1:\(port)\(path)" }

    /// A self-signed certificate for localhost (`cert.pem`, `key.pem`), made by the real openssl.
    private static func makeCertificate(in directory: URL) throws {
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                             "-keyout", directory.appending(path: "key.pem").path,
                             "-out", directory.appending(path: "cert.pem").path]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else { throw TestSupportError("openssl could not make a certificate") }
    }

    /// The access log's lines, waiting up to `timeout` until there are at least `count` (nginx writes a
    /// line after it has answered, so a client can be faster than the log).
    public func accessLog(waitingFor count: Int = 0, timeout: Duration = .seconds(10)) -> [String] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let text = (try? String(contentsOf: directory.appending(path: "access.log"), encoding: .utf8)) ?? ""
            let lines = text.split(separator: "\n").map(String.init)
            if lines.count >= count || ContinuousClock.now >= deadline { return lines }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    /// Stops nginx (master and worker) and waits for it.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// The PID of the worker process that serves requests.
    public var workerPIDs: [Int32] {
        let children = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/task/\(process.processIdentifier)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").compactMap { Int32($0) }
    }

    /// `ssl` and `http2` as the `listen` directives want them.
    private var listenOptions: String { (tls ? " ssl" : "") + (http2 ? " http2" : "") }

    private var configuration: String {
        """
        daemon off;
        master_process on;
        worker_processes 1;
        pid \(directory.path)/nginx.pid;
        error_log \(directory.path)/error.log;
        events { worker_connections 256; }
        http {
            \(accessLogFormat.map { "log_format probe '\($0)'; access_log \(directory.path)/access.log probe;" } ?? "access_log off;")
            client_body_temp_path \(directory.path)/body;
            sendfile on;
            keepalive_timeout 30;
            gzip on;
            gzip_types text/plain;
            gzip_min_length 1;
            types { text/html html; text/plain txt; application/octet-stream bin; }
            server {
                listen 127.0.0.1:\(port)\(listenOptions);
                listen [::1]:\(port)\(listenOptions);
                \(tls ? "ssl_certificate \(directory.path)/cert.pem; ssl_certificate_key \(directory.path)/key.pem;" : "")
                root \(directory.path)/html;
                location = /submit { return 201 "created\\n"; }
                location = /fail { return 500; }
                \(extraLocations)
            }
        }
        """
    }
}
