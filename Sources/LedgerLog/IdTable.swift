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
    private(set) var count = 0
    /// Most entries the table takes.
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        var size = 2
        while size < 2 * min(self.capacity, 512) { size <<= 1 }
        slots = [Slot](repeating: Slot(), count: size)
    }

    /// How many slots the table has now (it grows as it fills).
    var slotCount: Int { slots.count }

    func sequence(of key: IdKey) -> UInt64? {
        let sequence = slots[probe(key)].sequence
        return sequence == 0 ? nil : sequence
    }

    /// Adds `key` unless it is already there; returns whether it was new.
    @discardableResult
    mutating func insert(_ key: IdKey, sequence: UInt64) -> Bool {
        precondition(sequence != 0, "an id table takes sequences from 1")
        if 2 * (count + 1) > slots.count && count < capacity { grow() }
        let index = probe(key)
        guard slots[index].sequence == 0 else { return false }
        precondition(count < capacity, "an id table holds at most its capacity")
        slots[index] = Slot(first: key.first, second: key.second, sequence: sequence)
        count += 1
        return true
    }

    /// Removes `keys`, which must be every entry (cheaper than clearing the whole table).
    mutating func remove(all keys: some Collection<IdKey>) {
        precondition(keys.count == count, "remove every entry at once")
        // Found first, cleared after: a cleared slot would cut the probe of a key after it.
        let indices = keys.map(probe)
        for index in indices { slots[index] = Slot() }
        count = 0
    }

    mutating func removeAll() {
        slots.withUnsafeMutableBufferPointer { slots in
            slots.update(repeating: Slot())
        }
        count = 0
    }

    /// The slot holding `key`, or the empty slot where it would go.
    private func probe(_ key: IdKey) -> Int {
        slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var index = Int(truncatingIfNeeded: key.first) & mask
            while true {
                let slot = slots[index]
                if slot.sequence == 0 || (slot.first == key.first && slot.second == key.second) { return index }
                index = (index &+ 1) & mask
            }
        }
    }

    /// Doubles the slots and places every entry anew.
    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        count = 0
        for slot in old where slot.sequence != 0 {
            insert(IdKey(first: slot.first, second: slot.second), sequence: slot.sequence)
        }
    }
}
