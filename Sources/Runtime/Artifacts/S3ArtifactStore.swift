import Foundation
import LedgerLog
import Transport

/// Artifacts in an S3-compatible bucket (S3, R2, MinIO), each object named by the SHA-256 of its
/// bytes under a prefix (`s3://BUCKET/PREFIX/<sha256>`), holding exactly those bytes. Requests are
/// path-style and signed with AWS Signature V4; a PUT carries its payload's SHA-256, which the
/// server checks, so an object is stored whole or not at all. Failed requests (a 5xx, a 429, a
/// dropped connection) are retried with backoff; what comes back is checked against its name.
public final class S3ArtifactStore: ArtifactStore, @unchecked Sendable {
    /// Where: the bucket and the key prefix, from `s3://BUCKET/PREFIX`.
    public struct Location: Sendable, Equatable, CustomStringConvertible {
        public var bucket: String
        public var prefix: String

        public init(bucket: String, prefix: String) {
            self.bucket = bucket
            self.prefix = prefix
        }

        /// Reads `s3://BUCKET[/PREFIX]`; nil for anything else.
        public init?(_ text: String) {
            guard text.hasPrefix("s3://") else { return nil }
            let rest = text.dropFirst(5)
            let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let bucket = parts.first, !bucket.isEmpty,
                  bucket.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == ".") }) else { return nil }
            self.bucket = String(bucket)
            prefix = parts.count > 1 ? parts[1].split(separator: "/").joined(separator: "/") : ""
        }

        public var description: String { "s3://\(bucket)" + (prefix.isEmpty ? "" : "/\(prefix)") }

        func key(_ hash: String) -> String { prefix.isEmpty ? hash : "\(prefix)/\(hash)" }
    }

    public let location: Location
    public let endpoint: URL
    let signer: SignatureV4
    let transport: any HTTPTransport
    let attempts: Int
    let timeoutSeconds: Double

    /// `endpoint`: the server (e.g. https://ACCOUNT.r2.cloudflarestorage.com, http://127.0.0.1:9000);
    /// nil for AWS S3 in `region`.
    public init(location: Location, endpoint: URL?, region: String, credentials: SignatureV4.Credentials,
                transport: any HTTPTransport = CurlTransport(), attempts: Int = 4, timeoutSeconds: Double = 30) {
        self.location = location
        self.endpoint = endpoint ?? URL(string: "https://s3.\(region).amazonaws.com")!
        signer = SignatureV4(credentials: credentials, region: region)
        self.transport = transport
        self.attempts = max(1, attempts)
        self.timeoutSeconds = timeoutSeconds
    }

    /// The object's URL (path-style).
    public func url(_ hash: String) -> URL {
        endpoint.appendingPathComponent(location.bucket).appendingPathComponent(location.key(hash))
    }

    /// Where the object is, for messages.
    public func place(_ hash: String) -> String { "\(location)/\(hash) at \(endpoint.absoluteString)" }

    public func put(_ bytes: [UInt8], durable: Bool) throws -> String {
        let hash = ContentHash.of(bytes)
        if try contains(hash) { return hash }
        // S3 answers a PUT once the object is stored whole: every put is durable.
        let response = try send("PUT", hash, body: bytes, headers: ["Content-Type": "application/octet-stream"])
        guard (200..<300).contains(response.status) else { throw failure(response, hash, doing: "store") }
        return hash
    }

    public func get(_ hash: String) throws -> [UInt8] {
        try ContentHash.check(hash)
        let response = try send("GET", hash)
        if response.status == 404 { throw ArtifactError.missing(hash: hash, location: place(hash)) }
        guard response.status == 200 else { throw failure(response, hash, doing: "read") }
        guard ContentHash.of(response.body) == hash else {
            throw ArtifactError.corrupt(hash: hash, location: place(hash), reason: "its SHA-256 is \(ContentHash.of(response.body))")
        }
        return response.body
    }

    public func contains(_ hash: String) throws -> Bool {
        try ContentHash.check(hash)
        let response = try send("HEAD", hash)
        if response.status == 404 { return false }
        guard response.status == 200 else { throw failure(response, hash, doing: "look up") }
        return true
    }

    func failure(_ response: HTTPResponse, _ hash: String, doing action: String) -> ArtifactError {
        let text = String(decoding: response.body.prefix(300), as: UTF8.self)
        let hint = switch response.status {
        case 403: "the credentials were refused: check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and the region (AWS_REGION)"
        case 404: "the bucket \(location.bucket) does not exist at this endpoint: create it or check --artifacts and --s3-endpoint"
        default: "HTTP \(response.status)"
        }
        return .io(location: place(hash), reason: "cannot \(action) the object: \(hint)" + (text.isEmpty ? "" : " (\(text))"))
    }

    /// Sends a signed request, retrying a 5xx, a 429 or a failed connection with backoff.
    func send(_ method: String, _ hash: String, body: [UInt8] = [], headers: [String: String] = [:]) throws -> HTTPResponse {
        let url = url(hash)
        let payloadHash = SignatureV4.payloadHash(body)
        var wait = 0.2
        var lastError = ""
        for attempt in 1...attempts {
            var all = headers
            for (name, value) in signer.sign(method: method, url: url, headers: all, payloadHash: payloadHash, date: Date()) { all[name] = value }
            do {
                let response = try transport.send(HTTPRequest(method: method, url: url, headers: all, body: method == "PUT" ? body : nil),
                                                  timeoutSeconds: timeoutSeconds)
                guard response.status == 429 || response.status >= 500, attempt < attempts else { return response }
                lastError = "HTTP \(response.status)"
            } catch {
                lastError = "\(error)"
                guard attempt < attempts else { break }
            }
            Thread.sleep(forTimeInterval: wait)
            wait *= 2
        }
        throw ArtifactError.io(location: place(hash), reason: "\(method) failed \(attempts) times, the last with \(lastError); check --s3-endpoint and the network")
    }
}
