import Foundation
import PEFormat

// The PDB of a /debug link, made from the objects' CodeView: their types (.debug$T) merged into
// TPI and IPI, their symbols and line tables (.debug$S) made into one module stream each, global
// symbols collected into the globals stream, the image's external symbols into the publics.
//
// Types are merged while the image is laid out and written (they depend on no address); the
// modules are made once every address is known, in parallel, and their strings entered into
// /names afterwards in object order, so the PDB is the same whatever the thread count.

/// One object's module, made without touching anything shared: its strings are entered into
/// /names afterwards (`nameFixups`).
struct PDBModuleParts {
    var module: PDBModule
    /// Places in `module.c13Lines` (file checksum entries) and `module.symbols` (S_FILESTATIC)
    /// that must hold the /names offset of a string.
    var lineNameFixups: [(offset: Int, string: [UInt8])] = []
    var symbolNameFixups: [(offset: Int, string: [UInt8])] = []
    /// S_PROCREF, S_GDATA32, S_UDT... records for the globals stream, one after another.
    var globals: [UInt8] = []
    var errors: [String] = []
    var warnings: [String] = []
}

/// Merges every object's `.debug$T` in a thread of its own, in object order.
final class TypeMergeJob: @unchecked Sendable {
    private var merger = TypeMerger()
    /// Per object: its type index 0x1000 + i → the merged index.
    private var maps: [[UInt32]] = []
    private var errors: [String] = []
    private let done = DispatchSemaphore(value: 0)
    private let objects: [ObjectFile]

    init(objects: [ObjectFile]) { self.objects = objects }

    func start() {
        Thread.detachNewThread { [self] in
            run()
            done.signal()
        }
    }

    private func run() {
        maps.reserveCapacity(objects.count)
        for object in objects {
            var map: [UInt32] = []
            for section in object.sections {
                let name = object.name(of: section)
                if name.equals(".debug$P") {
                    errors.append("\(object.displayName): section .debug$P: the object was compiled with a precompiled header's types (/Yc), which pelink does not merge; compile it with /Z7 and without /Yc")
                    continue
                }
                guard name.equals(".debug$T"), section.dataCount > 0 else { continue }
                if !map.isEmpty {
                    errors.append("\(object.displayName): more than one .debug$T section; an object has one type stream")
                    continue
                }
                do {
                    map = try merger.merge(debugT: object.data(section), file: object.displayName, sectionOffset: section.dataOffset + (object.coff.view.offset))
                } catch {
                    errors.append("\(error)")
                }
            }
            maps.append(map)
        }
    }

    /// Waits for the merge.
    func finish() -> (merger: TypeMerger, maps: [[UInt32]], errors: [String]) {
        done.wait()
        return (merger, maps, errors)
    }
}

/// What the PDB needs of the image but not of the modules: the publics (their records and
/// stream), the section contributions and the linker's module, made in a thread of their own
/// while the image is written and the modules are made.
final class PDBImagePartsJob: @unchecked Sendable {
    struct Parts {
        var publicRecords: [UInt8]
        var publicsStream: [UInt8]
        var contributions: [PDBSectionContribution]
        var linkerModule: PDBModule
    }
    private var parts: Parts?
    private let done = DispatchSemaphore(value: 0)
    private let builder: PDBBuilder
    private let publics: [PDBPublicSymbol]

    init(builder: PDBBuilder, publics: [PDBPublicSymbol]) {
        self.builder = builder
        self.publics = publics
    }

    func start() {
        Thread.detachNewThread { [self] in
            let (records, stream) = PDBSymbolTables.publics(publics)
            parts = Parts(publicRecords: records, publicsStream: stream, contributions: builder.contributions(), linkerModule: builder.linkerModule())
            done.signal()
        }
    }

    func finish() -> Parts {
        done.wait()
        return parts!
    }
}

struct PDBBuilder {
    let resolver: SymbolResolver
    let image: Linker.Image
    let relocator: Relocator

