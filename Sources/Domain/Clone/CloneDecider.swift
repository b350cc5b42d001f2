import Foundation
import ClashCore
import EventSchemas
import Canonical

/// What can be asked of a clone.
public enum CloneCommand: Sendable, Equatable {
    case create(creator: String, identity: CloneCreated.Identity, strategyHash: String, granularity: String, auditionFeeWei: Wei)
    case changeIdentity(by: String, identity: CloneCreated.Identity)
    case changeStrategy(by: String, strategyHash: String, granularity: String)
    case retire(by: String)
    /// Retired by a rule of the arena (policy v1: `last_places`, five consecutive last places).
    case retireByRule(reason: String, policy: Int64)
}

/// The events of a clone's stream, `clone.<id>`.
public enum CloneEvent: Sendable, Equatable {
    case created(CloneCreated)
    case identityChanged(CloneIdentityChanged)
    case strategyChanged(CloneStrategyChanged)
    case retired(CloneRetired)

    /// The catalog event to append.
    public var event: any CatalogEvent {
        switch self {
        case .created(let event): event
        case .identityChanged(let event): event
        case .strategyChanged(let event): event
        case .retired(let event): event
        }
    }

    /// The clone event a catalog event is, or nil for an event of another stream.
    public init?(_ event: any CatalogEvent) {
        switch event {
        case let event as CloneCreated: self = .created(event)
        case let event as CloneIdentityChanged: self = .identityChanged(event)
        case let event as CloneStrategyChanged: self = .strategyChanged(event)
        case let event as CloneRetired: self = .retired(event)
        default: return nil
        }
    }
}

/// The clone's rules: pure, no clock, no I/O. `decide` refuses with a `DomainError` or returns
/// the events to append; `evolve` folds an event into the state.
public enum CloneDecider {
    /// The stream of a clone's events.
    public static func stream(_ cloneId: String) -> String { Streams.clone(cloneId) }

    public static let nameCharactersMax = 64
    public static let avatarCharactersMax = 16
    public static let taglineCharactersMax = 140
    public static let cloneIdCharactersMax = 64

    public static func decide(_ command: CloneCommand, _ state: CloneState) throws(DomainError) -> [CloneEvent] {
        switch command {
        case let .create(creator, identity, strategyHash, granularity, fee):
            guard !state.exists else {
                throw DomainError("clone.exists", "a clone with id \(state.cloneId) exists already; choose another id")
            }
            try checkId(state.cloneId)
            try checkAddress(creator, field: "owner")
            try checkIdentity(identity)
            try checkStrategy(strategyHash, granularity)
            return [.created(CloneCreated(cloneId: state.cloneId, creator: creator, identity: identity, strategyHash: strategyHash,
                                          granularity: granularity, auditionFeeWei: fee))]
        case let .changeIdentity(by, identity):
            try checkOwnerOfLiveClone(by, state)
            try checkIdentity(identity)
            guard identity != state.identity else { return [] }
            return [.identityChanged(CloneIdentityChanged(cloneId: state.cloneId, identity: identity))]
        case let .changeStrategy(by, strategyHash, granularity):
            try checkOwnerOfLiveClone(by, state)
            try checkStrategy(strategyHash, granularity)
            if let race = state.runningRaceId {
                throw DomainError("clone.racing", "clone \(state.cloneId) is in running race \(race); change its strategy after the race ends")
            }
            guard strategyHash != state.strategyHash || granularity != state.granularity else { return [] }
            return [.strategyChanged(CloneStrategyChanged(cloneId: state.cloneId, strategyHash: strategyHash, granularity: granularity))]
        case let .retire(by):
            try checkOwnerOfLiveClone(by, state)
            if let race = state.runningRaceId {
                throw DomainError("clone.racing", "clone \(state.cloneId) is in running race \(race); retire it after the race ends")
            }
            return [.retired(CloneRetired(cloneId: state.cloneId, reason: "owner", retirementPolicy: 0))]
        case let .retireByRule(reason, policy):
            guard state.exists, !state.retired else {
                throw DomainError("clone.retired", "clone \(state.cloneId) is not an active clone")
            }
            if let race = state.runningRaceId {
                throw DomainError("clone.racing", "clone \(state.cloneId) is in running race \(race); it can retire once the race ends")
            }
            return [.retired(CloneRetired(cloneId: state.cloneId, reason: reason, retirementPolicy: policy))]
        }
    }

