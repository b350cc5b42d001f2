import ClashCore

extension Address {
    /// `text` parsed as the `field` of a command (an owner, a holder): a text that is not an address,
    /// or a mixed-case one whose EIP-55 checksum is wrong, is refused with `code`, nothing decided.
    public static func parse(_ text: String, field: String, code: String) throws(DomainError) -> Address {
        do {
            return try Address(text)
        } catch {
            throw DomainError(code, "\(field): \(error)")
        }
    }
}
