import Foundation

/// The store's file and directory, readable only by their owner: payloads can hold secrets.
enum StoreFile {
    /// Creates the directory (0700) and the file (0600) when missing; tightens an existing file to 0600.
    static func prepare(path: String) throws {
        try makeDirectory(URL(fileURLWithPath: path).deletingLastPathComponent().path)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StoreError("cannot open the store \(path): \(String(cString: strerror(errno))).")
        }
        defer { close(descriptor) }
        guard fchmod(descriptor, 0o600) == 0 else {
            throw StoreError("cannot make the store \(path) owner-only: \(String(cString: strerror(errno))).")
        }
    }

    /// Creates `directory` and its missing parents, each 0700.
    private static func makeDirectory(_ directory: String) throws {
        if FileManager.default.fileExists(atPath: directory) { return }
        let parent = URL(fileURLWithPath: directory).deletingLastPathComponent().path
        if parent != directory { try makeDirectory(parent) }
        guard mkdir(directory, 0o700) == 0 || errno == EEXIST else {
            throw StoreError("cannot create the store's directory \(directory): \(String(cString: strerror(errno))).")
        }
    }
}
