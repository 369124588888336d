/// Splits a Redis `db.query.text` (`SET greeting ?`, `SET "a b" ?`) into its words, undoing the quoting
/// the span builder applies to arguments holding spaces, quotes or control bytes.
enum RedisQueryWords {
    static func split(_ text: String) -> [String] {
        var words: [String] = []
        var word = ""
        var inQuotes = false
        var escaped = false
        var hasWord = false
        for character in text {
            if escaped {
                word += unescaped(character)
                escaped = false
            } else if inQuotes && character == "\\" {
                escaped = true
            } else if character == "\"" {
                inQuotes.toggle()
                hasWord = true
            } else if character == " " && !inQuotes {
                if hasWord { words.append(word) }
                word = ""
                hasWord = false
            } else {
                word.append(character)
                hasWord = true
            }
        }
        if hasWord { words.append(word) }
        return words
    }

    /// `\n`, `\r`, `\t`, `\"` and `\\` are undone; `\xNN` (other control bytes) stays as written.
    private static func unescaped(_ character: Character) -> String {
        switch character {
        case "n": "\n"
        case "r": "\r"
        case "t": "\t"
        case "\"", "\\": String(character)
        default: "\\" + String(character)
        }
    }
}
