import SondeModel

/// The body of the exporter thread: takes batches from the queue, encodes, compresses and POSTs them,
/// retries what can be retried, and settles every span in the statistics.
struct ExportWorker {
    let configuration: OTLPExporterConfiguration
    let retryPolicy: OTLPRetryPolicy
    let queue: ExportQueue
    let log: @Sendable (String) -> Void

    func run() {
        let client = CurlHTTPClient(configuration: configuration)
        if client == nil { log("sonde: OTLP export disabled: libcurl could not create a handle.") }
        var generator = SystemRandomNumberGenerator()
        while let batch = queue.nextBatch() {
            guard let client else {
                queue.record { $0.failed += batch.count }
                continue
            }
            export(batch, with: client, using: &generator)
        }
        queue.markDrained()
    }

    private func export(_ batch: [Span], with client: CurlHTTPClient,
                        using generator: inout some RandomNumberGenerator) {
        let json = OTLPJSONEncoder().encode(batch)
        guard let body = configuration.compression == .gzip ? GzipCompressor.compress(json) : json else {
            log("sonde: OTLP export failed: gzip compression of \(batch.count) spans failed.")
            queue.record { $0.failed += batch.count }
            return
        }

        let start = ContinuousClock.now
        var retry = 0
        while true {
            let deadline = queue.deadline
            var timeout = configuration.timeout
            if let deadline {
                guard ContinuousClock.now < deadline else {
                    return giveUp(batch, reason: "shutdown deadline reached")
                }
                timeout = min(timeout, deadline - .now)
            }

            let reason: String
            var retryAfter: Duration?
            switch client.post(body, timeout: timeout) {
            case .response(let status, _, _) where (200..<300).contains(status):
                queue.record { $0.exported += batch.count }
                return
            case .response(let status, let retryAfterSeconds, _) where Self.retryableStatuses.contains(status):
                reason = "HTTP \(status)"
                retryAfter = retryAfterSeconds.map { .seconds($0) }
            case .response(let status, _, let responseBody):
                let excerpt = String(decoding: responseBody.prefix(200), as: UTF8.self)
                log("sonde: OTLP collector \(configuration.endpoint) rejected \(batch.count) spans with HTTP "
                    + "\(status): \(excerpt)")
                queue.record { $0.rejected += batch.count }
                return
            case .transportError(let message, retryable: false):
                return giveUp(batch, reason: message)
            case .transportError(let message, retryable: true):
                reason = message
            }

            retry += 1
            let wakeTime = ContinuousClock.now
                + (retryAfter ?? retryPolicy.backoff(beforeRetry: retry, using: &generator))
            guard wakeTime - start <= retryPolicy.maxElapsedTime else {
                let attempts = retry == 1 ? "1 attempt" : "\(retry) attempts"
                return giveUp(batch, reason: "\(reason), still failing after \(attempts)")
            }
            guard queue.sleepForRetry(until: wakeTime) else {
                return giveUp(batch, reason: "\(reason), and shutdown's deadline leaves no time to retry")
            }
            queue.record { $0.retries += 1 }
        }
    }

    private func giveUp(_ batch: [Span], reason: String) {
        log("sonde: OTLP export to \(configuration.endpoint) gave up on \(batch.count) spans: \(reason).")
        queue.record { $0.failed += batch.count }
    }

    /// The statuses the OTLP specification calls retryable.
    private static let retryableStatuses: Set<Int> = [429, 502, 503, 504]
}
