import PEFormat

/// A run of bytes that occupies space in the output: an input section, a common symbol's
/// storage, or one of the tables the linker makes. Layout gives it an RVA.
struct Chunk {
    /// Also the key of `Linker.Image.chunkRVA`, where the linker's tables are found by kind.
    enum Content: Hashable {
        case inputSection(object: Int32, section: Int32)
        case common(symbol: Int32)
        case importDirectory, importLookupTable, importAddressTable, importHintNames, importDLLNames
        case importThunks
        case exportDirectory, exportDLLName, exportAddressTable, exportNamePointers, exportOrdinals, exportNames
        case baseRelocations
        /// The -1 (head) and 0 (tail) pointers around MinGW's constructor (list 0) and destructor (list 1) lists.
        case listSentinel(list: UInt8, isHead: Bool)
        /// MinGW's runtime pseudo-relocation table (auto-import).
        case pseudoRelocations
        /// Pointer slots for `__imp_X` of symbols defined in the link (`SymbolKind.localImport`).
        case localImportSlots
        /// ARM64: a jump to `Linker.Image.rangeThunkTargets[index]` for branches that cannot reach it.
        case rangeExtensionThunk(index: Int32)
        /// x86 /SAFESEH: the sorted RVAs of the registered exception handlers.
        case safeSEHTable
        var isInputSection: Bool { if case .inputSection = self { return true } else { return false } }
        /// The debug directory (data directory 6) and the data of its entries pelink writes.
        case debugDirectory, codeViewRecord, extendedDLLCharacteristics
        /// Delay-loaded imports (`DelayImportTables`).
        case delayImportDescriptors, delayImportNameTable, delayBoundImportAddressTable, delayUnloadImportAddressTable
        case delayHintNames, delayDLLNames, delayModuleHandles, delayImportAddressTable
        case delayLoadCode, delayLoadUnwindInfo, delayLoadExceptionEntries
    }
    var content: Content
    var flags: SectionFlags
    // Narrow fields keep the chunk small: a large link has millions of them.
    private var alignment32: UInt32
    private var size32: UInt32
    var rva: UInt32 = 0
    /// False for uninitialised data: no file bytes.
    var hasFileData: Bool
    /// What the chunk is part of, for the data directories that span several chunks.
    enum Role: UInt8 { case none, exceptionTable, importDirectory, importAddressTable, importData, literalExportTable }
    var role: Role
    var isExceptionTable: Bool { role == .exceptionTable }

    var alignment: Int { Int(alignment32) }
    var size: Int { Int(size32) }

    /// `partialName` is the section name the chunk came from ("$" suffix included); layout
    /// groups and orders by it, and keeps it apart from the chunk.
    init(content: Content, partialName: Name, flags: SectionFlags, alignment: Int, size: Int, hasFileData: Bool) {
        self.init(content: content, role: Self.role(partialName: partialName, isInputSection: content.isInputSection),
                  flags: flags, alignment: alignment, size: size, hasFileData: hasFileData)
    }

    init(content: Content, role: Role, flags: SectionFlags, alignment: Int, size: Int, hasFileData: Bool) {
        self.content = content
        self.flags = flags
        self.alignment32 = UInt32(truncatingIfNeeded: alignment)
        self.size32 = UInt32(truncatingIfNeeded: size)
        self.hasFileData = hasFileData
        self.role = role
    }

    /// The role of a chunk from the section name it came from.
    static func role(partialName: Name, isInputSection: Bool) -> Role {
        // Every chunk that lands in .pdata (see `outputSectionName`): GCC writes .pdata.unlikely and
        // .pdata.startup (for main at -O2), and an entry left out of the directory has no unwind info.
        if partialName.equals(".pdata") || partialName.hasPrefix(".pdata$") || partialName.hasPrefix(".pdata.") {
            return .exceptionTable
        } else if partialName.equals(".idata$2") {
            return .importDirectory
        } else if partialName.equals(".idata$5") {
            return .importAddressTable
        } else if partialName.hasPrefix(".idata$") {
            return .importData
        } else if partialName.equals(".edata") && isInputSection {
            return .literalExportTable
        }
        return .none
    }
}

/// A section of the image: chunks merged by name, in order.
struct OutputSection {
    var name: String
    var flags: SectionFlags
    var chunks: [Chunk] = []
    var rva: UInt32 = 0
    var virtualSize = 0
    var fileOffset = 0
    var rawSize = 0
    /// Bytes from the section start that have file data (trailing .bss has none).
    var initializedSize = 0
}

