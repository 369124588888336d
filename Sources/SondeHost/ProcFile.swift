import Foundation

/// Reads small files under /proc and /sys, which report a size of zero and must be read to the end.
enum ProcFile {
    /// The whole file, or nil when it cannot be read (the process is gone, no permission).
    static func bytes(_ path: String) -> [UInt8]? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.readToEnd() else { return nil }
        return [UInt8](data)
    }

    /// The file as UTF-8 text (invalid sequences repaired).
    static func text(_ path: String) -> String? {
        bytes(path).map { String(decoding: $0, as: UTF8.self) }
    }
}
