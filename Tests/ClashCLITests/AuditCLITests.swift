import Foundation
import LedgerLog
import Testing

/// Race audits on a simulated season, and a forged history: what an operator rewriting the log
/// would produce (an event edited, every later batch's chain value computed again), which the hash
/// chain accepts and the audit and a signed tree head do not.
@Suite("clash race audit and forged histories", .serialized, .timeLimit(.minutes(5)))
struct AuditCLITests {
    let data = NSTemporaryDirectory() + "clash-audit-\(UUID().uuidString)"

    func simulate() throws {
        let run = try CLI.run(["season", "simulate", "--seed", "3", "--clones", "3", "--races", "2", "--spectators", "4", "--assets", "2",
                               "--cadence", "1h", "--slots", "2", "--quiet", "--data", data])
        #expect(run.status == 0, "\(run.stderr)")
    }

    /// The export with the first line `matching` changed by `edit`, every batch chain from there on
    /// and the header's head computed again: an internally consistent history.
    static func forge(_ export: String, matching: (String) -> Bool, edit: (String) -> String) throws -> (forged: String, index: Int) {
        var lines = try String(contentsOfFile: export, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        let index = try #require(lines.indices.first { $0 > 0 && matching(lines[$0]) })
        lines[index] = edit(lines[index])
        var chain = ChainHash.genesis
        var position = 1
        while position < lines.count {
            let marker = try #require(try JSONSerialization.jsonObject(with: Data(lines[position].utf8)) as? [String: [String: Any]])
            let count = try #require(marker["batch"]?["count"] as? Int)
            let stated = try #require(marker["batch"]?["chain"] as? String)
            let records = lines[(position + 1)...(position + count)]
            chain = chain.next(Array(records.map { $0 + "\n" }.joined().utf8))
            lines[position] = lines[position].replacingOccurrences(of: stated, with: chain.hex)
            position += count + 1
        }
        let header = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        lines[0] = lines[0].replacingOccurrences(of: try #require(header["head"] as? String), with: chain.hex)
        return (lines.joined(separator: "\n") + "\n", index)
    }

    /// A line's `"key":value` number, and the line with it changed by `delta`.
    static func bump(_ line: String, key: String, by delta: Int, quoted: Bool = false) -> (String, original: String, forged: String) {
        let marker = "\"\(key)\":" + (quoted ? "\"" : "")
        let start = line.range(of: marker)!.upperBound
        let digits = line[start...].prefix { $0.isNumber }
        let forged = String(Int(digits)! + delta)
        return (line.replacingCharacters(in: start..<digits.endIndex, with: forged), String(digits), forged)
    }

    @Test("every race of a season audits as a match; an edited fill and an edited payout, chains recomputed, pass log verify but not the audit nor a head signed before")
    func forgedHistory() throws {
        let forgedData = data + "-forged"
        defer { for directory in [data, forgedData] { try? FileManager.default.removeItem(atPath: directory) } }
        try simulate()
        for race in ["r-1", "r-2"] {
            let audit = try CLI.run(["race", "audit", race, "--json", "--data", data])
            let report = try CLI.json(audit.stdout)
            #expect(audit.status == 0 && report["result"] as? String == "match", "\(race): \(audit.stdout) \(audit.stderr)")
            #expect((report["events_compared"] as? Int ?? 0) > 20 && (report["runs"] as? Int ?? 0) > 0)
        }
        #expect(try CLI.run(["race", "audit", "r-1", "--data", data]).stdout.contains("race r-1: match"))

        // The settlement of r-1 explained: steps, lines equal to the logged ones, inputs proved to the recorded tree head.
        let dispute = try CLI.run(["dispute", "race", "r-1", "--json", "--data", data])
        #expect(dispute.status == 0, "\(dispute.stderr)")
        let derivation = try CLI.json(dispute.stdout)
        let treeHead = try #require(derivation["tree_head"] as? [String: Any])
        let settledLine = try #require(try CLI.run(["log", "dump", "--stream", "race.r-1", "--data", data]).stdout.split(separator: "\n").last { $0.contains("race.settled") })
        #expect(derivation["agrees_with_log"] as? Bool == true && treeHead["matches_log"] as? Bool == true)
        #expect(settledLine.contains("\"depends_on_tree_root\":\"\(treeHead["root_hash"] as? String ?? "-")\""))
        let lines = try #require(derivation["lines"] as? [[String: Any]])
        let pool = try #require((derivation["steps"] as? [[String: Any]])?.first { $0["name"] as? String == "pool" }?["wei"] as? String)
        #expect(lines.reduce(0) { $0 + (Int($1["amount_wei"] as? String ?? "") ?? 0) } == Int(pool), "every wei of the pool on a line")
        let inputs = try #require(derivation["inputs"] as? [[String: Any]])
        #expect(inputs.contains { $0["type"] as? String == "race.ended" } && inputs.filter { $0["type"] as? String == "ticket.bought" }.count == 11)
        for input in [inputs.first!, inputs.last!] {
            let proof = try JSONSerialization.data(withJSONObject: try #require(input["proof"]))
            try proof.write(to: URL(fileURLWithPath: data + "/proof.json"))
            #expect(try CLI.run(["log", "check-proof", data + "/proof.json"]).status == 0)
            let proved = try CLI.json(try CLI.run(["log", "prove", "--seq", "\(input["sequence"] as! Int)", "--size", "\(treeHead["tree_size"] as! Int)", "--data", data]).stdout)
            #expect(proved["inclusion_path"] as? [String] == (input["proof"] as? [String: Any])?["inclusion_path"] as? [String])
        }
        // One ticket's payout: its part of its holder's line.
        let holderLine = try #require(lines.first { $0["kind"] as? String == "holder" })
        let holder = try #require(holderLine["recipient"] as? String)
        let ticketRow = try #require(try CLI.run(["tickets", "show", "--holder", holder, "--json", "--data", data]).stdout.split(separator: "\n").first { $0.contains("\"r-1\"") })
        let ticketId = try #require((try JSONSerialization.jsonObject(with: Data(ticketRow.utf8)) as? [String: Any])?["ticket_id"] as? String)
        let ticket = try CLI.json(try CLI.run(["dispute", "ticket", ticketId, "--json", "--data", data]).stdout)
        #expect(ticket["status"] as? String == "won" && ticket["holder"] as? String == holder)
        #expect(Int(ticket["ticket_wei"] as? String ?? "") == Int(holderLine["amount_wei"] as! String)! / (holderLine["tickets"] as! Int))
        let ticketInputs = try #require((ticket["race"] as? [String: Any])?["inputs"] as? [[String: Any]])
        #expect(ticketInputs.filter { $0["type"] as? String == "ticket.bought" }.map { $0["id"] as? String } == [ticketId])
        #expect(try CLI.run(["dispute", "ticket", "r-1-t999", "--data", data]).status == 65)

        // A tree head signed before anything is forged.
        #expect(try CLI.run(["log", "keygen", "--out", data + "/operator.key"]).status == 0)
        let head = try CLI.run(["log", "sign-head", "--key", data + "/operator.key", "--data", data])
        try head.stdout.write(toFile: data + "/head.json", atomically: true, encoding: .utf8)
        #expect(try CLI.run(["log", "export", "--to", data + "/export.jsonl", "--data", data]).status == 0)

        func importForged(_ text: String) throws {
            try? FileManager.default.removeItem(atPath: forgedData)
            try FileManager.default.createDirectory(atPath: forgedData, withIntermediateDirectories: true)
            try text.write(toFile: data + "/forged.jsonl", atomically: true, encoding: .utf8)
            let imported = try CLI.run(["log", "import", "--from", data + "/forged.jsonl", "--data", forgedData])
            #expect(imported.status == 0, "\(imported.stderr)")
            try FileManager.default.copyItem(atPath: data + "/artifacts", toPath: forgedData + "/artifacts")
            let verified = try CLI.run(["log", "verify", "--data", forgedData])
            #expect(verified.status == 0 && verified.stdout.contains("\"ok\":true"), "the hash chain cannot tell")
            let checked = try CLI.run(["log", "check-head", data + "/head.json", "--data", forgedData])
            #expect(checked.status == 1 && checked.stdout.contains("rewritten"), "\(checked.stdout)")
        }

        // A fill of race r-2 at a better price.
        var fill = ("", original: "", forged: "")
        let (forgedFill, fillLine) = try Self.forge(data + "/export.jsonl", matching: { $0.contains("\"type\":\"runtime.fill\"") && $0.contains(".r-2\"") }) {
            fill = Self.bump($0, key: "price_e8", by: -1_000_000)
            return fill.0
        }
        try importForged(forgedFill)
        let fillSequence = try #require(try JSONSerialization.jsonObject(with: Data(fill.0.utf8)) as? [String: Any])["seq"] as? Int
        #expect(fillLine > 0)
        let audit = try CLI.run(["race", "audit", "r-2", "--json", "--data", forgedData])
        #expect(audit.status == 1, "\(audit.stdout) \(audit.stderr)")
        let divergence = try #require(try CLI.json(audit.stdout)["divergence"] as? [String: Any])
        #expect(divergence["sequence"] as? Int == fillSequence && divergence["type"] as? String == "runtime.fill")
        #expect(divergence["field"] as? String == "price_e8" && divergence["logged"] as? String == fill.forged
                && divergence["recomputed"] as? String == fill.original)
        #expect(try CLI.run(["race", "audit", "r-1", "--data", forgedData]).status == 0, "r-1 does not depend on r-2's fills")

        // A payout of race r-1 moved to another line.
        var payout = ("", original: "", forged: "")
        let (forgedPayout, _) = try Self.forge(data + "/export.jsonl", matching: { $0.contains("\"id\":\"r-1-settled\"") }) {
            payout = Self.bump($0, key: "amount_wei", by: 1_000, quoted: true)
            return payout.0
        }
        try importForged(forgedPayout)
        let text = try CLI.run(["race", "audit", "r-1", "--data", forgedData])
        #expect(text.status == 1 && text.stdout.contains("race.settled r-1-settled") && text.stdout.contains("payouts[0].amount_wei"), "\(text.stdout)")
        #expect(text.stdout.contains(payout.forged) && text.stdout.contains(payout.original))
        let disputed = try CLI.run(["dispute", "race", "r-1", "--json", "--data", forgedData])
        let disagreement = try CLI.json(disputed.stdout)["agrees_with_log"] as? Bool
        #expect(disputed.status == 1 && disagreement == false)

        // Without the artifacts (the strategies), it cannot be audited; nothing is written.
        try FileManager.default.removeItem(atPath: forgedData + "/artifacts")
        let blind = try CLI.run(["race", "audit", "r-1", "--data", forgedData])
        #expect(blind.status == 2 && blind.stderr.contains("is not in the artifact store"), "\(blind.stderr)")
        #expect(!FileManager.default.fileExists(atPath: forgedData + "/artifacts"))
        #expect(try CLI.run(["race", "audit", "r-9", "--data", data]).status == 2)
        #expect(try CLI.run(["race", "audit", "r-9", "--data", data]).stderr.contains("no race has id r-9"))
    }
}
