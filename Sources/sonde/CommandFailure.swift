import ArgumentParser

/// Reports a command that cannot go on: its one sentence goes to stderr as `sonde: ...`, and the exit is 1.
enum CommandFailure {
    /// Runs `body`, turning whatever it throws into that one sentence and a failing exit.
    static func reporting<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            StandardError.write("sonde: \(error)")
            throw ExitCode.failure
        }
    }
}
