// Import libraries (pe-format.md, "Import Library Format"): an archive holding three small COFF
// objects that make a linker build one DLL's import directory entry — the import descriptor,
// the null import descriptor that ends the directory, and the null thunk that ends the DLL's
// lookup and address tables — followed by one short import object per export. The layout and
// every byte follow what lld-link /lib /def: writes, so the outputs compare equal.

/// One export as an import library describes it.
public struct ImportLibraryEntry: Sendable, Equatable {
    /// The export's name as written in the .def file or /EXPORT (for an ordinal-only export, the
    /// name importers use). Unless `importName` or `exportAs` says otherwise the DLL exports it
    /// under this name.
    public var name: String
    /// The public symbol importers link against (without `__imp_`) when it is not the default:
    /// the default is `name`, with a leading '_' on x86 unless `name` is already decorated
    /// (starts with '?' or '@', or contains '@'). The linker passes e.g. `_f@8` for an x86
    /// stdcall export named `f`.
    public var symbolName: String?
    public var ordinal: UInt16?
    /// Import by ordinal only (requires `ordinal`).
    public var noName: Bool
    public var isData: Bool
    /// The obsolete CONSTANT import type; wins over `isData`.
    public var isConstant: Bool
    /// `EXPORTAS name`: the DLL exports the entry under this name.
    public var exportAs: String?
    /// `name == importname`: the DLL exports the entry under this name. When no name type can
    /// derive it from the symbol, the entry becomes an EXPORTAS import placed after all others.
    public var importName: String?

    public init(name: String, symbolName: String? = nil, ordinal: UInt16? = nil, noName: Bool = false,
                isData: Bool = false, isConstant: Bool = false, exportAs: String? = nil, importName: String? = nil) {
        self.name = name
        self.symbolName = symbolName
        self.ordinal = ordinal
        self.noName = noName
        self.isData = isData
        self.isConstant = isConstant
        self.exportAs = exportAs
        self.importName = importName
    }

    /// The x86 rule for C names: a name that carries no decoration gets the '_' prefix.
    public static func isDecorated(_ name: String) -> Bool {
        name.hasPrefix("?") || name.hasPrefix("@") || name.contains("@")
    }

    /// The public symbol this entry defines on `machine` (without `__imp_`).
    public func publicSymbol(machine: Machine) -> String {
        if let symbolName { return symbolName }
        if machine == .i386 && !ImportLibraryEntry.isDecorated(name) { return "_" + name }
        return name
    }

    public var importType: ImportType {
        isConstant ? .const : (isData ? .data : .code)
    }
}

public enum ImportLibraryWriter {
    /// Writes the import library for `dllName` (a file name such as "foo.dll"; any folder part is
    /// dropped). PRIVATE exports must already be left out by the caller.
    public static func write(dllName: String, machine: Machine, entries: [ImportLibraryEntry]) throws -> [UInt8] {
        try ArchiveWriter.write(try importLibraryMembers(dllName: dllName, machine: machine, entries: entries))
    }

    /// The archive members `write` puts in the library, in order, with the symbols each defines.
    public static func importLibraryMembers(dllName: String, machine: Machine, entries: [ImportLibraryEntry]) throws -> ArchiveMembers {
        let fileName = String(dllName.split(separator: "/", omittingEmptySubsequences: false).last ?? "")
        guard !fileName.isEmpty, !fileName.utf8.contains(0) else {
            throw FormatError(file: dllName, "the DLL name of an import library must be a non-empty file name")
        }
        guard relocationType(machine) != nil else {
            throw FormatError(file: fileName, "cannot write an import library for machine \(machine.optionName)")
        }
        let stem = fileStem(fileName)
        let descriptorSymbol = "__IMPORT_DESCRIPTOR_" + stem
        let nullDescriptorSymbol = "__NULL_IMPORT_DESCRIPTOR"
        let nullThunkSymbol = "\u{7f}" + stem + "_NULL_THUNK_DATA"

        var members = ArchiveMembers()
        members.reserve(members: entries.count + 3, bytesEach: ImportObject.headerSize + 2 * fileName.utf8.count + 32, symbolsEach: 2)
        members.append(name: fileName, data: importDescriptorObject(dllName: fileName, machine: machine, descriptorSymbol: descriptorSymbol,
                                                                    nullDescriptorSymbol: nullDescriptorSymbol, nullThunkSymbol: nullThunkSymbol),
                       symbols: [descriptorSymbol])
        members.append(name: fileName, data: nullImportDescriptorObject(machine: machine, symbol: nullDescriptorSymbol), symbols: [nullDescriptorSymbol])
        members.append(name: fileName, data: nullThunkObject(machine: machine, symbol: nullThunkSymbol), symbols: [nullThunkSymbol])
        func add(_ object: ImportObject) {
            object.write(into: &members.data)
            // `ImportObject.definedSymbols`, without an array per member.
            members.addSymbol(object.symbolName, prefix: "__imp_")
            if object.type != .data { members.addSymbol(object.symbolName) }
            members.endMember(name: fileName)
        }
        // Imports whose `==` name needs EXPORTAS go last, as lld-link orders them.
        var deferred: [ImportObject] = []
        for entry in entries {
            let object = try importObject(for: entry, dllName: fileName, machine: machine)
            if entry.exportAs == nil, !entry.noName, entry.importName != nil, object.nameType == .exportAs {
                deferred.append(object)
            } else {
                add(object)
            }
        }
        deferred.forEach(add)
        return members
    }

