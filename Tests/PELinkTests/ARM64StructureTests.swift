// ARM64 structure tests: every `ok` golden case whose name starts with `arm64-` is linked by pelink
// (in-process) and by lld-link, each with /map. Then every relocation of every section of every
// input object is found again in both images and decoded from the bytes each linker wrote, by a
// decoder that lives in this file (a test oracle, independent of pelink's Relocator):
//
//   - where the site is: the input section's place in the image, from the map's public and static
//     symbols defined in that section (symbol RVA - symbol value); a section with no named symbol
//     (clang's .xdata) is found by its bytes, with the relocated fields masked out. .pdata entries
//     are sorted by the linker, so an object's .pdata entry is found as the exception-directory
//     entry that begins at that entry's function;
//   - what it reaches, by relocation type: adrp page (PAGEBASE_REL21), add/ldr/str :lo12: with the
//     load/store scale (PAGEOFFSET_12A/12L, SECREL_LOW12A/LOW12L; 128-bit q accesses scale by 16),
//     add :secrel_hi12: (SECREL_HIGH12A), b/bl imm26, b.cond/cbz/cbnz imm19, tbz/tbnz imm14,
//     adr imm21, 32/64-bit data words (ADDR32 as a VA, ADDR32NB, ADDR64, REL32 from the byte after
//     the field, SECREL from the start of the target's output section), SECTION indices;
//   - expressed as symbol + addend with the image's own symbol addresses ("far_fn+0x0",
//     "page(table+0xff8)", "lo12(vars+0x30)", "section(big_tls)"). An import thunk or IAT slot is
//     followed to its DLL entry ("[import thunk -> kernel32.dll!Sleep]"); a branch that lands on a
//     range-extension thunk (adrp x16 / add x16, x16, :lo12: / br x16) is followed to the thunk's
//     target, and a thunk of any other shape is reported. The instruction bits outside the
//     relocated field must be the object's.
//
// The test asserts that pelink's expression equals lld-link's for every relocation and lists every
// mismatch with case, object, section, offset and type. It also checks that lld-link's results are
// what the decoder expects (symbol + the object's addend), so that a decoder bug cannot hide
// behind two linkers agreeing; that the exception directory is sorted and holds every .pdata entry,
// and packed unwind words (no relocation) are copied unchanged; that `llvm-objdump -d`
// disassembles pelink's DLL; and that `llvm-readobj --coff-exports --coff-imports --coff-basereloc
// --unwind` reads it without an error or warning. A "note:" line per case says how many
// relocations were checked and how many went through range-extension or import thunks.
//
// "the oracle catches corrupted images" checks the checker: lld-link's image compared with itself
// must give no mismatch, and a copy with one relocated field of each type corrupted (and the
// second instruction of one range-extension and one import thunk) must give a mismatch at exactly
// those sites (and every branch through the corrupted thunks). "the arm64 cases cover every relocation type" reads the objects
// of all arm64-* cases (error cases included) and asserts that every IMAGE_REL_ARM64_* type occurs.

import Foundation
import PEFormat
import PELink
import Testing

// MARK: - Relocation types

enum ARM64Reloc {
    static let absolute: UInt16 = 0x0
    static let addr32: UInt16 = 0x1
    static let addr32nb: UInt16 = 0x2
    static let branch26: UInt16 = 0x3
    static let pagebaseRel21: UInt16 = 0x4
    static let rel21: UInt16 = 0x5
    static let pageoffset12A: UInt16 = 0x6
    static let pageoffset12L: UInt16 = 0x7
    static let secrel: UInt16 = 0x8
    static let secrelLow12A: UInt16 = 0x9
    static let secrelHigh12A: UInt16 = 0xA
    static let secrelLow12L: UInt16 = 0xB
    static let token: UInt16 = 0xC
    static let section: UInt16 = 0xD
    static let addr64: UInt16 = 0xE
    static let branch19: UInt16 = 0xF
    static let branch14: UInt16 = 0x10
    static let rel32: UInt16 = 0x11

    static let names: [UInt16: String] = [
        0x0: "ABSOLUTE", 0x1: "ADDR32", 0x2: "ADDR32NB", 0x3: "BRANCH26", 0x4: "PAGEBASE_REL21", 0x5: "REL21",
        0x6: "PAGEOFFSET_12A", 0x7: "PAGEOFFSET_12L", 0x8: "SECREL", 0x9: "SECREL_LOW12A", 0xA: "SECREL_HIGH12A",
        0xB: "SECREL_LOW12L", 0xC: "TOKEN", 0xD: "SECTION", 0xE: "ADDR64", 0xF: "BRANCH19", 0x10: "BRANCH14", 0x11: "REL32",
    ]

    static func name(_ type: UInt16) -> String { names[type] ?? "0x" + String(type, radix: 16) }

    /// Size of the field a relocation patches.
    static func fieldSize(_ type: UInt16) -> Int {
        switch type {
        case addr64: return 8
        case section: return 2
        default: return 4
        }
    }

    /// The instruction bits a relocation owns (the immediate); nil for data relocations.
    static func immediateMask(_ type: UInt16) -> UInt32? {
        switch type {
        case branch26: return 0x03FF_FFFF
        case branch19: return 0x00FF_FFE0
        case branch14: return 0x0007_FFE0
        case rel21, pagebaseRel21: return 0x60FF_FFE0
        case pageoffset12A, pageoffset12L, secrelLow12A, secrelHigh12A, secrelLow12L: return 0x003F_FC00
        default: return nil
        }
    }
}

// MARK: - Instruction decoding (the oracle)

enum ARM64Decode {
    static func signExtend(_ value: UInt32, bits: Int) -> Int64 {
        let shift = 64 - bits
        return (Int64(value) << shift) >> shift
    }

    /// b / bl.
    static func isBranch26(_ w: UInt32) -> Bool { w & 0x7C00_0000 == 0x1400_0000 }
    /// b.cond, cbz/cbnz (32/64).
    static func isBranch19(_ w: UInt32) -> Bool { w & 0xFF00_0010 == 0x5400_0000 || w & 0x7E00_0000 == 0x3400_0000 }
    /// tbz/tbnz.
    static func isBranch14(_ w: UInt32) -> Bool { w & 0x7E00_0000 == 0x3600_0000 }
    static func isADR(_ w: UInt32) -> Bool { w & 0x9F00_0000 == 0x1000_0000 }
    static func isADRP(_ w: UInt32) -> Bool { w & 0x9F00_0000 == 0x9000_0000 }
    /// add/adds/sub/subs (immediate), 32 or 64 bits.
    static func isAddSubImmediate(_ w: UInt32) -> Bool { w & 0x1F00_0000 == 0x1100_0000 }
    /// Load/store (unsigned immediate), general or FP/SIMD registers, and prfm.
    static func isLoadStoreUnsignedImmediate(_ w: UInt32) -> Bool { w & 0x3B00_0000 == 0x3900_0000 }

