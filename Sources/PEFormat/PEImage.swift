// Reading linked PE images (DLLs and EXEs) back: headers, section table and the tables the loader
// uses (exports, imports, delay imports, base relocations, TLS, load config, exception and debug
// directories). Used by the golden-file dumper and by tests that check what the linker wrote.
//
// Every RVA, count and size read from the file is checked before use, and every walk over a
// zero-terminated table consumes file bytes on each step, so a malformed image ends in a
// FormatError naming the table at fault, never a trap or an endless loop.

/// The COFF file header of an image.
public struct PEFileHeader: Sendable, Equatable {
    /// Raw machine number; `Machine(rawValue:)` knows the common ones.
    public var machine: UInt16
    public var numberOfSections: UInt16
    public var timeDateStamp: UInt32
    public var pointerToSymbolTable: UInt32
    public var numberOfSymbols: UInt32
    public var sizeOfOptionalHeader: UInt16
    public var characteristics: UInt16
}

/// One entry of the optional header's data directory array.
public struct DataDirectoryEntry: Sendable, Equatable {
    public var rva: UInt32
    public var size: UInt32
    public var isEmpty: Bool { rva == 0 && size == 0 }
}

/// The optional header, PE32 or PE32+ (the narrower PE32 fields are widened).
public struct PEOptionalHeader: Sendable, Equatable {
    public static let pe32Magic: UInt16 = 0x10b
    public static let pe32PlusMagic: UInt16 = 0x20b

    public var magic: UInt16
    public var isPE32Plus: Bool { magic == PEOptionalHeader.pe32PlusMagic }
    public var majorLinkerVersion: UInt8
    public var minorLinkerVersion: UInt8
    public var sizeOfCode: UInt32
    public var sizeOfInitializedData: UInt32
    public var sizeOfUninitializedData: UInt32
    public var addressOfEntryPoint: UInt32
    public var baseOfCode: UInt32
    /// PE32 only; PE32+ has no such field.
    public var baseOfData: UInt32?
    public var imageBase: UInt64
    public var sectionAlignment: UInt32
    public var fileAlignment: UInt32
    public var majorOperatingSystemVersion: UInt16
    public var minorOperatingSystemVersion: UInt16
    public var majorImageVersion: UInt16
    public var minorImageVersion: UInt16
    public var majorSubsystemVersion: UInt16
    public var minorSubsystemVersion: UInt16
    public var win32VersionValue: UInt32
    public var sizeOfImage: UInt32
    public var sizeOfHeaders: UInt32
    public var checkSum: UInt32
    public var subsystem: UInt16
    public var dllCharacteristics: UInt16
    public var sizeOfStackReserve: UInt64
    public var sizeOfStackCommit: UInt64
    public var sizeOfHeapReserve: UInt64
    public var sizeOfHeapCommit: UInt64
    public var loaderFlags: UInt32
    public var numberOfRvaAndSizes: UInt32
    /// All `numberOfRvaAndSizes` entries, in header order.
    public var dataDirectories: [DataDirectoryEntry]
    /// File offset of the CheckSum field (relative to the image's view), for recomputing it.
    public var checkSumOffset: Int
}

/// One section header of an image.
public struct PESection: Sendable, Equatable {
    /// The name, up to 8 bytes; an 8-byte name has no terminating NUL.
    public var name: String
    public var virtualSize: UInt32
    public var virtualAddress: UInt32
    public var sizeOfRawData: UInt32
    public var pointerToRawData: UInt32
    public var pointerToRelocations: UInt32
    public var pointerToLinenumbers: UInt32
    public var numberOfRelocations: UInt16
    public var numberOfLinenumbers: UInt16
    public var characteristics: SectionFlags
    /// File offset of this 40-byte header.
    public var headerOffset: Int

    /// How much address space the section covers once loaded. A zero VirtualSize (old linkers)
    /// means the raw size is the loaded size.
    public var loadedSize: UInt32 { virtualSize != 0 ? virtualSize : sizeOfRawData }
    /// How many of the loaded bytes come from the file; the rest are zero-filled by the loader.
    public var fileBackedSize: UInt32 { min(loadedSize, sizeOfRawData) }

    public func contains(rva: UInt32) -> Bool {
        rva >= virtualAddress && UInt64(rva) < UInt64(virtualAddress) + UInt64(loadedSize)
    }
}

/// One address-table slot of the export directory.
public struct ExportEntry: Sendable, Equatable {
    /// Biased ordinal: ordinal base + index in the export address table.
    public var ordinal: UInt32
    /// The exported RVA, or for a forwarder the RVA of its "DLL.name" string. Zero marks an unused slot.
    public var rva: UInt32
    /// Set when `rva` lies inside the export directory: the "DLL.name" or "DLL.#ordinal" it forwards to.
    public var forwarder: String?
    /// Every public name bound to this slot, in name pointer table order; empty means NONAME.
    public var names: [String]

    public var isUnused: Bool { rva == 0 && names.isEmpty }
}

public struct ExportTable: Sendable, Equatable {
    public var flags: UInt32
    public var timeDateStamp: UInt32
    public var majorVersion: UInt16
    public var minorVersion: UInt16
    public var dllName: String
    public var ordinalBase: UInt32
    public var addressTableRVA: UInt32
    public var namePointerTableRVA: UInt32
    public var ordinalTableRVA: UInt32
    public var numberOfNames: Int
    /// One per export address table slot, in ordinal order (unused slots included).
    public var entries: [ExportEntry]
    /// Whether the name pointer table is in ascending byte order, as the loader's binary search needs.
    public var namesAreSorted: Bool
}

