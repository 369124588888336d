import Foundation

/// Runs a real program to completion, the way the tests drive clients.
public enum ChildProcess {
    /// Runs `executable ARGUMENTS` with `environment` added to this process's; fails on a non-zero exit
    /// (with what the program wrote to stderr) and returns what it wrote to stdout.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw TestSupportError("\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(message)")
        }
        return text
    }
}
