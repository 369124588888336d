/// Debian's own Python (/usr/bin/python3), whose ssl module uses the system libssl.
public enum Python {
    /// Runs `source` with `arguments` and `environment` added to this process's; fails on a non-zero exit
    /// and returns what the script wrote to stdout.
    @discardableResult
    public static func run(_ source: String, arguments: [String] = [], environment: [String: String] = [:]) throws -> String {
        try ChildProcess.run("/usr/bin/python3", ["-c", source] + arguments, environment: environment)
    }
}
