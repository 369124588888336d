import CCurl

/// Compresses request bodies to the gzip format with zlib.
enum GzipCompressor {
    /// `input` as one gzip member, or nil if zlib fails (it only does when memory runs out).
    static func compress(_ input: [UInt8]) -> [UInt8]? {
        var stream = z_stream()
        guard sonde_deflate_init_gzip(&stream, Z_DEFAULT_COMPRESSION) == Z_OK else { return nil }
        defer { deflateEnd(&stream) }
        let capacity = Int(deflateBound(&stream, uLong(input.count)))
        var output = [UInt8](repeating: 0, count: capacity)
        let finished = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                stream.avail_in = uInt(source.count)
                stream.next_out = destination.baseAddress
                stream.avail_out = uInt(destination.count)
                return deflate(&stream, Z_FINISH) == Z_STREAM_END
            }
        }
        guard finished else { return nil }
        output.removeLast(Int(stream.avail_out))
        return output
    }
}
