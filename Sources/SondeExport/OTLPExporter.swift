import Foundation
import SondeModel

/// Sends spans to an OTLP/HTTP collector as JSON, in batches, from its own thread.
///
/// `enqueue` never blocks: spans wait in a bounded queue (`maxQueueSize`; beyond it they are dropped
/// and counted) and go out when `maxExportBatchSize` are waiting or the oldest has waited
/// `scheduleDelay`. Connection errors and HTTP 429/502/503/504 are retried with exponential backoff and
/// jitter (honouring `Retry-After`); other error statuses reject the batch. Every span is counted in
/// `statistics` as exported, dropped, failed or rejected.
public final class OTLPExporter: SpanSink {
    public let configuration: OTLPExporterConfiguration
    private let queue: ExportQueue

    /// Starts the exporter thread. `log` receives one line per rejected or abandoned batch
    /// (by default written to standard error).
    public init(configuration: OTLPExporterConfiguration, retryPolicy: OTLPRetryPolicy = OTLPRetryPolicy(),
                log: @escaping @Sendable (String) -> Void = OTLPExporter.logToStandardError) {
        self.configuration = configuration
        queue = ExportQueue(capacity: configuration.maxQueueSize, batchSize: configuration.maxExportBatchSize,
                            scheduleDelay: configuration.scheduleDelay)
        let worker = ExportWorker(configuration: configuration, retryPolicy: retryPolicy, queue: queue, log: log)
        let thread = Thread { worker.run() }
        thread.name = "sonde-otlp-exporter"
        thread.start()
    }

    /// An exporter released without `shutdown` still sends what it holds, then its thread ends.
    deinit {
        queue.beginShutdown(timeout: configuration.timeout)
    }

    /// Queues `spans` for export; whatever does not fit in the queue is dropped and counted.
    public func enqueue(_ spans: [Span]) {
        queue.enqueue(spans)
    }

    public func consume(_ spans: [Span]) {
        enqueue(spans)
    }

    /// Exports everything queued, retrying for at most `timeout`, stops the exporter thread and returns
    /// the final statistics. Spans still unsent at the deadline count as failed; spans enqueued after
    /// shutdown began count as dropped. Safe to call more than once.
    @discardableResult
    public func shutdown(timeout: Duration) -> OTLPExporterStatistics {
        queue.shutdown(timeout: timeout)
    }

    /// `shutdown(timeout:)` with the configured export timeout.
    public func shutdown() {
        shutdown(timeout: configuration.timeout)
    }

    /// The counts so far.
    public var statistics: OTLPExporterStatistics {
        queue.currentStatistics
    }

    /// Writes `line` and a newline to standard error.
    public static func logToStandardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
