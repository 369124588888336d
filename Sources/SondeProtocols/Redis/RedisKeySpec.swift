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

    /// Whether the argument at `index` (into `command.arguments`) is a key.
    func isKey(_ index: Int, in command: RedisCommand) -> Bool {
        switch self {
        case .none: return false
        case .leading(let keys): return index < keys
        case .all: return true
        case .allButLast: return index < command.argumentCount - 1
        case .alternating: return index % 2 == 0
        case .counted(let countIndex):
            guard index > countIndex, countIndex < command.arguments.count,
                  let keys = Int(command.arguments[countIndex].text), keys > 0 else { return false }
            return index - countIndex <= keys
        }
    }
}
