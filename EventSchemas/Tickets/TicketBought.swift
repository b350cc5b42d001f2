import ClashCore

/// A spectator bought a ticket on one clone of the currently accumulating race. Tickets are never
/// edited or deleted; a refund is an event of its own.
public struct TicketBought: CatalogEvent {
    public static let type = "ticket.bought"
    public static let version = 1
    public static let summary = "A spectator bought a ticket on a clone of the accumulating race (stream race.<id>)."

    public var ticketId: String
    public var raceId: String
    public var cloneId: String
    /// The holder's address (an `Address` can hold only what the schema allows).
    public var holder: Address
    public var priceWei: Wei

    public init(ticketId: String, raceId: String, cloneId: String, holder: Address, priceWei: Wei) {
        self.ticketId = ticketId
        self.raceId = raceId
        self.cloneId = cloneId
        self.holder = holder
        self.priceWei = priceWei
    }

    enum CodingKeys: String, CodingKey {
        case ticketId = "ticket_id"
        case raceId = "race_id"
        case cloneId = "clone_id"
        case holder
        case priceWei = "price_wei"
    }
}
