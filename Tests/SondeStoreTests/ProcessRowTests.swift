import SondeModel
import SondeStore
import Testing

/// `process` holds one row per process identity (`pid:start_ns`), with the last time one of its spans ended.
@Suite struct ProcessRowTests {
    private static func span(pid: Int, started: String, endingAt seconds: UInt64, name: String) -> Span {
        var span = syntheticSpan(seconds)
        span.resource = Resource(attributes: [
            Attribute("service.name", name), Attribute("process.pid", pid),
            Attribute("process.creation.time", started), Attribute("process.executable.name", name),
            Attribute("container.id", "c0ffee"),
        ])
        return span
    }

    @Test func eachProcessIsOneRowLastSeenAtItsNewestSpan() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let store = try fixture.openStore()
        store.consume([
            Self.span(pid: 42, started: "2026-11-21T10:00:00.250Z", endingAt: 3, name: "nginx"),
            Self.span(pid: 42, started: "2026-11-21T10:00:00.250Z", endingAt: 1, name: "nginx"),
            Self.span(pid: 7, started: "2026-11-21T10:00:01Z", endingAt: 2, name: "curl"),
        ])
        store.shutdown()
        // The same pid started again later is another process.
        let again = try fixture.openStore()
        again.consume([Self.span(pid: 42, started: "2026-11-21T11:00:00.000Z", endingAt: 9, name: "nginx")])
        again.shutdown()

        #expect(try fixture.rows("SELECT * FROM process ORDER BY upid",
                                 columns: ["upid", "pid", "name", "service", "container_id", "time_"]) == [
            #""42:1795255200250000000" | 42 | "nginx" | "nginx" | "c0ffee" | 1795000003000000000"#,
            #""42:1795258800000000000" | 42 | "nginx" | "nginx" | "c0ffee" | 1795000009000000000"#,
            #""7:1795255201000000000" | 7 | "curl" | "curl" | "c0ffee" | 1795000002000000000"#,
        ])
        #expect(try fixture.count("http_events JOIN process USING (upid)") == 4)
    }
}
