import SondeStore

/// Runs a parsed script's statements symbolically: each DataFrame step becomes a nested SELECT, and
/// each `px.display` a named plan. Nothing touches the store here.
struct Planner {
    /// One `px.display(df, 'name')`.
    struct Display {
        var name: String
        var frame: Frame
    }

    /// Nanoseconds since the epoch that relative times (`'-5m'`) and `px.now()` count from.
    let now: Int64
    private(set) var displays: [Display] = []
    private var variables: [String: Value] = [:]

    init(now: Int64) {
        self.now = now
    }

    /// The displays of `script`, or its first error.
    static func plan(_ script: String, now: Int64) throws -> [Display] {
        var planner = Planner(now: now)
        for statement in try Parser.parse(script) {
            try planner.execute(statement)
        }
        guard !planner.displays.isEmpty else {
            throw QueryError("the script displays nothing: call px.display(df, 'name')", at: nil)
        }
        return planner.displays
    }

    mutating func execute(_ statement: Statement) throws {
        switch statement {
        case .importPx:
            variables["px"] = .px
        case .expression(let expression):
            _ = try evaluate(expression)
        case .assignment(let target, let value):
            try assign(try evaluate(value), to: target)
        }
    }

    private mutating func assign(_ value: Value, to target: Expression) throws {
        switch target {
        case .name(let name, _):
            variables[name] = value
        case .attribute(.name(let frameName, let location), let column, _):
            variables[frameName] = .frame(try frame(frameName, at: location).assigning(value, to: column, at: target.location))
        case .subscripted(.name(let frameName, let location), .string(let column, _), _):
            variables[frameName] = .frame(try frame(frameName, at: location).assigning(value, to: column, at: target.location))
        default:
            throw QueryError("cannot assign here: expected a name, 'df.column' or \"df['column']\"", at: target.location)
        }
    }

    private func frame(_ name: String, at location: ScriptLocation) throws -> Frame {
        guard case .frame(let frame) = try lookUp(name, at: location) else {
            throw QueryError("'\(name)' is not a DataFrame", at: location)
        }
        return frame
    }

    private func lookUp(_ name: String, at location: ScriptLocation) throws -> Value {
        switch name {
        case "True": return .boolean(true)
        case "False": return .boolean(false)
        case "None": return .none
        default: break
        }
        if let value = variables[name] { return value }
        if name == "px" { throw QueryError("'px' is used before 'import px'", at: location) }
        throw QueryError("unknown name '\(name)'", at: location)
    }

    mutating func evaluate(_ expression: Expression) throws -> Value {
        switch expression {
        case .name(let name, let location):
            return try lookUp(name, at: location)
        case .string(let value, _):
            return .string(value)
        case .integer(let value, _):
            return .integer(value)
        case .float(let value, _):
            return .float(value)
        case .list(let elements, _):
            return .list(try elements.map { try evaluate($0) })
        case .tuple(let elements, _):
            return .tuple(try elements.map { try evaluate($0) })
        case .attribute(let base, let name, let location):
            return try attribute(name, of: try evaluate(base), at: location)
        case .subscripted(let base, let index, let location):
            return try subscripted(try evaluate(base), index: try evaluate(index), at: location, indexAt: index.location)
        case .call(let callee, let arguments, let location):
            return try call(callee, arguments, at: location)
        case .binary(let symbol, let left, let right, let location):
            let operation = ColumnOperation(symbol: symbol, location: location)
            return .expression(try operation.apply(try operand(left), try operand(right)))
        case .unary(let symbol, let operand, let location):
            let value = try self.operand(operand)
            if symbol == "not" {
                return .expression(ColumnExpression(sql: "(NOT \(value.sql))", type: .boolean, columns: value.columns))
            }
            guard value.type != .string, value.type != .boolean else {
                throw QueryError("cannot negate \(value.type.rawValue)", at: location)
            }
            return .expression(ColumnExpression(sql: "(-\(value.sql))", type: value.type, columns: value.columns))
        }
    }

    /// `expression` as a per-row value (a column, a constant or an expression over them).
    mutating func operand(_ expression: Expression) throws -> ColumnExpression {
        try Self.columnExpression(try evaluate(expression), at: expression.location)
    }

