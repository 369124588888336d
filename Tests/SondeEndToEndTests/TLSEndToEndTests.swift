import Foundation
import SondeModel
import SondeTestSupport
import XCTest

/// Sonde reads HTTPS in plaintext through its OpenSSL uprobes: real nginx with TLS, real curl
/// (`SSL_write`/`SSL_read`) and Debian's Python (`SSL_write_ex`/`SSL_read_ex`), all on the system libssl
/// or on private copies of it that Sonde must find as the processes start.
final class TLSEndToEndTests: XCTestCase {
    typealias Expected = HTTP1EndToEndTests.Expected

    /// A keep-alive HTTPS client on Python's ssl module: waits `delay` seconds after loading it, then
    /// sends four requests on one connection and prints `METHOD PATH STATUS BODY-BYTES` for each, and
    /// the libssl file it uses.
    static let pythonClient = """
        import http.client, ssl, sys, time
        port, delay = int(sys.argv[1]), float(sys.argv[2])
        context = ssl._create_unverified_context()
        print("libssl", next(line.split()[-1] for line in open("/proc/self/maps") if "libssl" in line))
        time.sleep(delay)
        connection = http.client.HTTPSConnection("127.0.0.1", port, context=context)
        for method, path, body in [("GET", "/index.html", None), ("POST", "/submit", b"p" * 3000),
                                   ("GET", "/missing", None), ("GET", "/text.txt", None)]:
            connection.request(method, path, body=body)
            response = connection.getresponse()
            print(method, path, response.status, len(response.read()))
        connection.close()
        """

    /// Appended to ``pythonClient``: prints how many pages of its libssl's code a uprobe patched. The kernel
    /// writes a uprobe's breakpoint into a private copy of the page, counted as anonymous memory of the
    /// file's mapping; a process the probes leave alone keeps none.
    static let patchedLibSSLPages = """

        smaps = open("/proc/self/smaps").read().split("\\n")
        code = [index for index, line in enumerate(smaps) if "libssl" in line and " r-xp " in line]
        anonymous = sum(int(next(line for line in smaps[index + 1:] if line.startswith("Anonymous:")).split()[1]) for index in code)
        print("patched libssl pages", anonymous // 4)
        """

    static let pythonRequests: [(String, String, Int)] = [
        ("GET", "/index.html", 200), ("POST", "/submit", 201), ("GET", "/missing", 404), ("GET", "/text.txt", 200),
    ]

    func testHTTPSServerAndClientSpansFromCurlAndPythonArriveWithExactAttributes() throws {
        let collector = try RotelCollector.started()
        let port = try TCPPort.freeLoopbackPort()
        let nginx = try NginxServer(port: port, tls: true)
        defer { nginx.stop() }
        let sonde = try SondeProcess(
            arguments: ["run", "--port", "\(port)"],
            environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(collector.port)",
                          "OTEL_BSP_SCHEDULE_DELAY": "200"])

        let url = nginx.url
        try Curl.run(["-k", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null",
                      url("/index.html"), url("/small.txt"), url("/index.html")])
        try Curl.run(["-k", "-o", "/dev/null", "--data-binary", String(repeating: "0123456789", count: 500), url("/submit")])
        try Curl.run(["-k", "-o", "/dev/null", url("/missing")])
        try Curl.run(["-k", "-o", "/dev/null", url("/big.bin")])
        let python = try Python.run(Self.pythonClient, arguments: ["\(port)", "0"])
        XCTAssertTrue(python.hasSuffix("GET /text.txt 200 20000\n"), python)

        XCTAssertEqual(sonde.stop(), 0, sonde.standardError)
        let curlRequests: [(String, String, Int)] = [
            ("GET", "/index.html", 200), ("GET", "/small.txt", 200), ("GET", "/index.html", 200),
            ("POST", "/submit", 201), ("GET", "/missing", 404), ("GET", "/big.bin", 200),
        ]
        let expected = (curlRequests + Self.pythonRequests).flatMap { method, path, status in
            [Span.Kind.server, .client].map { Expected(kind: $0, method: method, path: path, status: status) }
        }.sorted()
        let spans = try collector.waitForSpans(count: expected.count)
        XCTAssertEqual(collector.refusals(), [])
        // Exactly these: nothing was parsed from the handshakes or the ciphertext.
        XCTAssertEqual(spans.map(HTTP1EndToEndTests.summary).sorted(), expected)
        XCTAssertTrue(sonde.standardError.contains("TLS connections 10,"), sonde.standardError)

