import CLibbpf

extension BPFObject {
    /// Program name prefixes in bpf/sonde.bpf.c, one family each.
    enum ProgramFamily: String {
        /// Socket syscalls through syscall tracepoints.
        case syscallTracepoints = "tp_"
        /// Socket syscalls through kprobes.
        case syscallKprobes = "kp_"
        /// Process exec and exit (sched tracepoints).
        case processLifecycle = "proc_"
        /// OpenSSL uprobes.
        case tls = "ssl_"
    }

    /// Sonde's embedded object, sized for this machine and loaded into the kernel with the programs of
    /// `families` only; with `probeOnly`, every program returns at once (nothing is captured).
    static func loadSonde(_ families: [ProgramFamily], ringBufferSize: Int, probeOnly: Bool = false) throws -> BPFObject {
        let object = try BPFObject(elf: BPFObjectBytes.elf)
        object.loadOnly(programsWithPrefixes: families.map(\.rawValue))
        try object.setReadOnlyData(".rodata.probe_only", [probeOnly ? 1 : 0])
        try object.setMaxEntries(map: "sonde_scratch", UInt32(max(libbpf_num_possible_cpus(), 1)))
        try object.setMaxEntries(map: "sonde_events", UInt32(ringBufferSize))
        try object.load()
        return object
    }
}
