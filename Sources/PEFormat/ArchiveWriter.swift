#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Writing MSVC-style "!<arch>" libraries (pe-format.md, "Archive (Library) File Format") laid
// out the way lld-link /lib and llvm-lib write them, so their output can be compared byte for byte:
// first linker member (big-endian), second linker member (little-endian, names sorted), a "//"
// longnames member only when some name does not fit the 16-byte header field, then the members.
// Every timestamp, owner and group is 0, so the output depends only on the inputs.

/// The members of an archive about to be written, kept in a few flat buffers: the import library
/// of a DLL with 100,000 exports is that many members, and one allocation per member (or per
/// symbol name) would cost more than writing the archive.
///
/// A member is made by appending its bytes to `data` and its public symbols with `addSymbol`,
/// then closing it with `endMember(name:)`; `append(name:data:symbols:)` does all three.
public struct ArchiveMembers: Sendable {
    /// Every member's bytes, back to back.
    public var data = ByteWriter()
    /// Where each member's bytes end in `data`.
    private(set) var dataEnds: [Int] = []
    /// The distinct member names, and each member's place among them (import libraries name
    /// every member after the DLL).
    private(set) var names: [String] = []
    private(set) var nameOfMember: [Int32] = []
    private var placeOfName: [String: Int32] = [:]
    /// Every symbol name NUL-terminated, in member order; symbol `s` ends (NUL excluded) at
    /// `symbolEnds[s]` and belongs to member `memberOfSymbol[s]`.
    private(set) var symbolBytes: [UInt8] = []
    private(set) var symbolEnds: [Int] = []
    private(set) var memberOfSymbol: [Int32] = []

    public init() {}

    public var count: Int { dataEnds.count }

    /// Reserves room for about `members` members of `bytesEach` bytes and `symbolsEach` symbols.
    public mutating func reserve(members: Int, bytesEach: Int, symbolsEach: Int) {
        data.bytes.reserveCapacity(members * bytesEach)
        dataEnds.reserveCapacity(members)
        nameOfMember.reserveCapacity(members)
        symbolEnds.reserveCapacity(members * symbolsEach)
        memberOfSymbol.reserveCapacity(members * symbolsEach)
        symbolBytes.reserveCapacity(members * symbolsEach * 24)
    }

    /// A public symbol of the member being made: `prefix` then `name`.
    public mutating func addSymbol(_ name: String, prefix: String = "") {
        symbolBytes.append(contentsOf: prefix.utf8)
        symbolBytes.append(contentsOf: name.utf8)
        symbolEnds.append(symbolBytes.count)
        symbolBytes.append(0)
        memberOfSymbol.append(Int32(dataEnds.count))
    }

    /// Closes the member being made: the bytes appended to `data` since the last member, and
    /// the symbols added since.
    public mutating func endMember(name: String) {
        let place: Int32
        if let last = nameOfMember.last, names[Int(last)] == name {
            place = last
        } else if let known = placeOfName[name] {
            place = known
        } else {
            place = Int32(names.count)
            placeOfName[name] = place
            names.append(name)
        }
        nameOfMember.append(place)
        dataEnds.append(data.count)
    }

    public mutating func append(name: String, data bytes: some Collection<UInt8>, symbols: [String]) {
        data.append(bytes)
        for symbol in symbols { addSymbol(symbol) }
        endMember(name: name)
    }

    func name(ofMember index: Int) -> String { names[Int(nameOfMember[index])] }
    func dataRange(ofMember index: Int) -> Range<Int> { (index == 0 ? 0 : dataEnds[index - 1])..<dataEnds[index] }
    func symbolRange(_ symbol: Int) -> Range<Int> { (symbol == 0 ? 0 : symbolEnds[symbol - 1] + 1)..<symbolEnds[symbol] }
}

public enum ArchiveWriter {
    /// A member's name goes to the longnames member when "name/" does not fit in 16 bytes
    /// (or the name itself contains '/').
    static func needsLongName(_ name: String) -> Bool {
        name.utf8.count >= 16 || name.utf8.contains(UInt8(ascii: "/"))
    }

    /// Writes an archive of `members` in the given order. `symbols` are the public symbols each
    /// member defines; see `write(_:alwaysWriteLongNames:thin:)`.
    public static func write(members: [(name: String, data: [UInt8], symbols: [String])],
                             alwaysWriteLongNames: Bool = false, thin: Bool = false) throws -> [UInt8] {
        var list = ArchiveMembers()
        for member in members { list.append(name: member.name, data: member.data, symbols: member.symbols) }
        return try write(list, alwaysWriteLongNames: alwaysWriteLongNames, thin: thin)
    }

