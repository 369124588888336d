/// The bytes of HTTP/1 syntax.
extension UInt8 {
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let colon = UInt8(ascii: ":")
    static let comma = UInt8(ascii: ",")
    static let semicolon = UInt8(ascii: ";")
}

/// ASCII byte comparisons of HTTP syntax.
enum ASCII {
    /// Whether `left` and `right` are equal when ASCII letters are compared without regard to case, as HTTP
    /// field names compare.
    static func caseInsensitiveEquals(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
        guard left.count == right.count else { return false }
        for (a, b) in zip(left, right) where a != b {
            let folded = a | 0x20
            guard folded == b | 0x20, folded >= 0x61, folded <= 0x7A else { return false }
        }
        return true
    }
}
