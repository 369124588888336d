import CLibbpf

/// Which program handles the entry and the exit of each traced syscall, in either attach mode.
///
/// Program names in bpf/sonde.bpf.c are `tp_enter_X`/`tp_exit_Y` (tracepoints) and `kp_enter_X`/`kp_exit_Y`
/// (kprobes) for the handler names listed here.
struct SyscallProbes {
    struct Probe {
        /// The syscall's name (`sys_enter_<name>` tracepoint, `__x64_sys_<name>` function).
        var syscall: String
        var entryHandler: String?
        var exitHandler: String?
    }

    static let all: [Probe] = [
        Probe(syscall: "read", entryHandler: "read", exitHandler: "data"),
        Probe(syscall: "write", entryHandler: "write", exitHandler: "data"),
        Probe(syscall: "readv", entryHandler: "readv", exitHandler: "data"),
        Probe(syscall: "writev", entryHandler: "writev", exitHandler: "data"),
        Probe(syscall: "recvfrom", entryHandler: "recvfrom", exitHandler: "data"),
        Probe(syscall: "sendto", entryHandler: "write", exitHandler: "data"),
        Probe(syscall: "recvmsg", entryHandler: "recvmsg", exitHandler: "data"),
        Probe(syscall: "sendmsg", entryHandler: "sendmsg", exitHandler: "data"),
        Probe(syscall: "sendfile64", entryHandler: "sendfile", exitHandler: "data"),
        Probe(syscall: "connect", entryHandler: "connect", exitHandler: "connect"),
        Probe(syscall: "accept", entryHandler: nil, exitHandler: "accept"),
        Probe(syscall: "accept4", entryHandler: nil, exitHandler: "accept"),
        Probe(syscall: "close", entryHandler: "close", exitHandler: nil),
        // Other ways an fd stops naming its file: a connection's state lasts until one of these.
        Probe(syscall: "close_range", entryHandler: "close_range", exitHandler: nil),
        Probe(syscall: "dup2", entryHandler: nil, exitHandler: "dup"),
        Probe(syscall: "dup3", entryHandler: nil, exitHandler: "dup"),
    ]

    /// Attaches every probe of the table in `mode` (`.kprobe` or `.tracepoint`).
    static func attach(_ object: BPFObject, mode: ProbeMode) throws {
        for probe in all {
            if let handler = probe.entryHandler {
                try attach(object, mode: mode, handler: "enter_\(handler)", syscall: probe.syscall, exit: false)
            }
            if let handler = probe.exitHandler {
                try attach(object, mode: mode, handler: "exit_\(handler)", syscall: probe.syscall, exit: true)
            }
        }
    }

    private static func attach(_ object: BPFObject, mode: ProbeMode, handler: String, syscall: String,
                               exit: Bool) throws {
        switch mode {
        case .tracepoint, .auto:
            let tracepoint = "sys_\(exit ? "exit" : "enter")_\(syscall)"
            let program = try object.program("tp_\(handler)")
            try object.keep(bpf_program__attach_tracepoint(program, "syscalls", tracepoint),
                            "tracepoint syscalls:\(tracepoint)")
        case .kprobe:
            let program = try object.program("kp_\(handler)")
            try object.keep(sonde_attach_ksyscall(program, syscall, exit),
                            "\(exit ? "kretprobe" : "kprobe") on syscall \(syscall)")
        }
    }
}
