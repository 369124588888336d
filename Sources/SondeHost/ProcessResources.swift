import Foundation
import SondeModel

/// Builds the OpenTelemetry resource of each traced process from /proc, and remembers it.
///
/// Short-lived clients (curl) often exit before their span is complete, so the tracer calls
/// ``observe(pid:commandName:startedAfterBoot:)`` when it first sees a process, while /proc still has
/// it, with what the kernel told of the process in case /proc no longer does.
public final class ProcessResources: @unchecked Sendable {
    private let lock = NSLock()
    private var resources: [Int32: Resource] = [:]
    private let hostName: String
    private let distroVersion: String

    /// - Parameter distroVersion: Sonde's version, reported as `telemetry.distro.version`.
    public init(distroVersion: String) {
        self.hostName = ProcessInfo.processInfo.hostName
        self.distroVersion = distroVersion
    }

    /// Learns `pid` now if it is new. If /proc is already gone, `commandName` (the kernel's comm) names it
    /// and `startedAfterBoot` (the kernel's start time of the process, nanoseconds after boot) dates it.
    public func observe(pid: Int32, commandName: String? = nil, startedAfterBoot: UInt64? = nil) {
        _ = resource(for: pid, commandName: commandName, startedAfterBoot: startedAfterBoot)
    }

    /// Forgets `pid`: it exited, or executed another program (its next resource is read anew).
    public func forget(pid: Int32) {
        lock.withLock { resources[pid] = nil }
    }

    /// The resource of `pid`, learning it now if needed.
    public func resource(for pid: Int32) -> Resource {
        resource(for: pid, commandName: nil, startedAfterBoot: nil)
    }

    private func resource(for pid: Int32, commandName: String?, startedAfterBoot: UInt64?) -> Resource {
        if let known = lock.withLock({ resources[pid] }) { return known }
        // Read outside the lock: /proc reads are slow and other pids need not wait.
        let resource = Self.read(pid: pid, commandName: commandName, startedAfterBoot: startedAfterBoot,
                                 hostName: hostName, distroVersion: distroVersion)
        lock.withLock { resources[pid] = resource }
        return resource
    }

    static func read(pid: Int32, commandName: String?, startedAfterBoot: UInt64?, hostName: String,
                     distroVersion: String) -> Resource {
        let environment = ProcessEnvironment(pid: pid)
        let executablePath = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")
        let executableName = Self.executableName(
            path: executablePath,
            commandName: Self.commandName(of: pid) ?? commandName)

        var attributes: [Attribute] = []
        // OTEL_RESOURCE_ATTRIBUTES of the process first: the explicit keys below override it.
        for (key, value) in environment.resourceAttributes where !Self.ownKeys.contains(key) {
            attributes.append(Attribute(key, value))
        }
        attributes.append(Attribute("service.name", environment.serviceName ?? executableName))
        attributes.append(Attribute("process.pid", Int(pid)))
        if let started = startedAfterBoot.flatMap(ProcessStartTime.iso8601(nanosecondsAfterBoot:))
            ?? ProcessStartTime.of(pid: pid) {
            attributes.append(Attribute("process.creation.time", started))
        }
        attributes.append(Attribute("process.executable.name", executableName))
        if let executablePath { attributes.append(Attribute("process.executable.path", executablePath)) }
        attributes.append(Attribute("host.name", hostName))
        if let containerID = ContainerID.of(pid: pid) {
            attributes.append(Attribute("container.id", containerID))
        }
        // The process runs no SDK: the telemetry comes from Sonde, whatever the process is written in.
        attributes.append(Attribute("telemetry.sdk.name", "sonde"))
        attributes.append(Attribute("telemetry.sdk.language", ProcessLanguage.of(pid: pid, executablePath: executablePath)))
        attributes.append(Attribute("telemetry.sdk.version", distroVersion))
        attributes.append(Attribute("telemetry.distro.name", "sonde"))
        attributes.append(Attribute("telemetry.distro.version", distroVersion))
        return Resource(attributes: attributes)
    }

    /// The kernel's command name of `pid` (its comm, at most 15 characters); nil when it is gone.
    public static func commandName(of pid: Int32) -> String? {
        ProcFile.text("/proc/\(pid)/comm")?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The name the process runs under. The kernel's command name (what semantic conventions suggest on
    /// Linux) is what was executed, e.g. `redis-server` even where that is a symlink to `redis-check-rdb`;
    /// but it is cut at 15 characters, so the executable's file name is used where it starts the same.
    static func executableName(path: String?, commandName: String?) -> String {
        let fileName = path.map { URL(fileURLWithPath: $0).lastPathComponent }
        guard let commandName, !commandName.isEmpty else { return fileName ?? "unknown" }
        guard let fileName, fileName.hasPrefix(commandName) else { return commandName }
        return fileName
    }

    private static let ownKeys: Set<String> = [
        "service.name", "process.pid", "process.creation.time", "process.executable.name", "process.executable.path", "host.name",
        "container.id", "telemetry.sdk.name", "telemetry.sdk.language", "telemetry.sdk.version",
        "telemetry.distro.name", "telemetry.distro.version",
    ]
}
