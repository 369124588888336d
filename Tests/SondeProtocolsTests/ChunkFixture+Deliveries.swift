import SondeModel
import Testing
@testable import SondeProtocols

/// The ways the fixture tests of every protocol cut or spoil the recorded bytes on their way in.
extension ChunkFixture {
    /// Plays the fixture once for every split of every chunk into two `receive`s, expecting the same
    /// exchanges each time.
    func expectTheSameExchangesAtEverySplit(sourceLocation: SourceLocation = #_sourceLocation) {
        for (target, chunk) in chunks.enumerated() {
            for split in 1..<max(1, chunk.bytes.count) {
                var seen = 0
                let exchanges = play { session, chunk, direction, time, records in
                    defer { seen += 1 }
                    guard seen == target else {
                        return session.receive(chunk.bytes, direction: direction, timestamp: time, into: &records)
                    }
                    session.receive(Array(chunk.bytes[..<split]), direction: direction, timestamp: time, into: &records)
                    session.receive(Array(chunk.bytes[split...]), direction: direction, timestamp: time, into: &records)
                }
                #expect(exchanges.map(Self.summary) == expected, "chunk \(target) split at \(split)",
                        sourceLocation: sourceLocation)
            }
        }
    }

    /// Plays the fixture one byte per `receive`.
    func playOneByteAtATime() -> [Exchange] {
        play { session, chunk, direction, time, records in
            for byte in chunk.bytes { session.receive([byte], direction: direction, timestamp: time, into: &records) }
        }
    }

    /// Plays the fixture with every chunk captured up to `captureSize` bytes and the rest skipped, as
    /// the tracker does with a truncated capture.
    func playCaptured(upTo captureSize: Int) -> [Exchange] {
        play { session, chunk, direction, time, records in
            let captured = Array(chunk.bytes.prefix(captureSize))
            session.receive(captured, direction: direction, timestamp: time, into: &records)
            session.skip(chunk.bytes.count - captured.count, direction: direction, timestamp: time, into: &records)
        }
    }

    /// Plays the fixture with `garbage` received just before the first chunk from the client
    /// (`fromClient`) or the server whose time satisfies `injectAt`.
    func playInjecting(_ garbage: [UInt8], fromClient: Bool, injectAt: (UInt64) -> Bool) -> [Exchange] {
        var injected = false
        return play { session, chunk, direction, time, records in
            if !injected, chunk.fromClient == fromClient, injectAt(time) {
                injected = true
                session.receive(garbage, direction: direction, timestamp: time, into: &records)
            }
            session.receive(chunk.bytes, direction: direction, timestamp: time, into: &records)
        }
    }
}
