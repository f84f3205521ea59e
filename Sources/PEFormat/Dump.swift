// Stable text dumps of images and libraries for golden files. The golden files are committed and
// reviewed as diffs, so the format keeps one fact per line where it can, fixed column widths in
// tables, no file paths (they differ between machines) and a content digest per section so that a
// byte change anywhere shows up even when no table changed.

/// The parts of a dump `pelink /dump` selects (/headers, /sections, ...); `.all` by default.
public struct DumpParts: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// File and optional headers, data directories, TLS, load configuration, exception and debug directories.
    public static let headers = DumpParts(rawValue: 1)
    /// Section headers and content digests (of members too, in libraries and objects).
    public static let sections = DumpParts(rawValue: 2)
    public static let exports = DumpParts(rawValue: 4)
    /// Imports and delay-load imports (import objects, in libraries).
    public static let imports = DumpParts(rawValue: 8)
    /// Base relocations.
    public static let relocations = DumpParts(rawValue: 16)
    public static let resources = DumpParts(rawValue: 32)
    /// COFF symbols of objects and members; a library's symbol directory.
    public static let symbols = DumpParts(rawValue: 64)
    public static let all: DumpParts = [.headers, .sections, .exports, .imports, .relocations, .resources, .symbols]
}

public enum PEDump {
    // MARK: - Entry points

    public static func dumpImage(path: String) throws -> String {
        let file = try MappedFile(path: path)
        return dumpImage(try PEImage(view: file.view))
    }

    public static func dumpLibrary(path: String) throws -> String {
        let file = try MappedFile(path: path)
        return try dumpLibrary(try Archive(view: file.view))
    }

    /// Dumps an image, a library, a COFF object or a short import object, whichever `path` holds.
    public static func dumpFile(path: String) throws -> String {
        let file = try MappedFile(path: path)
        return try dumpFile(file.view)
    }

    /// Dumps an image, a library, a COFF object or a short import object, whichever `view` holds.
    public static func dumpFile(_ view: ByteView, parts: DumpParts = .all) throws -> String {
        if Archive.isArchive(view) { return try dumpLibrary(try Archive(view: view), parts: parts) }
        if PEImage.isImage(view) { return try dumpImage(try PEImage(view: view), parts: parts) }
        var out = TextOut()
        try dumpMember(view, parts: parts, into: &out)
        return out.text
    }

    // MARK: - Images

    /// The whole dump, resources aside (reading them can fail; `dumpImage(_:parts:)` reads them).
    public static func dumpImage(_ image: PEImage) -> String {
        (try? dumpImage(image, parts: DumpParts.all.subtracting(.resources))) ?? ""
    }

    public static func dumpImage(_ image: PEImage, parts: DumpParts) throws -> String {
        var out = TextOut()
        if parts.contains(.headers) {
            dumpFileHeader(image, into: &out)
            dumpOptionalHeader(image, into: &out)
            dumpDataDirectories(image, into: &out)
        }
        if parts.contains(.sections) { dumpSections(image, into: &out) }
        if parts.contains(.exports), let exports = image.exports { dumpExports(exports, into: &out) }
        if parts.contains(.imports) {
            if !image.imports.isEmpty { dumpImports(image, into: &out) }
            if !image.delayImports.isEmpty { dumpDelayImports(image, into: &out) }
        }
        if parts.contains(.relocations) && !image.baseRelocationBlocks.isEmpty { dumpBaseRelocations(image, into: &out) }
        if parts.contains(.resources) {
            let resources = try image.resources()
            if !resources.isEmpty {
                if !out.text.isEmpty { out.text += "\n" }
                out.text += dumpResources(resources)
            }
        }
        guard parts.contains(.headers) else { return out.text }
        if let tls = image.tls { dumpTLS(tls, image: image, into: &out) }
        if let loadConfig = image.loadConfig {
            out.heading("Load configuration")
            out.field("directory size", hex(loadConfig.directorySize))
            out.field("structure size", hex(loadConfig.structureSize))
            if let table = loadConfig.seHandlerTable, let count = loadConfig.seHandlerCount {
                out.field("SEHandlerTable", hex(table))
                out.field("SEHandlerCount", String(count))
                for handler in loadConfig.seHandlers { out.field("  handler", hex(handler)) }
            }
        }
        if !image.exceptionEntries.isEmpty { dumpExceptionEntries(image, into: &out) }
        if !image.debugEntries.isEmpty { dumpDebugEntries(image, into: &out) }
        return out.text
    }

