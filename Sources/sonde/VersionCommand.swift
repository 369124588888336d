import ArgumentParser
import SondeExport

/// `sonde version`: the version, on stdout.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print Sonde's version.")

    func run() {
        print("sonde \(SondeVersion.string)")
    }
}
