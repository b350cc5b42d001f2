import ArgumentParser
import Clash
import Foundation

struct ClonesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clones", abstract: "Create, change, retire and inspect clones and their private strategy graphs.",
        subcommands: [ClonesCreate.self, ClonesList.self, ClonesShow.self, ClonesValidate.self, ClonesTemplate.self,
                      ClonesChangeStrategy.self, ClonesChangeIdentity.self, ClonesRetire.self])
}

/// Options of commands that write a clone event.
struct WriterOptions: ParsableArguments {
    @Option(help: "Stamp the event with this time in ms (default: now).") var at: Int64?

    /// Opens the ledger; `artifacts` where the command reads or writes artifacts.
    func open(_ data: DataOptions, artifacts: ArtifactOptions? = nil) throws -> Ledger {
        let clock = at.map(FixedClock.init) ?? SystemClock() as any LedgerClock
        guard let artifacts else { return try Ledger.open(directory: data.directory, clock: clock) }
        return try artifacts.open(data, clock: clock)
    }
}

/// A clock that always says the same time: `--at`.
struct FixedClock: LedgerClock {
    var milliseconds: Int64
    init(_ milliseconds: Int64) { self.milliseconds = milliseconds }
    func nowMilliseconds() -> Int64 { milliseconds }
}

/// An address as given, lowercased (checksummed addresses are accepted).
/// An address given on the command line, as events store it (lowercase); a mixed-case one must be
/// its EIP-55 checksum (exit 65 otherwise, nothing written).
func address(_ text: String, field: String = "--owner") throws -> String {
    try Address.parse(text, field: field, code: "clone.bad_address").lowercase
}

/// Reads a strategy graph document from a file, naming the file in any error.
func readGraph(_ path: String) throws -> StrategyGraph {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ValidationError("cannot read the graph file \(path); give the path of a JSON strategy graph (`clash clones template` prints one)")
    }
    do {
        return try StrategyGraph.decode(Array(data))
    } catch {
        throw ValidationError("\(path): \(error)")
    }
}

struct ClonesCreate: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a clone from a graph file or from Basic choices; prints its id and strategy hash.",
        discussion: "Either --graph FILE, or --assets BTC,ETH and/or --category PATH with --prompt TEXT (Basic; with --sources it is Custom).")

    @OptionGroup var data: DataOptions
    @OptionGroup var writer: WriterOptions
    @OptionGroup var artifacts: ArtifactOptions
    @Option(help: "The creator's address (0x and 40 hex digits).") var owner: String
    @Option(help: "The public name (1 to 64 characters).") var name: String
    @Option(help: "The public tagline.") var tagline = ""
    @Option(help: "The avatar text (at most 16 characters).") var avatar = ""
    @Option(help: "The clone's id (default c-<n>).") var id: String?
    @Option(help: "A strategy graph file (JSON).") var graph: String?
    @Option(help: "Basic: individual assets, comma separated.") var assets = ""
    @Option(help: "Basic: an asset category, e.g. Crypto/Layer 1 or Trending.") var category: String?
    @Option(help: "Basic: the prompt text.") var prompt: String?
    @Option(help: "Basic: how often the clone decides per asset (1m to 24h).") var cadence = "5m"
    @Option(help: "Basic: risk preset low, medium or high.") var risk = "medium"
    @Option(help: "Custom: source presets, comma separated (price, derivatives, prediction, macro).") var sources: String?
    @Option(help: "The audition fee paid, in wei (default 0.01 ETH).") var auditionFeeWei = "10000000000000000"

    func execute() throws {
        guard let fee = Wei(decimal: auditionFeeWei) else { throw ValidationError("--audition-fee-wei \(auditionFeeWei) is not a whole number of wei") }
        let strategy = try ClonesCreate.strategy(graph: graph, assets: assets, category: category, prompt: prompt, cadence: cadence,
                                                 risk: risk, sources: sources)
        let ledger = try writer.open(data, artifacts: artifacts)
        defer { try? ledger.close() }
        let created = try ledger.createClone(id: id, owner: try address(owner), identity: .init(name: name, avatarText: avatar, tagline: tagline),
                                             graph: strategy, auditionFeeWei: fee)
        Output.json { json in
            json.beginObject()
            json.key("audition_fee_wei"); json.string(fee.description)
            json.key("clone_id"); json.string(created.cloneId)
            json.key("granularity"); json.string(strategy.granularity.rawValue)
            json.key("strategy_hash"); json.string(created.strategyHash)
            json.endObject()
        }
    }

    /// The graph of a file, or generated from Basic (or, with sources, Custom) choices.
    static func strategy(graph: String?, assets: String, category: String?, prompt: String?, cadence: String, risk: String,
                         sources: String?) throws -> StrategyGraph {
        if let graph {
            guard prompt == nil, category == nil, assets.isEmpty else {
                throw ValidationError("give either --graph or the Basic choices (--assets/--category, --prompt), not both")
            }
            return try readGraph(graph)
        }
        guard let prompt else { throw ValidationError("give --graph FILE, or --prompt TEXT with --assets or --category") }
        let choices = StrategyChoices(assets: AssetsList.symbols(assets), category: category, prompt: prompt, cadence: cadence, risk: risk,
                                      sources: sources.map(AssetsList.symbols))
        return choices.graph(sources == nil ? .basic : .custom)
    }
}

struct ClonesList: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Print every clone's public identity and status: a table, or one JSON line each.")

    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions
    @Option(help: "Only the clones of this owner.") var owner: String?

    func execute() throws {
        let owner = try owner.map { try Address.parse($0, field: "--owner", code: "clone.bad_address") }
        try report.print(try data.query { try $0.clones(owner: owner) })
    }
}