    private static func dumpFileHeader(_ image: PEImage, into out: inout TextOut) {
        let header = image.fileHeader
        out.heading("File header")
        out.field("file size", "\(image.view.count)")
        out.field("PE header offset", hex(image.peHeaderOffset))
        out.field("machine", machineText(header.machine))
        out.field("number of sections", "\(header.numberOfSections)")
        out.field("timestamp", hex8(header.timeDateStamp))
        out.field("symbol table", "\(hex(header.pointerToSymbolTable)) (\(header.numberOfSymbols) symbols)")
        out.field("optional header size", "\(header.sizeOfOptionalHeader)")
        out.field("characteristics", flagsText(UInt32(header.characteristics), width: 4, names: fileCharacteristicNames))
    }

    private static func dumpOptionalHeader(_ image: PEImage, into out: inout TextOut) {
        let header = image.optionalHeader
        out.heading("Optional header (\(header.isPE32Plus ? "PE32+" : "PE32"))")
        out.field("linker version", "\(header.majorLinkerVersion).\(header.minorLinkerVersion)")
        out.field("size of code", hex(header.sizeOfCode))
        out.field("size of initialized data", hex(header.sizeOfInitializedData))
        out.field("size of uninitialized data", hex(header.sizeOfUninitializedData))
        out.field("entry point", rvaText(header.addressOfEntryPoint, image))
        out.field("base of code", hex(header.baseOfCode))
        if let baseOfData = header.baseOfData { out.field("base of data", hex(baseOfData)) }
        out.field("image base", hex(header.imageBase))
        out.field("section alignment", hex(header.sectionAlignment))
        out.field("file alignment", hex(header.fileAlignment))
        out.field("OS version", "\(header.majorOperatingSystemVersion).\(header.minorOperatingSystemVersion)")
        out.field("image version", "\(header.majorImageVersion).\(header.minorImageVersion)")
        out.field("subsystem version", "\(header.majorSubsystemVersion).\(header.minorSubsystemVersion)")
        out.field("win32 version value", "\(header.win32VersionValue)")
        out.field("size of image", hex(header.sizeOfImage))
        out.field("size of headers", hex(header.sizeOfHeaders))
        out.field("checksum", "\(hex8(header.checkSum)) (computed \(hex8(image.computeChecksum())))")
        out.field("subsystem", "\(header.subsystem) (\(subsystemNames[header.subsystem] ?? "unknown"))")
        out.field("DLL characteristics", flagsText(UInt32(header.dllCharacteristics), width: 4, names: dllCharacteristicNames))
        out.field("stack reserve", hex(header.sizeOfStackReserve))
        out.field("stack commit", hex(header.sizeOfStackCommit))
        out.field("heap reserve", hex(header.sizeOfHeapReserve))
        out.field("heap commit", hex(header.sizeOfHeapCommit))
        out.field("loader flags", hex(header.loaderFlags))
        out.field("data directories", "\(header.numberOfRvaAndSizes)")
    }

    private static func dumpDataDirectories(_ image: PEImage, into out: inout TextOut) {
        let directories = image.optionalHeader.dataDirectories
        guard directories.contains(where: { !$0.isEmpty }) else { return }
        out.heading("Data directories (non-empty)")
        for (index, entry) in directories.enumerated() where !entry.isEmpty {
            let name = index < directoryNames.count ? directoryNames[index] : "DIRECTORY_\(index)"
            var place: String
            if index == DataDirectory.security.rawValue {
                // The certificate table is not loaded: its "RVA" is a file offset.
                place = "file offset"
            } else if let section = image.section(containing: entry.rva) {
                place = "in \(section.name)"
                if UInt64(entry.rva) + UInt64(entry.size) > UInt64(section.virtualAddress) + UInt64(section.loadedSize) {
                    place += ", EXTENDS PAST THE SECTION"
                }
            } else {
                place = Int(entry.rva) < Int(image.optionalHeader.sizeOfHeaders) ? "in the headers" : "OUTSIDE EVERY SECTION"
            }
            out.line("  \(pad(name, 16)) \(hex8(entry.rva))  size \(pad(hex(entry.size), 10)) \(place)")
        }
    }

