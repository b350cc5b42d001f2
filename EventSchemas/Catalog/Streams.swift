/// The log's stream names, built and parsed here only: a stream names the thing its events belong
/// to, and each event type's schema says which kind of stream it goes on.
public enum Streams {
    /// A clone's life: creation, strategy and identity changes, retirement.
    public static func clone(_ cloneId: String) -> String { "clone.\(cloneId)" }
    /// A race: opened, tickets, started, ended, settled or cancelled.
    public static func race(_ raceId: String) -> String { "race.\(raceId)" }
    /// A clone's audition: started and decided.
    public static func audition(_ cloneId: String) -> String { "audition.\(cloneId)" }
    /// A clone's runs in a competition (`free`, an audition's or a race's): due, context, decision, gates, orders.
    public static func run(clone cloneId: String, competition: String) -> String { "run.\(cloneId).\(competition)" }
    /// A clone's paper account in a competition: fills, funding, liquidations, marks.
    public static func account(clone cloneId: String, competition: String) -> String { "account.\(cloneId).\(competition)" }
    /// One asset's market data.
    public static func market(_ symbol: String) -> String { "market.\(symbol)" }

    /// The competition of `clone`'s account stream, or nil when `stream` is not one of its account streams.
    public static func competition(ofAccount stream: String, clone cloneId: String) -> String? {
        let prefix = "account.\(cloneId)."
        guard stream.hasPrefix(prefix), stream.count > prefix.count else { return nil }
        return String(stream.dropFirst(prefix.count))
    }
}
