/// What one run of a load generator reported.
struct LoadResult {
    /// Requests completed.
    var requests: Int
    /// How long the load ran.
    var seconds: Double
    /// The 99th percentile of request latency.
    var p99Milliseconds: Double

    var requestsPerSecond: Double { Double(requests) / seconds }
}
