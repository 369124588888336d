import GRDB

/// `px_quantiles(x)`: the quantiles of a group's non-NULL values as a JSON object
/// `{"p01":…,"p10":…,"p25":…,"p50":…,"p75":…,"p90":…,"p99":…}` (NULL for an empty group).
///
/// Method: nearest rank. With the n values sorted ascending, quantile q is the value at 1-based rank
/// ceil(q × n) (at least 1). Every quantile is therefore one of the values; integers stay integers.
struct QuantilesAggregate: DatabaseAggregate {
    static let levels: [(key: String, numerator: Int)] = [
        ("p01", 1), ("p10", 10), ("p25", 25), ("p50", 50), ("p75", 75), ("p90", 90), ("p99", 99),
    ]

    private var integers: [Int64] = []
    private var reals: [Double] = []

    init() {}

    mutating func step(_ values: [DatabaseValue]) {
        switch values[0].storage {
        case .int64(let value): integers.append(value)
        case .double(let value): reals.append(value)
        default: break
        }
    }

    func finalize() -> (any DatabaseValueConvertible)? {
        let count = integers.count + reals.count
        guard count > 0 else { return nil }
        let sortedIntegers = reals.isEmpty ? integers.sorted() : []
        let sortedReals = reals.isEmpty ? [] : (reals + integers.map(Double.init)).sorted()
        let fields = Self.levels.map { level -> String in
            let index = Self.rank(numerator: level.numerator, count: count) - 1
            let value = reals.isEmpty ? String(sortedIntegers[index]) : "\(sortedReals[index])"
            return "\"\(level.key)\":\(value)"
        }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// ceil(numerator / 100 × count), at least 1, in integer arithmetic.
    static func rank(numerator: Int, count: Int) -> Int {
        max(1, (numerator * count + 99) / 100)
    }
}
