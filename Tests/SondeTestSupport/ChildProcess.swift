import Foundation

/// Runs a program to its end, the way a test drives a real client.
public enum ChildProcess {
    /// Runs `executable ARGUMENTS` with `input` on stdin and `environment` added to this process's; fails
    /// on a non-zero exit (with what the program wrote to stderr), and returns what it wrote to stdout.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], input: [UInt8] = [],
                           environment: [String: String] = [:]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        let errors = Pipe()
        let standardInput = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = standardInput
        try process.run()
        standardInput.fileHandleForWriting.write(Data(input))
        try standardInput.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let name = URL(fileURLWithPath: executable).lastPathComponent
            throw TestSupportError("\(name) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): \(message)")
        }
        return text
    }
}
