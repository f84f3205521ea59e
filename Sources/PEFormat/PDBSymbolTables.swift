// The hash tables of a PDB 7.0 file: the "/names" string table, and the publics and globals
// streams (GSI hash tables over the symbol record stream) with the symbol records themselves.
//
// The layouts follow the format as Microsoft's reference implementation (microsoft-pdb, gsi.cpp
// and nmt.h) writes it and as LLVM documents it (llvm.org/docs/PDB/GlobalStream.html,
// PublicStream.html, StringTable.html); the ordering decisions are lld-link's, so that for the
// same input the publics, globals and symbol record streams are byte-identical to lld-link's.
// Two known differences, both where lld-link's choice is no part of the format:
// - /names: strings that collide in its hash table may take their slots in another order
//   (see `PDBStringTable`);
// - a public whose name is exactly 8 bytes: lld-link up to LLVM 21 hashes such a COFF short
//   name past its end (up to the next NUL in the COFF symbol), so it can land in a bucket no
//   reader looks in (fixed in LLVM by llvm/llvm-project#190133). It is hashed right here.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The hash functions of the PDB format.
public enum PDBHash {
    /// Microsoft's `LHashPbCb` (`hashStringV1` in LLVM): the bytes taken as little-endian 32-bit
    /// words XORed together, then a trailing 2-byte word and a trailing byte XORed in; then
    /// `|= 0x20202020`, `^= h >> 11`, `^= h >> 16`.
    public static func stringV1(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var result: UInt32 = 0
        let count = bytes.count
        guard let base = bytes.baseAddress, count > 0 else { return finish(0) }
        let words = count / 4
        for i in 0..<words {
            result ^= UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))
        }
        var at = words * 4
        var remaining = count - at
        if remaining >= 2 {
            result ^= UInt32(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt16.self)))
            at += 2
            remaining -= 2
        }
        if remaining == 1 {
            result ^= UInt32(base.load(fromByteOffset: at, as: UInt8.self))
        }
        return finish(result)
    }

    public static func stringV1(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { stringV1($0) }
    }

    @inline(__always) static func finish(_ value: UInt32) -> UInt32 {
        var h = value | 0x2020_2020     // "to lower": the reference implementation's case folding
        h ^= h >> 11
        return h ^ (h >> 16)
    }
}

// MARK: - /names

/// The "/names" stream: signature 0xEFFEEFFE, hash version 1, the string buffer (offset 0 holds
/// the empty string), a closed hash table of the strings' offsets (linear probing with
/// `PDBHash.stringV1`) whose size grows as the reference implementation's does, and the number
/// of strings.
///
/// lld-link and link.exe enter the empty string once more, as the first real entry (offset 1),
/// in the table of the /names stream: `PDBStringTable(withEmptyString: true)` starts so. The
/// table of names of the DBI stream's edit-and-continue substream starts without it (`init()`).
///
/// Strings enter the hash table in the order they were added. Where two strings' probe chains
/// meet, which takes a slot first depends on that order: lld-link enters them in the iteration
/// order of an LLVM StringMap (an xxh3 hash of the string), so the bucket array can differ from
/// lld-link's there, while every string is found by a reader's probe in both.
public struct PDBStringTable: Sendable {
    /// The buffer: a NUL at offset 0, then each string and its NUL, in order of insertion.
    private var buffer: [UInt8] = [0]
    private var offsets: [[UInt8]: UInt32] = [:]
    /// Each string's offset and hash, in order of insertion.
    private var entries: [(offset: UInt32, hash: UInt32)] = []

    public init() {}

    /// With `withEmptyString`, the empty string is entered first (offset 1), as lld-link and
    /// link.exe start the /names stream.
    public init(withEmptyString: Bool) {
        if withEmptyString { _ = offset(of: []) }
    }

    /// The number of strings entered (the empty string at offset 0 is not one of them).
    public var count: Int { entries.count }

