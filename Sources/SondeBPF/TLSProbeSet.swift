import CLibbpf
import Foundation
import SondeHost

/// Attaches Sonde's OpenSSL programs (bpf/sonde_tls.h) to library files, once per file: a uprobe covers
/// every process that maps the file, so many processes sharing one libssl cost one attachment.
///
/// Thread-safe: the tracer attaches from its library watcher while others read ``attachments``.
public final class TLSProbeSet: @unchecked Sendable {
    /// Which programs probe which function, at entry and at return.
    struct Probe {
        var function: String
        var entryProgram: String
        var returnProgram: String
    }

    static let probes = [
        Probe(function: "SSL_write", entryProgram: "ssl_enter_write", returnProgram: "ssl_exit"),
        Probe(function: "SSL_read", entryProgram: "ssl_enter_read", returnProgram: "ssl_exit"),
        Probe(function: "SSL_write_ex", entryProgram: "ssl_enter_write_ex", returnProgram: "ssl_exit_ex"),
        Probe(function: "SSL_read_ex", entryProgram: "ssl_enter_read_ex", returnProgram: "ssl_exit_ex"),
    ]

    private let object: BPFObject
    private let lock = NSLock()
    private var attached: [FileIdentity: TLSAttachment] = [:]

    /// Probes that report into a tracer's object.
    init(object: BPFObject) {
        self.object = object
    }

    /// Loads the TLS programs on their own, reporting nowhere: for `sonde doctor` and benchmarks, which
    /// check and measure attaching.
    public convenience init() throws {
        guard Privileges.current().canTrace else { throw BPFError(Privileges.missingMessage) }
        try self.init(object: BPFObject.loadSonde([.tls], ringBufferSize: 1 << 16))
    }

    /// Attaches to `library` unless its file has been attached to (or failed) already.
    @discardableResult
    public func attach(_ library: TLSLibrary) -> TLSAttachment {
        lock.withLock {
            if let known = attached[library.identity] { return known }
            let attachment = attachNow(library)
            attached[library.identity] = attachment
            return attachment
        }
    }

    /// Every library attached to (or tried), by path.
    public var attachments: [TLSAttachment] {
        lock.withLock { attached.values.sorted { $0.library.path < $1.library.path } }
    }

    private func attachNow(_ library: TLSLibrary) -> TLSAttachment {
        var count = 0
        do {
            for probe in Self.probes where library.functions.contains(probe.function) {
                for (program, isReturn) in [(probe.entryProgram, false), (probe.returnProgram, true)] {
                    try object.keep(sonde_attach_uprobe(try object.program(program), library.hostPath,
                                                        probe.function, isReturn),
                                    "\(isReturn ? "a uretprobe" : "a uprobe") on \(probe.function) in \(library.path)")
                    count += 1
                }
            }
            return TLSAttachment(library: library, probes: count, failure: nil)
        } catch {
            return TLSAttachment(library: library, probes: count, failure: "\(error)")
        }
    }
}