    /// Every defined external symbol with an address in the image (code, data, import thunks
    /// and IAT slots), as lld-link lists them. Read before the image is written, which releases
    /// the symbols.
    static func publicSymbols(_ resolver: SymbolResolver, image: Linker.Image) -> [PDBPublicSymbol] {
        var publics: [PDBPublicSymbol] = []
        let names = resolver.names
        for (g, symbol) in resolver.symbols.enumerated() where g < image.addresses.count {
            switch symbol.kind {
            case .defined, .common, .importAddress, .importThunk: break
            default: continue
            }
            guard case .rva(let rva, let outputSection) = image.addresses.address(of: g) else { continue }
            let output = Int(outputSection)
            guard rva != 0, output >= 0, output < image.sections.count else { continue }
            let section = image.sections[output]
            publics.append(PDBPublicSymbol(name: [UInt8](names[g].bytes), section: UInt16(truncatingIfNeeded: output + 1),
                                           offset: rva &- section.rva, isFunction: section.flags.contains(.code)))
        }
        return publics
    }

    /// The section contributions: every input section in the image, by place.
    func contributions() -> [PDBSectionContribution] {
        var result: [PDBSectionContribution] = []
        for (s, section) in image.sections.enumerated() {
            for chunk in section.chunks {
                guard case let .inputSection(o, i) = chunk.content else { continue }
                let input = resolver.objects[Int(o)].sections[Int(i)]
                result.append(PDBSectionContribution(section: UInt16(truncatingIfNeeded: s + 1), offset: chunk.rva &- section.rva,
                                                     size: UInt32(truncatingIfNeeded: chunk.size),
                                                     characteristics: input.flags.rawValue, module: UInt16(truncatingIfNeeded: Int(o)),
                                                     dataCRC: 0))
            }
        }
        return result
    }

