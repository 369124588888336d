/// What Sonde knows of individual Redis commands: container commands, where the keys are, which
/// arguments are credentials, and which commands get no reply or end request/reply traffic.
enum RedisCommandTable {
    /// Commands whose first argument is a subcommand, reported together: `CONFIG GET`.
    static let containers: Set<String> = [
        "ACL", "CLIENT", "CLUSTER", "COMMAND", "CONFIG", "DEBUG", "FUNCTION", "LATENCY", "MEMORY", "MODULE",
        "OBJECT", "PUBSUB", "SCRIPT", "SLOWLOG", "XGROUP", "XINFO",
    ]

    /// Key positions of the common commands. A command not listed shows no argument in `db.query.text`
    /// (a module's or a new command's arguments may be anything, including secrets).
    static let keySpecs: [String: RedisKeySpec] = {
        var specs: [String: RedisKeySpec] = [:]
        let firstIsKey = [
            "APPEND", "DECR", "DECRBY", "EXPIRE", "EXPIREAT", "GET", "GETDEL", "GETEX", "GETRANGE", "GETSET",
            "HDEL", "HEXISTS", "HGET", "HGETALL", "HINCRBY", "HINCRBYFLOAT", "HKEYS", "HLEN", "HMGET", "HMSET",
            "HRANDFIELD", "HSCAN", "HSET", "HSETNX", "HSTRLEN", "HVALS", "INCR", "INCRBY", "INCRBYFLOAT",
            "LINDEX", "LINSERT", "LLEN", "LPOP", "LPOS", "LPUSH", "LPUSHX", "LRANGE", "LREM", "LSET", "LTRIM",
            "PERSIST", "PEXPIRE", "PEXPIREAT", "PSETEX", "PTTL", "RPOP", "RPUSH", "RPUSHX", "SADD", "SCARD",
            "SET", "SETEX", "SETNX", "SETRANGE", "SISMEMBER", "SMEMBERS", "SMISMEMBER", "SPOP", "SRANDMEMBER",
            "SREM", "SSCAN", "STRLEN", "TTL", "TYPE", "XADD", "XLEN", "XRANGE", "XREVRANGE", "XTRIM", "ZADD",
            "ZCARD", "ZCOUNT", "ZINCRBY", "ZRANGE", "ZRANGEBYSCORE", "ZRANK", "ZREM", "ZREVRANGE", "ZREVRANK",
            "ZSCORE", "ZSCAN", "ZMSCORE", "GEOADD", "GEODIST", "GEOPOS", "GEOSEARCH", "PFADD", "DUMP",
            "RESTORE", "BITCOUNT", "GETBIT", "SETBIT", "BITPOS", "SORT", "OBJECT ENCODING", "OBJECT FREQ",
            "OBJECT IDLETIME", "OBJECT REFCOUNT", "MEMORY USAGE", "XGROUP CREATE", "XGROUP DESTROY", "PUBLISH",
            "SPUBLISH",
        ]
        for name in firstIsKey { specs[name] = .leading(1) }
        for name in ["RENAME", "RENAMENX", "RPOPLPUSH", "LMOVE", "SMOVE", "COPY", "BLMOVE", "BRPOPLPUSH"] {
            specs[name] = .leading(2)
        }
        for name in ["DEL", "UNLINK", "EXISTS", "MGET", "TOUCH", "WATCH", "SUBSCRIBE", "UNSUBSCRIBE", "PSUBSCRIBE",
                     "PUNSUBSCRIBE", "SSUBSCRIBE", "SUNSUBSCRIBE", "SINTER", "SUNION", "SDIFF", "PFCOUNT"] {
            specs[name] = .all
        }
        for name in ["BLPOP", "BRPOP", "BZPOPMIN", "BZPOPMAX"] { specs[name] = .allButLast }
        for name in ["MSET", "MSETNX"] { specs[name] = .alternating }
        for name in ["EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO"] { specs[name] = .counted(countIndex: 1) }
        // Pushed pub/sub messages, reported like commands: `MESSAGE channel ?`, `PMESSAGE pattern channel ?`.
        specs["MESSAGE"] = .leading(1)
        specs["SMESSAGE"] = .leading(1)
        specs["PMESSAGE"] = .leading(2)
        return specs
    }()

    static func keySpec(for name: String) -> RedisKeySpec { keySpecs[name] ?? .none }

    /// Arguments that are credentials: never shown, even when values are.
    static func secretIndices(in command: RedisCommand) -> Set<Int> {
        switch command.name {
        case "AUTH", "MIGRATE": return Set(command.arguments.indices)
        case "HELLO":
            guard let auth = command.arguments.firstIndex(where: { $0.text.uppercased() == "AUTH" }) else { return [] }
            return Set(command.arguments.indices.filter { $0 > auth })
        default: return []
        }
    }

    /// Whether the connection carries something other than replies after the reply to `name`: the
    /// replication stream (`SYNC`, `PSYNC`) or the monitor feed. A switch on the literals: asked on every
    /// reply, a set lookup hashed the name each time.
    static func endsRequestReply(_ name: String) -> Bool {
        switch name {
        case "SYNC", "PSYNC", "MONITOR": true
        default: false
        }
    }

    /// Subscription commands: their replies are confirmations, one per channel or pattern.
    static let subscriptions: Set<String> = [
        "SUBSCRIBE", "UNSUBSCRIBE", "PSUBSCRIBE", "PUNSUBSCRIBE", "SSUBSCRIBE", "SUNSUBSCRIBE",
    ]

    /// Commands recognised at the start of a connection joined mid-stream (and in inline form).
    static let wellKnown: Set<String> = {
        var names = Set(keySpecs.keys.filter { !$0.contains(" ") && !$0.hasSuffix("MESSAGE") })
        names.formUnion(containers)
        names.formUnion([
            "PING", "ECHO", "SELECT", "AUTH", "HELLO", "QUIT", "RESET", "INFO", "DBSIZE", "FLUSHDB", "FLUSHALL",
            "KEYS", "SCAN", "RANDOMKEY", "MULTI", "EXEC", "DISCARD", "UNWATCH", "SAVE", "BGSAVE", "BGREWRITEAOF",
            "LASTSAVE", "TIME", "ROLE", "REPLCONF", "SYNC", "PSYNC", "MONITOR", "WAIT", "SWAPDB", "MOVE",
            "XREAD", "XREADGROUP", "XACK", "XCLAIM", "XAUTOCLAIM", "XDEL", "XPENDING", "ZPOPMIN", "ZPOPMAX",
            "ZUNIONSTORE", "ZINTERSTORE", "SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE", "MIGRATE", "SHUTDOWN",
            "SCRIPT", "READONLY", "READWRITE", "ASKING", "LCS", "SUBSTR", "SINTERCARD", "ZRANDMEMBER",
        ])
        return names
    }()
}
