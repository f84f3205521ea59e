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
}
