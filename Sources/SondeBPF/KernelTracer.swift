import CLibbpf
import Foundation
import SondeABI
import SondeHost
import SondeModel
import Synchronization

/// Sonde's kernel side: loads the BPF programs, attaches them to the socket syscalls, to process exec
/// and exit, and to every OpenSSL library in use (found now and as programs start), and reads their
/// events off the ring buffer on a thread of its own.
///
/// ```swift
/// let tracer = try KernelTracer(configuration: configuration)
/// tracer.start()
/// while let batch = tracer.nextBatch(timeout: 0.2) { pipeline.handle(batch) }
/// ```
public final class KernelTracer: @unchecked Sendable {
    /// The attach mode in use: `.kprobe` or `.tracepoint`.
    public let mode: ProbeMode
    /// Why `auto` did not use kprobes, when it did not.
    public let modeReason: String?
    /// The OpenSSL probes, nil when TLS is not traced (see ``tlsUnavailableReason``).
    public let tlsProbes: TLSProbeSet?
    /// Why TLS plaintext is not captured, when it is not.
    public let tlsUnavailableReason: String?

    private let object: BPFObject
    private let ringBuffer: OpaquePointer
    private let lostMapFD: Int32
    private let queue: EventQueue<RawEvent>
    private let reader: RingBufferContext
    private let libraryWatcher: TLSLibraryWatcher?
    private let stopped = Atomic<Bool>(false)
    private var thread: Thread?

    /// Loads and attaches everything; throws one plain sentence when the kernel or privileges say no.
    public init(configuration: KernelTracerConfiguration) throws {
        sonde_libbpf_set_verbose(configuration.verbose)
        guard Privileges.current().canTrace else { throw BPFError(Privileges.missingMessage) }
        guard (1...KernelTracerConfiguration.maximumCaptureSize).contains(configuration.captureSize) else {
            throw BPFError("the capture size must be between 1 and \(KernelTracerConfiguration.maximumCaptureSize) bytes")
        }
        let facts = KernelFacts.current()
        var mode = configuration.probeMode
        var reason: String?
        if mode == .auto {
            mode = facts.hasKprobes ? .kprobe : .tracepoint
            if !facts.hasKprobes { reason = "this kernel has no kprobes" }
        }
        if mode == .kprobe && !facts.hasKprobes {
            throw BPFError("this kernel has no kprobes (CONFIG_KPROBES is off); use --probe-mode tracepoint or auto")
        }
        let tlsUnavailableReason = Self.tlsUnavailableReason(configuration, facts: facts)
        let withTLS = tlsUnavailableReason == nil
        var object: BPFObject
        do {
            object = try Self.loadAndAttach(configuration, mode: mode, withTLS: withTLS)
        } catch where configuration.probeMode == .auto && mode == .kprobe {
            reason = "attaching kprobes failed (\(error))"
            mode = .tracepoint
            object = try Self.loadAndAttach(configuration, mode: mode, withTLS: withTLS)
        }
        self.object = object
        self.mode = mode
        self.modeReason = reason
        self.lostMapFD = try object.mapFD("sonde_lost")
        self.tlsUnavailableReason = tlsUnavailableReason
        if withTLS {
            let probes = TLSProbeSet(object: object)
            let watcher = TLSLibraryWatcher(probes: probes, selectedPID: configuration.pid,
                                            selectedCommand: configuration.commandName.map { String(decoding: $0, as: UTF8.self) })
            watcher.scanAll()
            tlsProbes = probes
            libraryWatcher = watcher
        } else {
            tlsProbes = nil
            libraryWatcher = nil
        }
        // Twice the ring: a burst the pipeline thread is slow to take waits in memory first, then in the ring.
        queue = EventQueue(capacityBytes: 2 * configuration.ringBufferSize)
        reader = RingBufferContext(decoder: EventDecoder(clock: MonotonicClock()),
                                   onProcessEvent: libraryWatcher.map { watcher in { watcher.processChanged($0) } })
        guard let ringBuffer = ring_buffer__new(try object.mapFD("sonde_events"), { context, data, size in
            let reader = Unmanaged<RingBufferContext>.fromOpaque(context!).takeUnretainedValue()
            reader.consume(UnsafeRawBufferPointer(start: data, count: size))
            return 0
        }, Unmanaged.passUnretained(reader).toOpaque(), nil) else {
            throw BPFError.lastError("could not open the ring buffer")
        }
        self.ringBuffer = ringBuffer
    }

    deinit {
        ring_buffer__free(ringBuffer)
    }

    private static func tlsUnavailableReason(_ configuration: KernelTracerConfiguration, facts: KernelFacts) -> String? {
        if !configuration.traceTLS { return "TLS tracing is off (--no-tls)" }
        if !facts.hasUprobes { return "this kernel has no uprobes" }
        return nil
    }

