import Foundation

/// Finds the OpenSSL libraries processes use, from /proc/PID/maps: any mapped file named `libssl*`
/// (`libssl.so.3`, `libssl.so.1.1`, ...) and the process's executable, each kept when it exports
/// `SSL_read` and `SSL_write`. Files are told apart by device and inode, and each is examined once.
///
/// Not thread-safe: use it from one thread at a time.
public final class TLSLibraryFinder: @unchecked Sendable {
    /// The functions Sonde probes; a file must export the first two to qualify.
    public static let probedFunctions: Set<String> = ["SSL_read", "SSL_write", "SSL_read_ex", "SSL_write_ex"]
    private static let requiredFunctions: Set<String> = ["SSL_read", "SSL_write"]

    /// Every file examined so far, with its verdict (nil: no OpenSSL to probe).
    private var verdicts: [FileIdentity: TLSLibrary?] = [:]

    public init() {}

    /// The OpenSSL libraries process `pid` maps now; nil when it is gone.
    public func libraries(ofProcess pid: Int32) -> [TLSLibrary]? {
        guard let maps = ProcFile.text("/proc/\(pid)/maps") else { return nil }
        let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")
        return MappedFile.files(inMaps: maps).compactMap { file in
            if let verdict = verdicts[file.identity] { return verdict }
            let isExecutable = file.path == executable
            guard isExecutable || Self.isNamedLikeLibSSL(file.path) else { return nil }
            let verdict = Self.examine(file, pid: pid, kind: isExecutable ? .executable : .sharedLibrary)
            verdicts[file.identity] = verdict
            return verdict
        }
    }

    /// The OpenSSL libraries of every process running now, with the processes mapping each.
    public func librariesOfAllProcesses() -> [(library: TLSLibrary, pids: [Int32])] {
        var pidsByLibrary: [TLSLibrary: [Int32]] = [:]
        for pid in Self.runningProcesses() {
            for library in libraries(ofProcess: pid) ?? [] { pidsByLibrary[library, default: []].append(pid) }
        }
        return pidsByLibrary.map { ($0.key, $0.value.sorted()) }.sorted { $0.library.path < $1.library.path }
    }

    /// The pids under /proc.
    public static func runningProcesses() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap(Int32.init)
    }

    static func isNamedLikeLibSSL(_ path: String) -> Bool {
        let name = path.split(separator: "/").last ?? ""
        return name.hasPrefix("libssl") && name.contains(".so")
    }

    private static func examine(_ file: MappedFile, pid: Int32, kind: TLSLibrary.Kind) -> TLSLibrary? {
        let hostPath = "/proc/\(pid)/root\(file.path)"
        guard let elf = ELFFile(path: hostPath) else { return nil }
        let functions = elf.exportedFunctions(among: probedFunctions)
        guard functions.isSuperset(of: requiredFunctions) else { return nil }
        return TLSLibrary(identity: file.identity, path: file.path, hostPath: hostPath, kind: kind, functions: functions)
    }
}