/// Where every global symbol landed, computed once after layout so that applying a relocation
/// is a table lookup: one entry of 8 bytes per symbol, so that finding a target costs one
/// memory access (millions of relocations each read a scattered symbol's).
struct SymbolAddressTable {
    enum Address {
        /// An RVA, and the 0-based output section it is in (-1 when in none).
        case rva(UInt32, outputSection: Int32)
        /// The address itself (an absolute symbol).
        case absolute(UInt64)
        case missing
    }

    /// An RVA and its output section (`section` -1 or more); an absolute address, `field` being
    /// its index in `absoluteValues` (`section` -2); or nothing (-3).
    private struct Entry {
        var field: UInt32
        var section: Int32
    }
    private static let absoluteMark: Int32 = -2, missingMark: Int32 = -3

    private var entries: [Entry] = []
    /// The values of absolute symbols (64 bits; rare), in symbol order.
    private var absoluteValues: [UInt64] = []
    /// One bit per symbol, set when it has an RVA: what base relocations ask of the hundreds of
    /// thousands of pointers, read from a table small enough to stay in cache.
    private var rvaBits: [UInt64] = []

    init() {}

    /// The addresses of symbols 0..<count, `address(g)` asked by every worker, a stretch of
    /// symbols each (it must only read); absolute values are kept in symbol order.
    init(count: Int, threads: Int?, address: (Int) -> Address) {
        var entries = [Entry](repeating: Entry(field: 0, section: Self.missingMark), count: count, threads: threads)
        var rvaBits = [UInt64](repeating: 0, count: (count + 63) / 64)
        // Stretches of whole words of `rvaBits`, so that no two workers write one word.
        let stretch = 1 << 14
        let stretches = (count + stretch - 1) / stretch
        let absolutes = ParallelResults<[(symbol: Int, value: UInt64)]>(count: stretches)
        entries.withUnsafeMutableBufferPointer { entries in
            rvaBits.withUnsafeMutableBufferPointer { rvaBits in
                nonisolated(unsafe) let entries = entries, rvaBits = rvaBits
                parallelFor(stretches, threads: threads) { k in
                    var found: [(symbol: Int, value: UInt64)] = []
                    for g in k * stretch..<min(count, (k + 1) * stretch) {
                        switch address(g) {
                        case .rva(let rva, let outputSection):
                            entries[g] = Entry(field: rva, section: max(outputSection, -1))
                            rvaBits[g >> 6] |= 1 << UInt64(g & 63)
                        case .absolute(let value):
                            entries[g] = Entry(field: 0, section: Self.absoluteMark)
                            found.append((g, value))
                        case .missing: break
                        }
                    }
                    if !found.isEmpty { absolutes.set(k, found) }
                }
            }
        }
        self.rvaBits = rvaBits
        for k in 0..<stretches {
            for (g, value) in absolutes.take(k) ?? [] {
                entries[g].field = UInt32(absoluteValues.count)
                absoluteValues.append(value)
            }
        }
        self.entries = entries
    }

    var count: Int { entries.count }

    @inline(__always)
    func address(of g: Int) -> Address {
        let entry = entries[g]
        if entry.section >= -1 { return .rva(entry.field, outputSection: entry.section) }
        return entry.section == Self.absoluteMark ? .absolute(absoluteValues[Int(entry.field)]) : .missing
    }

    /// Whether the symbol has an RVA (not absolute, not missing).
    @inline(__always)
    func hasRVA(_ g: Int) -> Bool { rvaBits[g >> 6] & 1 << UInt64(g & 63) != 0 }

    /// The symbol's RVA, when it has one (not absolute, not missing).
    @inline(__always)
    func rva(of g: Int) -> UInt32? {
        let entry = entries[g]
        return entry.section >= -1 ? entry.field : nil
    }

}

/// The import tables, grouped by DLL as the loader reads them (pe-format.md, "The .idata Section").
struct ImportTables {
    struct DLL {
        var name: String
        var entries: [Int] // indices into SymbolResolver.imports
    }
    var dlls: [DLL] = []
    var hintNameOffsets: [Int] = []   // per import, offset inside the hint/name chunk (-1 for ordinals)
    var dllNameOffsets: [Int] = []
    var hintNamesSize = 0
    var dllNamesSize = 0
    var entryCount = 0                // ILT/IAT slots including one terminator per DLL
    var thunkOffsets: [Int] = []      // per import, offset in the thunk chunk (-1 when none)
    var thunkCount = 0