/// One imported function (or data item) of one DLL.
public struct ImportedSymbol: Sendable, Equatable {
    public enum Reference: Sendable, Equatable {
        case name(hint: UInt16, name: String)
        case ordinal(UInt16)
    }
    public var reference: Reference
    /// RVA of this entry's import address table slot.
    public var iatRVA: UInt32
    /// RVA of the hint/name entry, for a by-name import.
    public var hintNameRVA: UInt32?

    public var name: String? {
        if case .name(_, let name) = reference { return name }
        return nil
    }
    public var ordinal: UInt16? {
        if case .ordinal(let ordinal) = reference { return ordinal }
        return nil
    }
}

/// One import directory entry and the symbols its lookup table names.
public struct ImportedDLL: Sendable, Equatable {
    public var name: String
    /// The import lookup table ("OriginalFirstThunk"); zero in some old images, which then use the IAT.
    public var lookupTableRVA: UInt32
    public var addressTableRVA: UInt32
    public var timeDateStamp: UInt32
    public var forwarderChain: UInt32
    public var entries: [ImportedSymbol]
}

/// One delay-load directory entry (pe-format.md, "Delay-Load Import Tables").
public struct DelayImportedDLL: Sendable, Equatable {
    public var attributes: UInt32
    public var name: String
    public var moduleHandleRVA: UInt32
    public var addressTableRVA: UInt32
    public var nameTableRVA: UInt32
    public var boundAddressTableRVA: UInt32
    public var unloadAddressTableRVA: UInt32
    public var timeDateStamp: UInt32
    /// From the delay import name table; `iatRVA` points into the delay IAT.
    public var entries: [ImportedSymbol]
}

/// One IMAGE_BASE_RELOCATION entry, with its page already added in.
public struct BaseRelocation: Sendable, Equatable {
    public var rva: UInt32
    public var type: UInt16
    public init(rva: UInt32, type: UInt16) {
        self.rva = rva
        self.type = type
    }
}

/// One page block of the base relocation table, entries in file order (ABSOLUTE padding included).
public struct BaseRelocationBlock: Sendable, Equatable {
    public var pageRVA: UInt32
    public var blockSize: UInt32
    public var entries: [BaseRelocation]
}

public struct TLSDirectory: Sendable, Equatable {
    public var rawDataStartVA: UInt64
    public var rawDataEndVA: UInt64
    public var addressOfIndex: UInt64
    public var addressOfCallbacks: UInt64
    public var sizeOfZeroFill: UInt32
    public var characteristics: UInt32
    /// The callback VAs, up to the terminating null pointer.
    public var callbacks: [UInt64]
}

public struct LoadConfigSummary: Sendable, Equatable {
    /// Size given by the data directory.
    public var directorySize: UInt32
    /// The structure's own leading Size field.
    public var structureSize: UInt32
    /// PE32 (x86) only, when the structure holds them: the SAFESEH handler table's address (a VA)
    /// and entry count.
    public var seHandlerTable: UInt32?
    public var seHandlerCount: UInt32?
    /// The table's entries: RVAs of the registered exception handlers.
    public var seHandlers: [UInt32] = []
}

/// One function table entry of the exception directory. `endRVA` exists on x64 only; on ARM and
/// ARM64 the second word is packed unwind data or the RVA of the unwind record.
public struct ExceptionEntry: Sendable, Equatable {
    public var beginRVA: UInt32
    public var endRVA: UInt32?
    public var unwindData: UInt32
}

public struct DebugDirectoryEntry: Sendable, Equatable {
    public var characteristics: UInt32
    public var timeDateStamp: UInt32
    public var majorVersion: UInt16
    public var minorVersion: UInt16
    public var type: UInt32
    public var sizeOfData: UInt32
    public var addressOfRawData: UInt32
    public var pointerToRawData: UInt32
}

public struct PEImage: Sendable {
    public let view: ByteView
    /// e_lfanew: file offset of the "PE\0\0" signature.
    public let peHeaderOffset: Int
    public let fileHeader: PEFileHeader
    public let optionalHeader: PEOptionalHeader
    public let sections: [PESection]
    /// Section indexes by start address, for lookups in logarithmic time: an image may declare
    /// tens of thousands of sections, and every export name and import thunk is looked up.
    private let sectionOrder: [Int]
    /// The headers are mapped at RVA 0 as they are in the file, up to the first section.
    private let mappedHeaderSize: Int
    /// Only a malformed image has overlapping sections; lookups then fall back to a scan.
    private let sectionsOverlap: Bool

    public private(set) var exports: ExportTable?
    public private(set) var imports: [ImportedDLL] = []
    public private(set) var delayImports: [DelayImportedDLL] = []
    public private(set) var baseRelocationBlocks: [BaseRelocationBlock] = []
    public private(set) var tls: TLSDirectory?
    public private(set) var loadConfig: LoadConfigSummary?
    public private(set) var exceptionEntries: [ExceptionEntry] = []
    public private(set) var debugEntries: [DebugDirectoryEntry] = []

    public var path: String { view.path }
    public var is64Bit: Bool { optionalHeader.isPE32Plus }
    public var machine: Machine? { Machine(rawValue: fileHeader.machine) }

    /// Base relocations in file order, without the ABSOLUTE entries that only pad blocks.
    public var baseRelocations: [BaseRelocation] {
        baseRelocationBlocks.flatMap { $0.entries.filter { $0.type != BaseRelocationType.absolute } }
    }
    /// How many ABSOLUTE (padding) entries the base relocation blocks hold.
    public var baseRelocationPaddingCount: Int {
        baseRelocationBlocks.reduce(0) { $0 + $1.entries.count(where: { $0.type == BaseRelocationType.absolute }) }
    }

