import CCurl
import Foundation

/// The real transport: libcurl's easy interface, one handle per request (connections are not
/// kept: the sources answer one request a second at most). Redirects are not followed; a body cut
/// short, a connection refused or reset, and no answer within the time are transport errors.
public final class CurlTransport: HTTPTransport, @unchecked Sendable {
    /// libcurl's global set-up, once, before any handle and any thread.
    private static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    public init() {}

    /// What a transfer received, filled by libcurl's callbacks.
    private final class Received {
        var body: [UInt8] = []
        var headers: [String: String] = [:]
    }

    public func send(_ request: HTTPRequest, timeoutSeconds: Double) throws -> HTTPResponse {
        guard Self.initialized, let curl = curl_easy_init() else { throw TransportError(reason: "libcurl could not be initialized") }
        defer { curl_easy_cleanup(curl) }
        var list: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(list) }
        // No "Expect: 100-continue" pause before a body; no default Accept.
        for (name, value) in request.headers.sorted(by: { $0.key < $1.key }) + [("Expect", "")] {
            list = curl_slist_append(list, "\(name): \(value)")
        }
        let received = Received()
        let context = Unmanaged.passUnretained(received).toOpaque()
        let body = request.body ?? []
        // libcurl reads the body from this memory while it sends; never an empty buffer's nil address.
        let payload = body.isEmpty ? [0] : body
        var error = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let code: CURLcode = payload.withUnsafeBufferPointer { bytes in
            error.withUnsafeMutableBufferPointer { errorBuffer in
                _ = clash_curl_set_string(curl, CURLOPT_URL, request.url.absoluteString)
                _ = clash_curl_set_long(curl, CURLOPT_NOSIGNAL, 1)
                _ = clash_curl_set_long(curl, CURLOPT_TIMEOUT_MS, max(1, Int(timeoutSeconds * 1_000)))
                _ = clash_curl_set_long(curl, CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(min(timeoutSeconds, 10) * 1_000)))
                _ = clash_curl_set_pointer(curl, CURLOPT_ERRORBUFFER, errorBuffer.baseAddress!)
                _ = clash_curl_set_pointer(curl, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(list))
                switch request.method {
                case "GET": _ = clash_curl_set_long(curl, CURLOPT_HTTPGET, 1)
                case "HEAD": _ = clash_curl_set_long(curl, CURLOPT_NOBODY, 1)
                default: _ = clash_curl_set_string(curl, CURLOPT_CUSTOMREQUEST, request.method)
                }
                if request.body != nil || ["POST", "PUT", "PATCH"].contains(request.method) {
                    _ = clash_curl_set_long(curl, CURLOPT_POSTFIELDSIZE, body.count)
                    _ = clash_curl_set_pointer(curl, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress!))
                }
                _ = clash_curl_set_callback(curl, CURLOPT_WRITEFUNCTION) { data, size, count, context in
                    let received = Unmanaged<Received>.fromOpaque(context!).takeUnretainedValue()
                    received.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: size * count))
                    return size * count
                }
                _ = clash_curl_set_pointer(curl, CURLOPT_WRITEDATA, context)
                _ = clash_curl_set_callback(curl, CURLOPT_HEADERFUNCTION) { data, size, count, context in
                    let received = Unmanaged<Received>.fromOpaque(context!).takeUnretainedValue()
                    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
                    if line.hasPrefix("HTTP/") { received.headers = [:] }  // a new response (after 100 Continue)
                    if let colon = line.firstIndex(of: ":") {
                        received.headers[line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()] =
                            line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
                    }
                    return size * count
                }
                _ = clash_curl_set_pointer(curl, CURLOPT_HEADERDATA, context)
                return curl_easy_perform(curl)
            }
        }
        guard code == CURLE_OK else {
            let detail = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let reason = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            if code == CURLE_OPERATION_TIMEDOUT { throw TransportError(reason: "no answer within \(timeoutSeconds) s", isTimeout: true) }
            throw TransportError(reason: reason)
        }
        var status = 0
        _ = clash_curl_get_long(curl, CURLINFO_RESPONSE_CODE, &status)
        return HTTPResponse(status: status, headers: received.headers, body: received.body)
    }
}
