/// Where and how the OTLP exporter sends spans, read from the standard OpenTelemetry variables.
public struct OTLPExporterConfiguration: Hashable, Sendable {
    /// How request bodies are compressed.
    public enum Compression: String, Hashable, Sendable {
        case none
        case gzip
    }

    /// The full traces URL, e.g. `http://127.0.0.1:4318/v1/traces`.
    public var endpoint: String
    /// Extra request headers (`OTEL_EXPORTER_OTLP_HEADERS`), values URL-decoded.
    public var headers: [String: String]
    public var compression: Compression
    /// The limit for one export request.
    public var timeout: Duration
    /// The longest a span waits in the queue before its batch is sent (`OTEL_BSP_SCHEDULE_DELAY`).
    public var scheduleDelay: Duration
    /// Spans waiting beyond this many are dropped and counted (`OTEL_BSP_MAX_QUEUE_SIZE`).
    public var maxQueueSize: Int
    /// The most spans sent in one request (`OTEL_BSP_MAX_EXPORT_BATCH_SIZE`).
    public var maxExportBatchSize: Int

    public init(endpoint: String, headers: [String: String] = [:], compression: Compression = .none,
                timeout: Duration = .milliseconds(10_000), scheduleDelay: Duration = .milliseconds(5_000),
                maxQueueSize: Int = 2048, maxExportBatchSize: Int = 512) {
        self.endpoint = endpoint
        self.headers = headers
        self.compression = compression
        self.timeout = timeout
        self.scheduleDelay = scheduleDelay
        self.maxQueueSize = maxQueueSize
        self.maxExportBatchSize = maxExportBatchSize
    }

    /// The configuration the `OTEL_EXPORTER_OTLP_*` and `OTEL_BSP_*` variables in `environment` describe,
    /// or nil when neither `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` nor `OTEL_EXPORTER_OTLP_ENDPOINT` is set.
    /// Traces-specific variables take precedence over the general ones; empty values count as unset.
    public init?(environment: [String: String]) throws(OTLPConfigurationError) {
        let variables = EnvironmentVariables(environment)

        let endpoint: String
        if let (name, value) = variables.value(of: "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") {
            endpoint = try Self.validatedURL(value, variable: name)
        } else if let (name, value) = variables.value(of: "OTEL_EXPORTER_OTLP_ENDPOINT") {
            let base = try Self.validatedURL(value, variable: name)
            endpoint = base.hasSuffix("/") ? base + "v1/traces" : base + "/v1/traces"
        } else {
            return nil
        }

        if let (name, value) = variables.tracesOrGeneral("PROTOCOL"), value != "http/json" {
            throw OTLPConfigurationError(
                "\(name) is '\(value)', but Sonde only supports the http/json protocol.")
        }

        var compression = Compression.none
        if let (name, value) = variables.tracesOrGeneral("COMPRESSION") {
            guard let parsed = Compression(rawValue: value) else {
                throw OTLPConfigurationError("\(name) is '\(value)', but only 'gzip' and 'none' are supported.")
            }
            compression = parsed
        }

        var headers: [String: String] = [:]
        if let (name, value) = variables.tracesOrGeneral("HEADERS") {
            headers = try Self.parseHeaders(value, variable: name)
        }

        let timeout = try variables.tracesOrGeneral("TIMEOUT").map { name, value throws(OTLPConfigurationError) in
            try Self.milliseconds(value, variable: name, allowZero: true)
        } ?? 10_000
        let scheduleDelay = try variables.value(of: "OTEL_BSP_SCHEDULE_DELAY").map {
            name, value throws(OTLPConfigurationError) in
            try Self.milliseconds(value, variable: name, allowZero: true)
        } ?? 5_000
        let maxQueueSize = try variables.value(of: "OTEL_BSP_MAX_QUEUE_SIZE").map {
            name, value throws(OTLPConfigurationError) in
            try Self.positiveInteger(value, variable: name)
        } ?? 2048
        let maxExportBatchSize = try variables.value(of: "OTEL_BSP_MAX_EXPORT_BATCH_SIZE").map {
            name, value throws(OTLPConfigurationError) in
            try Self.positiveInteger(value, variable: name)
        } ?? 512
        guard maxExportBatchSize <= maxQueueSize else {
            throw OTLPConfigurationError("OTEL_BSP_MAX_EXPORT_BATCH_SIZE (\(maxExportBatchSize)) must not be "
                                         + "larger than OTEL_BSP_MAX_QUEUE_SIZE (\(maxQueueSize)).")
        }

        self.init(endpoint: endpoint, headers: headers, compression: compression,
                  timeout: .milliseconds(timeout), scheduleDelay: .milliseconds(scheduleDelay),
                  maxQueueSize: maxQueueSize, maxExportBatchSize: maxExportBatchSize)
    }

    private static func validatedURL(_ value: String, variable: String) throws(OTLPConfigurationError) -> String {
        let lowered = value.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"), value.utf8.count > "https://".utf8.count
        else {
            throw OTLPConfigurationError("\(variable) is '\(value)', but it must be an http:// or https:// URL.")
        }
        return value
    }

    private static func milliseconds(_ value: String, variable: String,
                                     allowZero: Bool) throws(OTLPConfigurationError) -> Int {
        guard let number = Int(value), number > 0 || (allowZero && number == 0) else {
            throw OTLPConfigurationError(
                "\(variable) is '\(value)', but it must be a whole number of milliseconds.")
        }
        return number
    }

    private static func positiveInteger(_ value: String, variable: String) throws(OTLPConfigurationError) -> Int {
        guard let number = Int(value), number > 0 else {
            throw OTLPConfigurationError("\(variable) is '\(value)', but it must be a whole number above zero.")
        }
        return number
    }

    /// Parses `key=value,key2=value2` (the W3C baggage form), URL-decoding keys and values.
    private static func parseHeaders(_ value: String,
                                     variable: String) throws(OTLPConfigurationError) -> [String: String] {
        var headers: [String: String] = [:]
        for entry in value.split(separator: ",", omittingEmptySubsequences: true) {
            guard let equals = entry.firstIndex(of: "="),
                  let key = percentDecoded(entry[..<equals].trimmingSpaces),
                  let headerValue = percentDecoded(entry[entry.index(after: equals)...].trimmingSpaces),
                  !key.isEmpty
            else {
                throw OTLPConfigurationError(
                    "\(variable) holds '\(entry)', but each header must be written key=value.")
            }
            headers[key] = headerValue
        }
        return headers
    }

    /// `text` with `%XX` escapes decoded; nil if an escape is malformed or the result is not UTF-8.
    private static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Environment lookups with the OpenTelemetry rules: surrounding spaces ignored, empty means unset.
private struct EnvironmentVariables {
    let environment: [String: String]

    init(_ environment: [String: String]) {
        self.environment = environment
    }

    /// The variable's name and trimmed value, if it is set to something.
    func value(of name: String) -> (String, String)? {
        guard let value = environment[name]?.trimmingSpaces, !value.isEmpty else { return nil }
        return (name, String(value))
    }

    /// `OTEL_EXPORTER_OTLP_TRACES_<suffix>` if set, else `OTEL_EXPORTER_OTLP_<suffix>`.
    func tracesOrGeneral(_ suffix: String) -> (String, String)? {
        value(of: "OTEL_EXPORTER_OTLP_TRACES_" + suffix) ?? value(of: "OTEL_EXPORTER_OTLP_" + suffix)
    }
}

extension StringProtocol {
    fileprivate var trimmingSpaces: SubSequence {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return self[endIndex...]
        }
        return self[first...last]
    }
}
