import Testing
@testable import LedgerLog

@Suite("Id table", .timeLimit(.minutes(5)))
struct IdTableTests {
    @Test("ids stay found with their sequences as the table grows from small to its capacity")
    func growsAndFinds() {
        var table = IdTable(capacity: 100_000)
        let keys = (0..<100_000).map { IdKey("event-\($0)") }
        let firstSlots = table.slotCount
        for (index, key) in keys.enumerated() {
            let added = table.insert(key, sequence: UInt64(index) + 1)
            #expect(added)
        }
        #expect(table.slotCount > firstSlots)
        #expect(table.count == 100_000)
        #expect(keys.enumerated().allSatisfy { table.sequence(of: $0.element) == UInt64($0.offset) + 1 })
        #expect(table.sequence(of: IdKey("event-100000")) == nil)
        let addedAgain = table.insert(keys[7], sequence: 999)
        #expect(!addedAgain)
        #expect(table.sequence(of: keys[7]) == 8)
        table.removeAll()
        #expect(table.count == 0 && table.sequence(of: keys[7]) == nil)
    }

    @Test("removing every entry by its key, across growth, leaves an empty table that works as new")
    func removesAllKeys() {
        var table = IdTable(capacity: 5_000)
        let keys = (0..<2_000).map { IdKey("id-\($0)") }
        for (index, key) in keys.enumerated() { table.insert(key, sequence: UInt64(index) + 1) }
        table.remove(all: keys)
        #expect(table.count == 0)
        #expect(keys.allSatisfy { table.sequence(of: $0) == nil })
        let addedAfter = table.insert(IdKey("id-3"), sequence: 1)
        #expect(addedAfter)
    }

    @Test("an id given twice in one append is found, also in an append larger than any before it")
    func repeatsInLargeAppends() throws {
        var state = WriterState(idempotencyWindow: 1_000)
        for count in [2, 50, 5_000] {
            var drafts = (0..<count).map { EventDraft(id: "c\(count)-\($0)", type: "t.e", stream: "s", timestampMs: 0, payload: Array("{}".utf8)) }
            #expect(try state.check(drafts, keys: drafts.map { IdKey($0.id) }, expectations: [:]) == nil)
            drafts[count - 1].id = drafts[0].id
            let error = logError { _ = try state.check(drafts, keys: drafts.map { IdKey($0.id) }, expectations: [:]) }
            guard case .invalidDraft(let index, "id", _)? = error else {
                Issue.record("expected the repeated id to be refused, got \(String(describing: error))")
                return
            }
            #expect(index == count - 1)
        }
    }
}
