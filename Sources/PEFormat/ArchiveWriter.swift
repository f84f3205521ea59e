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

public enum ArchiveWriter {
    /// A member's name goes to the longnames member when "name/" does not fit in 16 bytes
    /// (or the name itself contains '/').
    static func needsLongName(_ name: String) -> Bool {
        name.utf8.count >= 16 || name.utf8.contains(UInt8(ascii: "/"))
    }

    /// Writes an archive of `members` in the given order. `symbols` are the public symbols each
    /// member defines; a symbol defined by more than one member is listed once, for the first.
    /// Throws when the archive cannot be represented: offsets beyond 4 GiB, or a NUL inside a name.
    /// The second linker member indexes members with 16 bits; an archive of more members (the
    /// import library of a DLL with 65535 exports has 65538) is written with the first linker
    /// member alone, which addresses members by 32-bit offset, as LLVM's archive writer does.
    /// `alwaysWriteLongNames`: write the "//" member even when empty, as MSVC's lib.exe does for
    /// static libraries (the format makes it optional; lld-link writes it only when needed).
    /// `thin`: a thin archive (llvm-lib /llvmlibthin, llvm-ar --thin) in GNU's layout: the symbol
    /// table and every member's name (a path, from the archive's folder), not the members' bytes.
    public static func write(members: [(name: String, data: [UInt8], symbols: [String])],
                             alwaysWriteLongNames: Bool = false, thin: Bool = false) throws -> [UInt8] {
        let hasSecondLinkerMember = !thin && members.count <= Int(UInt16.max)
        for member in members {
            if member.name.isEmpty || member.name.utf8.contains(0) {
                throw FormatError(file: "<archive>", "archive member name \"\(member.name)\" is empty or contains a NUL byte")
            }
            if let bad = member.symbols.first(where: { $0.isEmpty || $0.utf8.contains(0) }) {
                throw FormatError(file: member.name, "symbol name \"\(bad)\" is empty or contains a NUL byte")
            }
        }

        // The symbol directory: each name once, attributed to the first member defining it, in member order.
        // Names live in one buffer (NUL-terminated, in directory order); entries point into it.
        var nameBytes: [UInt8] = []
        var directory: [(nameOffset: Int, nameLength: Int, memberIndex: Int)] = []
        var seen = Set<String>()
        for (index, member) in members.enumerated() {
            for symbol in member.symbols where seen.insert(symbol).inserted {
                let start = nameBytes.count
                nameBytes.append(contentsOf: symbol.utf8)
                directory.append((start, nameBytes.count - start, index))
                nameBytes.append(0)
            }
        }
        let namesSize = nameBytes.count
        let firstLinkerSize = alignUp(4 + 4 * directory.count + namesSize, 2)
        let secondLinkerSize = hasSecondLinkerMember ? alignUp(4 + 4 * members.count + 4 + 2 * directory.count + namesSize, 2) : 0

        // Longnames: each long name NUL-terminated, the whole padded with '\n' to an even size.
        var longNames = ByteWriter()
        var headerNames: [String] = []
        for member in members {
            if thin {
                // GNU's long names: "name/\n" each.
                headerNames.append("/\(longNames.count)")
                longNames.append(Array(member.name.utf8) + Array("/\n".utf8))
            } else if needsLongName(member.name) {
                headerNames.append("/\(longNames.count)")
                longNames.cString(member.name)
            } else {
                headerNames.append(member.name + "/")
            }
        }
        let hasLongNames = longNames.count > 0 || alwaysWriteLongNames
        longNames.align(2, fill: 0x0A)

        // Member header offsets, now that every size before them is known.
        var offset = Archive.signature.count + (hasSecondLinkerMember ? 2 : 1) * Archive.headerSize + firstLinkerSize + secondLinkerSize
        if hasLongNames { offset += Archive.headerSize + longNames.count }
        var memberOffsets: [Int] = []
        for member in members {
            memberOffsets.append(offset)
            offset += alignUp(Archive.headerSize + (thin ? 0 : member.data.count), 2)
        }
        let totalSize = offset
        if totalSize > Int(UInt32.max) {
            throw FormatError(file: "<archive>", "the archive would be \(totalSize) bytes; linker members cannot address members beyond 4 GiB")
        }

        var out = ByteWriter(capacity: totalSize)
        out.append(thin ? Archive.thinSignature : Archive.signature)

        // First linker member: symbol count and member offsets big-endian, names in member order.
        writeHeader(&out, name: "/", mode: "0", size: firstLinkerSize)
        out.u32BE(UInt32(directory.count))
        for entry in directory { out.u32BE(UInt32(memberOffsets[entry.memberIndex])) }
        out.append(nameBytes)
        out.align(2)

        if hasSecondLinkerMember {
            writeSecondLinkerMember(&out, size: secondLinkerSize, memberOffsets: memberOffsets, directory: directory, nameBytes: nameBytes)
        }

        if hasLongNames {
            // llvm-lib leaves date, owner, group and mode blank on the longnames member.
            out.field("//", width: 48)
            out.field(String(longNames.count), width: 10)
            out.append("`\n")
            out.append(longNames.bytes)
        }

        for (index, member) in members.enumerated() {
            writeHeader(&out, name: headerNames[index], mode: "644", size: member.data.count)
            if thin { continue }
            out.append(member.data)
            out.align(2, fill: 0x0A)
        }
        return out.bytes
    }

    /// The second linker member: little-endian, names sorted bytewise, 1-based member indices.
    private static func writeSecondLinkerMember(_ out: inout ByteWriter, size secondLinkerSize: Int, memberOffsets: [Int],
                                                directory: [(nameOffset: Int, nameLength: Int, memberIndex: Int)], nameBytes: [UInt8]) {
        let sorted = nameBytes.withUnsafeBufferPointer { names in
            directory.sorted { x, y in
                let c = memcmp(names.baseAddress! + x.nameOffset, names.baseAddress! + y.nameOffset, min(x.nameLength, y.nameLength))
                if c != 0 { return c < 0 }
                if x.nameLength != y.nameLength { return x.nameLength < y.nameLength }
                return x.nameOffset < y.nameOffset
            }
        }
        writeHeader(&out, name: "/", mode: "0", size: secondLinkerSize)
        out.u32(UInt32(memberOffsets.count))
        for memberOffset in memberOffsets { out.u32(UInt32(memberOffset)) }
        out.u32(UInt32(sorted.count))
        for entry in sorted { out.u16(UInt16(entry.memberIndex + 1)) }
        for entry in sorted { out.append(nameBytes[entry.nameOffset...(entry.nameOffset + entry.nameLength)]) }
        out.align(2)
    }

    private static func writeHeader(_ out: inout ByteWriter, name: String, mode: String, size: Int) {
        out.field(name, width: 16)
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
