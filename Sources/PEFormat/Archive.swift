// Reading "!<arch>" libraries (pe-format.md, "Archive (Library) File Format"): the MSVC layout
// (two "/" linker members and a NUL-separated "//" longnames member) and the GNU/System V layout
// ("/" symbol table, "//" names ending in "/\n"), which llvm-ar and binutils ar write.

/// One regular (object or short import) member of an archive.
public struct ArchiveMember: Sendable {
    /// The member's name with the terminating "/" removed and long names resolved.
    public var name: String
    /// Offset of the member's 60-byte header in the archive file; linker members refer to members by it.
    public var headerOffset: Int
    /// The member's contents, without the header or the padding byte (empty in a thin archive).
    public var data: ByteView
    /// A thin archive's member: the size of the file `name` gives, where its contents are.
    public var externalSize: Int?

    public init(name: String, headerOffset: Int, data: ByteView) {
        self.name = name
        self.headerOffset = headerOffset
        self.data = data
    }
}

/// One entry of an archive's symbol directory: where its name is (relative to the archive's
/// start) and which member defines it.
public struct ArchiveSymbol: Sendable {
    public var nameOffset: Int
    public var nameLength: Int
    public var memberIndex: Int
}

public struct Archive: Sendable {
    public static let signature: [UInt8] = Array("!<arch>\n".utf8)
    public static let thinSignature: [UInt8] = Array("!<thin>\n".utf8)
    /// Size of an archive member header.
    public static let headerSize = 60

    /// Which dialect the symbol directory was written in.
    public enum Layout: Sendable, Equatable {
        /// No symbol directory at all.
        case noSymbolTable
        /// A single big-endian "/" member (GNU/System V, or an MSVC archive missing its second member).
        case gnu
        /// The two "/" linker members of pe-format.md.
        case msvc
    }

    public var view: ByteView
    /// Regular members in file order; linker members and the longnames member are excluded.
    /// Empty when the archive was read with `readsMembers: false`: `member(_:)` then reads each.
    public var members: [ArchiveMember]
    /// The header offset of each regular member, in file order (also when `members` is empty).
    public let memberHeaderOffsets: [Int]
    /// The longnames member ("//"), where long member names are, and its header's offset: only
    /// members after it may use it, as when the whole archive is read.
    private let longNames: ByteView?
    private let longNamesHeaderOffset: Int
    public var memberCount: Int { memberHeaderOffsets.count }
    /// The symbol directory, from the second linker member when there is one, else from the first,
    /// in the directory's own order. Names are located in the file, not copied: a linker reads
    /// hundreds of thousands of them.
    public var symbolTable: [ArchiveSymbol]

    /// The symbol directory with names as Strings (`memberIndex` indexes `members`).
    public var symbols: [(name: String, memberIndex: Int)] {
        symbolTable.map { (symbolName($0), $0.memberIndex) }
    }

    /// The bytes of a directory entry's name.
    public func symbolNameBytes(_ symbol: ArchiveSymbol) -> UnsafeRawBufferPointer {
        view.bytes(symbol.nameOffset, symbol.nameLength)
    }

    public func symbolName(_ symbol: ArchiveSymbol) -> String {
        String(decoding: symbolNameBytes(symbol), as: UTF8.self)
    }
    public var layout: Layout
    /// The linker members' bytes (the symbol directory `symbolTable` was read from).
    public let linkerMembers: [ByteView]
    /// A thin archive: the members are separate files (`ArchiveMember.externalSize`).
    public let isThin: Bool

    public var path: String { view.path }

    public static func isArchive(_ view: ByteView) -> Bool {
        view.hasPrefix(signature)
    }

    public static func isThinArchive(_ view: ByteView) -> Bool {
        view.hasPrefix(thinSignature)
    }

