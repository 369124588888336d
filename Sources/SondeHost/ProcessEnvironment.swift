import Foundation

/// The OpenTelemetry variables in a process's environment (/proc/PID/environ).
struct ProcessEnvironment {
    /// `OTEL_SERVICE_NAME`, if set and not empty.
    var serviceName: String?
    /// `OTEL_RESOURCE_ATTRIBUTES` as key/value pairs, in order (values percent-decoded).
    var resourceAttributes: [(String, String)] = []

    init(pid: Int32) {
        self.init(environ: ProcFile.bytes("/proc/\(pid)/environ") ?? [])
    }

    /// Parses NUL-separated `KEY=value` entries.
    init(environ: [UInt8]) {
        for entry in environ.split(separator: 0) {
            let text = String(decoding: entry, as: UTF8.self)
            if let value = text.value(ofVariable: "OTEL_SERVICE_NAME"), !value.isEmpty {
                serviceName = value
            } else if let value = text.value(ofVariable: "OTEL_RESOURCE_ATTRIBUTES") {
                resourceAttributes = Self.parseResourceAttributes(value)
            }
        }
    }

    /// `key1=value1,key2=value2` with percent-encoded values, as the OpenTelemetry spec defines it.
    static func parseResourceAttributes(_ text: String) -> [(String, String)] {
        text.split(separator: ",").compactMap { pair in
            guard let equals = pair.firstIndex(of: "=") else { return nil }
            let key = pair[..<equals].trimmingCharacters(in: .whitespaces)
            let raw = String(pair[pair.index(after: equals)...]).trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { return nil }
            return (key, raw.removingPercentEncoding ?? raw)
        }
    }
}

extension String {
    /// The value of `NAME=value` when this entry is that variable.
    fileprivate func value(ofVariable name: String) -> String? {
        hasPrefix(name + "=") ? String(dropFirst(name.count + 1)) : nil
    }
}