    private static func loadAndAttach(_ configuration: KernelTracerConfiguration, mode: ProbeMode,
                                      withTLS: Bool) throws -> BPFObject {
        if mode == .tracepoint && !TracingFilesystem.mountIfNeeded() {
            throw BPFError("syscall tracepoints are not available: tracefs is not mounted at \(TracingFilesystem.path) and could not be mounted")
        }
        var families: [BPFObject.ProgramFamily] = [mode == .kprobe ? .syscallKprobes : .syscallTracepoints, .processLifecycle]
        if withTLS { families.append(.tls) }
        let object = try BPFObject.loadSonde(families, ringBufferSize: configuration.ringBufferSize,
                                             probeOnly: configuration.probeOnly)
        var settings = sonde_config()
        settings.self_tgid = UInt32(getpid())
        settings.filter_tgid = configuration.pid.map { UInt32($0) } ?? 0
        settings.capture_size = UInt32(configuration.captureSize)
        settings.filter_port = configuration.port ?? 0
        if let name = configuration.commandName {
            withUnsafeMutableBytes(of: &settings.filter_comm) { buffer in
                for (index, byte) in name.enumerated() { buffer[index] = byte }
            }
        }
        var key: UInt32 = 0
        guard bpf_map_update_elem(try object.mapFD("sonde_config"), &key, &settings, 0) == 0 else {
            throw BPFError.lastError("could not configure the BPF programs")
        }
        try SyscallProbes.attach(object, mode: mode)
        for program in ["proc_exec", "proc_fork", "proc_exit"] {
            try object.keep(bpf_program__attach(try object.program(program)), "the process \(program.dropFirst(5)) tracepoint")
        }
        return object
    }

    /// Starts reading the ring buffer on a thread of its own.
    public func start() {
        let thread = Thread { [self] in
            let clock = ContinuousClock()
            var pacing = RingBufferPacing()
            var lastRead = clock.now
            while !stopped.load(ordering: .relaxed) {
                // Woken early only by rare events (connections, program starts) or a filling ring.
                let result = ring_buffer__poll(ringBuffer, pacing.waitMilliseconds)
                if result < 0 && result != -EINTR { break }
                let bytes = readWaitingEvents()
                let now = clock.now
                pacing.record(bytes: bytes, over: now - lastRead)
                lastRead = now
            }
            readWaitingEvents()
            queue.close()
        }
        thread.name = "sonde-ringbuf"
        self.thread = thread
        thread.start()
        libraryWatcher?.start()
    }

    /// Reads every event in the ring buffer now and hands them on as one batch; returns the bytes read.
    @discardableResult
    private func readWaitingEvents() -> Int {
        _ = ring_buffer__consume(ringBuffer)
        let batch = reader.takeBatch()
        if !batch.events.isEmpty { queue.push(batch.events, bytes: batch.bytes) }
        return batch.bytes
    }

    /// The next batch of events, an empty batch after `timeout` seconds without any, nil after ``stop()``.
    public func nextBatch(timeout: TimeInterval) -> [RawEvent]? {
        queue.pop(timeout: timeout)
    }

    /// Stops reading; batches already read can still be taken with ``nextBatch(timeout:)``.
    public func stop() {
        stopped.store(true, ordering: .relaxed)
        libraryWatcher?.stop()
    }

    /// Events the kernel side could not store because the ring buffer was full, since attaching.
    public var lostEvents: UInt64 {
        let cpus = Int(max(libbpf_num_possible_cpus(), 1))
        var values = [UInt64](repeating: 0, count: cpus)
        var key: UInt32 = 0
        guard bpf_map_lookup_elem(lostMapFD, &key, &values) == 0 else { return 0 }
        return values.reduce(0, +)
    }

    /// Ring-buffer records that did not decode (a kernel/user ABI mismatch; expected zero).
    public var undecodableEvents: Int { reader.undecodable }
}

/// Collects decoded events inside the ring buffer's callback (always on the reading thread), and tells
/// `onProcessEvent` of every process started or ended at once.
final class RingBufferContext {
    private let decoder: EventDecoder
    private let onProcessEvent: ((ProcessEvent) -> Void)?
    private var batch: [RawEvent] = []
    private var bytesRead = 0
    private(set) var undecodable = 0

    init(decoder: EventDecoder, onProcessEvent: ((ProcessEvent) -> Void)?) {
        self.decoder = decoder
        self.onProcessEvent = onProcessEvent
    }

    func consume(_ record: UnsafeRawBufferPointer) {
        bytesRead += record.count
        guard let event = decoder.decode(record) else {
            undecodable += 1
            return
        }
        if case .process(let process) = event { onProcessEvent?(process) }
        batch.append(event)
    }

    /// The events collected since the last call, and the record bytes they were read from; the next batch
    /// starts with room for as many, so it does not grow by doubling from empty.
    func takeBatch() -> (events: [RawEvent], bytes: Int) {
        let taken = (events: batch, bytes: bytesRead)
        batch = []
        batch.reserveCapacity(taken.events.count)
        bytesRead = 0
        return taken
    }
}
