import CLibbpf
import Foundation
import SondeHost

/// Attaches Sonde's OpenSSL programs (bpf/sonde_tls.h) to library files, once per file or once per file and
/// process.
///
/// Attached to a file alone, a uprobe covers every process that maps it, so many processes sharing one
/// libssl cost one attachment; but every SSL call of every one of them then traps into the kernel, traced or
/// not. Attached for one process, it traps in that process only: what a tracer limited to some processes
/// wants, the others' SSL calls then cost nothing.
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

    /// A file's probes, in one process or (nil) in all.
    private struct Target: Hashable {
        var file: FileIdentity
        var process: Int32?
    }

    private let object: BPFObject
    private let lock = NSLock()
    private var attached: [Target: (attachment: TLSAttachment, links: [OpaquePointer])] = [:]

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

    /// Attaches to `library`, in `process` only or (nil) in every process mapping it, unless that was done
    /// (or failed) already.
    @discardableResult
    public func attach(_ library: TLSLibrary, process: Int32? = nil) -> TLSAttachment {
        lock.withLock {
            let target = Target(file: library.identity, process: process)
            if let known = attached[target] { return known.attachment }
            let made = attachNow(library, process: process)
            attached[target] = made
            return made.attachment
        }
    }

    /// Removes the probes attached in `process` alone (it exited).
    public func detach(process: Int32) {
        lock.withLock {
            for target in attached.keys where target.process == process {
                object.detach(attached.removeValue(forKey: target)?.links ?? [])
            }
        }
    }

    /// Every library attached to (or tried), by path and process.
    public var attachments: [TLSAttachment] {
        lock.withLock {
            attached.values.map(\.attachment).sorted { ($0.library.path, $0.process ?? -1) < ($1.library.path, $1.process ?? -1) }
        }
    }

    private func attachNow(_ library: TLSLibrary, process: Int32?) -> (attachment: TLSAttachment, links: [OpaquePointer]) {
        var links: [OpaquePointer] = []
        do {
            for probe in Self.probes where library.functions.contains(probe.function) {
                for (program, isReturn) in [(probe.entryProgram, false), (probe.returnProgram, true)] {
                    links.append(try object.keep(
                        sonde_attach_uprobe(try object.program(program), library.hostPath, probe.function, isReturn, process ?? -1),
                        "\(isReturn ? "a uretprobe" : "a uprobe") on \(probe.function) in \(library.path)"))
                }
            }
            return (TLSAttachment(library: library, process: process, probes: links.count, failure: nil), links)
        } catch {
            return (TLSAttachment(library: library, process: process, probes: links.count, failure: "\(error)"), links)
        }
    }
}
