import Foundation

/// The language a traced process is written in, as `telemetry.sdk.language` names it.
///
/// Read from the runtime libraries the process maps (/proc/PID/maps) and, for Go, the executable's
/// `.go.buildinfo` section; other native code (nginx, curl, redis) is reported as `cpp`, the
/// conventions' value for C and C++.
enum ProcessLanguage {
    static func of(pid: Int32, executablePath: String?) -> String {
        let maps = ProcFile.text("/proc/\(pid)/maps") ?? ""
        for (marker, language) in runtimeMarkers where maps.contains(marker) {
            return language
        }
        if let executablePath, ELFFile(path: executablePath)?.sectionNames.contains(".go.buildinfo") == true {
            return "go"
        }
        let name = executablePath.map { URL(fileURLWithPath: $0).lastPathComponent } ?? ""
        for (prefix, language) in executablePrefixes where name.hasPrefix(prefix) {
            return language
        }
        return "cpp"
    }

    /// Libraries a runtime maps into every process it runs.
    private static let runtimeMarkers: [(String, String)] = [
        ("/libjvm.so", "java"), ("/libcoreclr.so", "dotnet"), ("/libpython3", "python"),
        ("/libruby", "ruby"), ("/libphp", "php"), ("/libnode.so", "nodejs"), ("/libswiftCore.so", "swift"),
        ("/beam.smp", "erlang"),
    ]

    /// Interpreters linked statically into their executable.
    private static let executablePrefixes: [(String, String)] = [
        ("python", "python"), ("node", "nodejs"), ("ruby", "ruby"), ("php", "php"), ("java", "java"),
        ("beam", "erlang"), ("dotnet", "dotnet"),
    ]
}
