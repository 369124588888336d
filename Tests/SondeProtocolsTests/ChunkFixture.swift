import SondeModel
@testable import SondeProtocols
import SondeTestSupport

/// A connection recorded from a real server (Tests/Fixtures/PROTOCOL/NAME.chunks) that plays its chunks
/// into a protocol session and compares the exchanges that come out, each as `summary(_:)` writes it.
protocol ChunkFixture: CustomStringConvertible, Sendable {
    associatedtype Session: ProtocolSession
    associatedtype Exchange

    var name: String { get }
    var chunks: [FixtureChunk] { get }
    /// The exchanges the fixture's README lists, as `summary(_:)` writes them.
    var expected: [String] { get }

    /// The folder of the protocol's fixtures in Tests/Fixtures.
    static var directory: String { get }

    /// Every fixture of the protocol.
    static var all: [Self] { get }

    init(name: String, chunks: [FixtureChunk], expected: [String])

    /// A fresh session of the protocol for a connection seen in `role`.
    static func makeSession(role: ConnectionRole) -> Session

    /// The exchange `record` carries, or nil when it is of another protocol.
    static func exchange(in record: ProtocolRecord) -> Exchange?

    /// One exchange as the fixture's `expected` lines write it.
    static func summary(_ exchange: Exchange) -> String
}

extension ChunkFixture {
    /// How one chunk reaches the session: the session, the chunk, its direction, its time, the records.
    typealias Delivery = (Session, FixtureChunk, Direction, UInt64, inout [ProtocolRecord]) -> Void

    var description: String { name }

    /// The fixture `Tests/Fixtures/<directory>/<name>.chunks`, expected to give the exchanges `expected`.
    init(_ name: String, _ expected: [String]) {
        self.init(name: name, chunks: FixtureChunk.load(directory: Self.directory, name: name), expected: expected)
    }

    static func named(_ name: String) -> Self { all.first { $0.name == name }! }

    /// Plays the fixture into a session seeing it from the client (`role: .client`, client bytes are
    /// egress) or from the server (`.server`, client bytes are ingress), or joined mid-stream
    /// (`.unknown`, from the client's side, starting at chunk `first`). Chunk `i` is seen at time
    /// `(i + 1) * 1000`.
    func play(role: ConnectionRole = .client, from first: Int = 0, deliver: Delivery = Self.deliverWhole)
        -> [Exchange] {
        let session = Self.makeSession(role: role)
        var records: [ProtocolRecord] = []
        for (index, chunk) in chunks.enumerated().dropFirst(first) {
            let clientDirection: Direction = role == .server ? .ingress : .egress
            let direction = chunk.fromClient ? clientDirection : clientDirection.opposite
            deliver(session, chunk, direction, UInt64(index + 1) * 1000, &records)
        }
        session.close(timestamp: UInt64(chunks.count + 1) * 1000, into: &records)
        return records.map { record in
            guard let exchange = Self.exchange(in: record) else { fatalError("not a \(Exchange.self) record") }
            return exchange
        }
    }

    static func deliverWhole(_ session: Session, _ chunk: FixtureChunk, _ direction: Direction, _ time: UInt64,
                             _ records: inout [ProtocolRecord]) {
        session.receive(chunk.bytes, direction: direction, timestamp: time, into: &records)
    }
}
