import SondeModel
import SondeProtocols
import SondePipeline

/// A protocol session that records exactly what the tracker asks of it.
final class RecordingSession: ProtocolSession {
    enum Call: Equatable, CustomStringConvertible {
        case receive(String, Direction, at: UInt64)
        case skip(Int, Direction, at: UInt64)
        case close(at: UInt64)

        var description: String {
            switch self {
            case .receive(let text, let direction, let time): "receive(\(text.debugDescription), \(direction), @\(time))"
            case .skip(let count, let direction, let time): "skip(\(count), \(direction), @\(time))"
            case .close(let time): "close(@\(time))"
            }
        }
    }

    let role: ConnectionRole
    private(set) var calls: [Call] = []
    var resyncCount = 0
    /// Records handed out when the connection closes.
    var recordsOnClose: [ProtocolRecord] = []

    init(role: ConnectionRole) {
        self.role = role
    }

    func receive(_ bytes: [UInt8], direction: Direction, timestamp: UInt64, into records: inout [ProtocolRecord]) {
        calls.append(.receive(String(decoding: bytes, as: UTF8.self), direction, at: timestamp))
    }

    func skip(_ count: Int, direction: Direction, timestamp: UInt64, into records: inout [ProtocolRecord]) {
        calls.append(.skip(count, direction, at: timestamp))
    }

    func close(timestamp: UInt64, into records: inout [ProtocolRecord]) {
        calls.append(.close(at: timestamp))
        records += recordsOnClose
    }
}

/// Makes recording sessions for a toy protocol whose messages start with `REQ` or `RES`.
final class RecordingSessionFactory {
    private(set) var sessions: [RecordingSession] = []

    var detector: ProtocolDetector {
        ProtocolDetector(
            name: "toy",
            recognizes: { prefix in prefix.starts(with: Array("REQ".utf8)) || prefix.starts(with: Array("RES".utf8)) },
            makeSession: { [unowned self] role in
                let session = RecordingSession(role: role)
                sessions.append(session)
                return session
            })
    }
}
