import Foundation

/// The capabilities Sonde needs to load BPF programs and attach probes.
public struct Privileges: Sendable {
    /// The effective capability mask of this process.
    public let effective: UInt64

    /// Reads this process's effective capabilities.
    public static func current() -> Privileges {
        let status = ProcFile.text("/proc/self/status") ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("CapEff:") }
        let mask = line.flatMap { UInt64($0.dropFirst("CapEff:".count).trimmingCharacters(in: .whitespaces), radix: 16) }
        return Privileges(effective: mask ?? 0)
    }

    public init(effective: UInt64) {
        self.effective = effective
    }

    private static let sysAdmin = 21
    private static let perfmon = 38
    private static let bpf = 39

    private func has(_ capability: Int) -> Bool { effective & (1 << UInt64(capability)) != 0 }

    /// CAP_SYS_ADMIN, or CAP_BPF together with CAP_PERFMON.
    public var canTrace: Bool { has(Self.sysAdmin) || (has(Self.bpf) && has(Self.perfmon)) }

    /// One sentence for a user who lacks them.
    public static let missingMessage =
        "sonde needs root (or CAP_BPF and CAP_PERFMON) to load its kernel probes; run it with sudo."
}
