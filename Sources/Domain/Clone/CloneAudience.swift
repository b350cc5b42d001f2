import ClashCore

/// Who is asking to see a clone: anyone, its owner (with the address asking), or an operator.
/// A strategy — its graph, its prompts, the packets its runs read — is shown only to its owner
/// and operators.
public enum CloneAudience: Sendable, Equatable {
    case `public`
    case owner(Address)
    case `operator`
}

extension CloneState {
    /// Whether `audience` may see this clone's strategy: an operator may, the public may not, and
    /// an address asking as its owner may only when it created the clone (`clone.not_owner` otherwise).
    public func showsStrategy(to audience: CloneAudience) throws(DomainError) -> Bool {
        switch audience {
        case .public: return false
        case .operator: return true
        case .owner(let asking):
            guard asking.lowercase == creator else {
                throw DomainError("clone.not_owner", "only clone \(cloneId)'s creator sees its strategy as its owner; \(asking.lowercase) did not create it")
            }
            return true
        }
    }
}
