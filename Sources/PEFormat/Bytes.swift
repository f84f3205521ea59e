#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A malformed or unreadable input: which file, where in it, and what is wrong.
public struct FormatError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    /// Byte offset in `file` (or line number when `line` is set); nil when the whole file is at fault.
    public var offset: Int?
    public var line: Int?
    public var column: Int?
    /// The archive member at fault when `file` is a library; `offset` stays relative to the library.
    public var member: String?
    public var message: String

    public init(file: String, offset: Int? = nil, _ message: String) {
        self.file = file
        self.offset = offset
        self.message = message
    }

    /// The same error, said of `member` of the library `file`.
    public func inMember(_ member: String) -> FormatError {
        var copy = self
        copy.member = member
        return copy
    }

    public init(file: String, line: Int, column: Int, _ message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        // A message that names its file itself ("could not open 'x'").
        if file.isEmpty { return message }
        if let line {
            return "\(file):\(line):\(column ?? 1): \(message)"
        }
        if let member {
            let place = offset.map { ": at offset 0x\(String($0, radix: 16)) of the library" } ?? ""
            return "\(file)(\(member))\(place): \(message)"
        }
        if let offset {
            return "\(file): at offset 0x\(String(offset, radix: 16)): \(message)"
        }
        return "\(file): \(message)"
    }
}

/// A whole input file kept in memory: mapped when it comes from disk, owned when built in memory.
/// Section bytes and names are read straight out of it; nothing is copied until the output is written.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    public let bytes: UnsafeRawBufferPointer
    private let isMapped: Bool

    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            throw FormatError(file: "", "could not open '\(path)': \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) != 0 {
            throw FormatError(file: path, "cannot stat: \(String(cString: strerror(errno)))")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw FormatError(file: path, "is a directory, not a file")
        }
        let size = Int(info.st_size)
        if size == 0 {
            self.bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            self.isMapped = false
            return
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED else {
            throw FormatError(file: path, "cannot map: \(String(cString: strerror(errno)))")
        }
        self.bytes = UnsafeRawBufferPointer(start: address, count: size)
        self.isMapped = true
    }

    /// An in-memory file (tests, generated members). The bytes are copied once into owned storage.
    public init(path: String, contents: [UInt8]) {
        self.path = path
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(contents.count, 1), alignment: 16)
        contents.withUnsafeBytes { source in
            if source.count > 0 { storage.copyMemory(from: source) }
        }
        self.bytes = UnsafeRawBufferPointer(start: storage.baseAddress, count: contents.count)
        self.isMapped = false
    }

    deinit {
        if isMapped, let base = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        } else if let base = bytes.baseAddress {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }

    public var view: ByteView { ByteView(file: self, offset: 0, count: bytes.count) }

    /// Takes the whole pages inside `range` (file offsets) out of the process's resident memory,
    /// for bytes read once and not needed again (an archive's symbol directory once symbols are
    /// resolved). The mapping is private and never written, so a later read of these bytes still
    /// sees the file's contents: the pages are mapped again from the page cache.
    public func releaseResidentPages(_ range: Range<Int>) {
        guard isMapped, let base = bytes.baseAddress else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (range.lowerBound + page - 1) / page * page
        let end = min(range.upperBound, bytes.count) / page * page
        guard start < end else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }
}

/// A bounds-checked window on a `MappedFile`. Offsets given to its readers are relative to the
/// window; errors report the absolute offset in the file.
public struct ByteView: @unchecked Sendable {
    public let file: MappedFile
    /// Absolute offset of the window in the file.
    public let offset: Int
    public let count: Int
    /// The window's first byte. Stored, so that reads never touch the file object (no reference counting).
    public let base: UnsafeRawPointer?

    public init(file: MappedFile, offset: Int, count: Int) {
        self.file = file
        self.offset = offset
        self.count = count
        self.base = file.bytes.baseAddress.map { $0 + offset }
    }
    public var path: String { file.path }

    /// True when the window starts with `prefix`.
    public func hasPrefix(_ prefix: [UInt8]) -> Bool {
        guard count >= prefix.count else { return false }
        for (i, byte) in prefix.enumerated() where u8(i) != byte { return false }
        return true
    }

    public func error(at relativeOffset: Int?, _ message: String) -> FormatError {
        FormatError(file: file.path, offset: relativeOffset.map { $0 + offset }, message)
    }

    /// Throws unless `[start, start+length)` lies inside the window; `what` names the table being read.
    @inline(__always)
    public func check(_ start: Int, _ length: Int, _ what: @autoclosure () -> String) throws {
        if start < 0 || length < 0 || start > count || length > count - start {
            throw error(at: start, "\(what()) (\(length) bytes at 0x\(String(start + offset, radix: 16))) extends past the end of the data (\(count + offset) bytes)")
        }
    }

    public func slice(_ start: Int, _ length: Int, _ what: @autoclosure () -> String) throws -> ByteView {
        try check(start, length, what())
        return ByteView(file: file, offset: offset + start, count: length)
    }