    /// Offset of `string` in the buffer, adding it when new (dedup by content). As in LLVM's
    /// builder, the empty string is entered like any other string: its offset is that of its own
    /// entry (the NUL at offset 0 is only the buffer's lead byte).
    public mutating func offset(of string: [UInt8]) -> UInt32 {
        if let existing = offsets[string] { return existing }
        let offset = UInt32(truncatingIfNeeded: buffer.count)
        buffer.append(contentsOf: string)
        buffer.append(0)
        offsets[string] = offset
        entries.append((offset, PDBHash.stringV1(string)))
        return offset
    }

    /// The string at `offset`, when one was entered there.
    public func string(at offset: UInt32) -> [UInt8]? {
        let start = Int(offset)
        guard start < buffer.count, let end = buffer[start...].firstIndex(of: 0) else { return nil }
        return Array(buffer[start..<end])
    }

    /// The bucket count for `strings` strings, as LLVM's PDBStringTableBuilder chooses it: of the
    /// (strings, buckets) pairs at which the reference implementation's table grows (from 1
    /// bucket, growing to ×3/2 + 1 once more than 3/4 full), the buckets of the first pair whose
    /// string count is at least `strings`.
    public static func bucketCount(forStrings strings: Int) -> Int {
        if strings <= 0 { return 1 }
        var count = 0
        var buckets = 1
        while true {
            // The next growth: once the count passes 3/4 of the buckets.
            count = max(count + 1, buckets * 3 / 4 + 1)
            buckets = buckets * 3 / 2 + 1
            if count >= strings { return buckets }
        }
    }

    public func bytes() -> [UInt8] {
        let bucketCount = PDBStringTable.bucketCount(forStrings: entries.count)
        var buckets = [UInt32](repeating: 0, count: bucketCount)
        for entry in entries {
            // Linear probing from the string's hash; the table is never full.
            var slot = Int(entry.hash) % bucketCount
            for _ in 0..<bucketCount {
                if buckets[slot] == 0 { buckets[slot] = entry.offset; break }
                slot = slot + 1 == bucketCount ? 0 : slot + 1
            }
        }
        var w = ByteWriter(capacity: 12 + buffer.count + 8 + 4 * bucketCount)
        w.u32(0xEFFE_EFFE)
        w.u32(1)                                        // hash version: LHashPbCb
        w.u32(UInt32(truncatingIfNeeded: buffer.count))
        w.append(buffer)
        w.u32(UInt32(truncatingIfNeeded: bucketCount))
        for bucket in buckets { w.u32(bucket) }
        w.u32(UInt32(truncatingIfNeeded: entries.count))
        return w.bytes
    }
}

// MARK: - Publics and globals

public struct PDBPublicSymbol: Sendable, Equatable {
    public var name: [UInt8]
    /// 1-based section number in the image.
    public var section: UInt16
    /// Offset in that section.
    public var offset: UInt32
    /// A function: the S_PUB32 flags are then 2 (`PubSymFlags` function), else 0. lld-link sets
    /// the function flag for a symbol whose COFF type is a function (complex type 0x20) and for
    /// import thunks, and never the code bit (1).
    public var isFunction: Bool
    public init(name: [UInt8], section: UInt16, offset: UInt32, isFunction: Bool) {
        self.name = name
        self.section = section
        self.offset = offset
        self.isFunction = isFunction
    }
}

public enum PDBSymbolTables {
    static let publicKind: UInt16 = 0x110E          // S_PUB32
    static let hashBucketCount = 4096               // IPHR_HASH
    /// Bitmap words: one bit per bucket and one for the reference implementation's free list.
    static let bitmapWordCount = (hashBucketCount + 32) / 32
    /// A CodeView record's length field is 16 bits; a public's name is cut to fit (as LLVM does).
    static let maxRecordLength = 0xFF00
    /// 2-byte length, 2-byte kind, flags, offset, segment.
    static let publicFixedSize = 14

