import CLibbpf
import Foundation

/// What the kernel counts of every loaded BPF program while its accounting is on (`BPF_ENABLE_STATS`):
/// how many times each ran and how long it ran in all.
struct KernelProgramStatistics {
    struct Program {
        var name: String
        var runCount: UInt64
        var runNanoseconds: UInt64
    }

    /// Every loaded program, by id.
    let programs: [UInt32: Program]

    /// The programs loaded now and their counts so far.
    static func snapshot() -> KernelProgramStatistics {
        var programs: [UInt32: Program] = [:]
        var id: UInt32 = 0
        while bpf_prog_get_next_id(id, &id) == 0 {
            let fd = bpf_prog_get_fd_by_id(id)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            var info = bpf_prog_info()
            var length = UInt32(MemoryLayout<bpf_prog_info>.size)
            guard bpf_obj_get_info_by_fd(fd, &info, &length) == 0 else { continue }
            let name = withUnsafeBytes(of: info.name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            programs[id] = Program(name: name, runCount: info.run_cnt, runNanoseconds: info.run_time_ns)
        }
        return KernelProgramStatistics(programs: programs)
    }

    /// Turns the kernel's run-time accounting on until the returned descriptor is closed. It costs every
    /// program run two clock reads.
    static func enableAccounting() throws -> Int32 {
        let fd = bpf_enable_stats(BPF_STATS_RUN_TIME)
        guard fd >= 0 else {
            throw BenchmarkFailure("the kernel's BPF run-time accounting could not be turned on: \(String(cString: strerror(-fd))).")
        }
        return fd
    }

    /// What the programs of `ids` ran between `earlier` and this snapshot, by program name.
    func since(_ earlier: KernelProgramStatistics, among ids: Set<UInt32>) -> [String: Program] {
        var runs: [String: Program] = [:]
        for id in ids {
            guard let now = programs[id], let before = earlier.programs[id] else { continue }
            var run = runs[now.name] ?? Program(name: now.name, runCount: 0, runNanoseconds: 0)
            run.runCount += now.runCount - before.runCount
            run.runNanoseconds += now.runNanoseconds - before.runNanoseconds
            runs[now.name] = run
        }
        return runs
    }
}
