import Foundation
import SondeStore

/// How `sonde query` writes result tables.
///
/// - `table`: aligned columns for people: `time` columns as UTC timestamps, `duration` columns as
///   e.g. `1.50ms`, each table under its name.
/// - `json`: one JSON object per table and line, `{"name":…,"columns":[{"name":…,"type":…}],"rows":[{…}]}`,
///   raw values (times and durations in nanoseconds).
/// - `csv`: a header line and one line per row (RFC 4180 quoting), raw values; several tables are
///   separated by an empty line, each preceded by `# name`.
public enum ResultFormat: String, CaseIterable, Sendable {
    case table, json, csv

    public func render(_ tables: [ResultTable]) -> String {
        switch self {
        case .table: tables.map(Self.table).joined(separator: "\n")
        case .json: tables.map(Self.json).joined()
        case .csv: tables.count == 1 ? Self.csv(tables[0]) : tables.map { "# \($0.name)\n" + Self.csv($0) }.joined(separator: "\n")
        }
    }

    private static func table(_ table: ResultTable) -> String {
        let cells = table.rows.map { row in zip(row, table.columns).map { shown($0, as: $1.type) } }
        let widths = table.columns.indices.map { column in
            cells.reduce(table.columns[column].name.count) { max($0, $1[column].count) }
        }
        let rightAligned = table.columns.map { $0.type != .string }
        func line(_ fields: [String]) -> String {
            zip(fields, widths.indices).map { field, column in
                rightAligned[column] ? field.padded(to: widths[column], left: true) : field.padded(to: widths[column], left: false)
            }.joined(separator: "  ").trimmingTrailingSpaces + "\n"
        }
        let rule = widths.map { String(repeating: "-", count: $0) }
        let count = "\(table.rows.count) row\(table.rows.count == 1 ? "" : "s")"
        return "\(table.name) (\(count))\n" + line(table.columns.map(\.name)) + line(rule) + cells.map(line).joined()
    }

    /// A cell for people: times and durations made readable, reals with up to 4 decimals.
    public static func shown(_ value: QueryValue, as type: StoreColumn.ValueType) -> String {
        switch (value, type) {
        case (.null, _): return "null"
        case (.integer(let nanoseconds), .time): return Timestamp.utc(nanoseconds)
        case (.integer(let nanoseconds), .duration): return Timestamp.duration(Double(nanoseconds))
        case (.real(let nanoseconds), .duration): return Timestamp.duration(nanoseconds)
        case (.real(let nanoseconds), .time): return Timestamp.utc(Int64(nanoseconds))
        case (.integer(let number), _): return String(number)
        case (.real(let number), _): return number.rounded() == number && abs(number) < 1e15
            ? String(Int64(number)) : String(format: "%.4f", number)
        case (.text(let text), _): return text
        }
    }

    private static func json(_ table: ResultTable) -> String {
        let columns = table.columns.map { "{\"name\":\($0.name.jsonString),\"type\":\($0.type.rawValue.jsonString)}" }
        let rows = table.rows.map { row in
            "{" + zip(table.columns, row).map { "\($0.name.jsonString):\($1.json)" }.joined(separator: ",") + "}"
        }
        return "{\"name\":\(table.name.jsonString),\"columns\":[\(columns.joined(separator: ","))],\"rows\":[\(rows.joined(separator: ","))]}\n"
    }

    private static func csv(_ table: ResultTable) -> String {
        let header = table.columns.map { $0.name.csvField }.joined(separator: ",")
        let rows = table.rows.map { row in row.map(\.csv).joined(separator: ",") }
        return ([header] + rows).map { $0 + "\n" }.joined()
    }
}

extension QueryValue {
    /// The raw value as JSON.
    var json: String {
        switch self {
        case .null: "null"
        case .integer(let number): String(number)
        case .real(let number): number.isFinite ? "\(number)" : "null"
        case .text(let text): text.jsonString
        }
    }

    /// The raw value as a CSV field (empty for NULL).
    var csv: String {
        switch self {
        case .null: ""
        case .integer(let number): String(number)
        case .real(let number): "\(number)"
        case .text(let text): text.csvField
        }
    }
}

extension String {
    /// A JSON string literal.
    var jsonString: String {
        var out = "\""
        for scalar in unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break.
    var csvField: String {
        guard contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return self }
        return "\"" + replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    func padded(to width: Int, left: Bool) -> String {
        let padding = String(repeating: " ", count: max(0, width - count))
        return left ? padding + self : self + padding
    }

    var trimmingTrailingSpaces: String {
        String(reversed().drop { $0 == " " }.reversed())
    }
}
