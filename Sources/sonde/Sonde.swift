import ArgumentParser

/// The `sonde` command: eBPF auto-instrumentation for the processes of this host.
@main
struct Sonde: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Trace the requests this host's processes serve and send, from the kernel.")
}