    static func branch26Offset(_ w: UInt32) -> Int64 { signExtend(w & 0x03FF_FFFF, bits: 26) * 4 }
    static func branch19Offset(_ w: UInt32) -> Int64 { signExtend((w >> 5) & 0x7FFFF, bits: 19) * 4 }
    static func branch14Offset(_ w: UInt32) -> Int64 { signExtend((w >> 5) & 0x3FFF, bits: 14) * 4 }
    /// adr's byte offset, or adrp's page count.
    static func imm21(_ w: UInt32) -> Int64 { signExtend(((w >> 5) & 0x7FFFF) << 2 | (w >> 29) & 3, bits: 21) }
    static func imm12(_ w: UInt32) -> Int64 { Int64((w >> 10) & 0xFFF) }
    /// add's `lsl #12` bit.
    static func shift12(_ w: UInt32) -> Bool { (w >> 22) & 1 == 1 }

    /// log2 of a load/store's access size: the size field, plus 4 for 128-bit FP/SIMD accesses
    /// (V bit 26 with opc bit 23: ldr/str q).
    static func loadStoreScale(_ w: UInt32) -> Int {
        var scale = Int(w >> 30)
        if w & 0x0480_0000 == 0x0480_0000 { scale += 4 }
        return scale
    }

    static func rd(_ w: UInt32) -> UInt32 { w & 0x1F }
    static func rn(_ w: UInt32) -> UInt32 { (w >> 5) & 0x1F }

    /// The low 12 bits a :lo12:-style instruction carries, in bytes (load/store immediates scaled).
    static func low12Bytes(_ w: UInt32, type: UInt16) -> Int64 {
        type == ARM64Reloc.pageoffset12L || type == ARM64Reloc.secrelLow12L ? imm12(w) << loadStoreScale(w) : imm12(w)
    }

    /// The addend the object's own field holds, in bytes, as lld-link and link.exe read it.
    static func objectAddend(type: UInt16, word: UInt32, word64: UInt64, half: UInt16) -> Int64 {
        switch type {
        case ARM64Reloc.addr32, ARM64Reloc.addr32nb, ARM64Reloc.secrel: return Int64(word)
        case ARM64Reloc.rel32: return Int64(Int32(bitPattern: word))
        case ARM64Reloc.addr64: return Int64(bitPattern: word64)
        case ARM64Reloc.section: return Int64(half)
        case ARM64Reloc.branch26: return branch26Offset(word)
        case ARM64Reloc.branch19: return branch19Offset(word)
        case ARM64Reloc.branch14: return branch14Offset(word)
        case ARM64Reloc.rel21, ARM64Reloc.pagebaseRel21: return imm21(word)
        case ARM64Reloc.pageoffset12A, ARM64Reloc.secrelLow12A: return imm12(word)
        case ARM64Reloc.secrelHigh12A: return imm12(word) << 12
        case ARM64Reloc.pageoffset12L, ARM64Reloc.secrelLow12L: return imm12(word) << loadStoreScale(word)
        default: return 0
        }
    }

    /// Does the instruction match the kind its relocation patches?
    static func fitsType(_ w: UInt32, type: UInt16) -> Bool {
        switch type {
        case ARM64Reloc.branch26: return isBranch26(w)
        case ARM64Reloc.branch19: return isBranch19(w)
        case ARM64Reloc.branch14: return isBranch14(w)
        case ARM64Reloc.rel21: return isADR(w)
        case ARM64Reloc.pagebaseRel21: return isADRP(w)
        case ARM64Reloc.pageoffset12A, ARM64Reloc.secrelLow12A, ARM64Reloc.secrelHigh12A: return isAddSubImmediate(w)
        case ARM64Reloc.pageoffset12L, ARM64Reloc.secrelLow12L: return isLoadStoreUnsignedImmediate(w)
        default: return true
        }
    }

    static let brX16: UInt32 = 0xD61F_0200

    /// adrp x16, page / add x16, x16, #lo12 / br x16: the target, or nil.
    static func rangeThunkTarget(at rva: Int64, words: [UInt32]) -> Int64? {
        guard words.count == 3, isADRP(words[0]), rd(words[0]) == 16,
              words[1] & 0xFFC0_03FF == 0x9100_0210, words[2] == brX16 else { return nil }
        return (rva & ~0xFFF) + (imm21(words[0]) << 12) + imm12(words[1])
    }

    /// adrp x16, page / ldr x16, [x16, #lo12] / br x16: the address of the IAT slot, or nil.
    static func importThunkSlot(at rva: Int64, words: [UInt32]) -> Int64? {
        guard words.count == 3, isADRP(words[0]), rd(words[0]) == 16,
              words[1] & 0xFFC0_03FF == 0xF940_0210, words[2] == brX16 else { return nil }
        return (rva & ~0xFFF) + (imm21(words[0]) << 12) + (imm12(words[1]) << 3)
    }
}

func arm64Hex(_ value: Int64) -> String {
    value < 0 ? "-0x" + String(UInt64(-value), radix: 16) : "0x" + String(value, radix: 16)
}

func arm64Signed(_ value: Int64) -> String { value < 0 ? arm64Hex(value) : "+" + arm64Hex(value) }

// MARK: - Map files

/// The public and static symbols of a link.exe-style map (pelink's and lld-link's), by RVA.
struct ARM64MapSymbols {
    struct Public { var rva: Int64; var source: String }
    var publics: [String: Public] = [:]
    /// Object label ("targets.obj") -> name -> RVA (the first of a name).
    var statics: [String: [String: Int64]] = [:]
    /// Every named address, for describing stray addresses.
    var all: [(rva: Int64, name: String)] = []

    init(parsing text: String, imageBase: UInt64) {
        enum Part { case header, publics, statics, other }
        var part = Part.header
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("Address") && line.contains("Publics by Value") { part = .publics; continue }
            if line == "Static symbols" { part = .statics; continue }
            if line.hasPrefix("entry point at") || line == "Exports" { part = .other; continue }
            guard part == .publics || part == .statics else { continue }
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard fields.count >= 3, fields[0].count == 13, fields[0].dropFirst(4).first == ":",
                  !fields[0].hasPrefix("0000:"), let address = UInt64(fields[2], radix: 16) else { continue }
            let rva = Int64(bitPattern: address &- imageBase)
            let source = fields.count >= 4 ? fields[fields.count - 1] : ""
            let name = fields[1]
            all.append((rva, name))
            if part == .publics {
                if publics[name] == nil { publics[name] = Public(rva: rva, source: source) }
            } else if statics[source]?[name] == nil {
                statics[source, default: [:]][name] = rva
            }
        }
        all.sort { $0.rva < $1.rva }
    }

    /// "name+0x10" for the nearest named address at or below `rva`.
    func nearest(_ rva: Int64) -> String {
        var low = 0, high = all.count
        while low < high {
            let middle = (low + high) / 2
            if all[middle].rva <= rva { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return "no symbol below" }
        let symbol = all[low - 1]
        return "\(symbol.name)\(arm64Signed(rva - symbol.rva))"
    }
}