    /// One object's module stream: the symbols of its `.debug$S` sections that describe code or
    /// data in the image, with type indices merged and scopes linked in the stream, and its
    /// C13 line tables, file checksums and inlinee lines.
    func module(_ index: Int, typeMap: [UInt32], types: TypeMerger) -> PDBModuleParts {
        let object = resolver.objects[index]
        var parts = PDBModuleParts(module: PDBModule(moduleName: object.memberName ?? object.displayName, objectName: object.archivePath ?? object.displayName))
        var debugSections: [(index: Int, bytes: [UInt8])] = []
        for (s, section) in object.sections.enumerated() where object.name(of: section).equals(".debug$S") && section.dataCount > 0 {
            // The debug information of a COMDAT follows its leader: a copy that lost, or code
            // /opt:ref removed, has none in the PDB.
            if section.associatedWith >= 0, Int(section.associatedWith) < object.sections.count {
                let leader = object.firstSection + Int(section.associatedWith)
                if image.sectionOutput[leader] < 0 { continue }
            }
            let (bytes, error) = relocator.relocatedDebugSection(object: object, sectionIndex: s)
            if let error { parts.errors.append(error); return parts }
            debugSections.append((s, bytes))
        }
        // The object's string table (file names of its checksums), wherever it is.
        var strings: [UInt8] = []
        for (_, bytes) in debugSections {
            forEachSubsection(bytes) { kind, range in
                if kind == DebugSubsection.stringTable && strings.isEmpty { strings = Array(bytes[range]) }
            }
        }
        func string(at offset: UInt32) -> [UInt8]? {
            let start = Int(offset)
            guard start < strings.count, let end = strings[start...].firstIndex(of: 0) else { return nil }
            return Array(strings[start..<end])
        }
        var scopes: [Int] = []      // offsets in `symbols` of the open scope records
        let displayName = object.displayName
        for (s, bytes) in debugSections {
            let sectionFileOffset = object.coff.view.offset + object.sections[s].dataOffset
            guard bytes.count >= 4, bytes[0] == 4, bytes[1] == 0, bytes[2] == 0, bytes[3] == 0 else {
                parts.errors.append("\(displayName): at offset 0x\(String(sectionFileOffset, radix: 16)): section .debug$S does not begin with the CodeView C13 signature (4)")
                return parts
            }
            var malformed: String?
            forEachSubsection(bytes, malformed: &malformed) { kind, range in
                if parts.errors.count > 0 { return }
                switch kind {
                case DebugSubsection.symbols:
                    appendSymbols(bytes[range], base: sectionFileOffset + range.lowerBound, typeMap: typeMap, types: types,
                                  scopes: &scopes, parts: &parts, moduleIndex: index, displayName: displayName, string: string)
                case DebugSubsection.fileChecksums:
                    var w = ByteWriter()
                    w.u32(kind); w.u32(UInt32(range.count))
                    let start = parts.module.c13Lines.count + 8
                    var at = range.lowerBound
                    var fixups: [(offset: Int, string: [UInt8])] = []
                    while at + 6 <= range.upperBound {
                        let nameOffset = littleEndian32(bytes, at: at)
                        let checksumSize = Int(bytes[at + 4])
                        guard let name = string(at: nameOffset) else {
                            parts.errors.append("\(displayName): at offset 0x\(String(sectionFileOffset + at, radix: 16)): a file checksum names string table offset \(nameOffset), outside the object's .debug$S string table (\(strings.count) bytes)")
                            return
                        }
                        fixups.append((start + at - range.lowerBound, name))
                        parts.module.sourceFiles.append(String(decoding: name, as: UTF8.self))
                        at = alignUp(at + 6 + checksumSize, 4) 
                    }
                    w.append(bytes[range])
                    w.align(4, fill: 0)
                    parts.module.c13Lines += w.bytes
                    parts.lineNameFixups += fixups
                case DebugSubsection.inlineeLines:
                    var copy = Array(bytes[range])
                    if copy.count >= 4 {
                        let extended = copy[0] == 1
                        var at = 4
                        while at + 12 <= copy.count {
                            let inlinee = littleEndian32(copy, at: at)
                            if inlinee >= 0x1000 {
                                guard Int(inlinee - 0x1000) < typeMap.count else {
                                    parts.errors.append("\(displayName): at offset 0x\(String(sectionFileOffset + range.lowerBound + at, radix: 16)): inlinee lines name item 0x\(String(inlinee, radix: 16)), beyond the object's \(typeMap.count) type records")
                                    return
                                }
                                let merged = typeMap[Int(inlinee - 0x1000)]
                                for k in 0..<4 { copy[at + k] = UInt8(truncatingIfNeeded: merged >> (8 * UInt32(k))) }
                            }
                            var next = at + 12
                            if extended, next + 4 <= copy.count {
                                let extra = Int(littleEndian32(copy, at: next))
                                next += 4 + 4 * min(extra, copy.count)
                            }
                            at = next
                        }
                    }
                    var w = ByteWriter()
                    w.u32(kind); w.u32(UInt32(copy.count)); w.append(copy); w.align(4, fill: 0)
                    parts.module.c13Lines += w.bytes
                case DebugSubsection.stringTable, DebugSubsection.frameData:
                    // The strings go to /names; x86 frame data (FPO) is not carried yet.
                    break
                default:
                    if kind & DebugSubsection.ignore != 0 { break }
                    var w = ByteWriter()
                    w.u32(kind); w.u32(UInt32(range.count)); w.append(bytes[range]); w.align(4, fill: 0)
                    parts.module.c13Lines += w.bytes
                }
            }
            if let malformed {
                parts.errors.append("\(displayName): at offset 0x\(String(sectionFileOffset, radix: 16)): section .debug$S: \(malformed)")
            }
            if !parts.errors.isEmpty { return parts }
        }
        if !scopes.isEmpty {
            parts.warnings.append("\(displayName): .debug$S: \(scopes.count) symbol scope(s) not closed by S_END; the PDB closes them")
        }
        return parts
    }

    /// Calls `body` with each subsection's kind and data range; stops at a malformed one and
    /// says why in `malformed`.
    private func forEachSubsection(_ bytes: [UInt8], malformed: inout String?, _ body: (UInt32, Range<Int>) -> Void) {
        var at = 4
        while at < bytes.count {
            guard at + 8 <= bytes.count else { malformed = "a subsection header at offset \(at) is cut off at the section's end"; return }
            let kind = littleEndian32(bytes, at: at)
            let length = Int(littleEndian32(bytes, at: at + 4))
            guard length <= bytes.count - at - 8 else {
                malformed = "the subsection at offset \(at) (kind 0x\(String(kind, radix: 16))) says it has \(length) bytes, past the section's end (\(bytes.count) bytes)"
                return
            }
            body(kind, at + 8..<at + 8 + length)
            at = alignUp(at + 8 + length, 4)
        }
    }

    private func forEachSubsection(_ bytes: [UInt8], _ body: (UInt32, Range<Int>) -> Void) {
        var ignored: String?
        forEachSubsection(bytes, malformed: &ignored, body)
    }