    static let dosHeaderSize = 0x40
    static let fileHeaderSize = 20
    static let sectionHeaderSize = 40
    static let importDescriptorSize = 20
    static let delayImportDescriptorSize = 32
    static let exportDirectorySize = 40
    static let debugEntrySize = 28

    /// Quick test for the "MZ" … "PE\0\0" layout, used to tell images from objects and archives.
    public static func isImage(_ view: ByteView) -> Bool {
        guard view.count >= dosHeaderSize, view.u8(0) == 0x4D, view.u8(1) == 0x5A else { return false }
        let peOffset = Int(view.u32(0x3c))
        guard peOffset <= view.count - 4 else { return false }
        return view.u32(peOffset) == 0x0000_4550
    }

    public init(view: ByteView) throws {
        self.view = view
        try view.check(0, PEImage.dosHeaderSize, "MS-DOS header")
        guard view.u8(0) == 0x4D, view.u8(1) == 0x5A else {
            throw view.error(at: 0, "not a PE image: the file does not start with \"MZ\"")
        }
        let peOffset = Int(view.u32(0x3c))
        try view.check(peOffset, 4, "PE signature (e_lfanew = 0x\(hex(peOffset)))")
        guard view.u32(peOffset) == 0x0000_4550 else {
            throw view.error(at: peOffset, "no \"PE\\0\\0\" signature at e_lfanew = 0x\(hex(peOffset))")
        }
        self.peHeaderOffset = peOffset

        let fileHeaderOffset = peOffset + 4
        try view.check(fileHeaderOffset, PEImage.fileHeaderSize, "COFF file header")
        let fileHeader = PEFileHeader(
            machine: view.u16(fileHeaderOffset),
            numberOfSections: view.u16(fileHeaderOffset + 2),
            timeDateStamp: view.u32(fileHeaderOffset + 4),
            pointerToSymbolTable: view.u32(fileHeaderOffset + 8),
            numberOfSymbols: view.u32(fileHeaderOffset + 12),
            sizeOfOptionalHeader: view.u16(fileHeaderOffset + 16),
            characteristics: view.u16(fileHeaderOffset + 18))
        self.fileHeader = fileHeader

        let optionalOffset = fileHeaderOffset + PEImage.fileHeaderSize
        self.optionalHeader = try PEImage.readOptionalHeader(view, at: optionalOffset, size: Int(fileHeader.sizeOfOptionalHeader))

        let sectionTableOffset = optionalOffset + Int(fileHeader.sizeOfOptionalHeader)
        let sectionCount = Int(fileHeader.numberOfSections)
        try view.check(sectionTableOffset, sectionCount * PEImage.sectionHeaderSize,
                       "section table (\(sectionCount) headers)")
        var sections: [PESection] = []
        sections.reserveCapacity(sectionCount)
        for index in 0..<sectionCount {
            let at = sectionTableOffset + index * PEImage.sectionHeaderSize
            var nameLength = 0
            while nameLength < 8 && view.u8(at + nameLength) != 0 { nameLength += 1 }
            let section = PESection(
                name: view.string(at, nameLength),
                virtualSize: view.u32(at + 8),
                virtualAddress: view.u32(at + 12),
                sizeOfRawData: view.u32(at + 16),
                pointerToRawData: view.u32(at + 20),
                pointerToRelocations: view.u32(at + 24),
                pointerToLinenumbers: view.u32(at + 28),
                numberOfRelocations: view.u16(at + 32),
                numberOfLinenumbers: view.u16(at + 34),
                characteristics: SectionFlags(rawValue: view.u32(at + 36)),
                headerOffset: at)
            if section.sizeOfRawData > 0 {
                try view.check(Int(section.pointerToRawData), Int(section.sizeOfRawData),
                               "raw data of section #\(index + 1) \(section.name) (header at 0x\(hex(at + view.offset)))")
            }
            sections.append(section)
        }
        self.sections = sections
        sectionOrder = sections.indices.sorted { (sections[$0].virtualAddress, $0) < (sections[$1].virtualAddress, $1) }
        let firstSection = sections.map { Int($0.virtualAddress) }.min() ?? Int.max
        mappedHeaderSize = min(Int(optionalHeader.sizeOfHeaders), firstSection, view.count)
        sectionsOverlap = zip(sectionOrder, sectionOrder.dropFirst()).contains { a, b in
            UInt64(sections[a].virtualAddress) + UInt64(sections[a].loadedSize) > UInt64(sections[b].virtualAddress)
        }

        // Export names and import tables may share bytes, so a crafted image could point every entry
        // at one long table or string; the budget keeps the total work linear in the file size.
        let budget = ReadBudget(fileSize: view.count)
        self.exports = try readExports(budget)
        self.imports = try readImports(budget)
        self.delayImports = try readDelayImports(budget)
        self.baseRelocationBlocks = try readBaseRelocations()
        self.tls = try readTLS()
        self.loadConfig = try readLoadConfig()
        self.exceptionEntries = try readExceptionEntries()
        self.debugEntries = try readDebugEntries()
    }

