import PackagePlugin

/// Placeholder: compiles bpf/*.bpf.c into an embedded object (lands with the BPF side).
@main
struct BPFObjectPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] { [] }
}
