import Foundation
import SondeTestSupport
import XCTest

/// `--probe-only` attaches every probe (syscalls, process lifecycle, OpenSSL) but each returns at once:
/// traffic flows past them and nothing is captured, while the same traffic traced fully makes spans.
final class ProbeOnlyEndToEndTests: XCTestCase {
    func testProbeOnlyAttachesEveryProbeAndBuildsNothingWhileTrafficFlows() throws {
        let port = try TCPPort.freeLoopbackPort()
        let nginx = try NginxServer(port: port, tls: true)
        defer { nginx.stop() }

        let probeOnly = try SondeProcess(arguments: ["print", "--probe-only", "--port", "\(port)"])
        let startLine = probeOnly.standardError
        XCTAssertTrue(startLine.contains("sonde: tracing with syscall tracepoints (this kernel has no kprobes) and OpenSSL uprobes ("), startLine)
        XCTAssertTrue(startLine.contains("; probe-only: every probe returns at once, nothing is captured; printing"), startLine)
        XCTAssertFalse(startLine.contains("(0 libraries so far)"), startLine)
        for _ in 0..<3 { try Curl.run(["-k", "-o", "/dev/null", nginx.url("/index.html")]) }
        XCTAssertEqual(probeOnly.stop(), 0, probeOnly.standardError)
        XCTAssertEqual(probeOnly.standardOutput, "")
        XCTAssertTrue(probeOnly.standardError.contains("sonde: stopped: 0 spans from 0 connections, lost events 0, TLS connections 0,"),
                      probeOnly.standardError)

        // The same traffic, traced fully: nginx's and curl's span of each request.
        let full = try SondeProcess(arguments: ["print", "--port", "\(port)"])
        for _ in 0..<3 { try Curl.run(["-k", "-o", "/dev/null", nginx.url("/index.html")]) }
        XCTAssertEqual(full.stop(), 0, full.standardError)
        XCTAssertTrue(full.standardError.contains("sonde: stopped: 6 spans from 6 connections, lost events 0, TLS connections 6,"),
                      full.standardError)
    }
}
