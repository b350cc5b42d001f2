import ClashCore
import EventSchemas
import Foundation

/// The project's category mapping for Hyperliquid perps (`Resources/categories.json`), as the
/// `hyperliquid.categories` event that records it in the log.
public enum CategoryMapping {
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// The bundled mapping, or one read from `path`.
    public static func event(path: String? = nil) throws -> HyperliquidCategories {
        let data: Data
        if let path {
            guard let contents = FileManager.default.contents(atPath: path) else { throw Problem(description: "cannot read \(path)") }
            data = contents
        } else {
            guard let url = Bundle.module.url(forResource: "categories", withExtension: "json"),
                  let contents = try? Data(contentsOf: url) else { throw Problem(description: "the bundled categories.json is missing") }
            data = contents
        }
        let file = path ?? "categories.json"
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let version = root["version"] as? Int, version >= 1,
              let categories = root["categories"] as? [String: [String]] else {
            throw Problem(description: "\(file): expected {\"version\": N >= 1, \"categories\": {PATH: [SYMBOL, ...]}}")
        }
        var entries: [HyperliquidCategories.CategoryEntry] = []
        for path in categories.keys.sorted() {
            guard AssetCategory.paths.contains(path) else {
                throw Problem(description: "\(file): \(path) is not a category path (one of \(AssetCategory.paths.joined(separator: ", ")))")
            }
            for symbol in Set(categories[path]!).sorted() { entries.append(.init(symbol: symbol, category: path)) }
        }
        return HyperliquidCategories(source: "mapping", mappingVersion: Int64(version), entries: entries)
    }
}
