import Foundation
import SondeQuery
import SondeTestSupport
import Testing

/// `sonde query` as a user runs it: results on stdout, one sentence on stderr when it cannot go on.
@Suite struct QueryCommandTests {
    private func sonde(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = try SondeProcess(arguments: ["query"] + arguments, waitForTracing: false)
        let status = process.waitForExit()
        return (status, process.standardOutput, process.standardError)
    }

    /// A store whose rows are a second old at the wall clock, so '-5m' windows hold them.
    private func store() throws -> TestStore {
        let store = try TestStore()
        let ago = (QueryEngine.wallClockNow() - TestStore.now) / 1_000_000_000 - 1
        try store.insert([
            .init(secondsAgo: -ago, path: "/a", status: 200, latency: 2_000_000),
            .init(secondsAgo: -ago, path: "/a", status: 503, latency: 4_000_000),
            .init(secondsAgo: -ago, path: "/b", status: 200, latency: 1_000),
        ])
        return store
    }

    @Test func scriptArgumentFileAndBundledScript() throws {
        let store = try store()
        let script = "import px; df = px.DataFrame(table='http_events', start_time='-5m')\n"
            + "px.display(df.groupby('req_path').agg(n=('latency', px.count), slowest=('latency', px.max)), 'paths')"
        let csv = try sonde([script, "--store", store.path, "--format", "csv"])
        #expect(csv.status == 0)
        #expect(csv.output == "req_path,n,slowest\n/a,2,4000000\n/b,1,1000\n")
        let file = store.directory.appendingPathComponent("paths.pxl")
        try Data(script.utf8).write(to: file)
        let json = try sonde(["-f", file.path, "--store", store.path])
        #expect(json.output == """
            {"name":"paths","columns":[{"name":"req_path","type":"string"},{"name":"n","type":"int64"},{"name":"slowest","type":"duration"}],"rows":[{"req_path":"/a","n":2,"slowest":4000000},{"req_path":"/b","n":1,"slowest":1000}]}

            """)
        let table = try sonde(["--script", "http_request_stats", "--store", store.path, "--format", "table"])
        #expect(table.output == """
            http_request_stats (2 rows)
            service  req_path  requests  req_bytes  resp_bytes  error_rate  latency_p50  latency_p90  latency_p99
            -------  --------  --------  ---------  ----------  ----------  -----------  -----------  -----------
            api      /a               2          0           0      0.5000       2.00ms       4.00ms       4.00ms
            api      /b               1          0           0           0       1.00µs       1.00µs       1.00µs

            """)
    }

    @Test func failuresAreOneSentence() throws {
        let store = try store()
        let missing = try sonde(["--script", "http_data", "--store", "/nonexistent/spans.db"])
        #expect(missing.status == 1)
        #expect(missing.output.isEmpty)
        #expect(missing.errors == "sonde: no span store at /nonexistent/spans.db; start `sonde run` or fill one with "
                + "`sonde replay FILE --store /nonexistent/spans.db`\n")
        let malformed = try sonde(["import px\ndf = px.DataFrame(table='http_events'", "--store", store.path])
        #expect(malformed.status == 1)
        #expect(malformed.errors == "sonde: line 2, column 38: expected ')' to close the call opened at line 2, column 18, "
                + "found the end of the script\n")
        let unknown = try sonde(["--script", "http_stats", "--store", store.path])
        #expect(unknown.errors == "sonde: no bundled script 'http_stats'; there are http_data, http_request_stats, mysql_stats, redis_data\n")
        let none = try sonde(["--store", store.path])
        #expect(none.status != 0)
        #expect(none.errors.hasPrefix("Error: Give exactly one script: as an argument, with -f FILE or with --script NAME.\n"))
    }

    @Test func describesTheCatalog() throws {
        let lines = try sonde(["--describe"]).output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.filter { !$0.hasPrefix(" ") && !$0.isEmpty }.map { String($0.prefix { $0 != ":" }) }
                == ["http_events", "mysql_events", "redis_events", "spans", "process"])
        #expect(lines.contains("  latency         duration  From the request's first byte to the response's last, in ns"))
        #expect(lines.contains("  resp_status     int64     Response status code"))
    }

    @Test func listsTheBundledScripts() throws {
        let list = try sonde(["--list-scripts"])
        #expect(list.output.split(separator: "\n").map { String($0.prefix { $0 != " " }) }
                == ["http_data", "http_request_stats", "mysql_stats", "redis_data"])
    }
}
