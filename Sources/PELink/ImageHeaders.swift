import PEFormat

/// The headers at the start of the image: MS-DOS stub, PE signature, COFF file header,
/// PE32+ optional header with its data directories, and the section table (pe-format.md).
enum ImageHeaders {
    /// The MS-DOS part, up to the PE signature: the given /STUB program (e_lfanew set to follow
    /// it), or pelink's own 64-byte header plus the customary 56-byte stub program.
    static func dosPart(stub: [UInt8]?) -> [UInt8] {
        if let stub {
            var bytes = stub
            bytes += [UInt8](repeating: 0, count: alignUp(bytes.count, 8) - bytes.count)
            let offset = UInt32(bytes.count)
            for i in 0..<4 { bytes[0x3C + i] = UInt8((offset >> (8 * UInt32(i))) & 0xFF) }
            return bytes
        }
        let peHeaderOffset = 0x78
        var w = ByteWriter(capacity: peHeaderOffset)
        // MS-DOS header: only e_magic and e_lfanew matter to Windows; the rest are the usual values.
        w.append([0x4D, 0x5A])          // "MZ"
        w.u16(0x78); w.u16(1); w.u16(0); w.u16(4); w.u16(0); w.u16(0); w.u16(0)
        w.u16(0); w.u16(0); w.u16(0); w.u16(0); w.u16(0x40); w.u16(0)
        w.zeros(0x3C - w.count)
        w.u32(UInt32(peHeaderOffset))
        // The stub program prints its message and exits when run under MS-DOS.
        w.append([0x0E, 0x1F, 0xBA, 0x0E, 0x00, 0xB4, 0x09, 0xCD, 0x21, 0xB8, 0x01, 0x4C, 0xCD, 0x21])
        w.append("This program cannot be run in DOS mode.$")
        w.zeros(peHeaderOffset - w.count)
        return w.bytes
    }

    /// Checks a /STUB: or .def STUB file: an MS-DOS program with room for e_lfanew.
    static func readStub(path: String) throws -> [UInt8] {
        let file = try MappedFile(path: path)
        let bytes = file.view.toArray()
        guard bytes.count >= 64, bytes[0] == 0x4D, bytes[1] == 0x5A else {
            throw FormatError(file: path, "not an MS-DOS program: a stub must start with \"MZ\" and hold at least the 64-byte MS-DOS header")
        }
        guard bytes.count <= 0x10000 else {
            throw FormatError(file: path, "stub of \(bytes.count) bytes is too large (at most 64 KiB)")
        }
        return bytes
    }

    /// Where the optional header's CheckSum field is: after the MS-DOS part, the PE signature, the
    /// 20-byte file header and 64 bytes of the optional header.
    static func checksumOffset(stub: [UInt8]?) -> Int { dosPart(stub: stub).count + 4 + 20 + 64 }  // the same in PE32 and PE32+
    /// The file header's TimeDateStamp: after the DOS part, "PE\0\0", Machine and NumberOfSections.
    static func timestampOffset(stub: [UInt8]?) -> Int { dosPart(stub: stub).count + 4 + 4 }

