/// Parses retention ages such as `45s`, `30m`, `2h` or `1d` into nanoseconds.
public enum StoreAge {
    private static let units: [Character: UInt64] = [
        "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000, "d": 86_400_000_000_000,
    ]

    /// The nanoseconds `text` stands for: a positive whole number and one unit (s, m, h or d); nil otherwise.
    public static func nanoseconds(_ text: String) -> UInt64? {
        guard let unit = text.last, let scale = units[unit], let count = UInt64(text.dropLast()), count > 0 else {
            return nil
        }
        let (product, overflow) = count.multipliedReportingOverflow(by: scale)
        return overflow ? nil : product
    }
}
