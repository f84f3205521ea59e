@testable import PELink
import Testing

/// The parallel helpers behind folding's sorts and the large tables: whatever the thread count
/// and however the keys are spread, the result is what one thread computes.
@Suite struct ParallelTests {
    /// Key sets that take each path: spread over all 64 bits (the bucket pass on the top 16),
    /// varying only in low bits (a lower bucket digit), one bucket holding most keys (sorted
    /// with the radix sort rather than in place), all equal, duplicates, and fewer keys than
    /// the parallel sort takes on (the sequential radix sort).
    private static func keySets() -> [(String, [UInt64])] {
        var numbers = SeededRandom(state: 14)
        let spread = (0..<200_000).map { _ in numbers.next() }
        let low = (0..<150_000).map { _ in 0xABCD_0000_0000_0000 | numbers.next() >> 40 }
        let crowded = (0..<120_000).map { i in i % 10 == 0 ? numbers.next() : 0x1234_0000_0000_0000 | numbers.next() >> 20 }
        let equal = [UInt64](repeating: 42, count: 70_000)
        let duplicates = (0..<100_000).map { _ in numbers.next() % 5_000 }
        let small = (0..<3_000).map { _ in numbers.next() }
        let medium = (0..<30_000).map { _ in numbers.next() }
        return [("spread", spread), ("low bits", low), ("one crowded bucket", crowded), ("all equal", equal),
                ("duplicates", duplicates), ("small", small), ("below the parallel size", medium)]
    }

    @Test(arguments: [1, 2, 8])
    func parallelRadixSortIsTheAscendingOrder(threads: Int) {
        for (name, keys) in Self.keySets() {
            var sorted = keys
            parallelRadixSort(&sorted, threads: threads)
            // Compared first: a failure names the key set rather than printing it.
            let ascending = sorted == keys.sorted()
            #expect(ascending, "\(name), \(threads) threads")
        }
    }

    @Test func radixSortIsTheAscendingOrder() {
        for (name, keys) in Self.keySets() {
            var sorted = keys
            radixSort(&sorted)
            let ascending = sorted == keys.sorted()
            #expect(ascending, "\(name)")
        }
    }

    @Test func radixSortedUInt32IsTheAscendingOrder() {
        var numbers = SeededRandom(state: 3)
        let values = (0..<100_000).map { _ in UInt32(truncatingIfNeeded: numbers.next()) }
        let ascending = radixSorted(values) == values.sorted()
        #expect(ascending)
        #expect(radixSorted([5, 1, 3]) == [1, 3, 5])
    }

    /// Counts around the fill's chunk (256 KiB of elements), where the work is split.
    @Test(arguments: [1, 2, 8])
    func tablesFilledByEveryWorkerHoldEveryElement(threads: Int) {
        for count in [0, 1, 65_535, 65_536, 131_072, 131_073, 1_000_003] {
            let filled = [Int32](repeating: -7, count: count, threads: threads)
            #expect(filled.count == count && filled.allSatisfy { $0 == -7 }, "\(count) elements, \(threads) threads")
            let made = [UInt64](count: count, threads: threads) { UInt64($0) &* 3 }
            #expect(made.count == count && made.indices.allSatisfy { made[$0] == UInt64($0) &* 3 }, "\(count) elements, \(threads) threads")
        }
        // Elements that hold references: each made once, in its place.
        let names = [String](count: 70_000, threads: threads) { "export_\($0)_with_a_long_name" }
        #expect(names.count == 70_000 && names[0] == "export_0_with_a_long_name" && names[69_999] == "export_69999_with_a_long_name")
    }

    /// Appending to a table: in place when the table is the larger part, made anew and filled by
    /// every worker when the added elements are; either way the old elements stay first.
    @Test(arguments: [1, 2, 8])
    func appendedCopiesFollowTheElementsThere(threads: Int) {
        for (old, added) in [(0, 0), (0, 5), (3, 2), (40_000, 2_500_000), (2_500_000, 40_000), (70_000, 70_001)] {
            var table = (0..<old).map { Int32($0) }
            table.reserveCapacity(old + added + 10)
            let capacity = table.capacity
            table.append(repeating: -1, count: added, threads: threads)
            let kept = table.count == old + added && (0..<old).allSatisfy { table[$0] == Int32($0) }
                && table[old...].allSatisfy { $0 == -1 }
            #expect(kept, "\(old) + \(added), \(threads) threads")
            #expect(table.capacity >= capacity, "the reserved capacity stays")
        }
    }

    /// The exports' name sort: a total order (ties broken by position) gives one result, at any
    /// thread count and however many parts the elements are split into.
    @Test(arguments: [1, 2, 3, 8])
    func parallelSortIsTheSequentialSort(threads: Int) {
        var numbers = SeededRandom(state: 9)
        for count in [0, 1, 8_191, 16_384, 70_001] {
            let values = (0..<count).map { (key: numbers.next() % 1_000, place: $0) }
            var sorted = values
            parallelSort(&sorted, threads: threads) { $0.key != $1.key ? $0.key < $1.key : $0.place < $1.place }
            let expected = values.sorted { $0.key != $1.key ? $0.key < $1.key : $0.place < $1.place }
            let same = sorted.map(\.place) == expected.map(\.place)
            #expect(same, "\(count) elements, \(threads) threads")
        }
    }
}
