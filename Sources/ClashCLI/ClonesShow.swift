import ArgumentParser
import Clash
import Foundation

struct ClonesShow: ClashCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print one clone: public identity and figures; the strategy graph only to its owner or an operator.")

    enum Audience: String, ExpressibleByArgument, CaseIterable {
        case `public`, owner, `operator`

        /// The audience `--as` names, with `--owner`'s address for an owner.
        func asking(owner: String?, clone: String) throws -> CloneAudience {
            switch self {
            case .public: return .public
            case .operator: return .operator
            case .owner:
                guard let owner else { throw DomainError("clone.not_owner", "--as owner needs --owner with the address of clone \(clone)'s creator") }
                return .owner(try Address.parse(owner, field: "--owner", code: "clone.bad_address"))
            }
        }
    }

    @OptionGroup var data: DataOptions
    @OptionGroup var report: ReportOptions
    @OptionGroup var artifacts: ArtifactOptions
    @Argument(help: "The clone's id.") var id: String
    @Option(name: .customLong("as"), help: "public (default), owner (needs --owner) or operator.") var audience: Audience = .public
    @Option(help: "With --as owner: the address asking, which must be the clone's creator.") var owner: String?

    func execute() throws {
        let asking = try audience.asking(owner: owner, clone: id)
        let store = try artifacts.store(data)
        let view = try data.query { try $0.clone(id, as: asking, artifacts: store) }
        try report.print(objects: [try view.canonicalJSON()])
    }
}
