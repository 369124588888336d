import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What this kernel offers for tracing, read from /sys and uname.
public struct KernelFacts: Sendable {
    /// `uname -r`.
    public var release: String
    /// The kernel's own BTF is present (CO-RE relocations resolve against it).
    public var hasBTF: Bool
    /// The kprobe perf event type exists (`CONFIG_KPROBES`, `CONFIG_KPROBE_EVENTS`).
    public var hasKprobes: Bool
    /// The uprobe perf event type exists.
    public var hasUprobes: Bool

    /// Reads the facts of the running kernel.
    public static func current() -> KernelFacts {
        var name = utsname()
        uname(&name)
        let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let exists = { FileManager.default.fileExists(atPath: $0) }
        return KernelFacts(release: release,
                           hasBTF: exists("/sys/kernel/btf/vmlinux"),
                           hasKprobes: exists("/sys/bus/event_source/devices/kprobe/type"),
                           hasUprobes: exists("/sys/bus/event_source/devices/uprobe/type"))
    }
}