    private static func dumpSections(_ image: PEImage, into out: inout TextOut) {
        out.heading("Sections (\(image.sections.count))")
        out.line("  #   name      virt size   RVA         raw size    file offset flags")
        for (index, section) in image.sections.enumerated() {
            var text = "  \(pad("\(index + 1)", 3)) \(pad(section.name, 9)) \(hex8(section.virtualSize))  \(hex8(section.virtualAddress))  "
                + "\(hex8(section.sizeOfRawData))  \(hex8(section.pointerToRawData))  "
                + sectionFlagsText(section.characteristics)
            if section.numberOfRelocations != 0 || section.pointerToRelocations != 0 {
                text += " [relocations \(section.numberOfRelocations) at \(hex(section.pointerToRelocations))]"
            }
            if section.numberOfLinenumbers != 0 || section.pointerToLinenumbers != 0 {
                text += " [line numbers \(section.numberOfLinenumbers) at \(hex(section.pointerToLinenumbers))]"
            }
            out.line(text)
        }
        out.heading("Section contents (FNV-1a 64 of the raw data)")
        for section in image.sections {
            // The raw data range was checked when the image was read.
            let data = section.sizeOfRawData == 0 ? nil
                : try? image.view.slice(Int(section.pointerToRawData), Int(section.sizeOfRawData), "raw data of \(section.name)")
            let digest = data.map { hex16(fnv1a64($0.rawBuffer)) } ?? "(no raw data)"
            out.line("  \(pad(section.name, 9)) \(pad(hex(section.sizeOfRawData), 10)) \(digest)")
        }
    }

    private static func dumpExports(_ exports: ExportTable, into out: inout TextOut) {
        out.heading("Exports")
        out.field("DLL name", exports.dllName)
        out.field("ordinal base", "\(exports.ordinalBase)")
        out.field("timestamp", hex8(exports.timeDateStamp))
        out.field("version", "\(exports.majorVersion).\(exports.minorVersion)")
        out.field("flags", hex(exports.flags))
        out.field("address table", "\(hex(exports.addressTableRVA)), \(counted(exports.entries.count, "entry", "entries"))")
        out.field("name pointer table", "\(hex(exports.namePointerTableRVA)), \(counted(exports.numberOfNames, "name"))")
        out.field("ordinal table", hex(exports.ordinalTableRVA))
        if !exports.namesAreSorted {
            out.line("  WARNING: the name pointer table is not in ascending order; the loader's binary search will miss names")
        }
        let unused = exports.entries.count(where: { $0.isUnused })
        if unused > 0 { out.field("unused slots", "\(unused)") }
        out.line("  ordinal  RVA         name")
        for entry in exports.entries where !entry.isUnused {
            var text = entry.names.isEmpty ? "NONAME" : entry.names.joined(separator: ", ")
            if let forwarder = entry.forwarder { text += " -> \(forwarder)" }
            out.line("  \(padLeft("\(entry.ordinal)", 7))  \(hex8(entry.rva))  \(text)")
        }
    }

    private static func dumpImports(_ image: PEImage, into out: inout TextOut) {
        out.heading("Imports (\(counted(image.imports.count, "DLL")))")
        for dll in image.imports {
            out.line("  \(dll.name)")
            out.line("    lookup table \(hex(dll.lookupTableRVA)), address table \(hex(dll.addressTableRVA)), "
                + "timestamp \(hex(dll.timeDateStamp)), forwarder chain \(hex(dll.forwarderChain))")
            dumpImportedSymbols(dll.entries, into: &out)
        }
    }

    private static func dumpDelayImports(_ image: PEImage, into out: inout TextOut) {
        out.heading("Delay-load imports (\(counted(image.delayImports.count, "DLL")))")
        for dll in image.delayImports {
            out.line("  \(dll.name)")
            out.line("    attributes \(hex(dll.attributes)), module handle \(hex(dll.moduleHandleRVA)), "
                + "address table \(hex(dll.addressTableRVA)), name table \(hex(dll.nameTableRVA))")
            out.line("    bound address table \(hex(dll.boundAddressTableRVA)), unload address table \(hex(dll.unloadAddressTableRVA)), "
                + "timestamp \(hex(dll.timeDateStamp))")
            dumpImportedSymbols(dll.entries, into: &out)
        }
    }

