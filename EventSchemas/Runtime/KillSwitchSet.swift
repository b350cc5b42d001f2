/// The runtime's kill switch was set: halted (nothing trades), reduce-only (only closes pass), or
/// running again. It governs every run stamped at or after it.
public struct KillSwitchSet: CatalogEvent {
    public static let type = "runtime.kill_switch_set"
    public static let version = 1
    public static let summary = "The runtime's kill switch was set: halted, reduce_only or running (stream runtime.kill_switch)."
    /// The stream every kill switch event goes to.
    public static let stream = "runtime.kill_switch"

    /// running, halted or reduce_only.
    public var state: String
    /// Why, in the operator's words.
    public var reason: String

    public init(state: String, reason: String) {
        self.state = state
        self.reason = reason
    }
}
