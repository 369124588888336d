import Foundation

/// Nanosecond times and durations as people read them.
enum Timestamp {
    /// `2026-11-21T10:00:00.123456789Z`.
    static func utc(_ nanoseconds: Int64) -> String {
        let seconds = nanoseconds.quotientFloor(1_000_000_000)
        let fraction = nanoseconds - seconds * 1_000_000_000
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ", parts.tm_year + 1900, parts.tm_mon + 1,
                      parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, fraction)
    }

    /// `850ns`, `12.50µs`, `1.50ms`, `2.25s`.
    static func duration(_ nanoseconds: Double) -> String {
        let magnitude = abs(nanoseconds)
        if magnitude < 1_000 { return String(format: "%.0fns", nanoseconds) }
        if magnitude < 1_000_000 { return String(format: "%.2fµs", nanoseconds / 1e3) }
        if magnitude < 1_000_000_000 { return String(format: "%.2fms", nanoseconds / 1e6) }
        return String(format: "%.2fs", nanoseconds / 1e9)
    }
}

extension Int64 {
    /// Division rounding toward negative infinity.
    func quotientFloor(_ divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
