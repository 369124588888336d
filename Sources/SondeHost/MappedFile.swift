/// A file mapped into a process, as one line of /proc/PID/maps names it.
public struct MappedFile: Hashable, Sendable {
    /// The file as the process sees it (inside its own mount namespace).
    public var path: String
    /// The file's identity on the host: the same library mapped by many processes has one.
    public var identity: FileIdentity

    public init(path: String, identity: FileIdentity) {
        self.path = path
        self.identity = identity
    }

    /// The distinct files mapped in `maps` (the text of /proc/PID/maps); anonymous and special mappings
    /// and deleted files are left out.
    public static func files(inMaps maps: String) -> [MappedFile] {
        var seen: Set<FileIdentity> = []
        var files: [MappedFile] = []
        for line in maps.split(separator: "\n") {
            // address perms offset dev inode path
            let fields = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true)
            guard fields.count == 6, let inode = UInt64(fields[4]), inode != 0 else { continue }
            let path = fields[5].trimmingCharacters(in: .whitespaces)
            guard path.hasPrefix("/"), !path.hasSuffix(" (deleted)") else { continue }
            let identity = FileIdentity(device: String(fields[3]), inode: inode)
            if seen.insert(identity).inserted { files.append(MappedFile(path: path, identity: identity)) }
        }
        return files
    }
}

/// A file's device and inode: what uprobes attach to, whatever path reaches it.
public struct FileIdentity: Hashable, Sendable, CustomStringConvertible {
    /// `major:minor` in hexadecimal, as /proc/PID/maps writes it.
    public var device: String
    public var inode: UInt64

    public init(device: String, inode: UInt64) {
        self.device = device
        self.inode = inode
    }

    public var description: String { "\(device):\(inode)" }
}
