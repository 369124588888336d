@testable import SondeQuery
import Testing

/// The syntax the subset accepts, parsed into the expected trees.
@Suite struct ParserTests {
    static func at(_ line: Int, _ column: Int) -> ScriptLocation { ScriptLocation(line: line, column: column) }

    @Test func importAssignmentsAndComments() throws {
        let statements = try Parser.parse("""
            import px  # the only module
            df = px.DataFrame(table="http_events")
            df['x'] = 1.5; df.y = -df.x
            """)
        #expect(statements == [
            .importPx(Self.at(1, 1)),
            .assignment(target: .name("df", Self.at(2, 1)),
                        value: .call(.attribute(.name("px", Self.at(2, 6)), "DataFrame", Self.at(2, 9)),
                                     [.init(label: "table", value: .string("http_events", Self.at(2, 25)))], Self.at(2, 18))),
            .assignment(target: .subscripted(.name("df", Self.at(3, 1)), .string("x", Self.at(3, 4)), Self.at(3, 3)),
                        value: .float(1.5, Self.at(3, 11))),
            .assignment(target: .attribute(.name("df", Self.at(3, 16)), "y", Self.at(3, 19)),
                        value: .unary("-", .attribute(.name("df", Self.at(3, 24)), "x", Self.at(3, 27)), Self.at(3, 23))),
        ])
    }

    @Test func precedenceFollowsPython() throws {
        let statements = try Parser.parse("a = not b == 1 or c and d + 2 * 3 > 4")
        guard case .assignment(_, let value) = statements[0] else { Issue.record("not an assignment"); return }
        let expected: Expression = .binary(
            "or",
            .unary("not", .binary("==", .name("b", Self.at(1, 9)), .integer(1, Self.at(1, 14)), Self.at(1, 11)), Self.at(1, 5)),
            .binary("and", .name("c", Self.at(1, 19)),
                    .binary(">", .binary("+", .name("d", Self.at(1, 25)),
                                         .binary("*", .integer(2, Self.at(1, 29)), .integer(3, Self.at(1, 33)), Self.at(1, 31)),
                                         Self.at(1, 27)),
                            .integer(4, Self.at(1, 37)), Self.at(1, 35)),
                    Self.at(1, 21)),
            Self.at(1, 16))
        #expect(value == expected)
    }

    @Test func listsTuplesContinuationAndTrailingCommas() throws {
        let statements = try Parser.parse("""
            x = f(
                a=('latency', px.count),  # comment inside the call
                b=[1, 2,],
            )
            y = (1,)
            z = 'it\\'s'
            """)
        #expect(statements.count == 3)
        guard case .assignment(_, .call(_, let arguments, _)) = statements[0] else { Issue.record("not a call"); return }
        #expect(arguments.map(\.label) == ["a", "b"])
        #expect(arguments[0].value == .tuple([.string("latency", Self.at(2, 8)),
                                              .attribute(.name("px", Self.at(2, 19)), "count", Self.at(2, 22))], Self.at(2, 7)))
        #expect(arguments[1].value == .list([.integer(1, Self.at(3, 8)), .integer(2, Self.at(3, 11))], Self.at(3, 7)))
        #expect(statements[1] == .assignment(target: .name("y", Self.at(5, 1)), value: .tuple([.integer(1, Self.at(5, 6))], Self.at(5, 5))))
        #expect(statements[2] == .assignment(target: .name("z", Self.at(6, 1)), value: .string("it's", Self.at(6, 5))))
    }

    @Test func relativeTimes() {
        #expect(["-5m", "-30s", "-2h", "-500ms", "-1d", "10us", "+7ns", "5", "-5 m", "m"].map(RelativeTime.nanoseconds)
                == [-300_000_000_000, -30_000_000_000, -7_200_000_000_000, -500_000_000, -86_400_000_000_000, 10_000, 7, nil, nil, nil])
    }
}
