import Foundation

/// The read models' SQL files, bundled as resources.
enum Resources {
    static func sql(_ name: String) -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: "sql"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            preconditionFailure("the resource \(name).sql is missing from the Projections bundle")
        }
        return text
    }
}
