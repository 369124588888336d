/// What a span says about one SQL statement: its operation, the one table it names, and its text with
/// literals replaced by `?`. Reads MySQL's lexical rules: `'...'` and `"..."` strings with backslash
/// escapes, backtick-quoted names, `--`/`#`/`/* */` comments, numeric, hex and bit literals.
public struct SQLStatement: Hashable, Sendable {
    /// The first keyword, upper-cased (`SELECT`, `INSERT`, `USE`); nil when the text has none.
    public let operation: String?
    /// The single table the statement works on, as written (without backticks); nil when it names
    /// none or several (joins, table lists, subqueries in FROM).
    public let collection: String?
    /// The text with every string and numeric literal replaced by `?`.
    public let sanitized: String
    /// The schema a `USE` statement switches to.
    public let useTarget: String?

    public init(_ text: String) {
        let tokens = SQLToken.tokens(of: text)
        sanitized = tokens.map { $0.isLiteral ? "?" : $0.text }.joined()
        let words = tokens.filter { !$0.isTrivia }
        operation = words.first { $0.kind == .word }.map { $0.text.uppercased() }
        collection = Self.collection(operation: operation, words: words)
        useTarget = operation == "USE" && words.count >= 2 ? words[1].name : nil
    }

    /// The schema `text` switches to when it is a `USE` statement, as `SQLStatement(text).useTarget`, but
    /// without reading the statement when the letters `use` (in any case) appear nowhere in it.
    public static func useTarget(of text: String) -> String? {
        let letters = text.utf8.lazy.map { $0 | 0x20 }  // ASCII letters lower-cased
        guard zip(letters, zip(letters.dropFirst(), letters.dropFirst(2)))
            .contains(where: { $0 == UInt8(ascii: "u") && $1 == (UInt8(ascii: "s"), UInt8(ascii: "e")) }) else { return nil }
        return SQLStatement(text).useTarget
    }

    private static func collection(operation: String?, words: [SQLToken]) -> String? {
        let keywords = words.map { $0.kind == .word ? $0.text.uppercased() : $0.text }
        let hasJoin = keywords.contains("JOIN")
        func table(after position: Int) -> String? {
            var index = position
            var skipping: Set<String> = ["LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY", "IGNORE", "INTO", "QUICK",
                                         "TABLE", "IF", "NOT", "EXISTS", "TEMPORARY"]
            while index < words.count, skipping.contains(keywords[index]) {
                if keywords[index] == "INTO" { skipping = [] }
                index += 1
            }
            guard index < words.count, let first = words[index].name else { return nil }
            var name = first
            index += 1
            if index + 1 < words.count, keywords[index] == ".", let second = words[index + 1].name {
                name += "." + second
                index += 2
            }
            let isList = index < words.count && keywords[index] == ","
            return isList || hasJoin ? nil : name
        }
        switch operation {
        case "SELECT", "DELETE":
            var depth = 0
            for (index, keyword) in keywords.enumerated() {
                if keyword == "(" { depth += 1 } else if keyword == ")" { depth -= 1 }
                if depth == 0, keyword == "FROM" { return table(after: index + 1) }
            }
            return nil
        case "INSERT", "REPLACE", "UPDATE", "TRUNCATE":
            return table(after: 1)
        case "CREATE", "DROP", "ALTER":
            return keywords.dropFirst().first == "TABLE" || keywords.dropFirst().prefix(2) == ["TEMPORARY", "TABLE"]
                ? table(after: 1) : nil
        default:
            return nil
        }
    }
}

/// One lexical token of a SQL text; the tokens joined give the text back.
struct SQLToken: Equatable {
    enum Kind: Equatable {
        case word, quotedName, string, number, whitespace, comment, punctuation
    }

    var kind: Kind
    var text: String

    var isLiteral: Bool { kind == .string || kind == .number }
    var isTrivia: Bool { kind == .whitespace || kind == .comment }

    /// The name a word or backtick-quoted token stands for.
    var name: String? {
        switch kind {
        case .word: text
        case .quotedName: String(text.dropFirst().dropLast()).split(separator: "``", omittingEmptySubsequences: false)
            .joined(separator: "`")
        default: nil
        }
    }

    static func tokens(of text: String) -> [SQLToken] {
        let scalars = Array(text.unicodeScalars)
        var tokens: [SQLToken] = []
        var index = 0
        while index < scalars.count {
            let start = index
            let kind = scan(scalars, at: &index)
            var piece = String.UnicodeScalarView()
            piece.append(contentsOf: scalars[start..<index])
            tokens.append(SQLToken(kind: kind, text: String(piece)))
        }
        return tokens
    }

    /// Scans the token at `index` and returns its kind; always advances.
    private static func scan(_ s: [Unicode.Scalar], at index: inout Int) -> Kind {
        let c = s[index]
        let next = index + 1 < s.count ? s[index + 1] : nil
        func until(_ terminator: (Int) -> Bool) { while index < s.count, !terminator(index) { index += 1 } }
        switch c {
        case " ", "\t", "\n", "\r":
            until { !s[$0].properties.isWhitespace }
            return .whitespace
        case "#":
            until { s[$0] == "\n" }
            return .comment
        case "-" where next == "-":
            until { s[$0] == "\n" }
            return .comment
        case "/" where next == "*":
            index += 2
            until { $0 > 0 && s[$0 - 1] == "*" && s[$0] == "/" }
            index = min(index + 1, s.count)
            return .comment
        case "'", "\"":
            index = quoted(s, from: index, quote: c, escapes: true)
            return .string
        case "`":
            index = quoted(s, from: index, quote: c, escapes: false)
            return .quotedName
        case _ where isDigit(c) || c == "." && next.map(isDigit) == true:
            index += 1
            until { !(isWordCharacter(s[$0]) || s[$0] == "." || (s[$0 - 1] == "e" || s[$0 - 1] == "E")
                      && (s[$0] == "-" || s[$0] == "+")) }
            return .number
        case _ where ["x", "X", "b", "B"].contains(c) && next == "'":
            index = quoted(s, from: index + 1, quote: "'", escapes: false)
            return .string
        case _ where isWordCharacter(c):
            until { !isWordCharacter(s[$0]) }
            return .word
        default:
            index += 1
            return .punctuation
        }
    }

    /// The index after the closing quote of a quoted token starting at `start` (a doubled quote stays
    /// inside); the end of the text when it is not closed.
    private static func quoted(_ s: [Unicode.Scalar], from start: Int, quote: Unicode.Scalar, escapes: Bool) -> Int {
        var index = start + 1
        while index < s.count {
            if escapes, s[index] == "\\" {
                index += 2
            } else if s[index] == quote {
                guard index + 1 < s.count, s[index + 1] == quote else { return index + 1 }
                index += 2
            } else {
                index += 1
            }
        }
        return s.count
    }

    private static func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }

    private static func isWordCharacter(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c == "$" || c.properties.isAlphabetic || isDigit(c)
    }
}
