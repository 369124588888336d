import MallocInterposerSwift

/// Counts heap allocations (`malloc`, `calloc`, `realloc`, `posix_memalign`, ...) through ordo-one's
/// malloc-interposer. sonde-bench links its shared library ahead of libc, so the dynamic linker binds every
/// `malloc` of the process (the Swift runtime's included) to the interposer without `LD_PRELOAD`; counting
/// is on only inside ``count(_:)``, and costs a flag test per call outside it.
enum AllocationCounter {
    /// Whether the interposer really sees this process's allocations: a known number of fresh arrays
    /// must be counted.
    static let isActive: Bool = {
        let probes = 64
        let counted = count {
            for index in 0..<probes { blackHole([Int](repeating: index, count: 16 + index)) }
        }
        return counted >= probes
    }()

    /// The allocations `work` made on any thread.
    static func count(_ work: () -> Void) -> Int {
        MallocInterposerSwift.initialize()
        MallocInterposerSwift.hook()
        work()
        MallocInterposerSwift.unhook()
        return MallocInterposerSwift.getStatistics().mallocCount
    }
}

/// Keeps the optimizer from removing the computation of `value`.
@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}
