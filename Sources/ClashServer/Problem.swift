import Audit
import Clash
import Foundation
import Hummingbird
import SignIn
import Transparency

/// An error as the API answers it: `application/problem+json` (RFC 9457) with the domain's stable
/// code, and the HTTP status that code means.
struct Problem: Error {
    var status: HTTPResponse.Status
    var code: String
    var detail: String

    /// What a thrown error means to a client: an unknown thing is 404, a rule that refused is 409,
    /// bad input is 400, anything else a 500 whose detail names no internals.
    init(_ error: any Error) {
        switch error {
        case let problem as Problem:
            self = problem
        case let tree as TreeError:
            // A tree or an event the log does not hold (yet) is not there: 404.
            switch tree {
            case .badSize: (status, code) = (.notFound, "log.no_such_tree")
            case .badSequence: (status, code) = (.notFound, "log.no_such_event")
            default: (status, code) = (.badRequest, "log.bad_request")
            }
            detail = "\(tree)"
        case let dispute as DisputeError:
            // What a dispute cannot find (a race or ticket the log does not hold) is not there.
            status = .notFound
            code = "dispute.not_found"
            detail = dispute.description
        case let selection as AssetSelection.Problem:
            // A category that does not exist is not found (the API lists what does).
            status = .notFound
            code = "asset.unknown_category"
            detail = selection.description
        case let log as LogError:
            // Another writer in this process (the arena's loop) moved the stream first: ask again.
            if case .wrongExpectedVersion = log {
                status = .conflict
                code = "request.concurrent_write"
                detail = "the arena changed this at the same moment; send the request again"
            } else {
                FileHandle.standardError.write(Data("error: answered 500 for \(log)\n".utf8))
                status = .internalServerError
                code = "server.error"
                detail = "the server could not answer; the operator's log has the cause"
            }
        case let catalog as CatalogError where catalog.refusedAppend:
            // A value the event's schema refuses (too long, out of range): bad input, nothing written.
            status = .badRequest
            code = "request.bad_value"
            detail = catalog.description
        case let graph as GraphProblems:
            // A strategy that does not validate is bad input: every problem is named.
            status = .badRequest
            code = graph.problems.count == 1 ? graph.codes[0] : "strategy.invalid"
            detail = graph.description
        case let signIn as SignInError:
            // Every refusal, a malformed message included, leaves the caller unsigned-in: sign again.
            status = .unauthorized
            code = signIn.code
            detail = signIn.description
        case let domain as DomainError:
            status = domain.code.hasSuffix(".unknown") ? .notFound
                : domain.code == "clone.not_owner" ? .forbidden
                : (domain.code.contains("bad_") || Self.badInputCodes.contains(domain.code) ? .badRequest : .conflict)
            code = domain.code
            detail = domain.message
        default:
            // The client is told nothing of the cause; the operator's log is.
            FileHandle.standardError.write(Data("error: answered 500 for \(error)\n".utf8))
            status = .internalServerError
            code = "server.error"
            detail = "the server could not answer; the operator's log has the cause"
        }
    }

    /// Domain codes that refuse a value as given rather than the state it meets (beside the `bad_` ones).
    static let badInputCodes: Set = ["ticket.count", "ticket.holder", "race.reason"]

    init(_ status: HTTPResponse.Status, _ code: String, _ detail: String) {
        self.status = status
        self.code = code
        self.detail = detail
    }

    var response: Response {
        var json = CanonicalJSONWriter()
        json.beginObject()
        json.key("code"); json.string(code)
        json.key("detail"); json.string(detail)
        json.key("status"); json.int(Int64(status.code))
        json.key("title"); json.string(status.reasonPhrase)
        json.key("type"); json.string("https://clash-ledger.dev/problems/" + code)
        json.endObject()
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: json.bytes)))
    }
}

/// Every error that reaches the router — a route that does not exist, a method it does not take —
/// answered as problem+json too.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The routes that take more than GET (and HEAD), `*` a path parameter; every other known path takes GET.
    static var writes: [(path: [Substring], methods: [String])] {
        [("/v1/clones", ["GET", "HEAD", "POST"]), ("/v1/clones/*/strategy", ["GET", "HEAD", "PUT"]), ("/v1/clones/*/retire", ["POST"]),
         ("/v1/races/*/tickets", ["POST"]), ("/v1/races/*/cancel", ["POST"]), ("/v1/runtime/halt", ["POST"]), ("/v1/runtime/reduce-only", ["POST"]),
         ("/v1/runtime/resume", ["POST"]), ("/v1/auth/siwe", ["POST"]), ("/v1/auth/logout", ["POST"])]
            .map { ($0.0.split(separator: "/"), $0.1) }
    }

    /// The methods `path` takes: a write route's, else GET and HEAD for any other path (a path
    /// that is no route at all answers 404 to GET).
    static func allowed(_ path: String) -> [String]? {
        let segments = path.split(separator: "/")
        if let route = writes.first(where: { $0.path.count == segments.count && zip($0.path, segments).allSatisfy { $0 == "*" || $0 == $1 } }) {
            return route.methods
        }
        return ["GET", "HEAD"]
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            // A route asked with a method it does not take is 405, with what it takes.
            if error.status == .notFound, let allowed = Self.allowed(request.uri.path), !allowed.contains(request.method.rawValue) {
                var response = Problem(.methodNotAllowed, "method.not_allowed",
                                       "\(request.method) is not allowed here; \(request.uri.path) takes \(allowed.joined(separator: ", "))").response
                response.headers[.allow] = allowed.joined(separator: ", ")
                return response
            }
            let code = error.status == .notFound ? "route.unknown" : "request.refused"
            return Problem(error.status, code, error.status == .notFound ? "no route \(request.method) \(request.uri.path); GET /v1/health answers" : "\(error.status)")
                .response
        } catch {
            return Problem(error).response
        }
    }
}