struct ClonesShow: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print one clone: public identity and figures; the strategy graph only to its owner or an operator.")

    enum Audience: String, ExpressibleByArgument, CaseIterable { case `public`, owner, `operator` }

    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions
    @OptionGroup var artifacts: ArtifactOptions
    @Argument(help: "The clone's id.") var id: String
    @Option(name: .customLong("as"), help: "public (default), owner (needs --owner) or operator.") var audience: Audience = .public
    @Option(help: "With --as owner: the address asking, which must be the clone's creator.") var owner: String?

    func execute() throws {
        let asking: CloneAudience
        switch audience {
        case .public: asking = .public
        case .operator: asking = .operator
        case .owner:
            guard let owner else { throw DomainError("clone.not_owner", "--as owner needs --owner with the address of clone \(id)'s creator") }
            asking = .owner(try Address.parse(owner, field: "--owner", code: "clone.bad_address"))
        }
        let store = try artifacts.store(data)
        let view = try data.query { try $0.clone(id, as: asking, artifacts: store) }
        try report.print(objects: [try view.canonicalJSON()])
    }
}

struct ClonesValidate: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a strategy graph file: every problem at once, with code and JSON pointer; exit 65 when there is any.",
        discussion: "With a data directory that holds a log, asset selections and leverage are checked against its market memory too.")

    @OptionGroup var data: DataOptions
    @Argument(help: "The graph file (JSON).") var file: String

    func execute() throws {
        let graph = try readGraph(file)
        let problems: [GraphProblem]
        // Market memory when there is a log; a directory named on purpose must hold one.
        if data.isNamed || data.missingLog == nil {
            let pipeline = try ContextPipeline(log: try data.existingLog())
            try pipeline.advanceToNewest()
            problems = try pipeline.problems(graph)
        } else {
            problems = graph.problems()
        }
        for problem in problems {
            Output.json { json in
                json.beginObject()
                json.key("code"); json.string(problem.code)
                json.key("message"); json.string(problem.message)
                json.key("pointer"); json.string(problem.pointer)
                json.endObject()
            }
        }
        if !problems.isEmpty {
            Output.error("\(file): \(problems.count) problem\(problems.count == 1 ? "" : "s"); nothing was written")
            throw ExitCode(65)
        }
        Output.line("{\"valid\":true}")
    }
}

struct ClonesTemplate: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "template", abstract: "Print a valid example strategy graph of a granularity.")

    @Option(help: "basic, custom or power.") var granularity: String = "basic"

    func execute() throws {
        guard let level = Granularity(rawValue: granularity) else { throw ValidationError("--granularity is basic, custom or power") }
        let basic = StrategyGraph.basic(category: "Crypto/Layer 1", prompt: "Follow the 1h trend; stay flat when funding is extreme.",
                                        cadence: "5m", risk: "medium")
        let graph = switch level {
        case .basic: basic
        case .custom: basic.convertedUp()
        case .power: basic.convertedUp().convertedUp()
        }
        Output.line(try graph.prettyBytes())
    }
}

struct ClonesChangeStrategy: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "change-strategy", abstract: "Replace a clone's strategy graph (its owner only; not while it races).")

    @OptionGroup var data: DataOptions
    @OptionGroup var writer: WriterOptions
    @OptionGroup var artifacts: ArtifactOptions
    @Argument(help: "The clone's id.") var id: String
    @Option(help: "The new strategy graph file (JSON).") var graph: String
    @Option(help: "The owner's address.") var owner: String

    func execute() throws {
        let strategy = try readGraph(graph)
        let ledger = try writer.open(data, artifacts: artifacts)
        defer { try? ledger.close() }
        let hash = try ledger.changeStrategy(id, owner: try address(owner), graph: strategy)
        Output.line("{\"clone_id\":\"\(id)\",\"strategy_hash\":\"\(hash)\"}")
    }
}

struct ClonesChangeIdentity: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "change-identity", abstract: "Change a clone's public name, tagline and avatar text (its owner only).")

    @OptionGroup var data: DataOptions
    @OptionGroup var writer: WriterOptions
    @Argument(help: "The clone's id.") var id: String
    @Option(help: "The owner's address.") var owner: String
    @Option(help: "The public name.") var name: String
    @Option(help: "The public tagline.") var tagline = ""
    @Option(help: "The avatar text.") var avatar = ""

    func execute() throws {
        let ledger = try writer.open(data)
        defer { try? ledger.close() }
        try ledger.changeIdentity(id, owner: try address(owner), identity: .init(name: name, avatarText: avatar, tagline: tagline))
        Output.line("{\"clone_id\":\"\(id)\"}")
    }
}

struct ClonesRetire: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "retire", abstract: "Retire a clone (its owner only; not while it races). Its career stays in the log.")

    @OptionGroup var data: DataOptions
    @OptionGroup var writer: WriterOptions
    @Argument(help: "The clone's id.") var id: String
    @Option(help: "The owner's address.") var owner: String

    func execute() throws {
        let ledger = try writer.open(data)
        defer { try? ledger.close() }
        // Through the arena: refused while the clone races; it leaves the accumulating race (its
        // tickets refunded) and its slot or its place in the queue.
        try arenaBookkeeping(ledger).retire(id, reason: "owner", policy: 0, owner: try address(owner), at: writer.at ?? Clock.nowMs())
        Output.line("{\"clone_id\":\"\(id)\",\"status\":\"retired\"}")
    }
}
