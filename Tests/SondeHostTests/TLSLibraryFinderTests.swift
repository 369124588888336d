import Foundation
import Testing
@testable import SondeHost

/// Finding OpenSSL in running processes: /proc/PID/maps lines, exported functions, and a real Python.
struct TLSLibraryFinderTests {
    @Test func mapsLinesGiveEachMappedFileOnceWithItsIdentity() {
        let maps = """
            55d0c0a00000-55d0c0a1c000 r--p 00000000 fe:01 1054          /usr/bin/curl
            55d0c0a1c000-55d0c0a3b000 r-xp 0001c000 fe:01 1054          /usr/bin/curl
            7f1e2c000000-7f1e2c021000 rw-p 00000000 00:00 0
            7f1e2d200000-7f1e2d25c000 r--p 00000000 fe:01 20913         /usr/lib/x86_64-linux-gnu/libssl.so.3
            7f1e2d25c000-7f1e2d2b8000 r-xp 0005c000 fe:01 20913         /usr/lib/x86_64-linux-gnu/libssl.so.3
            7f1e2d400000-7f1e2d401000 r-xp 00000000 fe:01 30001         /tmp/old/libssl.so.3 (deleted)
            7f1e2d500000-7f1e2d501000 r-xp 00000000 00:1f 77            /opt/my app/lib/libssl.so.1.1
            7ffd6b1d5000-7ffd6b1f6000 rw-p 00000000 00:00 0             [stack]
            """
        #expect(MappedFile.files(inMaps: maps) == [
            MappedFile(path: "/usr/bin/curl", identity: FileIdentity(device: "fe:01", inode: 1054)),
            MappedFile(path: "/usr/lib/x86_64-linux-gnu/libssl.so.3", identity: FileIdentity(device: "fe:01", inode: 20913)),
            MappedFile(path: "/opt/my app/lib/libssl.so.1.1", identity: FileIdentity(device: "00:1f", inode: 77)),
        ])
    }

    @Test func onlyFilesNamedLikeLibSSLAreExaminedAsLibraries() {
        #expect(TLSLibraryFinder.isNamedLikeLibSSL("/usr/lib/x86_64-linux-gnu/libssl.so.3"))
        #expect(TLSLibraryFinder.isNamedLikeLibSSL("/opt/openssl/lib64/libssl.so.1.1"))
        #expect(!TLSLibraryFinder.isNamedLikeLibSSL("/usr/lib/x86_64-linux-gnu/libcrypto.so.3"))
        #expect(!TLSLibraryFinder.isNamedLikeLibSSL("/usr/lib/libssl-helper.a"))
    }

    @Test func libsslExportsTheFourProbedFunctionsAndLibcryptoNone() throws {
        let libssl = try #require(ELFFile(path: "/usr/lib/x86_64-linux-gnu/libssl.so.3"))
        #expect(libssl.exportedFunctions(among: TLSLibraryFinder.probedFunctions) == TLSLibraryFinder.probedFunctions)
        let libcrypto = try #require(ELFFile(path: "/usr/lib/x86_64-linux-gnu/libcrypto.so.3"))
        #expect(libcrypto.exportedFunctions(among: TLSLibraryFinder.probedFunctions).isEmpty)
    }

    @Test func aPythonThatImportedSSLMapsTheSystemLibSSL() throws {
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        python.arguments = ["-c", "import ssl, sys; print('ready', flush=True); sys.stdin.read()"]
        let input = Pipe()
        let output = Pipe()
        python.standardInput = input
        python.standardOutput = output
        try python.run()
        defer {
            try? input.fileHandleForWriting.close()
            python.waitUntilExit()
        }
        _ = output.fileHandleForReading.availableData // "ready": ssl is imported

        let finder = TLSLibraryFinder()
        let libraries = try #require(finder.libraries(ofProcess: python.processIdentifier))
        #expect(libraries.map(\.path) == ["/usr/lib/x86_64-linux-gnu/libssl.so.3"])
        #expect(libraries.first?.kind == .sharedLibrary)
        #expect(libraries.first?.functions == TLSLibraryFinder.probedFunctions)
        #expect(libraries.first?.hostPath == "/proc/\(python.processIdentifier)/root/usr/lib/x86_64-linux-gnu/libssl.so.3")
        let everyone = finder.librariesOfAllProcesses()
        let found = try #require(everyone.first { $0.library.path == "/usr/lib/x86_64-linux-gnu/libssl.so.3" })
        #expect(found.pids.contains(python.processIdentifier))
        #expect(finder.libraries(ofProcess: -1) == nil)
    }
}