    private static func readOptionalHeader(_ view: ByteView, at offset: Int, size: Int) throws -> PEOptionalHeader {
        try view.check(offset, size, "optional header (SizeOfOptionalHeader = \(size))")
        guard size >= 2 else {
            throw view.error(at: offset, "optional header is missing (SizeOfOptionalHeader = \(size)); this is an object file, not an image")
        }
        let magic = view.u16(offset)
        let isPlus: Bool
        switch magic {
        case PEOptionalHeader.pe32Magic: isPlus = false
        case PEOptionalHeader.pe32PlusMagic: isPlus = true
        default:
            throw view.error(at: offset, "optional header magic 0x\(hex(magic)) is neither PE32 (0x10b) nor PE32+ (0x20b)")
        }
        // Offsets of the fields that move between PE32 and PE32+ (pe-format.md, "Optional Header").
        let fixedSize = isPlus ? 112 : 96
        guard size >= fixedSize else {
            throw view.error(at: offset, "optional header is \(size) bytes, too small for the \(fixedSize) fixed bytes of \(isPlus ? "PE32+" : "PE32")")
        }
        func word(_ at: Int) -> UInt64 { isPlus ? view.u64(offset + at) : UInt64(view.u32(offset + at)) }
        let wordSize = isPlus ? 8 : 4
        let stackReserveAt = 72
        let loaderFlagsAt = stackReserveAt + 4 * wordSize
        let directoryCount = Int(view.u32(offset + loaderFlagsAt + 4))
        let directoriesAt = offset + fixedSize
        guard directoryCount <= (size - fixedSize) / 8 else {
            throw view.error(at: offset + loaderFlagsAt + 4,
                             "NumberOfRvaAndSizes (\(directoryCount)) data directories do not fit in the \(size - fixedSize) bytes left in the optional header")
        }
        var directories: [DataDirectoryEntry] = []
        directories.reserveCapacity(directoryCount)
        for index in 0..<directoryCount {
            directories.append(DataDirectoryEntry(rva: view.u32(directoriesAt + 8 * index), size: view.u32(directoriesAt + 8 * index + 4)))
        }
        return PEOptionalHeader(
            magic: magic,
            majorLinkerVersion: view.u8(offset + 2),
            minorLinkerVersion: view.u8(offset + 3),
            sizeOfCode: view.u32(offset + 4),
            sizeOfInitializedData: view.u32(offset + 8),
            sizeOfUninitializedData: view.u32(offset + 12),
            addressOfEntryPoint: view.u32(offset + 16),
            baseOfCode: view.u32(offset + 20),
            baseOfData: isPlus ? nil : view.u32(offset + 24),
            imageBase: isPlus ? view.u64(offset + 24) : UInt64(view.u32(offset + 28)),
            sectionAlignment: view.u32(offset + 32),
            fileAlignment: view.u32(offset + 36),
            majorOperatingSystemVersion: view.u16(offset + 40),
            minorOperatingSystemVersion: view.u16(offset + 42),
            majorImageVersion: view.u16(offset + 44),
            minorImageVersion: view.u16(offset + 46),
            majorSubsystemVersion: view.u16(offset + 48),
            minorSubsystemVersion: view.u16(offset + 50),
            win32VersionValue: view.u32(offset + 52),
            sizeOfImage: view.u32(offset + 56),
            sizeOfHeaders: view.u32(offset + 60),
            checkSum: view.u32(offset + 64),
            subsystem: view.u16(offset + 68),
            dllCharacteristics: view.u16(offset + 70),
            sizeOfStackReserve: word(stackReserveAt),
            sizeOfStackCommit: word(stackReserveAt + wordSize),
            sizeOfHeapReserve: word(stackReserveAt + 2 * wordSize),
            sizeOfHeapCommit: word(stackReserveAt + 3 * wordSize),
            loaderFlags: view.u32(offset + loaderFlagsAt),
            numberOfRvaAndSizes: UInt32(directoryCount),
            dataDirectories: directories,
            checkSumOffset: offset + 64)
    }

    // MARK: - Addressing

    /// The data directory entry, or nil when the header has fewer entries or it is all zero.
    public func directory(_ which: DataDirectory) -> DataDirectoryEntry? {
        guard which.rawValue < optionalHeader.dataDirectories.count else { return nil }
        let entry = optionalHeader.dataDirectories[which.rawValue]
        return entry.isEmpty ? nil : entry
    }

    /// The section whose loaded range contains `rva`.
    /// In a well-formed image sections do not overlap; in one that has them overlap, this is the
    /// one starting last at or below `rva` that contains it, else the first in table order.
    public func section(containing rva: UInt32) -> PESection? {
        var low = 0, high = sectionOrder.count
        while low < high {
            let middle = (low + high) / 2
            if sections[sectionOrder[middle]].virtualAddress <= rva { low = middle + 1 } else { high = middle }
        }
        if low > 0, sections[sectionOrder[low - 1]].contains(rva: rva) { return sections[sectionOrder[low - 1]] }
        // Overlapping sections: a longer one starting earlier may still cover `rva`.
        return sectionsOverlap ? sections.first { $0.contains(rva: rva) } : nil
    }


    /// File offset (relative to `view`) of the byte at `rva`, or nil when no file byte backs it
    /// (outside every section, or in a section's zero-filled tail).
    public func rvaToFileOffset(_ rva: UInt32) -> Int? {
        if let section = section(containing: rva) {
            let delta = rva - section.virtualAddress
            return delta < section.fileBackedSize ? Int(section.pointerToRawData) + Int(delta) : nil
        }
        return Int(rva) < mappedHeaderSize ? Int(rva) : nil
    }

    /// The `count` file bytes at `rva`; they must all lie in one section's file-backed part (or the headers).
    public func bytes(atRVA rva: UInt32, count: Int, what: String = "data") throws -> ByteView {
        try bytes(atRVA: rva, count: count, what: what, referencedFrom: nil)
    }

    /// The NUL-terminated string at `rva`, which must end inside the same section's file data.
    public func cString(atRVA rva: UInt32, what: String = "string") throws -> String {
        try cString(atRVA: rva, what: what, referencedFrom: nil)
    }

