/// One statement of a script.
enum Statement: Hashable, Sendable {
    /// `import px`
    case importPx(ScriptLocation)
    /// `target = value`, where target is a name, `df.column` or `df['column']`.
    case assignment(target: Expression, value: Expression)
    /// An expression evaluated for its effect, e.g. `px.display(df)`.
    case expression(Expression)
}
