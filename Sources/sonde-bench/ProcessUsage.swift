import Foundation

/// What a running process has cost so far, read from /proc.
struct ProcessUsage {
    /// User plus system CPU seconds.
    var cpuSeconds: Double
    /// Peak resident set size (VmHWM) in bytes.
    var peakResidentBytes: Int

    /// The usage of process `pid` now; nil when it is gone.
    static func of(pid: Int32) -> ProcessUsage? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let nameEnd = stat.lastIndex(of: ")") else { return nil }
        // The fields after the command name start at field 3 (state); utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: nameEnd)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let peakKilobytes = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
            .flatMap { line in Int(line.split(whereSeparator: \.isWhitespace)[1]) } ?? 0
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ProcessUsage(cpuSeconds: (user + system) / ticksPerSecond, peakResidentBytes: peakKilobytes * 1024)
    }
}
