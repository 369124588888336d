import ArgumentParser
import Foundation
import SondeQuery

/// `sonde query`: a PxL-like script over the recent-span store, run by SQLite, printed as tables.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Query the recent-span store with a PxL-like script.",
        discussion: """
            Give the script as an argument, with -f FILE, or by name with --script (see --list-scripts). \
            The store is opened read-only, so a running `sonde run --store` is never blocked. Output: \
            aligned tables on a terminal (times as UTC timestamps, latencies as durations), JSON lines \
            otherwise; --format json|csv print raw values (times and durations in nanoseconds).
            """)

    @Argument(help: "The script text (statements end at a line break or ';').")
    var text: String?

    @Option(name: [.customShort("f"), .customLong("file")], help: "Read the script from this file.")
    var file: String?

    @Option(name: .customLong("script"), help: "Run a bundled script: http_data, http_request_stats, mysql_stats, redis_data.")
    var bundledScript: String?

    @Flag(help: "List the bundled scripts and exit.")
    var listScripts = false

    @Flag(help: "List the store's tables and columns (with types) and exit.")
    var describe = false

    @Option(help: "The span store.")
    var store = "/var/lib/sonde/spans.db"

    @Option(help: "table, json or csv (default: table on a terminal, json otherwise).")
    var format: ResultFormat?

    func validate() throws {
        let sources = [text != nil, file != nil, bundledScript != nil].filter { $0 }.count
        guard listScripts || describe || sources == 1 else {
            throw ValidationError("Give exactly one script: as an argument, with -f FILE or with --script NAME.")
        }
    }

    func run() throws {
        if describe {
            print(CatalogDescription.text, terminator: "")
            return
        }
        if listScripts {
            for script in BundledScript.all {
                print(script.name.padding(toLength: 20, withPad: " ", startingAt: 0) + script.summary)
            }
            return
        }
        let script = try CommandFailure.reporting { try scriptText() }
        let tables = try CommandFailure.reporting { try QueryEngine(storePath: store).run(script) }
        let format = self.format ?? (isatty(STDOUT_FILENO) == 1 ? .table : .json)
        print(format.render(tables), terminator: "")
    }

    private func scriptText() throws -> String {
        if let text { return text }
        if let file {
            guard let contents = FileManager.default.contents(atPath: file) else {
                throw QueryError("cannot read the script file \(file)", at: nil)
            }
            return String(decoding: contents, as: UTF8.self)
        }
        let name = bundledScript ?? ""
        guard let script = BundledScript.named(name) else {
            throw QueryError("no bundled script '\(name)'; there are \(BundledScript.all.map(\.name).joined(separator: ", "))",
                             at: nil)
        }
        return script.text
    }
}

extension ResultFormat: ExpressibleByArgument {}
