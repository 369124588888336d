import Foundation

/// The language a traced process is written in, as `telemetry.sdk.language` names it.
///
/// Read from the runtime libraries the process maps (/proc/PID/maps) and, for Go, the executable's
/// `.go.buildinfo` section; other native code (nginx, curl, redis) is reported as `cpp`, the
/// conventions' value for C and C++.
enum ProcessLanguage {
    static func of(pid: Int32, executablePath: String?) -> String {
        let maps = ProcFile.text("/proc/\(pid)/maps") ?? ""
        for (marker, language) in runtimeMarkers where maps.contains(marker) {
            return language
        }
        if let executablePath, ELFSections.names(ofFile: executablePath).contains(".go.buildinfo") {
            return "go"
        }
        let name = executablePath.map { URL(fileURLWithPath: $0).lastPathComponent } ?? ""
        for (prefix, language) in executablePrefixes where name.hasPrefix(prefix) {
            return language
        }
        return "cpp"
    }

    /// Libraries a runtime maps into every process it runs.
    private static let runtimeMarkers: [(String, String)] = [
        ("/libjvm.so", "java"), ("/libcoreclr.so", "dotnet"), ("/libpython3", "python"),
        ("/libruby", "ruby"), ("/libphp", "php"), ("/libnode.so", "nodejs"), ("/libswiftCore.so", "swift"),
        ("/beam.smp", "erlang"),
    ]

    /// Interpreters linked statically into their executable.
    private static let executablePrefixes: [(String, String)] = [
        ("python", "python"), ("node", "nodejs"), ("ruby", "ruby"), ("php", "php"), ("java", "java"),
        ("beam", "erlang"), ("dotnet", "dotnet"),
    ]
}

/// Section names of a 64-bit little-endian ELF file, read from its section header table.
enum ELFSections {
    static func names(ofFile path: String) -> [String] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        func read(_ offset: UInt64, _ count: Int) -> [UInt8] {
            guard (try? handle.seek(toOffset: offset)) != nil, let data = try? handle.read(upToCount: count) else { return [] }
            return [UInt8](data)
        }
        let header = read(0, 64)
        guard header.count == 64, header[0..<4] == [0x7F, 0x45, 0x4C, 0x46], header[4] == 2, header[5] == 1 else { return [] }
        let sectionTable = header.integer(at: 0x28, as: UInt64.self)
        let entrySize = Int(header.integer(at: 0x3A, as: UInt16.self))
        let count = Int(header.integer(at: 0x3C, as: UInt16.self))
        let namesIndex = Int(header.integer(at: 0x3E, as: UInt16.self))
        guard entrySize >= 64, count > 0, count < 4096, namesIndex < count else { return [] }
        let table = read(sectionTable, entrySize * count)
        guard table.count == entrySize * count else { return [] }
        let namesEntry = namesIndex * entrySize
        let strings = read(table.integer(at: namesEntry + 0x18, as: UInt64.self),
                           Int(min(table.integer(at: namesEntry + 0x20, as: UInt64.self), 1 << 20)))
        return (0..<count).compactMap { index in
            let start = Int(table.integer(at: index * entrySize, as: UInt32.self))
            guard start < strings.count else { return nil }
            return String(decoding: strings[start...].prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}

extension Array where Element == UInt8 {
    /// The little-endian integer at `offset`.
    fileprivate func integer<T: FixedWidthInteger>(at offset: Int, as type: T.Type) -> T {
        var value: T = 0
        for index in (0..<MemoryLayout<T>.size).reversed() { value = value << 8 | T(self[offset + index]) }
        return value
    }
}