// MARK: - One linked image

final class ARM64LinkedImage {
    let label: String
    let file: MappedFile
    let image: PEImage
    let map: ARM64MapSymbols
    let imageBase: UInt64
    /// IAT slot RVA -> "dll!name" or "dll!#ordinal".
    let iatNames: [Int64: String]
    /// The exception directory's 8-byte entries: where each is, its begin RVA and its unwind word.
    let exceptionEntries: [(at: Int64, begin: Int64, unwind: UInt32)]
    let exceptionProblems: [String]

    init(label: String, dll: URL, map mapURL: URL) throws {
        self.label = label
        let file = try MappedFile(path: dll.path)
        let image = try PEImage(view: file.view)
        self.file = file
        self.image = image
        imageBase = image.optionalHeader.imageBase
        map = ARM64MapSymbols(parsing: try String(contentsOf: mapURL, encoding: .utf8), imageBase: image.optionalHeader.imageBase)
        var names: [Int64: String] = [:]
        for dll in image.imports {
            for entry in dll.entries {
                names[Int64(entry.iatRVA)] = "\(dll.name)!" + (entry.name ?? "#\(entry.ordinal ?? 0)")
            }
        }
        iatNames = names
        var entries: [(at: Int64, begin: Int64, unwind: UInt32)] = []
        var problems: [String] = []
        if let directory = image.directory(.exception) {
            if directory.size % 8 != 0 { problems.append("exception directory size \(directory.size) is not a multiple of 8") }
            let count = Int(directory.size) / 8
            if let bytes = try? image.bytes(atRVA: directory.rva, count: count * 8, what: "exception directory") {
                for index in 0..<count {
                    entries.append((Int64(directory.rva) + Int64(index * 8), Int64(bytes.u32(index * 8)), bytes.u32(index * 8 + 4)))
                }
            } else {
                problems.append("the exception directory (RVA 0x\(String(directory.rva, radix: 16)), \(directory.size) bytes) is not in the file")
            }
        }
        exceptionEntries = entries
        exceptionProblems = problems
    }

    func u32(_ rva: Int64) -> UInt32? {
        guard rva >= 0, rva <= Int64(UInt32.max), let view = try? image.bytes(atRVA: UInt32(rva), count: 4) else { return nil }
        return view.u32(0)
    }

    func u64(_ rva: Int64) -> UInt64? {
        guard rva >= 0, rva <= Int64(UInt32.max), let view = try? image.bytes(atRVA: UInt32(rva), count: 8) else { return nil }
        return view.u64(0)
    }

    func u16(_ rva: Int64) -> UInt16? {
        guard rva >= 0, rva <= Int64(UInt32.max), let view = try? image.bytes(atRVA: UInt32(rva), count: 2) else { return nil }
        return view.u16(0)
    }

    func words(_ rva: Int64, count: Int) -> [UInt32] {
        (0..<count).compactMap { u32(rva + Int64($0 * 4)) }
    }

    func outputSection(containing rva: Int64) -> (index: Int, section: PESection)? {
        guard rva >= 0, rva <= Int64(UInt32.max) else { return nil }
        for (index, section) in image.sections.enumerated() where section.contains(rva: UInt32(rva)) {
            return (index + 1, section)
        }
        return nil
    }

    /// "0x1010 (.text+0x10, near far_fn+0x0)".
    func describe(_ rva: Int64) -> String {
        let place = outputSection(containing: rva).map { "\($0.section.name)\(arm64Signed(rva - Int64($0.section.virtualAddress)))" } ?? "outside every section"
        return "\(arm64Hex(rva)) (\(place), near \(map.nearest(rva)))"
    }

    /// What an address is to the loader: "[IAT kernel32.dll!Sleep]" for an import address slot,
    /// "[import thunk -> kernel32.dll!Sleep]" for code that jumps through one, else "".
    func importTag(_ rva: Int64) -> String {
        if let name = iatNames[rva] { return " [IAT \(name)]" }
        let code = words(rva, count: 3)
        if let slot = ARM64Decode.importThunkSlot(at: rva, words: code) {
            return " [import thunk -> \(iatNames[slot] ?? "RVA \(arm64Hex(slot)), not an IAT slot")]"
        }
        return ""
    }
}

// MARK: - Input objects

struct ARM64InputSection {
    var number: Int
    var name: String
    var header: COFFSectionHeader
    var data: [UInt8]
    var relocations: [COFFRelocation]
    var alignment: Int
    var isPData: Bool { name == ".pdata" || name.hasPrefix(".pdata$") }
    /// Not part of an image: .drectve, .llvm_addrsig, .debug$*.
    var isDropped: Bool {
        header.characteristics.contains(.lnkRemove) || header.characteristics.contains(.lnkInfo)
            || header.characteristics.contains(.memDiscardable)
    }
}

struct ARM64InputSymbol {
    var name: String
    var value: UInt32
    var sectionNumber: Int32
    var storageClass: UInt8
    var isSectionDefinition: Bool
    var weakTag: Int?
}

final class ARM64InputObject {
    let name: String
    let file: MappedFile
    let coff: COFFObject
    var sections: [ARM64InputSection] = []
    var symbols: [Int: ARM64InputSymbol] = [:]

    init(path: String) throws {
        name = (path as NSString).lastPathComponent
        file = try MappedFile(path: path)
        coff = try COFFObject(view: file.view)
        for index in 0..<coff.sectionCount {
            let header = try coff.sectionHeader(index)
            let data = try coff.sectionData(header).toArray()
            let (view, count) = try coff.relocations(header)
            let relocations = (0..<count).map { view.relocation($0) }
            let alignBits = (header.characteristics.rawValue >> 20) & 0xF
            sections.append(ARM64InputSection(number: index + 1, name: header.name, header: header, data: data,
                                              relocations: relocations, alignment: alignBits == 0 ? 16 : 1 << (alignBits - 1)))
        }
        var index = 0
        while index < coff.symbolCount {
            let record = coff.symbol(index)
            let name = try coff.symbolName(index)
            let isSectionDefinition = record.storageClass == StorageClass.static && record.auxiliaryCount > 0 && record.value == 0
                && record.sectionNumber > 0 && Int(record.sectionNumber) <= sections.count && name == sections[Int(record.sectionNumber) - 1].name
            var weakTag: Int?
            if record.storageClass == 105, record.auxiliaryCount > 0 { weakTag = coff.weakExternal(auxiliaryOf: index).tagIndex }
            symbols[index] = ARM64InputSymbol(name: name, value: record.value, sectionNumber: record.sectionNumber,
                                              storageClass: record.storageClass, isSectionDefinition: isSectionDefinition, weakTag: weakTag)
            index += 1 + record.auxiliaryCount
        }
    }

    func section(_ number: Int) -> ARM64InputSection? {
        number >= 1 && number <= sections.count ? sections[number - 1] : nil
    }

