// COFF object files, regular and /bigobj (pe-format.md: "COFF File Header (Object and Image)",
// "Section Table", "COFF Relocations", "COFF Symbol Table", "COFF String Table").

/// One section header of an object file.
public struct COFFSectionHeader: @unchecked Sendable {
    /// The name's bytes, inside the header or the string table (valid while the file is).
    public var nameBytes: UnsafeRawBufferPointer
    public var name: String { String(decoding: nameBytes, as: UTF8.self) }
    public var virtualSize: UInt32
    public var virtualAddress: UInt32
    public var sizeOfRawData: UInt32
    public var pointerToRawData: UInt32
    public var pointerToRelocations: UInt32
    public var numberOfRelocations: Int
    public var characteristics: SectionFlags
    /// Where the header itself sits in the file (for diagnostics).
    public var headerOffset: Int

    public var isUninitialized: Bool { characteristics.contains(.uninitializedData) }
}

/// One symbol record as stored, with the section number widened (bigobj uses 32 bits).
public struct COFFSymbolRecord: Sendable {
    /// The 8-byte name field: either the name inline, or (first four bytes zero) a string-table offset.
    public var nameField: UInt64
    public var value: UInt32
    public var sectionNumber: Int32
    public var type: UInt16
    public var storageClass: UInt8
    public var auxiliaryCount: Int

    public var isExternal: Bool { storageClass == StorageClass.external || storageClass == StorageClass.weakExternal }
    /// The type field says "function" (complex type 0x20).
    public var isFunction: Bool { (type >> 4) & 0xF == 2 }
}

/// A section definition auxiliary record (format 5), the one that carries COMDAT information.
public struct COFFSectionDefinition: Sendable {
    public var length: UInt32
    public var numberOfRelocations: UInt16
    public var numberOfLinenumbers: UInt16
    public var checksum: UInt32
    /// One-based section number of the associated section (ASSOCIATIVE), bigobj high bits included.
    public var associatedSection: Int32
    public var selection: UInt8
}

/// A weak external auxiliary record (format 3).
public struct COFFWeakExternal: Sendable {
    public var tagIndex: Int
    public var characteristics: UInt32
}

public struct COFFRelocation: Sendable {
    public var virtualAddress: UInt32
    public var symbolTableIndex: UInt32
    public var type: UInt16

    public init(virtualAddress: UInt32, symbolTableIndex: UInt32, type: UInt16) {
        self.virtualAddress = virtualAddress
        self.symbolTableIndex = symbolTableIndex
        self.type = type
    }
}

public struct COFFObject: Sendable {
    public let view: ByteView
    public let machine: Machine
    public let rawMachine: UInt16
    public let isBigObj: Bool
    public let sectionCount: Int
    public let timeDateStamp: UInt32
    public let characteristics: UInt16
    let sectionTableOffset: Int
    let symbolTableOffset: Int
    public let symbolCount: Int
    /// 18 bytes for regular objects, 20 for /bigobj.
    public let symbolRecordSize: Int
    /// The string table, starting at its 4-byte size field.
    public let stringTable: ByteView

    static let bigObjClassID: [UInt8] = [0xC7, 0xA1, 0xBA, 0xD1, 0xEE, 0xBA, 0xA9, 0x4B,
                                         0xAF, 0x20, 0xFA, 0xF6, 0x6A, 0xA4, 0xDC, 0xB8]

    static func isBigObjHeader(_ view: ByteView) -> Bool {
        guard view.count >= 28, view.u16(0) == 0, view.u16(2) == 0xFFFF, view.u16(4) >= 2 else { return false }
        for i in 0..<16 where view.u8(12 + i) != bigObjClassID[i] { return false }
        return true
    }