    static func build(image: Linker.Image, options: LinkOptions, resolver: SymbolResolver,
                      symbolRVA: (Int32) -> UInt32?) -> [UInt8] {
        var w = ByteWriter(capacity: image.sizeOfHeaders)
        w.append(dosPart(stub: options.dosStub))

        w.append([0x50, 0x45, 0, 0])    // "PE\0\0"
        let target = image.target
        var characteristics = FileCharacteristics.executableImage
        if options.largeAddressAware ?? target.largeAddressAwareByDefault { characteristics |= FileCharacteristics.largeAddressAware }
        if !target.is64Bit { characteristics |= FileCharacteristics.machine32Bit }
        if options.fixed { characteristics |= FileCharacteristics.relocsStripped }
        if options.swapRunFromCD { characteristics |= 0x0400 }  // IMAGE_FILE_REMOVABLE_RUN_FROM_SWAP
        if options.swapRunFromNet { characteristics |= 0x0800 } // IMAGE_FILE_NET_RUN_FROM_SWAP
        if options.driverUpOnly { characteristics |= 0x4000 }   // IMAGE_FILE_UP_SYSTEM_ONLY
        if options.isDLL { characteristics |= FileCharacteristics.dll }
        w.u16(target.machine.rawValue)
        w.u16(UInt16(image.sections.count))
        w.u32(options.timestamp)
        // The string table that long section names live in goes where the symbol table (often
        // empty) ends (pe-format.md, "Section Table": "/offset" names).
        w.u32(image.longSectionNames.table.isEmpty ? 0 : UInt32(image.longSectionNames.fileOffset)) // PointerToSymbolTable
        w.u32(UInt32(image.longSectionNames.symbolCount)) // NumberOfSymbols
        w.u16(UInt16(target.optionalHeaderSize))
        w.u16(characteristics)

        var sizeOfCode = 0, sizeOfInitialized = 0, sizeOfUninitialized = 0
        var baseOfCode: UInt32 = 0, baseOfData: UInt32 = 0
        for s in image.sections {
            if s.flags.contains(.code) {
                sizeOfCode += s.rawSize
                if baseOfCode == 0 { baseOfCode = s.rva }
            } else if s.flags.contains(.initializedData) {
                sizeOfInitialized += s.rawSize
                if baseOfData == 0 { baseOfData = s.rva }
            } else if s.flags.contains(.uninitializedData) {
                sizeOfUninitialized += alignUp(s.virtualSize, options.fileAlignment)
            }
        }
        w.u16(target.is64Bit ? 0x20B : 0x10B) // PE32+ or PE32
        w.u8(14); w.u8(0)               // linker version, as lld-link and link.exe 14 write
        w.u32(UInt32(sizeOfCode))
        w.u32(UInt32(sizeOfInitialized))
        w.u32(UInt32(sizeOfUninitialized))
        w.u32(image.entryRVA)
        w.u32(baseOfCode)
        if target.is64Bit {
            w.u64(image.imageBase)
        } else {
            w.u32(baseOfData)
            w.u32(UInt32(truncatingIfNeeded: image.imageBase))
        }
        w.u32(UInt32(options.sectionAlignment))
        w.u32(UInt32(options.fileAlignment))
        // The OS version follows a subsystem version given with /subsystem:name,X.Y, as lld-link sets it.
        let osVersion = options.osVersion ?? options.subsystemMajor.map { ($0, options.subsystemMinor ?? 0) }
        w.u16(osVersion?.major ?? 6); w.u16(osVersion?.minor ?? 0)
        w.u16(options.majorImageVersion); w.u16(options.minorImageVersion)
        w.u16(options.subsystemMajor ?? 6); w.u16(options.subsystemMinor ?? 0)
        w.u32(0)                        // Win32VersionValue
        w.u32(UInt32(image.sizeOfImage))
        w.u32(UInt32(image.sizeOfHeaders))
        w.u32(0)                        // CheckSum: only drivers need one
        let subsystem = options.subsystem ?? (options.isDLL ? .windowsGUI : .windowsCUI)
        w.u16(subsystem.rawValue)
        var dllCharacteristics: UInt16 = 0
        if options.dynamicBase && !options.fixed {
            dllCharacteristics |= DLLCharacteristics.dynamicBase
            if options.highEntropyVA && target.is64Bit { dllCharacteristics |= DLLCharacteristics.highEntropyVA }
        }
        if options.nxCompat { dllCharacteristics |= DLLCharacteristics.nxCompat }
        if image.hasNoSEH { dllCharacteristics |= DLLCharacteristics.noSEH }
        if !options.allowIsolation { dllCharacteristics |= DLLCharacteristics.noIsolation }
        if !options.allowBind { dllCharacteristics |= DLLCharacteristics.noBind }
        if !options.isDLL && options.terminalServerAware ?? true { dllCharacteristics |= DLLCharacteristics.terminalServerAware }
        if options.appContainer { dllCharacteristics |= DLLCharacteristics.appContainer }
        if options.integrityCheck { dllCharacteristics |= DLLCharacteristics.forceIntegrity }
        if options.driverWDM { dllCharacteristics |= DLLCharacteristics.wdmDriver }
        w.u16(dllCharacteristics)
        for value in [options.stackReserve ?? 0x100000, options.stackCommit ?? 0x1000, options.heapReserve ?? 0x100000, options.heapCommit ?? 0x1000] {
            if target.is64Bit { w.u64(value) } else { w.u32(UInt32(truncatingIfNeeded: value)) }
        }
        w.u32(0)                        // LoaderFlags
        w.u32(16)                       // NumberOfRvaAndSizes

        var directories = [(UInt32, UInt32)](repeating: (0, 0), count: 16)
        if let dir = image.chunkRVA[.exportDirectory] {
            let end = image.chunkRVA[.exportNames].map { Int($0.rva) + $0.size } ?? Int(dir.rva) + dir.size
            directories[DataDirectory.export.rawValue] = (dir.rva, UInt32(end - Int(dir.rva)))
        }
        // Tables that several chunks form (the linker's own and GNU import libraries' .idata$N):
        // each directory spans its chunks.
        // One walk over the chunks for all of them: a large image has millions.
        let spannedRoles: [Chunk.Role] = [.importDirectory, .literalExportTable, .importAddressTable, .exceptionTable]
        var spans = [(start: UInt32, end: UInt32)](repeating: (UInt32.max, 0), count: spannedRoles.count)
        for s in image.sections {
            for c in s.chunks {
                guard c.role != .none, let k = spannedRoles.firstIndex(of: c.role) else { continue }
                spans[k] = (min(spans[k].start, c.rva), max(spans[k].end, c.rva + UInt32(c.size)))
            }
        }
        func span(_ role: Chunk.Role) -> (UInt32, UInt32)? {
            guard let k = spannedRoles.firstIndex(of: role) else { preconditionFailure("span of \(role) not gathered") }
            let (start, end) = spans[k]
            return start < end ? (start, end - start) : nil
        }
        if let dir = span(.importDirectory) { directories[DataDirectory.import.rawValue] = dir }
        if image.chunkRVA[.exportDirectory] == nil, let literal = span(.literalExportTable) { directories[DataDirectory.export.rawValue] = literal }
        if let iat = span(.importAddressTable) { directories[DataDirectory.iat.rawValue] = iat }
        if let delay = image.chunkRVA[.delayImportDescriptors] { directories[DataDirectory.delayImport.rawValue] = (delay.rva, UInt32(delay.size)) }
        if let debug = image.chunkRVA[.debugDirectory] { directories[DataDirectory.debug.rawValue] = (debug.rva, UInt32(debug.size)) }
        if let reloc = image.chunkRVA[.baseRelocations] { directories[DataDirectory.baseRelocation.rawValue] = (reloc.rva, UInt32(reloc.size)) }
        // Resources compiled into objects (cvtres, windres: .rsrc$01 and .rsrc$02) form .rsrc;
        // the loader finds them only through this directory.
        if let resources = image.sections.first(where: { $0.name == ".rsrc" }), resources.virtualSize > 0 {
            directories[DataDirectory.resource.rawValue] = (resources.rva, UInt32(resources.virtualSize))
        }
        if let pdata = span(.exceptionTable) { directories[DataDirectory.exception.rawValue] = pdata }
        if let g = resolver.find(target.mangle("_tls_used")), let rva = symbolRVA(g) {
            directories[DataDirectory.tls.rawValue] = (rva, target.tlsDirectorySize)
        }
        if let g = resolver.find(target.mangle("_load_config_used")), let rva = symbolRVA(g) {
            // The structure says its own size in its first field.
            var size: UInt32 = target.is64Bit ? 0x140 : 0xC0
            let symbol = resolver.symbols[Int(g)]
            if symbol.kind == .defined {
                let section = resolver.objects[Int(symbol.file)].sections[Int(symbol.section)]
                let object = resolver.objects[Int(symbol.file)]
                if Int(symbol.value) + 4 <= section.dataCount {
                    size = UInt32(littleEndian: object.data(section).loadUnaligned(fromByteOffset: Int(symbol.value), as: UInt32.self))
                }
            }
            directories[DataDirectory.loadConfig.rawValue] = (rva, size)
        }
        for (rva, size) in directories { w.u32(rva); w.u32(size) }

        w.append(sectionTable(image))
        w.zeros(image.sizeOfHeaders - w.count)
        return w.bytes
    }

