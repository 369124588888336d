import Foundation
import SondeModel

/// What the store keeps of a span's resource: the process that produced it. Worked out once per resource
/// (see ``ResourceFactsCache``), not once per span.
final class ResourceFacts {
    let resource: Resource
    let pid: Int64?
    /// `pid:start_ns` (start 0 when `process.creation.time` is unknown); nil without a pid.
    let upid: String?
    let service: String?
    let executableName: String?
    let containerID: String?
    /// The resource's attributes as a JSON object.
    let json: String

    init(_ resource: Resource) {
        let attributes = resource.attributes
        self.resource = resource
        pid = attributes["process.pid"]?.integer
        let start = attributes["process.creation.time"].flatMap { Self.nanoseconds(iso8601: $0.description) } ?? 0
        upid = pid.map { "\($0):\(start)" }
        service = attributes["service.name"]?.description
        executableName = attributes["process.executable.name"]?.description
        containerID = attributes["container.id"]?.description
        json = JSONText.object(attributes)
    }

    /// Nanoseconds since the epoch of an ISO 8601 time such as `2026-11-21T10:21:16.25Z`.
    static func nanoseconds(iso8601 text: String) -> Int64? {
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        guard let date = (try? style.parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text)) else { return nil }
        return Int64((date.timeIntervalSince1970 * 1000).rounded()) * 1_000_000
    }
}
