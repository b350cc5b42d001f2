/// Event ids (as `IdKey` digests) with the sequence each was written at: an open-addressing table
/// with linear probing. The digest is already well mixed, so it indexes the table as it is — no
/// hashing per lookup. Entries are never removed one by one, only all at once.
struct IdTable {
    private struct Slot {
        var first: UInt64 = 0
        var second: UInt64 = 0
        /// 0 marks an empty slot (sequences start at 1).
        var sequence: UInt64 = 0
    }

    private var slots: [Slot]
    private let mask: Int
    private(set) var count = 0
    /// Most entries the table takes (half its slots, so that probes stay short).
    let capacity: Int

    init(capacity: Int) {
        var size = 16
        while size < 2 * capacity { size <<= 1 }
        slots = [Slot](repeating: Slot(), count: size)
        mask = size - 1
        self.capacity = size / 2
    }

    func sequence(of key: IdKey) -> UInt64? {
        slots.withUnsafeBufferPointer { slots in
            var index = Int(truncatingIfNeeded: key.first) & mask
            while true {
                let slot = slots[index]
                if slot.sequence == 0 { return nil }
                if slot.first == key.first && slot.second == key.second { return slot.sequence }
                index = (index &+ 1) & mask
            }
        }
    }

    /// Adds `key` unless it is already there; returns the slot it is in and whether it was new.
    @discardableResult
    mutating func insert(_ key: IdKey, sequence: UInt64) -> (slot: Int, inserted: Bool) {
        precondition(sequence != 0 && count < capacity, "an id table takes sequences from 1, up to its capacity")
        let mask = self.mask
        let result: (Int, Bool) = slots.withUnsafeMutableBufferPointer { slots in
            var index = Int(truncatingIfNeeded: key.first) & mask
            while true {
                let slot = slots[index]
                if slot.sequence == 0 {
                    slots[index] = Slot(first: key.first, second: key.second, sequence: sequence)
                    return (index, true)
                }
                if slot.first == key.first && slot.second == key.second { return (index, false) }
                index = (index &+ 1) & mask
            }
        }
        if result.1 { count += 1 }
        return result
    }

    /// Empties the given slots, which must be every slot in use (cheaper than clearing the table).
    mutating func empty(slots used: [Int]) {
        precondition(used.count == count, "empty every slot in use at once")
        slots.withUnsafeMutableBufferPointer { slots in
            for index in used { slots[index] = Slot() }
        }
        count = 0
    }

    mutating func removeAll() {
        slots.withUnsafeMutableBufferPointer { slots in
            slots.update(repeating: Slot())
        }
        count = 0
    }
}
