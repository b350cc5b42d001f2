import ClashCore
import Domain
import EventSchemas
import Foundation
import Testing

/// Keccak-256 against published vectors (and an independent implementation's digests at the
/// sponge's block boundaries), and addresses as wallets accept them: ASCII hex, EIP-55 checksums.
@Suite("addresses and Keccak-256", .timeLimit(.minutes(5)))
struct AddressTests {
    @Test("Keccak-256 (Ethereum's padding, not SHA3-256's) of the published vectors and of messages across the 136-byte block boundary",
          arguments: [
              ("", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"),
              ("abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"),
              ("The quick brown fox jumps over the lazy dog", "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15"),
              (String(repeating: "a", count: 135), "34367dc248bbd832f4e3e69dfaac2f92638bd0bbd18f2912ba4ef454919cf446"),
              (String(repeating: "a", count: 136), "a6c4d403279fe3e0af03729caada8374b5ca54d8065329a3ebcaeb4b60aa386e"),
              (String(repeating: "a", count: 137), "d869f639c7046b4929fc92a4d988a8b22c55fbadb802c0c66ebcd484f1915f39"),
          ])
    func keccak(message: String, digest: String) {
        #expect(Keccak256.hex(Array(message.utf8)) == digest)
    }

    @Test("Keccak-256 of 512 bytes (every byte value twice: several blocks)")
    func keccakLong() {
        let bytes = (0..<512).map { UInt8($0 % 256) }
        #expect(Keccak256.hex(bytes) == "f55ba327291604f0e5be6651752398b7be2331aad65f5763ce067df95cc13be1")
    }

    /// EIP-55's own examples: mixed case, all caps, all lowercase.
    static let checksummed = [
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB", "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ]

    @Test("EIP-55: its examples are accepted and checksum to themselves; every address is stored lowercase")
    func eip55() throws {
        for text in Self.checksummed {
            let address = try Address(text)
            #expect(address.checksummed == text && address.lowercase == text.lowercased())
        }
        for text in ["0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
                     "0xde709f2102306220921060314715629080e2fb77", "0x27b1fdb04752bbc536007a920d24acb045561c26"] {
            #expect(try Address(text).lowercase == text.lowercased(), "all caps and all lowercase carry no checksum")
        }
    }

    @Test("a mixed-case address whose checksum is wrong (one letter's case changed) is refused, naming the right form")
    func badChecksum() {
        #expect(throws: Address.Problem.badChecksum("0x5aAeb6053f3E94C9b9A09f33669435E7Ef1BeAed", expected: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")) {
            try Address("0x5aAeb6053f3E94C9b9A09f33669435E7Ef1BeAed")
        }
        #expect(!Address.isValid("0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"))
    }

    @Test("only ASCII hex: a fullwidth digit, a short or long address, a missing or uppercase 0X prefix, a g are refused", arguments: [
        "0x１f9840a85d5af5bf1d1762f925bdaddc4201f984", "0x1f9840a85d5af5bf1d1762f925bdaddc4201f98", "0x1f9840a85d5af5bf1d1762f925bdaddc4201f9841",
        "1f9840a85d5af5bf1d1762f925bdaddc4201f98400", "0X1f9840a85d5af5bf1d1762f925bdaddc4201f984", "0xgf9840a85d5af5bf1d1762f925bdaddc4201f984",
        "0x1f9840a85d5af5bf1d1762f925bdaddc4201f98٤", "",
    ])
    func notHex(text: String) {
        #expect(throws: Address.Problem.notHex(text)) { try Address(text) }
    }

    @Test("a command refuses a bad address with its code; a decoded event accepts only the lowercase form it stores")
    func commandsAndEvents() throws {
        #expect(throws: DomainError.self) { try Address.parse("0x123", field: "holder", code: "ticket.holder") }
        #expect {
            try Address.parse("0x5aAeb6053f3E94C9b9A09f33669435E7Ef1BeAed", field: "holder", code: "ticket.holder")
        } throws: { ($0 as? DomainError)?.code == "ticket.holder" && "\($0)".contains("checksum") }
        let bought = #"{"clone_id":"c-1","holder":"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed","price_wei":"1","race_id":"r-1","ticket_id":"r-1-t1"}"#
        #expect(throws: (any Error).self) { try JSONDecoder().decode(TicketBought.self, from: Data(bought.utf8)) }
        let stored = bought.replacingOccurrences(of: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", with: "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")
        #expect(try JSONDecoder().decode(TicketBought.self, from: Data(stored.utf8)).holder == Address("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"))
    }
}
