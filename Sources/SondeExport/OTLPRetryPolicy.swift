/// When the exporter tries a request again: exponential backoff with jitter, within a time budget.
public struct OTLPRetryPolicy: Hashable, Sendable {
    /// The wait before the first retry.
    public var initialBackoff: Duration
    /// The longest wait between two attempts (a server's `Retry-After` may ask for more).
    public var maxBackoff: Duration
    /// How much the wait grows after each failed attempt.
    public var multiplier: Double
    /// A batch is given up (counted as failed) once retrying it would take longer than this.
    public var maxElapsedTime: Duration

    public init(initialBackoff: Duration = .seconds(1), maxBackoff: Duration = .seconds(30),
                multiplier: Double = 2, maxElapsedTime: Duration = .seconds(120)) {
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.multiplier = multiplier
        self.maxElapsedTime = maxElapsedTime
    }

    /// The wait before retry number `retry` (1 for the first): the exponential backoff, capped at
    /// `maxBackoff`, scaled by a random factor in 0.5...1 so that many exporters do not retry in step.
    func backoff(beforeRetry retry: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        var backoff = initialBackoff
        for _ in 1..<max(retry, 1) where backoff < maxBackoff {
            backoff = backoff * multiplier
        }
        return min(backoff, maxBackoff) * Double.random(in: 0.5...1, using: &generator)
    }
}
