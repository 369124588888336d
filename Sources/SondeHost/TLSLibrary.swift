/// A file with OpenSSL in it that Sonde can probe: a libssl, or an executable that links OpenSSL
/// statically and exports its functions.
public struct TLSLibrary: Hashable, Sendable {
    public enum Kind: Sendable {
        case sharedLibrary
        case executable
    }

    /// What the probes attach to: one attachment serves every process mapping the file.
    public var identity: FileIdentity
    /// The path the first process seen mapping it gave (inside that process's mount namespace).
    public var path: String
    /// A path that reaches the file from Sonde's mount namespace (through /proc/PID/root).
    public var hostPath: String
    public var kind: Kind
    /// Which of ``TLSLibraryFinder/probedFunctions`` the file exports.
    public var functions: Set<String>

    public init(identity: FileIdentity, path: String, hostPath: String, kind: Kind, functions: Set<String>) {
        self.identity = identity
        self.path = path
        self.hostPath = hostPath
        self.kind = kind
        self.functions = functions
    }
}