    /// Writes an archive of `members` in their order. A symbol defined by more than one member
    /// is listed once, for the first.
    /// Throws when the archive cannot be represented: offsets beyond 4 GiB, or a NUL inside a name.
    /// The second linker member indexes members with 16 bits; an archive of more members (the
    /// import library of a DLL with 65535 exports has 65538) is written with the first linker
    /// member alone, which addresses members by 32-bit offset, as LLVM's archive writer does.
    /// `alwaysWriteLongNames`: write the "//" member even when empty, as MSVC's lib.exe does for
    /// static libraries (the format makes it optional; lld-link writes it only when needed).
    /// `thin`: a thin archive (llvm-lib /llvmlibthin, llvm-ar --thin) in GNU's layout: the symbol
    /// table and every member's name (a path, from the archive's folder), not the members' bytes.
    public static func write(_ members: ArchiveMembers, alwaysWriteLongNames: Bool = false, thin: Bool = false) throws -> [UInt8] {
        let memberCount = members.count
        let hasSecondLinkerMember = !thin && memberCount <= Int(UInt16.max)
        for name in members.names where name.isEmpty || name.utf8.contains(0) {
            throw FormatError(file: "<archive>", "archive member name \"\(name)\" is empty or contains a NUL byte")
        }
        let symbolCount = members.symbolEnds.count
        try members.symbolBytes.withUnsafeBufferPointer { bytes in
            for symbol in 0..<symbolCount {
                let range = members.symbolRange(symbol)
                if range.isEmpty || memchr(bytes.baseAddress! + range.lowerBound, 0, range.count) != nil {
                    let member = Int(members.memberOfSymbol[symbol])
                    throw FormatError(file: members.name(ofMember: member),
                                      "symbol name \"\(String(decoding: bytes[range], as: UTF8.self))\" is empty or contains a NUL byte")
                }
            }
        }

        // The symbol directory: each name once, attributed to the first member defining it, in
        // member order; the second linker member lists the same names sorted. Sorting finds the
        // names defined twice: they end up side by side, the first definition first.
        let sorted = sortedSymbols(members)
        var listed = [Bool](repeating: true, count: symbolCount)
        var duplicates = 0
        members.symbolBytes.withUnsafeBufferPointer { bytes in
            for i in sorted.indices.dropFirst() {
                let a = members.symbolRange(Int(sorted[i - 1])), b = members.symbolRange(Int(sorted[i]))
                if a.count == b.count && memcmp(bytes.baseAddress! + a.lowerBound, bytes.baseAddress! + b.lowerBound, a.count) == 0 {
                    listed[Int(sorted[i])] = false
                    duplicates += 1
                }
            }
        }
        let directoryCount = symbolCount - duplicates
        let namesSize = members.symbolBytes.count - (0..<symbolCount).reduce(0) { $0 + (listed[$1] ? 0 : members.symbolRange($1).count + 1) }
        let firstLinkerSize = alignUp(4 + 4 * directoryCount + namesSize, 2)
        let secondLinkerSize = hasSecondLinkerMember ? alignUp(4 + 4 * memberCount + 4 + 2 * directoryCount + namesSize, 2) : 0

        // Longnames: each long name once, NUL-terminated, the whole padded with '\n' to an even
        // size (as LLVM's writer shares them); a thin archive's GNU-style "name/\n" for every member.
        var longNames = ByteWriter()
        var nameFieldOfName: [[UInt8]] = []
        var nameFieldOfMember: [[UInt8]] = []
        if thin {
            for member in 0..<memberCount {
                nameFieldOfMember.append(headerField("/\(longNames.count)", width: 16))
                longNames.append(members.name(ofMember: member).utf8)
                longNames.append("/\n")
            }
        } else {
            // Names enter the table in the order their first member comes.
            var field = [[UInt8]?](repeating: nil, count: members.names.count)
            for member in 0..<memberCount {
                let place = Int(members.nameOfMember[member])
                guard field[place] == nil else { continue }
                let name = members.names[place]
                if needsLongName(name) {
                    field[place] = headerField("/\(longNames.count)", width: 16)
                    longNames.cString(name)
                } else {
                    field[place] = headerField(name + "/", width: 16)
                }
            }
            nameFieldOfName = field.map { $0 ?? [] }
        }
        let hasLongNames = longNames.count > 0 || alwaysWriteLongNames
        longNames.align(2, fill: 0x0A)

        // Member header offsets, now that every size before them is known.
        var offset = Archive.signature.count + (hasSecondLinkerMember ? 2 : 1) * Archive.headerSize + firstLinkerSize + secondLinkerSize
        if hasLongNames { offset += Archive.headerSize + longNames.count }
        var memberOffsets: [Int] = []
        memberOffsets.reserveCapacity(memberCount)
        for member in 0..<memberCount {
            memberOffsets.append(offset)
            offset += alignUp(Archive.headerSize + (thin ? 0 : members.dataRange(ofMember: member).count), 2)
        }
        let totalSize = offset
        if totalSize > Int(UInt32.max) {
            throw FormatError(file: "<archive>", "the archive would be \(totalSize) bytes; linker members cannot address members beyond 4 GiB")
        }

        var out = ByteWriter(capacity: totalSize)
        out.append(thin ? Archive.thinSignature : Archive.signature)

        // First linker member: symbol count and member offsets big-endian, names in member order.
        writeHeader(&out, name: headerField("/", width: 16), mode: "0", size: firstLinkerSize)
        out.u32BE(UInt32(directoryCount))
        for symbol in 0..<symbolCount where listed[symbol] {
            out.u32BE(UInt32(memberOffsets[Int(members.memberOfSymbol[symbol])]))
        }
        if duplicates == 0 {
            out.append(members.symbolBytes)
        } else {
            for symbol in 0..<symbolCount where listed[symbol] {
                let range = members.symbolRange(symbol)
                out.append(members.symbolBytes[range.lowerBound...range.upperBound])
            }
        }
        out.align(2)

        if hasSecondLinkerMember {
            // Little-endian, names sorted bytewise, 1-based member indices.
            writeHeader(&out, name: headerField("/", width: 16), mode: "0", size: secondLinkerSize)
            out.u32(UInt32(memberCount))
            for memberOffset in memberOffsets { out.u32(UInt32(memberOffset)) }
            out.u32(UInt32(directoryCount))
            for symbol in sorted where listed[Int(symbol)] { out.u16(UInt16(members.memberOfSymbol[Int(symbol)] + 1)) }
            for symbol in sorted where listed[Int(symbol)] {
                let range = members.symbolRange(Int(symbol))
                out.append(members.symbolBytes[range.lowerBound...range.upperBound])
            }
            out.align(2)
        }

        if hasLongNames {
            // llvm-lib leaves date, owner, group and mode blank on the longnames member.
            out.field("//", width: 48)
            out.field(String(longNames.count), width: 10)
            out.append("`\n")
            out.append(longNames.bytes)
        }

        members.data.bytes.withUnsafeBufferPointer { data in
            for member in 0..<memberCount {
                let range = members.dataRange(ofMember: member)
                writeHeader(&out, name: thin ? nameFieldOfMember[member] : nameFieldOfName[Int(members.nameOfMember[member])],
                            mode: "644", size: range.count)
                if thin { continue }
                out.append(UnsafeBufferPointer(rebasing: data[range]))
                out.align(2, fill: 0x0A)
            }
        }
        return out.bytes
    }

