import SondeQuery
import Testing

/// Malformed and wrong scripts: each error names the line, the column and what was expected.
@Suite struct ScriptErrorTests {
    static func error(_ script: String) -> String {
        do {
            _ = try QueryEngine.sql(for: script, now: 0)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: [
        ("df = px.DataFrame(table='http_events'",
         "line 1, column 38: expected ')' to close the call opened at line 1, column 18, found the end of the script"),
        ("import px\ndf = px.DataFrame(table='http_events'\npx.display(df)",
         "line 3, column 1: expected ',' or ')' in the call opened at line 2, column 18, found 'px'"),
        ("df = px.DataFrame(table='http_events)\n",
         "line 1, column 38: unterminated string: expected the closing ' of the string opened at line 1, column 25"),
        ("import px\ndf =\n", "line 2, column 5: expected an expression, found the end of the line"),
        ("x = 3 $ 4", "line 1, column 7: unexpected character '$'"),
        ("import os", "line 1, column 8: only 'import px' is supported, not 'os'"),
        ("import px\ndf = px.DataFrame(table='http_events')\ndf = df[df.latency > ]",
         "line 3, column 22: expected an expression, found ']'"),
        ("cols = ['a', 'b'\npx.display(df)",
         "line 2, column 1: expected ',' or ']' in the list opened at line 1, column 8, found 'px'"),
        ("df = px.DataFrame(table='http_events', 'y')", "line 1, column 40: positional argument after a keyword argument"),
        ("import px\n  px.display(df) = 3",
         "line 2, column 3: cannot assign to this expression: expected a name, 'df.column' or \"df['column']\""),
        ("df = 3)", "line 1, column 7: expected the end of the statement, found ')'"),
        ("df = (1, 2", "line 1, column 11: expected ')' to close the parenthesis opened at line 1, column 6, found the end of the script"),
        ("df = df.", "line 1, column 9: expected an attribute name after '.', found the end of the script"),
        ("x = 1e", "line 1, column 5: malformed number '1e'"),
    ])
    func syntaxErrors(script: String, message: String) {
        #expect(Self.error(script) == message)
    }

    @Test(arguments: [
        ("import px\ndf = px.DataFrame(table='http')",
         "line 2, column 25: unknown table 'http'; the store has http_events, mysql_events, redis_events, spans, process"),
        ("import px\ndf = px.DataFrame(table='http_events', select=['req_path', 'latency'])\ndf.x = df.latncy",
         "line 3, column 11: unknown column 'latncy'; the DataFrame has req_path, latency"),
        ("import px\ndf = px.DataFrame(table='redis_events', select=['req_pth'])",
         "line 2, column 48: unknown column 'req_pth'; redis_events has time_, upid, pid, service, remote_addr, remote_port, local_addr, local_port, trace_role, encrypted, latency, trace_id, span_id, req_cmd, req_args, resp"),
        ("import px\ndf = px.DataFrame(table='http_events')", "the script displays nothing: call px.display(df, 'name')"),
        ("df = px.DataFrame(table='http_events')", "line 1, column 6: 'px' is used before 'import px'"),
        ("import px\ndf = px.DataFrame(table='http_events', start='-5m')",
         "line 2, column 46: px.DataFrame has no argument 'start'; it takes table, select, start_time, end_time"),
        ("import px\ndf = px.DataFrame(table='http_events', start_time='5 minutes')",
         "line 2, column 51: expected a relative time such as '-5m', '-30s', '-2h' or '-500ms', found '5 minutes'"),
        ("import px\ndf = px.DataFrame(table='http_events')\ndf = df.groupby('req_path').agg(n=('latency', px.median))",
         "line 3, column 50: px has no 'median'; Sonde supports px.DataFrame, px.DurationNanos, px.bin, px.contains, px.count, px.display, px.hours, px.max, px.mean, px.microseconds, px.milliseconds, px.min, px.minutes, px.nanoseconds, px.now, px.pluck_float64, px.quantiles, px.regex_match, px.seconds, px.sum"),
        ("import px\ndf = px.DataFrame(table='http_events')\ndf = df.sort('latency').tail(3)",
         "line 3, column 25: a DataFrame has no method 'tail'; Sonde supports head, drop, groupby, agg, merge and sort"),
        ("import px\ndf = px.DataFrame(table='http_events')\ndf.x = df.req_path * 2",
         "line 3, column 20: '*' needs numbers, found string and int64"),
        ("import px\ndf = px.DataFrame(table='http_events')\npx.display(df.merge(df, how='cross', left_on='pid', right_on='pid'))",
         "line 3, column 29: expected how='inner', 'left', 'right' or 'outer', found 'cross'"),
        ("import px\ndf = px.DataFrame(table='http_events')\npx.display(df[px.regex_match('/api/(v1', df.req_path)])",
         "line 3, column 30: '/api/(v1' is not a valid regular expression"),
        ("import px\npx.display(px.DataFrame(table='spans').ctx['host'])",
         "line 2, column 44: df.ctx has no 'host'; Sonde maps 'service', 'pid' and 'upid'"),
    ])
    func semanticErrors(script: String, message: String) {
        #expect(Self.error(script) == message)
    }
}