    /// Reads the archive's layout and symbol directory. With `readsMembers` false, a member's
    /// header is only stepped over (its size read, its bounds checked): its name and contents are
    /// read by `member(_:)` when asked for. A linker asks for few of a C runtime's thousands.
    public init(view: ByteView, readsMembers: Bool = true) throws {
        self.view = view
        // A thin archive (llvm-ar --thin, llvm-lib /llvmlibthin) holds its symbol table and names
        // but not the members: each is the file its name gives, beside the archive.
        isThin = Archive.isThinArchive(view)
        guard isThin || Archive.isArchive(view) else {
            throw view.error(at: 0, "not an archive: the file does not start with \"!<arch>\\n\"")
        }

        var members: [ArchiveMember] = []
        var memberHeaderOffsets: [Int] = []
        var linkerMembers: [ByteView] = []
        var longNames: ByteView?
        var longNamesHeaderOffset = Int.max
        var headerOffset = Archive.signature.count

        while headerOffset < view.count {
            // Stepping over a well-formed regular member (a name not starting with "/" or "#", or
            // a longnames reference "/123"; a decimal size; the end marker) reads the header in
            // place; anything else takes the checks below, which also name what is wrong.
            if !readsMembers, let size = Archive.regularMemberSize(view, headerOffset: headerOffset),
               isThin || size <= view.count - headerOffset - Archive.headerSize {
                memberHeaderOffsets.append(headerOffset)
                headerOffset = min(alignUp(headerOffset + Archive.headerSize + (isThin ? 0 : size), 2), view.count)
                continue
            }
            let header = try view.slice(headerOffset, Archive.headerSize, "archive member header")
            let endMarker = (header.u8(58), header.u8(59))
            guard endMarker == (0x60, 0x0A) else {
                throw view.error(at: headerOffset + 58, "archive member header does not end with \"`\\n\" (the header is garbled or a previous member's size is wrong)")
            }
            let size = try Archive.decimalField(header, at: 48, width: 10, what: "size", view: view, headerOffset: headerOffset)
            // Thousands of members in a C runtime's archive: the name field is compared in place.
            let rawName = NameField(bytes: header.bytes(0, 16))
            let isTableMember = rawName.isExactly("/") || rawName.isExactly("//")
                || rawName.starts(with: "/SYM64/") || rawName.starts(with: "/<")
            let isExternal = isThin && !isTableMember
            if !readsMembers && !isTableMember && !rawName.starts(with: "#1/") {
                try view.check(headerOffset + Archive.headerSize, isExternal ? 0 : size,
                               "archive member whose header at 0x\(String(headerOffset + view.offset, radix: 16)) gives size \(size)")
                memberHeaderOffsets.append(headerOffset)
                headerOffset = min(alignUp(headerOffset + Archive.headerSize + (isExternal ? 0 : size), 2), view.count)
                continue
            }
            let data = try view.slice(headerOffset + Archive.headerSize, isExternal ? 0 : size,
                                      "archive member whose header at 0x\(String(headerOffset + view.offset, radix: 16)) gives size \(size)")

            if rawName.starts(with: "#1/") {
                throw view.error(at: headerOffset, "BSD-style archive member names (\"#1/\") are not supported")
            } else if rawName.isExactly("/") {
                // The first "/" is the first linker member (or the GNU symbol table); an MSVC archive
                // follows it directly with the second linker member.
                if linkerMembers.count >= 2 || !memberHeaderOffsets.isEmpty || longNames != nil {
                    throw view.error(at: headerOffset, "unexpected linker member \"/\": linker members must come first and there are at most two")
                }
                linkerMembers.append(data)
            } else if rawName.isExactly("//") {
                if longNames != nil {
                    throw view.error(at: headerOffset, "archive has a second longnames member \"//\"")
                }
                longNames = data
                longNamesHeaderOffset = headerOffset
            } else if rawName.starts(with: "/SYM64/") {
                throw view.error(at: headerOffset, "64-bit GNU archive symbol tables (\"/SYM64/\") are not supported")
            } else if rawName.isExactly("/<HYBRIDMAP>/") || rawName.isExactly("/<ECSYMBOLS>/") {
                // ARM64X/ARM64EC directories: not needed to find members, and harmless to skip.
            } else {
                let name = try Archive.memberName(rawName.bytes, longNames: longNames, view: view, headerOffset: headerOffset)
                var member = ArchiveMember(name: name, headerOffset: headerOffset, data: data)
                if isExternal { member.externalSize = size }
                members.append(member)
                memberHeaderOffsets.append(headerOffset)
            }

            // Members start on even offsets; a final member may omit its padding byte. A thin
            // archive's members have no bytes here.
            headerOffset = min(alignUp(headerOffset + Archive.headerSize + (isExternal ? 0 : size), 2), view.count)
        }

        self.members = members
        self.linkerMembers = linkerMembers
        self.memberHeaderOffsets = memberHeaderOffsets
        self.longNames = longNames
        self.longNamesHeaderOffset = longNamesHeaderOffset
        // Members are found by header offset with a binary search: the walk above met them in
        // increasing order, and a C runtime's archive has thousands.
        var indexByHeaderOffset = MemberFinder(offsets: memberHeaderOffsets)

        switch linkerMembers.count {
        case 0:
            self.layout = .noSymbolTable
            self.symbolTable = []
        case 1:
            self.layout = .gnu
            self.symbolTable = try Archive.readFirstLinkerMember(linkerMembers[0],
                                                             indexByHeaderOffset: &indexByHeaderOffset, view: view)
        default:
            self.layout = .msvc
            // The second member is the one used; the first, which lists the same symbols, must
            // still be well formed, and is checked without keeping what it lists.
            _ = try Archive.readFirstLinkerMember(linkerMembers[0], indexByHeaderOffset: &indexByHeaderOffset,
                                                  view: view, keepsSymbols: false)
            self.symbolTable = try Archive.readSecondLinkerMember(linkerMembers[1],
                                                              indexByHeaderOffset: &indexByHeaderOffset, view: view)
        }
    }

