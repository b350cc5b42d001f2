import ClashCore
import Canonical

/// A clone was created: its creator, public identity, private strategy (by hash), the granularity
/// the strategy was written at, and the audition fee paid. Version 3 adds the granularity.
public struct CloneCreated: CatalogEvent {
    public static let type = "clone.created"
    public static let version = 3
    public static let summary = "A clone was created with its public identity, strategy hash and granularity, and audition fee (stream clone.<id>)."

    /// The public identity: shown to everyone.
    public struct Identity: Codable, Sendable, Equatable {
        public var name: String
        public var avatarText: String
        public var tagline: String

        public init(name: String, avatarText: String, tagline: String) {
            self.name = name
            self.avatarText = avatarText
            self.tagline = tagline
        }

        enum CodingKeys: String, CodingKey {
            case name
            case avatarText = "avatar_text"
            case tagline
        }
    }

    public var cloneId: String
    /// The creator's address.
    public var creator: String
    public var identity: Identity
    /// SHA-256 (hex) of the private strategy graph, kept in the artifact store.
    public var strategyHash: String
    /// basic, custom or power: the form the owner edits the strategy in.
    public var granularity: String
    public var auditionFeeWei: Wei

    public init(cloneId: String, creator: String, identity: Identity, strategyHash: String, granularity: String, auditionFeeWei: Wei) {
        self.cloneId = cloneId
        self.creator = creator
        self.identity = identity
        self.strategyHash = strategyHash
        self.granularity = granularity
        self.auditionFeeWei = auditionFeeWei
    }

    enum CodingKeys: String, CodingKey {
        case cloneId = "clone_id"
        case creator
        case identity
        case strategyHash = "strategy_hash"
        case granularity
        case auditionFeeWei = "audition_fee_wei"
    }
}

/// Version 2 of `clone.created`: the identity grouped, no granularity. Read through its upcaster
/// to version 3; never written any more.
public struct CloneCreatedV2: CatalogEvent {
    public static let type = "clone.created"
    public static let version = 2
    public static let summary = "A clone was created (second version: no granularity)."

    public var cloneId: String
    public var creator: String
    public var identity: CloneCreated.Identity
    public var strategyHash: String
    public var auditionFeeWei: Wei

    public init(cloneId: String, creator: String, identity: CloneCreated.Identity, strategyHash: String, auditionFeeWei: Wei) {
        self.cloneId = cloneId
        self.creator = creator
        self.identity = identity
        self.strategyHash = strategyHash
        self.auditionFeeWei = auditionFeeWei
    }

    enum CodingKeys: String, CodingKey {
        case cloneId = "clone_id"
        case creator
        case identity
        case strategyHash = "strategy_hash"
        case auditionFeeWei = "audition_fee_wei"
    }

    /// v2 → v3: a graph of an unrecorded granularity is editable only as a whole graph, so it is `power`.
    @Sendable static func upcast(_ payload: JSONValue) throws -> JSONValue {
        guard case .object(var members) = payload else { throw CatalogUpcastError.missingField("clone_id") }
        members.append((key: "granularity", value: .string("power")))
        members.sort { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
        return .object(members)
    }
}

/// Version 1 of `clone.created`, as the first release wrote it: identity fields flat, the fee as
/// `fee_wei`. Read through its upcasters to version 3; never written any more.
public struct CloneCreatedV1: CatalogEvent {
    public static let type = "clone.created"
    public static let version = 1
    public static let summary = "A clone was created (first version: flat identity fields, fee_wei)."

    public var cloneId: String
    public var creator: String
    public var name: String
    public var avatarText: String
    public var tagline: String
    public var strategyHash: String
    public var feeWei: Wei

    public init(cloneId: String, creator: String, name: String, avatarText: String, tagline: String, strategyHash: String, feeWei: Wei) {
        self.cloneId = cloneId
        self.creator = creator
        self.name = name
        self.avatarText = avatarText
        self.tagline = tagline
        self.strategyHash = strategyHash
        self.feeWei = feeWei
    }

    enum CodingKeys: String, CodingKey {
        case cloneId = "clone_id"
        case creator
        case name
        case avatarText = "avatar_text"
        case tagline
        case strategyHash = "strategy_hash"
        case feeWei = "fee_wei"
    }

    /// v1 → v2: the identity fields move into `identity`; `fee_wei` becomes `audition_fee_wei`.
    @Sendable static func upcast(_ payload: JSONValue) throws -> JSONValue {
        func field(_ key: String) throws -> JSONValue {
            guard let value = payload[key] else { throw CatalogUpcastError.missingField(key) }
            return value
        }
        return .object([
            "clone_id": try field("clone_id"),
            "creator": try field("creator"),
            "identity": .object(["name": try field("name"), "avatar_text": try field("avatar_text"), "tagline": try field("tagline")]),
            "strategy_hash": try field("strategy_hash"),
            "audition_fee_wei": try field("fee_wei"),
        ])
    }
}

/// An upcaster met a payload without a field its version requires.
public enum CatalogUpcastError: Error, CustomStringConvertible {
    case missingField(String)

    public var description: String {
        switch self {
        case .missingField(let key): "the payload has no \(key)"
        }
    }
}
