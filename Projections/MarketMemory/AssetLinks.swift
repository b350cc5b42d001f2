/// Which Polymarket markets and DefiLlama subjects relate to a Hyperliquid asset (rule v1).
///
/// An asset's *base* is its symbol without a builder dex prefix (`xyz:TSLA` → `TSLA`), without
/// Hyperliquid's `k` prefix of thousand-unit perps (`kPEPE` → `PEPE`), and for spot the part before
/// the `/`. Its *names* are the base (when at least 3 characters, so `OP` or `S` match nothing by
/// accident) and the aliases below.
/// - A Polymarket market relates when one of the names occurs in its question or slug as a whole
///   word, ignoring case.
/// - A DefiLlama chain links when its native token (`tokenSymbol` of `/v2/chains`) is the base, or
///   its name is one of the aliases; a stablecoin links when its symbol is the base.
public enum AssetLinks {
    public static let ruleVersion = 1

    static let aliases: [String: [String]] = [
        "BTC": ["bitcoin"], "ETH": ["ethereum", "ether"], "SOL": ["solana"], "XRP": ["ripple"], "DOGE": ["dogecoin"],
        "BNB": ["binance", "bnb chain", "bsc"], "ADA": ["cardano"], "AVAX": ["avalanche"], "DOT": ["polkadot"], "LINK": ["chainlink"],
        "LTC": ["litecoin"], "BCH": ["bitcoin cash"], "ATOM": ["cosmos"], "TRX": ["tron"], "TON": ["toncoin"], "NEAR": ["near protocol"],
        "ARB": ["arbitrum"], "OP": ["optimism"], "SUI": ["sui"], "APT": ["aptos"], "HYPE": ["hyperliquid"], "POL": ["polygon"],
        "MATIC": ["polygon"], "TIA": ["celestia"], "SEI": ["sei"], "INJ": ["injective"], "STX": ["stacks"], "HBAR": ["hedera"],
        "XLM": ["stellar"], "FIL": ["filecoin"], "ETC": ["ethereum classic"], "MNT": ["mantle"], "S": ["sonic"], "BERA": ["berachain"],
        "PEPE": ["pepe"], "TRUMP": ["trump coin", "official trump"], "TSLA": ["tesla"], "NVDA": ["nvidia"], "AAPL": ["apple"],
        "MSFT": ["microsoft"], "GOOGL": ["google", "alphabet"], "AMZN": ["amazon"], "META": ["meta platforms"], "GOLD": ["gold"],
        "SILVER": ["silver"], "CL": ["crude oil", "oil"], "XMR": ["monero"], "ZEC": ["zcash"],
    ]

    /// The base of a symbol.
    public static func base(_ symbol: String) -> String {
        var base = Substring(symbol)
        if let colon = base.firstIndex(of: ":") { base = base[base.index(after: colon)...] }
        if let slash = base.firstIndex(of: "/") { base = base[..<slash] }
        if base.count > 1, base.first == "k", base.dropFirst().allSatisfy({ $0.isUppercase || $0.isNumber }) { base = base.dropFirst() }
        return String(base)
    }

    /// The words that name the asset in text, lowercased.
    public static func names(_ symbol: String) -> [String] {
        let base = base(symbol)
        var names = aliases[base] ?? []
        if base.count >= 3 { names.append(base.lowercased()) }
        return names
    }

    /// Whether `text` holds one of `names` as a whole word (letters and digits around it do not count as a boundary).
    public static func mentions(_ text: String, _ names: [String]) -> Bool {
        let words = text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : " " }
        let padded = " " + String(words).split(separator: " ").joined(separator: " ") + " "
        return names.contains { padded.contains(" " + $0 + " ") }
    }

    /// Whether a DefiLlama chain links to the asset.
    public static func chainLinks(symbol: String, chain: String, tokenSymbol: String?) -> Bool {
        let base = base(symbol)
        if let tokenSymbol, tokenSymbol.uppercased() == base.uppercased() { return true }
        return (aliases[base] ?? []).contains(chain.lowercased())
    }
}