    /// `referencedFrom` is the file offset of the field holding the RVA, so errors point at the bad pointer.
    private func bytes(atRVA rva: UInt32, count: Int, what: String, referencedFrom: Int?) throws -> ByteView {
        let (start, available) = try fileRange(atRVA: rva, what: what, referencedFrom: referencedFrom)
        guard count >= 0, count <= available else {
            let endRVA = UInt64(rva) + UInt64(max(count, 0))
            throw view.error(at: referencedFrom ?? start,
                             "\(what) at RVA 0x\(hex(rva)) (\(count) bytes, up to RVA 0x\(hex(endRVA))) extends past the end of \(placeName(rva))'s file data (\(available) bytes left)")
        }
        return try view.slice(start, count, what)
    }

    private func cString(atRVA rva: UInt32, what: String, referencedFrom: Int?, budget: ReadBudget? = nil) throws -> String {
        let (start, available) = try fileRange(atRVA: rva, what: what, referencedFrom: referencedFrom)
        // Scan no further than the budget allows, so a string shared by many entries cannot cost more.
        let scanLength = budget.map { min(available, max($0.remaining, 0)) } ?? available
        let window = try view.slice(start, scanLength, what)
        guard let length = window.cStringLength(at: 0) else {
            if scanLength < available, let budget {
                throw budget.exhausted(view, at: referencedFrom ?? start, what: what)
            }
            throw view.error(at: referencedFrom ?? start,
                             "\(what) at RVA 0x\(hex(rva)) is not NUL-terminated before the end of \(placeName(rva))'s file data")
        }
        try budget?.spend(length + 1, view, at: referencedFrom ?? start, what: what)
        return window.string(0, length)
    }

    /// Start of `rva` in the file and how many file-backed bytes follow it in the same region.
    private func fileRange(atRVA rva: UInt32, what: String, referencedFrom: Int?) throws -> (start: Int, available: Int) {
        if let section = section(containing: rva) {
            let delta = rva - section.virtualAddress
            guard delta < section.fileBackedSize else {
                throw view.error(at: referencedFrom,
                                 "\(what) at RVA 0x\(hex(rva)) lies in the zero-filled part of section \(section.name) (file data ends at RVA 0x\(hex(UInt64(section.virtualAddress) + UInt64(section.fileBackedSize))))")
            }
            return (Int(section.pointerToRawData) + Int(delta), Int(section.fileBackedSize - delta))
        }
        if Int(rva) < mappedHeaderSize {
            return (Int(rva), mappedHeaderSize - Int(rva))
        }
        throw view.error(at: referencedFrom,
                         "\(what) at RVA 0x\(hex(rva)) is not inside any section (size of image 0x\(hex(optionalHeader.sizeOfImage)))")
    }

    private func placeName(_ rva: UInt32) -> String {
        section(containing: rva).map { "section \($0.name)" } ?? "the headers"
    }

    /// Converts a VA stored in the image (TLS fields, pointers) to an RVA, if it lies inside the image.
    public func rva(fromVA address: UInt64) -> UInt32? {
        let base = optionalHeader.imageBase
        guard address >= base, address - base < UInt64(optionalHeader.sizeOfImage) else { return nil }
        return UInt32(address - base)
    }

    // MARK: - Exports

    private func readExports(_ budget: ReadBudget) throws -> ExportTable? {
        guard let directory = directory(.export) else { return nil }
        let what = "export directory"
        let table = try bytes(atRVA: directory.rva, count: PEImage.exportDirectorySize, what: what,
                              referencedFrom: directoryFieldOffset(.export))
        let nameRVA = table.u32(12)
        let ordinalBase = table.u32(16)
        let addressCount = Int(table.u32(20))
        let nameCount = Int(table.u32(24))
        let addressTableRVA = table.u32(28)
        let namePointerRVA = table.u32(32)
        let ordinalTableRVA = table.u32(36)
        let dllName = try cString(atRVA: nameRVA, what: "export directory DLL name", referencedFrom: table.offset - view.offset + 12)
        guard UInt64(ordinalBase) + UInt64(addressCount) <= UInt64(UInt32.max) + 1 else {
            throw view.error(at: table.offset - view.offset + 16,
                             "export ordinal base \(ordinalBase) plus \(addressCount) address table entries overflows 32 bits")
        }

        let addressTable = addressCount == 0 ? try view.slice(0, 0, "export address table")
            : try bytes(atRVA: addressTableRVA, count: addressCount * 4, what: "export address table (\(addressCount) entries)",
                        referencedFrom: table.offset - view.offset + 28)
        var namesBySlot: [Int: [String]] = [:]
        var namesAreSorted = true
        if nameCount > 0 {
            let namePointers = try bytes(atRVA: namePointerRVA, count: nameCount * 4,
                                         what: "export name pointer table (\(nameCount) entries)",
                                         referencedFrom: table.offset - view.offset + 32)
            let ordinals = try bytes(atRVA: ordinalTableRVA, count: nameCount * 2,
                                     what: "export ordinal table (\(nameCount) entries)",
                                     referencedFrom: table.offset - view.offset + 36)
            var previous: [UInt8]?
            for index in 0..<nameCount {
                let slot = Int(ordinals.u16(2 * index))
                guard slot < addressCount else {
                    throw view.error(at: ordinals.offset - view.offset + 2 * index,
                                     "export ordinal table entry \(index) (\(slot)) is past the \(addressCount)-entry export address table")
                }
                let name = try cString(atRVA: namePointers.u32(4 * index), what: "export name pointer table entry \(index)",
                                       referencedFrom: namePointers.offset - view.offset + 4 * index, budget: budget)
                let nameBytes = Array(name.utf8)
                if let previous, !previous.lexicographicallyPrecedes(nameBytes) { namesAreSorted = false }
                previous = nameBytes
                namesBySlot[slot, default: []].append(name)
            }
        }

        let directoryEnd = UInt64(directory.rva) + UInt64(directory.size)
        var entries: [ExportEntry] = []
        entries.reserveCapacity(addressCount)
        for slot in 0..<addressCount {
            let rva = addressTable.u32(4 * slot)
            var forwarder: String?
            // An address inside the export directory's own range is a forwarder string, not code or data.
            if rva != 0, rva >= directory.rva, UInt64(rva) < directoryEnd {
                forwarder = try cString(atRVA: rva, what: "forwarder string of export ordinal \(UInt64(ordinalBase) + UInt64(slot))",
                                        referencedFrom: addressTable.offset - view.offset + 4 * slot, budget: budget)
            }
            entries.append(ExportEntry(ordinal: UInt32(UInt64(ordinalBase) + UInt64(slot)), rva: rva, forwarder: forwarder,
                                       names: namesBySlot[slot] ?? []))
        }
        return ExportTable(flags: table.u32(0), timeDateStamp: table.u32(4), majorVersion: table.u16(8), minorVersion: table.u16(10),
                           dllName: dllName, ordinalBase: ordinalBase, addressTableRVA: addressTableRVA,
                           namePointerTableRVA: namePointerRVA, ordinalTableRVA: ordinalTableRVA, numberOfNames: nameCount,
                           entries: entries, namesAreSorted: namesAreSorted)
    }

