import ClashCore
import Domain
import EventSchemas
import Testing

@Suite("the clone's decider", .timeLimit(.minutes(5)))
struct CloneDeciderTests {
    static let owner = "0x8ba1f109551bd432803012645ac136ddd64dba72"
    static let stranger = "0x0000000000000000000000000000000000000001"
    static let hash = String(repeating: "ab", count: 32)
    static let identity = CloneCreated.Identity(name: "Momentum Max", avatarText: "MM", tagline: "Rides the trend")
    static let fee = Wei(10_000_000_000_000_000)

    static func created(_ id: String = "c-1") throws -> CloneState {
        let events = try CloneDecider.decide(.create(creator: owner, identity: identity, strategyHash: hash, granularity: "basic", auditionFeeWei: fee),
                                             CloneState(cloneId: id))
        return CloneDecider.fold(id, events)
    }

    func refusal(_ command: CloneCommand, _ state: CloneState) -> String? {
        do {
            _ = try CloneDecider.decide(command, state)
            return nil
        } catch {
            return error.code
        }
    }

    @Test("creating a clone records creator, identity, strategy hash, granularity and fee")
    func create() throws {
        let events = try CloneDecider.decide(.create(creator: Self.owner, identity: Self.identity, strategyHash: Self.hash, granularity: "basic",
                                                     auditionFeeWei: Self.fee), CloneState(cloneId: "c-1"))
        #expect(events == [.created(CloneCreated(cloneId: "c-1", creator: Self.owner, identity: Self.identity, strategyHash: Self.hash,
                                                 granularity: "basic", auditionFeeWei: Self.fee))])
        let state = CloneDecider.fold("c-1", events)
        #expect(state.exists && state.version == 1 && state.creator == Self.owner && state.strategyHash == Self.hash)
    }

    @Test("a second create of the same id is refused as a duplicate")
    func duplicate() throws {
        #expect(refusal(.create(creator: Self.owner, identity: Self.identity, strategyHash: Self.hash, granularity: "basic", auditionFeeWei: Self.fee),
                        try Self.created()) == "clone.exists")
    }

    @Test("bad input is refused with its own code", arguments: [
        ("0x8BA1", "Momentum", "c-1", "clone.bad_address"),
        (owner, "", "c-1", "clone.bad_name"),
        (owner, " padded ", "c-1", "clone.bad_name"),
        (owner, String(repeating: "x", count: 65), "c-1", "clone.bad_name"),
        (owner, "Momentum", "C 1", "clone.bad_id"),
    ])
    func badInput(creator: String, name: String, id: String, code: String) {
        let identity = CloneCreated.Identity(name: name, avatarText: "", tagline: "")
        #expect(refusal(.create(creator: creator, identity: identity, strategyHash: Self.hash, granularity: "basic", auditionFeeWei: Self.fee),
                        CloneState(cloneId: id)) == code)
    }

    @Test("only the creator changes or retires a clone")
    func ownerOnly() throws {
        let state = try Self.created()
        #expect(refusal(.retire(by: Self.stranger), state) == "clone.not_owner")
        #expect(refusal(.changeStrategy(by: Self.stranger, strategyHash: String(repeating: "cd", count: 32), granularity: "power"), state) == "clone.not_owner")
        #expect(refusal(.changeIdentity(by: Self.stranger, identity: Self.identity), state) == "clone.not_owner")
        #expect(refusal(.retire(by: Self.owner), CloneState(cloneId: "c-9")) == "clone.unknown")
    }

    @Test("a strategy change is refused while the clone is in a running race, and allowed after")
    func racing() throws {
        var state = try Self.created()
        state.runningRaceId = "r-7"
        let change = CloneCommand.changeStrategy(by: Self.owner, strategyHash: String(repeating: "cd", count: 32), granularity: "power")
        #expect(refusal(change, state) == "clone.racing")
        #expect(refusal(.retire(by: Self.owner), state) == "clone.racing")
        state.runningRaceId = nil
        let events = try CloneDecider.decide(change, state)
        let after = events.reduce(state, CloneDecider.evolve)
        #expect(after.strategyHash == String(repeating: "cd", count: 32) && after.granularity == "power" && after.version == 2)
    }

    @Test("a retired clone is archived: it cannot change or retire again")
    func retired() throws {
        let state = try CloneDecider.decide(.retire(by: Self.owner), try Self.created()).reduce(try Self.created(), CloneDecider.evolve)
        #expect(state.retired)
        #expect(refusal(.retire(by: Self.owner), state) == "clone.retired")
        #expect(refusal(.changeIdentity(by: Self.owner, identity: Self.identity), state) == "clone.retired")
    }

    @Test("a change to what the clone already has writes nothing")
    func noOpChanges() throws {
        let state = try Self.created()
        #expect(try CloneDecider.decide(.changeIdentity(by: Self.owner, identity: Self.identity), state).isEmpty)
        #expect(try CloneDecider.decide(.changeStrategy(by: Self.owner, strategyHash: Self.hash, granularity: "basic"), state).isEmpty)
    }
}
