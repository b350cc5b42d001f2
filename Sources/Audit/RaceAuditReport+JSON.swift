import LedgerLog

extension RaceAuditReport {
    /// The report as one JSON object — what `clash race audit --json` prints and `clash serve` answers.
    public func write(to json: inout CanonicalJSONWriter) {
        let report = self
        json.beginObject()
        if let divergence = report.divergence {
            json.key("divergence")
            json.beginObject()
            json.key("field"); json.string(divergence.field)
            json.key("id"); json.string(divergence.id)
            json.key("logged"); json.string(divergence.logged)
            json.key("recomputed"); json.string(divergence.recomputed)
            json.key("sequence"); if let sequence = divergence.sequence { json.uint(sequence) } else { json.null() }
            json.key("type"); json.string(divergence.type)
            json.endObject()
        }
        json.key("divergences"); json.int(report.divergences)
        json.key("ended_sequence"); if let sequence = report.endedSequence { json.uint(sequence) } else { json.null() }
        json.key("events_compared"); json.int(report.eventsCompared)
        json.key("fills"); json.int(report.fills)
        json.key("race_id"); json.string(report.raceId)
        json.key("racers"); json.int(report.racers)
        json.key("result"); json.string(report.matches ? "match" : "divergence")
        json.key("runs"); json.int(report.runs)
        json.key("settled_sequence"); if let sequence = report.settledSequence { json.uint(sequence) } else { json.null() }
        json.endObject()
    }
}
