import Foundation
import HTTPTypes
import Hummingbird

/// The arena's web page: plain HTML, CSS and JavaScript shipped as the binary's resources, no
/// build step. Every page path answers the same document (the script draws the page its path
/// names); only the named files are served, so no path reaches a file outside them.
enum WebPage {
    /// The page paths, each answered with `index.html`.
    static let pages = ["/", "/leaderboard", "/hall-of-fame", "/races/:race_id", "/clones/:clone_id", "/tickets/:ticket_id"]
    /// The files under `/web/`, with their content types.
    static let files = ["app.js": "text/javascript; charset=utf-8", "app.css": "text/css; charset=utf-8", "favicon.svg": "image/svg+xml"]

    static func routes(_ router: Router<ArenaRequestContext>) {
        let index = load("index.html")
        for page in pages {
            router.get(RouterPath(page)) { _, _ in serve(index, type: "text/html; charset=utf-8") }
        }
        for (name, type) in files {
            let bytes = load(name)
            router.get(RouterPath("/web/\(name)")) { _, _ in serve(bytes, type: type) }
        }
    }

    private static func load(_ name: String) -> [UInt8]? {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard let url = Bundle.module.url(forResource: parts[0], withExtension: parts[1], subdirectory: "web"),
              let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return Array(data)
    }

    private static func serve(_ bytes: [UInt8]?, type: String) -> Response {
        guard let bytes else { return Problem(.internalServerError, "server.no_page", "the web page is missing from this build").response }
        var headers: HTTPFields = [.contentType: type, .cacheControl: "no-cache"]
        headers[.init("Content-Security-Policy")!] = "default-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:"
        headers[.init("X-Content-Type-Options")!] = "nosniff"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
