import ClashCore
import Domain
import Foundation

/// The asset views runs are assembled over: the runs of a step share each asset's view, and an
/// asset's next view keeps the bytes of every part whose data did not change (`AssetView`'s
/// `previous`). Threads may share it, an asset at a time: a view is built and read by one thread
/// (`PacketAssembly` hands out the runs of a step by asset).
final class AssetViews: @unchecked Sendable {
    private let lock = NSLock()
    private var newest: [String: AssetView] = [:]

    /// The view of `symbol` as of `asOfMs` over `latest`: the one already built for them, else a new one.
    func view(_ symbol: String, asOfMs: Int64, latest: AssetLatest?) throws -> AssetView {
        let previous = lock.withLock { newest[symbol] }
        if let previous, previous.asOfMs == asOfMs, previous.latest == latest { return previous }
        let view = try AssetView(symbol: symbol, asOfMs: asOfMs, latest: latest, previous: previous)
        lock.withLock { newest[symbol] = view }
        return view
    }
}