    public init(view: ByteView) throws {
        self.view = view
        let headerSize: Int
        if COFFObject.isBigObjHeader(view) {
            // ANON_OBJECT_HEADER_BIGOBJ: Sig1, Sig2, Version, Machine, TimeDateStamp, ClassID[16],
            // SizeOfData, Flags, MetaDataSize, MetaDataOffset, NumberOfSections, PointerToSymbolTable, NumberOfSymbols.
            isBigObj = true
            headerSize = 56
            try view.check(0, 56, "/bigobj file header")
            rawMachine = view.u16(6)
            timeDateStamp = view.u32(8)
            sectionCount = Int(view.u32(44))
            symbolTableOffset = Int(view.u32(48))
            symbolCount = Int(view.u32(52))
            characteristics = 0
            symbolRecordSize = 20
        } else {
            try view.check(0, 20, "COFF file header")
            isBigObj = false
            headerSize = 20
            rawMachine = view.u16(0)
            sectionCount = Int(view.u16(2))
            timeDateStamp = view.u32(4)
            symbolTableOffset = Int(view.u32(8))
            symbolCount = Int(view.u32(12))
            let optionalHeaderSize = Int(view.u16(16))
            characteristics = view.u16(18)
            symbolRecordSize = 18
            if optionalHeaderSize != 0 {
                throw view.error(at: 16, "object file has an optional header of \(optionalHeaderSize) bytes; is this an image (DLL/EXE) rather than an object?")
            }
        }
        guard let machine = Machine(rawValue: rawMachine) else {
            throw view.error(at: isBigObj ? 6 : 0, "unknown machine type 0x\(String(rawMachine, radix: 16)) in COFF file header")
        }
        self.machine = machine
        sectionTableOffset = headerSize
        try view.check(sectionTableOffset, sectionCount * 40, "section table (\(sectionCount) sections)")
        if symbolCount > 0 || symbolTableOffset > 0 {
            if symbolCount > view.count / symbolRecordSize {
                throw view.error(at: isBigObj ? 52 : 12, "symbol count \(symbolCount) is larger than the file could hold")
            }
            try view.check(symbolTableOffset, symbolCount * symbolRecordSize, "symbol table (\(symbolCount) records)")
            let stringTableOffset = symbolTableOffset + symbolCount * symbolRecordSize
            if stringTableOffset + 4 <= view.count {
                let size = Int(view.u32(stringTableOffset))
                if size < 4 {
                    // Some producers write 0 for an empty table.
                    stringTable = try view.slice(stringTableOffset, 4, "string table")
                } else {
                    stringTable = try view.slice(stringTableOffset, size, "string table (size field says \(size) bytes)")
                }
            } else {
                stringTable = ByteView(file: view.file, offset: view.offset, count: 0)
            }
        } else {
            stringTable = ByteView(file: view.file, offset: view.offset, count: 0)
        }
    }

    // MARK: Sections

    public func sectionHeader(_ index: Int) throws -> COFFSectionHeader {
        let at = sectionTableOffset + index * 40
        let name = try sectionNameBytes(at: at)
        let header = COFFSectionHeader(
            nameBytes: name,
            virtualSize: view.u32(at + 8),
            virtualAddress: view.u32(at + 12),
            sizeOfRawData: view.u32(at + 16),
            pointerToRawData: view.u32(at + 20),
            pointerToRelocations: view.u32(at + 24),
            numberOfRelocations: Int(view.u16(at + 32)),
            characteristics: SectionFlags(rawValue: view.u32(at + 36)),
            headerOffset: at)
        return header
    }

    private func sectionNameBytes(at: Int) throws -> UnsafeRawBufferPointer {
        var length = 0
        while length < 8 && view.u8(at + length) != 0 { length += 1 }
        // "/123" refers to the string table for names longer than eight bytes ("//base64" is images only).
        if length > 1 && view.u8(at) == UInt8(ascii: "/") {
            var offset = 0
            for i in 1..<length {
                let c = view.u8(at + i)
                guard c >= 0x30 && c <= 0x39 else {
                    throw view.error(at: at, "section name '\(view.string(at, length))' is neither a name nor a /offset into the string table")
                }
                offset = offset * 10 + Int(c - 0x30)
            }
            guard offset >= 4, offset < stringTable.count, let nameLength = stringTable.cStringLength(at: offset) else {
                throw view.error(at: at, "long section name refers to string table offset \(offset), outside the string table (\(stringTable.count) bytes)")
            }
            return stringTable.bytes(offset, nameLength)
        }
        return view.bytes(at, length)
    }

    public func stringTableString(at offset: Int, what: String) throws -> String {
        guard offset >= 4, offset < stringTable.count, let length = stringTable.cStringLength(at: offset) else {
            throw stringTable.error(at: nil, "\(what) refers to string table offset \(offset), outside the string table (\(stringTable.count) bytes)")
        }
        return stringTable.string(offset, length)
    }

    /// Where a section's raw bytes are, relative to the object's start (count 0 for uninitialised data), checked.
    public func sectionDataRange(_ header: COFFSectionHeader) throws -> (offset: Int, count: Int) {
        if header.isUninitialized || header.sizeOfRawData == 0 { return (0, 0) }
        try view.check(Int(header.pointerToRawData), Int(header.sizeOfRawData), "raw data of section \(header.name)")
        return (Int(header.pointerToRawData), Int(header.sizeOfRawData))
    }

    /// The raw bytes of a section (empty for uninitialised data), checked.
    public func sectionData(_ header: COFFSectionHeader) throws -> ByteView {
        let range = try sectionDataRange(header)
        return ByteView(file: view.file, offset: view.offset + range.offset, count: range.count)
    }