    /// The index in `members` of the member whose header is at `headerOffset`, if any.
    public func memberIndex(headerOffset: Int) -> Int? {
        var finder = MemberFinder(offsets: memberHeaderOffsets)
        return finder.index(of: headerOffset)
    }

    /// Regular member `index` (0..<memberCount): `members[index]`, or read from its header now
    /// when the archive was read without its members. A bad name is an error naming the header.
    public func member(_ index: Int) throws -> ArchiveMember {
        if !members.isEmpty { return members[index] }
        let headerOffset = memberHeaderOffsets[index]
        let header = try view.slice(headerOffset, Archive.headerSize, "archive member header")
        let size = try Archive.decimalField(header, at: 48, width: 10, what: "size", view: view, headerOffset: headerOffset)
        let name = try Archive.memberName(header.bytes(0, 16), longNames: headerOffset > longNamesHeaderOffset ? longNames : nil,
                                          view: view, headerOffset: headerOffset)
        let data = try view.slice(headerOffset + Archive.headerSize, isThin ? 0 : size, "archive member")
        var member = ArchiveMember(name: name, headerOffset: headerOffset, data: data)
        if isThin { member.externalSize = size }
        return member
    }

    /// Member `index`'s name, for messages (a name that cannot be read is shown by its header's offset).
    public func memberName(_ index: Int) -> String {
        (try? member(index).name) ?? "member at 0x\(String(memberHeaderOffsets[index] + view.offset, radix: 16))"
    }

    // MARK: - Header fields

    /// The size of the regular member whose header is at `headerOffset`, when the header is
    /// whole and well formed; nil for anything else (a table member, a bad field, a cut header).
    @inline(__always) private static func regularMemberSize(_ view: ByteView, headerOffset: Int) -> Int? {
        guard headerOffset <= view.count - Archive.headerSize, let base = view.base else { return nil }
        let p = base + headerOffset
        let first = p.load(as: UInt8.self)
        // "/123" names a member by its place in the longnames member (GNU archives name most
        // members so); "/" followed by anything else is a table member.
        let isLongNameReference = first == UInt8(ascii: "/") && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(p.load(fromByteOffset: 1, as: UInt8.self))
        guard first != UInt8(ascii: "/") || isLongNameReference, first != UInt8(ascii: "#"),
              p.load(fromByteOffset: 58, as: UInt8.self) == 0x60, p.load(fromByteOffset: 59, as: UInt8.self) == 0x0A else { return nil }
        var value = 0, index = 0
        while index < 10 {
            let byte = p.load(fromByteOffset: 48 + index, as: UInt8.self)
            guard byte >= 0x30 && byte <= 0x39 else { break }
            value = value * 10 + Int(byte - 0x30)
            index += 1
        }
        guard index > 0 else { return nil }
        while index < 10 {
            guard p.load(fromByteOffset: 48 + index, as: UInt8.self) == 0x20 else { return nil }
            index += 1
        }
        return value
    }

    /// A member header's 16-byte name field, read in place.
    private struct NameField {
        let bytes: UnsafeRawBufferPointer

        func starts(with prefix: StaticString) -> Bool {
            guard prefix.utf8CodeUnitCount <= bytes.count else { return false }
            for i in 0..<prefix.utf8CodeUnitCount where bytes[i] != prefix.utf8Start[i] { return false }
            return true
        }

        /// Exactly `name` followed by spaces.
        func isExactly(_ name: StaticString) -> Bool {
            starts(with: name) && bytes[name.utf8CodeUnitCount...].allSatisfy { $0 == 0x20 }
        }
    }

