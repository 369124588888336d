import Foundation
import GRDB
import SondeStore
import Testing

/// Payloads can hold secrets: the store is readable by its owner only.
@Suite struct StoreFileTests {
    private static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func aNewStoreIsOwnerOnly() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let store = try fixture.openStore()
        store.consume([syntheticSpan(1)])
        // The write-ahead log exists while the store is open: wait for the first flush, then look.
        while try fixture.count("spans") == 0 { Thread.sleep(forTimeInterval: 0.05) }
        #expect(try Self.mode(fixture.path + "-wal") == 0o600)
        store.shutdown()
        #expect(try Self.mode(fixture.path) == 0o600)
        #expect(try Self.mode(URL(fileURLWithPath: fixture.path).deletingLastPathComponent().path) == 0o700)
    }

    @Test func anExistingFileIsTightened() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let directory = URL(fileURLWithPath: fixture.path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: fixture.path, contents: nil, attributes: [.posixPermissions: 0o644]))
        try fixture.openStore().shutdown()
        #expect(try Self.mode(fixture.path) == 0o600)
    }

    @Test func aStoreWithOtherTablesIsMadeAnew() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let first = try fixture.openStore()
        first.consume([syntheticSpan(1), syntheticSpan(2)])
        first.shutdown()
        // As an older Sonde left it: another column in `spans`.
        try DatabaseQueue(path: fixture.path).write { db in try db.execute(sql: "ALTER TABLE \(StoreSchema.spans.partition(0)) ADD COLUMN resource TEXT") }
        let second = try fixture.openStore()
        second.consume([syntheticSpan(3)])
        second.shutdown()
        #expect(try fixture.rows("SELECT * FROM spans", columns: ["latency"]).count == 1)
        #expect(try fixture.reader().read { db in try db.columns(in: "spans").map(\.name) }.last == "attributes")
    }

    @Test func anUnusablePathIsOnePlainSentence() throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        let blocker = fixture.directory.appendingPathComponent("file").path
        #expect(FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8)))
        #expect(throws: StoreError.self) { try SpanStore(configuration: .init(path: blocker + "/spans.db")) }
        do {
            _ = try SpanStore(configuration: .init(path: blocker + "/spans.db"))
        } catch {
            #expect("\(error)" == "cannot open the store \(blocker)/spans.db: Not a directory.")
        }
    }
}
