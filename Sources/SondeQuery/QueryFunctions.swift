import Foundation
import GRDB

/// The SQL functions SQLite lacks, registered on every connection a query runs on.
enum QueryFunctions {
    /// `px_quantiles(x)`: see `QuantilesAggregate`.
    static let quantiles = "px_quantiles"
    /// `px_regex_match(pattern, text)`: 1 when the whole of `text` matches `pattern` (like PxL's, an
    /// anchored match), else 0; NULL text never matches.
    static let regexMatch = "px_regex_match"

    /// Throws, naming the pattern's place, unless `pattern` is a valid (ICU) regular expression.
    static func checkPattern(_ pattern: String, at location: ScriptLocation) throws {
        do {
            _ = try NSRegularExpression(pattern: pattern)
        } catch {
            throw QueryError("'\(pattern)' is not a valid regular expression", at: location)
        }
    }

    static func register(on db: Database) {
        db.add(function: DatabaseFunction(quantiles, argumentCount: 1, pure: true, aggregate: QuantilesAggregate.self))
        let cache = RegexCache()
        db.add(function: DatabaseFunction(regexMatch, argumentCount: 2, pure: true) { values in
            guard let pattern = String.fromDatabaseValue(values[0]) else { return 0 }
            guard let text = String.fromDatabaseValue(values[1]) else { return 0 }
            let expression = try cache.expression(pattern)
            let range = NSRange(text.startIndex..., in: text)
            return expression.firstMatch(in: text, options: [.anchored], range: range)?.range == range ? 1 : 0
        })
    }
}

/// Compiled patterns by their text: a query compiles its pattern once, not once per row.
private final class RegexCache: @unchecked Sendable {
    private let lock = NSLock()
    private var expressions: [String: NSRegularExpression] = [:]

    func expression(_ pattern: String) throws -> NSRegularExpression {
        lock.lock()
        defer { lock.unlock() }
        if let expression = expressions[pattern] { return expression }
        let expression = try NSRegularExpression(pattern: "(?:\(pattern))\\z")
        expressions[pattern] = expression
        return expression
    }
}
