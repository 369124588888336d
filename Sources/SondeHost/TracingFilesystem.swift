import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The kernel's tracefs, where tracepoints are listed (libbpf reads their ids there).
public enum TracingFilesystem {
    public static let path = "/sys/kernel/tracing"
    private static let debugfsPath = "/sys/kernel/debug/tracing"

    /// Whether syscall tracepoints are visible (tracefs mounted, `CONFIG_FTRACE_SYSCALLS` on).
    public static var hasSyscallTracepoints: Bool {
        [path, debugfsPath].contains { FileManager.default.fileExists(atPath: "\($0)/events/syscalls/sys_enter_read") }
    }

    /// Mounts tracefs at /sys/kernel/tracing unless it is already visible. Returns false when it cannot.
    @discardableResult
    public static func mountIfNeeded() -> Bool {
        if hasSyscallTracepoints { return true }
        _ = mount("nodev", path, "tracefs", 0, nil)
        return hasSyscallTracepoints
    }
}
