import ArgumentParser
import SondeExport
import SondeStore

/// The local span store's options, shared by `sonde run` and `sonde print`: on by default.
struct StoreOptions: ParsableArguments {
    @Option(help: "The local span store (SQLite, owner-only).")
    var store: String = StoreConfiguration.defaultPath

    @Flag(help: "Do not keep spans in the local store.")
    var noStore = false

    @Option(help: "Evict the oldest spans while the store holds more than this many MiB.")
    var storeMaxMb: Int = 256

    @Option(help: "Evict spans this much older than the newest: a whole number and s, m, h or d (30m, 2h, 1d).")
    var storeMaxAge: String = "1h"

    func validate() throws {
        guard storeMaxMb > 0 else { throw ValidationError("--store-max-mb must be a positive number of MiB.") }
        guard StoreAge.nanoseconds(storeMaxAge) != nil else {
            throw ValidationError("--store-max-age must be a whole number followed by s, m, h or d, such as 30m or 2h.")
        }
    }

    /// The store to write to, or nil with `--no-store`; throws a ``StoreError`` if it cannot be opened.
    func openStore() throws -> SpanStore? {
        guard !noStore else { return nil }
        let configuration = StoreConfiguration(path: store, maximumBytes: storeMaxMb << 20,
                                               maximumAge: StoreAge.nanoseconds(storeMaxAge) ?? 0)
        return try SpanStore(configuration: configuration)
    }
}

extension SpanStore: SpanSink {}

extension SpanStore {
    /// The closing line about the store on stderr.
    var summaryLine: String {
        "sonde: store \(configuration.path): \(statistics)"
    }
}
