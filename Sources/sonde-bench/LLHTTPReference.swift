import Foundation
import SondeTestSupport

/// The HTTP/1 reference parser: llhttp, through Python's httptools, run by scripts/llhttp_parse.py on the
/// same connections and chunks Sonde parses. The script times only its parse loop.
struct LLHTTPReference: Decodable {
    /// One way the script parsed: the median time of a measurement, and what it covered.
    struct Figures: Decodable {
        var seconds: Double
        var bytes: Int
        var messages: Int
    }

    /// The httptools version.
    var version: String
    /// Callbacks into Python only at message completion.
    var bare: Figures
    /// Method, target, headers and status handed to Python as well.
    var fields: Figures

    private enum CodingKeys: String, CodingKey {
        case version = "httptools", bare, fields
    }

    /// Runs `script` over `connections`, each parsed `rounds` times per measurement.
    static func measure(_ connections: [RecordedConnection], rounds: Int, repetitions: Int,
                        script: String) throws -> LLHTTPReference {
        guard FileManager.default.fileExists(atPath: script) else {
            throw BenchmarkFailure("The llhttp reference script \(script) is missing (see --reference-script).")
        }
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("sonde-bench-llhttp-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try connections.enumerated().map { index, connection in
            let file = folder.appendingPathComponent("\(index).chunks")
            try Data(FixtureChunk.serialize(connection.chunks)).write(to: file)
            return file.path
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script, String(rounds), String(repetitions)] + files
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        let complaint = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let reference = try? JSONDecoder().decode(LLHTTPReference.self, from: printed) else {
            let reason = complaint.split(separator: "\n").last.map(String.init) ?? "no output"
            throw BenchmarkFailure("The llhttp reference (/usr/bin/python3 \(script)) failed: \(reason) "
                                   + "(scripts/setup.sh installs httptools).")
        }
        let expectedBytes = rounds * connections.reduce(0) { $0 + $1.byteCount }
        guard reference.bare.bytes == expectedBytes, reference.bare.messages > 0 else {
            throw BenchmarkFailure("The llhttp reference parsed \(reference.bare.bytes) bytes, \(expectedBytes) expected.")
        }
        return reference
    }
}