    var isEmpty: Bool { dlls.isEmpty }

    init() {}

    /// Imports grouped by DLL: DLLs in the order the link first imports from them (as lld-link
    /// orders them, ignoring case); each DLL's entries by their `__imp_` symbol's name
    /// (`symbolName`). Only the imports `included` says.
    static func groupByDLL(_ imports: [ImportEntry], included: (Int) -> Bool, symbolName: (Int) -> String) -> [DLL] {
        var groups: [String: [Int]] = [:]
        var displayName: [String: String] = [:]
        var dllOrder: [String] = []
        for (i, entry) in imports.enumerated() where entry.isLive && included(i) {
            let key = entry.dllName.lowercased()
            if groups[key] == nil { dllOrder.append(key) }
            groups[key, default: []].append(i)
            if displayName[key] == nil { displayName[key] = entry.dllName }
        }
        return dllOrder.map { key in
            let entries = groups[key]!.map { ($0, symbolName($0)) }.sorted { a, b in
                a.1 != b.1 ? utf8Precedes(a.1, b.1) : a.0 < b.0
            }.map(\.0)
            return DLL(name: displayName[key]!, entries: entries)
        }
    }

    /// The tables of the imports the loader binds at startup: all but the delay-loaded ones.
    init(imports: inout [ImportEntry], thunkStride: Int, isDelayLoaded: (Int) -> Bool, symbolName: (Int) -> String) {
        hintNameOffsets = Array(repeating: -1, count: imports.count)
        thunkOffsets = Array(repeating: -1, count: imports.count)
        for dll in Self.groupByDLL(imports, included: { !isDelayLoaded($0) }, symbolName: symbolName) {
            let entries = dll.entries
            dlls.append(dll)
            entryCount += entries.count + 1
            for i in entries {
                if let name = imports[i].importName {
                    hintNameOffsets[i] = hintNamesSize
                    hintNamesSize += alignUp(name.utf8.count + 3, 2)
                }
                if imports[i].needsThunk {
                    thunkOffsets[i] = thunkCount * thunkStride
                    thunkCount += 1
                }
            }
        }
        // A delay-loaded function called without __declspec(dllimport) jumps through its delay IAT
        // slot from a thunk like any other: the slot holds the delay-load thunk until the first call.
        for dll in Self.groupByDLL(imports, included: isDelayLoaded, symbolName: symbolName) {
            for i in dll.entries where imports[i].needsThunk {
                thunkOffsets[i] = thunkCount * thunkStride
                thunkCount += 1
            }
        }
        for dll in dlls {
            dllNameOffsets.append(dllNamesSize)
            dllNamesSize += dll.name.utf8.count + 1
        }
    }
}

/// The export directory's pieces (pe-format.md, "The .edata Section").
struct ExportTables {
    var dllName: String
    var ordinalBase: UInt16 = 1
    var addressCount = 0
    /// Named entries sorted by name: (name, ordinal index).
    var named: [(name: String, ordinalIndex: Int)] = []
    var namesSize = 0
    /// Offsets of each name and forwarder string inside the names chunk.
    var nameOffsets: [Int] = []
    var forwarderOffsets: [Int: Int] = [:] // entry index → offset in names chunk

    init(dllName: String, entries: [ExportEntry]) {
        self.dllName = dllName
        guard !entries.isEmpty else { return }
        let ordinals = entries.map { Int($0.ordinal) }
        ordinalBase = UInt16(ordinals.min()!)
        addressCount = ordinals.max()! - Int(ordinalBase) + 1
        // By index: copying an entry to read two fields retains every string it holds.
        named.reserveCapacity(entries.count)
        for i in entries.indices where !entries[i].request.noName {
            named.append((entries[i].request.name, Int(entries[i].ordinal) - Int(ordinalBase)))
        }
        // The loader binary-searches the name pointer table. Entries normally arrive sorted by name.
        let isSorted = zip(named, named.dropFirst()).allSatisfy { !utf8Precedes($1.name, $0.name) }
        if !isSorted { named.sort { utf8Precedes($0.name, $1.name) } }
        for entry in named {
            nameOffsets.append(namesSize)
            namesSize += entry.name.utf8.count + 1
        }
        for i in entries.indices {
            if let forward = entries[i].request.forwardTo {
                forwarderOffsets[i] = namesSize
                namesSize += forward.utf8.count + 1
            }
        }
    }
}
