import ArgumentParser
import SondeBPF
import SondePipeline

extension ProbeMode: ExpressibleByArgument {}

/// The options of every command that attaches to the kernel.
struct TracingOptions: ParsableArguments {
    @Option(help: "How to attach to socket syscalls: auto (kprobes where the kernel has them, else tracepoints), kprobe or tracepoint.")
    var probeMode: ProbeMode = .auto

    @Option(help: "Trace only this process id.")
    var pid: Int32?

    @Option(help: "Trace only connections whose local or remote port is this.")
    var port: UInt16?

    @Option(help: "Trace only processes with this executable name (first 15 characters, as the kernel keeps it).")
    var exe: String?

    @Option(help: "Payload bytes captured per call, 1 to \(KernelTracerConfiguration.maximumCaptureSize); larger calls keep their real size.")
    var captureSize: Int = KernelTracerConfiguration().captureSize

    @Option(help: "Ring buffer size in MiB (a power of two).")
    var ringBufferMb: Int = 8

    @Flag(help: "Do not probe OpenSSL: TLS connections are then not parsed (their ciphertext is ignored).")
    var noTLS = false

    @Option(help: "Stop after this many seconds (default: run until SIGINT or SIGTERM).")
    var duration: Double?

    @Flag(help: "Show argument values in db.query.text (by default only command and key names; values are '?').")
    var dbQueryValues = false

    @Flag(help: "Attach every probe but let each return at once: nothing is captured (what probing alone costs the traced processes).")
    var probeOnly = false

    @Flag(help: "Show libbpf's warnings.")
    var verbose = false

    func validate() throws {
        guard (1...KernelTracerConfiguration.maximumCaptureSize).contains(captureSize) else {
            throw ValidationError("--capture-size must be between 1 and \(KernelTracerConfiguration.maximumCaptureSize).")
        }
        guard ringBufferMb > 0, ringBufferMb & (ringBufferMb - 1) == 0, ringBufferMb <= 1024 else {
            throw ValidationError("--ring-buffer-mb must be a power of two from 1 to 1024.")
        }
        if let duration, !(duration > 0) { throw ValidationError("--duration must be a positive number of seconds.") }
    }

    var kernelConfiguration: KernelTracerConfiguration {
        var configuration = KernelTracerConfiguration()
        configuration.probeMode = probeMode
        configuration.pid = pid
        configuration.port = port
        configuration.executableName = exe
        configuration.captureSize = captureSize
        configuration.ringBufferSize = ringBufferMb << 20
        configuration.traceTLS = !noTLS
        configuration.probeOnly = probeOnly
        configuration.verbose = verbose
        return configuration
    }

    var trackerConfiguration: ConnectionTracker.Configuration {
        ConnectionTracker.Configuration(spanOptions: SpanOptions(includesQueryValues: dbQueryValues))
    }
}
