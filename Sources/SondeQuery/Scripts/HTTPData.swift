extension BundledScript {
    static let httpData = BundledScript(name: "http_data", summary: "The latest HTTP requests (last 5 minutes), newest first", text: """
        import px

        # The latest HTTP requests of the last five minutes, newest first.
        df = px.DataFrame(table='http_events', start_time='-5m')
        df.service = df.ctx['service']
        df = df[['time_', 'service', 'remote_addr', 'remote_port', 'req_method', 'req_path', 'resp_status',
                 'latency', 'req_body_size', 'resp_body_size']]
        df = df.sort('time_', ascending=False)  # sort is Sonde's own; PxL has none
        df = df.head(100)
        px.display(df, 'http_data')
        """)
}
