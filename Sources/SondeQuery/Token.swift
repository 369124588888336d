/// One lexical unit of a script, with where it starts.
struct Token: Hashable, Sendable {
    enum Kind: Hashable, Sendable {
        case name(String)
        case string(String)
        case integer(Int64)
        case float(Double)
        /// Punctuation and operators: `(`, `)`, `[`, `]`, `,`, `.`, `=`, `==`, `!=`, `<`, `<=`, `>`, `>=`,
        /// `+`, `-`, `*`, `/`, `%`.
        case symbol(String)
        /// The end of a statement (a line break outside brackets).
        case newline
        case end
    }

    var kind: Kind
    var location: ScriptLocation

    /// How an error message names this token.
    var quoted: String {
        switch kind {
        case .name(let name): "'\(name)'"
        case .string: "a string"
        case .integer(let value): "'\(value)'"
        case .float(let value): "'\(value)'"
        case .symbol(let symbol): "'\(symbol)'"
        case .newline: "the end of the line"
        case .end: "the end of the script"
        }
    }
}
