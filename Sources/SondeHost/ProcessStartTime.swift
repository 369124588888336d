import Foundation

/// When a process started, from `/proc/PID/stat` (clock ticks after boot) and `/proc/stat`'s `btime`.
public enum ProcessStartTime {
    /// The start of `pid` as ISO 8601 with milliseconds (`process.creation.time`); nil when /proc lacks it.
    public static func of(pid: Int32) -> String? {
        guard let ticks = ticksAfterBoot(pid: pid), let boot = bootTime else { return nil }
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        let date = Date(timeIntervalSince1970: Double(boot) + Double(ticks) / ticksPerSecond)
        return date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

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