    /// The section headers, 40 bytes each (also a stream of the PDB).
    static func sectionTable(_ image: Linker.Image) -> [UInt8] {
        var w = ByteWriter()
        for s in image.sections {
            var name = image.longSectionNames.offsets[s.name].map { Array("/\($0)".utf8) } ?? Array(s.name.utf8.prefix(8))
            name += Array(repeating: 0, count: 8 - name.count)
            w.append(name)
            w.u32(UInt32(s.virtualSize))
            w.u32(s.rva)
            w.u32(UInt32(s.rawSize))
            w.u32(UInt32(s.fileOffset))
            w.u32(0); w.u32(0); w.u16(0); w.u16(0)
            w.u32(s.flags.rawValue)
        }
        return w.bytes
    }
}

/// Names of more than 8 bytes live in a COFF string table at the end of the file, for
/// discardable sections only: the loader reads just the 8-byte field, and a mapped section
/// with a cut name (".eh_fram") is still found by runtimes that look for it, as lld-link decides.
/// What follows the sections at the end of the file: the COFF symbol table (written only when
/// the image keeps DWARF, as GNU ld and ld.lld do, for gdb's minimal symbols) and the string
/// table that long section names and symbol names live in.
struct LongSectionNames {
    /// The symbol table's 18-byte records, then the string table (its 4-byte size, then
    /// NUL-terminated names); empty when nothing needs them.
    var table: [UInt8] = []
    var fileOffset = 0
    var symbolCount = 0
    /// Section name → offset in the string table.
    var offsets: [String: Int] = [:]

