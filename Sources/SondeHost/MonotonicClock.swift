#if canImport(Glibc)
import Glibc
#endif

/// Converts the kernel's `CLOCK_MONOTONIC` timestamps (`bpf_ktime_get_ns`) to Unix time.
public struct MonotonicClock: Sendable {
    /// Unix time minus monotonic time, sampled once.
    public let offsetNanoseconds: UInt64

    /// Samples the offset now.
    public init() {
        var realtime = timespec()
        var monotonic = timespec()
        clock_gettime(CLOCK_MONOTONIC, &monotonic)
        clock_gettime(CLOCK_REALTIME, &realtime)
        offsetNanoseconds = realtime.nanoseconds &- monotonic.nanoseconds
    }

    /// The Unix time (ns) of a monotonic timestamp.
    public func unixNanoseconds(fromMonotonic monotonic: UInt64) -> UInt64 {
        monotonic &+ offsetNanoseconds
    }

    /// Current monotonic time in nanoseconds.
    public static func now() -> UInt64 {
        var monotonic = timespec()
        clock_gettime(CLOCK_MONOTONIC, &monotonic)
        return monotonic.nanoseconds
    }
}

extension timespec {
    var nanoseconds: UInt64 { UInt64(tv_sec) * 1_000_000_000 + UInt64(tv_nsec) }
}
