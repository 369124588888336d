/// Which arguments of a command are key names (or channel names): the rest are values, which
/// `db.query.text` replaces with `?` unless asked otherwise.
enum RedisKeySpec: Hashable, Sendable {
    /// No argument is a key (`PING`, `SELECT`, `CONFIG GET`, and commands not in the table).
    case none
    /// The first `count` arguments are keys (`GET key`, `RENAME key newkey`).
    case leading(Int)
    /// Every argument is a key (`DEL`, `MGET`, `SUBSCRIBE`).
    case all
    /// Every argument but the last (`BLPOP key ... timeout`).
    case allButLast
    /// Every other argument from the first (`MSET key value key value`).
    case alternating
    /// Keys follow a count argument at `countIndex` (`EVAL script numkeys key ...`).
    case counted(countIndex: Int)

    /// The indices (into `command.arguments`) that are keys.
    func keyIndices(in command: RedisCommand) -> Set<Int> {
        let count = command.arguments.count
        switch self {
        case .none: return []
        case .leading(let keys): return Set(0..<min(keys, count))
        case .all: return Set(0..<count)
        case .allButLast: return Set(0..<max(0, command.argumentCount - 1)).filter { $0 < count }
        case .alternating: return Set(stride(from: 0, to: count, by: 2))
        case .counted(let countIndex):
            guard countIndex < count, let keys = Int(command.arguments[countIndex].text), keys > 0 else { return [] }
            return Set((countIndex + 1)..<min(count, countIndex + 1 + keys))
        }
    }
}