    /// The short import object for one entry: its symbol and the name type that yields the name
    /// the DLL exports.
    public static func importObject(for entry: ImportLibraryEntry, dllName: String, machine: Machine) throws -> ImportObject {
        guard !entry.name.isEmpty, !entry.name.utf8.contains(0) else {
            throw FormatError(file: dllName, "import library entry has an empty name or one containing a NUL byte")
        }
        let symbol = entry.publicSymbol(machine: machine)
        guard !symbol.isEmpty, !symbol.utf8.contains(0) else {
            throw FormatError(file: dllName, "export '\(entry.name)' has an empty symbol name or one containing a NUL byte")
        }
        var nameType: ImportNameType
        var exportAsName: String?
        if entry.noName {
            guard entry.ordinal != nil else {
                throw FormatError(file: dllName, "export '\(entry.name)' is NONAME but has no ordinal")
            }
            nameType = .ordinal
        } else if let exportAs = entry.exportAs {
            nameType = .exportAs
            exportAsName = exportAs
        } else if let importName = entry.importName {
            // lld-link tries the x86 name types in this order for `==` names.
            if machine == .i386 && strip(symbol, .undecorate) == importName {
                nameType = .undecorate
            } else if machine == .i386 && strip(symbol, .noPrefix) == importName {
                nameType = .noPrefix
            } else if symbol == importName {
                nameType = .name
            } else {
                nameType = .exportAs
                exportAsName = importName
            }
        } else if symbol == entry.name {
            nameType = .name
        } else if machine == .i386 && strip(symbol, .noPrefix) == entry.name {
            nameType = .noPrefix
        } else if machine == .i386 && strip(symbol, .undecorate) == entry.name {
            nameType = .undecorate
        } else {
            nameType = .exportAs
            exportAsName = entry.name
        }
        if let exportAsName, exportAsName.isEmpty || exportAsName.utf8.contains(0) {
            throw FormatError(file: dllName, "export '\(entry.name)' has an empty EXPORTAS name or one containing a NUL byte")
        }
        return ImportObject(machine: machine, type: entry.importType, nameType: nameType,
                            ordinalOrHint: entry.ordinal ?? 0, symbolName: symbol, dllName: dllName,
                            exportAsName: exportAsName)
    }

    /// The name a loader would look up for `symbol` under `nameType` (NOPREFIX/UNDECORATE only).
    private static func strip(_ symbol: String, _ nameType: ImportNameType) -> String? {
        ImportObject(machine: .i386, type: .code, nameType: nameType, ordinalOrHint: 0, symbolName: symbol,
                     dllName: "").importName
    }

    /// "foo.dll" -> "foo"; "a.b.c" -> "a.b"; a name without '.' is its own stem.
    static func fileStem(_ fileName: String) -> String {
        guard let dot = fileName.lastIndex(of: ".") else { return fileName }
        return String(fileName[..<dot])
    }

    // MARK: - The three descriptor objects

    /// The relocation type an RVA (image-relative address) has on `machine`.
    private static func relocationType(_ machine: Machine) -> UInt16? {
        switch machine {
        case .amd64: return AMD64Relocation.addr32NB
        case .arm64: return 0x0002  // IMAGE_REL_ARM64_ADDR32NB
        case .armnt: return 0x000A  // IMAGE_REL_ARM_ADDR32NB
        case .i386: return 0x0007  // IMAGE_REL_I386_DIR32NB
        case .unknown: return nil
        }
    }

