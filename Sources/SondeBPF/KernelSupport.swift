import CLibbpf

/// What the running kernel accepts from BPF, asked of the kernel itself through libbpf's probes.
public enum KernelSupport {
    /// Whether BPF ring buffer maps can be created (Linux 5.8+). Needs the privileges to load BPF.
    public static var ringBuffer: Bool {
        sonde_libbpf_set_verbose(false)
        return libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, nil) == 1
    }
}