    /// The symbols' numbers ordered by name, bytewise; equal names by number.
    private static func sortedSymbols(_ members: ArchiveMembers) -> [Int32] {
        members.symbolBytes.withUnsafeBufferPointer { bytes in
            let base = bytes.baseAddress!
            // Each name's first eight bytes, big-endian, sorted beside its number: most pairs are
            // ordered without reading the names, and the sort moves plain values.
            var keys = (0..<members.symbolEnds.count).map { symbol -> (prefix: UInt64, symbol: Int32) in
                let range = members.symbolRange(symbol)
                return (orderPrefix(UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count)), Int32(symbol))
            }
            keys.sort { x, y in
                if x.prefix != y.prefix { return x.prefix < y.prefix }
                let a = members.symbolRange(Int(x.symbol)), b = members.symbolRange(Int(y.symbol))
                let c = memcmp(base + a.lowerBound, base + b.lowerBound, min(a.count, b.count))
                if c != 0 { return c < 0 }
                if a.count != b.count { return a.count < b.count }
                return x.symbol < y.symbol
            }
            return keys.map(\.symbol)
        }
    }

    /// `text` left-aligned in a field of `width` spaces.
    private static func headerField(_ text: String, width: Int) -> [UInt8] {
        var field = ByteWriter()
        field.field(text, width: width)
        return field.bytes
    }

    private static func writeHeader(_ out: inout ByteWriter, name: [UInt8], mode: String, size: Int) {
        out.append(name)
        out.field("0", width: 12)  // date
        out.field("0", width: 6)   // owner
        out.field("0", width: 6)   // group
        out.field(mode, width: 8)
        out.field(String(size), width: 10)
        out.append("`\n")
    }

    /// The symbols a linker member lists for a short import object.
    public static func symbolsForImportObject(_ object: ImportObject) -> [String] {
        object.definedSymbols
    }
}
