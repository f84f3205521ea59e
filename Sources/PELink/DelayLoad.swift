import Foundation
import PEFormat

/// Delay-loaded imports (/delayload:, pe-format.md "Delay-Load Import Tables"): the DLL is loaded
/// by the first call into it, not at startup.
///
/// Each import's delay IAT slot first holds the address of its delay-load thunk. The thunk puts
/// the slot's address in a register and jumps to its DLL's tail-merge code, which saves the
/// argument registers, calls `__delayLoadHelper2(descriptor, slot)` (delayimp.lib's, or the
/// user's), restores them and jumps to the function the helper returned; the helper has stored
/// it in the slot, so later calls go straight there. Code that calls a delay-loaded function
/// without `__declspec(dllimport)` goes through an ordinary import thunk (`jmp [slot]`).
///
/// Where the pieces go: descriptors, name tables, the bound and unload copies of the IAT and the
/// names in .rdata; module handles and the IAT, which the helper writes, in .data; thunks and
/// tail-merge code in .text (x64 and ARM64 with their exception-table entries, so an exception the
/// helper raises when a DLL or a function is missing unwinds through them).
struct DelayImportTables {
    var dlls: [ImportTables.DLL] = []
    /// Per import (index into SymbolResolver.imports): its slot in the name table and the IATs
    /// (one terminator slot follows each DLL's), or -1 for an import loaded at startup.
    var slotOf: [Int] = []
    var hintNameOffsets: [Int] = []
    var dllNameOffsets: [Int] = []
    var hintNamesSize = 0
    var dllNamesSize = 0
    var slotCount = 0
    /// Per import: its delay-load thunk's offset in the code chunk; per DLL: its tail merge's.
    var thunkOffsets: [Int] = []
    var tailMergeOffsets: [Int] = []
    var codeSize = 0
    /// link.exe writes a bindable (bound) IAT unless /delay:nobind, and the unload copy with /delay:unload.
    var hasBoundTable = false
    var hasUnloadTable = false

    static let descriptorSize = 32

    var isEmpty: Bool { dlls.isEmpty }

    init() {}

    init(imports: [ImportEntry], isDelayLoaded: (Int) -> Bool, symbolName: (Int) -> String, target: Target, options: LinkOptions) {
        slotOf = Array(repeating: -1, count: imports.count)
        hintNameOffsets = Array(repeating: -1, count: imports.count)
        thunkOffsets = Array(repeating: -1, count: imports.count)
        dlls = ImportTables.groupByDLL(imports, included: isDelayLoaded, symbolName: symbolName)
        hasBoundTable = !options.delayNoBind
        hasUnloadTable = options.delayUnload
        for dll in dlls {
            for i in dll.entries {
                slotOf[i] = slotCount
                slotCount += 1
                if let name = imports[i].importName {
                    hintNameOffsets[i] = hintNamesSize
                    hintNamesSize += alignUp(name.utf8.count + 3, 2)
                }
                thunkOffsets[i] = codeSize
                codeSize += target.delayLoadThunkSize
            }
            slotCount += 1
            tailMergeOffsets.append(codeSize)
            codeSize += target.delayLoadTailMergeSize
            dllNameOffsets.append(dllNamesSize)
            dllNamesSize += dll.name.utf8.count + 1
        }
    }

    /// The linker's chunks for these tables, with the output section each joins.
    func chunks(target: Target) -> [(section: StaticString, chunk: Chunk)] {
        guard !isEmpty else { return [] }
        let readOnly: SectionFlags = [.initializedData, .memRead]
        let writable: SectionFlags = [.initializedData, .memRead, .memWrite]
        let code: SectionFlags = [.code, .memRead, .memExecute]
        let slotBytes = slotCount * target.pointerSize
        func chunk(_ content: Chunk.Content, _ section: StaticString, _ flags: SectionFlags, alignment: Int, size: Int) -> (StaticString, Chunk) {
            (section, Chunk(content: content, partialName: Name(section), flags: flags, alignment: alignment, size: size, hasFileData: true))
        }
        var result = [
            chunk(.delayImportDescriptors, ".rdata", readOnly, alignment: 4, size: (dlls.count + 1) * Self.descriptorSize),
            chunk(.delayImportNameTable, ".rdata", readOnly, alignment: target.pointerSize, size: slotBytes),
        ]
        if hasBoundTable { result.append(chunk(.delayBoundImportAddressTable, ".rdata", readOnly, alignment: target.pointerSize, size: slotBytes)) }
        if hasUnloadTable { result.append(chunk(.delayUnloadImportAddressTable, ".rdata", readOnly, alignment: target.pointerSize, size: slotBytes)) }
        if hintNamesSize > 0 { result.append(chunk(.delayHintNames, ".rdata", readOnly, alignment: 2, size: hintNamesSize)) }
        result.append(chunk(.delayDLLNames, ".rdata", readOnly, alignment: 2, size: dllNamesSize))
        result.append(chunk(.delayModuleHandles, ".data", writable, alignment: target.pointerSize, size: dlls.count * target.pointerSize))
        result.append(chunk(.delayImportAddressTable, ".data", writable, alignment: target.pointerSize, size: slotBytes))
        result.append(chunk(.delayLoadCode, ".text", code, alignment: 16, size: codeSize))
        if let unwind = target.delayLoadTailMergeUnwindInfo {
            result.append(chunk(.delayLoadUnwindInfo, ".rdata", readOnly, alignment: 4, size: unwind.count))
        }
        if let entrySize = target.exceptionEntrySize {
            result.append(chunk(.delayLoadExceptionEntries, ".pdata", readOnly, alignment: 4, size: dlls.count * entrySize))
        }
        return result
    }

