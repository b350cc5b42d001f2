/// Event ids (as `IdKey` digests) with the sequence each was written at: an open-addressing table
/// with linear probing, at most half full so that probes stay short. The digest is already well
/// mixed, so it indexes the table as it is — no hashing per lookup. It starts small and doubles as
/// it fills, up to `capacity` entries. Entries are never removed one by one, only all at once.
struct IdTable {
    private struct Slot {
        var first: UInt64 = 0
        var second: UInt64 = 0
        /// 0 marks an empty slot (sequences start at 1).
        var sequence: UInt64 = 0
    }

    private var slots: [Slot]
    private var mask: Int
    private(set) var count = 0
    /// Most entries the table takes.
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        let size = 2 * min(self.capacity, 512).roundedUpToPowerOfTwo
        slots = [Slot](repeating: Slot(), count: size)
        mask = size - 1
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
        precondition(sequence != 0, "an id table takes sequences from 1")
        if 2 * (count + 1) > slots.count && count < capacity { grow() }
        let mask = self.mask
        let capacity = self.capacity
        let count = self.count
        let result: (Int, Bool) = slots.withUnsafeMutableBufferPointer { slots in
            var index = Int(truncatingIfNeeded: key.first) & mask
            while true {
                let slot = slots[index]
                if slot.sequence == 0 {
                    precondition(count < capacity, "an id table holds at most its capacity")
                    slots[index] = Slot(first: key.first, second: key.second, sequence: sequence)
                    return (index, true)
                }
                if slot.first == key.first && slot.second == key.second { return (index, false) }
                index = (index &+ 1) & mask
            }
        }
        if result.1 { self.count += 1 }
        return result
    }

    /// Doubles the slots and places every entry anew.
    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        mask = slots.count - 1
        count = 0
        for slot in old where slot.sequence != 0 {
            insert(IdKey(first: slot.first, second: slot.second), sequence: slot.sequence)
        }
    }

    /// How many slots the table has now (it grows as it fills).
    var slotCount: Int { slots.count }

    /// Empties the given slots, which must be every slot in use, taken while the table had its
    /// present size (cheaper than clearing the whole table).
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

extension Int {
    /// The least power of two at least this large (1 for 0 and below).
    var roundedUpToPowerOfTwo: Int {
        var power = 1
        while power < self { power <<= 1 }
        return power
    }
}