    /// A decimal ASCII header field: digits, then only spaces. Anything else is an error.
    private static func decimalField(_ header: ByteView, at fieldOffset: Int, width: Int, what: String,
                                     view: ByteView, headerOffset: Int) throws -> Int {
        var value = 0
        var digits = 0
        var index = 0
        while index < width, case let byte = header.u8(fieldOffset + index), byte >= 0x30, byte <= 0x39 {
            value = value * 10 + Int(byte - 0x30)
            digits += 1
            index += 1
        }
        let trailingIsSpaces = (index..<width).allSatisfy { header.u8(fieldOffset + $0) == 0x20 }
        if digits == 0 || !trailingIsSpaces {
            let text = header.string(fieldOffset, width)
            throw view.error(at: headerOffset + fieldOffset, "archive member \(what) field \"\(printable(text))\" is not a decimal number")
        }
        return value
    }

    private static func memberName(_ field: UnsafeRawBufferPointer, longNames: ByteView?, view: ByteView, headerOffset: Int) throws -> String {
        if field.first == UInt8(ascii: "/") {
            // "/n": offset n into the longnames member.
            let digits = field.dropFirst().prefix { $0 != 0x20 }
            guard !digits.isEmpty, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  field.dropFirst(1 + digits.count).allSatisfy({ $0 == 0x20 }),
                  let nameOffset = Int(String(decoding: digits, as: UTF8.self)) else {
                let text = String(decoding: field, as: UTF8.self)
                throw view.error(at: headerOffset, "archive member name \"\(printable(text))\" is neither \"name/\" nor a \"/offset\" long-name reference")
            }
            guard let longNames else {
                throw view.error(at: headerOffset, "archive member name refers to long name at offset \(nameOffset) but no longnames member \"//\" precedes it")
            }
            guard nameOffset < longNames.count else {
                throw view.error(at: headerOffset, "archive member long-name offset \(nameOffset) is past the end of the longnames member (\(longNames.count) bytes)")
            }
            // MSVC ends each long name with NUL; GNU with "/\n".
            var end = nameOffset
            while end < longNames.count, longNames.u8(end) != 0, longNames.u8(end) != 0x0A { end += 1 }
            if end == longNames.count {
                throw view.error(at: headerOffset, "long name at offset \(nameOffset) of the longnames member is not terminated")
            }
            var length = end - nameOffset
            if longNames.u8(end) == 0x0A, length > 0, longNames.u8(nameOffset + length - 1) == UInt8(ascii: "/") {
                length -= 1
            }
            return longNames.string(nameOffset, length)
        }
        // "name/" padded with spaces; tolerate a missing "/" (some tools omit it) by trimming spaces.
        if let slash = field.firstIndex(of: UInt8(ascii: "/")) {
            return String(decoding: field[..<slash], as: UTF8.self)
        }
        var end = field.count
        while end > 0, field[end - 1] == 0x20 { end -= 1 }
        return String(decoding: field[..<end], as: UTF8.self)
    }

