import ArgumentParser
import Foundation
import SondeBPF
import SondeHost

/// `sonde doctor`: what this kernel and these privileges allow, and what Sonde does about each "no".
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor", abstract: "Check what this kernel offers Sonde and what Sonde will do about it.")

    func run() throws {
        let facts = KernelFacts.current()
        let privileges = Privileges.current()
        let tracepoints = privileges.canTrace ? TracingFilesystem.mountIfNeeded() : TracingFilesystem.hasSyscallTracepoints
        let checks: [(String, Bool, String)] = [
            ("kernel", true, facts.release),
            ("privileges", privileges.canTrace,
             privileges.canTrace ? "may load BPF programs" : Privileges.missingMessage),
            ("BTF", facts.hasBTF,
             facts.hasBTF ? "/sys/kernel/btf/vmlinux: CO-RE relocations resolve"
                          : "no kernel BTF: Sonde's programs cannot be relocated and will not load"),
            ("ring buffer", privileges.canTrace && KernelSupport.ringBuffer,
             privileges.canTrace ? (KernelSupport.ringBuffer ? "BPF ring buffers work"
                                                             : "no BPF ring buffer (needs Linux 5.8+): Sonde cannot run")
                                 : "not checked without privileges"),
            ("tracepoints", tracepoints,
             tracepoints ? "syscall tracepoints available (tracefs at \(TracingFilesystem.path))"
                         : "no syscall tracepoints: only kprobe mode can work"),
            ("kprobes", facts.hasKprobes,
             facts.hasKprobes ? "--probe-mode auto uses kprobes"
                              : "no kprobes (CONFIG_KPROBES off): --probe-mode auto uses syscall tracepoints"),
            ("uprobes", facts.hasUprobes,
             facts.hasUprobes ? "user-space probes available" : "no uprobes: TLS plaintext cannot be captured"),
        ]
        for (name, ok, detail) in checks + tlsLibraryChecks(canAttach: privileges.canTrace && facts.hasUprobes) {
            print("\(name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(ok ? "yes" : "no ")  \(detail)")
        }
        let usable = privileges.canTrace && facts.hasBTF && (tracepoints || facts.hasKprobes)
        print(usable ? "sonde can trace this host." : "sonde cannot trace this host as it is (see the lines marked no).")
        if !usable { throw ExitCode.failure }
    }

    /// One line per OpenSSL library the running processes map, with whether the probes attach to it.
    private func tlsLibraryChecks(canAttach: Bool) -> [(String, Bool, String)] {
        let found = TLSLibraryFinder().librariesOfAllProcesses()
        guard !found.isEmpty else {
            return [("TLS library", true, "no running process maps OpenSSL now; programs that start later are probed as they start")]
        }
        let probes: TLSProbeSet?
        var failure: String?
        do {
            probes = canAttach ? try TLSProbeSet() : nil
        } catch {
            probes = nil
            failure = "\(error)"
        }
        return found.map { library, pids in
            let users = "mapped by \(pids.count) \(pids.count == 1 ? "process" : "processes"): \(Self.names(of: pids))"
            guard let probes else {
                let reason = failure ?? (canAttach ? "" : "not attached without privileges and uprobes")
                return ("TLS library", false, "\(library.path) (\(users)): \(reason)")
            }
            let attachment = probes.attach(library)
            return ("TLS library", attachment.failure == nil, "\(attachment.summary); \(users)")
        }
    }

    /// The distinct executable names of `pids`, at most five.
    private static func names(of pids: [Int32]) -> String {
        var names: [String] = []
        for pid in pids {
            let name = ProcessResources.commandName(of: pid) ?? "\(pid)"
            if !names.contains(name) { names.append(name) }
        }
        return names.prefix(5).joined(separator: ", ") + (names.count > 5 ? ", ..." : "")
    }
}