    /// File offset of a data directory entry in the optional header, for error messages.
    private func directoryFieldOffset(_ which: DataDirectory) -> Int {
        peHeaderOffset + 4 + PEImage.fileHeaderSize + (is64Bit ? 112 : 96) + 8 * which.rawValue
    }

    // MARK: - Imports

    private func readImports(_ budget: ReadBudget) throws -> [ImportedDLL] {
        guard let directory = directory(.import) else { return [] }
        var result: [ImportedDLL] = []
        var descriptorRVA = directory.rva
        // Each step consumes 20 bytes of file data, so the walk ends at the null entry or fails at
        // the end of the section.
        while true {
            let descriptor = try bytes(atRVA: descriptorRVA, count: PEImage.importDescriptorSize,
                                       what: "import directory entry \(result.count)",
                                       referencedFrom: result.isEmpty ? directoryFieldOffset(.import) : nil)
            let lookupRVA = descriptor.u32(0), nameRVA = descriptor.u32(12), addressRVA = descriptor.u32(16)
            if lookupRVA == 0 && descriptor.u32(4) == 0 && descriptor.u32(8) == 0 && nameRVA == 0 && addressRVA == 0 { break }
            let descriptorOffset = descriptor.offset - view.offset
            let name = try cString(atRVA: nameRVA, what: "name of import directory entry \(result.count)",
                                   referencedFrom: descriptorOffset + 12, budget: budget)
            let entries = try readThunks(lookupRVA: lookupRVA != 0 ? lookupRVA : addressRVA, addressRVA: addressRVA,
                                         lookupField: descriptorOffset + (lookupRVA != 0 ? 0 : 16), dll: name, kind: "import",
                                         budget: budget)
            result.append(ImportedDLL(name: name, lookupTableRVA: lookupRVA, addressTableRVA: addressRVA,
                                      timeDateStamp: descriptor.u32(4), forwarderChain: descriptor.u32(8), entries: entries))
            descriptorRVA &+= UInt32(PEImage.importDescriptorSize)
        }
        return result
    }

    /// Walks an import lookup (or name) table to its null entry and checks the matching address table has room.
    private func readThunks(lookupRVA: UInt32, addressRVA: UInt32, lookupField: Int, dll: String, kind: String,
                            budget: ReadBudget) throws -> [ImportedSymbol] {
        let thunkSize = is64Bit ? 8 : 4
        let ordinalFlag: UInt64 = is64Bit ? 1 << 63 : 1 << 31
        let what = "\(kind) lookup table of \(dll)"
        let (start, available) = try fileRange(atRVA: lookupRVA, what: what, referencedFrom: lookupField)
        let table = try view.slice(start, available, what)
        var entries: [ImportedSymbol] = []
        var index = 0
        while true {
            let at = index * thunkSize
            guard at + thunkSize <= table.count else {
                throw view.error(at: start + at, "\(what) at RVA 0x\(hex(lookupRVA)) has no null terminator before the end of \(placeName(lookupRVA))'s file data")
            }
            try budget.spend(thunkSize, view, at: start + at, what: what)
            let thunk = is64Bit ? table.u64(at) : UInt64(table.u32(at))
            if thunk == 0 { break }
            let iatRVA = addressRVA &+ UInt32(truncatingIfNeeded: at)
            if thunk & ordinalFlag != 0 {
                entries.append(ImportedSymbol(reference: .ordinal(UInt16(truncatingIfNeeded: thunk)), iatRVA: iatRVA, hintNameRVA: nil))
            } else {
                guard thunk <= 0x7FFF_FFFF else {
                    throw view.error(at: start + at, "\(what) entry \(index) (0x\(hex(thunk))) has bits set above the 31-bit hint/name RVA")
                }
                let hintNameRVA = UInt32(thunk)
                let hint = try bytes(atRVA: hintNameRVA, count: 2, what: "hint of \(what) entry \(index)", referencedFrom: start + at).u16(0)
                let name = try cString(atRVA: hintNameRVA &+ 2, what: "name of \(what) entry \(index)", referencedFrom: start + at,
                                       budget: budget)
                entries.append(ImportedSymbol(reference: .name(hint: hint, name: name), iatRVA: iatRVA, hintNameRVA: hintNameRVA))
            }
            index += 1
        }
        // The address table parallels the lookup table, null entry included.
        _ = try bytes(atRVA: addressRVA, count: (entries.count + 1) * thunkSize,
                      what: "\(kind) address table of \(dll) (\(entries.count + 1) entries)", referencedFrom: nil)
        return entries
    }