    static func columnExpression(_ value: Value, at location: ScriptLocation) throws -> ColumnExpression {
        switch value {
        case .expression(let expression): return expression
        case .string(let text): return .literal(text)
        case .integer(let number): return .literal(number)
        case .float(let number): return .literal(number)
        case .boolean(let flag): return .literal(flag ? 1 : 0, .boolean)
        case .duration(let nanoseconds): return .literal(nanoseconds, .duration)
        default: throw QueryError("expected a column or a value, found \(value.kind)", at: location)
        }
    }

    private func attribute(_ name: String, of base: Value, at location: ScriptLocation) throws -> Value {
        switch base {
        case .px:
            guard PxFunction.all.contains(name) else {
                throw QueryError("px has no '\(name)'; Sonde supports px.\(PxFunction.all.sorted().joined(separator: ", px."))",
                                 at: location)
            }
            return .function(name)
        case .frame(let frame):
            if name == "ctx" { return .context(frame) }
            return .expression(try frame.columnExpression(name, at: location))
        default:
            throw QueryError("\(base.kind) has no attribute '\(name)'", at: location)
        }
    }

    private func subscripted(_ base: Value, index: Value, at location: ScriptLocation,
                             indexAt indexLocation: ScriptLocation) throws -> Value {
        switch (base, index) {
        case (.frame(let frame), .string(let name)):
            return .expression(try frame.columnExpression(name, at: indexLocation))
        case (.frame(let frame), .list):
            let names = try Arguments.names(index, at: indexLocation)
            return .frame(frame.derived(try names.map { (try frame.columnExpression($0, at: indexLocation), $0) }))
        case (.frame(let frame), .expression(let condition)):
            try frame.check(condition, at: indexLocation)
            return .frame(frame.derived(frame.passthrough, where: condition.sql))
        case (.context(let frame), .string(let key)):
            guard ["service", "pid", "upid"].contains(key) else {
                throw QueryError("df.ctx has no '\(key)'; Sonde maps 'service', 'pid' and 'upid'", at: indexLocation)
            }
            return .expression(try frame.columnExpression(key, at: indexLocation))
        case (.frame, _):
            throw QueryError("expected a column name, a list of column names or a condition between '[' and ']', found \(index.kind)",
                             at: indexLocation)
        default:
            throw QueryError("\(base.kind) cannot be subscripted", at: location)
        }
    }

    private mutating func call(_ callee: Expression, _ syntax: [Expression.Argument], at location: ScriptLocation) throws -> Value {
        guard case .attribute(let baseSyntax, let name, let nameLocation) = callee else {
            throw QueryError("only px functions and DataFrame methods can be called", at: callee.location)
        }
        let base = try evaluate(baseSyntax)
        var arguments = Arguments(location: location, callee: "")
        for argument in syntax {
            arguments.values.append((argument.label, try evaluate(argument.value), argument.value.location))
        }
        switch base {
        case .px:
            arguments.callee = "px.\(name)"
            return try PxFunction(now: now, arguments: arguments).call(name, at: nameLocation, displays: &displays)
        case .frame(let frame):
            arguments.callee = "df.\(name)"
            return try FrameMethod(frame: frame, arguments: arguments).call(name, at: nameLocation)
        case .grouped(let frame, let keys) where name == "agg":
            arguments.callee = "agg"
            return .frame(try Aggregation(frame: frame, keys: keys, arguments: arguments).planned())
        default:
            throw QueryError("\(base.kind) has no method '\(name)'", at: nameLocation)
        }
    }
}

extension Frame {
    /// The column `name` as an expression, or an error naming the columns there are.
    func columnExpression(_ name: String, at location: ScriptLocation) throws -> ColumnExpression {
        guard let column = column(named: name) else {
            throw QueryError("unknown column '\(name)'; the DataFrame has \(columns.map(\.name).joined(separator: ", "))",
                             at: location)
        }
        return .column(column.name, column.type)
    }

    /// Throws unless every column `expression` reads is one of this frame's.
    func check(_ expression: ColumnExpression, at location: ScriptLocation) throws {
        for name in expression.columns.sorted() where column(named: name) == nil {
            _ = try columnExpression(name, at: location)
        }
    }

    /// This frame with column `name` set to `value` (replaced in place, or added at the end).
    func assigning(_ value: Value, to name: String, at location: ScriptLocation) throws -> Frame {
        let expression = try Planner.columnExpression(value, at: location)
        try check(expression, at: location)
        var outputs = passthrough
        if let index = outputs.firstIndex(where: { $0.name == name }) {
            outputs[index] = (expression, name)
        } else {
            outputs.append((expression, name))
        }
        return derived(outputs)
    }
}
