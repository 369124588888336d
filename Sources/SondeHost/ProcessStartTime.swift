import Foundation

/// When a process started, from `/proc/PID/stat` (clock ticks after boot) and `/proc/stat`'s `btime`.
public enum ProcessStartTime {
    /// The start of `pid` as ISO 8601 with milliseconds (`process.creation.time`); nil when /proc lacks it.
    public static func of(pid: Int32) -> String? {
        ticksAfterBoot(pid: pid).flatMap(iso8601(ticksAfterBoot:))
    }

    /// The same for a start the kernel gave in nanoseconds after boot (a task's `start_boottime`), cut to
    /// whole clock ticks as /proc cuts it: both sources name one process with one time.
    public static func iso8601(nanosecondsAfterBoot: UInt64) -> String? {
        iso8601(ticksAfterBoot: nanosecondsAfterBoot / (1_000_000_000 / ticksPerSecond))
    }

    static func iso8601(ticksAfterBoot ticks: UInt64) -> String? {
        guard let boot = bootTime else { return nil }
        let date = Date(timeIntervalSince1970: Double(boot) + Double(ticks) / Double(ticksPerSecond))
        return date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// The kernel's USER_HZ: the clock ticks per second /proc counts in.
    static let ticksPerSecond = UInt64(sysconf(Int32(_SC_CLK_TCK)))

    /// Field 22 of `/proc/PID/stat`, counted after the parenthesised command name (which may hold spaces).
    static func ticksAfterBoot(pid: Int32) -> UInt64? {
        guard let stat = ProcFile.text("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the name: field 3 (state) is fields[0], so field 22 is fields[19].
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }

    /// Seconds since the epoch at boot (`btime` in /proc/stat); read once.
    static let bootTime: UInt64? = ProcFile.text("/proc/stat")?.split(separator: "\n")
        .first { $0.hasPrefix("btime ") }.flatMap { UInt64($0.dropFirst(6)) }
}
