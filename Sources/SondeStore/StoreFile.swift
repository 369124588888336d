import Foundation

/// The store's file and directory, readable only by their owner: payloads can hold secrets.
enum StoreFile {
    /// Creates the directory (0700) and the file (0600) when missing; tightens an existing file to 0600.
    static func prepare(path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let files = FileManager.default
        do {
            if !files.fileExists(atPath: directory) {
                try files.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                          attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw StoreError("cannot create the store's directory \(directory): \(reason(error)).")
        }
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StoreError("cannot open the store \(path): \(String(cString: strerror(errno))).")
        }
        defer { close(descriptor) }
        guard fchmod(descriptor, 0o600) == 0 else {
            throw StoreError("cannot make the store \(path) owner-only: \(String(cString: strerror(errno))).")
        }
    }

    private static func reason(_ error: any Error) -> String {
        (error as NSError).localizedDescription
    }
}