    private static let fileHeaderSize = 20
    private static let sectionHeaderSize = 40
    private static let relocationSize = 10
    /// An IMAGE_IMPORT_DESCRIPTOR: lookup table RVA, time stamp, forwarder chain, name RVA, address table RVA.
    private static let importDescriptorSize = 20
    private static let initializedReadWrite: UInt32 = SectionFlags.initializedData.rawValue
        | SectionFlags.memRead.rawValue | SectionFlags.memWrite.rawValue
    private static let align2: UInt32 = 0x0020_0000
    private static let align4: UInt32 = 0x0030_0000
    private static let align8: UInt32 = 0x0040_0000

    private static func fileHeader(_ out: inout ByteWriter, machine: Machine, sections: Int, symbolTableOffset: Int, symbols: Int) {
        out.u16(machine.rawValue)
        out.u16(UInt16(sections))
        out.u32(0)  // TimeDateStamp
        out.u32(UInt32(symbolTableOffset))
        out.u32(UInt32(symbols))
        out.u16(0)  // no optional header
        out.u16(machine.is64Bit ? 0 : FileCharacteristics.machine32Bit)
    }

    private static func sectionHeader(_ out: inout ByteWriter, name: String, rawSize: Int, rawOffset: Int,
                                      relocationOffset: Int, relocations: Int, flags: UInt32) {
        out.field(name, width: 8, pad: 0)
        out.u32(0)  // VirtualSize
        out.u32(0)  // VirtualAddress
        out.u32(UInt32(rawSize))
        out.u32(UInt32(rawOffset))
        out.u32(UInt32(relocationOffset))
        out.u32(0)  // line numbers
        out.u16(UInt16(relocations))
        out.u16(0)
        out.u32(flags)
    }

    /// A symbol record; `name` is either an inline short name or an offset into the string table.
    private enum SymbolName { case inline(String), stringTable(Int) }

    private static func symbol(_ out: inout ByteWriter, _ name: SymbolName, section: Int16, storageClass: UInt8) {
        switch name {
        case .inline(let text):
            out.field(text, width: 8, pad: 0)
        case .stringTable(let offset):
            out.u32(0)
            out.u32(UInt32(offset))
        }
        out.u32(0)  // Value
        out.u16(UInt16(bitPattern: section))
        out.u16(0)  // Type
        out.u8(storageClass)
        out.u8(0)   // no auxiliary records
    }

    /// Appends a COFF string table holding `strings`; returns each string's offset in it.
    @discardableResult
    private static func stringTable(_ out: inout ByteWriter, _ strings: [String]) -> [Int] {
        var offsets: [Int] = []
        var body = ByteWriter()
        for string in strings {
            offsets.append(4 + body.count)
            body.cString(string)
        }
        out.u32(UInt32(4 + body.count))
        out.append(body.bytes)
        return offsets
    }

    /// The object defining `__IMPORT_DESCRIPTOR_<stem>`: the DLL's import directory entry in
    /// .idata$2, whose name, lookup table and address table fields are relocated against the
    /// DLL name in .idata$6 and the sections .idata$4/.idata$5 the imports contribute to. It
    /// references the null descriptor and null thunk so that a linker pulls those in too.
    static func importDescriptorObject(dllName: String, machine: Machine, descriptorSymbol: String,
                                       nullDescriptorSymbol: String, nullThunkSymbol: String) -> [UInt8] {
        let relocationKind = relocationType(machine) ?? 0
        let nameSize = dllName.utf8.count + 1
        let descriptorOffset = fileHeaderSize + 2 * sectionHeaderSize
        let relocationsOffset = descriptorOffset + importDescriptorSize
        let nameOffset = relocationsOffset + 3 * relocationSize
        let symbolTableOffset = nameOffset + nameSize
        var out = ByteWriter()
        fileHeader(&out, machine: machine, sections: 2, symbolTableOffset: symbolTableOffset, symbols: 7)
        sectionHeader(&out, name: ".idata$2", rawSize: importDescriptorSize, rawOffset: descriptorOffset,
                      relocationOffset: relocationsOffset, relocations: 3, flags: align4 | initializedReadWrite)
        sectionHeader(&out, name: ".idata$6", rawSize: nameSize, rawOffset: nameOffset,
                      relocationOffset: 0, relocations: 0, flags: align2 | initializedReadWrite)
        out.zeros(importDescriptorSize)
        // (field offset in the descriptor, symbol index): Name -> .idata$6, lookup table ->
        // .idata$4, address table -> .idata$5.
        for (fieldOffset, symbolIndex) in [(12, 2), (0, 3), (16, 4)] {
            out.u32(UInt32(fieldOffset))
            out.u32(UInt32(symbolIndex))
            out.u16(relocationKind)
        }
        out.cString(dllName)
        let offsets = [4, 4 + descriptorSymbol.utf8.count + 1,
                       4 + descriptorSymbol.utf8.count + 1 + nullDescriptorSymbol.utf8.count + 1]
        symbol(&out, .stringTable(offsets[0]), section: 1, storageClass: StorageClass.external)
        symbol(&out, .inline(".idata$2"), section: 1, storageClass: StorageClass.section)
        symbol(&out, .inline(".idata$6"), section: 2, storageClass: StorageClass.static)
        symbol(&out, .inline(".idata$4"), section: 0, storageClass: StorageClass.section)
        symbol(&out, .inline(".idata$5"), section: 0, storageClass: StorageClass.section)
        symbol(&out, .stringTable(offsets[1]), section: 0, storageClass: StorageClass.external)
        symbol(&out, .stringTable(offsets[2]), section: 0, storageClass: StorageClass.external)
        stringTable(&out, [descriptorSymbol, nullDescriptorSymbol, nullThunkSymbol])
        return out.bytes
    }

