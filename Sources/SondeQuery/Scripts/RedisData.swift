extension BundledScript {
    static let redisData = BundledScript(name: "redis_data", summary: "The latest Redis commands (last 5 minutes), newest first", text: """
        import px

        # The latest Redis commands of the last five minutes, newest first.
        df = px.DataFrame(table='redis_events', start_time='-5m',
                          select=['time_', 'service', 'remote_addr', 'remote_port', 'req_cmd', 'req_args', 'resp', 'latency'])
        df = df.sort('time_', ascending=False)
        df = df.head(100)
        px.display(df, 'redis_data')
        """)
}