    private func readDelayImports(_ budget: ReadBudget) throws -> [DelayImportedDLL] {
        guard let directory = directory(.delayImport) else { return [] }
        var result: [DelayImportedDLL] = []
        var descriptorRVA = directory.rva
        while true {
            let descriptor = try bytes(atRVA: descriptorRVA, count: PEImage.delayImportDescriptorSize,
                                       what: "delay-load directory entry \(result.count)",
                                       referencedFrom: result.isEmpty ? directoryFieldOffset(.delayImport) : nil)
            let fields = (0..<8).map { descriptor.u32(4 * $0) }
            if fields.allSatisfy({ $0 == 0 }) { break }
            let descriptorOffset = descriptor.offset - view.offset
            guard fields[0] & 1 != 0 else {
                throw view.error(at: descriptorOffset, "delay-load directory entry \(result.count) holds VAs (attributes bit 0 clear); only the RVA form is supported")
            }
            let name = try cString(atRVA: fields[1], what: "name of delay-load directory entry \(result.count)",
                                   referencedFrom: descriptorOffset + 4, budget: budget)
            let entries = try readThunks(lookupRVA: fields[4], addressRVA: fields[3], lookupField: descriptorOffset + 16,
                                         dll: name, kind: "delay-load", budget: budget)
            result.append(DelayImportedDLL(attributes: fields[0], name: name, moduleHandleRVA: fields[2], addressTableRVA: fields[3],
                                           nameTableRVA: fields[4], boundAddressTableRVA: fields[5], unloadAddressTableRVA: fields[6],
                                           timeDateStamp: fields[7], entries: entries))
            descriptorRVA &+= UInt32(PEImage.delayImportDescriptorSize)
        }
        return result
    }

    // MARK: - Base relocations

    private func readBaseRelocations() throws -> [BaseRelocationBlock] {
        guard let directory = directory(.baseRelocation) else { return [] }
        let table = try bytes(atRVA: directory.rva, count: Int(directory.size), what: "base relocation table",
                              referencedFrom: directoryFieldOffset(.baseRelocation))
        let tableOffset = table.offset - view.offset
        var blocks: [BaseRelocationBlock] = []
        var at = 0
        // Every block is at least 8 bytes, so the walk advances on each step.
        while at < table.count {
            try table.check(at, 8, "base relocation block header")
            let pageRVA = table.u32(at)
            let blockSize = Int(table.u32(at + 4))
            guard blockSize >= 8, (blockSize - 8) % 2 == 0 else {
                throw view.error(at: tableOffset + at + 4,
                                 "base relocation block for page 0x\(hex(pageRVA)) has size \(blockSize); it must be 8 plus a whole number of 2-byte entries")
            }
            guard blockSize <= table.count - at else {
                throw view.error(at: tableOffset + at + 4,
                                 "base relocation block for page 0x\(hex(pageRVA)) (\(blockSize) bytes) extends past the end of the \(table.count)-byte base relocation table")
            }
            var entries: [BaseRelocation] = []
            entries.reserveCapacity((blockSize - 8) / 2)
            for entryAt in stride(from: at + 8, to: at + blockSize, by: 2) {
                let raw = table.u16(entryAt)
                let type = raw >> 12
                let rva = UInt64(pageRVA) + UInt64(raw & 0xFFF)
                if type != BaseRelocationType.absolute, rva >= UInt64(optionalHeader.sizeOfImage) {
                    throw view.error(at: tableOffset + entryAt,
                                     "base relocation at RVA 0x\(hex(rva)) (page 0x\(hex(pageRVA))) is past the end of the image (0x\(hex(optionalHeader.sizeOfImage)))")
                }
                entries.append(BaseRelocation(rva: UInt32(truncatingIfNeeded: rva), type: type))
            }
            blocks.append(BaseRelocationBlock(pageRVA: pageRVA, blockSize: UInt32(blockSize), entries: entries))
            at += blockSize
        }
        return blocks
    }

    // MARK: - TLS, load config, exceptions, debug

    private func readTLS() throws -> TLSDirectory? {
        guard let directory = directory(.tls) else { return nil }
        let wordSize = is64Bit ? 8 : 4
        let table = try bytes(atRVA: directory.rva, count: 4 * wordSize + 8, what: "TLS directory",
                              referencedFrom: directoryFieldOffset(.tls))
        func word(_ index: Int) -> UInt64 { is64Bit ? table.u64(8 * index) : UInt64(table.u32(4 * index)) }
        let callbacksVA = word(3)
        var callbacks: [UInt64] = []
        if callbacksVA != 0 {
            guard let callbacksRVA = rva(fromVA: callbacksVA) else {
                throw view.error(at: table.offset - view.offset + 3 * wordSize,
                                 "TLS callback array address 0x\(hex(callbacksVA)) is outside the image")
            }
            let what = "TLS callback array"
            let (start, available) = try fileRange(atRVA: callbacksRVA, what: what, referencedFrom: table.offset - view.offset + 3 * wordSize)
            let array = try view.slice(start, available, what)
            var at = 0
            while true {
                guard at + wordSize <= array.count else {
                    throw view.error(at: start, "\(what) at RVA 0x\(hex(callbacksRVA)) has no null terminator before the end of \(placeName(callbacksRVA))'s file data")
                }
                let callback = is64Bit ? array.u64(at) : UInt64(array.u32(at))
                if callback == 0 { break }
                callbacks.append(callback)
                at += wordSize
            }
        }
        return TLSDirectory(rawDataStartVA: word(0), rawDataEndVA: word(1), addressOfIndex: word(2), addressOfCallbacks: callbacksVA,
                            sizeOfZeroFill: table.u32(4 * wordSize), characteristics: table.u32(4 * wordSize + 4),
                            callbacks: callbacks)
    }

