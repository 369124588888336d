import Foundation

/// The BPF object compiled from `bpf/sonde.bpf.c` by the build plugin.
enum BPFObjectBytes {
    /// The ELF bytes, decoded once.
    static let elf: [UInt8] = {
        guard let data = Data(base64Encoded: sondeBPFObjectBase64) else {
            preconditionFailure("the embedded BPF object is not valid base64: the build plugin is broken")
        }
        return [UInt8](data)
    }()
}