        let clients = Dictionary(grouping: spans.filter { $0.kind == .client }) {
            $0.resourceAttributes["process.executable.name"]?.hasPrefix("python3") == true ? "python3" : $0.resourceAttributes["process.executable.name"] ?? "-"
        }
        XCTAssertEqual(clients.mapValues(\.count), ["curl": 6, "python3": 4])
        for span in spans {
            XCTAssertEqual(span.attributes["url.scheme"], "https")
            if span.kind == .client {
                XCTAssertEqual(span.attributes["url.full"], url(span.attributes["url.path"] ?? ""))
                XCTAssertEqual(span.attributes["server.port"], "\(port)")
            } else {
                XCTAssertEqual(span.resourceAttributes["process.executable.name"], "nginx")
                XCTAssertEqual(span.attributes["client.address"], "127.0.0.1")
            }
        }
        // Real sizes, also where a body took several SSL_write calls.
        let bodySizes = Set(spans.map { "\($0.kind == .server ? "S" : "C") \($0.attributes["http.request.method"] ?? "") \($0.attributes["url.path"] ?? "") \($0.attributes["http.request.body.size"] ?? "-") \($0.attributes["http.response.body.size"] ?? "-")" })
        for side in ["S", "C"] {
            XCTAssertTrue(bodySizes.contains("\(side) GET /big.bin - 70000"), "\(bodySizes)")
            XCTAssertTrue(bodySizes.contains("\(side) GET /text.txt - 20000"), "\(bodySizes)")
            XCTAssertTrue(bodySizes.contains("\(side) POST /submit 5000 8"), "\(bodySizes)")
            XCTAssertTrue(bodySizes.contains("\(side) POST /submit 3000 8"), "\(bodySizes)")
        }
        // Keep-alive: curl's three requests on one connection, Python's four on another.
        let connections = Dictionary(grouping: spans.filter { $0.kind == .server }) { $0.attributes["client.port"] ?? "" }
            .values.map { $0.sorted { $0.startTime < $1.startTime }.map { $0.attributes["url.path"] ?? "" } }
        XCTAssertTrue(connections.contains(["/index.html", "/small.txt", "/index.html"]), "\(connections)")
        XCTAssertTrue(connections.contains(["/index.html", "/submit", "/missing", "/text.txt"]), "\(connections)")
    }

    func testWithoutTLSProbesHTTPSYieldsNoSpanAtAll() throws {
        let port = try TCPPort.freeLoopbackPort()
        let nginx = try NginxServer(port: port, tls: true)
        defer { nginx.stop() }
        let sonde = try SondeProcess(arguments: ["print", "--no-tls", "--port", "\(port)"])
        XCTAssertTrue(sonde.standardError.contains("no TLS (TLS tracing is off (--no-tls))"), sonde.standardError)
        try Curl.run(["-k", "-o", "/dev/null", nginx.url("/index.html")])
        XCTAssertEqual(sonde.stop(), 0, sonde.standardError)
        XCTAssertEqual(sonde.standardOutput, "")
        XCTAssertTrue(sonde.standardError.contains("0 spans from 2 connections"), sonde.standardError)
        XCTAssertTrue(sonde.standardError.contains("TLS connections 0,"), sonde.standardError)
    }

    /// nginx and a Python client both start after Sonde, each on a private copy of libssl that no process
    /// mapped when Sonde started: Sonde finds them through exec and attaches within a second.
    func testProcessesStartedAfterSondeOnNewLibSSLFilesAreTracedAndDoctorListsTheirLibrary() throws {
        let serverLibrary = try Self.privateLibSSLCopy()
        let clientLibrary = try Self.privateLibSSLCopy()
        defer {
            try? FileManager.default.removeItem(at: serverLibrary)
            try? FileManager.default.removeItem(at: clientLibrary)
        }
        let port = try TCPPort.freeLoopbackPort()
        let sonde = try SondeProcess(arguments: ["print", "--format", "json", "--port", "\(port)"])
        let nginx = try NginxServer(port: port, tls: true, environment: ["LD_LIBRARY_PATH": serverLibrary.path])
        defer { nginx.stop() }
        let python = try Python.run(Self.pythonClient + Self.patchedLibSSLPages, arguments: ["\(port)", "1.0"],
                                    environment: ["LD_LIBRARY_PATH": clientLibrary.path])
        XCTAssertTrue(python.hasPrefix("libssl \(clientLibrary.path)/libssl.so.3\n"), python)
        // Probes on the file itself patch every process mapping it, the client too.
        XCTAssertGreaterThan(try XCTUnwrap(Self.patchedPageCount(printedBy: python), python), 0)
        XCTAssertEqual(sonde.stop(), 0, sonde.standardError)

        let expected = Self.pythonRequests.flatMap { method, path, status in
            [2, 3].map { "\($0) \(method) \(path) \(status) https" }
        }
        XCTAssertEqual(try Self.printedSummaries(sonde.standardOutput), expected.sorted(), sonde.standardOutput)

        // doctor names the server's private copy, mapped by nginx's master and worker, and attaches to it.
        let doctor = try SondeProcess(arguments: ["doctor"], waitForTracing: false)
        XCTAssertEqual(doctor.waitForExit(), 0, doctor.standardOutput)
        let line = "TLS library  yes  \(serverLibrary.path)/libssl.so.3 (OpenSSL library): 8 probes attached; mapped by 2 processes: nginx"
        XCTAssertTrue(doctor.standardOutput.split(separator: "\n").contains { $0 == line }, doctor.standardOutput)
    }

    /// Limited to nginx (`--exe`), Sonde attaches its probes in nginx's processes alone: the worker nginx
    /// forks after Sonde started is traced from its first request, while the client's libssl is left
    /// unpatched, so its SSL calls never trap into the kernel.
    func testLimitedToAnExecutableSondeProbesItsProcessesAndTheirForksAlone() throws {
        let port = try TCPPort.freeLoopbackPort()
        let sonde = try SondeProcess(arguments: ["print", "--format", "json", "--exe", "nginx", "--port", "\(port)"])
        let nginx = try NginxServer(port: port, tls: true)
        defer { nginx.stop() }
        let python = try Python.run(Self.pythonClient + Self.patchedLibSSLPages, arguments: ["\(port)", "0.5"])
        XCTAssertTrue(python.contains("GET /text.txt 200 20000\n"), python)
        XCTAssertEqual(Self.patchedPageCount(printedBy: python), 0, python)
        XCTAssertEqual(sonde.stop(), 0, sonde.standardError)

        // The server's spans alone: the client is not selected.
        let expected = Self.pythonRequests.map { method, path, status in "2 \(method) \(path) \(status) https" }
        XCTAssertEqual(try Self.printedSummaries(sonde.standardOutput), expected.sorted(), sonde.standardOutput)
    }

    /// A TLS connection established before Sonde started: its SSL objects and sockets are learned from the
    /// next calls, and the next request is traced on both ends.
    func testATLSConnectionOpenedBeforeSondeStartedIsTracedFromItsNextRequest() throws {
        let port = try TCPPort.freeLoopbackPort()
        let nginx = try NginxServer(port: port, tls: true)
        defer { nginx.stop() }
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        python.arguments = ["-c", """
            import http.client, ssl, sys
            connection = http.client.HTTPSConnection("127.0.0.1", int(sys.argv[1]), context=ssl._create_unverified_context())
            for path in ["/small.txt", "/index.html"]:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                print(path, response.status, flush=True)
                sys.stdin.readline()
            """, "\(port)"]
        let input = Pipe(), output = Pipe()
        python.standardInput = input
        python.standardOutput = output
        try python.run()
        let nextLine = {
            var line = Data()
            while !line.contains(UInt8(ascii: "\n")) {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                line += chunk
            }
            return String(decoding: line, as: UTF8.self)
        }
        XCTAssertEqual(nextLine(), "/small.txt 200\n")
        let sonde = try SondeProcess(arguments: ["print", "--format", "json", "--port", "\(port)"])
        input.fileHandleForWriting.write(Data("\n".utf8))
        XCTAssertEqual(nextLine(), "/index.html 200\n")
        input.fileHandleForWriting.write(Data("\n".utf8))
        python.waitUntilExit()
        XCTAssertEqual(sonde.stop(), 0, sonde.standardError)

        let spans = try HTTP1EndToEndTests.printedSpans(sonde.standardOutput)
        XCTAssertEqual(spans.map { "\($0["kind"] ?? "") \($0["name"] ?? "")" }.sorted(), ["2 GET", "3 GET"], sonde.standardOutput)
        XCTAssertEqual(sonde.standardOutput.components(separatedBy: #"{"key":"url.path","value":{"stringValue":"/index.html"}}"#).count, 3)
        XCTAssertEqual(sonde.standardOutput.components(separatedBy: #"{"key":"url.scheme","value":{"stringValue":"https"}}"#).count, 3)
        XCTAssertFalse(sonde.standardOutput.contains("/small.txt"))
    }

    /// An executable with OpenSSL linked in statically maps no libssl: Sonde finds the functions it exports.
    func testAnExecutableWithOpenSSLLinkedInStaticallyIsTraced() throws {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appending(path: "../Fixtures/tls/static_https_client.c").standardized
        let executable = FileManager.default.temporaryDirectory.appending(path: "static_https_client-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: executable) }
        try ChildProcess.run("/usr/bin/env", ["clang", "-O1", "-rdynamic", "-o", executable.path, source.path,
                                              "-Wl,-Bstatic", "-lssl", "-lcrypto", "-Wl,-Bdynamic", "-ldl", "-lpthread"])
        XCTAssertFalse(try String(contentsOf: executable, encoding: .isoLatin1).contains("libssl.so"))

        let port = try TCPPort.freeLoopbackPort()
        let nginx = try NginxServer(port: port, tls: true)
        defer { nginx.stop() }
        let sonde = try SondeProcess(arguments: ["print", "--format", "json", "--port", "\(port)"])
        XCTAssertEqual(try ChildProcess.run(executable.path, ["\(port)", "/small.txt", "1.0"]), "HTTP/1.1 200 OK\n")
        XCTAssertEqual(sonde.stop(), 0, sonde.standardError)

        let spans = try HTTP1EndToEndTests.printedSpans(sonde.standardOutput)
        XCTAssertEqual(spans.map { "\($0["kind"] ?? "") \($0["name"] ?? "")" }.sorted(), ["2 GET", "3 GET"], sonde.standardOutput)
        XCTAssertTrue(sonde.standardOutput.contains(#"{"key":"url.full","value":{"stringValue":"https://127.0.0.1:\#(port)/small.txt"}}"#),
                      sonde.standardOutput)
        XCTAssertTrue(sonde.standardOutput.contains(#"{"key":"process.executable.name","value":{"stringValue":"\#(executable.lastPathComponent)"}}"#),
                      sonde.standardOutput)
    }

    /// The count ``patchedLibSSLPages`` made the client print last; nil when it printed none.
    static func patchedPageCount(printedBy output: String) -> Int? {
        output.split(separator: "\n").last { $0.hasPrefix("patched libssl pages ") }.flatMap { Int($0.split(separator: " ").last ?? "") }
    }

    /// `KIND METHOD PATH STATUS SCHEME` of each span `sonde print --format json` printed, sorted.
    static func printedSummaries(_ output: String) throws -> [String] {
        try HTTP1EndToEndTests.printedSpans(output).map { span in
            let attributes = Dictionary(uniqueKeysWithValues: (span["attributes"] as? [[String: Any]] ?? []).map {
                ($0["key"] as? String ?? "", ($0["value"] as? [String: Any])?.values.first.map { "\($0)" } ?? "")
            })
            return "\(span["kind"] ?? "") \(attributes["http.request.method"] ?? "") \(attributes["url.path"] ?? "") \(attributes["http.response.status_code"] ?? "") \(attributes["url.scheme"] ?? "")"
        }.sorted()
    }

    /// A new directory holding a copy of the system's libssl.so.3: a file (inode) of its own.
    static func privateLibSSLCopy() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appending(path: "sonde-libssl-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: URL(fileURLWithPath: "/usr/lib/x86_64-linux-gnu/libssl.so.3"),
                                         to: directory.appending(path: "libssl.so.3"))
        return directory
    }
}
