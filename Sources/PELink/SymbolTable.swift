import PEFormat
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A symbol name as bytes: a slice of a mapped input, or of the linker's own name arena.
/// Hashing and comparison work on the bytes, so no String is made per symbol.
struct Name: @unchecked Sendable {
    let base: UnsafeRawPointer?
    let count: Int

    init(_ buffer: UnsafeRawBufferPointer) {
        base = buffer.baseAddress
        count = buffer.count
    }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
    var string: String { String(decoding: bytes, as: UTF8.self) }

    @inline(__always) func equals(_ other: Name) -> Bool {
        count == other.count && (count == 0 || memcmp(base!, other.base!, count) == 0)
    }

    /// A name for a string literal (its bytes live for the whole program).
    init(_ literal: StaticString) {
        base = UnsafeRawPointer(literal.utf8Start)
        count = literal.utf8CodeUnitCount
    }

    @inline(__always) func equals(_ literal: StaticString) -> Bool {
        count == literal.utf8CodeUnitCount && (count == 0 || memcmp(base!, literal.utf8Start, count) == 0)
    }

    @inline(__always) func hasPrefix(_ prefix: StaticString) -> Bool {
        let n = prefix.utf8CodeUnitCount
        return count >= n && memcmp(base!, prefix.utf8Start, n) == 0
    }

    /// A multiply-xorshift hash taking eight bytes at a time: symbol names are long (C++ and
    /// generated names), so a byte-at-a-time hash costs more than the probe itself.
    @inline(__always) var hashValue64: UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(count)
        guard let base else { return h }
        var i = 0
        while i + 8 <= count {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
            i += 8
        }
        if i < count {
            var word: UInt64 = 0
            withUnsafeMutableBytes(of: &word) { $0.baseAddress!.copyMemory(from: base + i, byteCount: count - i) }
            h = (h ^ UInt64(littleEndian: word)) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 31
        }
        h ^= h >> 32
        h &*= 0xD6E8_FEB8_6659_FD93
        h ^= h >> 32
        return h
    }

    static func < (a: Name, b: Name) -> Bool {
        let n = min(a.count, b.count)
        if n > 0 {
            let c = memcmp(a.base!, b.base!, n)
            if c != 0 { return c < 0 }
        }
        return a.count < b.count
    }
}

/// Byte-wise (ordinal) order of two strings' UTF-8, the order of export name tables.
/// Compares contiguous storage with memcmp, falling back to element-wise for bridged strings.
@inline(__always) func utf8Precedes(_ a: String, _ b: String) -> Bool {
    let fast = a.utf8.withContiguousStorageIfAvailable { x in
        b.utf8.withContiguousStorageIfAvailable { y -> Bool in
            let n = min(x.count, y.count)
            if n > 0 {
                let c = memcmp(x.baseAddress!, y.baseAddress!, n)
                if c != 0 { return c < 0 }
            }
            return x.count < y.count
        }
    }
    if let result = fast ?? nil { return result }
    return a.utf8.lexicographicallyPrecedes(b.utf8)
}


/// Owns the bytes of names the linker makes itself (`__imp_` names, names from .def files and
/// options). Names stay valid for the whole link.
final class NameArena: @unchecked Sendable {
    private var blocks: [UnsafeMutableRawPointer] = []
    private var current: UnsafeMutableRawPointer?
    private var remaining = 0
    private let lock = NSLockish()

    func intern(_ s: String) -> Name {
        var s = s
        return s.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
    }

    func intern(_ bytes: UnsafeRawBufferPointer) -> Name {
        lock.lock(); defer { lock.unlock() }
        let n = bytes.count
        if n > remaining {
            let size = max(65536, n)
            let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
            blocks.append(block)
            current = block
            remaining = size
        }
        let p = current!
        if n > 0 { p.copyMemory(from: bytes.baseAddress!, byteCount: n) }
        current = p + n
        remaining -= n
        return Name(UnsafeRawBufferPointer(start: p, count: n))
    }

    func concatenate(_ prefix: String, _ name: Name) -> Name {
        var bytes = Array(prefix.utf8)
        bytes.append(contentsOf: name.bytes)
        return bytes.withUnsafeBytes { intern($0) }
    }

    deinit { for b in blocks { b.deallocate() } }
}

/// A tiny mutex over pthread, usable from Sendable classes.
final class NSLockish: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func lock() { pthread_mutex_lock(&mutex) }
    func unlock() { pthread_mutex_unlock(&mutex) }
}

