import SondeHost

/// The outcome of attaching the OpenSSL probes to one library file, in one process or in all.
public struct TLSAttachment: Sendable {
    public var library: TLSLibrary
    /// The one process the probes fire in; nil when they fire in every process mapping the file.
    public var process: Int32?
    /// Probes attached (an entry and a return probe per function the file exports).
    public var probes: Int
    /// Why attaching failed, when it did.
    public var failure: String?

    public init(library: TLSLibrary, process: Int32? = nil, probes: Int, failure: String?) {
        self.library = library
        self.process = process
        self.probes = probes
        self.failure = failure
    }

    /// One line for `sonde doctor` and logs: the file and what happened.
    public var summary: String {
        let what = library.kind == .executable ? "executable with OpenSSL" : "OpenSSL library"
        let scope = process.map { " in process \($0)" } ?? ""
        if let failure { return "\(library.path) (\(what)): probes failed\(scope): \(failure)" }
        return "\(library.path) (\(what)): \(probes) probes attached\(scope)"
    }
}