    struct Symbol {
        var name: String
        var value: UInt32
        /// 1-based output section.
        var section: Int16
        var type: UInt16
        var storageClass: UInt8
    }

    init() {}

    init(sections: [OutputSection], symbols: [Symbol] = [], at fileOffset: Int) {
        var strings: [UInt8] = []
        for section in sections where section.name.utf8.count > 8 && section.flags.contains(.memDiscardable) {
            guard offsets[section.name] == nil else { continue }
            offsets[section.name] = 4 + strings.count
            strings += Array(section.name.utf8) + [0]
        }
        var records: [UInt8] = []
        records.reserveCapacity(symbols.count * 18)
        for symbol in symbols {
            let name = Array(symbol.name.utf8)
            if name.count <= 8 {
                records += name + [UInt8](repeating: 0, count: 8 - name.count)
            } else {
                let offset = UInt32(4 + strings.count)
                records += [0, 0, 0, 0] + withUnsafeBytes(of: offset.littleEndian, Array.init)
                strings += name + [0]
            }
            records += withUnsafeBytes(of: symbol.value.littleEndian, Array.init)
            records += withUnsafeBytes(of: symbol.section.littleEndian, Array.init)
            records += withUnsafeBytes(of: symbol.type.littleEndian, Array.init)
            records += [symbol.storageClass, 0]
        }
        guard !strings.isEmpty || !records.isEmpty else { return }
        symbolCount = symbols.count
        let size = UInt32(4 + strings.count)
        table = records + withUnsafeBytes(of: size.littleEndian, Array.init) + strings
        self.fileOffset = fileOffset
    }
}

/// The image checksum (/release): the file's 16-bit little-endian words added with end-around
/// carry, the CheckSum field itself counted as zero, folded to 16 bits, plus the file size (the
/// algorithm of imagehlp's CheckSumMappedFile).
func peChecksum(_ file: UnsafeRawBufferPointer, skipping checksumOffset: Int) -> UInt32 {
    var sum: UInt64 = 0
    var i = 0
    while i + 1 < file.count {
        if i != checksumOffset && i != checksumOffset + 2 {
            sum += UInt64(file[i]) | UInt64(file[i + 1]) << 8
            sum = (sum & 0xFFFF) + (sum >> 16)
        }
        i += 2
    }
    if i < file.count { sum += UInt64(file[i]); sum = (sum & 0xFFFF) + (sum >> 16) }
    sum = (sum & 0xFFFF) + (sum >> 16)
    return UInt32(truncatingIfNeeded: sum) &+ UInt32(truncatingIfNeeded: file.count)
}