    // Unchecked little-endian loads: callers check the enclosing range first.
    @inline(__always) public func u8(_ at: Int) -> UInt8 { base!.load(fromByteOffset: at, as: UInt8.self) }
    @inline(__always) public func u16(_ at: Int) -> UInt16 { UInt16(littleEndian: base!.loadUnaligned(fromByteOffset: at, as: UInt16.self)) }
    @inline(__always) public func u32(_ at: Int) -> UInt32 { UInt32(littleEndian: base!.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
    @inline(__always) public func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: base!.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
    @inline(__always) public func i16(_ at: Int) -> Int16 { Int16(bitPattern: u16(at)) }
    @inline(__always) public func i32(_ at: Int) -> Int32 { Int32(bitPattern: u32(at)) }

    // Checked loads, for the odd field read outside a checked table.
    public func readU16(_ at: Int, _ what: @autoclosure () -> String) throws -> UInt16 { try check(at, 2, what()); return u16(at) }
    public func readU32(_ at: Int, _ what: @autoclosure () -> String) throws -> UInt32 { try check(at, 4, what()); return u32(at) }

    public var rawBuffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    public func bytes(_ start: Int, _ length: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base.map { $0 + start }, count: length)
    }

    /// Length of the NUL-terminated string at `start`, or nil if no NUL comes before the window's end.
    public func cStringLength(at start: Int) -> Int? {
        guard start >= 0, start < count, let base else { return nil }
        let p = base + start
        let limit = count - start
        if let nul = memchr(p, 0, limit) {
            return UnsafeRawPointer(nul) - p
        }
        return nil
    }

    public func string(_ start: Int, _ length: Int) -> String {
        String(decoding: bytes(start, length), as: UTF8.self)
    }

    /// The NUL-terminated string at `start` (checked).
    public func cString(at start: Int, _ what: @autoclosure () -> String) throws -> String {
        guard let length = cStringLength(at: start) else {
            throw error(at: start, "\(what()) is not NUL-terminated inside the data")
        }
        return string(start, length)
    }

    public func toArray() -> [UInt8] { Array(rawBuffer) }
}

/// A growable little-endian byte buffer for the small files pelink writes whole (objects, archives).
public struct ByteWriter: Sendable {
    public var bytes: [UInt8] = []
    public init() {}
    public init(capacity: Int) { bytes.reserveCapacity(capacity) }

    public var count: Int { bytes.count }
    public mutating func u8(_ v: UInt8) { bytes.append(v) }
    public mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    public mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    public mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    public mutating func u32BE(_ v: UInt32) { withUnsafeBytes(of: v.bigEndian) { bytes.append(contentsOf: $0) } }
    public mutating func append<S: Sequence>(_ s: S) where S.Element == UInt8 { bytes.append(contentsOf: s) }
    public mutating func append(_ s: String) { bytes.append(contentsOf: s.utf8) }
    public mutating func cString(_ s: String) { bytes.append(contentsOf: s.utf8); bytes.append(0) }
    public mutating func zeros(_ n: Int) { if n > 0 { bytes.append(contentsOf: repeatElement(0, count: n)) } }
    public mutating func align(_ alignment: Int, fill: UInt8 = 0) {
        let pad = alignUp(bytes.count, alignment) - bytes.count
        if pad > 0 { bytes.append(contentsOf: repeatElement(fill, count: pad)) }
    }
    /// Space of fixed size, right-padded (archive headers).
    public mutating func field(_ s: String, width: Int, pad: UInt8 = 0x20) {
        let start = bytes.count
        bytes.append(contentsOf: s.utf8.prefix(width))
        let written = bytes.count - start
        if written < width { bytes.append(contentsOf: repeatElement(pad, count: width - written)) }
    }
    public mutating func patchU16(at: Int, _ v: UInt16) { bytes[at] = UInt8(v & 0xff); bytes[at + 1] = UInt8(v >> 8) }
    public mutating func patchU32(at: Int, _ v: UInt32) { for i in 0..<4 { bytes[at + i] = UInt8((v >> (8 * UInt32(i))) & 0xff) } }
}

/// `value` in lowercase hexadecimal, zero-padded to `width` digits (no "0x").
public func hexDigits<T: BinaryInteger>(_ value: T, width: Int) -> String {
    let digits = String(value, radix: 16)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

@inline(__always) public func alignUp(_ value: Int, _ alignment: Int) -> Int {
    alignment <= 1 ? value : (value + alignment - 1) & ~(alignment - 1)
}

extension UnsafeMutableRawPointer {
    @inline(__always) public func storeLE(_ v: UInt16, at offset: Int) { storeBytes(of: v.littleEndian, toByteOffset: offset, as: UInt16.self) }
    @inline(__always) public func storeLE(_ v: UInt32, at offset: Int) { storeBytes(of: v.littleEndian, toByteOffset: offset, as: UInt32.self) }
    @inline(__always) public func storeLE(_ v: UInt64, at offset: Int) { storeBytes(of: v.littleEndian, toByteOffset: offset, as: UInt64.self) }
    @inline(__always) public func loadLE32(at offset: Int) -> UInt32 { UInt32(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    @inline(__always) public func loadLE64(at offset: Int) -> UInt64 { UInt64(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt64.self)) }
    @inline(__always) public func loadLE16(at offset: Int) -> UInt16 { UInt16(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt16.self)) }
}

/// The first 8 bytes as a big-endian number (zeros past the end): byte strings in the order of
/// their prefixes are in bytewise order, so a sort compares whole strings only where these tie.
@inline(__always) public func orderPrefix(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var prefix: UInt64 = 0
    for i in 0..<8 { prefix = prefix << 8 | UInt64(i < bytes.count ? bytes[i] : 0) }
    return prefix
}
