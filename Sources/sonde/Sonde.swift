import ArgumentParser
import SondeExport

/// The `sonde` command: eBPF auto-instrumentation for the processes of this host.
@main
struct Sonde: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Trace the requests this host's processes serve and send, from the kernel.",
        discussion: """
            Sonde watches socket syscalls with eBPF, reassembles HTTP/1.x exchanges and turns each \
            request/response pair into an OpenTelemetry span: printed, and exported as OTLP/HTTP JSON \
            when OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set.
            """,
        version: SondeVersion.string,
        subcommands: [RunCommand.self, PrintCommand.self, QueryCommand.self, ReplayCommand.self, DoctorCommand.self, VersionCommand.self],
        defaultSubcommand: RunCommand.self)
}
