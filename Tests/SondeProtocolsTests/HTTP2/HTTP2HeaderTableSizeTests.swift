import SondeModel
import Testing
@testable import SondeProtocols

/// SETTINGS_HEADER_TABLE_SIZE bounds the dynamic table size updates the peer's encoder may send.
@Suite struct HTTP2HeaderTableSizeTests {
    /// A frame of `type` with `flags` on `stream` (below 256) carrying `payload` (below 64 KiB).
    static func frame(_ type: UInt8, _ flags: UInt8, _ stream: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF), type, flags, 0, 0, 0, stream] + payload
    }

    /// SETTINGS_HEADER_TABLE_SIZE = 8192.
    static let settings = frame(4, 0, 0, [0x00, 0x01, 0x00, 0x00, 0x20, 0x00])
    /// GET / on stream 1: `:method GET`, `:path /`, `:scheme http` from the static table, `:authority`
    /// a literal added to the table.
    static let request = frame(1, 0x5, 1, [0x82, 0x84, 0x86, 0x41, 0x09] + Array("localhost".utf8))
    /// A dynamic table size update to 8192 (RFC 7541 §6.3), then `:status 200`.
    static let response = frame(1, 0x5, 1, [0x3F, 0xE1, 0x3F, 0x88])

    static func play(client: [UInt8]) -> ([String], Int) {
        let session = HTTP2Session(role: .client)
        var records: [ProtocolRecord] = []
        session.receive(client, direction: .egress, timestamp: 1, into: &records)
        session.receive(response, direction: .ingress, timestamp: 2, into: &records)
        return (HTTP2Fixture.exchanges(records).map(HTTP2Fixture.summary), session.resyncCount)
    }

    @Test func aTableSizeUpdateWithinTheAnnouncedSizeIsDecoded() {
        let (summaries, resyncs) = Self.play(client: HTTP2Preface.bytes + Self.settings + Self.request)
        #expect(summaries == ["1 GET / -> 200 0/0"])
        #expect(resyncs == 0)
    }

    @Test func aTableSizeUpdateBeyondTheDefaultWithoutSettingsIsADesync() {
        let (summaries, resyncs) = Self.play(client: HTTP2Preface.bytes + Self.request)
        #expect(summaries.isEmpty)
        #expect(resyncs == 1)
    }
}