    /// How a relocation's target symbol is named in reports: a section symbol as "obj(.xdata#4)".
    func displayName(ofSymbol index: Int) -> String {
        guard let symbol = symbols[index] else { return "symbol #\(index)" }
        if symbol.isSectionDefinition { return "\(name)(\(symbol.name)#\(symbol.sectionNumber))" }
        return symbol.name
    }
}

// MARK: - Placing input sections in an image

/// Where an input section is in one image.
enum ARM64Placement {
    case at(Int64)
    /// Several places hold the same bytes (a symbol-less section); any of them is the section.
    case oneOf([Int64])
    case nowhere(String)
}

/// Where a symbol is in one image.
enum ARM64SymbolAddress {
    case exact(Int64)
    case oneOf([Int64], size: Int64)
    case unknown(String)
}

final class ARM64Locator {
    let image: ARM64LinkedImage
    private var cache: [String: ARM64Placement] = [:]

    init(image: ARM64LinkedImage) { self.image = image }

    func placement(of section: ARM64InputSection, in object: ARM64InputObject) -> ARM64Placement {
        let key = "\(object.name)#\(section.number)"
        if let cached = cache[key] { return cached }
        let result = computePlacement(of: section, in: object)
        cache[key] = result
        return result
    }

    private func computePlacement(of section: ARM64InputSection, in object: ARM64InputObject) -> ARM64Placement {
        // 1. Named symbols defined in the section, as the map lists them for this object.
        var starts: [Int64: [String]] = [:]
        var unlisted: [String] = []
        for (_, symbol) in object.symbols where Int(symbol.sectionNumber) == section.number && !symbol.isSectionDefinition {
            guard !symbol.name.hasPrefix(".") && !symbol.name.isEmpty else { continue }
            var rva: Int64?
            if symbol.storageClass == StorageClass.external {
                if let listed = image.map.publics[symbol.name], listed.source == object.name { rva = listed.rva }
            } else if symbol.storageClass == StorageClass.static {
                rva = image.map.statics[object.name]?[symbol.name]
            }
            if let rva { starts[rva - Int64(symbol.value), default: []].append(symbol.name) } else { unlisted.append(symbol.name) }
        }
        if starts.count == 1, let start = starts.keys.first { return .at(start) }
        if starts.count > 1 {
            let detail = starts.sorted { $0.key < $1.key }.map { "\($0.value.joined(separator: ",")) -> \(arm64Hex($0.key))" }
            return .nowhere("the map's symbols of \(object.name)(\(section.name)#\(section.number)) disagree on where it starts: \(detail.joined(separator: "; "))")
        }
        // 2. By content, with the relocated fields masked.
        guard !section.data.isEmpty else {
            return .nowhere("\(object.name)(\(section.name)#\(section.number)) has no bytes and none of its symbols is in the map\(unlisted.isEmpty ? "" : " (\(unlisted.joined(separator: ", ")))")")
        }
        var mask = [Bool](repeating: true, count: section.data.count)
        for relocation in section.relocations {
            let start = Int(relocation.virtualAddress)
            for i in start..<min(start + ARM64Reloc.fieldSize(relocation.type), mask.count) { mask[i] = false }
        }
        var found: [Int64] = []
        for output in image.image.sections where output.sizeOfRawData > 0 {
            let size = Int(output.fileBackedSize)
            guard size >= section.data.count,
                  let bytes = try? image.image.bytes(atRVA: output.virtualAddress, count: size) else { continue }
            let raw = bytes.rawBuffer
            let step = max(1, min(section.alignment, 4))
            var offset = 0
            while offset + section.data.count <= size {
                var matches = true
                for i in 0..<section.data.count where mask[i] && raw[offset + i] != section.data[i] {
                    matches = false
                    break
                }
                if matches { found.append(Int64(output.virtualAddress) + Int64(offset)) }
                offset += step
            }
        }
        switch found.count {
        case 0: return .nowhere("\(object.name)(\(section.name)#\(section.number)) has no symbol in the map and its bytes are nowhere in the image")
        case 1: return .at(found[0])
        default: return .oneOf(found)
        }
    }

    func address(ofSymbol index: Int, in object: ARM64InputObject, depth: Int = 0) -> ARM64SymbolAddress {
        guard let symbol = object.symbols[index] else { return .unknown("symbol #\(index) of \(object.name) does not exist") }
        if symbol.sectionNumber > 0 {
            guard let section = object.section(Int(symbol.sectionNumber)) else { return .unknown("bad section number") }
            if section.isPData { return .unknown("a symbol in .pdata") }
            switch placement(of: section, in: object) {
            case .at(let start): return .exact(start + Int64(symbol.value))
            case .oneOf(let starts): return .oneOf(starts.map { $0 + Int64(symbol.value) }, size: Int64(section.data.count))
            case .nowhere(let why): return .unknown(why)
            }
        }
        if symbol.sectionNumber == 0 {
            if let listed = image.map.publics[symbol.name] { return .exact(listed.rva) }
            if let tag = symbol.weakTag, depth < 4 { return address(ofSymbol: tag, in: object, depth: depth + 1) }
            return .unknown("\(symbol.name) is not in \(image.label)'s map")
        }
        return .unknown("\(symbol.name) is absolute or debug (section number \(symbol.sectionNumber))")
    }
}

// MARK: - Decoding one relocation in one image

/// One relocation's outcome in one image.
struct ARM64Outcome {
    /// What the site reaches, as symbol + addend; compared between the linkers.
    var expression: String
    /// Whether it is what the object asks for (symbol + the object's addend); checked on lld-link's side.
    var canonical: Bool
    /// Site, raw word and how a thunk was followed; for reports only.
    var detail: String
    var siteRVA: Int64?
    /// The thunks (range-extension or import) the outcome went through.
    var via: [Int64] = []
}

struct ARM64Site {
    var object: ARM64InputObject
    var section: ARM64InputSection
    var relocation: COFFRelocation
    var objectWord: UInt32
    var objectWord64: UInt64
    var objectHalf: UInt16
    var objectAddend: Int64 {
        ARM64Decode.objectAddend(type: relocation.type, word: objectWord, word64: objectWord64, half: objectHalf)
    }
    var symbolName: String { object.displayName(ofSymbol: Int(relocation.symbolTableIndex)) }
    var place: String {
        "\(object.name) \(section.name)+0x\(String(relocation.virtualAddress, radix: 16)) \(ARM64Reloc.name(relocation.type)) -> \(symbolName)"
    }

    init(object: ARM64InputObject, section: ARM64InputSection, relocation: COFFRelocation) {
        self.object = object
        self.section = section
        self.relocation = relocation
        let offset = Int(relocation.virtualAddress)
        func byte(_ i: Int) -> UInt64 { offset + i < section.data.count ? UInt64(section.data[offset + i]) : 0 }
        objectWord64 = (0..<8).reduce(UInt64(0)) { $0 | byte($1) << (8 * UInt64($1)) }
        objectWord = UInt32(truncatingIfNeeded: objectWord64)
        objectHalf = UInt16(truncatingIfNeeded: objectWord64)
    }
}

