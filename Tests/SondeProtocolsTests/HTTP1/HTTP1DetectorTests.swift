import Testing
@testable import SondeProtocols

@Suite struct HTTP1DetectorTests {
    private func recognizes(_ text: String) -> Bool { HTTP1Detector.recognizes(Array(text.utf8)[...]) }

    @Test func recognizesRequestLines() {
        for method in ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "TRACE", "PROPFIND",
                       "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK"] {
            #expect(recognizes("\(method) /a HTTP/1.1\r\n"), "\(method)")
        }
        #expect(recognizes("GET "))
        #expect(recognizes("CONNECT example.com:443 HTTP/1.1\r\n"))
    }

    @Test func recognizesStatusLines() {
        #expect(recognizes("HTTP/1.1 200 OK\r\n"))
        #expect(recognizes("HTTP/1.0 404 Not Found\r\n"))
        #expect(recognizes("HTTP/1.1 "))
        #expect(recognizes("HTTP/1.1 2"))
    }

    @Test func refusesTooShortPrefixes() {
        #expect(!recognizes(""))
        #expect(!recognizes("GE"))
        #expect(!recognizes("GET"))
        #expect(!recognizes("HTTP/1.1"))
    }

    @Test func refusesOtherProtocols() {
        #expect(!recognizes("*1\r\n$4\r\nPING\r\n"))                          // RESP
        #expect(!recognizes("+OK\r\n"))
        #expect(!HTTP1Detector.recognizes([0x4a, 0x00, 0x00, 0x00, 0x0a, 0x38, 0x2e][...]))  // MySQL greeting
        #expect(!HTTP1Detector.recognizes([0x16, 0x03, 0x01, 0x02, 0x00, 0x01][...]))        // TLS ClientHello
        #expect(!recognizes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"))              // HTTP/2 preface
        #expect(!recognizes("HTTP/2 200\r\n"))
        #expect(!recognizes("HTTP/1.1 2x0 OK\r\n"))
        #expect(!recognizes("GETX / HTTP/1.1\r\n"))
        #expect(!recognizes("GET  / HTTP/1.1\r\n"))
        #expect(!recognizes("get / HTTP/1.1\r\n"))
    }

    @Test func answersFromASlice() {
        let bytes = Array("xxGET / HTTP/1.1\r\n".utf8)
        #expect(HTTP1Detector.recognizes(bytes[2...]))
        #expect(!HTTP1Detector.recognizes(bytes[1...]))
        #expect(HTTP1Session.recognizes(bytes[2...]))
    }
}
