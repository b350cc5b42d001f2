/// The asset categories users select Hyperliquid assets by (the Asset Block), and how the
/// exchange's own category words map onto them.
public enum AssetCategory {
    /// The categories an asset can be placed in (by the project's mapping or the exchange).
    public static let paths = [
        "Crypto/AI", "Crypto/Defi", "Crypto/Gaming", "Crypto/Layer 1", "Crypto/Layer 2", "Crypto/Meme",
        "Tradfi/Stocks", "Tradfi/Indices", "Tradfi/Commodities", "Tradfi/FX", "Tradfi/Pre-IPO",
    ]

    /// Every selectable category: the high level ones, each group's `All`, the placeable paths,
    /// and spot by quote token.
    public static let selectable = ["All", "Perps", "Spot", "Crypto", "Tradfi", "Trending", "Crypto/All", "Tradfi/All", "Spot/All"]
        + paths + ["Spot/USDC", "Spot/USDH", "Spot/USDT"]

    /// The category path for a word of Hyperliquid's `perpCategories` (set by builders, lowercase
    /// in practice), or nil for a word outside the product's categories. `crypto` alone places an
    /// asset in Crypto without a subcategory.
    public static func path(forExchangeCategory word: String) -> String? {
        let key = word.lowercased().filter { $0.isLetter || $0.isNumber }
        switch key {
        case "ai": return "Crypto/AI"
        case "defi": return "Crypto/Defi"
        case "gaming", "games": return "Crypto/Gaming"
        case "layer1", "l1": return "Crypto/Layer 1"
        case "layer2", "l2": return "Crypto/Layer 2"
        case "meme", "memes": return "Crypto/Meme"
        case "crypto": return "Crypto"
        case "stocks", "stock", "equities", "equity": return "Tradfi/Stocks"
        case "indices", "index": return "Tradfi/Indices"
        case "commodities", "commodity": return "Tradfi/Commodities"
        case "forex", "fx", "currencies": return "Tradfi/FX"
        case "preipo", "prelaunch": return "Tradfi/Pre-IPO"
        default: return nil
        }
    }

    /// The spot category of a quote token (USDT0 is Hyperliquid's USDT).
    public static func spotPath(forQuote quote: String) -> String? {
        switch quote {
        case "USDC": return "Spot/USDC"
        case "USDH": return "Spot/USDH"
        case "USDT", "USDT0": return "Spot/USDT"
        default: return nil
        }
    }
}
