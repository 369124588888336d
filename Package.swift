// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Sonde",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "sonde", targets: ["sonde"]),
        .executable(name: "sonde-bench", targets: ["sonde-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio-http2", from: "1.46.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/ordo-one/malloc-interposer", from: "1.6.1"),
    ],
    targets: [
        // Value types shared by every layer: events in, spans out.
        .target(name: "SondeModel"),

        // C: the event structs shared with bpf/, and typed shims over system libraries.
        .target(name: "SondeABI"),
        .systemLibrary(name: "CLibbpf", pkgConfig: "libbpf",
                       providers: [.apt(["libbpf-dev", "libelf-dev", "zlib1g-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),

        // Pure protocol parsers and stitchers: bytes in, exchanges out.
        .target(name: "SondeProtocols", dependencies: [
            "SondeModel",
            .product(name: "NIOHPACK", package: "swift-nio-http2"),
        ]),

        // Connection tracking, stream reassembly, protocol inference, span building.
        .target(name: "SondePipeline", dependencies: ["SondeProtocols", "SondeModel"]),

        // OTLP/JSON encoding, the libcurl exporter and the printers.
        .target(name: "SondeExport", dependencies: ["CCurl", "SondeModel"],
                linkerSettings: [.linkedLibrary("z")]),

        // pcap and pcapng captures read into the events live tracing produces (`sonde replay`).
        .target(name: "SondeCapture", dependencies: ["SondeModel"]),

        // The recent-span store: SQLite through GRDB, tables with Pixie's column names.
        .target(name: "SondeStore", dependencies: ["SondeModel", .product(name: "GRDB", package: "GRDB.swift")]),

        // The PxL-like query language over the store: parsed, planned into SQL, run by SQLite (`sonde query`).
        .target(name: "SondeQuery", dependencies: ["SondeStore", .product(name: "GRDB", package: "GRDB.swift")]),

        // Facts of the live host read from /proc and /sys: processes, clocks, privileges.
        .target(name: "SondeHost", dependencies: ["SondeModel"]),

        // The kernel side: BPF object (built from bpf/ by the plugin), attach plans, ring buffer.
        .target(name: "SondeBPF",
                dependencies: ["CLibbpf", "SondeABI", "SondeHost", "SondeModel"],
                plugins: ["BPFObjectPlugin"]),

        .plugin(name: "BPFObjectPlugin", capability: .buildTool()),

        .executableTarget(name: "sonde", dependencies: [
            "SondeBPF", "SondeCapture", "SondePipeline", "SondeExport", "SondeHost", "SondeModel", "SondeQuery", "SondeStore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "GRDB", package: "GRDB.swift"),  // SondeStore's public API names GRDB types
        ]),

        // Benchmarks: one subcommand per benchmark, figures printed side by side.
        .executableTarget(name: "sonde-bench", dependencies: [
            "SondeCapture", "SondePipeline", "SondeProtocols", "SondeExport", "SondeModel", "SondeBPF", "SondeHost", "CLibbpf",
            "SondeQuery", "SondeStore", .product(name: "GRDB", package: "GRDB.swift"),
            // FixtureChunk (the recorded connections `pipeline` replays); the real servers and the `sonde`
            // child process of `overhead`.
            "SondeTestSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            // Counts the allocations `pipeline` reports: linked in, its malloc/free come before libc's.
            .product(name: "MallocInterposerSwift", package: "malloc-interposer"),
        ]),

        .testTarget(name: "SondeProtocolsTests", dependencies: ["SondeProtocols", "SondeModel", "SondeTestSupport"]),
        .testTarget(name: "SondePipelineTests", dependencies: ["SondePipeline", "SondeProtocols", "SondeModel", "SondeTestSupport"]),
        // Test support: a real OTLP collector (rotel-agent) and the spans it received.
        .target(name: "SondeTestSupport", dependencies: ["SondeModel"], path: "Tests/SondeTestSupport"),

        .testTarget(name: "SondeCaptureTests",
                    dependencies: ["SondeCapture", "SondePipeline", "SondeModel", "SondeTestSupport"]),
        .testTarget(name: "SondeHostTests", dependencies: ["SondeHost", "SondeModel"]),
        .testTarget(name: "SondeBPFTests", dependencies: ["SondeBPF"]),
        .testTarget(name: "SondeExportTests", dependencies: ["SondeExport", "SondeModel", "SondeTestSupport"]),
        .testTarget(name: "SondeQueryTests", dependencies: [
            "SondeQuery", "SondeStore", "SondeCapture", "SondePipeline", "SondeModel", "SondeTestSupport",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "SondeEndToEndTests", dependencies: ["SondeModel", "SondeTestSupport",
                                                               .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "SondeStoreTests", dependencies: [
            "SondeStore", "SondeCapture", "SondePipeline", "SondeProtocols", "SondeModel", "SondeTestSupport",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
    ]
)

// Release builds leave out Swift's run-time exclusivity checks (each access to a class's stored property
// registered and looked up in a thread-local set). Measured on the tracer's hot path (ConnectionTracker,
// HTTP1Session): about 8% of its CPU, and HTTP/1 spans/s in `sonde-bench pipeline` rose by 15-20%. Debug
// builds, the ones `swift test` runs, keep the checks, so a violation is still caught there.
for target in package.targets where target.type == .regular || target.type == .executable {
    target.swiftSettings = (target.swiftSettings ?? [])
        + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
}