    private func readLoadConfig() throws -> LoadConfigSummary? {
        guard let directory = directory(.loadConfig) else { return nil }
        let head = try bytes(atRVA: directory.rva, count: 4, what: "load configuration structure",
                             referencedFrom: directoryFieldOffset(.loadConfig))
        var summary = LoadConfigSummary(directorySize: directory.size, structureSize: head.u32(0))
        // IMAGE_LOAD_CONFIG_DIRECTORY32: SEHandlerTable at 0x40, SEHandlerCount at 0x44.
        if !is64Bit && summary.structureSize >= 0x48 && directory.size >= 0x48 {
            let structure = try bytes(atRVA: directory.rva, count: 0x48, what: "load configuration structure",
                                      referencedFrom: directoryFieldOffset(.loadConfig))
            let table = structure.u32(0x40), count = structure.u32(0x44)
            summary.seHandlerTable = table
            summary.seHandlerCount = count
            if table != 0 && count > 0 {
                guard count <= 0x10000, UInt64(table) >= optionalHeader.imageBase else {
                    throw view.error(at: nil, "load configuration: SEHandlerTable 0x\(hex(table)) with \(count) entries is not a table inside the image")
                }
                let entries = try bytes(atRVA: UInt32(UInt64(table) - optionalHeader.imageBase), count: 4 * Int(count),
                                        what: "SAFESEH handler table (\(count) entries)", referencedFrom: nil)
                summary.seHandlers = (0..<Int(count)).map { entries.u32(4 * $0) }
            }
        }
        return summary
    }

    private func readExceptionEntries() throws -> [ExceptionEntry] {
        guard let directory = directory(.exception) else { return [] }
        // x64 RUNTIME_FUNCTION has begin, end and unwind RVAs; ARM and ARM64 drop the end address.
        let hasEndAddress = fileHeader.machine != Machine.arm64.rawValue && fileHeader.machine != Machine.armnt.rawValue
        let entrySize = hasEndAddress ? 12 : 8
        guard Int(directory.size) % entrySize == 0 else {
            throw view.error(at: directoryFieldOffset(.exception) + 4,
                             "exception directory size \(directory.size) is not a multiple of the \(entrySize)-byte function table entry")
        }
        let count = Int(directory.size) / entrySize
        let table = try bytes(atRVA: directory.rva, count: Int(directory.size), what: "exception directory (\(count) entries)",
                              referencedFrom: directoryFieldOffset(.exception))
        return (0..<count).map { index in
            let at = index * entrySize
            return hasEndAddress
                ? ExceptionEntry(beginRVA: table.u32(at), endRVA: table.u32(at + 4), unwindData: table.u32(at + 8))
                : ExceptionEntry(beginRVA: table.u32(at), endRVA: nil, unwindData: table.u32(at + 4))
        }
    }

    private func readDebugEntries() throws -> [DebugDirectoryEntry] {
        guard let directory = directory(.debug) else { return [] }
        guard Int(directory.size) % PEImage.debugEntrySize == 0 else {
            throw view.error(at: directoryFieldOffset(.debug) + 4,
                             "debug directory size \(directory.size) is not a multiple of the \(PEImage.debugEntrySize)-byte entry")
        }
        let count = Int(directory.size) / PEImage.debugEntrySize
        let table = try bytes(atRVA: directory.rva, count: Int(directory.size), what: "debug directory (\(count) entries)",
                              referencedFrom: directoryFieldOffset(.debug))
        return (0..<count).map { index in
            let at = index * PEImage.debugEntrySize
            return DebugDirectoryEntry(characteristics: table.u32(at), timeDateStamp: table.u32(at + 4),
                                       majorVersion: table.u16(at + 8), minorVersion: table.u16(at + 10), type: table.u32(at + 12),
                                       sizeOfData: table.u32(at + 16), addressOfRawData: table.u32(at + 20),
                                       pointerToRawData: table.u32(at + 24))
        }
    }

    // MARK: - Checksum

    /// The image checksum as the loader verifies it: 16-bit one's-complement-style sum of the file
    /// with the CheckSum field taken as zero, folded to 16 bits, plus the file length.
    public func computeChecksum() -> UInt32 {
        var sum: UInt64 = 0
        let count = view.count
        let checkSumAt = optionalHeader.checkSumOffset
        var at = 0
        while at + 1 < count {
            if at != checkSumAt && at != checkSumAt + 2 {
                sum += UInt64(view.u16(at))
                sum = (sum & 0xFFFF) + (sum >> 16)
            }
            at += 2
        }
        if count % 2 == 1 {
            sum += UInt64(view.u8(count - 1))
            sum = (sum & 0xFFFF) + (sum >> 16)
        }
        sum = (sum & 0xFFFF) + (sum >> 16)
        return UInt32(truncatingIfNeeded: sum + UInt64(count))
    }
}

/// How many bytes the export and import readers may still examine. A well-formed image reads each
/// table byte about once, so eight times the file size (plus slack for tiny files) is never reached.
private final class ReadBudget {
    var remaining: Int

    init(fileSize: Int) {
        remaining = 8 * fileSize + (1 << 20)
    }

    func spend(_ amount: Int, _ view: ByteView, at offset: Int, what: String) throws {
        remaining -= amount
        if remaining < 0 { throw exhausted(view, at: offset, what: what) }
    }

    func exhausted(_ view: ByteView, at offset: Int, what: String) -> FormatError {
        view.error(at: offset, "\(what): the export and import tables overlap so much that reading them would take more than 8 times the file size; the image is malformed")
    }
}

/// Lower-case hex without prefix, for messages.
private func hex<T: BinaryInteger>(_ value: T) -> String { String(value, radix: 16) }
