/// A clone's public identity changed.
public struct CloneIdentityChanged: CatalogEvent {
    public static let type = "clone.identity_changed"
    public static let version = 1
    public static let summary = "A clone's public identity changed (stream clone.<id>)."

    /// The clone.
    public var cloneId: String
    /// The new public identity.
    public var identity: CloneCreated.Identity

    public init(cloneId: String, identity: CloneCreated.Identity) {
        self.cloneId = cloneId
        self.identity = identity
    }

    enum CodingKeys: String, CodingKey {
        case cloneId = "clone_id"
        case identity
    }
}
