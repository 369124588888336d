import Foundation

/// The real curl client.
public enum Curl {
    /// Runs `curl -s -S ARGUMENTS`, fails on a non-zero exit, and returns what curl wrote to stdout.
    @discardableResult
    public static func run(_ arguments: [String]) throws -> String {
        try ChildProcess.run("/usr/bin/curl", ["-s", "-S"] + arguments)
    }
}