    private static func dumpImportedSymbols(_ entries: [ImportedSymbol], into out: inout TextOut) {
        out.line("    IAT slot    hint   name")
        for entry in entries {
            switch entry.reference {
            case .name(let hint, let name):
                out.line("    \(hex8(entry.iatRVA))  \(padLeft("\(hint)", 5))  \(name)")
            case .ordinal(let ordinal):
                out.line("    \(hex8(entry.iatRVA))         #\(ordinal)")
            }
        }
    }

    private static func dumpBaseRelocations(_ image: PEImage, into out: inout TextOut) {
        let blocks = image.baseRelocationBlocks
        let padding = image.baseRelocationPaddingCount
        let total = blocks.reduce(0) { $0 + $1.entries.count } - padding
        out.heading("Base relocations (\(counted(blocks.count, "block")), \(counted(total, "entry", "entries")), \(padding) ABSOLUTE padding)")
        let machine = image.fileHeader.machine
        for block in blocks {
            let real = block.entries.filter { $0.type != BaseRelocationType.absolute }
            var text = "  page \(hex8(block.pageRVA)) (\(real.count)):"
            // Consecutive entries of one type share a type label: "DIR64 0x1008 0x1010 HIGHLOW 0x1020".
            var currentType: UInt16?
            for entry in real {
                if entry.type != currentType {
                    text += " \(baseRelocationTypeName(entry.type, machine: machine))"
                    currentType = entry.type
                }
                text += " \(hex(entry.rva))"
            }
            let blockPadding = block.entries.count - real.count
            if blockPadding > 0 { text += " +\(blockPadding) ABSOLUTE" }
            if block.blockSize % 4 != 0 { text += " [block size \(block.blockSize) is not a multiple of 4]" }
            out.line(text)
        }
    }

    private static func dumpTLS(_ tls: TLSDirectory, image: PEImage, into out: inout TextOut) {
        out.heading("TLS directory")
        out.field("raw data", "\(hex(tls.rawDataStartVA)) .. \(hex(tls.rawDataEndVA))")
        out.field("address of index", hex(tls.addressOfIndex))
        out.field("address of callbacks", hex(tls.addressOfCallbacks))
        if !tls.callbacks.isEmpty {
            out.field("callbacks", tls.callbacks.map { hex($0) }.joined(separator: " "))
        }
        out.field("size of zero fill", hex(tls.sizeOfZeroFill))
        out.field("characteristics", hex(tls.characteristics))
    }

    private static func dumpExceptionEntries(_ image: PEImage, into out: inout TextOut) {
        let entries = image.exceptionEntries
        out.heading("Exception directory (\(counted(entries.count, "function entry", "function entries")))")
        let sorted = zip(entries, entries.dropFirst()).allSatisfy { $0.beginRVA < $1.beginRVA }
        if !sorted { out.line("  WARNING: entries are not sorted by begin address") }
        for entry in entries {
            if let end = entry.endRVA {
                out.line("  \(hex8(entry.beginRVA)) .. \(hex8(end))  unwind \(hex8(entry.unwindData))")
            } else {
                out.line("  \(hex8(entry.beginRVA))  unwind \(hex8(entry.unwindData))")
            }
        }
    }

    private static func dumpDebugEntries(_ image: PEImage, into out: inout TextOut) {
        out.heading("Debug directory (\(counted(image.debugEntries.count, "entry", "entries")))")
        for entry in image.debugEntries {
            let typeName = debugTypeNames[entry.type] ?? "unknown"
            out.line("  type \(entry.type) (\(typeName)), size \(hex(entry.sizeOfData)), RVA \(hex(entry.addressOfRawData)), "
                + "file offset \(hex(entry.pointerToRawData)), timestamp \(hex8(entry.timeDateStamp)), "
                + "version \(entry.majorVersion).\(entry.minorVersion)")
        }
    }

    // MARK: - Libraries

