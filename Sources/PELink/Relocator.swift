import Foundation
import PEFormat

/// Writes chunks into the output: input sections copied and relocated in one pass, and the
/// linker's own tables. Reads the finished layout only, so any number of threads can use it.
struct Relocator: @unchecked Sendable {
    let resolver: SymbolResolver
    let image: Linker.Image
    // The symbol address table's arrays, held directly so a lookup retains nothing.
    private let addressState: [UInt8]
    private let addressValue: [UInt64]
    private let addressSection: [Int32]
    private let sectionRVA: [UInt32]
    private let sectionOutput: [Int32]
    /// Naming the function around a failing relocation scans the object's symbols; only the
    /// first few failures get that detail, so a file full of bad relocations cannot make the
    /// error report quadratic.
    private let detailedFailures = FailureBudget(limit: 20)

    init(resolver: SymbolResolver, image: Linker.Image) {
        self.resolver = resolver
        self.image = image
        addressState = image.addresses.state
        addressValue = image.addresses.value
        addressSection = image.addresses.outputSection
        sectionRVA = image.sectionRVA
        sectionOutput = image.sectionOutput
    }

    /// Writes `chunk` at `out`; returns an error message when a relocation cannot be applied.
    func write(_ chunk: Chunk, to out: UnsafeMutableRawPointer) -> String? {
        switch chunk.content {
        case let .inputSection(o, s):
            let object = resolver.objects[Int(o)]
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
            out.storeLE(isHead ? UInt64.max : 0, at: 0)
        case .localImportSlots:
            for (k, x) in resolver.localImportTargets.enumerated() {
                let state = addressState[Int(x)]
                let value = state == SymbolAddressTable.rva ? image.imageBase &+ addressValue[Int(x)]
                    : (state == SymbolAddressTable.absolute ? addressValue[Int(x)] : 0)
                out.storeLE(value, at: 8 * k)
            }
        case .baseRelocations:
            image.baseRelocationTable.withUnsafeBytes { out.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        }
        return nil
    }

    /// Where layout put one of the linker's tables; nil when layout made none.
    fileprivate func rva(of table: Chunk.Content) -> UInt32? { image.chunkRVA[table]?.rva }

    /// A table that refers to another one that layout did not place: a pelink defect, reported
    /// instead of writing address 0.
    private func missingTable(_ chunk: Chunk) -> String {
        "internal error: the linker table \(chunk.content) refers to a table that layout did not place; please report this"
    }

    private func writeCString(_ s: String, to out: UnsafeMutableRawPointer) {
        var s = s
        s.withUTF8 { bytes in
            if bytes.count > 0 { out.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
            out.storeBytes(of: 0, toByteOffset: bytes.count, as: UInt8.self)
        }
    }

    // MARK: Imports

    private func writeImportDirectory(_ out: UnsafeMutableRawPointer, lookupTable ilt: UInt32, addressTable iat: UInt32, dllNames names: UInt32) {
        var slot: UInt32 = 0
        for (d, dll) in image.imports.dlls.enumerated() {
            let at = d * 20
            out.storeLE(ilt + slot * 8, at: at)            // OriginalFirstThunk
            out.storeLE(UInt32(0), at: at + 4)             // TimeDateStamp
            out.storeLE(UInt32(0), at: at + 8)             // ForwarderChain
            out.storeLE(names + UInt32(image.imports.dllNameOffsets[d]), at: at + 12)
            out.storeLE(iat + slot * 8, at: at + 16)       // FirstThunk
            slot += UInt32(dll.entries.count + 1)
        }
    }

    private func writeImportSlots(_ out: UnsafeMutableRawPointer, hintNames hints: UInt32) {
        var slot = 0
        for dll in image.imports.dlls {
            for i in dll.entries {
                let entry = resolver.imports[i]
                let value: UInt64 = entry.importName == nil
                    ? (1 << 63) | UInt64(entry.ordinal)
                    : UInt64(hints + UInt32(image.imports.hintNameOffsets[i]))
                out.storeLE(value, at: slot * 8)
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
        // Gaps between 16-byte thunk slots are code padding.
        memset(out, 0xCC, (image.imports.thunkCount - 1) * 16 + ImportTables.thunkSize)
        for (i, entry) in resolver.imports.enumerated() where image.imports.thunkOffsets[i] >= 0 {
            let offset = image.imports.thunkOffsets[i]
            let p = out + offset
            p.storeBytes(of: 0xFF, toByteOffset: 0, as: UInt8.self)   // jmp qword ptr [rip+disp32]
            p.storeBytes(of: 0x25, toByteOffset: 1, as: UInt8.self)
            let next = Int64(chunkRVA) + Int64(offset) + 6
            p.storeLE(UInt32(truncatingIfNeeded: Int64(entry.iatRVA) - next), at: 2)
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
        switch addressState[Int(g)] {
        case SymbolAddressTable.rva: return UInt32(truncatingIfNeeded: addressValue[Int(g)])
        case SymbolAddressTable.absolute: return UInt32(truncatingIfNeeded: addressValue[Int(g)] &- image.imageBase)
        default: return nil
        }
    }

    // MARK: Relocations (x64)

    /// Where a relocation's symbol lands: an RVA, or an absolute value that does not move.
    private enum Target {
        case rva(UInt32, outputSection: Int32)
        case absolute(UInt64)
    }

    @inline(__always)
    private func resolveTarget(_ targets: [SymbolTarget], firstSection: Int, _ index: Int) -> Target? {
        guard index < targets.count else { return nil }
        switch targets[index].decoded {
        case .none: return nil
        case .absolute(let v): return .absolute(UInt64(v))
        case let .local(s, value):
            let global = firstSection + Int(s)
            guard sectionOutput[global] >= 0 else { return nil }
            return .rva(sectionRVA[global] &+ value, outputSection: sectionOutput[global])
        case .global(let g):
            switch addressState[Int(g)] {
            case SymbolAddressTable.rva:
                return .rva(UInt32(truncatingIfNeeded: addressValue[Int(g)]), outputSection: addressSection[Int(g)])
            case SymbolAddressTable.absolute:
                return .absolute(addressValue[Int(g)])
            default:
                return nil
            }
        }
    }

    private func symbolDescription(_ object: ObjectFile, _ index: Int) -> String {
        if index < object.targets.count, case .global(let g) = object.targets[index].decoded { return resolver.displayName(of: g) }
        return (try? object.coff.symbolName(index)) ?? "symbol #\(index)"
    }

    /// "function+0x12" for the symbol of `object` that contains `offset` of section `sectionIndex`:
    /// only computed for error messages.
    private func containingSymbol(_ object: ObjectFile, sectionIndex: Int, offset: Int) -> String? {
        var best: (value: UInt32, name: String)?
        var i = 0
        let coff = object.coff
        while i < coff.symbolCount {
            let record = coff.symbol(i)
            let isNamed = record.storageClass == StorageClass.external || record.storageClass == StorageClass.static && record.auxiliaryCount == 0
                || record.storageClass == StorageClass.label || record.storageClass == StorageClass.function
            if isNamed, record.sectionNumber == Int32(sectionIndex + 1), Int(record.value) <= offset,
               best == nil || record.value >= best!.value, let name = try? coff.symbolName(i) {
                best = (record.value, name)
            }
            i += 1 + record.auxiliaryCount
        }
        guard let best else { return nil }
        let delta = offset - Int(best.value)
        return best.name + demangledSuffix(best.name) + (delta == 0 ? "" : "+0x" + String(delta, radix: 16))
    }

    private func relocate(object: ObjectFile, sectionIndex: Int, section: InputSection, at out: UnsafeMutableRawPointer) -> String? {
        let imageBase = image.imageBase
        let targets = object.targets
        let firstSection = object.firstSection
        let sectionStart = sectionRVA[firstSection + sectionIndex]
        for r in 0..<section.relocationCount {
            let relocation = object.relocation(section, r)
            let offset = Int(relocation.virtualAddress)
            let type = relocation.type
            if type == AMD64Relocation.absolute { continue }
            let width: Int
            switch type {
            case AMD64Relocation.addr64: width = 8
            case AMD64Relocation.section: width = 2
            case AMD64Relocation.secrel7: width = 1
            case AMD64Relocation.token, AMD64Relocation.pair, AMD64Relocation.srel32, AMD64Relocation.sspan32:
                return "\(object.displayName): section \(object.name(of: section).string): relocation \(AMD64Relocation.name(type)) at offset 0x\(String(offset, radix: 16)) is not supported (it is not used by native x64 code)"
            default:
                if type > AMD64Relocation.sspan32 {
                    return "\(object.displayName): section \(object.name(of: section).string): unknown relocation type 0x\(String(type, radix: 16)) at offset 0x\(String(offset, radix: 16))"
                }
                width = 4
            }
            guard offset >= 0, offset + width <= section.dataCount else {
                return "\(object.displayName): section \(object.name(of: section).string): relocation \(AMD64Relocation.name(type)) at offset 0x\(String(offset, radix: 16)) needs \(width) bytes, past the end of the section's \(section.dataCount) bytes"
            }
            let symbolIndex = Int(relocation.symbolTableIndex)
            guard symbolIndex < object.coff.symbolCount else {
                let record = section.relocationsOffset + r * 10
                return "\(object.coff.view.error(at: record, "relocation \(r + 1) of section \(object.name(of: section).string) (at offset 0x\(String(offset, radix: 16)) in the section) refers to symbol \(symbolIndex), but the symbol table has \(object.coff.symbolCount) records"))"
            }
            guard let target = resolveTarget(targets, firstSection: firstSection, symbolIndex) else {
                return "\(object.displayName): section \(object.name(of: section).string): relocation at offset 0x\(String(offset, radix: 16)) refers to \(symbolDescription(object, symbolIndex)), which is not in the image (undefined, discarded, or not a symbol)"
            }
            let site = sectionStart &+ UInt32(offset)
            func fail(_ what: String) -> String {
                let place = detailedFailures.take() ? containingSymbol(object, sectionIndex: sectionIndex, offset: offset).map { " (in \($0))" } ?? "" : ""
                let from = "0x" + String(imageBase &+ UInt64(site), radix: 16)
                let to: String
                switch target {
                case .rva(let rva, _): to = "0x" + String(imageBase &+ UInt64(rva), radix: 16)
                case .absolute(let v): to = "0x" + String(v, radix: 16) + " (absolute)"
                }
                return "\(object.displayName): section \(object.name(of: section).string)+0x\(String(offset, radix: 16))\(place): \(AMD64Relocation.name(type)) from \(from) to \(symbolDescription(object, symbolIndex)) at \(to) \(what)"
            }
            switch type {
            case AMD64Relocation.addr64:
                let addend = out.loadLE64(at: offset)
                let value: UInt64
                switch target {
                case .rva(let rva, _): value = imageBase &+ UInt64(rva) &+ addend
                case .absolute(let v): value = v &+ addend
                }
                out.storeLE(value, at: offset)
            case AMD64Relocation.addr32:
                let addend = UInt64(out.loadLE32(at: offset))
                let value: UInt64
                switch target {
                case .rva(let rva, _): value = imageBase &+ UInt64(rva) &+ addend
                case .absolute(let v): value = v &+ addend
                }
                guard value <= UInt64(UInt32.max) else { return fail("needs 0x\(String(value, radix: 16)), which does not fit in 32 bits (image base 0x\(String(imageBase, radix: 16)))") }
                out.storeLE(UInt32(value), at: offset)
            case AMD64Relocation.addr32NB:
                let addend = Int64(Int32(bitPattern: out.loadLE32(at: offset)))
                let value: Int64
                switch target {
                case .rva(let rva, _): value = Int64(rva) + addend
                case .absolute(let v): value = Int64(bitPattern: v &- imageBase) + addend
                }
                guard value >= 0 && value <= Int64(UInt32.max) else { return fail("gives RVA \(value), which does not fit in 32 bits") }
                out.storeLE(UInt32(value), at: offset)
            case AMD64Relocation.rel32...AMD64Relocation.rel32_5:
                let addend = Int64(Int32(bitPattern: out.loadLE32(at: offset)))
                let extra = Int64(type - AMD64Relocation.rel32)
                let destination: Int64
                switch target {
                case .rva(let rva, _): destination = Int64(rva)
                case .absolute(let v): destination = Int64(bitPattern: v &- imageBase)
                }
                let value = destination + addend - (Int64(site) + 4 + extra)
                guard value >= Int64(Int32.min) && value <= Int64(Int32.max) else {
                    return fail("needs displacement \(value), out of the ±2 GiB range of a 32-bit PC-relative field")
                }
                out.storeLE(UInt32(bitPattern: Int32(value)), at: offset)
            case AMD64Relocation.section:
                let index: Int
                switch target {
                case .rva(_, let s): index = Int(s) + 1
                case .absolute: index = image.sections.count + 1 // lld-link's choice for absolute symbols
                }
                out.storeLE(UInt16(truncatingIfNeeded: index), at: offset)
            case AMD64Relocation.secrel, AMD64Relocation.secrel7:
                guard case let .rva(rva, s) = target, s >= 0 else { return fail("has no section to be relative to") }
                let addend = Int64(type == AMD64Relocation.secrel ? Int64(Int32(bitPattern: out.loadLE32(at: offset))) : Int64(out.load(fromByteOffset: offset, as: UInt8.self)))
                let value = Int64(rva) - Int64(image.sections[Int(s)].rva) + addend
                if type == AMD64Relocation.secrel {
                    guard value >= 0 && value <= Int64(UInt32.max) else { return fail("gives section offset \(value), out of range") }
                    out.storeLE(UInt32(value), at: offset)
                } else {
                    guard value >= 0 && value < 128 else { return fail("gives section offset \(value), which does not fit in 7 bits") }
                    out.storeBytes(of: UInt8(value), toByteOffset: offset, as: UInt8.self)
                }
            default:
                break
            }
        }
        return nil
    }
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
