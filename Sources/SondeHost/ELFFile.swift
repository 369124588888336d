import Foundation

/// A 64-bit little-endian ELF file, read just enough to answer what Sonde asks of executables and
/// libraries: the names of its sections, and which functions it exports.
public final class ELFFile {
    private struct Section {
        var name: String
        var type: UInt32
        var offset: UInt64
        var size: UInt64
        var link: Int
    }

    private let handle: FileHandle
    private let sections: [Section]

    private static let symbolTableType: UInt32 = 11 // SHT_DYNSYM
    private static let symbolSize = 24              // sizeof(Elf64_Sym)
    private static let functionType: UInt8 = 2      // STT_FUNC
    private static let largestTable: UInt64 = 64 << 20

    /// Opens `path`; nil when it cannot be read or is not a 64-bit little-endian ELF file.
    public init?(path: String) {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        self.handle = handle
        let header = Self.read(handle, at: 0, count: 64)
        guard header.count == 64, header[0..<4] == [0x7F, 0x45, 0x4C, 0x46], header[4] == 2, header[5] == 1 else {
            try? handle.close()
            return nil
        }
        let tableOffset = header.integer(at: 0x28, as: UInt64.self)
        let entrySize = Int(header.integer(at: 0x3A, as: UInt16.self))
        let count = Int(header.integer(at: 0x3C, as: UInt16.self))
        let namesIndex = Int(header.integer(at: 0x3E, as: UInt16.self))
        guard entrySize >= 64, count > 0, count < 4096, namesIndex < count else {
            sections = []
            return
        }
        let table = Self.read(handle, at: tableOffset, count: entrySize * count)
        guard table.count == entrySize * count else {
            sections = []
            return
        }
        let entry = { (index: Int) in index * entrySize }
        let names = Self.read(handle, at: table.integer(at: entry(namesIndex) + 0x18, as: UInt64.self),
                              count: Int(min(table.integer(at: entry(namesIndex) + 0x20, as: UInt64.self), 1 << 20)))
        sections = (0..<count).map { index in
            let base = entry(index)
            let nameStart = Int(table.integer(at: base, as: UInt32.self))
            return Section(
                name: nameStart < names.count ? String(decoding: names[nameStart...].prefix { $0 != 0 }, as: UTF8.self) : "",
                type: table.integer(at: base + 0x04, as: UInt32.self),
                offset: table.integer(at: base + 0x18, as: UInt64.self),
                size: table.integer(at: base + 0x20, as: UInt64.self),
                link: Int(table.integer(at: base + 0x28, as: UInt32.self)))
        }
    }

    deinit {
        try? handle.close()
    }

    /// The names of the file's sections, in order.
    public var sectionNames: [String] { sections.map(\.name) }

    /// Which of `names` the file defines as functions in its dynamic symbol table (exports them).
    public func exportedFunctions(among names: Set<String>) -> Set<String> {
        guard let symbols = sections.first(where: { $0.type == Self.symbolTableType }),
              symbols.link < sections.count, symbols.size <= Self.largestTable,
              sections[symbols.link].size <= Self.largestTable else { return [] }
        let table = Self.read(handle, at: symbols.offset, count: Int(symbols.size))
        let strings = Self.read(handle, at: sections[symbols.link].offset, count: Int(sections[symbols.link].size))
        let longest = names.map(\.utf8.count).max() ?? 0
        var found: Set<String> = []
        for base in stride(from: 0, to: table.count - Self.symbolSize + 1, by: Self.symbolSize) {
            let isFunction = table[base + 4] & 0x0F == Self.functionType
            let isDefined = table.integer(at: base + 6, as: UInt16.self) != 0
            let nameStart = Int(table.integer(at: base, as: UInt32.self))
            guard isFunction, isDefined, nameStart < strings.count else { continue }
            let name = String(decoding: strings[nameStart...].prefix(longest + 1).prefix { $0 != 0 }, as: UTF8.self)
            if names.contains(name) { found.insert(name) }
        }
        return found
    }

    private static func read(_ handle: FileHandle, at offset: UInt64, count: Int) -> [UInt8] {
        guard (try? handle.seek(toOffset: offset)) != nil, let data = try? handle.read(upToCount: count) else { return [] }
        return [UInt8](data)
    }
}

extension Array where Element == UInt8 {
    /// The little-endian integer at `offset`.
    fileprivate func integer<T: FixedWidthInteger>(at offset: Int, as type: T.Type) -> T {
        var value: T = 0
        for index in (0..<MemoryLayout<T>.size).reversed() { value = value << 8 | T(self[offset + index]) }
        return value
    }
}
