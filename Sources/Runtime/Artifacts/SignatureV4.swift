import Crypto
import Foundation
import LedgerLog

/// AWS Signature Version 4 for S3-compatible stores (S3, R2, MinIO): the request's method, path,
/// query, signed headers and payload hash, signed with a key derived from the secret, the day,
/// the region and the service.
public struct SignatureV4: Sendable {
    public struct Credentials: Sendable, Equatable {
        public var accessKeyId: String
        public var secretAccessKey: String
        public var sessionToken: String?

        public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil) {
            self.accessKeyId = accessKeyId
            self.secretAccessKey = secretAccessKey
            self.sessionToken = sessionToken
        }

        /// The standard AWS variables: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN.
        public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Credentials? {
            guard let id = environment["AWS_ACCESS_KEY_ID"], let secret = environment["AWS_SECRET_ACCESS_KEY"], !id.isEmpty, !secret.isEmpty else {
                return nil
            }
            return Credentials(accessKeyId: id, secretAccessKey: secret, sessionToken: environment["AWS_SESSION_TOKEN"])
        }
    }

    public var credentials: Credentials
    public var region: String
    public var service: String

    public init(credentials: Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The headers to add to a request: `x-amz-date`, `x-amz-content-sha256`, the session token if
    /// any, and `Authorization`. `headers` are the request's own (they are all signed, with `host`).
    public func sign(method: String, url: URL, headers: [String: String], payloadHash: String, date: Date) -> [String: String] {
        let amzDate = Self.timestamp(date)
        let day = String(amzDate.prefix(8))
        var signed = Dictionary(uniqueKeysWithValues: headers.map { ($0.key.lowercased(), $0.value.trimmingCharacters(in: .whitespaces)) })
        signed["host"] = Self.host(url)
        signed["x-amz-date"] = amzDate
        signed["x-amz-content-sha256"] = payloadHash
        if let token = credentials.sessionToken { signed["x-amz-security-token"] = token }
        let names = signed.keys.sorted()
        let canonicalRequest = [
            method,
            Self.canonicalPath(url),
            Self.canonicalQuery(url),
            names.map { "\($0):\(signed[$0]!)\n" }.joined(),
            names.joined(separator: ";"),
            payloadHash,
        ].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n\(Hex.encode(Array(SHA256.hash(data: Array(canonicalRequest.utf8)))))"
        var key = SymmetricKey(data: Array("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] { key = SymmetricKey(data: Self.hmac(key, part)) }
        let signature = Hex.encode(Self.hmac(key, stringToSign))
        var added = signed.filter { ["x-amz-date", "x-amz-content-sha256", "x-amz-security-token"].contains($0.key) }
        added["Authorization"] = "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), SignedHeaders=\(names.joined(separator: ";")), Signature=\(signature)"
        return added
    }

    /// SHA-256 of a payload, hex: the `x-amz-content-sha256` of a request carrying it.
    public static func payloadHash(_ bytes: [UInt8]) -> String { Hex.encode(Array(SHA256.hash(data: bytes))) }

    static func hmac(_ key: SymmetricKey, _ text: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: key))
    }

    static func host(_ url: URL) -> String {
        let host = url.host ?? ""
        guard let port = url.port, !(url.scheme == "http" && port == 80), !(url.scheme == "https" && port == 443) else { return host }
        return "\(host):\(port)"
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    /// RFC 3986 unreserved characters stay; everything else is %XX (S3: the path's slashes stay).
    static func encode(_ text: String, keepingSlashes: Bool) -> String {
        var result = ""
        for byte in text.utf8 {
            let character = Character(UnicodeScalar(byte))
            if character.isASCII && (character.isLetter || character.isNumber || "-._~".contains(character) || (keepingSlashes && character == "/")) {
                result.append(character)
            } else {
                result += String(format: "%%%02X", byte)
            }
        }
        return result
    }

    static func canonicalPath(_ url: URL) -> String {
        let path = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? "/"
        let decoded = path.removingPercentEncoding ?? path
        return decoded.isEmpty ? "/" : encode(decoded, keepingSlashes: true)
    }

    static func canonicalQuery(_ url: URL) -> String {
        let items = URLComponents(url: url, resolvingAgainstBaseURL: false)?.queryItems ?? []
        let pairs: [String] = items.map { item in
            encode(item.name, keepingSlashes: false) + "=" + encode(item.value ?? "", keepingSlashes: false)
        }
        // Sorted by name, then value: "=" sorts below every character a name can hold encoded.
        return pairs.sorted().joined(separator: "&")
    }
}
