import ArgumentParser

@main
struct Clash: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clash",
        abstract: "Clash Ledger: the event-sourced ledger of Clash of Clones.",
        discussion: "Every command takes --data DIR (default $CLASH_DATA, else ./clash-data).",
        version: ClashVersion.current,
        subcommands: [LogCommand.self, EventsCommand.self, IngestCommand.self, MarketCommand.self, AssetsCommand.self, ClonesCommand.self, PipelineCommand.self, RuntimeCommand.self, AccountsCommand.self, AuditionsCommand.self, ArenaCommand.self, RacesCommand.self, RaceCommand.self, DisputeCommand.self, TicketsCommand.self, TokensCommand.self, LeaderboardCommand.self, HallOfFameCommand.self, SeasonCommand.self, ProjectionsCommand.self, StateHashCommand.self, VerifyCommand.self, BenchCommand.self, ServeCommand.self, VersionCommand.self])
}