    /// Where a section's relocation records are (10 bytes each), checked; handles IMAGE_SCN_LNK_NRELOC_OVFL.
    public func relocationRange(_ header: COFFSectionHeader) throws -> (offset: Int, count: Int) {
        var count = header.numberOfRelocations
        var start = Int(header.pointerToRelocations)
        if count == 0 { return (0, 0) }
        if header.characteristics.contains(.lnkNRelocOverflow) && count == 0xFFFF {
            // The real count is in the VirtualAddress of the first record, which itself counts.
            try view.check(start, 10, "relocation overflow record of section \(header.name)")
            count = Int(view.u32(start)) - 1
            start += 10
            if count < 0 {
                throw view.error(at: start - 10, "relocation overflow record of section \(header.name) gives a count of zero")
            }
        }
        try view.check(start, count * 10, "relocation table of section \(header.name) (\(count) entries)")
        return (start, count)
    }

    /// The relocation records of a section, checked.
    public func relocations(_ header: COFFSectionHeader) throws -> (view: ByteView, count: Int) {
        let range = try relocationRange(header)
        return (ByteView(file: view.file, offset: view.offset + range.offset, count: range.count * 10), range.count)
    }

    // MARK: Symbols

    /// Offset of symbol record `index` in the object, for diagnostics and reads.
    @inline(__always) public func symbolOffset(_ index: Int) -> Int { symbolTableOffset + index * symbolRecordSize }

    /// The symbol record at `index` (the table's range was checked at init; the caller checks `index`).
    public func symbol(_ index: Int) -> COFFSymbolRecord {
        let at = symbolOffset(index)
        if isBigObj {
            return COFFSymbolRecord(nameField: view.u64(at), value: view.u32(at + 8), sectionNumber: view.i32(at + 12),
                                    type: view.u16(at + 16), storageClass: view.u8(at + 18), auxiliaryCount: Int(view.u8(at + 19)))
        }
        return COFFSymbolRecord(nameField: view.u64(at), value: view.u32(at + 8), sectionNumber: Int32(view.i16(at + 12)),
                                type: view.u16(at + 14), storageClass: view.u8(at + 16), auxiliaryCount: Int(view.u8(at + 17)))
    }

    /// The bytes of a symbol's name, as a window on the file (inline name or string table entry).
    public func symbolNameBytes(_ index: Int) throws -> UnsafeRawBufferPointer {
        guard index >= 0, index < symbolCount else {
            throw view.error(at: nil, "symbol \(index) does not exist: the symbol table has \(symbolCount) records")
        }
        let at = symbolOffset(index)
        if view.u32(at) == 0 {
            let offset = Int(view.u32(at + 4))
            guard offset >= 4, offset < stringTable.count, let length = stringTable.cStringLength(at: offset) else {
                throw view.error(at: at, "symbol \(index) names string table offset \(offset), outside the string table (\(stringTable.count) bytes)")
            }
            return stringTable.bytes(offset, length)
        }
        var length = 0
        while length < 8 && view.u8(at + length) != 0 { length += 1 }
        return view.bytes(at, length)
    }

    /// True when symbol `index` keeps its name in the string table (not inline in the record).
    @inline(__always) public func hasLongName(_ index: Int) -> Bool { view.u32(symbolOffset(index)) == 0 }

    public func symbolName(_ index: Int) throws -> String {
        String(decoding: try symbolNameBytes(index), as: UTF8.self)
    }

    public func sectionDefinition(auxiliaryOf index: Int) -> COFFSectionDefinition {
        let at = symbolOffset(index + 1)
        var associated = Int32(view.u16(at + 12))
        if isBigObj { associated |= Int32(view.u16(at + 16)) << 16 }
        return COFFSectionDefinition(length: view.u32(at), numberOfRelocations: view.u16(at + 4),
                                     numberOfLinenumbers: view.u16(at + 6), checksum: view.u32(at + 8),
                                     associatedSection: associated, selection: view.u8(at + 14))
    }

    public func weakExternal(auxiliaryOf index: Int) -> COFFWeakExternal {
        let at = symbolOffset(index + 1)
        return COFFWeakExternal(tagIndex: Int(view.u32(at)), characteristics: view.u32(at + 4))
    }

    /// The file name carried by a .file symbol's auxiliary records.
    public func fileName(auxiliaryOf index: Int, count: Int) -> String {
        let at = symbolOffset(index + 1)
        let bytes = view.bytes(at, count * symbolRecordSize)
        let end = bytes.firstIndex(of: 0) ?? bytes.count
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<end]), as: UTF8.self)
    }

    /// Checks that the auxiliary records of symbol `index` fit in the table.
    public func checkAuxiliary(_ index: Int, _ record: COFFSymbolRecord) throws {
        if index + record.auxiliaryCount >= symbolCount + (record.auxiliaryCount == 0 ? 1 : 0) {
            throw view.error(at: symbolOffset(index), "symbol \(index) claims \(record.auxiliaryCount) auxiliary records past the end of the symbol table (\(symbolCount) records)")
        }
    }
}

extension ByteView {
    public func relocation(_ index: Int) -> COFFRelocation {
        let at = index * 10
        return COFFRelocation(virtualAddress: u32(at), symbolTableIndex: u32(at + 4), type: u16(at + 8))
    }
}