    /// The object defining `__NULL_IMPORT_DESCRIPTOR`: an all-zero descriptor in .idata$3 that
    /// ends the import directory.
    static func nullImportDescriptorObject(machine: Machine, symbol name: String) -> [UInt8] {
        let dataOffset = fileHeaderSize + sectionHeaderSize
        var out = ByteWriter()
        fileHeader(&out, machine: machine, sections: 1, symbolTableOffset: dataOffset + importDescriptorSize, symbols: 1)
        sectionHeader(&out, name: ".idata$3", rawSize: importDescriptorSize, rawOffset: dataOffset,
                      relocationOffset: 0, relocations: 0, flags: align4 | initializedReadWrite)
        out.zeros(importDescriptorSize)
        symbol(&out, .stringTable(4), section: 1, storageClass: StorageClass.external)
        stringTable(&out, [name])
        return out.bytes
    }

    /// The object defining `\x7f<stem>_NULL_THUNK_DATA`: the zero entries that end the DLL's
    /// address table (.idata$5) and lookup table (.idata$4), one pointer wide each.
    static func nullThunkObject(machine: Machine, symbol name: String) -> [UInt8] {
        let pointerSize = machine.is64Bit ? 8 : 4
        let dataOffset = fileHeaderSize + 2 * sectionHeaderSize
        let flags = (machine.is64Bit ? align8 : align4) | initializedReadWrite
        var out = ByteWriter()
        fileHeader(&out, machine: machine, sections: 2, symbolTableOffset: dataOffset + 2 * pointerSize, symbols: 1)
        sectionHeader(&out, name: ".idata$5", rawSize: pointerSize, rawOffset: dataOffset,
                      relocationOffset: 0, relocations: 0, flags: flags)
        sectionHeader(&out, name: ".idata$4", rawSize: pointerSize, rawOffset: dataOffset + pointerSize,
                      relocationOffset: 0, relocations: 0, flags: flags)
        out.zeros(2 * pointerSize)
        symbol(&out, .stringTable(4), section: 1, storageClass: StorageClass.external)
        stringTable(&out, [name])
        return out.bytes
    }
}

/// What `lld-link /lib /def:` does with a module-definition file.
public enum Librarian {
    /// The import library entries for a .def file's exports: PRIVATE exports are left out;
    /// internal names and forwarders do not matter to importers, so those exports appear under
    /// their exported names like any other.
    public static func importLibraryEntries(from definition: ModuleDefinition, machine: Machine) -> [ImportLibraryEntry] {
        definition.exports.filter { !$0.isPrivate }.map { export in
            ImportLibraryEntry(name: export.name, ordinal: export.ordinal, noName: export.noName,
                               isData: export.isData, isConstant: export.isConstant,
                               exportAs: export.exportAs, importName: export.importName)
        }
    }

    /// The DLL name an import library made from `definition` names: the LIBRARY (or NAME) name,
    /// with ".dll" (or ".exe") added when it has no extension, as lld-link does. Nil when the
    /// file names no module.
    public static func moduleFileName(of definition: ModuleDefinition) -> String? {
        guard let name = definition.outputName, !name.isEmpty else { return nil }
        let fileName = name.split(separator: "/").last.map(String.init) ?? name
        if fileName.contains(".") { return name }
        return name + (definition.isLibrary ? ".dll" : ".exe")
    }
}