/// What a global symbol currently is. Symbols are numbered; all their fields live in `Symbol`.
enum SymbolKind: UInt8 {
    /// Referenced, not (yet) defined.
    case undefined
    /// Defined in an object's section: `file` is the object, `section` the 0-based section index.
    case defined
    /// Absolute value (section number -1).
    case absolute
    /// A common symbol: `value` is the size; placed in .bss by the linker.
    case common
    /// Offered by an archive member not loaded yet: `file` is the archive, `member` the member.
    case lazy
    /// `__imp_X` from an import library: the IAT slot. `file` indexes `imports`.
    case importAddress
    /// `X` from an import library (code): a jump thunk through the IAT slot. `file` indexes `imports`.
    case importThunk
    /// Made by the linker (`__ImageBase`): `value` is an RVA.
    case linkerDefined
    /// MinGW auto-import: data of a DLL referred to without `__declspec(dllimport)`. References
    /// resolve to the IAT slot of `__imp_<name>` (symbol number in `member`) and are listed as
    /// runtime pseudo-relocations, which the C runtime fixes at load.
    case autoImported
    /// `__imp_X` where X is defined in the link itself (dllimport code linked statically):
    /// a pointer slot the linker makes holding X's address. `member` is X's symbol number,
    /// `value` the slot's index among the local import slots (link.exe LNK4217/LNK4286).
    case localImport
}

struct Symbol {
    var kind: SymbolKind = .undefined
    var file: Int32 = -1
    var section: Int32 = -1
    var member: Int32 = -1
    var value: UInt64 = 0
    /// For an undefined weak external or /alternatename: the symbol to use when nothing defines this one.
    var weakAlias: Int32 = -1
    /// A weak external whose search says archives must not be searched for it.
    var weakNoLibrary = false
    /// Selection of the COMDAT section that defines it, when it is a COMDAT symbol.
    var comdatSelection: UInt8 = 0
    var isFunction = false
    var isReferenced = false
}

/// A name and its `hashValue64`, as an input offers it to the symbol table: an object's external
/// symbol (`record` is its symbol table index) or an archive's symbol table entry (`record`
/// is the entry's index).
struct HashedName: @unchecked Sendable {
    var name: Name
    var hash: UInt64
    var record: Int32
}

/// Names → numbers (the symbol table's, and layout's partial section names), split by hash into
/// shards, so that the names of a batch of inputs are looked up by one worker per shard at once
/// (`findOrInsert(batch:)`).
/// Symbol numbers are given in order of first occurrence, one name at a time or in a batch,
/// so they never depend on the number of shards or threads.
struct SymbolNameTable {
    /// Symbol number i is `names[i]`.
    private(set) var names: [Name] = []
    private var shards: [Shard]
    private let shardShift: UInt64

    /// Open addressing with linear probing. Each slot: the symbol number + 1 in the low 32 bits
    /// (0 = empty), the hash's high half above. During a batch a new name's slot holds its place
    /// in `pending` with `pendingFlag` set, until the batch has numbered it.
    struct Shard {
        var slots: [UInt64] = []
        var mask = 0
        var used = 0
        var pending: [Name] = []
        /// Each pending name's position in its batch: shards number their names by it.
        var pendingPosition: [Int] = []
    }
    static let pendingFlag: UInt64 = 1 << 31

    init(shardCount: Int) {
        var count = 1
        while count < min(max(shardCount, 1), 8) { count <<= 1 }
        shards = Array(repeating: Shard(), count: count)
        // The top bits choose the shard: the low bits choose a slot within it.
        shardShift = UInt64(64 - count.trailingZeroBitCount)
        for s in shards.indices { Self.resize(&shards[s], to: 1024) }
    }

    var count: Int { names.count }

