import CLibbpf
import Foundation

/// A libbpf object opened from memory, with the links of its attached programs.
///
/// Keeps the ELF bytes alive until it is closed, as `bpf_object__open_mem` requires.
final class BPFObject {
    private let elf: UnsafeMutableRawBufferPointer
    private let object: OpaquePointer
    private var links: [OpaquePointer] = []

    init(elf bytes: [UInt8]) throws {
        elf = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 8)
        elf.copyBytes(from: bytes)
        guard let object = bpf_object__open_mem(elf.baseAddress, elf.count, nil) else {
            elf.deallocate()
            throw BPFError.lastError("could not open the BPF object")
        }
        self.object = object
    }

    deinit {
        for link in links { bpf_link__destroy(link) }
        bpf_object__close(object)
        elf.deallocate()
    }

    func program(_ name: String) throws -> OpaquePointer {
        guard let program = bpf_object__find_program_by_name(object, name) else {
            throw BPFError("the BPF object has no program named \(name)")
        }
        return program
    }

    func map(_ name: String) throws -> OpaquePointer {
        guard let map = bpf_object__find_map_by_name(object, name) else {
            throw BPFError("the BPF object has no map named \(name)")
        }
        return map
    }

    /// Only programs whose name starts with one of `prefixes` are loaded; the others are left out.
    func loadOnly(programsWithPrefixes prefixes: [String]) {
        var program = bpf_object__next_program(object, nil)
        while let current = program {
            let name = String(cString: bpf_program__name(current))
            bpf_program__set_autoload(current, prefixes.contains { name.hasPrefix($0) })
            program = bpf_object__next_program(object, current)
        }
    }

    func setMaxEntries(map name: String, _ entries: UInt32) throws {
        guard bpf_map__set_max_entries(try map(name), entries) == 0 else {
            throw BPFError.lastError("could not size map \(name)")
        }
    }

    /// Sets the initial contents of the read-only data section `section` (a `.rodata.*` section holding
    /// `const volatile` settings) before loading; `bytes` must be as long as the section.
    func setReadOnlyData(_ section: String, _ bytes: [UInt8]) throws {
        let map = try map(section)
        var size = 0
        guard bpf_map__initial_value(map, &size) != nil, size == bytes.count,
              bytes.withUnsafeBytes({ bpf_map__set_initial_value(map, $0.baseAddress, $0.count) }) == 0 else {
            throw BPFError.lastError("could not set \(section) of the BPF object")
        }
    }

    func load() throws {
        let result = bpf_object__load(object)
        guard result == 0 else {
            errno = -result
            throw BPFError.lastError("the kernel refused Sonde's BPF programs (run `sonde doctor`)")
        }
    }

    func mapFD(_ name: String) throws -> Int32 {
        bpf_map__fd(try map(name))
    }

    /// Keeps `link` until the object closes or ``detach(_:)``; throws with `what` when attaching failed.
    @discardableResult
    func keep(_ link: OpaquePointer?, _ what: @autoclosure () -> String) throws -> OpaquePointer {
        guard let link else { throw BPFError.lastError("could not attach \(what())") }
        links.append(link)
        return link
    }

    /// Detaches `detached`, links kept earlier, before the object closes.
    func detach(_ detached: [OpaquePointer]) {
        links.removeAll { detached.contains($0) }
        for link in detached { bpf_link__destroy(link) }
    }
}
