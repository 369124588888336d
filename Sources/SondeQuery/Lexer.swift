/// Splits a script into tokens. Line breaks inside `(`, `[` end no statement (Python's implicit line
/// continuation); `;` also ends a statement; `#` starts a comment; leading indentation is ignored (the subset has no blocks).
struct Lexer {
    private let characters: [Character]
    private var index = 0
    private var line = 1
    private var column = 1
    /// How many brackets are open: line breaks inside them end no statement.
    private var depth = 0

    init(_ script: String) {
        characters = Array(script)
    }

    /// Every token of the script, ending with `.end`.
    static func tokens(of script: String) throws -> [Token] {
        var lexer = Lexer(script)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private var location: ScriptLocation { ScriptLocation(line: line, column: column) }

    private var current: Character? { index < characters.count ? characters[index] : nil }

    private func peek(_ offset: Int) -> Character? {
        index + offset < characters.count ? characters[index + offset] : nil
    }

    private mutating func advance() {
        if characters[index] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    private mutating func next() throws -> Token {
        while let character = current {
            if character == "#" {
                while let c = current, c != "\n" { advance() }
            } else if (character == "\n" && depth == 0) || character == ";" {
                let start = location
                advance()
                return Token(kind: .newline, location: start)
            } else if character == "\\" && peek(1) == "\n" {
                advance()
                advance()
            } else if character.isWhitespace {
                advance()
            } else {
                break
            }
        }
        let start = location
        guard let character = current else { return Token(kind: .end, location: start) }
        if character == "'" || character == "\"" {
            return Token(kind: .string(try string(quote: character, start: start)), location: start)
        }
        if character.isNumber || (character == "." && peek(1)?.isNumber == true) {
            return Token(kind: try number(start: start), location: start)
        }
        if character.isLetter || character == "_" {
            var name = ""
            while let c = current, c.isLetter || c.isNumber || c == "_" {
                name.append(c)
                advance()
            }
            return Token(kind: .name(name), location: start)
        }
        return Token(kind: .symbol(try symbol(start: start)), location: start)
    }

    private mutating func symbol(start: ScriptLocation) throws -> String {
        let character = current!
        if let second = peek(1), second == "=", "=!<>".contains(character) {
            advance()
            advance()
            return String([character, second])
        }
        switch character {
        case "(", "[":
            depth += 1
        case ")", "]":
            depth = max(0, depth - 1)
        case ",", ".", "=", "<", ">", "+", "-", "*", "/", "%":
            break
        default:
            throw QueryError("unexpected character '\(character)'", at: start)
        }
        advance()
        return String(character)
    }

    private mutating func string(quote: Character, start: ScriptLocation) throws -> String {
        advance()
        var value = ""
        while let character = current, character != quote {
            if character == "\n" { break }
            if character == "\\", let escaped = peek(1) {
                advance()
                advance()
                switch escaped {
                case "n": value.append("\n")
                case "t": value.append("\t")
                default: value.append(escaped)
                }
                continue
            }
            value.append(character)
            advance()
        }
        guard current == quote else {
            throw QueryError("unterminated string: expected the closing \(quote) of the string opened at \(start)",
                             at: location)
        }
        advance()
        return value
    }

    private mutating func number(start: ScriptLocation) throws -> Token.Kind {
        var text = ""
        while let c = current, c.isNumber || c == "." || c == "_" || c == "e" || c == "E"
            || ((c == "+" || c == "-") && (text.last == "e" || text.last == "E")) {
            if c != "_" { text.append(c) }
            advance()
        }
        if let integer = Int64(text) { return .integer(integer) }
        if let float = Double(text) { return .float(float) }
        throw QueryError("malformed number '\(text)'", at: start)
    }
}