    public static func dumpLibrary(_ archive: Archive, parts: DumpParts = .all) throws -> String {
        var out = TextOut()
        let layout: String
        switch archive.layout {
        case .msvc: layout = "MSVC (two linker members)"
        case .gnu: layout = "GNU (one symbol table)"
        case .noSymbolTable: layout = "no symbol table"
        }
        out.heading("Library")
        out.field("file size", "\(archive.view.count)")
        out.field("layout", layout)
        out.field("members", "\(archive.members.count)")
        out.field("symbols", "\(archive.symbols.count)")

        out.heading("Members")
        out.line("     #      size  name")
        for (index, member) in archive.members.enumerated() {
            out.line("  \(padLeft("\(index)", 4))  \(padLeft("\(member.data.count)", 8))  \(member.name)")
        }

        if parts.contains(.symbols) {
            out.heading("Symbol directory (file order)")
            out.line("  member  symbol")
            for symbol in archive.symbols {
                out.line("  \(padLeft("\(symbol.memberIndex)", 6))  \(symbol.name)")
            }
        }

        // Members: their sections, symbols and import objects, as selected.
        guard !parts.isDisjoint(with: [.sections, .symbols, .imports, .exports, .relocations]) else { return out.text }
        for (index, member) in archive.members.enumerated() {
            out.heading("Member \(index): \(member.name)")
            try dumpMember(member.data, parts: parts, into: &out)
        }
        return out.text
    }

    private static func dumpMember(_ view: ByteView, parts: DumpParts = .all, into out: inout TextOut) throws {
        let kind = FileKind.identify(view)
        if kind == .importObject {
            out.line("  " + importObjectLine(try ImportObject(view: view)))
        } else if kind == .coffObject || kind == .bigObject {
            try dumpObject(try COFFObject(view: view), parts: parts, into: &out)
        } else {
            out.line("  unrecognized member, \(view.count) bytes, FNV-1a 64 \(hex16(fnv1a64(view.rawBuffer)))")
        }
    }

    /// `import  <machine> <type> <name type> hint N | #ordinal  symbol  dll  [exportas name]`
    private static func importObjectLine(_ object: ImportObject) -> String {
        let type: String
        switch object.type {
        case .code: type = "code"
        case .data: type = "data"
        case .const: type = "const"
        }
        let nameType: String
        switch object.nameType {
        case .ordinal: nameType = "ordinal"
        case .name: nameType = "name"
        case .noPrefix: nameType = "noprefix"
        case .undecorate: nameType = "undecorate"
        case .exportAs: nameType = "exportas"
        }
        let number = object.nameType == .ordinal ? "#\(object.ordinalOrHint)" : "hint \(object.ordinalOrHint)"
        var text = "import  \(object.machine.optionName) \(type) \(nameType) \(number)  \(object.symbolName)  \(object.dllName)"
        if let exportAs = object.exportAsName { text += "  exportas \(exportAs)" }
        return text
    }

    private static func dumpObject(_ object: COFFObject, parts: DumpParts = .all, into out: inout TextOut) throws {
        out.line("  COFF object\(object.isBigObj ? " (bigobj)" : ""), machine \(machineText(object.rawMachine)), "
            + "timestamp \(hex8(object.timeDateStamp)), characteristics \(hex(object.characteristics))")
        if parts.contains(.sections) {
            out.line("  sections (\(object.sectionCount)), with FNV-1a 64 of their raw data")
            // Sections may point at the same relocations; the dump stays linear in the file size.
            var relocationBytes = 0
            for index in 0..<object.sectionCount {
                let section = try object.sectionHeader(index)
                let data = try object.sectionData(section)
                relocationBytes += Int(section.numberOfRelocations) * 10
                if relocationBytes > object.view.count {
                    throw object.view.error(at: section.headerOffset, "the sections' relocation tables add up to more than the file's \(object.view.count) bytes, so some overlap")
                }
                let digest = data.count > 0 ? hex16(fnv1a64(data.rawBuffer)) : pad("(no data)", 16)
                out.line("    \(pad("\(index + 1)", 3)) \(pad(section.name, 16)) size \(pad(hex(section.sizeOfRawData), 8)) "
                    + "relocs \(pad("\(section.numberOfRelocations)", 4)) \(digest)  \(sectionFlagsText(section.characteristics))")
                let relocations = try object.relocations(section)
                for relocationIndex in 0..<relocations.count {
                    let relocation = relocations.view.relocation(relocationIndex)
                    let symbolIndex = Int(relocation.symbolTableIndex)
                    guard symbolIndex < object.symbolCount else {
                        throw relocations.view.error(at: relocationIndex * 10 + 4,
                                                     "relocation \(relocationIndex) of section \(section.name) names symbol \(symbolIndex), past the \(object.symbolCount)-record symbol table")
                    }
                    let typeName = object.machine == .amd64 ? AMD64Relocation.name(relocation.type) : "type \(hex(relocation.type))"
                    out.line("          \(hex8(relocation.virtualAddress))  \(typeName)  \(try object.symbolName(symbolIndex))")
                }
            }
        }
        guard parts.contains(.symbols) else { return }
        out.line("  external symbols")
        var index = 0
        // Each step skips the symbol and its auxiliary records, so the walk ends at the table's end.
        while index < object.symbolCount {
            let record = object.symbol(index)
            try object.checkAuxiliary(index, record)
            if record.isExternal {
                out.line("    " + (try externalSymbolText(object, index: index, record: record)))
            }
            index += 1 + record.auxiliaryCount
        }
    }