    private static func printable(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "?" })
    }

    // MARK: - Linker members

    private static func u32BigEndian(_ data: ByteView, _ at: Int) -> UInt32 {
        UInt32(data.u8(at)) << 24 | UInt32(data.u8(at + 1)) << 16 | UInt32(data.u8(at + 2)) << 8 | UInt32(data.u8(at + 3))
    }

    /// Reads `count` NUL-terminated names starting at `start`.
    /// The names of a linker member's string table, as (offset from the archive's start, length).
    /// The `count` NUL-terminated names from `start`, each checked; their places are kept
    /// only with `keeping` (a table only checked allocates nothing).
    private static func readNames(_ data: ByteView, from start: Int, count: Int, member: String,
                                  archiveOffset: Int, keeping: Bool = true) throws -> [(offset: Int, length: Int)] {
        var names: [(offset: Int, length: Int)] = []
        if keeping { names.reserveCapacity(count) }
        var position = start
        let base = data.offset - archiveOffset
        for index in 0..<count {
            guard let length = data.cStringLength(at: position) else {
                throw data.error(at: min(position, data.count), "\(member): symbol name \(index) of \(count) runs past the end of the member")
            }
            if keeping { names.append((base + position, length)) }
            position += length + 1
        }
        return names
    }

    /// Member indices by header offset; symbol tables name one member many times in a row.
    private struct MemberFinder {
        let offsets: [Int]
        var last = (offset: -1, index: -1)

        mutating func index(of headerOffset: Int) -> Int? {
            if headerOffset == last.offset { return last.index }
            var low = 0, high = offsets.count
            while low < high {
                let middle = (low + high) / 2
                if offsets[middle] < headerOffset { low = middle + 1 } else { high = middle }
            }
            guard low < offsets.count && offsets[low] == headerOffset else { return nil }
            last = (headerOffset, low)
            return low
        }
    }

    private static func resolve(_ memberOffset: Int, indexByHeaderOffset: inout MemberFinder, view: ByteView,
                                tableOffset: Int, member: String) throws -> Int {
        guard let index = indexByHeaderOffset.index(of: memberOffset) else {
            throw view.error(at: tableOffset, "\(member) refers to offset 0x\(String(memberOffset, radix: 16)), which is not the header of a regular archive member")
        }
        return index
    }

    /// The first linker member / GNU symbol table: big-endian count, big-endian member offsets, names.
    /// Without `keepsSymbols` (an MSVC archive, whose second member is used) it is only checked,
    /// and nothing is allocated: the table of a large library is megabytes.
    private static func readFirstLinkerMember(_ data: ByteView, indexByHeaderOffset: inout MemberFinder,
                                              view: ByteView, keepsSymbols: Bool = true) throws -> [ArchiveSymbol] {
        let what = "first linker member"
        try data.check(0, 4, "\(what) symbol count")
        let symbolCount = Int(u32BigEndian(data, 0))
        // Each symbol needs 4 bytes of offset and at least one byte of name.
        guard symbolCount <= (data.count - 4) / 5 else {
            throw data.error(at: 0, "\(what) claims \(symbolCount) symbols, more than its \(data.count) bytes can hold")
        }
        let names = try readNames(data, from: 4 + 4 * symbolCount, count: symbolCount, member: what,
                                  archiveOffset: view.offset, keeping: keepsSymbols)
        var result: [ArchiveSymbol] = []
        if keepsSymbols { result.reserveCapacity(symbolCount) }
        for index in 0..<symbolCount {
            let memberOffset = Int(u32BigEndian(data, 4 + 4 * index))
            let memberIndex = try resolve(memberOffset, indexByHeaderOffset: &indexByHeaderOffset, view: view,
                                          tableOffset: data.offset - view.offset + 4 + 4 * index, member: what)
            if keepsSymbols { result.append(ArchiveSymbol(nameOffset: names[index].offset, nameLength: names[index].length, memberIndex: memberIndex)) }
        }
        return result
    }

    /// The second linker member: little-endian member offsets, symbol count, 1-based 16-bit indices, names.
    private static func readSecondLinkerMember(_ data: ByteView, indexByHeaderOffset: inout MemberFinder,
                                               view: ByteView) throws -> [ArchiveSymbol] {
        let what = "second linker member"
        try data.check(0, 4, "\(what) member count")
        let memberCount = Int(data.u32(0))
        guard memberCount <= (data.count - 4) / 4 else {
            throw data.error(at: 0, "\(what) claims \(memberCount) members, more than its \(data.count) bytes can hold")
        }
        let symbolCountOffset = 4 + 4 * memberCount
        try data.check(symbolCountOffset, 4, "\(what) symbol count")
        let symbolCount = Int(data.u32(symbolCountOffset))
        let indicesOffset = symbolCountOffset + 4
        guard symbolCount <= (data.count - indicesOffset) / 3 else {
            throw data.error(at: symbolCountOffset, "\(what) claims \(symbolCount) symbols, more than its \(data.count) bytes can hold")
        }
        var memberIndices: [Int] = []
        memberIndices.reserveCapacity(memberCount)
        for index in 0..<memberCount {
            let memberOffset = Int(data.u32(4 + 4 * index))
            memberIndices.append(try resolve(memberOffset, indexByHeaderOffset: &indexByHeaderOffset, view: view,
                                             tableOffset: data.offset - view.offset + 4 + 4 * index, member: what))
        }
        let names = try readNames(data, from: indicesOffset + 2 * symbolCount, count: symbolCount, member: what, archiveOffset: view.offset)
        var result: [ArchiveSymbol] = []
        result.reserveCapacity(symbolCount)
        for index in 0..<symbolCount {
            let oneBased = Int(data.u16(indicesOffset + 2 * index))
            guard oneBased >= 1, oneBased <= memberCount else {
                let name = view.string(names[index].offset, names[index].length)
                throw data.error(at: indicesOffset + 2 * index, "\(what): symbol \"\(name)\" has member index \(oneBased), outside 1...\(memberCount)")
            }
            result.append(ArchiveSymbol(nameOffset: names[index].offset, nameLength: names[index].length, memberIndex: memberIndices[oneBased - 1]))
        }
        return result
    }
}
