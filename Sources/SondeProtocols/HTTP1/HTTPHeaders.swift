/// The header fields of a message head, in order: a collection of ``HTTPHeader`` that keeps its fields as
/// bytes, one buffer for all of them.
///
/// A field becomes `String`s only when it is read, and ``first(named:)`` compares names on the bytes: an
/// HTTP/1 head made a `String` of every name and value, and an array of them, of which a span reads three
/// or four, which cost about a tenth of the tracer's time.
public struct HTTPHeaders: Hashable, Sendable {
    /// Each field as its name's length and its value's length (4 bytes each, little-endian), then the
    /// name's and the value's UTF-8.
    private var encoded: [UInt8]

    /// A position in the fields: the offset of a field in the encoding.
    public struct Index: Comparable, Hashable, Sendable {
        fileprivate var offset: Int

        public static func < (lhs: Index, rhs: Index) -> Bool { lhs.offset < rhs.offset }
    }

    /// No fields.
    public init() {
        encoded = []
    }

    /// The fields of `headers`, in order, in a buffer of their size.
    public init(_ headers: some Collection<HTTPHeader>) {
        encoded = []
        encoded.reserveCapacity(headers.reduce(0) { $0 + 2 * Self.lengthSize + $1.name.utf8.count + $1.value.utf8.count })
        for header in headers { append(header) }
    }

    /// The fields whose names and values are at `fields` in `bytes`, written in one pass into a buffer of
    /// their size, without making strings of them.
    init(_ fields: [(name: Range<Int>, value: Range<Int>)], in bytes: UnsafeBufferPointer<UInt8>) {
        let size = fields.reduce(0) { $0 + 2 * Self.lengthSize + $1.name.count + $1.value.count }
        encoded = Array(unsafeUninitializedCapacity: size) { buffer, initialized in
            var offset = 0
            func write(_ range: Range<Int>) {
                _ = UnsafeMutableBufferPointer(rebasing: buffer[offset..<(offset + range.count)])
                    .initialize(from: UnsafeBufferPointer(rebasing: bytes[range]))
                offset += range.count
            }
            for field in fields {
                Self.writeLength(field.name.count, into: buffer, at: &offset)
                Self.writeLength(field.value.count, into: buffer, at: &offset)
                write(field.name)
                write(field.value)
            }
            initialized = offset
        }
    }

    /// Appends a field given as its name's and value's UTF-8.
    private mutating func append(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        let start = encoded.count
        encoded.append(contentsOf: repeatElement(0, count: 2 * Self.lengthSize))
        encoded.withUnsafeMutableBufferPointer { buffer in
            var offset = start
            Self.writeLength(name.count, into: buffer, at: &offset)
            Self.writeLength(value.count, into: buffer, at: &offset)
        }
        encoded.append(contentsOf: name)
        encoded.append(contentsOf: value)
    }

    /// The value of the first field named `name`, compared without regard to case (as HTTP names
    /// compare); only that value becomes a `String`.
    public func first(named name: String) -> String? {
        encoded.withUnsafeBufferPointer { buffer in
            field(named: name, in: buffer).map { String(decoding: buffer[$0.value], as: UTF8.self) }
        }
    }

    /// Whether a field is named `name` (compared without regard to case).
    public func contains(named name: String) -> Bool {
        encoded.withUnsafeBufferPointer { field(named: name, in: $0) != nil }
    }

    // MARK: Encoding

    private static let lengthSize = 4

    private static func writeLength(_ length: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: inout Int) {
        for index in 0..<lengthSize {
            buffer[offset + index] = UInt8(truncatingIfNeeded: length >> (8 * index))
        }
        offset += lengthSize
    }

    /// Appends a field (encoded in place, where the collection's default would re-encode a copy).
    public mutating func append(_ header: HTTPHeader) {
        var header = header
        header.name.withUTF8 { name in header.value.withUTF8 { append(name: name, value: $0) } }
    }

    /// The byte ranges of the name and value of the field at `offset`.
    private static func field(at offset: Int, in buffer: UnsafeBufferPointer<UInt8>) -> (name: Range<Int>, value: Range<Int>) {
        let nameStart = offset + 2 * lengthSize
        let valueStart = nameStart + length(at: offset, in: buffer)
        return (nameStart..<valueStart, valueStart..<(valueStart + length(at: offset + lengthSize, in: buffer)))
    }

    private static func length(at offset: Int, in buffer: UnsafeBufferPointer<UInt8>) -> Int {
        (0..<lengthSize).reduce(0) { $0 | Int(buffer[offset + $1]) << (8 * $1) }
    }

    private func field(named name: String, in buffer: UnsafeBufferPointer<UInt8>) -> (name: Range<Int>, value: Range<Int>)? {
        var name = name
        return name.withUTF8 { wanted in
            var offset = 0
            while offset < buffer.count {
                let field = Self.field(at: offset, in: buffer)
                if ASCII.caseInsensitiveEquals(UnsafeBufferPointer(rebasing: buffer[field.name]), wanted) {
                    return field
                }
                offset = field.value.upperBound
            }
            return nil
        }
    }
}

extension HTTPHeaders: RangeReplaceableCollection {
    public var startIndex: Index { Index(offset: 0) }
    public var endIndex: Index { Index(offset: encoded.count) }

    public func index(after index: Index) -> Index {
        encoded.withUnsafeBufferPointer { Index(offset: Self.field(at: index.offset, in: $0).value.upperBound) }
    }

    public subscript(index: Index) -> HTTPHeader {
        encoded.withUnsafeBufferPointer { buffer in
            let field = Self.field(at: index.offset, in: buffer)
            return HTTPHeader(name: String(decoding: buffer[field.name], as: UTF8.self),
                              value: String(decoding: buffer[field.value], as: UTF8.self))
        }
    }

    public mutating func replaceSubrange(_ subrange: Range<Index>, with newElements: some Collection<HTTPHeader>) {
        encoded.replaceSubrange(subrange.lowerBound.offset..<subrange.upperBound.offset,
                                with: HTTPHeaders(newElements).encoded)
    }
}

extension HTTPHeaders: ExpressibleByArrayLiteral, CustomStringConvertible {
    public init(arrayLiteral headers: HTTPHeader...) {
        self.init(headers)
    }

    /// As the array of the fields would print.
    public var description: String { Array(self).description }
}