    public static func evolve(_ state: CloneState, _ event: CloneEvent) -> CloneState {
        var state = state
        state.version += 1
        switch event {
        case .created(let created):
            state.creator = created.creator
            state.identity = created.identity
            state.strategyHash = created.strategyHash
            state.granularity = created.granularity
        case .identityChanged(let changed):
            state.identity = changed.identity
        case .strategyChanged(let changed):
            state.strategyHash = changed.strategyHash
            state.granularity = changed.granularity
        case .retired:
            state.retired = true
        }
        return state
    }

    /// The state after every event of a clone's stream, in order.
    public static func fold(_ cloneId: String, _ events: [CloneEvent]) -> CloneState {
        events.reduce(CloneState(cloneId: cloneId), evolve)
    }

    // MARK: - Checks

    static func checkOwnerOfLiveClone(_ by: String, _ state: CloneState) throws(DomainError) {
        guard state.exists else {
            throw DomainError("clone.unknown", "no clone has id \(state.cloneId); `clash clones list` shows the clones")
        }
        try checkAddress(by, field: "owner")
        guard by == state.creator else {
            throw DomainError("clone.not_owner", "\(by) does not own clone \(state.cloneId); only its creator may change or retire it")
        }
        guard !state.retired else {
            throw DomainError("clone.retired", "clone \(state.cloneId) is retired; its career is archived and cannot change")
        }
    }

    static func checkId(_ id: String) throws(DomainError) {
        let allowed = id.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F }
        guard !id.isEmpty, id.count <= cloneIdCharactersMax, allowed else {
            throw DomainError("clone.bad_id", "clone id \(id.debugDescription) must be 1 to \(cloneIdCharactersMax) characters of a-z, 0-9, - and _")
        }
    }

    /// An address as events store it: `0x` and 40 lowercase hex digits (`Address.lowercase`; a
    /// front end parses what it is given with `Address`, which checks a mixed-case checksum).
    static func checkAddress(_ address: String, field: String) throws(DomainError) {
        guard try Address.parse(address, field: field, code: "clone.bad_address").lowercase == address else {
            throw DomainError("clone.bad_address", "\(field) \(address.debugDescription) is not lowercase: pass the address through `Address` first")
        }
    }

    static func checkIdentity(_ identity: CloneCreated.Identity) throws(DomainError) {
        let name = identity.name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name == identity.name, identity.name.count <= nameCharactersMax else {
            throw DomainError("clone.bad_name", "the name must be 1 to \(nameCharactersMax) characters, without spaces around it")
        }
        guard identity.avatarText.count <= avatarCharactersMax else {
            throw DomainError("clone.bad_avatar", "the avatar text must be at most \(avatarCharactersMax) characters")
        }
        guard identity.tagline.count <= taglineCharactersMax else {
            throw DomainError("clone.bad_tagline", "the tagline must be at most \(taglineCharactersMax) characters")
        }
        let controls = (identity.name + identity.avatarText + identity.tagline).unicodeScalars.contains { $0.properties.generalCategory == .control }
        guard !controls else {
            throw DomainError("clone.bad_identity", "the name, avatar text and tagline may not hold control characters (newlines, tabs)")
        }
    }

    static func checkStrategy(_ hash: String, _ granularity: String) throws(DomainError) {
        guard ContentHash.isValid(hash) else {
            throw DomainError("clone.bad_strategy_hash", "strategy hash \(hash.debugDescription) is not a SHA-256 in lowercase hex")
        }
        guard Granularity(rawValue: granularity) != nil else {
            throw DomainError("clone.bad_granularity", "granularity \(granularity.debugDescription) is not basic, custom or power")
        }
    }
}
