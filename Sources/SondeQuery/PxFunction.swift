import SondeStore

/// The `px.` functions Sonde supports, called with their arguments.
struct PxFunction {
    /// The aggregates `agg(name=(column, px.count))` accepts.
    static let aggregates: Set<String> = ["count", "sum", "mean", "min", "max", "quantiles"]

    /// Nanoseconds per unit of the duration functions.
    static let durations: [String: Int64] = [
        "nanoseconds": 1, "microseconds": 1_000, "milliseconds": 1_000_000,
        "seconds": 1_000_000_000, "minutes": 60_000_000_000, "hours": 3_600_000_000_000,
    ]

    static let all: Set<String> = aggregates.union(durations.keys).union([
        "DataFrame", "display", "now", "contains", "regex_match", "pluck_float64", "bin", "DurationNanos",
    ])

    let now: Int64
    let arguments: Arguments

    func call(_ name: String, at location: ScriptLocation, displays: inout [Planner.Display]) throws -> Value {
        if let unit = Self.durations[name] {
            let count = try arguments.bind(["count"], required: 1)["count"]!
            return .duration(try Arguments.integer(count.value, at: count.location) * unit)
        }
        switch name {
        case "DataFrame":
            return .frame(try dataFrame())
        case "display":
            let bound = try arguments.bind(["df", "name"], required: 1)
            guard case .frame(let frame) = bound["df"]!.value else {
                throw QueryError("px.display needs a DataFrame, found \(bound["df"]!.value.kind)", at: bound["df"]!.location)
            }
            let title = try bound["name"].map { try Arguments.string($0.value, at: $0.location) } ?? "output"
            displays.append(Planner.Display(name: title, frame: frame))
            return .none
        case "now":
            _ = try arguments.bind([], required: 0)
            return .expression(.literal(now, .time))
        case "contains":
            let (text, part) = try pair("s", "substr")
            return .expression(ColumnExpression(sql: "(instr(\(text.sql), \(part.sql)) > 0)", type: .boolean,
                                                columns: text.columns.union(part.columns)))
        case "regex_match":
            let (pattern, text) = try pair("pattern", "s")
            if case .string(let literal)? = arguments.values.first?.value {
                try QueryFunctions.checkPattern(literal, at: arguments.values[0].location)
            }
            return .expression(ColumnExpression(sql: "\(QueryFunctions.regexMatch)(\(pattern.sql), \(text.sql))",
                                                type: .boolean, columns: text.columns.union(pattern.columns)))
        case "pluck_float64":
            let bound = try arguments.bind(["json", "key"], required: 2)
            let json = try Planner.columnExpression(bound["json"]!.value, at: bound["json"]!.location)
            let key = try Arguments.string(bound["key"]!.value, at: bound["key"]!.location)
            return .expression(ColumnExpression(sql: "CAST(json_extract(\(json.sql), \(("$." + key).quotedLiteral)) AS REAL)",
                                                type: .float64, columns: json.columns))
        case "DurationNanos":
            let bound = try arguments.bind(["value"], required: 1)["value"]!
            var value = try Planner.columnExpression(bound.value, at: bound.location)
            value.type = .duration
            return .expression(value)
        case "bin":
            let bound = try arguments.bind(["column", "size"], required: 2)
            let column = try Planner.columnExpression(bound["column"]!.value, at: bound["column"]!.location)
            let size = try Arguments.integer(bound["size"]!.value, at: bound["size"]!.location)
            guard size > 0 else { throw QueryError("px.bin needs a positive size", at: bound["size"]!.location) }
            return .expression(ColumnExpression(sql: "((\(column.sql) / \(size)) * \(size))", type: column.type,
                                                columns: column.columns))
        default:
            throw QueryError("px.\(name) is an aggregate: use it in agg(name=(column, px.\(name)))", at: location)
        }
    }

    private func pair(_ first: String, _ second: String) throws -> (ColumnExpression, ColumnExpression) {
        let bound = try arguments.bind([first, second], required: 2)
        return (try Planner.columnExpression(bound[first]!.value, at: bound[first]!.location),
                try Planner.columnExpression(bound[second]!.value, at: bound[second]!.location))
    }

    /// `px.DataFrame(table=..., select=[...], start_time=..., end_time=...)`: the rows of a store table
    /// with `start_time <= time_ <= end_time`.
    private func dataFrame() throws -> Frame {
        let bound = try arguments.bind(["table", "select", "start_time", "end_time"], required: 1)
        let tableName = try Arguments.string(bound["table"]!.value, at: bound["table"]!.location)
        guard let table = StoreSchema.table(named: tableName) else {
            throw QueryError("unknown table '\(tableName)'; the store has \(StoreSchema.tables.map(\.name).joined(separator: ", "))",
                             at: bound["table"]!.location)
        }
        let all = Frame(sql: table.name, columns: table.columns.map { ResultColumn(name: $0.name, type: $0.type) })
        var columns = all.columns
        if let select = bound["select"] {
            columns = try Arguments.names(select.value, at: select.location).map { name in
                guard let column = all.column(named: name) else {
                    throw QueryError("unknown column '\(name)'; \(table.name) has \(table.columns.map(\.name).joined(separator: ", "))",
                                     at: select.location)
                }
                return column
            }
        }
        var conditions: [String] = []
        if let start = bound["start_time"] { conditions.append("time_ >= \(try time(start.value, at: start.location))") }
        if let end = bound["end_time"] { conditions.append("time_ <= \(try time(end.value, at: end.location))") }
        var sql = "SELECT \(columns.map(\.name.quotedIdentifier).joined(separator: ", ")) FROM \(table.name)"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        return Frame(sql: sql, columns: columns)
    }

    /// A bound of the time window as SQL: `'-5m'` (relative to now), nanoseconds since the epoch, or a
    /// constant expression such as `px.now() - px.minutes(5)`.
    private func time(_ value: Value, at location: ScriptLocation) throws -> String {
        switch value {
        case .string(let text):
            guard let offset = RelativeTime.nanoseconds(text) else {
                throw QueryError("expected a relative time such as '-5m', '-30s', '-2h' or '-500ms', found '\(text)'", at: location)
            }
            return String(now + offset)
        case .integer(let nanoseconds):
            return String(nanoseconds)
        case .expression(let expression) where expression.columns.isEmpty:
            return expression.sql
        default:
            throw QueryError("expected a time ('-5m', nanoseconds since the epoch or px.now() - px.minutes(5)), found \(value.kind)",
                             at: location)
        }
    }
}
