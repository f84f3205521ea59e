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

/// Names → symbol numbers: open addressing with linear probing over the name bytes.
/// The table owns the names; symbol number i is `names[i]`.
struct NameTable {
    /// Each slot: symbol number + 1 in the low 32 bits (0 = empty), the hash's high half above,
    /// so a probe touches one word and compares names only when the hashes agree.
    private var slots: [UInt64]
    private var mask: Int
    private(set) var names: [Name] = []

    init(capacity: Int = 1024) {
        var size = 1024
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
        names.reserveCapacity(capacity)
    }

    var count: Int { names.count }

    /// Makes room for about `capacity` names without rehashing on the way.
    mutating func reserve(_ capacity: Int) {
        while slots.count < capacity * 2 { grow() }
    }

    /// Finds `name`, inserting it with the next number when absent.
    mutating func findOrInsert(_ name: Name) -> (index: Int32, inserted: Bool) {
        findOrInsert(name, hash: name.hashValue64)
    }

    /// As above, with the name's `hashValue64` already computed.
    mutating func findOrInsert(_ name: Name, hash h: UInt64) -> (index: Int32, inserted: Bool) {
        if slots.isEmpty { rebuild() }
        if names.count * 2 >= slots.count { grow() }
        let tag = h & 0xFFFF_FFFF_0000_0000
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[i]
            if slot == 0 {
                let index = Int32(names.count)
                names.append(name)
                slots[i] = tag | UInt64(index + 1)
                return (index, true)
            }
            if slot & 0xFFFF_FFFF_0000_0000 == tag {
                let index = Int(slot & 0xFFFF_FFFF) - 1
                if names[index].equals(name) { return (Int32(index), false) }
            }
            i = (i + 1) & mask
        }
    }

    /// Frees the hash index once lookups by name are over (the names stay). Later lookups scan,
    /// which is fine for the handful a link makes after resolution; an insertion rebuilds it.
    mutating func dropIndex() {
        slots = []
        mask = 0
    }

    func find(_ name: Name) -> Int32? {
        if slots.isEmpty {
            return names.firstIndex { $0.equals(name) }.map { Int32($0) }
        }
        let h = name.hashValue64
        let tag = h & 0xFFFF_FFFF_0000_0000
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[i]
            if slot == 0 { return nil }
            if slot & 0xFFFF_FFFF_0000_0000 == tag {
                let index = Int(slot & 0xFFFF_FFFF) - 1
                if names[index].equals(name) { return Int32(index) }
            }
            i = (i + 1) & mask
        }
    }

    private mutating func rebuild() {
        var size = 1024
        while size < names.count * 2 + 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        mask = size - 1
        for (index, name) in names.enumerated() {
            let h = name.hashValue64
            var j = Int(truncatingIfNeeded: h) & mask
            while slots[j] != 0 { j = (j + 1) & mask }
            slots[j] = h & 0xFFFF_FFFF_0000_0000 | UInt64(index + 1)
        }
    }

    private mutating func grow() {
        let newSize = slots.count * 2
        var newSlots = [UInt64](repeating: 0, count: newSize)
        let newMask = newSize - 1
        for slot in slots where slot != 0 {
            let h = names[Int(slot & 0xFFFF_FFFF) - 1].hashValue64
            var j = Int(truncatingIfNeeded: h) & newMask
            while newSlots[j] != 0 { j = (j + 1) & newMask }
            newSlots[j] = slot
        }
        slots = newSlots
        mask = newMask
    }
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