enum ARM64Oracle {
    /// The site of a relocation in an image: the section's place plus the offset; for .pdata, the
    /// exception-directory entry that begins at the entry's function.
    static func siteRVA(_ site: ARM64Site, locator: ARM64Locator) -> Result<Int64, ARM64Failure> {
        let image = locator.image
        if site.section.isPData {
            let entryOffset = Int(site.relocation.virtualAddress) / 8 * 8
            guard let begin = site.section.relocations.first(where: { Int($0.virtualAddress) == entryOffset }) else {
                return .failure(ARM64Failure("the .pdata entry at +0x\(String(entryOffset, radix: 16)) has no relocation for its function"))
            }
            let beginSite = ARM64Site(object: site.object, section: site.section, relocation: begin)
            let function: Int64
            switch locator.address(ofSymbol: Int(begin.symbolTableIndex), in: site.object) {
            case .exact(let address): function = address + beginSite.objectAddend
            case .oneOf: return .failure(ARM64Failure("the function of the .pdata entry is ambiguous"))
            case .unknown(let why): return .failure(ARM64Failure(why))
            }
            guard let entry = image.exceptionEntries.first(where: { $0.begin == function }) else {
                return .failure(ARM64Failure("no exception-directory entry of \(image.label)'s image begins at \(beginSite.symbolName)\(arm64Signed(beginSite.objectAddend)) = \(image.describe(function))"))
            }
            return .success(entry.at + Int64(Int(site.relocation.virtualAddress) - entryOffset))
        }
        switch locator.placement(of: site.section, in: site.object) {
        case .at(let start): return .success(start + Int64(site.relocation.virtualAddress))
        case .oneOf(let starts):
            return .failure(ARM64Failure("\(site.object.name)(\(site.section.name)#\(site.section.number)) has no symbol in the map and its bytes are at \(starts.count) places: \(starts.map(arm64Hex))"))
        case .nowhere(let why): return .failure(ARM64Failure(why))
        }
    }

    /// `value` as the relocation's symbol plus an addend, with the symbol's import tag.
    static func express(_ value: Int64, symbol: ARM64SymbolAddress, name: String, image: ARM64LinkedImage) -> (text: String, addend: Int64?) {
        switch symbol {
        case .exact(let address):
            return ("\(name)\(arm64Signed(value - address))\(image.importTag(address))", value - address)
        case .oneOf(let addresses, let size):
            if let base = addresses.first(where: { value >= $0 && value < $0 + max(size, 1) }) {
                return ("\(name)\(arm64Signed(value - base)) (in one of \(addresses.count) identical copies)", value - base)
            }
            return ("\(image.describe(value)), outside every copy of \(name)", nil)
        case .unknown(let why):
            return ("\(image.describe(value)) (\(name) not found: \(why))", nil)
        }
    }

    /// An address computed from symbol + addend, for the page and low-12 forms.
    static func target(_ symbol: ARM64SymbolAddress, addend: Int64, matching: (Int64) -> Bool) -> Int64? {
        switch symbol {
        case .exact(let address): return address + addend
        case .oneOf(let addresses, _): return addresses.map { $0 + addend }.first(where: matching) ?? addresses.first.map { $0 + addend }
        case .unknown: return nil
        }
    }

