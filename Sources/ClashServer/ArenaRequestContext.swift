import Hummingbird
import NIOCore

/// What a handler knows of a request beyond it: the client's address (for per-client limits).
struct ArenaRequestContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client, as limits count it: its IP address.
    var client: String { remoteAddress?.ipAddress ?? "unknown" }
}
