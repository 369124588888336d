import CCurl

/// One libcurl easy handle that POSTs OTLP request bodies to the configured endpoint.
///
/// Not thread-safe: it lives on the exporter thread, which reuses the handle (and so its connection)
/// for every request.
final class CurlHTTPClient {
    /// How one POST ended.
    enum Outcome {
        /// The server answered; `retryAfterSeconds` is its `Retry-After`, if any.
        case response(status: Int, retryAfterSeconds: Int?, body: [UInt8])
        /// No answer: connection refused, reset, timed out, ...; `retryable` is false for errors
        /// no retry can fix (a malformed URL, an unsupported scheme).
        case transportError(message: String, retryable: Bool)
    }

    private let handle: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let responseBody = ResponseBody()

    private static let globalInitialization: CURLcode = sonde_curl_global_init()

    /// A handle set up for `configuration`, or nil if libcurl cannot create one.
    init?(configuration: OTLPExporterConfiguration) {
        guard Self.globalInitialization == CURLE_OK, let handle = curl_easy_init() else { return nil }
        self.handle = handle

        var headers = ["Content-Type: application/json", "Expect:"]
        if configuration.compression == .gzip { headers.append("Content-Encoding: gzip") }
        for (name, value) in configuration.headers.sorted(by: { $0.key < $1.key }) {
            headers.append("\(name): \(value)")
        }
        for header in headers {
            headerList = curl_slist_append(headerList, header)
        }

        _ = sonde_curl_setopt_string(handle, CURLOPT_URL, configuration.endpoint)
        _ = sonde_curl_setopt_header_list(handle, headerList)
        _ = sonde_curl_setopt_long(handle, CURLOPT_POST, 1)
        _ = sonde_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = sonde_curl_setopt_string(handle, CURLOPT_USERAGENT, "sonde/\(SondeVersion.string)")
        _ = sonde_curl_setopt_write_function(handle) { data, size, count, context in
            guard let data, let context else { return 0 }
            let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
            Unmanaged<ResponseBody>.fromOpaque(context).takeUnretainedValue().append(bytes)
            return size * count
        }
        _ = sonde_curl_setopt_pointer(handle, CURLOPT_WRITEDATA,
                                      Unmanaged.passUnretained(responseBody).toOpaque())
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
    }

    /// POSTs `body`, waiting at most `timeout` for the whole exchange.
    func post(_ body: [UInt8], timeout: Duration) -> Outcome {
        responseBody.removeAll()
        _ = sonde_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, max(1, timeout.wholeMilliseconds))
        let code = body.withUnsafeBytes { bytes in
            _ = sonde_curl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count))
            _ = sonde_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS,
                                          UnsafeMutableRawPointer(mutating: bytes.baseAddress))
            defer { _ = sonde_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, nil) }
            return curl_easy_perform(handle)
        }
        guard code == CURLE_OK else {
            return .transportError(message: String(cString: curl_easy_strerror(code)),
                                   retryable: !Self.permanentErrors.contains(code.rawValue))
        }
        var status = 0
        _ = sonde_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var retryAfter: curl_off_t = 0
        _ = sonde_curl_getinfo_off_t(handle, CURLINFO_RETRY_AFTER, &retryAfter)
        return .response(status: status, retryAfterSeconds: retryAfter > 0 ? Int(retryAfter) : nil,
                         body: responseBody.bytes)
    }

    /// Errors in the request itself, which a retry would only repeat.
    private static let permanentErrors = Set([
        CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_NOT_BUILT_IN, CURLE_BAD_FUNCTION_ARGUMENT,
        CURLE_UNKNOWN_OPTION, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE,
    ].map(\.rawValue))
}

/// The response body libcurl's write callback fills.
private final class ResponseBody {
    private(set) var bytes: [UInt8] = []

    func append(_ chunk: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: chunk)
    }

    func removeAll() {
        bytes.removeAll(keepingCapacity: true)
    }
}
