import SondeHost

/// The outcome of attaching the OpenSSL probes to one library file.
public struct TLSAttachment: Sendable {
    public var library: TLSLibrary
    /// Probes attached (an entry and a return probe per function the file exports).
    public var probes: Int
    /// Why attaching failed, when it did.
    public var failure: String?

    public init(library: TLSLibrary, probes: Int, failure: String?) {
        self.library = library
        self.probes = probes
        self.failure = failure
    }

    /// One line for `sonde doctor` and logs: the file and what happened.
    public var summary: String {
        let what = library.kind == .executable ? "executable with OpenSSL" : "OpenSSL library"
        if let failure { return "\(library.path) (\(what)): probes failed: \(failure)" }
        return "\(library.path) (\(what)): \(probes) probes attached"
    }
}