    static func decode(_ site: ARM64Site, locator: ARM64Locator) -> ARM64Outcome {
        let image = locator.image
        let type = site.relocation.type
        let typeName = ARM64Reloc.name(type)
        let rva: Int64
        switch siteRVA(site, locator: locator) {
        case .success(let found): rva = found
        case .failure(let failure):
            return ARM64Outcome(expression: "site not found", canonical: false, detail: failure.description, siteRVA: nil)
        }
        let symbol = locator.address(ofSymbol: Int(site.relocation.symbolTableIndex), in: site.object)
        let name = site.symbolName
        let addend = site.objectAddend
        guard let word = image.u32(rva) ?? (ARM64Reloc.fieldSize(type) == 2 ? image.u16(rva).map(UInt32.init) : nil) else {
            return ARM64Outcome(expression: "no file bytes at the site", canonical: false, detail: "site \(image.describe(rva))", siteRVA: rva)
        }
        var detail = "site \(image.describe(rva)), word 0x\(String(word, radix: 16))"
        var problems: [String] = []
        if let mask = ARM64Reloc.immediateMask(type) {
            if word & ~mask != site.objectWord & ~mask {
                problems.append("instruction bits outside the \(typeName) field changed: object 0x\(String(site.objectWord, radix: 16)), image 0x\(String(word, radix: 16))")
            }
            if !ARM64Decode.fitsType(word, type: type) { problems.append("0x\(String(word, radix: 16)) is not an instruction \(typeName) applies to") }
        }
        var expression: String
        var canonical = false
        var via: [Int64] = []

        func delta(_ label: String, found: Int64, expected: Int64?, modulo: Int64) -> String {
            guard let expected else { return "\(label)(\(name)\(arm64Signed(addend))) = \(arm64Hex(found)), \(name) not found" }
            // The difference within the field's range, as a signed number.
            var difference = (found - expected) % modulo
            if difference < 0 { difference += modulo }
            if difference >= modulo / 2 { difference -= modulo }
            canonical = difference == 0
            return "\(label)(\(name)\(arm64Signed(addend)))" + (difference == 0 ? "" : " \(arm64Signed(difference)) (found \(arm64Hex(found)), expected \(arm64Hex(expected)))")
        }
        func sectionStart(of symbol: ARM64SymbolAddress) -> Int64? {
            let address: Int64?
            switch symbol {
            case .exact(let a): address = a
            case .oneOf(let all, _): address = all.first
            case .unknown: address = nil
            }
            return address.flatMap { image.outputSection(containing: $0) }.map { Int64($0.section.virtualAddress) }
        }

        switch type {
        case ARM64Reloc.addr32, ARM64Reloc.addr32nb, ARM64Reloc.addr64, ARM64Reloc.rel32, ARM64Reloc.rel21, ARM64Reloc.secrel:
            var value: Int64
            switch type {
            case ARM64Reloc.addr32: value = Int64(word &- UInt32(truncatingIfNeeded: image.imageBase))
            case ARM64Reloc.addr32nb: value = Int64(word)
            case ARM64Reloc.addr64: value = Int64(bitPattern: (image.u64(rva) ?? 0) &- image.imageBase)
            case ARM64Reloc.rel32: value = rva + 4 + Int64(Int32(bitPattern: word))
            case ARM64Reloc.rel21: value = rva + ARM64Decode.imm21(word)
            default: // SECREL: from the start of the target's output section
                guard let start = sectionStart(of: symbol) else {
                    value = -1
                    break
                }
                value = start + Int64(word)
            }
            if type == ARM64Reloc.addr64 { detail += ", doubleword 0x\(String(image.u64(rva) ?? 0, radix: 16))" }
            let (text, found) = express(value, symbol: symbol, name: name, image: image)
            expression = text
            canonical = found == addend
        case ARM64Reloc.branch26, ARM64Reloc.branch19, ARM64Reloc.branch14:
            let offset = type == ARM64Reloc.branch26 ? ARM64Decode.branch26Offset(word)
                : type == ARM64Reloc.branch19 ? ARM64Decode.branch19Offset(word) : ARM64Decode.branch14Offset(word)
            var landing = rva + offset
            var direct: Int64?
            var thunk: Int64?
            if case .exact(let address) = symbol { direct = address + addend }
            if landing != direct {
                // A range-extension thunk: follow it (and check its shape).
                let code = image.words(landing, count: 3)
                if let final = ARM64Decode.rangeThunkTarget(at: landing, words: code) {
                    detail += ", through the range-extension thunk at \(image.describe(landing))"
                    thunk = landing
                    landing = final
                } else if direct != nil {
                    detail += ", lands on \(code.map { "0x" + String($0, radix: 16) }) which is not adrp x16 / add x16, x16 / br x16"
                }
            }
            let (text, found) = express(landing, symbol: symbol, name: name, image: image)
            expression = text
            canonical = found == addend
            if let thunk { via.append(thunk) }
        case ARM64Reloc.pagebaseRel21:
            let page = (rva & ~0xFFF) + (ARM64Decode.imm21(word) << 12)
            let expected = target(symbol, addend: addend) { ($0 & ~0xFFF) == page }.map { $0 & ~0xFFF }
            expression = delta("page", found: page, expected: expected, modulo: 1 << 33)
        case ARM64Reloc.pageoffset12A, ARM64Reloc.pageoffset12L:
            if type == ARM64Reloc.pageoffset12A && ARM64Decode.shift12(word) { problems.append("add has lsl #12") }
            let low = ARM64Decode.low12Bytes(word, type: type)
            let expected = target(symbol, addend: addend) { $0 & 0xFFF == low }.map { $0 & 0xFFF }
            let scale = type == ARM64Reloc.pageoffset12L ? ARM64Decode.loadStoreScale(word) : 0
            if scale > 0 { detail += ", access size \(1 << scale)" }
            expression = delta("lo12", found: low, expected: expected, modulo: 1 << 16)
        case ARM64Reloc.secrelLow12A, ARM64Reloc.secrelLow12L, ARM64Reloc.secrelHigh12A:
            let start = sectionStart(of: symbol)
            let offsetInSection = start.flatMap { start in target(symbol, addend: addend) { _ in true }.map { $0 - start } }
            if type == ARM64Reloc.secrelHigh12A {
                if !ARM64Decode.shift12(word) { problems.append("add :secrel_hi12: lost its lsl #12") }
                expression = delta("secrel_hi12", found: ARM64Decode.imm12(word), expected: offsetInSection.map { ($0 >> 12) & 0xFFF }, modulo: 1 << 12)
            } else {
                if type == ARM64Reloc.secrelLow12A && ARM64Decode.shift12(word) { problems.append("add :secrel_lo12: has lsl #12") }
                expression = delta("secrel_lo12", found: ARM64Decode.low12Bytes(word, type: type), expected: offsetInSection.map { $0 & 0xFFF }, modulo: 1 << 16)
            }
        case ARM64Reloc.section:
            let index = Int64(image.u16(rva) ?? 0)
            detail += ", section index \(index)"
            var containing: Int64?
            switch symbol {
            case .exact(let address): containing = image.outputSection(containing: address).map { Int64($0.index) }
            case .oneOf(let all, _): containing = all.first.flatMap { image.outputSection(containing: $0) }.map { Int64($0.index) }
            case .unknown: containing = nil
            }
            if let containing {
                let found = index - addend
                canonical = found == containing
                let sectionName = found >= 1 && found <= Int64(image.image.sections.count) ? image.image.sections[Int(found) - 1].name : "none"
                expression = found == containing ? "section(\(name))\(arm64Signed(addend))" : "section #\(found) (\(sectionName)) + \(addend), but \(name) is in section #\(containing)"
            } else {
                expression = "section #\(index), \(name) not found"
            }
        default:
            expression = "unsupported relocation type \(typeName) (0x\(String(type, radix: 16)))"
        }
        if !problems.isEmpty {
            expression += " [" + problems.joined(separator: "; ") + "]"
            canonical = false
        }
        if case .exact(let address) = symbol, expression.contains("[import thunk") { via.append(address) }
        return ARM64Outcome(expression: expression, canonical: canonical, detail: detail, siteRVA: rva, via: via)
    }
}

struct ARM64Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

// MARK: - Comparing two images of one case

struct ARM64Comparison {
    struct Mismatch: CustomStringConvertible {
        var place: String
        var pelink: ARM64Outcome
        var lld: ARM64Outcome
        var description: String {
            "\(place):\n      pelink:   \(pelink.expression)   [\(pelink.detail)]\n      lld-link: \(lld.expression)   [\(lld.detail)]"
        }
    }

    var mismatches: [Mismatch] = []
    /// Every relocation's outcome in both images.
    var outcomes: [Mismatch] = []
    /// lld-link's outcome is not symbol + the object's addend: the decoder (or lld-link) is wrong.
    var decoderDoubts: [String] = []
    var structural: [String] = []
    var relocationCount = 0
    var typesSeen: Set<UInt16> = []
    /// Branches that went through a range-extension thunk, and targets that are import thunks, per image.
    var rangeThunks = (pelink: 0, lld: 0)
    var importThunks = (pelink: 0, lld: 0)

