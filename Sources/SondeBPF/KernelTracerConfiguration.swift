import SondeABI

/// What the kernel side captures and from whom.
public struct KernelTracerConfiguration: Sendable {
    public var probeMode: ProbeMode = .auto
    /// Payload bytes captured per call (at most ``maximumCaptureSize``); the real size is always kept.
    public var captureSize: Int = Int(SONDE_DEFAULT_CAPTURE)
    /// Ring buffer size in bytes (a power of two, at least one page).
    public var ringBufferSize: Int = 8 << 20
    /// Only this process, when set.
    public var pid: Int32?
    /// Only connections whose local or remote port is this, when set.
    public var port: UInt16?
    /// Only processes whose executable name (the kernel's 15-character comm) is this, when set.
    public var executableName: String?
    /// ``executableName`` as the kernel's comm holds it, its first 15 bytes: what the in-kernel filter and
    /// the TLS library watcher compare.
    var commandName: [UInt8]? { executableName.map { Array($0.utf8.prefix(Int(SONDE_COMM_LEN) - 1)) } }
    /// Capture TLS plaintext through uprobes on OpenSSL (when the kernel has uprobes).
    public var traceTLS = true
    /// Attach every probe but let each program return at once: nothing is captured or sent to user space.
    /// What tracing costs the traced processes at the least (the floor the overhead benchmark compares to).
    public var probeOnly = false
    /// libbpf's warnings on stderr.
    public var verbose = false

    public static let maximumCaptureSize = Int(SONDE_MAX_CAPTURE)

    public init() {}
}
