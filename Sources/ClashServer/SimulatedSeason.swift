import Clash
import Foundation

/// `clash serve --simulated-speed X`: a season (`clash season simulate`'s, with its options) played
/// inside the server as time passes, X simulated seconds to the second, so a page shows races
/// accumulate, run and settle: each hour of simulated time, the market's minutes are generated and
/// logged, then the arena plays the hour over them. What it logs is byte for byte what `season
/// simulate` writes with the same options: only the pace differs. While it plays, the server takes
/// no writes (503 `server.season_playing`).
public struct SimulatedSeason: Sendable {
    public var speed: Double
    public var seed: UInt64
    public var clones: Int, races: Int, spectators: Int, assets: Int
    public var cadence: String
    public var slots: Int64
    public var storePackets: Bool
    /// Each clone's decision engine, given the ledger's artifact store.
    public var engine: @Sendable (any ArtifactStore) throws -> (String) throws -> any DecisionEngine

    public init(speed: Double, seed: UInt64, clones: Int, races: Int, spectators: Int, assets: Int, cadence: String, slots: Int64,
                storePackets: Bool, engine: @escaping @Sendable (any ArtifactStore) throws -> (String) throws -> any DecisionEngine) {
        self.speed = speed
        self.seed = seed
        self.clones = clones
        self.races = races
        self.spectators = spectators
        self.assets = assets
        self.cadence = cadence
        self.slots = slots
        self.storePackets = storePackets
        self.engine = engine
    }

    /// Plays the season on `ledger` (opened with the season's clock and ids), waiting before each
    /// hour until the wall clock has caught up with it; stops early when `shouldStop`.
    func play(_ ledger: Ledger, shouldStop: @escaping () -> Bool, progress: @escaping (String) -> Void) throws {
        let began = DispatchTime.now().uptimeNanoseconds
        _ = try Season.run(ledger: ledger, seed: seed, clones: clones, races: races, spectators: spectators, assets: assets, cadence: cadence,
                           slots: slots, engine: try engine(ledger.artifacts), storePackets: storePackets, progress: progress) { time in
            let due = began + UInt64(Double(time - Season.start) / speed * 1_000_000)
            while !shouldStop(), DispatchTime.now().uptimeNanoseconds < due { Thread.sleep(forTimeInterval: 0.01) }
            return !shouldStop()
        }
        try ledger.project()
    }
}