    /// The symbol record stream (the S_PUB32 records of `publics`, sorted by name, then the
    /// `globals` as given: complete CodeView records, each 4-byte aligned), the publics stream
    /// (header, GSI hash table, address map) and the globals stream (GSI hash table).
    /// The globals are not deduplicated here: lld-link keeps each S_UDT and S_CONSTANT record
    /// once, which the caller does. Deterministic: the same input gives the same bytes.
    public static func build(publics: [PDBPublicSymbol], globals: [[UInt8]]) -> (symbolRecords: [UInt8], publicsStream: [UInt8], globalsStream: [UInt8]) {
        let publicPart = self.publics(publics)
        let globalRecords = Array(globals.joined())
        let globalsStream = self.globals(globalRecords, after: publicPart.records.count)
        return (publicPart.records + globalRecords, publicPart.stream, globalsStream)
    }

    /// The publics' part of `build`: their S_PUB32 records (the symbol record stream's start)
    /// and the publics stream. Needs nothing of the globals, so a linker makes it while the
    /// modules are made.
    public static func publics(_ publics: [PDBPublicSymbol]) -> (records: [UInt8], stream: [UInt8]) {
        // Some 10^5 publics in a big link: sort plain values (a key of the name's first 8 bytes
        // and an index) and compare whole names only on equal keys, with no per-name object.
        var nameBytes: [UInt8] = []
        nameBytes.reserveCapacity(publics.reduce(0) { $0 + $1.name.count })
        var nameStarts: [Int] = []
        nameStarts.reserveCapacity(publics.count + 1)
        for pub in publics {
            nameStarts.append(nameBytes.count)
            nameBytes.append(contentsOf: pub.name)
        }
        nameStarts.append(nameBytes.count)
        var byName: [SortKey] = []
        byName.reserveCapacity(publics.count)
        nameBytes.withUnsafeBytes { names in
            for p in publics.indices {
                byName.append(SortKey(key: orderPrefix(UnsafeRawBufferPointer(rebasing: names[nameStarts[p]..<nameStarts[p + 1]])), index: Int32(p)))
            }
            // Publics by name (bytewise), as lld-link orders them; equal names by address.
            byName.sort { l, r in
                if l.key != r.key { return l.key < r.key }
                let a = Int(l.index), b = Int(r.index)
                let c = compareBytes(names, nameStarts[a]..<nameStarts[a + 1], names, nameStarts[b]..<nameStarts[b + 1])
                if c != 0 { return c < 0 }
                let x = publics[a], y = publics[b]
                if x.section != y.section { return x.section < y.section }
                return x.offset < y.offset
            }
        }

        var records = ByteWriter(capacity: 16 * publics.count + nameBytes.count)
        var publicEntries: [HashEntry] = []
        publicEntries.reserveCapacity(publics.count)
        for sorted in byName {
            let pub = publics[Int(sorted.index)]
            let offset = records.count
            let nameLength = min(pub.name.count, maxRecordLength - publicFixedSize - 1)
            let size = alignUp(publicFixedSize + nameLength + 1, 4)
            records.u16(UInt16(truncatingIfNeeded: size - 2))
            records.u16(publicKind)
            records.u32(pub.isFunction ? 2 : 0)
            records.u32(pub.offset)
            records.u16(pub.section)
            records.append(pub.name[0..<nameLength])
            records.zeros(size - publicFixedSize - nameLength)
            publicEntries.append(HashEntry(name: offset + publicFixedSize..<offset + publicFixedSize + nameLength, recordOffset: offset))
        }

        let publicHash = hashTable(publicEntries, records: records.bytes)
        var stream = ByteWriter(capacity: 28 + publicHash.count + 4 * publics.count)
        stream.u32(UInt32(truncatingIfNeeded: publicHash.count))            // SymHash
        stream.u32(UInt32(truncatingIfNeeded: 4 * publics.count))          // AddrMap
        stream.u32(0)                                                        // NumThunks
        stream.u32(0)                                                        // SizeOfThunk
        stream.u16(0)                                                        // ISectThunkTable
        stream.u16(0)                                                        // padding
        stream.u32(0)                                                        // OffThunkTable
        stream.u32(0)                                                        // NumSections
        stream.append(publicHash)
        // The address map: each public's record offset, by section, offset, then name. Records
        // are in name order, so among equal addresses the position in `byName` is the name order.
        var byAddress: [SortKey] = []
        byAddress.reserveCapacity(byName.count)
        for (position, sorted) in byName.enumerated() {
            let pub = publics[Int(sorted.index)]
            byAddress.append(SortKey(key: UInt64(pub.section) << 32 | UInt64(pub.offset), index: Int32(position)))
        }
        byAddress.sort { $0.key != $1.key ? $0.key < $1.key : $0.index < $1.index }
        for entry in byAddress { stream.u32(UInt32(truncatingIfNeeded: publicEntries[Int(entry.index)].recordOffset)) }
        return (records.bytes, stream.bytes)
    }