    private static func externalSymbolText(_ object: COFFObject, index: Int, record: COFFSymbolRecord) throws -> String {
        let name = try object.symbolName(index)
        let kind = record.isFunction ? " (function)" : ""
        if record.storageClass == StorageClass.weakExternal {
            guard record.auxiliaryCount > 0 else { return "weak      \(name) (no auxiliary record)" }
            let weak = object.weakExternal(auxiliaryOf: index)
            guard weak.tagIndex >= 0, weak.tagIndex < object.symbolCount else {
                throw object.view.error(at: nil, "weak external \(name) names symbol \(weak.tagIndex), past the \(object.symbolCount)-record symbol table")
            }
            return "weak      \(name) -> \(try object.symbolName(weak.tagIndex)) (search \(weak.characteristics))"
        }
        switch record.sectionNumber {
        case SectionNumber.undefined:
            return record.value == 0 ? "undefined \(name)" : "common    \(name) size \(hex(record.value))"
        case SectionNumber.absolute:
            return "absolute  \(name) = \(hex(record.value))"
        case SectionNumber.debug:
            return "debug     \(name)"
        default:
            return "defined   \(name)  section \(record.sectionNumber) + \(hex(record.value))\(kind)"
        }
    }

    // MARK: - Names of numbers

    private static let fileCharacteristicNames: [(UInt32, String)] = [
        (0x0001, "RELOCS_STRIPPED"), (0x0002, "EXECUTABLE_IMAGE"), (0x0004, "LINE_NUMS_STRIPPED"),
        (0x0008, "LOCAL_SYMS_STRIPPED"), (0x0010, "AGGRESSIVE_WS_TRIM"), (0x0020, "LARGE_ADDRESS_AWARE"),
        (0x0080, "BYTES_REVERSED_LO"), (0x0100, "32BIT_MACHINE"), (0x0200, "DEBUG_STRIPPED"),
        (0x0400, "REMOVABLE_RUN_FROM_SWAP"), (0x0800, "NET_RUN_FROM_SWAP"), (0x1000, "SYSTEM"), (0x2000, "DLL"),
        (0x4000, "UP_SYSTEM_ONLY"), (0x8000, "BYTES_REVERSED_HI"),
    ]

    private static let dllCharacteristicNames: [(UInt32, String)] = [
        (0x0020, "HIGH_ENTROPY_VA"), (0x0040, "DYNAMIC_BASE"), (0x0080, "FORCE_INTEGRITY"), (0x0100, "NX_COMPAT"),
        (0x0200, "NO_ISOLATION"), (0x0400, "NO_SEH"), (0x0800, "NO_BIND"), (0x1000, "APPCONTAINER"),
        (0x2000, "WDM_DRIVER"), (0x4000, "GUARD_CF"), (0x8000, "TERMINAL_SERVER_AWARE"),
    ]

