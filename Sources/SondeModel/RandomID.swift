import Synchronization

/// The random numbers of fresh trace and span ids: xoshiro256** seeded once from the system's generator, so
/// that an id costs no system call (ids must be unique, not secret; OpenTelemetry's SDKs do the same).
enum RandomID {
    private static let generator = Mutex(Xoshiro256StarStar(seed: SystemRandomNumberGenerator()))

    /// The next 64 random bits.
    static func next() -> UInt64 {
        generator.withLock { $0.next() }
    }

    /// The next 128 random bits, under one lock.
    static func nextPair() -> (UInt64, UInt64) {
        generator.withLock { ($0.next(), $0.next()) }
    }
}

/// xoshiro256** (Blackman and Vigna): fast, 256 bits of state, passes the statistical test suites.
struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    init(seed: some RandomNumberGenerator) {
        var seed = seed
        repeat {
            state = (seed.next(), seed.next(), seed.next(), seed.next())
        } while state == (0, 0, 0, 0)
    }

    mutating func next() -> UInt64 {
        let result = (state.1 &* 5).rotatedLeft(by: 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = state.3.rotatedLeft(by: 45)
        return result
    }
}

extension UInt64 {
    fileprivate func rotatedLeft(by count: UInt64) -> UInt64 {
        (self << count) | (self >> (64 - count))
    }
}
