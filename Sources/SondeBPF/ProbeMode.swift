/// How Sonde attaches to socket syscalls.
public enum ProbeMode: String, CaseIterable, Sendable {
    /// Kprobes where the kernel has them, syscall tracepoints otherwise.
    case auto
    /// kprobes/kretprobes on the syscall functions.
    case kprobe
    /// `syscalls:sys_enter_*` / `sys_exit_*` tracepoints.
    case tracepoint
}
