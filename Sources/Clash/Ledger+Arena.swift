import Domain
import Runtime

/// What spectators and operators do to the arena, through the ledger, stamped by its clock: the
/// same rules whether the command line or the server asks.
extension Ledger {
    /// Buys `count` tickets on `cloneId` in the accumulating race `raceId` for `holder`. With an
    /// `order` (the buyer's idempotency key) a retry buys nothing more and answers the first
    /// purchase's tickets (`ArenaScheduler.buyTickets`).
    public func buyTickets(raceId: String, cloneId: String, holder: Address, count: Int, order: String? = nil) throws -> [TicketBought] {
        try arenaBookkeeping.buyTickets(raceId: raceId, cloneId: cloneId, holder: holder.lowercase, count: count, at: clock.nowMilliseconds(),
                                        order: order)
    }

    /// Cancels a race not yet settled, every ticket refunded; `reason` a code (`operator`,
    /// `data_outage`, …). Returns the race as it now stands.
    public func cancelRace(_ raceId: String, reason: String) throws -> RaceState {
        let scheduler = arenaBookkeeping
        try scheduler.cancel(raceId, reason: reason, at: clock.nowMilliseconds())
        return scheduler.races[raceId] ?? RaceState(raceId: raceId)
    }

    /// Sets the runtime's kill switch (every run stamped at or after it follows it), saying why.
    @discardableResult
    public func setKillSwitch(_ state: Gates.KillSwitch, reason: String) throws -> AppendResult {
        // Some character other than white space (the set JSON Schema's `\S` excludes, so the API's contract and this rule agree).
        let blank: Set<Unicode.Scalar> = ["\t", "\n", "\u{0B}", "\u{0C}", "\r", " ", "\u{A0}", "\u{1680}", "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}",
                                          "\u{3000}", "\u{FEFF}"]
        guard reason.unicodeScalars.contains(where: { !blank.contains($0) && !(0x2000...0x200A).contains($0.value) }) else {
            throw DomainError("runtime.bad_reason", "say why the kill switch changes, for the record")
        }
        return try append(KillSwitchSet(state: state.rawValue, reason: reason), stream: KillSwitchSet.stream)
    }
}
