extension BundledScript {
    static let httpRequestStats = BundledScript(
        name: "http_request_stats",
        summary: "Per service and path (last 5 minutes): requests, error rate, p50/p90/p99 latency, bytes", text: """
        import px

        # Per service and path: requests, error rate (status >= 400), latency quantiles, body bytes.
        df = px.DataFrame(table='http_events', start_time='-5m')
        df.service = df.ctx['service']
        df.failure = df.resp_status >= 400
        df = df.groupby(['service', 'req_path']).agg(
            requests=('latency', px.count),
            errors=('failure', px.sum),
            latency_quantiles=('latency', px.quantiles),
            req_bytes=('req_body_size', px.sum),
            resp_bytes=('resp_body_size', px.sum),
        )
        df.error_rate = df.errors / df.requests
        df.latency_p50 = px.DurationNanos(px.pluck_float64(df.latency_quantiles, 'p50'))
        df.latency_p90 = px.DurationNanos(px.pluck_float64(df.latency_quantiles, 'p90'))
        df.latency_p99 = px.DurationNanos(px.pluck_float64(df.latency_quantiles, 'p99'))
        df = df.drop(['errors', 'latency_quantiles'])
        px.display(df, 'http_request_stats')
        """)
}
