import Foundation

/// A stand-in for Hyperliquid's `POST /info` on 127.0.0.1, for tests of the live path: it serves a
/// recorded universe (`metaAndAssetCtxs`) with every price moving as the stand-in's clock runs —
/// each asset on its own smooth path around its recorded mark, so momentum builds and fades —
/// `allMids`, `l2Book`, and `candleSnapshot` for any coin and interval, made from the same path
/// (the candle still open included, as the exchange serves it), and with a spot recording
/// `spotMetaAndAssetCtxs`, its pairs' prices moving the same way. An asset can be delisted from a
/// time on (`isDelisted`, no mid, no candles). Anything else is refused with HTTP 400, as the
/// exchange refuses a request it does not know.
public final class StandInHyperliquid: @unchecked Sendable {
    public let server: ScriptedHTTPServer
    public var baseURL: URL { server.baseURL }
    private let meta: [String: Any]
    private let contexts: [[String: Any]]
    private let spot: (meta: Any, contexts: [[String: Any]])?
    private let marks: [String: Double]
    private let coins: [String]
    private let now: @Sendable () -> Int64
    private let delistedFrom: [String: Int64]

    /// `universeFile`: a recorded `metaAndAssetCtxs` response; `spotFile`: a recorded
    /// `spotMetaAndAssetCtxs` one; `now`: the stand-in's clock, ms; `delistedFrom`: assets
    /// delisted from a time on; `port`: where to listen (0: any free port).
    public init(universeFile: String, spotFile: String? = nil, port: UInt16 = 0, now: @escaping @Sendable () -> Int64,
                delistedFrom: [String: Int64] = [:]) throws {
        func pair(_ file: String) throws -> (meta: Any, contexts: [[String: Any]]) {
            guard let pair = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [Any], pair.count == 2,
                  let contexts = pair[1] as? [[String: Any]] else {
                throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: file])
            }
            return (pair[0], contexts)
        }
        let perps = try pair(universeFile)
        guard let meta = perps.meta as? [String: Any], let universe = meta["universe"] as? [[String: Any]], universe.count == perps.contexts.count else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: universeFile])
        }
        self.meta = meta
        contexts = perps.contexts
        spot = try spotFile.map(pair)
        coins = universe.map { $0["name"] as? String ?? "" }
        var marks: [String: Double] = [:]
        for (coin, context) in zip(coins, contexts) { marks[coin] = Double(context["markPx"] as? String ?? "") ?? 1 }
        for context in spot?.contexts ?? [] {
            if let coin = context["coin"] as? String { marks[coin] = Double(context["markPx"] as? String ?? "") ?? 1 }
        }
        self.marks = marks
        self.now = now
        self.delistedFrom = delistedFrom
        let target = Target()
        server = try ScriptedHTTPServer(port: port) { request in target.standIn?.answer(request) ?? .respond(status: 503, body: "stopped") }
        target.standIn = self
    }

    private final class Target: @unchecked Sendable {
        weak var standIn: StandInHyperliquid?
    }

    public func stop() { server.stop() }

    public func isDelisted(_ coin: String, at ms: Int64) -> Bool { delistedFrom[coin].map { ms >= $0 } ?? false }

    /// The mid of `coin` at `ms`: its recorded mark moved by a slow swing (up to 3 % over one to
    /// two and a half hours, by coin) and a faster ripple (0.4 % over seven minutes).
    public func mid(_ coin: String, at ms: Int64) -> Double {
        let mark = marks[coin] ?? 1
        let seed = Double(coin.unicodeScalars.reduce(0) { ($0 * 31 + Int($1.value)) % 3_600 })
        let slow = 0.03 * sin(2 * .pi * (Double(ms) / 60_000 + seed) / (60 + seed.truncatingRemainder(dividingBy: 90)))
        let ripple = 0.004 * sin(2 * .pi * Double(ms) / 420_000 + seed)
        return mark * (1 + slow + ripple)
    }

    /// A price as Hyperliquid writes one: five significant figures, at most six decimals for perps.
    static func price(_ value: Double) -> String {
        let decimals = min(6, max(0, 4 - Int(floor(log10(max(value, 1e-9))))))
        return String(format: "%.\(decimals)f", value)
    }

    static let intervals: [String: Int64] = [
        "1m": 60_000, "3m": 180_000, "5m": 300_000, "15m": 900_000, "30m": 1_800_000, "1h": 3_600_000, "2h": 7_200_000,
        "4h": 14_400_000, "8h": 28_800_000, "12h": 43_200_000, "1d": 86_400_000,
    ]

    func answer(_ request: ScriptedHTTPServer.Request) -> ScriptedHTTPServer.Reply {
        guard request.head.hasPrefix("POST /info"), let body = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any],
              let type = body["type"] as? String else {
            return .respond(status: 400, body: "Failed to deserialize the JSON body into the target type")
        }
        let time = now()
        let reply: Any
        switch type {
        case "metaAndAssetCtxs":
            var meta = self.meta
            meta["universe"] = (meta["universe"] as! [[String: Any]]).map { asset -> [String: Any] in
                var asset = asset
                if isDelisted(asset["name"] as? String ?? "", at: time) { asset["isDelisted"] = true }
                return asset
            }
            let moved = zip(coins, contexts).map { coin, context -> [String: Any] in
                var context = context
                let mid = mid(coin, at: time)
                context["markPx"] = Self.price(mid)
                context["midPx"] = Self.price(mid)
                context["oraclePx"] = Self.price(mid * 1.0001)
                context["impactPxs"] = [Self.price(mid * 0.9999), Self.price(mid * 1.0001)]
                return context
            }
            reply = [meta, moved]
        case "spotMetaAndAssetCtxs" where spot != nil:
            let moved = spot!.contexts.map { context -> [String: Any] in
                var context = context
                guard let coin = context["coin"] as? String, context["midPx"] is String else { return context }
                context["markPx"] = Self.price(mid(coin, at: time))
                context["midPx"] = Self.price(mid(coin, at: time))
                return context
            }
            reply = [spot!.meta, moved]
        case "allMids":
            var mids: [String: String] = [:]
            for coin in coins where !isDelisted(coin, at: time) { mids[coin] = Self.price(mid(coin, at: time)) }
            reply = mids
        case "l2Book":
            let coin = body["coin"] as? String ?? ""
            let mid = mid(coin, at: time)
            func level(_ offset: Double) -> [String: Any] { ["px": Self.price(mid * (1 + offset)), "sz": "10.0", "n": 3] }
            reply = ["coin": coin, "time": time, "levels": [[level(-0.0001), level(-0.002)], [level(0.0001), level(0.002)]]] as [String: Any]
        case "candleSnapshot":
            guard let req = body["req"] as? [String: Any], let coin = req["coin"] as? String, let interval = req["interval"] as? String,
                  let length = Self.intervals[interval], let start = (req["startTime"] as? NSNumber)?.int64Value else {
                return .respond(status: 400, body: "Failed to deserialize the JSON body into the target type")
            }
            let end = min((req["endTime"] as? NSNumber)?.int64Value ?? time, time)
            reply = marks[coin] == nil || isDelisted(coin, at: time) ? [] : candles(coin, interval: interval, length: length, from: start, through: end)
        default:
            return .respond(status: 400, body: "Failed to deserialize the JSON body into the target type")
        }
        let data = (try? JSONSerialization.data(withJSONObject: reply, options: [.sortedKeys])) ?? Data()
        return .respond(status: 200, headers: ["Content-Type": "application/json"], body: String(decoding: data, as: UTF8.self))
    }

    /// The candles opening in [from, through], sampled every ten seconds of the path (the last
    /// one up to `through` when it is still open).
    func candles(_ coin: String, interval: String, length: Int64, from: Int64, through: Int64) -> [[String: Any]] {
        var out: [[String: Any]] = []
        var open = from - ((from % length) + length) % length
        if open < from { open += length }
        while open <= through {
            let samples = stride(from: open, through: min(open + length - 1, through), by: 10_000).map { mid(coin, at: $0) }
            out.append(["t": open, "T": open + length - 1, "s": coin, "i": interval, "o": Self.price(samples.first!),
                        "c": Self.price(samples.last!), "h": Self.price(samples.max()!), "l": Self.price(samples.min()!),
                        "v": "12.5", "n": samples.count])
            open += length
        }
        return out
    }
}