    // The alignment nibble (bits 20-23) is printed separately as ALIGN_nBYTES.
    private static let sectionFlagNames: [(UInt32, String)] = [
        (0x0000_0008, "TYPE_NO_PAD"), (0x0000_0020, "CNT_CODE"), (0x0000_0040, "CNT_INITIALIZED_DATA"),
        (0x0000_0080, "CNT_UNINITIALIZED_DATA"), (0x0000_0100, "LNK_OTHER"), (0x0000_0200, "LNK_INFO"),
        (0x0000_0800, "LNK_REMOVE"), (0x0000_1000, "LNK_COMDAT"), (0x0000_8000, "GPREL"),
        (0x0100_0000, "LNK_NRELOC_OVFL"), (0x0200_0000, "MEM_DISCARDABLE"), (0x0400_0000, "MEM_NOT_CACHED"),
        (0x0800_0000, "MEM_NOT_PAGED"), (0x1000_0000, "MEM_SHARED"), (0x2000_0000, "MEM_EXECUTE"),
        (0x4000_0000, "MEM_READ"), (0x8000_0000, "MEM_WRITE"),
    ]

    private static let subsystemNames: [UInt16: String] = [
        0: "UNKNOWN", 1: "NATIVE", 2: "WINDOWS_GUI", 3: "WINDOWS_CUI", 5: "OS2_CUI", 7: "POSIX_CUI",
        8: "NATIVE_WINDOWS", 9: "WINDOWS_CE_GUI", 10: "EFI_APPLICATION", 11: "EFI_BOOT_SERVICE_DRIVER",
        12: "EFI_RUNTIME_DRIVER", 13: "EFI_ROM", 14: "XBOX", 16: "WINDOWS_BOOT_APPLICATION",
    ]

    static let directoryNames = [
        "EXPORT", "IMPORT", "RESOURCE", "EXCEPTION", "SECURITY", "BASERELOC", "DEBUG", "ARCHITECTURE",
        "GLOBALPTR", "TLS", "LOAD_CONFIG", "BOUND_IMPORT", "IAT", "DELAY_IMPORT", "CLR_RUNTIME", "RESERVED",
    ]

    static let debugTypeNames: [UInt32: String] = [
        0: "UNKNOWN", 1: "COFF", 2: "CODEVIEW", 3: "FPO", 4: "MISC", 5: "EXCEPTION", 6: "FIXUP",
        7: "OMAP_TO_SRC", 8: "OMAP_FROM_SRC", 9: "BORLAND", 10: "RESERVED10", 11: "CLSID", 12: "VC_FEATURE",
        13: "POGO", 14: "ILTCG", 16: "REPRO", 17: "EMBEDDED_PORTABLE_PDB", 19: "PDBCHECKSUM", 20: "EX_DLLCHARACTERISTICS",
    ]

    static func machineText(_ machine: UInt16) -> String {
        let name: String
        switch Machine(rawValue: machine) {
        case .amd64: name = "AMD64"
        case .i386: name = "I386"
        case .arm64: name = "ARM64"
        case .armnt: name = "ARMNT"
        case .unknown: name = "UNKNOWN"
        case nil: name = "unrecognized"
        }
        return "\(hex(machine)) (\(name))"
    }

    static func baseRelocationTypeName(_ type: UInt16, machine: UInt16) -> String {
        let isARM = machine == Machine.armnt.rawValue
        switch type {
        case 0: return "ABSOLUTE"
        case 1: return "HIGH"
        case 2: return "LOW"
        case 3: return "HIGHLOW"
        case 4: return "HIGHADJ"
        case 5 where isARM: return "ARM_MOV32"
        case 7 where isARM: return "THUMB_MOV32"
        case 10: return "DIR64"
        default: return "TYPE\(type)"
        }
    }

    /// "0x2022 (EXECUTABLE_IMAGE | LARGE_ADDRESS_AWARE | DLL)"; bits without a name are listed in hex.
    private static func flagsText(_ value: UInt32, width: Int, names: [(UInt32, String)]) -> String {
        var parts: [String] = []
        var remaining = value
        for (bit, name) in names where value & bit != 0 {
            parts.append(name)
            remaining &= ~bit
        }
        if remaining != 0 { parts.append(hex(remaining)) }
        let digits = String(value, radix: 16)
        let padded = "0x" + String(repeating: "0", count: max(0, width - digits.count)) + digits
        return parts.isEmpty ? padded : "\(padded) (\(parts.joined(separator: " | ")))"
    }

