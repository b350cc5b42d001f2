import Clash
import ClashTesting
import Foundation
import Testing
import Transport

@Suite("Signature V4", .timeLimit(.minutes(5)))
struct SignatureV4Tests {
    @Test("the GET example of Amazon's S3 documentation signs to its published signature")
    func awsExample() {
        let signer = SignatureV4(credentials: .init(accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                                 region: "us-east-1")
        let headers = signer.sign(method: "GET", url: URL(string: "https://examplebucket.s3.amazonaws.com/test.txt")!, headers: ["Range": "bytes=0-9"],
                                  payloadHash: SignatureV4.payloadHash([]), date: Date(timeIntervalSince1970: 1_369_353_600))
        #expect(headers["x-amz-date"] == "20130524T000000Z")
        #expect(headers["Authorization"] == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test("a path-style PUT on a port with a session token signs as botocore signs it")
    func pathStyleWithToken() {
        let signer = SignatureV4(credentials: .init(accessKeyId: "AKID", secretAccessKey: "SECRET/KEY", sessionToken: "TOKEN123"), region: "eu-west-1")
        let headers = signer.sign(method: "PUT", url: URL(string: "http://127.0.0.1:9000/bucket-1/pre/fix/abc")!,
                                  headers: ["Content-Type": "application/octet-stream"], payloadHash: SignatureV4.payloadHash(Array("hello".utf8)),
                                  date: Date(timeIntervalSince1970: 1_796_223_845))
        #expect(headers["x-amz-security-token"] == "TOKEN123")
        #expect(headers["Authorization"] == "AWS4-HMAC-SHA256 Credential=AKID/20261202/eu-west-1/s3/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, "
            + "Signature=d778e4352f0c6d139da657643a91d4c1baa4cf5035f967b9c08b7786871a833a")
    }

    @Test("s3:// locations are read with their prefix; anything else is refused")
    func locations() {
        #expect(S3ArtifactStore.Location("s3://clash-artifacts/season-1/") == .init(bucket: "clash-artifacts", prefix: "season-1"))
        #expect(S3ArtifactStore.Location("s3://bucket") == .init(bucket: "bucket", prefix: ""))
        #expect(S3ArtifactStore.Location("s3://") == nil && S3ArtifactStore.Location("/data/artifacts") == nil
            && S3ArtifactStore.Location("s3://Bad_Bucket/x") == nil)
    }
}

@Suite("the S3 artifact store", .timeLimit(.minutes(5)))
struct S3ArtifactStoreTests {
    static let credentials = SignatureV4.Credentials(accessKeyId: "testing", secretAccessKey: "testing")

    @Test("an upload that meets a 500 is retried and stored once; a read is checked against its name")
    func retriedUpload() throws {
        let bytes = Array("a strategy".utf8)
        let hash = ContentHash.of(bytes)
        let server = try ScriptedHTTPServer([.respond(status: 404, body: ""), .respond(status: 500, body: "busy"), .respond(status: 200, body: ""),
                                             .respond(status: 200, body: "a strategy"), .respond(status: 200, body: "another text")])
        defer { server.stop() }
        let store = S3ArtifactStore(location: .init(bucket: "b", prefix: "p"), endpoint: server.baseURL, region: "us-east-1",
                                    credentials: Self.credentials, attempts: 3)
        #expect(try store.put(bytes) == hash)
        #expect(server.requests.map { $0.head.split(separator: " ").first! } == ["HEAD", "PUT", "PUT"])
        #expect(server.requests[2].path == "/b/p/\(hash)" && server.requests[2].body == bytes)
        #expect(server.requests[2].header("x-amz-content-sha256") == SignatureV4.payloadHash(bytes), "the server checks the whole body")
        #expect(server.requests[2].header("authorization")?.hasPrefix("AWS4-HMAC-SHA256 Credential=testing/") == true)
        #expect(try store.get(hash) == bytes)
        #expect(throws: ArtifactError.self) { _ = try store.get(hash) }
    }

    static let endpoint = ProcessInfo.processInfo.environment["CLASH_TEST_S3_ENDPOINT"].flatMap(URL.init(string:))

    @Test("against a local S3-compatible server: stored, read, missing and damaged objects, a missing bucket",
          .enabled(if: endpoint != nil, "set CLASH_TEST_S3_ENDPOINT to a local S3-compatible server with a bucket clash-test (tools/s3-test does)"))
    func localServer() throws {
        let endpoint = try #require(Self.endpoint)
        let prefix = "t-\(UInt64.random(in: 0..<UInt64.max))"
        let store = S3ArtifactStore(location: .init(bucket: "clash-test", prefix: prefix), endpoint: endpoint, region: "us-east-1",
                                    credentials: Self.credentials)
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let hash = try store.put(bytes)
        #expect(try store.contains(hash) && store.get(hash) == bytes)
        #expect(try store.put(bytes) == hash, "storing again is a no-op")
        let absent = ContentHash.of(Array("absent".utf8))
        #expect(try !store.contains(absent))
        #expect { try store.get(absent) } throws: { ($0 as? ArtifactError) == .missing(hash: absent, location: store.place(absent)) }
        // Damage: other bytes under the name (as a careless copy could leave).
        let other = Array("other".utf8)
        let signer = SignatureV4(credentials: Self.credentials, region: "us-east-1")
        let url = store.url(hash)
        var headers = signer.sign(method: "PUT", url: url, headers: [:], payloadHash: SignatureV4.payloadHash(other), date: Date())
        headers["Content-Type"] = nil
        _ = try CurlTransport().send(HTTPRequest(method: "PUT", url: url, headers: headers, body: other), timeoutSeconds: 10)
        #expect { try store.get(hash) } throws: { error in
            guard case .corrupt(let named, _, _)? = error as? ArtifactError else { return false }
            return named == hash
        }
        let noBucket = S3ArtifactStore(location: .init(bucket: "no-such-bucket", prefix: ""), endpoint: endpoint, region: "us-east-1",
                                       credentials: Self.credentials)
        #expect { try noBucket.put(bytes) } throws: { "\($0)".contains("no-such-bucket does not exist") }
    }
}
