import Foundation
import Testing
@testable import PELink

/// The resolver numbers the names of a run of inputs in one parallel batch, sharded by hash
/// (`SymbolNameTable.findOrInsert(batch:)`). The numbers must be the ones adding the names one
/// at a time gives, whatever the number of shards and threads: symbol numbers order commons,
/// local import slots and diagnostics.
@Suite("Symbol name table: batches number names as one at a time would")
struct SymbolNameTableTests {
    /// Names with repeats (as references and COMDAT copies repeat them), of assorted lengths, in
    /// one buffer that outlives the tables.
    static func sampleNames(count: Int, seed: UInt64) -> (storage: UnsafeMutableRawBufferPointer, names: [Name]) {
        var generator = seed
        func next() -> UInt64 {
            generator = generator &* 6364136223846793005 &+ 1442695040888963407
            return generator >> 11
        }
        var texts: [String] = []
        for i in 0..<count {
            // One in ten repeats an earlier name: more new names than a batch reserves room for, so
            // shards also grow while a batch is pending.
            if i > 10 && next() % 10 == 0 {
                texts.append(texts[Int(next() % UInt64(texts.count))])
            } else {
                texts.append("?name\(next() % 10_000_000)@@YAX" + String(repeating: "x", count: Int(next() % 40)) + "Z")
            }
        }
        let total = texts.reduce(0) { $0 + $1.utf8.count }
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(total, 1), alignment: 8)
        var offset = 0
        var names: [Name] = []
        for text in texts {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBytes { (storage.baseAddress! + offset).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
            names.append(Name(UnsafeRawBufferPointer(start: storage.baseAddress! + offset, count: bytes.count)))
            offset += bytes.count
        }
        return (storage, names)
    }

    @Test("batches of any split, shard count and thread count give the one-at-a-time numbers", arguments: [1, 2, 3, 8])
    func batchesMatchOneAtATime(shards: Int) throws {
        let (storage, names) = Self.sampleNames(count: 40_000, seed: UInt64(shards))
        defer { storage.deallocate() }
        var single = SymbolNameTable(shardCount: 1)
        let expected = names.map { single.findOrInsert($0, hash: $0.hashValue64).index }

        var batched = SymbolNameTable(shardCount: shards)
        var numbers = [Int32](repeating: -1, count: names.count)
        // Three runs: a single name, then sources of uneven sizes (one empty), then the rest.
        let runs = [0..<1, 1..<15_000, 15_000..<names.count]
        let items = names.enumerated().map { HashedName(name: $0.element, hash: $0.element.hashValue64, record: Int32($0.offset)) }
        for run in runs {
            let cuts = [run.lowerBound, min(run.lowerBound + 7, run.upperBound), min(run.lowerBound + 7, run.upperBound),
                        min(run.lowerBound + 5_000, run.upperBound), run.upperBound]
            let sources = zip(cuts, cuts.dropFirst()).map { ExternalNames(Array(items[$0.0..<$0.1])) }
            var results: [UnsafeMutableBufferPointer<Int32>] = []
            for source in sources { results.append(UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(source.count, 1))) }
            defer { for r in results { r.deallocate() } }
            let slices = zip(sources, results).map { UnsafeMutableBufferPointer(rebasing: $0.1[0..<$0.0.count]) }
            let before = batched.count
            let added = batched.findOrInsert(batch: sources.map { UnsafeBufferPointer($0.buffer) }, results: slices, threads: shards == 3 ? 1 : nil)
            #expect(batched.count == before + added)
            var k = run.lowerBound
            for slice in slices { for n in slice { numbers[k] = n; k += 1 } }
        }
        #expect(numbers == expected)
        #expect(batched.names.count == single.names.count)
        #expect(zip(batched.names, single.names).allSatisfy { $0.equals($1) })
        // Lookups after the batches, and one at a time again.
        for i in stride(from: 0, to: names.count, by: 997) { #expect(batched.find(names[i]) == expected[i]) }
        let extra = Name("not-in-the-sample")
        #expect(batched.find(extra) == nil)
        #expect(batched.findOrInsert(extra, hash: extra.hashValue64) == (Int32(single.count), true))
        // Dropping the index keeps the names; finding them then scans.
        batched.dropIndex()
        #expect(batched.find(names[0]) == expected[0])
    }
}
