/// The unit of a pcapng interface's timestamps: 10^-n or 2^-n seconds (`if_tsresol`).
struct TimestampResolution: Hashable, Sendable {
    /// The exponent n.
    var exponent: UInt8
    /// Whether the base is 2 (else 10).
    var isBinary: Bool

    /// Microseconds, the pcapng default.
    static let microseconds = TimestampResolution(exponent: 6, isBinary: false)

    init(exponent: UInt8, isBinary: Bool) {
        self.exponent = exponent
        self.isBinary = isBinary
    }

    /// The `if_tsresol` option byte: the high bit picks base 2, the rest is the exponent.
    init(ifTsresol value: UInt8) {
        self.init(exponent: value & 0x7F, isBinary: value & 0x80 != 0)
    }

    /// `ticks` of this unit in nanoseconds (saturating).
    func nanoseconds(_ ticks: UInt64) -> UInt64 {
        if isBinary {
            guard exponent < 64 else { return 0 }
            let whole = ticks >> exponent
            let fraction = ticks & ((1 << exponent) - 1)
            let fractionNanoseconds = fraction.multipliedFullWidth(by: 1_000_000_000)
            let (scaled, overflow) = whole.multipliedReportingOverflow(by: 1_000_000_000)
            let partial = exponent == 0 ? 0 : fractionNanoseconds.high << (64 - exponent) | fractionNanoseconds.low >> exponent
            return overflow ? .max : scaled &+ partial
        }
        if exponent <= 9 {
            var factor: UInt64 = 1
            for _ in 0..<(9 - exponent) { factor *= 10 }
            let (scaled, overflow) = ticks.multipliedReportingOverflow(by: factor)
            return overflow ? .max : scaled
        }
        var divisor: UInt64 = 1
        for _ in 0..<min(Int(exponent) - 9, 19) { divisor *= 10 }
        return ticks / divisor
    }
}
