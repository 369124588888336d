/// How long the ring-buffer thread waits between reads.
///
/// The kernel side does not wake the thread for ordinary events (`bpf/sonde.bpf.c`, `FILL_CHECK_BYTES`): a
/// wakeup is an interrupt on the traced process's CPU. So this clock alone decides how late events are read
/// and how many are read at once. It aims at about ``targetBytes`` a read: from the rate of the last read,
/// the wait that would bring that many, within ``shortestWait`` and ``longestWait``. Short reads keep the
/// reading thread's bursts short (on shared cores they delay the traced service), and an idle host is
/// looked at only every ``longestWait``.
struct RingBufferPacing {
    /// Bytes a read aims at: what waking at 64 KiB unread used to bring.
    static let targetBytes = 64 << 10
    static let shortestWait: Duration = .milliseconds(1)
    static let longestWait: Duration = .milliseconds(50)

    /// The wait before the next read.
    private(set) var wait = Self.longestWait

    /// Takes in a read of `bytes` bytes, which the ring collected over `interval`.
    mutating func record(bytes: Int, over interval: Duration) {
        guard bytes > 0 else {
            wait = Self.longestWait
            return
        }
        let fitting = interval * (Double(Self.targetBytes) / Double(bytes))
        wait = min(max(fitting, Self.shortestWait), Self.longestWait)
    }

    /// ``wait`` in the whole milliseconds `ring_buffer__poll` takes (at least 1).
    var waitMilliseconds: Int32 {
        let (seconds, attoseconds) = wait.components
        return Int32(max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000))
    }
}
