import Foundation
import PEFormat

/// Writes chunks into the output: input sections copied and relocated in one pass, and the
/// linker's own tables. Reads the finished layout only, so any number of threads can use it.
struct Relocator: @unchecked Sendable {
    let resolver: SymbolResolver
    let image: Linker.Image
    // Held directly so a lookup retains nothing.
    private let addresses: SymbolAddressTable
    private let objects: [ObjectFile]
    private let sectionRVA: [UInt32]
    private let sectionOutput: [Int32]
    /// Naming the function around a failing relocation scans the object's symbols; only the
    /// first few failures get that detail, so a file full of bad relocations cannot make the
    /// error report quadratic.
    private let detailedFailures = FailureBudget(limit: 20)

    init(resolver: SymbolResolver, image: Linker.Image) {
        self.resolver = resolver
        self.image = image
        addresses = image.addresses
        objects = resolver.objects
        sectionRVA = image.sectionRVA
        sectionOutput = image.sectionOutput
    }

    /// Writes `chunk` at `out`; returns an error message when a relocation cannot be applied.
    func write(_ chunk: Chunk, to out: UnsafeMutableRawPointer) -> String? {
        switch chunk.content {
        case let .inputSection(o, s):
            let object = objects[Int(o)]
            let section = object.sections[Int(s)]
            if section.dataCount > 0 {
                out.copyMemory(from: object.data(section).baseAddress!, byteCount: min(section.dataCount, chunk.size))
            }
            return relocate(object: object, sectionIndex: Int(s), section: section, at: out)
        case .common:
            return nil
        case .importDirectory:
            // With only GNU import libraries' tables, the linker writes just the null terminator.
            if image.imports.dlls.isEmpty { return nil }
            guard let ilt = rva(of: .importLookupTable), let iat = rva(of: .importAddressTable),
                  let names = rva(of: .importDLLNames) else { return missingTable(chunk) }
            writeImportDirectory(out, lookupTable: ilt, addressTable: iat, dllNames: names)
        case .importLookupTable, .importAddressTable:
            // Import by ordinal only: no hint/name table.
            writeImportSlots(out, hintNames: rva(of: .importHintNames) ?? 0)
        case .importHintNames: writeHintNames(out)
        case .importDLLNames:
            for (d, dll) in image.imports.dlls.enumerated() { writeCString(dll.name, to: out + image.imports.dllNameOffsets[d]) }
        case .importThunks: writeThunks(out, chunkRVA: chunk.rva)
        case .debugDirectory: return writeDebugDirectory(out)
        case .codeViewRecord: writeCodeViewRecord(out)
        case .extendedDLLCharacteristics:
            out.storeLE(UInt32(1), at: 0)                          // IMAGE_DLLCHARACTERISTICS_EX_CET_COMPAT
        case .delayImportDescriptors, .delayImportNameTable, .delayBoundImportAddressTable, .delayUnloadImportAddressTable,
             .delayHintNames, .delayDLLNames, .delayModuleHandles, .delayImportAddressTable,
             .delayLoadCode, .delayLoadUnwindInfo, .delayLoadExceptionEntries:
            return writeDelayLoad(chunk, to: out)
        case .exportDirectory:
            guard let tables = ExportDirectoryTables(relocator: self) else { return missingTable(chunk) }
            writeExportDirectory(out, tables)
        case .exportDLLName: writeCString(image.exports.dllName, to: out)
        case .exportAddressTable: writeExportAddresses(out)
        case .exportNamePointers:
            guard let names = rva(of: .exportNames) else { return missingTable(chunk) }
            for (i, offset) in image.exports.nameOffsets.enumerated() { out.storeLE(names + UInt32(offset), at: i * 4) }
        case .exportOrdinals:
            for (i, entry) in image.exports.named.enumerated() { out.storeLE(UInt16(entry.ordinalIndex), at: i * 2) }
        case .exportNames:
            for (i, entry) in image.exports.named.enumerated() { writeCString(entry.name, to: out + image.exports.nameOffsets[i]) }
            for (e, offset) in image.exports.forwarderOffsets { writeCString(image.exportEntries[e].request.forwardTo!, to: out + offset) }
        case .pseudoRelocations:
            // Version 2 header: two zero words, then version 1.
            out.storeLE(UInt32(0), at: 0)
            out.storeLE(UInt32(0), at: 4)
            out.storeLE(UInt32(1), at: 8)
            for (i, entry) in image.pseudoRelocations.enumerated() {
                out.storeLE(entry.slot, at: 12 + 12 * i)
                out.storeLE(entry.site, at: 16 + 12 * i)
                out.storeLE(entry.bits, at: 20 + 12 * i)
            }
        case let .listSentinel(_, isHead):
            storePointer(isHead ? UInt64.max : 0, to: out, at: 0)
        case .rangeExtensionThunk(let t):
            let thunk = image.rangeThunkTargets[Int(t)]
            guard let targetRVA = rva(ofThunkTarget: thunk) else { return "internal error: a range-extension thunk's target has no address; please report this" }
            Target.writeRangeExtensionThunk(out, thunkRVA: chunk.rva, targetRVA: targetRVA)
        case .safeSEHTable:
            for (i, rva) in image.safeSEHHandlers.enumerated() { out.storeLE(rva, at: 4 * i) }
        case .localImportSlots:
            for (k, x) in resolver.localImportTargets.enumerated() {
                let value: UInt64
                switch addresses.address(of: Int(x)) {
                case .rva(let rva, _): value = image.imageBase &+ UInt64(rva)
                case .absolute(let address): value = address
                case .missing: value = 0
                }
                storePointer(value, to: out, at: image.target.pointerSize * k)
            }
        case .baseRelocations:
            image.baseRelocationTable.withUnsafeBytes { out.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        }
        return nil
    }

    /// An address-sized slot: 8 bytes, or 4 in a 32-bit image.
    @inline(__always)
    func storePointer(_ value: UInt64, to out: UnsafeMutableRawPointer, at offset: Int) {
        if image.target.is64Bit { out.storeLE(value, at: offset) } else { out.storeLE(UInt32(truncatingIfNeeded: value), at: offset) }
    }

    /// Where layout put one of the linker's tables; nil when layout made none.
    fileprivate func rva(of table: Chunk.Content) -> UInt32? { image.chunkRVA[table]?.rva }

    /// A table that refers to another one that layout did not place: a pelink defect, reported
    /// instead of writing address 0.
    private func missingTable(_ chunk: Chunk) -> String {
        "internal error: the linker table \(chunk.content) refers to a table that layout did not place; please report this"
    }

    func writeCString(_ s: String, to out: UnsafeMutableRawPointer) {
        var s = s
        s.withUTF8 { bytes in
            if bytes.count > 0 { out.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
            out.storeBytes(of: 0, toByteOffset: bytes.count, as: UInt8.self)
        }
    }

    // MARK: Imports

    private func writeImportDirectory(_ out: UnsafeMutableRawPointer, lookupTable ilt: UInt32, addressTable iat: UInt32, dllNames names: UInt32) {
        var slot: UInt32 = 0
        let slotSize = UInt32(image.target.pointerSize)
        for (d, dll) in image.imports.dlls.enumerated() {
            let at = d * 20
            out.storeLE(ilt + slot * slotSize, at: at)     // OriginalFirstThunk
            out.storeLE(UInt32(0), at: at + 4)             // TimeDateStamp
            out.storeLE(UInt32(0), at: at + 8)             // ForwarderChain
            out.storeLE(names + UInt32(image.imports.dllNameOffsets[d]), at: at + 12)
            out.storeLE(iat + slot * slotSize, at: at + 16) // FirstThunk
            slot += UInt32(dll.entries.count + 1)
        }
    }

    private func writeImportSlots(_ out: UnsafeMutableRawPointer, hintNames hints: UInt32) {
        var slot = 0
        let target = image.target
        for dll in image.imports.dlls {
            for i in dll.entries {
                let entry = resolver.imports[i]
                let value: UInt64 = entry.importName == nil
                    ? target.importByOrdinalFlag | UInt64(entry.ordinal)
                    : UInt64(hints + UInt32(image.imports.hintNameOffsets[i]))
                storePointer(value, to: out, at: slot * target.pointerSize)
                slot += 1
            }
            slot += 1
        }
    }

    private func writeHintNames(_ out: UnsafeMutableRawPointer) {
        for (i, entry) in resolver.imports.enumerated() {
            let offset = image.imports.hintNameOffsets[i]
            guard offset >= 0, let name = entry.importName else { continue }
            out.storeLE(entry.hint, at: offset)
            writeCString(name, to: out + offset + 2)
        }
    }

    private func writeThunks(_ out: UnsafeMutableRawPointer, chunkRVA: UInt32) {
        // Gaps between thunk slots are code padding.
        memset(out, image.target.codeFill, (image.imports.thunkCount - 1) * image.target.importThunkStride + image.target.importThunkSize)
        for (i, entry) in resolver.imports.enumerated() where image.imports.thunkOffsets[i] >= 0 {
            let offset = image.imports.thunkOffsets[i]
            image.target.writeImportThunk(out + offset, thunkRVA: chunkRVA + UInt32(offset), slotRVA: entry.iatRVA, imageBase: image.imageBase)
        }
    }

    // MARK: Exports

    private func writeExportDirectory(_ out: UnsafeMutableRawPointer, _ tables: ExportDirectoryTables) {
        let e = image.exports
        out.storeLE(UInt32(0), at: 0)                                   // Characteristics
        out.storeLE(UInt32(0), at: 4)                                   // TimeDateStamp: reproducible
        out.storeLE(UInt32(0), at: 8)                                   // Major/Minor version
        out.storeLE(tables.dllName, at: 12)
        out.storeLE(UInt32(e.ordinalBase), at: 16)
        out.storeLE(UInt32(e.addressCount), at: 20)
        out.storeLE(UInt32(e.named.count), at: 24)
        out.storeLE(tables.addresses, at: 28)
        out.storeLE(tables.namePointers, at: 32)
        out.storeLE(tables.ordinals, at: 36)
    }

    private func writeExportAddresses(_ out: UnsafeMutableRawPointer) {
        // Forwarder strings live with the names; without forwarders the table may be absent.
        let names = rva(of: .exportNames) ?? 0
        for (i, entry) in image.exportEntries.enumerated() {
            let index = Int(entry.ordinal) - Int(image.exports.ordinalBase)
            let address: UInt32
            if let offset = image.exports.forwarderOffsets[i] {
                address = names + UInt32(offset)
            } else {
                address = targetRVA(ofGlobal: entry.symbol) ?? 0
            }
            out.storeLE(address, at: index * 4)
        }
    }

    /// Absolute symbols have no RVA of their own; as a last resort (an exported absolute symbol)
    /// they are expressed relative to the image base.
    private func targetRVA(ofGlobal g: Int32) -> UInt32? {
        switch addresses.address(of: Int(g)) {
        case .rva(let rva, _): return rva
        case .absolute(let address): return UInt32(truncatingIfNeeded: address &- image.imageBase)
        case .missing: return nil
        }
    }

    // MARK: Relocations

    /// Where a relocation's symbol lands: an RVA, or an absolute value that does not move.
    fileprivate enum RelocationTarget {
        case rva(UInt32, outputSection: Int32)
        case absolute(UInt64)
    }

    @inline(__always)
    private func resolveTarget(_ targets: [SymbolTarget], firstSection: Int, _ index: Int) -> RelocationTarget? {
        guard index < targets.count else { return nil }
        switch targets[index].decoded {
        case .none: return nil
        case .absolute(let v): return .absolute(UInt64(v))
        case let .local(s, value):
            let global = firstSection + Int(s)
            guard sectionOutput[global] >= 0 else { return nil }
            return .rva(sectionRVA[global] &+ value, outputSection: sectionOutput[global])
        case .global(let g):
            switch addresses.address(of: Int(g)) {
            case .rva(let rva, let outputSection): return .rva(rva, outputSection: outputSection)
            case .absolute(let address): return .absolute(address)
            case .missing: return nil
            }
        }
    }

    /// Where a range-extension thunk jumps: its symbol plus the branch's addend.
    func rva(ofThunkTarget thunk: RangeThunkTarget) -> UInt32? {
        targetRVA(object: objects[Int(thunk.object)], symbolIndex: Int(thunk.symbol)).map { UInt32(truncatingIfNeeded: $0 + Int64(thunk.addend)) }
    }

    /// The RVA a relocation's symbol stands for (absolute symbols measured from the image base).
    func targetRVA(object: ObjectFile, symbolIndex: Int) -> Int64? {
        targetRVA(object.targets, firstSection: object.firstSection, symbolIndex: symbolIndex)
    }

    /// The same, with the object's symbol targets already at hand (a loop over many relocations
    /// reads the array once).
    @inline(__always)
    func targetRVA(_ targets: [SymbolTarget], firstSection: Int, symbolIndex: Int) -> Int64? {
        resolveTarget(targets, firstSection: firstSection, symbolIndex).map(destinationRVA)
    }

    /// The thunk a branch goes through, when layout gave it one.
    private func rangeThunkRVA(_ key: RangeThunkKey) -> UInt32? {
        image.rangeThunks[key].flatMap { image.chunkRVA[.rangeExtensionThunk(index: $0)]?.rva }
    }

    private func symbolDescription(_ object: ObjectFile, _ index: Int) -> String {
        if index < object.targets.count, case .global(let g) = object.targets[index].decoded { return resolver.displayName(of: g) }
        return (try? object.coff.symbolName(index)) ?? "symbol #\(index)"
    }

    /// "function+0x12" for the symbol of `object` that contains `offset` of section `sectionIndex`.
    private func containingSymbol(_ object: ObjectFile, sectionIndex: Int, offset: Int) -> String? {
        guard let (name, delta) = object.symbolContaining(sectionIndex: sectionIndex, offset: offset) else { return nil }
        return name + demangledSuffix(name) + (delta == 0 ? "" : "+0x" + String(delta, radix: 16))
    }

    private func relocate(object: ObjectFile, sectionIndex: Int, section: InputSection, at out: UnsafeMutableRawPointer) -> String? {
        let imageBase = image.imageBase
        let targets = object.targets
        let firstSection = object.firstSection
        let sectionStart = sectionRVA[firstSection + sectionIndex]
        let machine = image.target.machine
        let symbolCount = object.coff.symbolCount
        for r in 0..<section.relocationCount {
            let relocation = object.relocation(section, r)
            let offset = Int(relocation.virtualAddress)
            let type = relocation.type
            if type == 0 { continue } // ABSOLUTE on every machine: no operation
            let width: Int
            switch RelocationWidth.of(type, machine: machine) {
            case .bytes(let n): width = n
            case .unsupported(let why):
                return "\(object.displayName): section \(object.name(of: section).string): relocation \(image.target.relocationName(type)) at offset 0x\(String(offset, radix: 16)) is not supported (\(why))"
            case .unknown:
                return "\(object.displayName): section \(object.name(of: section).string): unknown relocation type 0x\(String(type, radix: 16)) at offset 0x\(String(offset, radix: 16))"
            }
            guard offset >= 0, offset + width <= section.dataCount else {
                return "relocation points beyond the end of its parent section\n>>> \(object.displayName): section \(object.name(of: section).string): \(image.target.relocationName(type)) at offset 0x\(String(offset, radix: 16)) needs \(width) bytes; the section has \(section.dataCount)"
            }
            let symbolIndex = Int(relocation.symbolTableIndex)
            guard symbolIndex < symbolCount else {
                let record = section.relocationsOffset + r * 10
                return "\(object.coff.view.error(at: record, "relocation \(r + 1) of section \(object.name(of: section).string) (at offset 0x\(String(offset, radix: 16)) in the section) refers to symbol \(symbolIndex), but the symbol table has \(object.coff.symbolCount) records"))"
            }
            guard let target = resolveTarget(targets, firstSection: firstSection, symbolIndex) else {
                // MinGW: GCC puts the jump table of a COMDAT function in plain .rdata; where another
                // object's copy of the function won, the table's entries point into the dropped
                // copy. Like GNU ld and lld-link, leave them as written: the kept table is used.
                if resolver.options.isGNUFlavor, symbolIndex < targets.count, case let .local(s, _) = targets[symbolIndex].decoded,
                   Int(s) < object.sections.count, object.sections[Int(s)].isComdat, !object.sections[Int(s)].isLive, !section.isComdat {
                    continue
                }
                let place = object.symbolContaining(sectionIndex: sectionIndex, offset: offset).map { ":(\(resolver.displayName(ofName: $0.name)))" } ?? ""
                return "relocation against symbol in discarded section: \(symbolDescription(object, symbolIndex))\n>>> referenced by \(object.displayName)\(place), section \(object.name(of: section).string) at offset 0x\(String(offset, radix: 16)); the symbol's section is not in the image (a COMDAT another object's copy replaced, an associative section whose leader was dropped, or a section that is never linked such as .drectve)"
            }
            let site = sectionStart &+ UInt32(offset)
            let place = RelocationSite(out: out, offset: offset, site: site, type: type, target: target)
            let problem: String?
            switch machine {
            case .i386: problem = applyI386(place)
            case .arm64: problem = applyARM64(place, thunkKey: RangeThunkKey(section: firstSection + sectionIndex, relocation: r))
            default: problem = applyAMD64(place)
            }
            if let problem {
                let where_ = detailedFailures.take() ? containingSymbol(object, sectionIndex: sectionIndex, offset: offset).map { " (in \($0))" } ?? "" : ""
                let from = "0x" + String(imageBase &+ UInt64(site), radix: 16)
                let to: String
                switch target {
                case .rva(let rva, _): to = "0x" + String(imageBase &+ UInt64(rva), radix: 16)
                case .absolute(let v): to = "0x" + String(v, radix: 16) + " (absolute)"
                }
                return "\(object.displayName): section \(object.name(of: section).string)+0x\(String(offset, radix: 16))\(where_): \(image.target.relocationName(type)) from \(from) to \(symbolDescription(object, symbolIndex)) at \(to) \(problem)"
            }
        }
        return nil
    }

    /// A CodeView `.debug$S` section's bytes with its relocations applied: SECREL and SECTION give
    /// the section:offset of the procedures, data and line tables it describes. It is not in the
    /// image, so a relocation relative to its own place cannot occur; a target that is not in the
    /// image (a COMDAT another object's copy replaced, code /opt:ref removed) leaves the field as
    /// written, since the records about it describe nothing a debugger can reach.
    func relocatedDebugSection(object: ObjectFile, sectionIndex: Int) -> (bytes: [UInt8], error: String?) {
        let section = object.sections[sectionIndex]
        var bytes = [UInt8](object.data(section))
        let targets = object.targets
        let machine = image.target.machine
        let error: String? = bytes.withUnsafeMutableBytes { buffer in
            guard let out = buffer.baseAddress else { return nil }
            for r in 0..<section.relocationCount {
                let relocation = object.relocation(section, r)
                let offset = Int(relocation.virtualAddress)
                let type = relocation.type
                if type == 0 { continue }
                guard case .bytes(let width) = RelocationWidth.of(type, machine: machine) else {
                    return "\(object.displayName): section \(object.name(of: section).string): relocation type 0x\(String(type, radix: 16)) at offset 0x\(String(offset, radix: 16)) cannot be applied to debug information"
                }
                guard offset >= 0, offset + width <= section.dataCount else {
                    return "\(object.displayName): section \(object.name(of: section).string): relocation at offset 0x\(String(offset, radix: 16)) needs \(width) bytes; the section has \(section.dataCount)"
                }
                let symbolIndex = Int(relocation.symbolTableIndex)
                guard symbolIndex < object.coff.symbolCount else {
                    return "\(object.displayName): section \(object.name(of: section).string): relocation \(r + 1) refers to symbol \(symbolIndex), but the symbol table has \(object.coff.symbolCount) records"
                }
                guard let target = resolveTarget(targets, firstSection: object.firstSection, symbolIndex) else { continue }
                let place = RelocationSite(out: out, offset: offset, site: 0, type: type, target: target)
                let problem: String?
                switch machine {
                case .i386: problem = applyI386(place)
                case .arm64: problem = applyARM64(place, thunkKey: RangeThunkKey(section: object.firstSection + sectionIndex, relocation: r))
                default: problem = applyAMD64(place)
                }
                if let problem {
                    return "\(object.displayName): section \(object.name(of: section).string)+0x\(String(offset, radix: 16)): \(image.target.relocationName(type)) \(problem)"
                }
            }
            return nil
        }
        return (bytes, error)
    }

    /// One relocation being applied: where it is in the output buffer and in the image, and what
    /// it refers to.
    fileprivate struct RelocationSite {
        var out: UnsafeMutableRawPointer
        var offset: Int
        var site: UInt32
        var type: UInt16
        var target: RelocationTarget
    }

    /// The target's address as an RVA (absolute symbols measured from the image base).
    @inline(__always)
    private func destinationRVA(_ target: RelocationTarget) -> Int64 {
        switch target {
        case .rva(let rva, _): return Int64(rva)
        case .absolute(let v): return Int64(bitPattern: v &- image.imageBase)
        }
    }

    @inline(__always)
    private func virtualAddress(_ target: RelocationTarget) -> UInt64 {
        switch target {
        case .rva(let rva, _): return image.imageBase &+ UInt64(rva)
        case .absolute(let v): return v
        }
    }

    /// The 1-based output section index a SECTION relocation stores.
    private func sectionIndex(_ target: RelocationTarget) -> UInt16 {
        switch target {
        case .rva(_, let s): return UInt16(truncatingIfNeeded: Int(s) + 1)
        case .absolute: return UInt16(truncatingIfNeeded: image.sections.count + 1) // lld-link's choice for absolute symbols
        }
    }

    /// An absolute symbol is in no section (lld-link's words first).
    static let secrelOfAbsolute = "has no section to be relative to: SECREL relocation cannot be applied to absolute symbols"

    /// Offset of the target from the start of its output section (SECREL and its ARM64 parts).
    private func sectionOffset(_ target: RelocationTarget) -> Int64? {
        guard case let .rva(rva, s) = target, s >= 0 else { return nil }
        return Int64(rva) - Int64(image.sections[Int(s)].rva)
    }

    /// TOKEN: a CLR metadata token, which the compiler gives as an absolute symbol; the field
    /// gets the token. An address has no token to store.
    private func applyToken(_ p: RelocationSite) -> String? {
        guard case .absolute(let v) = p.target else { return "needs a CLR metadata token (an absolute symbol), but the target is an address in the image" }
        p.out.storeLE(p.out.loadLE32(at: p.offset) &+ UInt32(truncatingIfNeeded: v), at: p.offset)
        return nil
    }

    private func applySecrel32(_ p: RelocationSite) -> String? {
        guard let offset = sectionOffset(p.target) else { return Self.secrelOfAbsolute }
        let value = offset + Int64(Int32(bitPattern: p.out.loadLE32(at: p.offset)))
        guard value >= 0 && value <= Int64(UInt32.max) else { return "gives section offset \(value), out of range" }
        p.out.storeLE(UInt32(value), at: p.offset)
        return nil
    }

    private func applySecrel7(_ p: RelocationSite) -> String? {
        guard let offset = sectionOffset(p.target) else { return Self.secrelOfAbsolute }
        let value = offset + Int64(p.out.load(fromByteOffset: p.offset, as: UInt8.self))
        guard value >= 0 && value < 128 else { return "gives section offset \(value), which does not fit in 7 bits" }
        p.out.storeBytes(of: UInt8(value), toByteOffset: p.offset, as: UInt8.self)
        return nil
    }

    private func applyAddr32NB(_ p: RelocationSite) -> String? {
        let value = destinationRVA(p.target) + Int64(Int32(bitPattern: p.out.loadLE32(at: p.offset)))
        guard value >= 0 && value <= Int64(UInt32.max) else { return "gives RVA \(value), which does not fit in 32 bits" }
        p.out.storeLE(UInt32(value), at: p.offset)
        return nil
    }

    private func applyAddr32(_ p: RelocationSite) -> String? {
        let value = virtualAddress(p.target) &+ UInt64(p.out.loadLE32(at: p.offset))
        guard value <= UInt64(UInt32.max) else { return "needs 0x\(String(value, radix: 16)), which does not fit in 32 bits (image base 0x\(String(image.imageBase, radix: 16)))" }
        p.out.storeLE(UInt32(value), at: p.offset)
        return nil
    }

    private func applyAddr64(_ p: RelocationSite) {
        p.out.storeLE(virtualAddress(p.target) &+ p.out.loadLE64(at: p.offset), at: p.offset)
    }

    /// A 32-bit PC-relative field: the distance from `site + 4 + extra` (the end of the field,
    /// and of any immediate after it on x64).
    private func applyRel32(_ p: RelocationSite, extra: Int64) -> String? {
        let value = destinationRVA(p.target) + Int64(Int32(bitPattern: p.out.loadLE32(at: p.offset))) - (Int64(p.site) + 4 + extra)
        guard value >= Int64(Int32.min) && value <= Int64(Int32.max) else {
            return "needs displacement \(value), out of the ±2 GiB range of a 32-bit PC-relative field"
        }
        p.out.storeLE(UInt32(bitPattern: Int32(value)), at: p.offset)
        return nil
    }

    // MARK: x64

    private func applyAMD64(_ p: RelocationSite) -> String? {
        switch p.type {
        case AMD64Relocation.addr64: applyAddr64(p); return nil
        case AMD64Relocation.addr32: return applyAddr32(p)
        case AMD64Relocation.addr32NB: return applyAddr32NB(p)
        case AMD64Relocation.rel32...AMD64Relocation.rel32_5: return applyRel32(p, extra: Int64(p.type - AMD64Relocation.rel32))
        case AMD64Relocation.section: p.out.storeLE(sectionIndex(p.target), at: p.offset); return nil
        case AMD64Relocation.secrel: return applySecrel32(p)
        case AMD64Relocation.secrel7: return applySecrel7(p)
        default: return nil
        }
    }

    // MARK: x86

    private func applyI386(_ p: RelocationSite) -> String? {
        switch p.type {
        case I386Relocation.dir32:
            // A 32-bit address space: the addend wraps (`ptr - 4` before the image's first byte is fine).
            p.out.storeLE(UInt32(truncatingIfNeeded: virtualAddress(p.target) &+ UInt64(p.out.loadLE32(at: p.offset))), at: p.offset)
            return nil
        case I386Relocation.dir32NB: return applyAddr32NB(p)
        case I386Relocation.rel32: return applyRel32(p, extra: 0)
        case I386Relocation.section: p.out.storeLE(sectionIndex(p.target), at: p.offset); return nil
        case I386Relocation.secrel: return applySecrel32(p)
        case I386Relocation.secrel7: return applySecrel7(p)
        case I386Relocation.token: return applyToken(p)
        default: return nil
        }
    }

    // MARK: ARM64

    /// `thunkKey` finds the range-extension thunk of a branch that cannot reach (a plain value:
    /// a closure here would copy the relocator for every relocation).
    private func applyARM64(_ p: RelocationSite, thunkKey: RangeThunkKey) -> String? {
        let instruction = p.out.loadLE32(at: p.offset)
        switch p.type {
        case ARM64Relocation.addr64: applyAddr64(p); return nil
        case ARM64Relocation.addr32: return applyAddr32(p)
        case ARM64Relocation.addr32NB: return applyAddr32NB(p)
        case ARM64Relocation.rel32: return applyRel32(p, extra: 0)
        case ARM64Relocation.section: p.out.storeLE(sectionIndex(p.target), at: p.offset); return nil
        case ARM64Relocation.secrel: return applySecrel32(p)
        case ARM64Relocation.token: return applyToken(p)
        case ARM64Relocation.branch26, ARM64Relocation.branch19, ARM64Relocation.branch14:
            let (shift, bits): (UInt32, Int64) = p.type == ARM64Relocation.branch26 ? (0, 26) : (p.type == ARM64Relocation.branch19 ? (5, 19) : (5, 14))
            let mask = UInt32((1 << bits) - 1) << shift
            let field = Int64((instruction & mask) >> shift)
            let addend = ((field << (64 - bits)) >> (64 - bits)) << 2
            var distance = destinationRVA(p.target) + addend - Int64(p.site)
            let limit = Int64(1) << (bits + 1)
            if distance < -limit || distance >= limit, let thunk = rangeThunkRVA(thunkKey) {
                distance = Int64(thunk) - Int64(p.site)
            }
            guard distance & 3 == 0 else { return "gives branch displacement \(distance), not a multiple of 4" }
            guard distance >= -limit && distance < limit else {
                return "needs branch displacement \(distance), out of the ±\(limit >= 1 << 20 ? "\(limit >> 20) MiB" : "\(limit >> 10) KiB") range of the instruction"
            }
            let encoded = (UInt32(truncatingIfNeeded: distance >> 2) << shift) & mask
            p.out.storeLE((instruction & ~mask) | encoded, at: p.offset)
            return nil
        case ARM64Relocation.pageBaseRel21:
            let destination = destinationRVA(p.target) + ARM64Encoding.imm21(instruction)
            let pages = (destination >> 12) - (Int64(p.site) >> 12)
            guard pages >= -(1 << 20) && pages < 1 << 20 else { return "needs a page distance of \(pages) pages, out of the ±4 GiB range of adrp" }
            p.out.storeLE(ARM64Encoding.withImm21(instruction, pages), at: p.offset)
            return nil
        case ARM64Relocation.rel21:
            let distance = destinationRVA(p.target) + ARM64Encoding.imm21(instruction) - Int64(p.site)
            guard distance >= -(1 << 20) && distance < 1 << 20 else { return "needs displacement \(distance), out of the ±1 MiB range of adr" }
            p.out.storeLE(ARM64Encoding.withImm21(instruction, distance), at: p.offset)
            return nil
        case ARM64Relocation.pageOffset12A:
            return applyLow12Add(p, instruction, UInt32(truncatingIfNeeded: destinationRVA(p.target) &+ virtualBaseLow12))
        case ARM64Relocation.pageOffset12L:
            return applyLow12Load(p, instruction, UInt32(truncatingIfNeeded: destinationRVA(p.target) &+ virtualBaseLow12))
        case ARM64Relocation.secrelLow12A, ARM64Relocation.secrelHigh12A, ARM64Relocation.secrelLow12L:
            guard let offset = sectionOffset(p.target) else { return Self.secrelOfAbsolute }
            let value = UInt32(truncatingIfNeeded: offset)
            if p.type == ARM64Relocation.secrelHigh12A { return applyLow12Add(p, instruction, value >> 12) }
            return p.type == ARM64Relocation.secrelLow12A ? applyLow12Add(p, instruction, value) : applyLow12Load(p, instruction, value)
        default:
            return nil
        }
    }

    /// The low 12 bits of the image base, so that page offsets of RVAs are those of addresses
    /// (zero for every valid base, which is 64 KiB aligned).
    private var virtualBaseLow12: Int64 { Int64(image.imageBase & 0xFFF) }

    /// add Xd, Xn, #imm12: the field's own value is an addend.
    private func applyLow12Add(_ p: RelocationSite, _ instruction: UInt32, _ value: UInt32) -> String? {
        let addend = instruction >> 10 & 0xFFF
        p.out.storeLE(ARM64Encoding.withLow12(instruction, (value &+ addend) & 0xFFF, scale: 0), at: p.offset)
        return nil
    }

    /// ldr/str with an unsigned offset: the field holds the offset divided by the access size, so
    /// the target's page offset must be a multiple of it; the field's own value (in access-size
    /// units) is an addend.
    private func applyLow12Load(_ p: RelocationSite, _ instruction: UInt32, _ value: UInt32) -> String? {
        let scale = ARM64Encoding.loadStoreScale(instruction)
        let low = value & 0xFFF
        guard low & ((1 << scale) - 1) == 0 else {
            return "gives page offset 0x\(String(low, radix: 16)), not a multiple of the \(1 << scale)-byte access the instruction makes"
        }
        let units = ((low >> scale) &+ (instruction >> 10 & 0xFFF)) & (0xFFF >> scale)
        p.out.storeLE((instruction & ~(0xFFF << 10)) | units << 10, at: p.offset)
        return nil
    }
}

/// How many bytes a relocation type patches, per machine; or why pelink does not apply it.
enum RelocationWidth {
    case bytes(Int)
    case unsupported(Reason)
    case unknown

    /// Why a known relocation type cannot be applied. (No String in the enum: the width of
    /// every relocation of a link is asked, and a payload that is counted would be retained and
    /// released each time.)
    enum Reason: CustomStringConvertible {
        case sixteenBitOrSegmented, notNativeX64

        var description: String {
            switch self {
            case .sixteenBitOrSegmented: return "it is a 16-bit or segmented-code relocation, which a 32-bit PE image cannot hold"
            case .notNativeX64: return "it is not used by native x64 code"
            }
        }
    }

    static func of(_ type: UInt16, machine: Machine) -> RelocationWidth {
        switch machine {
        case .i386:
            switch type {
            case I386Relocation.dir32, I386Relocation.dir32NB, I386Relocation.rel32, I386Relocation.secrel, I386Relocation.token: return .bytes(4)
            case I386Relocation.section: return .bytes(2)
            case I386Relocation.secrel7: return .bytes(1)
            case I386Relocation.dir16, I386Relocation.rel16, I386Relocation.seg12:
                return .unsupported(.sixteenBitOrSegmented)
            default: return .unknown
            }
        case .arm64:
            switch type {
            case ARM64Relocation.addr64: return .bytes(8)
            case ARM64Relocation.section: return .bytes(2)
            case 1...ARM64Relocation.rel32: return .bytes(4)
            default: return .unknown
            }
        default:
            switch type {
            case AMD64Relocation.addr64: return .bytes(8)
            case AMD64Relocation.section: return .bytes(2)
            case AMD64Relocation.secrel7: return .bytes(1)
            case AMD64Relocation.token, AMD64Relocation.pair, AMD64Relocation.srel32, AMD64Relocation.sspan32:
                return .unsupported(.notNativeX64)
            case 1...AMD64Relocation.sspan32: return .bytes(4)
            default: return .unknown
            }
        }
    }
}

/// What a range-extension thunk jumps to: a symbol of an object (the one its first branch names).
struct RangeThunkTarget: Hashable {
    var object: Int32
    var symbol: Int32
    /// The branch's addend, from its immediate field (normally 0).
    var addend: Int32
}

/// An ARM64 branch that goes through a range-extension thunk: its section (global index) and
/// relocation number.
struct RangeThunkKey: Hashable {
    var section: Int
    var relocation: Int
}


/// A count shared by parallel workers: `take()` is true for the first `limit` calls.
final class FailureBudget: @unchecked Sendable {
    private let lock = NSLockish()
    private var remaining: Int
    init(limit: Int) { remaining = limit }
    func take() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard remaining > 0 else { return false }
        remaining -= 1
        return true
    }
}

/// The tables the export directory points at, all placed by layout with the directory.
private struct ExportDirectoryTables {
    var dllName: UInt32, addresses: UInt32, namePointers: UInt32, ordinals: UInt32

    init?(relocator: Relocator) {
        guard let dllName = relocator.rva(of: .exportDLLName), let addresses = relocator.rva(of: .exportAddressTable),
              let namePointers = relocator.rva(of: .exportNamePointers), let ordinals = relocator.rva(of: .exportOrdinals) else { return nil }
        self.dllName = dllName
        self.addresses = addresses
        self.namePointers = namePointers
        self.ordinals = ordinals
    }
}
