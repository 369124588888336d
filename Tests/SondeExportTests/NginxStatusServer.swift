import Foundation
import SondeTestSupport

/// A real nginx on a loopback port answering fixed error statuses, for the exporter's retry paths:
/// `/v1/unavailable` is 503 with `Retry-After: 1`, `/v1/too-many` is 429 without it. Its access log
/// records each request's method, path, status, Content-Type and Content-Encoding.
final class NginxStatusServer {
    let port: Int
    private let directory: URL
    private let process = Process()

    init() throws {
        port = try TCPPort.freeLoopbackPort()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sonde-nginx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let root = directory.path
        let configuration = """
        worker_processes 1;
        pid \(root)/nginx.pid;
        error_log \(root)/error.log;
        events { worker_connections 64; }
        http {
            client_body_temp_path \(root)/body;
            proxy_temp_path \(root)/proxy;
            fastcgi_temp_path \(root)/fastcgi;
            uwsgi_temp_path \(root)/uwsgi;
            scgi_temp_path \(root)/scgi;
            log_format probe '$request_method $uri $status "$content_type" "$http_content_encoding" "$http_x_tenant"';
            access_log \(root)/access.log probe;
            server {
                listen 127.0.0.1:\(port);
                location = /v1/unavailable { add_header Retry-After 1 always; return 503; }
                location = /v1/too-many { return 429; }
            }
        }
        """
        try configuration.write(to: directory.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/nginx")
        process.arguments = ["-p", root, "-c", "\(root)/nginx.conf", "-g", "daemon off;"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(10)
        while !TCPPort.acceptsConnections(port: port) {
            guard process.isRunning, ContinuousClock.now < deadline else {
                let log = (try? String(contentsOf: directory.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
                throw TestSupportError("nginx did not start on port \(port): \(log)")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// The access log lines so far.
    func accessLog() -> [String] {
        let text = (try? String(contentsOf: directory.appendingPathComponent("access.log"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
