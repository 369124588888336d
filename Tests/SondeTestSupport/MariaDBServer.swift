import Foundation

/// A real MariaDB server (mariadbd) of its own on a loopback port, with a fresh data directory, no
/// grant checks and no TLS, holding the schema `shop` with the table `items`; the real `mariadb` client
/// and mysql-connector-python are pointed at it.
public final class MariaDBServer: @unchecked Sendable {
    public let port: Int
    private let process = Process()
    private let directory: URL

    public init(port: Int) throws {
        self.port = port
        directory = FileManager.default.temporaryDirectory.appending(path: "sonde-mariadb-\(port)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let data = directory.appending(path: "data").path
        try ChildProcess.run("/usr/bin/mariadb-install-db", ["--user=root", "--datadir=\(data)",
                                                            "--auth-root-authentication-method=normal", "--skip-test-db"])
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/mariadbd")
        process.arguments = ["--no-defaults", "--user=root", "--datadir=\(data)",
                             "--socket=\(directory.appending(path: "socket").path)", "--port=\(port)",
                             "--bind-address=127.0.0.1", "--skip-grant-tables", "--skip-log-bin", "--skip-ssl"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try TCPPort.waitUntilAccepting(port: port, what: "mariadbd")
        try client("CREATE DATABASE shop; CREATE DATABASE other; "
                   + "CREATE TABLE shop.items (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40), price INT); "
                   + "INSERT INTO shop.items (name, price) VALUES ('apple', 3), ('pear', 5), ('fig', 2)",
                   database: nil)
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Stops mariadbd and waits for it.
    public func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// Runs `mariadb -e STATEMENTS` (plaintext, `database` as the default schema) and returns its
    /// tab-separated output.
    @discardableResult
    public func client(_ statements: String, database: String? = "shop") throws -> String {
        try ChildProcess.run("/usr/bin/mariadb", ["-h", "127.0.0.1", "-P", "\(port)", "-u", "root", "--skip-ssl",
                                                  "--batch"] + (database.map { ["-D", $0] } ?? []) + ["-e", statements])
    }

    /// Runs a Python script with `connection` bound to a mysql-connector-python connection (pure Python,
    /// plaintext, schema `shop`); returns what it printed.
    @discardableResult
    public func connector(_ script: String) throws -> String {
        let prologue = """
            import mysql.connector
            connection = mysql.connector.connect(host="127.0.0.1", port=\(port), user="root", database="shop",
                                                 ssl_disabled=True, use_pure=True)

            """
        return try Python.run(prologue + script + "\nconnection.close()\n")
    }
}
