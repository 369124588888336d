import Foundation

/// The real curl client.
public enum Curl {
    /// Runs `curl -s -S ARGUMENTS`, fails on a non-zero exit, and returns what curl wrote to stdout.
    @discardableResult
    public static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-s", "-S"] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw TestSupportError("curl \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(message)")
        }
        return text
    }
}