    static func sectionFlagsText(_ flags: SectionFlags) -> String {
        var parts: [String] = []
        var remaining = flags.rawValue & ~SectionFlags.alignMask.rawValue
        for (bit, name) in sectionFlagNames where flags.rawValue & bit != 0 {
            parts.append(name)
            remaining &= ~bit
        }
        let alignCode = (flags.rawValue >> 20) & 0xF
        if alignCode != 0 {
            parts.append(alignCode <= 14 ? "ALIGN_\(1 << (alignCode - 1))BYTES" : "ALIGN_CODE_\(alignCode)")
        }
        if remaining != 0 { parts.append(hex(remaining)) }
        return "\(hex8(flags.rawValue)) \(parts.joined(separator: " "))"
    }

    private static func rvaText(_ rva: UInt32, _ image: PEImage) -> String {
        guard rva != 0 else { return "0x0" }
        return "\(hex(rva)) (\(image.section(containing: rva)?.name ?? "outside every section"))"
    }

    // MARK: - Formatting

    /// FNV-1a, 64-bit: cheap, dependency-free and stable across platforms.
    static func fnv1a64(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    static func hex<T: BinaryInteger>(_ value: T) -> String { "0x" + String(value, radix: 16) }

    static func hex8(_ value: UInt32) -> String { "0x" + hexDigits(value, width: 8) }

    static func hex16(_ value: UInt64) -> String { hexDigits(value, width: 16) }

    /// "1 DLL", "2 DLLs".
    private static func counted(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    private static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}

extension PEDump {
    // MARK: - Resources

    /// The resource tree `entries` make, in directory order (types, then names, then languages:
    /// named before numbered, as cvtres orders them), one leaf per line with its size, code page
    /// and FNV-1a 64 of its data. Sources are left out (paths differ between machines); entries
    /// with the same type, name and language are all listed, in input order.
    public static func dumpResources(_ entries: [ResourceEntry]) -> String {
        var out = TextOut()
        out.heading("Resources (\(counted(entries.count, "entry", "entries")))")
        let ordered = entries.enumerated().sorted { a, b in
            if a.element.type != b.element.type { return a.element.type < b.element.type }
            if a.element.name != b.element.name { return a.element.name < b.element.name }
            if a.element.language != b.element.language { return a.element.language < b.element.language }
            return a.offset < b.offset
        }.map(\.element)
        var previous: ResourceEntry?
        for entry in ordered {
            if previous?.type != entry.type {
                out.line("  type \(resourceNameText(entry.type, isType: true))")
            }
            if previous?.type != entry.type || previous?.name != entry.name {
                out.line("    name \(resourceNameText(entry.name, isType: false))")
            }
            let digest = entry.data.withUnsafeBytes { hex16(fnv1a64($0)) }
            out.line("      language \(pad(String(entry.language), 5)) size \(pad(hex(entry.data.count), 8)) "
                + "code page \(pad(String(entry.codePage), 5)) \(digest)")
            previous = entry
        }
        return out.text
    }

    /// `6 (RT_STRING)`, `77`, or a quoted name with its UTF-16 length when it is not plain ASCII.
    static func resourceNameText(_ name: ResourceName, isType: Bool) -> String {
        switch name {
        case .id(let id):
            if isType, let known = ResourceName.predefinedTypeNames[id] { return "\(id) (\(known))" }
            return String(id)
        case .name(let units):
            let printable = units.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
            if printable { return "\"\(name.description)\"" }
            return "\"\(name.description)\" (UTF-16 " + units.map { hexDigits($0, width: 4) }.joined(separator: " ") + ")"
        }
    }
}

/// Accumulates dump text: headings separated by a blank line, "label  value" fields in a fixed column.
private struct TextOut {
    var text = ""

    mutating func heading(_ title: String) {
        if !text.isEmpty { text += "\n" }
        text += title + "\n"
    }

    mutating func line(_ line: String) {
        text += line + "\n"
    }

    mutating func field(_ label: String, _ value: String) {
        let labelWidth = 28
        let padded = label.count >= labelWidth ? label + " " : label + String(repeating: " ", count: labelWidth - label.count)
        text += "  " + padded + value + "\n"
    }
}