    /// The RVA each delay-loaded import's `__imp_` symbol has: its slot in the delay IAT.
    func assignAddresses(_ imports: inout [ImportEntry], iatRVA: UInt32, pointerSize: Int) {
        for i in imports.indices where slotOf[i] >= 0 {
            imports[i].iatRVA = iatRVA + UInt32(slotOf[i] * pointerSize)
        }
    }

    /// Where the loader must add the image's displacement: each IAT slot and its unload copy hold
    /// a thunk's address, and x86 code holds absolute addresses.
    func baseRelocationSites(image: Linker.Image) -> [UInt32] {
        guard !isEmpty else { return [] }
        var sites: [UInt32] = []
        let target = image.target
        for table in [Chunk.Content.delayImportAddressTable, .delayUnloadImportAddressTable] {
            guard let rva = image.chunkRVA[table]?.rva else { continue }
            for dll in dlls {
                for i in dll.entries { sites.append(rva + UInt32(slotOf[i] * target.pointerSize)) }
            }
        }
        if let code = image.chunkRVA[.delayLoadCode]?.rva {
            if let field = target.delayLoadThunkAbsoluteField {
                for dll in dlls {
                    for i in dll.entries { sites.append(code + UInt32(thunkOffsets[i] + field)) }
                }
            }
            if let field = target.delayLoadTailMergeAbsoluteField {
                for offset in tailMergeOffsets { sites.append(code + UInt32(offset + field)) }
            }
        }
        return sites
    }
}