    /// Appends one DEBUG_S_SYMBOLS subsection's records to the module: each 4-byte aligned, its
    /// type indices merged, its scope linked to the module stream, and the global ones also
    /// (or only) in the globals stream.
    private func appendSymbols(_ records: ArraySlice<UInt8>, base: Int, typeMap: [UInt32], types: TypeMerger,
                               scopes: inout [Int], parts: inout PDBModuleParts, moduleIndex: Int, displayName: String,
                               string: (UInt32) -> [UInt8]?) {
        // One buffer for the record being rewritten, reused: a module has 10^4 records.
        var record: [UInt8] = []
        record.reserveCapacity(256)
        var at = records.startIndex
        while at < records.endIndex {
            guard at + 4 <= records.endIndex else {
                parts.errors.append("\(displayName): at offset 0x\(String(base + at - records.startIndex, radix: 16)): a symbol record is cut off at the end of its subsection")
                return
            }
            let length = Int(UInt16(records[at]) | UInt16(records[at + 1]) << 8)
            guard length >= 2, at + 2 + length <= records.endIndex else {
                parts.errors.append("\(displayName): at offset 0x\(String(base + at - records.startIndex, radix: 16)): a symbol record says it has \(length) bytes, past the end of its subsection")
                return
            }
            record.removeAll(keepingCapacity: true)
            record.append(contentsOf: records[at..<at + 2 + length])
            let recordOffset = base + at - records.startIndex
            at += 2 + length
            var kind = UInt16(record[2]) | UInt16(record[3]) << 8
            guard let fields = record.withUnsafeBytes({ CodeView.typeIndexFields(inSymbolRecord: $0) }) else {
                parts.warnings.append("\(displayName): at offset 0x\(String(recordOffset, radix: 16)): symbol record of unknown kind 0x\(String(kind, radix: 16)) left out of the PDB")
                continue
            }
            for k in 0..<fields.count {
                let fieldOffset = fields.offset + 4 * k
                guard fieldOffset + 4 <= record.count else {
                    parts.errors.append("\(displayName): at offset 0x\(String(recordOffset, radix: 16)): symbol record of kind 0x\(String(kind, radix: 16)) is too short for its type index at offset \(fieldOffset)")
                    return
                }
                let index = littleEndian32(record, at: fieldOffset)
                guard index >= 0x1000 else { continue }
                guard Int(index - 0x1000) < typeMap.count else {
                    parts.errors.append("\(displayName): at offset 0x\(String(recordOffset, radix: 16)): symbol record of kind 0x\(String(kind, radix: 16)) refers to type index 0x\(String(index, radix: 16)), beyond the object's \(typeMap.count) type records")
                    return
                }
                let merged = typeMap[Int(index - 0x1000)]
                record.withUnsafeMutableBytes { $0.storeBytes(of: merged.littleEndian, toByteOffset: fieldOffset, as: UInt32.self) }
            }
            // A procedure's record names its LF_FUNC_ID; the PDB's names its function type, and
            // its end is a plain S_END (what MSVC and lld-link write).
            if kind == CodeViewSymbol.globalProcID || kind == CodeViewSymbol.localProcID || kind == CodeViewSymbol.localProcDPCID {
                if record.count >= 32, let functionType = types.functionType(ofItem: littleEndian32(record, at: 28)) {
                    record.withUnsafeMutableBytes { $0.storeBytes(of: functionType.littleEndian, toByteOffset: 28, as: UInt32.self) }
                }
                kind = kind == CodeViewSymbol.globalProcID ? CodeViewSymbol.globalProc : kind == CodeViewSymbol.localProcID ? CodeViewSymbol.localProc : CodeViewSymbol.localProcDPC
            } else if kind == CodeViewSymbol.procIDEnd {
                kind = CodeViewSymbol.end
            }
            record[2] = UInt8(truncatingIfNeeded: kind); record[3] = UInt8(truncatingIfNeeded: kind >> 8)
            // Records in a PDB are 4-byte aligned.
            while record.count % 4 != 0 { record.append(0) }
            let newLength = UInt16(truncatingIfNeeded: record.count - 2)
            record[0] = UInt8(truncatingIfNeeded: newLength); record[1] = UInt8(truncatingIfNeeded: newLength >> 8)

            let depth = scopes.count
            let streamOffset = UInt32(4 + parts.module.symbols.count)
            var inModule: Bool
            var inGlobals: Bool
            switch kind {
            case CodeViewSymbol.globalData, CodeViewSymbol.globalThreadData: inModule = false; inGlobals = true
            case CodeViewSymbol.procedureReference, CodeViewSymbol.localProcedureReference: inModule = false; inGlobals = true
            case CodeViewSymbol.userDefinedType, CodeViewSymbol.constant: inModule = depth > 0; inGlobals = depth == 0
            case CodeViewSymbol.localData, CodeViewSymbol.localThreadData: inModule = true; inGlobals = depth == 0
            default: inModule = true; inGlobals = false
            }
            if CodeViewSymbol.isProcedure(kind) { inGlobals = true }
            if CodeViewSymbol.closesScope(kind) {
                guard let opener = scopes.popLast() else {
                    parts.warnings.append("\(displayName): at offset 0x\(String(recordOffset, radix: 16)): S_END with no open scope left out of the PDB")
                    continue
                }
                parts.module.symbols.withUnsafeMutableBytes { $0.storeBytes(of: streamOffset.littleEndian, toByteOffset: opener + 8, as: UInt32.self) }
            }
            if kind == CodeViewSymbol.fileStatic, record.count >= 16 {
                // S_FILESTATIC names its file by the object's string table; the PDB's is /names.
                let nameOffset = record.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self)) }
                if let name = string(nameOffset) { parts.symbolNameFixups.append((parts.module.symbols.count + 8, name)) }
            }
            if inModule {
                if CodeViewSymbol.opensScope(kind), record.count >= 12 {
                    let parent = UInt32(scopes.last.map { 4 + $0 } ?? 0)
                    record.withUnsafeMutableBytes { $0.storeBytes(of: parent.littleEndian, toByteOffset: 4, as: UInt32.self) }
                    scopes.append(parts.module.symbols.count)
                }
                parts.module.symbols += record
            }
            if inGlobals {
                if CodeViewSymbol.isProcedure(kind) {
                    // S_PROCREF / S_LPROCREF: where the procedure is in which module's stream.
                    let nameStart = 4 + 35
                    guard record.count > nameStart else { continue }
                    let nameEnd = record[nameStart...].firstIndex(of: 0) ?? record.count
                    var reference = ByteWriter(capacity: 16 + nameEnd - nameStart)
                    reference.u16(0)
                    reference.u16(kind == CodeViewSymbol.globalProc ? CodeViewSymbol.procedureReference : CodeViewSymbol.localProcedureReference)
                    reference.u32(0)
                    reference.u32(streamOffset)
                    reference.u16(UInt16(truncatingIfNeeded: moduleIndex + 1))
                    reference.append(record[nameStart..<nameEnd])
                    reference.u8(0)
                    reference.align(4, fill: 0)
                    reference.patchU16(at: 0, UInt16(truncatingIfNeeded: reference.count - 2))
                    parts.globals += reference.bytes
                } else {
                    parts.globals += record
                }
            }
        }
    }

    /// The "* Linker *" module: the linker's own S_OBJNAME and S_COMPILE3, and one S_SECTION per
    /// image section (no paths or times: the PDB stays reproducible).
    func linkerModule() -> PDBModule {
        var module = PDBModule(moduleName: "* Linker *", objectName: "")
        var w = ByteWriter()
        func record(_ kind: UInt16, _ body: (inout ByteWriter) -> Void) {
            let start = w.count
            w.u16(0); w.u16(kind)
            body(&w)
            w.align(4, fill: 0)
            w.patchU16(at: start, UInt16(truncatingIfNeeded: w.count - start - 2))
        }
        record(CodeViewSymbol.objectName) { $0.u32(0); $0.cString("* Linker *") }
        record(CodeViewSymbol.compile3) {
            $0.u32(7)                   // language: Link
            $0.u16(image.target.codeViewMachine)
            for _ in 0..<8 { $0.u16(0) }
            $0.cString("pelink")
        }
        for (s, section) in image.sections.enumerated() {
            record(CodeViewSymbol.section) {
                $0.u16(UInt16(truncatingIfNeeded: s + 1))
                $0.u8(12)               // alignment log2 of the section alignment
                $0.u8(0)
                $0.u32(section.rva)
                $0.u32(UInt32(truncatingIfNeeded: section.virtualSize))
                $0.u32(section.flags.rawValue)
                $0.cString(section.name)
            }
        }
        module.symbols = w.bytes
        return module
    }
}

/// The little-endian word at `at` of a byte array the caller has bounds-checked.
@inline(__always) private func littleEndian32(_ bytes: [UInt8], at: Int) -> UInt32 {
    bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
}
