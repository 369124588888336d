/// Relative times of `start_time`/`end_time`: an optional sign, a whole number and a unit
/// (`ns`, `us`, `ms`, `s`, `m`, `h`, `d`), e.g. `-5m`.
enum RelativeTime {
    private static let units: [(suffix: String, nanoseconds: Int64)] = [
        ("ns", 1), ("us", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000), ("m", 60_000_000_000),
        ("h", 3_600_000_000_000), ("d", 86_400_000_000_000),
    ]

    /// The offset from now in nanoseconds (negative in the past), or nil when `text` is not one.
    static func nanoseconds(_ text: String) -> Int64? {
        var body = Substring(text)
        var sign: Int64 = 1
        if body.first == "-" || body.first == "+" {
            sign = body.first == "-" ? -1 : 1
            body = body.dropFirst()
        }
        let digits = body.prefix { $0.isASCII && $0.isNumber }
        guard let count = Int64(digits),
              let unit = units.first(where: { $0.suffix == body.dropFirst(digits.count) }) else { return nil }
        return sign * count * unit.nanoseconds
    }
}
