import Foundation

/// What every benchmark needs to take and print its figures.
enum Measurement {
    /// Seconds `work` took, on the monotonic clock.
    static func seconds(_ work: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try work()
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// The middle value of `values` (the upper one of the two middles for an even count).
    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    /// `value` with `decimals` decimals, right-aligned in `width` characters.
    static func format(_ value: Double, _ width: Int, decimals: Int = 2) -> String {
        String(format: "%.\(decimals)f", value).leftPadded(width)
    }
}

extension String {
    /// Right-aligned in `width` characters (never cut).
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