    /// Compares every relocation of `objects` between `ours` (pelink's image) and `theirs` (lld-link's).
    init(objects: [ARM64InputObject], ours: ARM64LinkedImage, theirs: ARM64LinkedImage) {
        let ourLocator = ARM64Locator(image: ours), theirLocator = ARM64Locator(image: theirs)
        var pdataEntries = 0
        for object in objects {
            for section in object.sections where !section.isDropped {
                if section.isPData { pdataEntries += section.data.count / 8 }
                for relocation in section.relocations where relocation.type != ARM64Reloc.absolute {
                    let site = ARM64Site(object: object, section: section, relocation: relocation)
                    let mine = ARM64Oracle.decode(site, locator: ourLocator)
                    let other = ARM64Oracle.decode(site, locator: theirLocator)
                    relocationCount += 1
                    outcomes.append(Mismatch(place: site.place, pelink: mine, lld: other))
                    typesSeen.insert(relocation.type)
                    if mine.detail.contains("range-extension thunk at") { rangeThunks.pelink += 1 }
                    if other.detail.contains("range-extension thunk at") { rangeThunks.lld += 1 }
                    if mine.expression.contains("[import thunk") { importThunks.pelink += 1 }
                    if other.expression.contains("[import thunk") { importThunks.lld += 1 }
                    if mine.expression != other.expression || mine.siteRVA == nil {
                        mismatches.append(Mismatch(place: site.place, pelink: mine, lld: other))
                    }
                    if !other.canonical {
                        decoderDoubts.append("\(site.place): lld-link's image has \(other.expression) [\(other.detail)], the object asks for \(site.symbolName)\(arm64Signed(site.objectAddend))")
                    }
                }
                // Packed unwind data: a .pdata word with no relocation must be copied unchanged.
                if section.isPData {
                    for entry in stride(from: 0, to: section.data.count - 7, by: 8)
                    where !section.relocations.contains(where: { Int($0.virtualAddress) == entry + 4 }) {
                        let beginRelocation = section.relocations.first { Int($0.virtualAddress) == entry }
                        guard let beginRelocation else { continue }
                        let site = ARM64Site(object: object, section: section, relocation: COFFRelocation(virtualAddress: UInt32(entry + 4), symbolTableIndex: beginRelocation.symbolTableIndex, type: ARM64Reloc.absolute))
                        let objectWord = site.objectWord
                        for (image, locator) in [(ours, ourLocator), (theirs, theirLocator)] {
                            guard case .success(let entryRVA) = ARM64Oracle.siteRVA(ARM64Site(object: object, section: section, relocation: beginRelocation), locator: locator) else { continue }
                            let word = image.u32(entryRVA + 4)
                            if word != objectWord {
                                structural.append("\(object.name) \(section.name)+0x\(String(entry + 4, radix: 16)): packed unwind word 0x\(String(objectWord, radix: 16)) became \(word.map { "0x" + String($0, radix: 16) } ?? "unreadable") in \(image.label)'s image")
                            }
                        }
                    }
                }
            }
        }
        for image in [ours, theirs] {
            structural += image.exceptionProblems.map { "\(image.label): \($0)" }
            let begins = image.exceptionEntries.map(\.begin)
            if begins != begins.sorted() { structural.append("\(image.label)'s exception directory is not sorted by function address: \(begins.map(arm64Hex))") }
            // pelink adds one entry per delay-loaded DLL, for its tail merge; lld-link 21 adds none on ARM64.
            let linkerMade = image.label == "pelink" ? image.image.delayImports.count : 0
            if image.exceptionEntries.count != pdataEntries + linkerMade {
                structural.append("\(image.label)'s exception directory has \(image.exceptionEntries.count) entries, the objects' .pdata \(pdataEntries)\(linkerMade > 0 ? " and \(linkerMade) delay-load tail merges" : "")")
            }
        }
    }

    var summary: String {
        let types = typesSeen.sorted().map(ARM64Reloc.name).joined(separator: " ")
        return "\(relocationCount) relocations (\(types)); range-extension thunks followed: pelink \(rangeThunks.pelink), lld-link \(rangeThunks.lld); import-thunk targets: pelink \(importThunks.pelink), lld-link \(importThunks.lld)"
    }

    var report: String {
        var lines: [String] = []
        if !mismatches.isEmpty {
            lines.append("\(mismatches.count) of \(relocationCount) relocations differ:")
            lines += mismatches.map { "  " + $0.description }
        }
        if !structural.isEmpty { lines += structural.map { "  " + $0 } }
        return lines.joined(separator: "\n")
    }
}

// MARK: - Linking

enum ARM64Links {
    /// Not the folding cases: this suite finds every input section's relocation sites in both
    /// images, and their point is sections (dropped by /opt:ref, folded by /opt:icf) that have
    /// none. Their layout is compared with lld-link's by OracleTests.
    static var caseNames: [String] { GoldenCase.okNames.filter { $0.hasPrefix("arm64-") && !$0.hasSuffix("-icf-c") } }
    static var allCaseNames: [String] { GoldenCase.allNames.filter { $0.hasPrefix("arm64-") } }

    /// The case's objects (the .obj arguments of ARGS).
    static func objects(of testCase: GoldenCase) throws -> [ARM64InputObject] {
        try testCase.arguments.filter { !$0.hasPrefix("/") && !$0.hasPrefix("-") && !$0.hasPrefix("@") && $0.lowercased().hasSuffix(".obj") }
            .map { try ARM64InputObject(path: $0.hasPrefix("/") ? $0 : testCase.folder + "/" + $0) }
    }

    /// lld-link's DLL and map for a case, in `folder`.
    static func linkWithLLD(_ testCase: GoldenCase, lldLink: String, into folder: URL) throws -> (dll: URL, map: URL, result: ProcessResult) {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let dll = folder.appendingPathComponent(testCase.name + ".dll"), map = folder.appendingPathComponent(testCase.name + ".map")
        let run = try runProcess(lldLink, testCase.lldArguments + [
            "/out:" + dll.path, "/implib:" + folder.appendingPathComponent(testCase.name + ".lib").path,
            "/map:" + map.path, "/opt:noicf", "/timestamp:0",
        ], environment: ["LIB": "", "LINK": "", "_LINK_": ""], currentDirectory: testCase.folder)
        return (dll, map, run)
    }
}

// MARK: - The tests

