import SondeQuery
import Testing

/// The three output formats, byte for byte.
@Suite struct ResultFormatTests {
    static let table = ResultTable(
        name: "t",
        columns: [ResultColumn(name: "time_", type: .time), ResultColumn(name: "service", type: .string),
                  ResultColumn(name: "latency", type: .duration), ResultColumn(name: "n", type: .int64),
                  ResultColumn(name: "rate", type: .float64)],
        rows: [
            [.integer(1_767_225_600_000_000_000), .text("api"), .integer(1_500_000), .integer(3), .real(0.25)],
            [.integer(1_767_225_600_123_456_789), .text("say \"hi\", web"), .integer(999), .null, .real(2)],
        ])

    @Test func tableShowsTimestampsAndDurations() {
        #expect(ResultFormat.table.render([Self.table]) == """
            t (2 rows)
                                     time_  service        latency     n    rate
            ------------------------------  -------------  -------  ----  ------
            2026-01-01T00:00:00.000000000Z  api             1.50ms     3  0.2500
            2026-01-01T00:00:00.123456789Z  say "hi", web    999ns  null       2

            """)
    }

    @Test func durationsAtEveryScale() {
        #expect([999, 12_500, 1_500_000, 2_250_000_000].map { ResultFormat.shown(.integer($0), as: .duration) }
                == ["999ns", "12.50µs", "1.50ms", "2.25s"])
    }

    @Test func jsonHasRawValues() {
        #expect(ResultFormat.json.render([Self.table, ResultTable(name: "empty", columns: [], rows: [])]) == """
            {"name":"t","columns":[{"name":"time_","type":"time"},{"name":"service","type":"string"},{"name":"latency","type":"duration"},{"name":"n","type":"int64"},{"name":"rate","type":"float64"}],"rows":[{"time_":1767225600000000000,"service":"api","latency":1500000,"n":3,"rate":0.25},{"time_":1767225600123456789,"service":"say \\"hi\\", web","latency":999,"n":null,"rate":2.0}]}
            {"name":"empty","columns":[],"rows":[]}

            """)
    }

    @Test func csvQuotesAndSeparatesTables() {
        let single = """
            time_,service,latency,n,rate
            1767225600000000000,api,1500000,3,0.25
            1767225600123456789,"say ""hi"", web",999,,2.0

            """
        #expect(ResultFormat.csv.render([Self.table]) == single)
        var second = Self.table
        second.name = "u"
        #expect(ResultFormat.csv.render([Self.table, second]) == "# t\n" + single + "\n# u\n" + single)
    }
}
