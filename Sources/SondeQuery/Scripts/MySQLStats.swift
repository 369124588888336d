extension BundledScript {
    static let mysqlStats = BundledScript(
        name: "mysql_stats",
        summary: "Per service and statement (last 5 minutes): count, errors, p50/p99 latency", text: """
        import px

        # Per service and statement: how often, how many failed (resp_status 3 = error), latency quantiles.
        df = px.DataFrame(table='mysql_events', start_time='-5m')
        df.service = df.ctx['service']
        df.failure = df.resp_status == 3
        df = df.groupby(['service', 'req_body']).agg(
            count=('latency', px.count),
            errors=('failure', px.sum),
            latency_quantiles=('latency', px.quantiles),
        )
        df.latency_p50 = px.DurationNanos(px.pluck_float64(df.latency_quantiles, 'p50'))
        df.latency_p99 = px.DurationNanos(px.pluck_float64(df.latency_quantiles, 'p99'))
        df = df.drop('latency_quantiles')
        px.display(df, 'mysql_stats')
        """)
}