    /// The globals stream for `globalRecords` (records one after another, each one's length
    /// field leading to the next) placed in the symbol record stream after `after` bytes of
    /// public records.
    public static func globals(_ globalRecords: [UInt8], after: Int) -> [UInt8] {
        var entries: [HashEntry] = []
        globalRecords.withUnsafeBytes { all in
            var at = 0
            while at + 4 <= all.count {
                let size = 2 + Int(all.loadUnaligned(fromByteOffset: at, as: UInt16.self).littleEndian)
                let end = min(at + size, all.count)
                let name = nameRange(inRecord: UnsafeRawBufferPointer(rebasing: all[at..<end]))
                entries.append(HashEntry(name: at + name.lowerBound..<at + name.upperBound, recordOffset: after + at))
                at = end
            }
        }
        return hashTable(entries, records: globalRecords)
    }

    /// A sort key of plain values: what to order by first, and the item it stands for.
    struct SortKey {
        var key: UInt64
        var index: Int32
    }

    /// Bytewise order of two names; a name before every longer name it begins.
    @inline(__always) static func compareBytes(_ a: UnsafeRawBufferPointer, _ l: Range<Int>, _ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Int {
        let common = min(l.count, r.count)
        if common > 0 {
            let c = memcmp(a.baseAddress! + l.lowerBound, b.baseAddress! + r.lowerBound, common)
            if c != 0 { return Int(c) }
        }
        return l.count == r.count ? 0 : (l.count < r.count ? -1 : 1)
    }

    struct HashEntry {
        /// Where the name is in the records `hashTable` is given.
        var name: Range<Int>
        /// Offset of the record in the symbol record stream.
        var recordOffset: Int
    }

    /// A GSI hash table: header, hash records ({record offset + 1, reference count 1}) bucket
    /// by bucket, the bitmap of non-empty buckets and, for each, the index of its first hash
    /// record × 12 (the size of a hash record in the reference implementation's memory on a
    /// 32-bit machine). `entries` are in record order.
    static func hashTable(_ entries: [HashEntry], records: [UInt8]) -> [UInt8] {
        // Records bucket by bucket; within a bucket as the reference implementation's lookup
        // expects (caseInsensitiveComparePchPchCchCch, see `BucketSortKey`), then by record offset. A counting sort
        // by bucket first: buckets hold a few dozen names each.
        var bucketSizes = [Int](repeating: 0, count: hashBucketCount + 1)
        var order = [Int32](repeating: 0, count: entries.count)
        records.withUnsafeBytes { bytes in
            var buckets = [Int32](repeating: 0, count: entries.count)
            // Each name case-folded once, when it is ASCII (the in-bucket order compares folded
            // names when both are ASCII, raw bytes otherwise).
            var folded = [UInt8](repeating: 0, count: entries.reduce(0) { $0 + $1.name.count })
            var keys: [BucketSortKey] = []
            keys.reserveCapacity(entries.count)
            var foldedAt = 0
            for (e, entry) in entries.enumerated() {
                let name = UnsafeRawBufferPointer(rebasing: bytes[entry.name])
                let bucket = Int(PDBHash.stringV1(name) % UInt32(hashBucketCount))
                buckets[e] = Int32(bucket)
                bucketSizes[bucket + 1] += 1
                var ascii = true
                for (i, c) in name.enumerated() {
                    if c >= 0x80 { ascii = false }
                    folded[foldedAt + i] = lowercased(c)
                }
                keys.append(BucketSortKey(folded: foldedAt, raw: entry.name.lowerBound, length: entry.name.count, ascii: ascii, recordOffset: entry.recordOffset))
                foldedAt += name.count
            }
            for b in 0..<hashBucketCount { bucketSizes[b + 1] += bucketSizes[b] }
            var next = bucketSizes
            for e in entries.indices {
                let bucket = Int(buckets[e])
                order[next[bucket]] = Int32(e)
                next[bucket] += 1
            }
            folded.withUnsafeBytes { folded in
                keys.withUnsafeBufferPointer { keys in
                    order.withUnsafeMutableBufferPointer { order in
                        for b in 0..<hashBucketCount where bucketSizes[b + 1] - bucketSizes[b] > 1 {
                            var slice = UnsafeMutableBufferPointer(rebasing: order[bucketSizes[b]..<bucketSizes[b + 1]])
                            slice.sort { a, b in
                                let l = keys[Int(a)], r = keys[Int(b)]
                                if l.length != r.length { return l.length < r.length }
                                let c = l.ascii && r.ascii
                                    ? memcmp(folded.baseAddress! + l.folded, folded.baseAddress! + r.folded, l.length)
                                    : memcmp(bytes.baseAddress! + l.raw, bytes.baseAddress! + r.raw, l.length)
                                if c != 0 { return c < 0 }
                                return l.recordOffset < r.recordOffset
                            }
                        }
                    }
                }
            }
        }
        var bitmap = [UInt32](repeating: 0, count: bitmapWordCount)
        var bucketStarts: [UInt32] = []
        for b in 0..<hashBucketCount where bucketSizes[b + 1] > bucketSizes[b] {
            bitmap[b / 32] |= 1 << UInt32(b % 32)
            bucketStarts.append(UInt32(truncatingIfNeeded: bucketSizes[b] &* 12))
        }
        var w = ByteWriter(capacity: 16 + 8 * entries.count + 4 * (bitmapWordCount + bucketStarts.count))
        w.u32(0xFFFF_FFFF)                                          // VerSignature
        w.u32(0xEFFE_0000 &+ 19990810)                              // VerHdr: GSIHashSCImpv70
        w.u32(UInt32(truncatingIfNeeded: 8 * entries.count))        // HrSize
        w.u32(UInt32(truncatingIfNeeded: 4 * (bitmapWordCount + bucketStarts.count)))
        for index in order {
            w.u32(UInt32(truncatingIfNeeded: entries[Int(index)].recordOffset &+ 1))
            w.u32(1)
        }
        for word in bitmap { w.u32(word) }
        for start in bucketStarts { w.u32(start) }
        return w.bytes
    }

    /// What a name's place in its bucket depends on. The reference implementation's order of
    /// names in a bucket: shorter names first; names of equal length case-insensitively when
    /// both are ASCII, else bytewise. The name is at `folded` in a buffer of case-folded names
    /// and at `raw` in the records.
    struct BucketSortKey {
        var folded: Int
        var raw: Int
        var length: Int
        var ascii: Bool
        var recordOffset: Int
    }

    @inline(__always) static func lowercased(_ c: UInt8) -> UInt8 {
        c >= 0x41 && c <= 0x5A ? c | 0x20 : c
    }

    /// The name of a symbol record (with its 2-byte length and 2-byte kind), as LLVM's
    /// `getSymbolName` finds it: at a kind-specific offset, up to its NUL (or the record's end);
    /// empty for kinds with no name and for records too short to hold one.
    public static func symbolName(_ record: [UInt8]) -> ArraySlice<UInt8> {
        record[record.withUnsafeBytes { nameRange(inRecord: $0) }]
    }

    /// Where `symbolName` finds the name in the record.
    static func nameRange(inRecord record: UnsafeRawBufferPointer) -> Range<Int> {
        guard record.count >= 4 else { return 0..<0 }
        let kind = UInt16(record[2]) | UInt16(record[3]) << 8
        let nameOffset: Int                             // from the end of the kind
        switch kind {
        case 0x1107:                                    // S_CONSTANT: type, numeric leaf, name
            guard let leaf = numericLeafSize(record, at: 8) else { return 0..<0 }
            nameOffset = 4 + leaf
        case 0x110F, 0x1110, 0x1146, 0x1147, 0x1155, 0x1156:
            nameOffset = 35                             // S_LPROC32, S_GPROC32, their _ID and _DPC forms
        case 0x1102:                                    // S_THUNK32
            nameOffset = 21
        case 0x1136:                                    // S_SECTION
            nameOffset = 16
        case 0x1137:                                    // S_COFFGROUP
            nameOffset = 14
        case 0x1125, 0x1127,                            // S_PROCREF, S_LPROCREF: sumName, ibSym, imod
             0x110C, 0x110D,                            // S_LDATA32, S_GDATA32: type, offset, segment
             0x1112, 0x1113,                            // S_LTHREAD32, S_GTHREAD32
             0x111C, 0x111D,                            // S_LMANDATA, S_GMANDATA
             0x110E, 0x1153, 0x1111:                    // S_PUB32, S_FILESTATIC, S_REGREL32
            nameOffset = 10
        case 0x1106, 0x113E:                            // S_REGISTER, S_LOCAL
            nameOffset = 6
        case 0x1103:                                    // S_BLOCK32
            nameOffset = 18
        case 0x1105:                                    // S_LABEL32
            nameOffset = 7
        case 0x1101, 0x1138, 0x1108:                    // S_OBJNAME, S_EXPORT, S_UDT
            nameOffset = 4
        case 0x110B:                                    // S_BPREL32
            nameOffset = 8
        case 0x1124:                                    // S_UNAMESPACE
            nameOffset = 0
        default:
            return 0..<0
        }
        let start = 4 + nameOffset
        guard start < record.count else { return 0..<0 }
        var end = start
        while end < record.count && record[end] != 0 { end += 1 }
        return start..<end
    }

    /// Size of the CodeView numeric leaf at `at`: a value below 0x8000 stands in its 2 bytes;
    /// LF_CHAR, LF_SHORT, LF_USHORT, LF_LONG, LF_ULONG, LF_QUADWORD, LF_UQUADWORD, LF_OCTWORD and
    /// LF_UOCTWORD follow their 2-byte tag. Nil for other leaves or past the record's end.
    static func numericLeafSize(_ record: UnsafeRawBufferPointer, at: Int) -> Int? {
        guard at >= 0, at + 2 <= record.count else { return nil }
        let tag = UInt16(record[at]) | UInt16(record[at + 1]) << 8
        let size: Int
        switch tag {
        case 0..<0x8000: size = 2
        case 0x8000: size = 3                           // LF_CHAR
        case 0x8001, 0x8002: size = 4                   // LF_SHORT, LF_USHORT
        case 0x8003, 0x8004: size = 6                   // LF_LONG, LF_ULONG
        case 0x8009, 0x800A: size = 10                  // LF_QUADWORD, LF_UQUADWORD
        case 0x8017, 0x8018: size = 18                  // LF_OCTWORD, LF_UOCTWORD
        default: return nil
        }
        return at + size <= record.count ? size : nil
    }
}