@Suite("ARM64 structure: relocations decoded against lld-link")
struct ARM64StructureTests {
    @Test("every relocation reaches what lld-link's does", arguments: ARM64Links.caseNames)
    func relocationsMatchLLDLink(_ name: String) throws {
        guard let lldLink = requireTool("lld-link"), let objdump = requireTool("llvm-objdump"),
              let readobj = requireTool("llvm-readobj") else { return }
        let testCase = try GoldenCase(name: name)
        let temporary = try makeTemporaryDirectory("arm64-structure-\(name)")
        defer { try? FileManager.default.removeItem(at: temporary) }

        let pelinkFolder = temporary.appendingPathComponent("pelink")
        try FileManager.default.createDirectory(at: pelinkFolder, withIntermediateDirectories: true)
        let pelinkMap = pelinkFolder.appendingPathComponent(name + ".map")
        let ours = goldenLinkWithPELink(testCase, into: pelinkFolder, extraArguments: ["/map:" + pelinkMap.path])
        #expect(ours.result.exitCode == 0, "pelink failed:\n\(ours.normalizedDiagnostics)")
        let theirs = try ARM64Links.linkWithLLD(testCase, lldLink: lldLink, into: temporary.appendingPathComponent("lld"))
        #expect(theirs.result.exitCode == 0, "lld-link failed:\n\(theirs.result.stderr)")
        guard ours.result.exitCode == 0, theirs.result.exitCode == 0 else { return }

        let pelinkImage = try ARM64LinkedImage(label: "pelink", dll: ours.dll, map: pelinkMap)
        let lldImage = try ARM64LinkedImage(label: "lld-link", dll: theirs.dll, map: theirs.map)
        #expect(pelinkImage.image.fileHeader.machine == Machine.arm64.rawValue,
                "pelink's image is for machine 0x\(String(pelinkImage.image.fileHeader.machine, radix: 16)), not ARM64")
        let comparison = ARM64Comparison(objects: try ARM64Links.objects(of: testCase), ours: pelinkImage, theirs: lldImage)
        #expect(comparison.relocationCount > 0, "no relocation was checked")
        print("note: Inputs/\(name): \(comparison.summary)")
        #expect(comparison.mismatches.isEmpty && comparison.structural.isEmpty, "Inputs/\(name):\n\(comparison.report)")
        #expect(comparison.decoderDoubts.isEmpty,
                "the oracle's decoder disagrees with lld-link (fix the decoder, or explain):\n  \(comparison.decoderDoubts.joined(separator: "\n  "))")

        // Outside tools read pelink's image without complaint.
        let disassembly = try runProcess(objdump, ["-d", ours.dll.path])
        #expect(disassembly.exitCode == 0 && !disassembly.stderr.contains("warning") && !disassembly.stderr.contains("error"),
                "llvm-objdump -d failed on pelink's DLL:\n\(disassembly.stderr)")
        #expect(disassembly.stdout.contains("Disassembly of section .text"), "llvm-objdump -d shows no code")
        let readout = try runProcess(readobj, ["--coff-exports", "--coff-imports", "--coff-basereloc", "--unwind", ours.dll.path])
        let complaint = (readout.stderr + readout.stdout).lowercased()
        #expect(readout.exitCode == 0 && !complaint.contains("warning") && !complaint.contains("error:") && readout.stderr.isEmpty,
                "llvm-readobj complained about pelink's DLL (exit \(readout.exitCode)):\n\(readout.stderr)")
    }

    /// The checker must be able to fail: lld-link's image against itself gives no mismatch, and a
    /// copy with one relocated field of each type corrupted gives a mismatch at exactly those sites.
    @Test("the oracle catches corrupted images", arguments: ARM64Links.caseNames)
    func oracleCatchesCorruption(_ name: String) throws {
        guard let lldLink = requireTool("lld-link") else { return }
        let testCase = try GoldenCase(name: name)
        let temporary = try makeTemporaryDirectory("arm64-oracle-\(name)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        let lld = try ARM64Links.linkWithLLD(testCase, lldLink: lldLink, into: temporary)
        #expect(lld.result.exitCode == 0, "lld-link failed:\n\(lld.result.stderr)")
        guard lld.result.exitCode == 0 else { return }
        let objects = try ARM64Links.objects(of: testCase)
        let image = try ARM64LinkedImage(label: "lld-link", dll: lld.dll, map: lld.map)
        let same = ARM64Comparison(objects: objects, ours: image, theirs: image)
        #expect(same.mismatches.isEmpty && same.structural.isEmpty, "lld-link's image differs from itself:\n\(same.report)")
        #expect(same.decoderDoubts.isEmpty, "the decoder disagrees with lld-link:\n  \(same.decoderDoubts.joined(separator: "\n  "))")

        // Corrupt the first relocation of each type (outside .pdata, whose begin words locate entries).
        let locator = ARM64Locator(image: image)
        var bytes = [UInt8](image.file.bytes)
        var corrupted: [String: String] = [:] // place -> type
        var done: Set<UInt16> = []
        for object in objects {
            for section in object.sections where !section.isDropped && !section.isPData {
                for relocation in section.relocations where !done.contains(relocation.type) && relocation.type != ARM64Reloc.absolute {
                    let site = ARM64Site(object: object, section: section, relocation: relocation)
                    guard case .success(let rva) = ARM64Oracle.siteRVA(site, locator: locator),
                          let fileOffset = image.image.rvaToFileOffset(UInt32(rva)) else { continue }
                    func add(_ value: UInt32, at offset: Int) {
                        let old = UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
                        let new = old &+ value
                        for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: new >> (8 * UInt32(i))) }
                    }
                    switch relocation.type {
                    case ARM64Reloc.branch26, ARM64Reloc.branch19, ARM64Reloc.branch14:
                        add(ARM64Reloc.immediateMask(relocation.type)! & ~(ARM64Reloc.immediateMask(relocation.type)! << 1), at: fileOffset) // imm + 1
                    case ARM64Reloc.rel21, ARM64Reloc.pagebaseRel21:
                        add(1 << 29, at: fileOffset) // immlo + 1
                    case ARM64Reloc.pageoffset12A, ARM64Reloc.pageoffset12L, ARM64Reloc.secrelLow12A, ARM64Reloc.secrelLow12L, ARM64Reloc.secrelHigh12A:
                        bytes[fileOffset + 1] ^= 0x04 // imm12 bit 0
                    case ARM64Reloc.section:
                        bytes[fileOffset] ^= 0x01
                    default:
                        add(0x10, at: fileOffset)
                    }
                    done.insert(relocation.type)
                    corrupted[site.place] = ARM64Reloc.name(relocation.type)
                }
            }
        }
        // And the first range-extension thunk and the first import thunk: the immediate of their
        // second instruction (add x16 / ldr x16). Every relocation that goes through it must differ.
        var expected = Set(corrupted.keys)
        for isImport in [false, true] {
            guard let user = same.outcomes.first(where: { outcome in
                !outcome.lld.via.isEmpty && outcome.lld.expression.contains("[import thunk") == isImport
            }), let thunk = user.lld.via.last, let fileOffset = image.image.rvaToFileOffset(UInt32(thunk + 4)) else { continue }
            bytes[fileOffset + 1] ^= 0x04
            expected.formUnion(same.outcomes.filter { $0.lld.via.contains(thunk) }.map(\.place))
            corrupted[user.place + " (its \(isImport ? "import" : "range-extension") thunk)"] = isImport ? "import thunk" : "range thunk"
        }
        let copy = temporary.appendingPathComponent("corrupted.dll")
        try Data(bytes).write(to: copy)
        let bad = try ARM64LinkedImage(label: "corrupted", dll: copy, map: lld.map)
        let comparison = ARM64Comparison(objects: objects, ours: bad, theirs: image)
        let reported = Set(comparison.mismatches.map(\.place))
        #expect(reported == expected,
                "corrupted \(corrupted.count) places (\(corrupted.values.sorted())); missed: \(expected.subtracting(reported).sorted()); reported besides: \(reported.subtracting(expected).sorted())")
    }

    /// All arm64-* cases together use every IMAGE_REL_ARM64_* type.
    @Test("the arm64 cases cover every relocation type")
    func casesCoverEveryType() throws {
        var seen: [UInt16: Set<String>] = [:]
        for name in ARM64Links.allCaseNames {
            for object in try ARM64Links.objects(of: try GoldenCase(name: name)) {
                #expect(object.coff.machine == .arm64, "Inputs/\(name)/\(object.name) is not an ARM64 object")
                for section in object.sections {
                    for relocation in section.relocations { seen[relocation.type, default: []].insert(name) }
                }
            }
        }
        let missing = (UInt16(1)...UInt16(0x11)).filter { seen[$0] == nil }.map(ARM64Reloc.name)
        #expect(missing.isEmpty, "no arm64-* case has a relocation of type \(missing)")
    }
}