extension Relocator {
    /// Writes one of the delay-load chunks; returns an error message when it cannot.
    func writeDelayLoad(_ chunk: Chunk, to out: UnsafeMutableRawPointer) -> String? {
        let tables = image.delayImports
        let target = image.target
        let imports = resolver.imports
        func rva(_ content: Chunk.Content) -> UInt32 { image.chunkRVA[content]?.rva ?? 0 }
        func slotRVA(_ table: Chunk.Content, _ i: Int) -> UInt32 { rva(table) + UInt32(tables.slotOf[i] * target.pointerSize) }
        switch chunk.content {
        case .delayImportDescriptors:
            let names = rva(.delayDLLNames), handles = rva(.delayModuleHandles), iat = rva(.delayImportAddressTable)
            let nameTable = rva(.delayImportNameTable)
            let bound = image.chunkRVA[.delayBoundImportAddressTable]?.rva ?? 0
            let unload = image.chunkRVA[.delayUnloadImportAddressTable]?.rva ?? 0
            for (d, dll) in tables.dlls.enumerated() {
                let p = out + d * DelayImportTables.descriptorSize
                let firstSlot = UInt32(tables.slotOf[dll.entries[0]] * target.pointerSize)
                p.storeLE(UInt32(1), at: 0)   // Attributes: the fields are RVAs (dlattrRva)
                p.storeLE(names + UInt32(tables.dllNameOffsets[d]), at: 4)
                p.storeLE(handles + UInt32(d * target.pointerSize), at: 8)
                p.storeLE(iat + firstSlot, at: 12)
                p.storeLE(nameTable + firstSlot, at: 16)
                p.storeLE(bound == 0 ? 0 : bound + firstSlot, at: 20)
                p.storeLE(unload == 0 ? 0 : unload + firstSlot, at: 24)
                p.storeLE(UInt32(0), at: 28)  // TimeDateStamp: not bound
            }
        case .delayImportNameTable:
            let hintNames = rva(.delayHintNames)
            for dll in tables.dlls {
                for i in dll.entries {
                    let entry = imports[i]
                    let value: UInt64 = entry.importName == nil
                        ? target.importByOrdinalFlag | UInt64(entry.ordinal)
                        : UInt64(hintNames + UInt32(tables.hintNameOffsets[i]))
                    storePointer(value, to: out, at: tables.slotOf[i] * target.pointerSize)
                }
            }
        case .delayBoundImportAddressTable, .delayModuleHandles:
            // Zeros: nothing is bound (the time stamp says so) and no module is loaded yet.
            break
        case .delayImportAddressTable, .delayUnloadImportAddressTable:
            let code = rva(.delayLoadCode)
            for dll in tables.dlls {
                for i in dll.entries {
                    storePointer(image.imageBase &+ UInt64(code + UInt32(tables.thunkOffsets[i])), to: out, at: tables.slotOf[i] * target.pointerSize)
                }
            }
        case .delayHintNames:
            for dll in tables.dlls {
                for i in dll.entries {
                    guard let name = imports[i].importName else { continue }
                    let offset = tables.hintNameOffsets[i]
                    out.storeLE(imports[i].hint, at: offset)
                    writeCString(name, to: out + offset + 2)
                }
            }
        case .delayDLLNames:
            for (d, dll) in tables.dlls.enumerated() { writeCString(dll.name, to: out + tables.dllNameOffsets[d]) }
        case .delayLoadCode:
            guard let helper = image.delayLoadHelperRVA else { return "the delay-load helper \(target.delayLoadHelperName) has no address" }
            let code = rva(.delayLoadCode)
            memset(out, target.codeFill, chunk.size)
            let descriptors = rva(.delayImportDescriptors)
            for (d, dll) in tables.dlls.enumerated() {
                let tailMerge = code + UInt32(tables.tailMergeOffsets[d])
                for i in dll.entries {
                    let thunk = UInt32(tables.thunkOffsets[i])
                    target.writeDelayLoadThunk(out + Int(thunk), thunkRVA: code + thunk, slotRVA: slotRVA(.delayImportAddressTable, i),
                                               tailMergeRVA: tailMerge, imageBase: image.imageBase)
                }
                target.writeDelayLoadTailMerge(out + tables.tailMergeOffsets[d], rva: tailMerge,
                                               descriptorRVA: descriptors + UInt32(d * DelayImportTables.descriptorSize),
                                               helperRVA: helper, imageBase: image.imageBase)
            }
        case .delayLoadUnwindInfo:
            if let bytes = target.delayLoadTailMergeUnwindInfo {
                bytes.withUnsafeBytes { out.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
            }
        case .delayLoadExceptionEntries:
            let code = rva(.delayLoadCode)
            let unwind = image.chunkRVA[.delayLoadUnwindInfo]?.rva
            for d in tables.dlls.indices {
                target.writeDelayLoadExceptionEntry(out + d * (target.exceptionEntrySize ?? 0),
                                                    tailMergeRVA: code + UInt32(tables.tailMergeOffsets[d]), unwindInfoRVA: unwind)
            }
        default:
            break
        }
        return nil
    }
}

extension Linker {
    /// Which imports /delayload: makes delay-loaded, checking what link.exe refuses: a DLL that
    /// nothing imports from (a misspelt name would otherwise be ignored), data (a variable cannot be
    /// loaded at a first call) and kernel32.dll, which the helper itself needs.
    mutating func delayLoadedImports(_ resolver: SymbolResolver) -> [Bool] {
        guard !options.delayLoadDLLs.isEmpty else { return Array(repeating: false, count: resolver.imports.count) }
        let asked = Set(options.delayLoadDLLs)
        var used = Set<String>()
        var result = Array(repeating: false, count: resolver.imports.count)
        for (i, entry) in resolver.imports.enumerated() where entry.isLive {
            let dll = entry.dllName.lowercased()
            guard asked.contains(dll) else { continue }
            used.insert(dll)
            result[i] = true
            if !entry.isCode {
                let symbol = resolver.names[Int(entry.addressSymbol)].string
                diagnostics.error("/delayload:\(entry.dllName): \(symbol) (from \(entry.sourcePath)) imports data, which cannot be delay-loaded; import it normally, or call GetProcAddress for it")
            }
        }
        for dll in options.delayLoadDLLs {
            if dll == "kernel32.dll" || dll == "kernel32" {
                diagnostics.error("/delayload:\(dll): kernel32.dll cannot be delay-loaded; the delay-load helper itself calls LoadLibrary and GetProcAddress from it")
            } else if !used.contains(dll) && !resolver.imports.contains(where: { $0.dllName.lowercased() == dll }) {
                // (A DLL whose imports /opt:ref removed is no misspelling: nothing to delay-load, no error.)
                let known = Set(resolver.imports.map { $0.dllName.lowercased() }).sorted()
                diagnostics.error("/delayload:\(dll): nothing in the link imports from \(dll)" +
                                  (known.isEmpty ? " (the link imports from no DLL through an import library)" : "; the link imports from \(known.joined(separator: ", "))"))
            }
        }
        return result
    }
}

extension Linker {
    /// Whether a dlltool --output-delaylib library is linked: its head object defines
    /// `__DELAY_IMPORT_DESCRIPTOR_<name>`.
    func definesDelayImportDescriptor(_ resolver: SymbolResolver) -> Bool {
        for g in resolver.symbols.indices where resolver.symbols[g].kind == .defined {
            // dlltool writes the same name for every machine (no C-name underscore on x86).
            if resolver.names[g].hasPrefix("__DELAY_IMPORT_DESCRIPTOR_") { return true }
        }
        return false
    }
}
