/// The DataFrame methods: `head`, `drop`, `groupby`, `agg`, `merge` and Sonde's own `sort`.
struct FrameMethod {
    let frame: Frame
    let arguments: Arguments

    func call(_ name: String, at location: ScriptLocation) throws -> Value {
        switch name {
        case "head":
            let bound = try arguments.bind(["n"], required: 0)
            let count = try bound["n"].map { try Arguments.integer($0.value, at: $0.location) } ?? 5
            return .frame(frame.derived(frame.passthrough, limit: count))
        case "drop":
            let bound = try arguments.bind(["columns"], required: 1)["columns"]!
            let dropped = try Arguments.names(bound.value, at: bound.location)
            for column in dropped { _ = try frame.columnExpression(column, at: bound.location) }
            return .frame(frame.derived(frame.passthrough.filter { !dropped.contains($0.name) }))
        case "groupby":
            let bound = try arguments.bind(["by"], required: 1)["by"]!
            let keys = try Arguments.names(bound.value, at: bound.location)
            for key in keys { _ = try frame.columnExpression(key, at: bound.location) }
            return .grouped(frame, keys)
        case "agg":
            return .frame(try Aggregation(frame: frame, keys: [], arguments: arguments).planned())
        case "sort":
            return .frame(try sorted())
        case "merge":
            return .frame(try merged())
        default:
            throw QueryError("a DataFrame has no method '\(name)'; Sonde supports head, drop, groupby, agg, merge and sort",
                             at: location)
        }
    }

    /// `df.sort('col', ascending=False)` or `df.sort(['a', 'b'], ascending=[True, False])`.
    private func sorted() throws -> Frame {
        let bound = try arguments.bind(["by", "ascending"], required: 1)
        let columns = try Arguments.names(bound["by"]!.value, at: bound["by"]!.location)
        for column in columns { _ = try frame.columnExpression(column, at: bound["by"]!.location) }
        var ascending = Array(repeating: true, count: columns.count)
        if let given = bound["ascending"] {
            switch given.value {
            case .boolean(let flag):
                ascending = Array(repeating: flag, count: columns.count)
            case .list(let flags) where flags.count == columns.count:
                ascending = try flags.map { flag in
                    guard case .boolean(let value) = flag else {
                        throw QueryError("expected True or False in ascending, found \(flag.kind)", at: given.location)
                    }
                    return value
                }
            default:
                throw QueryError("expected True, False or one of them per sort column for ascending", at: given.location)
            }
        }
        let ordering = zip(columns, ascending).map { (column: $0, ascending: $1) }
        return frame.derived(frame.passthrough, ordering: ordering)
    }

    /// `left.merge(right, how='inner', left_on=[...], right_on=[...], suffixes=['_x', '_y'])`: a join
    /// on equal keys; a column both sides have gets the suffixes.
    private func merged() throws -> Frame {
        let bound = try arguments.bind(["right", "how", "left_on", "right_on", "suffixes"], required: 4)
        guard case .frame(let right) = bound["right"]!.value else {
            throw QueryError("merge needs a DataFrame to merge with, found \(bound["right"]!.value.kind)", at: bound["right"]!.location)
        }
        let how = try Arguments.string(bound["how"]!.value, at: bound["how"]!.location)
        let joins = ["inner": "JOIN", "left": "LEFT JOIN", "right": "RIGHT JOIN", "outer": "FULL OUTER JOIN"]
        guard let join = joins[how] else {
            throw QueryError("expected how='inner', 'left', 'right' or 'outer', found '\(how)'", at: bound["how"]!.location)
        }
        let leftKeys = try Arguments.names(bound["left_on"]!.value, at: bound["left_on"]!.location)
        let rightKeys = try Arguments.names(bound["right_on"]!.value, at: bound["right_on"]!.location)
        guard leftKeys.count == rightKeys.count, !leftKeys.isEmpty else {
            throw QueryError("left_on and right_on need the same number of columns (at least one)", at: bound["right_on"]!.location)
        }
        for key in leftKeys { _ = try frame.columnExpression(key, at: bound["left_on"]!.location) }
        for key in rightKeys { _ = try right.columnExpression(key, at: bound["right_on"]!.location) }
        var suffixes = ["_x", "_y"]
        if let given = bound["suffixes"] {
            suffixes = try Arguments.names(given.value, at: given.location)
            guard suffixes.count == 2 else { throw QueryError("suffixes needs two strings", at: given.location) }
        }
        let shared = Set(frame.columns.map(\.name)).intersection(right.columns.map(\.name))
        func outputs(_ side: Frame, alias: String, suffix: String) -> [(String, ResultColumn)] {
            side.columns.map { column in
                let name = shared.contains(column.name) ? column.name + suffix : column.name
                return ("\(alias).\(column.name.quotedIdentifier) AS \(name.quotedIdentifier)",
                        ResultColumn(name: name, type: column.type))
            }
        }
        let all = outputs(frame, alias: "l", suffix: suffixes[0]) + outputs(right, alias: "r", suffix: suffixes[1])
        let names = all.map(\.1.name)
        if let duplicate = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
            throw QueryError("the merge would have two columns named '\(duplicate)'; choose other suffixes", at: arguments.location)
        }
        let on = zip(leftKeys, rightKeys).map { "l.\($0.quotedIdentifier) = r.\($1.quotedIdentifier)" }
        let sql = "SELECT \(all.map(\.0).joined(separator: ", ")) FROM (\(frame.sql)) AS l \(join) (\(right.sql)) AS r ON "
            + on.joined(separator: " AND ")
        return Frame(sql: sql, columns: all.map(\.1))
    }
}