    /// A name's first slot: from the hash's high half, which the slot keeps, so that growing a
    /// shard rehashes from the slots alone.
    @inline(__always) private static func home(_ hash: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: hash >> 32) & mask
    }

    @inline(__always) private func shard(_ hash: UInt64) -> Int {
        shards.count == 1 ? 0 : Int(truncatingIfNeeded: hash >> shardShift)
    }

    /// Makes room for about `capacity` names in all without rehashing on the way.
    /// Shards are resized in parallel when `threads` allows: a large link's table is tens of
    /// megabytes of fresh pages.
    mutating func reserve(_ capacity: Int, threads: Int? = 1) {
        let perShard = capacity / shards.count + 1
        shards.withUnsafeMutableBufferPointer { shards in
            nonisolated(unsafe) let shards = shards
            parallelFor(shards.count, threads: perShard >= 1 << 16 ? threads : 1) { s in
                guard shards[s].slots.count < perShard * 2 else { return }
                var size = max(shards[s].slots.count, 1024)
                while size < perShard * 2 { size <<= 1 }
                Self.resize(&shards[s], to: size)
            }
        }
        names.reserveCapacity(capacity)
    }

    /// Finds `name`, numbering it next when absent.
    mutating func findOrInsert(_ name: Name, hash: UInt64) -> (index: Int32, inserted: Bool) {
        let s = shard(hash)
        if shards[s].slots.isEmpty { rebuildIndex() }
        if (shards[s].used + 1) * 2 > shards[s].slots.count { Self.resize(&shards[s], to: shards[s].slots.count * 2) }
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var i = Self.home(hash, shards[s].mask)
        while true {
            let slot = shards[s].slots[i]
            if slot == 0 {
                let index = Int32(names.count)
                names.append(name)
                shards[s].slots[i] = tag | UInt64(index + 1)
                shards[s].used += 1
                return (index, true)
            }
            if slot & 0xFFFF_FFFF_0000_0000 == tag {
                let index = Int(slot & 0xFFFF_FFFF) - 1
                if names[index].equals(name) { return (Int32(index), false) }
            }
            i = (i + 1) & shards[s].mask
        }
    }

    func find(_ name: Name) -> Int32? {
        let hash = name.hashValue64
        let s = shard(hash)
        if shards[s].slots.isEmpty {
            return names.firstIndex { $0.equals(name) }.map { Int32($0) }
        }
        let tag = hash & 0xFFFF_FFFF_0000_0000
        var i = Self.home(hash, shards[s].mask)
        while true {
            let slot = shards[s].slots[i]
            if slot == 0 { return nil }
            if slot & 0xFFFF_FFFF_0000_0000 == tag {
                let index = Int(slot & 0xFFFF_FFFF) - 1
                if names[index].equals(name) { return Int32(index) }
            }
            i = (i + 1) & shards[s].mask
        }
    }

    /// Finds or numbers every name of `sources`, taken as one sequence in order, and writes each
    /// one's symbol number to the same place of `results`. Each shard's worker reads the whole
    /// sequence and handles its own names; new names are then numbered in sequence order.
    /// Returns how many names were new.
    mutating func findOrInsert(batch sources: [UnsafeBufferPointer<HashedName>], results: [UnsafeMutableBufferPointer<Int32>], threads: Int?) -> Int {
        if shards.contains(where: { $0.slots.isEmpty }) { rebuildIndex() }
        let total = sources.reduce(0) { $0 + $1.count }
        // Room for half the names of the batch being new (names repeat across objects: references,
        // COMDAT copies), shared evenly (the hash spreads them); a shard grows past that if it must.
        let perShard = total / 2 / shards.count + 64
        let shardCount = shards.count
        let shift = shardShift
        let existing = names
        shards.withUnsafeMutableBufferPointer { shardBuffer in
            nonisolated(unsafe) let shardBuffer = shardBuffer
            parallelFor(shardCount, threads: threads) { s in
                var shard = shardBuffer[s]
                shardBuffer[s] = Shard()
                defer { shardBuffer[s] = shard }
                if (shard.used + perShard) * 2 > shard.slots.count {
                    var size = shard.slots.count
                    while (shard.used + perShard) * 2 > size { size <<= 1 }
                    Self.resize(&shard, to: size)
                }
                var position = 0
                for (k, source) in sources.enumerated() {
                    let out = results[k]
                    for i in source.indices {
                        let item = source[i]
                        guard shardCount == 1 || Int(truncatingIfNeeded: item.hash >> shift) == s else { continue }
                        out[i] = Self.lookUp(item, position: position + i, in: &shard, shardIndex: s, existing: existing)
                    }
                    position += source.count
                }
            }
        }
        // Number the new names in sequence order: merge the shards' pending lists by position.
        var cursors = [Int](repeating: 0, count: shardCount)
        var numbers = shards.map { [Int32](repeating: 0, count: $0.pending.count) }
        let newCount = shards.reduce(0) { $0 + $1.pending.count }
        names.reserveCapacity(names.count + newCount)
        for _ in 0..<newCount {
            var best = -1, bestPosition = Int.max
            for s in 0..<shardCount where cursors[s] < shards[s].pendingPosition.count && shards[s].pendingPosition[cursors[s]] < bestPosition {
                best = s
                bestPosition = shards[s].pendingPosition[cursors[s]]
            }
            numbers[best][cursors[best]] = Int32(names.count)
            names.append(shards[best].pending[cursors[best]])
            cursors[best] += 1
        }
        // Pending slots and results take the numbers.
        shards.withUnsafeMutableBufferPointer { shardBuffer in
            nonisolated(unsafe) let shardBuffer = shardBuffer
            parallelFor(shardCount, threads: threads) { s in
                let number = numbers[s]
                shardBuffer[s].slots.withUnsafeMutableBufferPointer { slots in
                    for i in slots.indices where slots[i] & Self.pendingFlag != 0 {
                        let p = Int(slots[i] & 0xFFFF_FFFF) - 1 - Int(Self.pendingFlag)
                        slots[i] = slots[i] & 0xFFFF_FFFF_0000_0000 | UInt64(number[p] + 1)
                    }
                }
                shardBuffer[s].pending = []
                shardBuffer[s].pendingPosition = []
            }
        }
        let allNumbers = numbers
        parallelFor(sources.count, threads: threads) { k in
            let out = results[k]
            for i in out.indices where out[i] < 0 {
                let shard = Int(out[i] & 0xF), p = Int(UInt32(bitPattern: out[i]) & 0x7FFF_FFFF) >> 4
                out[i] = allNumbers[shard][p]
            }
        }
        return newCount
    }

    /// One name of a batch in its shard: its number when known, else (new in this batch) its
    /// place in the shard's pending list and the shard, as a negative number.
    @inline(__always) private static func lookUp(_ item: HashedName, position: Int, in shard: inout Shard, shardIndex: Int, existing: [Name]) -> Int32 {
        if (shard.used + 1) * 2 > shard.slots.count { resize(&shard, to: shard.slots.count * 2) }
        let tag = item.hash & 0xFFFF_FFFF_0000_0000
        var i = Self.home(item.hash, shard.mask)
        while true {
            let slot = shard.slots[i]
            if slot == 0 {
                let p = shard.pending.count
                shard.pending.append(item.name)
                shard.pendingPosition.append(position)
                shard.slots[i] = tag | (pendingFlag + UInt64(p) + 1)
                shard.used += 1
                return Self.pendingResult(p, shard: shardIndex)
            }
            if slot & 0xFFFF_FFFF_0000_0000 == tag {
                let id = Int(slot & 0xFFFF_FFFF) - 1
                if id >= Int(pendingFlag) {
                    let p = id - Int(pendingFlag)
                    if shard.pending[p].equals(item.name) { return Self.pendingResult(p, shard: shardIndex) }
                } else if existing[id].equals(item.name) {
                    return Int32(id)
                }
            }
            i = (i + 1) & shard.mask
        }
    }

    /// A name numbered only when the batch ends: the sign bit, its place in the shard's pending
    /// list, and the shard in the low 4 bits (there are at most 8).
    @inline(__always) private static func pendingResult(_ p: Int, shard: Int) -> Int32 {
        Int32(bitPattern: 0x8000_0000 | UInt32(p) << 4 | UInt32(shard))
    }

    /// Frees the hash index once lookups by name are over (the names stay). Later lookups scan,
    /// which is fine for the handful a link makes after resolution; an insertion rebuilds it.
    mutating func dropIndex() {
        for s in shards.indices { shards[s] = Shard() }
    }

    private mutating func rebuildIndex() {
        var size = 1024
        while size < (names.count / shards.count + 1) * 4 { size <<= 1 }
        for s in shards.indices {
            shards[s] = Shard()
            Self.resize(&shards[s], to: size)
        }
        for (index, name) in names.enumerated() {
            let h = name.hashValue64
            let s = shard(h)
            var j = Self.home(h, shards[s].mask)
            while shards[s].slots[j] != 0 { j = (j + 1) & shards[s].mask }
            shards[s].slots[j] = h & 0xFFFF_FFFF_0000_0000 | UInt64(index + 1)
            shards[s].used += 1
        }
    }

    /// Rehashes a shard into `size` slots; names pending in a batch move with the others.
    private static func resize(_ shard: inout Shard, to size: Int) {
        var newSlots = [UInt64](repeating: 0, count: size)
        let newMask = size - 1
        for slot in shard.slots where slot != 0 {
            // The slot holds the hash's high half, which also chose its place: no name is read.
            var j = home(slot, newMask)
            while newSlots[j] != 0 { j = (j + 1) & newMask }
            newSlots[j] = slot
        }
        shard.slots = newSlots
        shard.mask = newMask
    }
}
