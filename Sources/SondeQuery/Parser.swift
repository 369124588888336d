/// Parses a script into statements (recursive descent, Python's precedence: `or` < `and` < `not` <
/// comparisons < `+ -` < `* / %` < unary `-` < calls, attributes and subscripts).
struct Parser {
    private let tokens: [Token]
    private var position = 0

    private init(tokens: [Token]) {
        self.tokens = tokens
    }

    /// The statements of `script`, or the first error with its line and column.
    static func parse(_ script: String) throws -> [Statement] {
        var parser = Parser(tokens: try Lexer.tokens(of: script))
        return try parser.statements()
    }

    private var token: Token { tokens[position] }

    private mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func isSymbol(_ symbol: String) -> Bool { token.kind == .symbol(symbol) }

    private mutating func take(_ symbol: String) -> Bool {
        guard isSymbol(symbol) else { return false }
        _ = advance()
        return true
    }

    private func failure(expected: String) -> QueryError {
        QueryError("expected \(expected), found \(token.quoted)", at: token.location)
    }

    private mutating func statements() throws -> [Statement] {
        var statements: [Statement] = []
        while true {
            while token.kind == .newline { _ = advance() }
            if token.kind == .end { return statements }
            statements.append(try statement())
            guard token.kind == .newline || token.kind == .end else {
                throw failure(expected: "the end of the statement")
            }
        }
    }

    private mutating func statement() throws -> Statement {
        if token.kind == .name("import") {
            let start = advance().location
            guard case .name(let module) = token.kind else { throw failure(expected: "a module name after 'import'") }
            guard module == "px" else {
                throw QueryError("only 'import px' is supported, not '\(module)'", at: token.location)
            }
            _ = advance()
            return .importPx(start)
        }
        let start = token.location
        let expression = try self.expression()
        guard isSymbol("=") else { return .expression(expression) }
        switch expression {
        case .name, .attribute, .subscripted:
            break
        default:
            throw QueryError("cannot assign to this expression: expected a name, 'df.column' or \"df['column']\"",
                             at: start)
        }
        _ = advance()
        return .assignment(target: expression, value: try self.expression())
    }

    /// Binary operators from the loosest to the tightest; all associate to the left. `not` sits
    /// between `and` and the comparisons.
    private static let levels: [Set<String>] = [
        ["or"], ["and"], ["==", "!=", "<", "<=", ">", ">="], ["+", "-"], ["*", "/", "%"],
    ]
    private static let negationLevel = 2

    private mutating func expression() throws -> Expression {
        try binary(level: 0)
    }

    private mutating func binary(level: Int) throws -> Expression {
        guard level < Self.levels.count else { return try unary() }
        if level == Self.negationLevel, token.kind == .name("not") {
            let location = advance().location
            return .unary("not", try binary(level: level), location)
        }
        var left = try binary(level: level + 1)
        while let symbol = binaryOperator, Self.levels[level].contains(symbol) {
            let location = advance().location
            left = .binary(symbol, left, try binary(level: level + 1), location)
        }
        return left
    }

    /// The current token as a binary operator's text, if it can be one.
    private var binaryOperator: String? {
        switch token.kind {
        case .symbol(let symbol): symbol
        case .name(let name) where name == "and" || name == "or": name
        default: nil
        }
    }

    private mutating func unary() throws -> Expression {
        guard isSymbol("-") else { return try postfix() }
        let location = advance().location
        return .unary("-", try unary(), location)
    }

    private mutating func postfix() throws -> Expression {
        var expression = try atom()
        while true {
            if isSymbol(".") {
                _ = advance()
                guard case .name(let name) = token.kind else { throw failure(expected: "an attribute name after '.'") }
                expression = .attribute(expression, name, advance().location)
            } else if isSymbol("(") {
                let open = advance().location
                expression = .call(expression, try arguments(openedAt: open), open)
            } else if isSymbol("[") {
                let open = advance().location
                let index = try self.expression()
                try close("]", what: "subscript", openedAt: open)
                expression = .subscripted(expression, index, open)
            } else {
                return expression
            }
        }
    }

    private mutating func close(_ symbol: String, what: String, openedAt open: ScriptLocation) throws {
        guard take(symbol) else {
            throw QueryError("expected '\(symbol)' to close the \(what) opened at \(open), found \(token.quoted)",
                             at: token.location)
        }
    }

    private mutating func arguments(openedAt open: ScriptLocation) throws -> [Expression.Argument] {
        var arguments: [Expression.Argument] = []
        while !take(")") {
            if token.kind == .end {
                throw QueryError("expected ')' to close the call opened at \(open), found \(token.quoted)",
                                 at: token.location)
            }
            var label: String?
            if case .name(let name) = token.kind, tokens[position + 1].kind == .symbol("=") {
                label = name
                _ = advance()
                _ = advance()
            } else if arguments.last?.label != nil {
                throw QueryError("positional argument after a keyword argument", at: token.location)
            }
            arguments.append(Expression.Argument(label: label, value: try expression()))
            if !take(","), !isSymbol(")") {
                let expected = token.kind == .end ? "')' to close" : "',' or ')' in"
                throw QueryError("expected \(expected) the call opened at \(open), found \(token.quoted)", at: token.location)
            }
        }
        return arguments
    }

    /// Elements up to `closing`, separated by commas, a trailing comma allowed.
    private mutating func elements(closing: String, what: String, openedAt open: ScriptLocation)
        throws -> (elements: [Expression], trailingComma: Bool) {
        var elements: [Expression] = []
        var trailingComma = false
        while !take(closing) {
            if token.kind == .end || isSymbol(closing == "]" ? ")" : "]") {
                throw QueryError("expected '\(closing)' to close the \(what) opened at \(open), found \(token.quoted)",
                                 at: token.location)
            }
            elements.append(try expression())
            trailingComma = take(",")
            if !trailingComma && !isSymbol(closing) {
                let expected = token.kind == .end ? "'\(closing)' to close" : "',' or '\(closing)' in"
                throw QueryError("expected \(expected) the \(what) opened at \(open), found \(token.quoted)", at: token.location)
            }
        }
        return (elements, trailingComma)
    }

    private mutating func atom() throws -> Expression {
        let token = self.token
        switch token.kind {
        case .name(let name) where !["and", "or", "not", "import"].contains(name):
            _ = advance()
            return .name(name, token.location)
        case .string(let value):
            _ = advance()
            return .string(value, token.location)
        case .integer(let value):
            _ = advance()
            return .integer(value, token.location)
        case .float(let value):
            _ = advance()
            return .float(value, token.location)
        case .symbol("["):
            _ = advance()
            return .list(try elements(closing: "]", what: "list", openedAt: token.location).elements, token.location)
        case .symbol("("):
            _ = advance()
            let (elements, trailingComma) = try self.elements(closing: ")", what: "parenthesis", openedAt: token.location)
            if elements.count == 1 && !trailingComma { return elements[0] }
            return .tuple(elements, token.location)
        default:
            throw failure(expected: "an expression")
        }
    }
}
