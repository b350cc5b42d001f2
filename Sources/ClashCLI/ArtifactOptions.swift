import ArgumentParser
import Clash
import Foundation

/// Where the artifacts are (strategy graphs, prompts, packets, model exchanges): the data
/// directory's `artifacts/` by default, another directory, or an S3-compatible bucket.
struct ArtifactOptions: ParsableArguments {
    @Option(help: "The artifact store: s3://BUCKET/PREFIX, or a directory (default: $CLASH_ARTIFACTS, else DATA/artifacts). S3 credentials come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (AWS_SESSION_TOKEN), the region from AWS_REGION (default us-east-1).")
    var artifacts: String?
    @Option(help: "The S3-compatible server, e.g. https://ACCOUNT.r2.cloudflarestorage.com or http://127.0.0.1:9000 (default: $CLASH_S3_ENDPOINT, else AWS S3).")
    var s3Endpoint: String?

    /// The store the options name, for the data directory `data`.
    func store(_ data: DataOptions) throws -> any ArtifactStore {
        let environment = ProcessInfo.processInfo.environment
        guard let named = artifacts ?? environment["CLASH_ARTIFACTS"], !named.isEmpty else {
            return LocalArtifactStore(directory: data.directory + "/artifacts")
        }
        guard named.hasPrefix("s3://") else { return LocalArtifactStore(directory: named) }
        guard let location = S3ArtifactStore.Location(named) else {
            throw ValidationError("--artifacts \(named) is not s3://BUCKET/PREFIX (a bucket of lowercase letters, digits, dots and hyphens)")
        }
        var endpoint: URL?
        if let text = s3Endpoint ?? environment["CLASH_S3_ENDPOINT"], !text.isEmpty {
            guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                throw ValidationError("--s3-endpoint \(text) is not an http(s) URL")
            }
            endpoint = url
        }
        guard let credentials = SignatureV4.Credentials.fromEnvironment(environment) else {
            throw ValidationError("--artifacts \(named) needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment")
        }
        let region = environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? "us-east-1"
        return S3ArtifactStore(location: location, endpoint: endpoint, region: region, credentials: credentials)
    }

    /// Opens the data directory's ledger with this artifact store.
    func open(_ data: DataOptions, clock: any LedgerClock = SystemClock()) throws -> Ledger {
        try Ledger.open(directory: data.directory, store: data.storeURL, clock: clock, artifacts: try store(data))
    }
}
