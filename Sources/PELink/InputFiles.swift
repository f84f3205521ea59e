import PEFormat
#if canImport(Glibc)
import Glibc
#endif

/// A section whose characteristics carry no IMAGE_SCN_ALIGN_* value is aligned to 16 bytes
/// (pe-format.md, "Section Flags": the default for object files).
let defaultSectionAlignment = 16

/// One section of an input object, as the linker sees it. Plain values only (the name and the
/// bytes are located inside the mapped object), so copies cost no reference counting.
struct InputSection {
    // Fields are ordered widest first and the flags share a byte: a large link has millions of
    // sections, and each byte here is megabytes of its peak memory.
    /// The name's place relative to the object's start (inside the header or the string table);
    /// `ObjectFile.name(of:)` gives it.
    private var nameOffset32: UInt32
    var flags: SectionFlags
    // Offsets and sizes inside one object fit in 32 bits (the format says so).
    private var dataOffset32: UInt32
    private var size32: UInt32
    private var relocationsOffset32: UInt32
    private var relocationCount32: UInt32
    /// 0-based index of the section this one is associated with (ASSOCIATIVE), else -1.
    var associatedWith: Int32 = -1
    var checksum: UInt32 = 0
    private var nameLength16: UInt16
    private var alignmentLog2: UInt8
    /// `isLive`, `isDWARF`, `isComdat` and whether the section has raw data in its low bits; the
    /// COMDAT selection (0 to 7) above them, and `hasNoPointerRelocations` in the top bit.
    private var bits: UInt8 = Self.liveBit

    private static let liveBit: UInt8 = 1, dwarfBit: UInt8 = 2, comdatBit: UInt8 = 4, dataBit: UInt8 = 8, selectionShift: UInt8 = 4,
                       noPointerRelocationsBit: UInt8 = 0x80

    @inline(__always) private func bit(_ mask: UInt8) -> Bool { bits & mask != 0 }
    @inline(__always) private mutating func setBit(_ mask: UInt8, _ value: Bool) { bits = value ? bits | mask : bits & ~mask }

    /// False once discarded: a COMDAT that lost, IMAGE_SCN_LNK_REMOVE, .debug$*, .drectve.
    var isLive: Bool { get { bit(Self.liveBit) } set { setBit(Self.liveBit, newValue) } }
    /// A DWARF section (.debug_*): dropped unless the link keeps DWARF (`LinkOptions.keepsDWARF`).
    var isDWARF: Bool { get { bit(Self.dwarfBit) } set { setBit(Self.dwarfBit, newValue) } }
    var isComdat: Bool { get { bit(Self.comdatBit) } set { setBit(Self.comdatBit, newValue) } }
    /// The COMDAT selection (`ComdatSelection`), 0 when none; the object reader accepts 1 to 7.
    var selection: UInt8 {
        get { bits >> Self.selectionShift & 7 }
        set { bits = bits & ~(7 << Self.selectionShift) | (newValue & 7) << Self.selectionShift }
    }
    /// Set by a pass that read every relocation of the section (/opt:ref's) and found none of
    /// the machine's pointer type, which are the ones that need base relocations; false when
    /// nothing looked.
    var hasNoPointerRelocations: Bool {
        get { bit(Self.noPointerRelocationsBit) }
        set { setBit(Self.noPointerRelocationsBit, newValue) }
    }

    /// Where the raw bytes are, from the object's start (count 0 for uninitialised data).
    var dataOffset: Int { Int(dataOffset32) }
    /// The raw data is the whole section or nothing (`COFFObject.sectionDataRange`).
    var dataCount: Int { bit(Self.dataBit) ? Int(size32) : 0 }
    /// Bytes occupied in the image.
    var size: Int { Int(size32) }
    var alignment: Int { 1 << Int(alignmentLog2) }
    /// Takes `alignment` when larger (a section kept for others folded into it).
    mutating func raiseAlignment(to alignment: Int) {
        while 1 << Int(alignmentLog2) < alignment { alignmentLog2 += 1 }
    }
    /// Where the 10-byte relocation records are, from the object's start.
    var relocationsOffset: Int { Int(relocationsOffset32) }
    var relocationCount: Int { Int(relocationCount32) }

    var nameOffset: Int { Int(nameOffset32) }
    var nameLength: Int { Int(nameLength16) }

    /// `dataCount` is 0 (no raw data) or `size`.
    init(nameOffset: Int, nameLength: Int, flags: SectionFlags, dataOffset: Int, dataCount: Int, size: Int, alignment: Int,
         relocationsOffset: Int, relocationCount: Int) {
        nameOffset32 = UInt32(truncatingIfNeeded: nameOffset)
        nameLength16 = UInt16(truncatingIfNeeded: min(nameLength, Int(UInt16.max)))
        self.flags = flags
        dataOffset32 = UInt32(truncatingIfNeeded: dataOffset)
        size32 = UInt32(truncatingIfNeeded: size)
        relocationsOffset32 = UInt32(truncatingIfNeeded: relocationsOffset)
        relocationCount32 = UInt32(truncatingIfNeeded: relocationCount)
        alignmentLog2 = UInt8(alignment.trailingZeroBitCount)
        if dataCount > 0 { bits |= Self.dataBit }
    }
}

/// What a symbol-table record of an object refers to, for relocations. Packed in one word
/// (tag in the top two bits): objects of a large link hold millions of them.
struct SymbolTarget {
    private var bits: UInt64

    enum Decoded {
        /// An auxiliary record, or a symbol nothing can refer to usefully (debug, file).
        case none
        case global(Int32)
        /// A static symbol or section symbol: 0-based section index and offset.
        case local(section: Int32, value: UInt32)
        case absolute(UInt32)
    }

    private init(bits: UInt64) { self.bits = bits }
    static let none = SymbolTarget(bits: 0)
    static func global(_ g: Int32) -> SymbolTarget { SymbolTarget(bits: 1 << 62 | UInt64(UInt32(bitPattern: g))) }
    static func local(section: Int32, value: UInt32) -> SymbolTarget {
        SymbolTarget(bits: 2 << 62 | UInt64(UInt32(bitPattern: section) & 0x3FFF_FFFF) << 32 | UInt64(value))
    }
    static func absolute(_ v: UInt32) -> SymbolTarget { SymbolTarget(bits: 3 << 62 | UInt64(v)) }

    @inline(__always) var decoded: Decoded {
        switch bits >> 62 {
        case 1: return .global(Int32(bitPattern: UInt32(truncatingIfNeeded: bits)))
        case 2: return .local(section: Int32((bits >> 32) & 0x3FFF_FFFF), value: UInt32(truncatingIfNeeded: bits))
        case 3: return .absolute(UInt32(truncatingIfNeeded: bits))
        default: return .none
        }
    }
}

/// A loaded COFF object with its sections and the meaning of each symbol record.
final class ObjectFile: @unchecked Sendable {
    /// "a.obj", or "lib.lib(member.obj)" for archive members: how diagnostics name it.
    let displayName: String
    /// For an archive member: the archive's path and the member's name.
    var archivePath: String?
    /// For a library member: the symbol whose undefined reference pulled it in (-1: none, as
    /// with --whole-archive).
    var pulledFor: Int32 = -1
    var memberName: String?
    let coff: COFFObject
    /// The object's first byte in the mapped file; section data and relocations are read from here.
    let base: UnsafeRawPointer?
    var sections: [InputSection] = []
    /// Number of the object's first section among all sections of the link: layout records
    /// placements in flat arrays indexed by `firstSection + section`.
    var firstSection = 0
    var targets: [SymbolTarget] = []
    /// The options of every .drectve section, split as a command line (done while parsing, in parallel).
    var directiveArguments: [String] = []
    /// `directiveArguments` read further while parsing, in parallel: each option's name and
    /// value (`splitOption`), and an /EXPORT's request (`parseExportOption`); nil for an
    /// argument that is no option. Entering the object applies them in order.
    var directives: [(name: String, value: String?, export: Result<ExportRequest, Error>?)?] = []
    /// Some section is named .edata: a literal export table, when it stays live.
    var hasExportDataSection = false
    /// Read-only COMDAT sections whose first external symbol is named like a vtable, with the
    /// prefix that names it: found while parsing, so folding need not read the symbol table again.
    var vtableCandidates: [(section: Int32, prefix: VTablePrefix)] = []
    /// Loaded from a thin library: the member is a file of its own.
    var isThinMember = false
    /// The .drectve text as written (quotes kept, runs of white space as one space), for
    /// /verbose: read again from the sections when asked, not kept for every object.
    var directiveText: String {
        var pieces: [Substring] = []
        for section in sections where name(of: section).equals(".drectve") && section.dataCount > 0 {
            pieces += Self.directiveText(data(section)).text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" })
        }
        return pieces.joined(separator: " ")
    }

    /// A .drectve section's text, without a UTF-8 byte order mark (its length is given, for
    /// offsets into the section). Producers pad directive strings with NULs or put one between
    /// directives: a NUL separates arguments like a space does.
    static func directiveText(_ data: UnsafeRawBufferPointer) -> (text: String, byteOrderMarkLength: Int) {
        var bytes = Array(data)
        let byteOrderMarkLength = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        bytes.removeFirst(byteOrderMarkLength)
        for i in bytes.indices where bytes[i] == 0 { bytes[i] = 0x20 }
        return (String(decoding: bytes, as: UTF8.self), byteOrderMarkLength)
    }
    /// External symbol records: record index, name and the name's hash, computed at parse time
    /// (in parallel) so that inserting into the symbol table only probes. The leaders of
    /// deduplicated (non-associative) COMDAT sections come first (`comdatLeaderCount` of them),
    /// in record order, then the other externals in record order: the order they are resolved in.
    /// A leader is the first symbol defined in its section, and its name is the COMDAT's
    /// identity (a static leader means the section is never deduplicated).
    var externals = ExternalNames([])
    var comdatLeaderCount = 0
    /// Adding the object enters names other than its externals into the symbol table (a weak
    /// external's default, or a .drectve /include: or /delayload:): its names are then
    /// not numbered in a batch with the objects after it (see `SymbolResolver.addInOrder`).
    var entersOtherNames = false
    /// Entering each of its externals reads and changes that symbol's state only, so a batch of
    /// such objects can be entered by shards of the symbols (`SymbolResolver.enterByShards`). Not
    /// when it enters other names, has a LARGEST COMDAT (which drops another object's copy), or
    /// defines a symbol in a COMDAT section besides its leader (whether that symbol is defined
    /// depends on the leader's symbol).
    var entersSymbolsIndependently = false
    /// An external record in the debug pseudo-section (-2): relocations against it lead nowhere.
    var hasDebugExternals = false
    /// The value of the `@feat.00` symbol (compiler features; bit 0: the object registers its
    /// exception handlers for /SAFESEH), nil when it has none.
    var features: UInt32?
    /// Index of the `.sxdata` section, which lists the object's exception handlers (x86).
    var safeSEHSection: Int?
    /// True when the object is compatible with x86 /SAFESEH: it says so in `@feat.00`.
    var isSafeSEHCompatible: Bool { (features ?? 0) & 1 != 0 }

    /// Which symbol table indexes hold symbols rather than auxiliary records; made on first use,
    /// since only a weak external's default index needs it.
    lazy var isSymbolRecord: [Bool] = {
        var marks = [Bool](repeating: false, count: coff.symbolCount)
        var i = 0
        while i < coff.symbolCount {
            marks[i] = true
            i += 1 + coff.symbol(i).auxiliaryCount
        }
        return marks
    }()

    init(displayName: String, coff: COFFObject) {
        self.displayName = displayName
        self.coff = coff
        self.base = coff.view.base
    }

    /// The name of symbol record `index`, which parsing has already checked.
    @inline(__always) func checkedSymbolName(_ index: Int32) -> Name {
        Name((try? coff.symbolNameBytes(Int(index))) ?? UnsafeRawBufferPointer(start: nil, count: 0))
    }

    @inline(__always) func name(of section: InputSection) -> Name {
        Name(UnsafeRawBufferPointer(start: base.map { $0 + section.nameOffset }, count: section.nameLength))
    }

    @inline(__always) func data(_ section: InputSection) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base.map { $0 + section.dataOffset }, count: section.dataCount)
    }

    @inline(__always) func relocation(_ section: InputSection, _ index: Int) -> COFFRelocation {
        let p = base! + section.relocationsOffset + index * 10
        return COFFRelocation(virtualAddress: UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)),
                              symbolTableIndex: UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4, as: UInt32.self)),
                              type: UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt16.self)))
    }

    /// The symbol of section `sectionIndex` that contains `offset` (the last one at or before
    /// it) and the distance from it: only computed for diagnostics.
    /// The name of the symbol that names each section, by section index: its first external
    /// symbol (a COMDAT's leader). Read in one pass, for reports that name many sections.
    func sectionSymbolNames() -> [Int32: String] {
        var names: [Int32: String] = [:]
        var i = 0
        while i < coff.symbolCount {
            let record = coff.symbol(i)
            if record.storageClass == StorageClass.external, record.sectionNumber > 0, names[record.sectionNumber - 1] == nil {
                names[record.sectionNumber - 1] = checkedSymbolName(Int32(i)).string
            }
            i += 1 + record.auxiliaryCount
        }
        return names
    }

    func symbolContaining(sectionIndex: Int, offset: Int) -> (name: String, delta: Int)? {
        var best: (value: UInt32, name: String)?
        var i = 0
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
        return best.map { ($0.name, offset - Int($0.value)) }
    }

    /// Reads section headers, .drectve and the external symbol names. Runs in parallel per file.
    static func parse(displayName: String, view: ByteView) throws -> ObjectFile {
        let coff = try COFFObject(view: view)
        let object = ObjectFile(displayName: displayName, coff: coff)
        object.sections.reserveCapacity(coff.sectionCount)
        var hasGNULTOSections = false
        // Each section's raw data and relocations are checked against the file, but sections
        // may point at the same bytes; a few megabytes could then stand for billions of
        // relocations. Real objects never share them, so their totals are bounded by the file.
        var totalDataBytes = 0, totalRelocationBytes = 0
        for i in 0..<coff.sectionCount {
            let header = try coff.sectionHeader(i)
            let data = try coff.sectionDataRange(header)
            let relocations = try coff.relocationRange(header)
            let name = Name(header.nameBytes)
            if (header.characteristics.rawValue >> 20) & 0xF == 0xF {
                throw view.error(at: header.headerOffset + 36, "section #\(i + 1) (\(name.string)) has alignment code 0xF in its characteristics 0x\(String(header.characteristics.rawValue, radix: 16)); valid codes are 0x1 (1 byte) to 0xE (8192 bytes), or 0 for the default")
            }
            if name.count > Int(UInt16.max) {
                throw view.error(at: header.headerOffset, "section #\(i + 1) has a name of \(name.count) bytes; pelink accepts at most 65535")
            }
            var section = InputSection(
                nameOffset: name.base.flatMap { p in coff.view.base.map { p - $0 } } ?? 0, nameLength: name.count,
                flags: header.characteristics, dataOffset: data.offset, dataCount: data.count,
                size: Int(header.sizeOfRawData), alignment: header.characteristics.alignment ?? defaultSectionAlignment,
                relocationsOffset: relocations.offset, relocationCount: relocations.count)
            totalDataBytes += data.count
            totalRelocationBytes += relocations.count * 10
            if totalDataBytes > view.count || totalRelocationBytes > view.count {
                throw view.error(at: header.headerOffset, "section #\(i + 1) (\(name.string)): the sections' raw data and relocation tables add up to more than the file's \(view.count) bytes, so some overlap; a valid object gives each section its own")
            }
            let isDirectives = name.equals(".drectve")
            if name.equals(".edata") { object.hasExportDataSection = true }
            if name.hasPrefix(".gnu.lto_") { hasGNULTOSections = true }
            // CodeView (.debug$) is not written to the image; DWARF (.debug_*) only when the link keeps it.
            if name.hasPrefix(".debug_") { section.isDWARF = true }
            if header.characteristics.contains(.lnkRemove) || name.hasPrefix(".debug$") || name.hasPrefix(".debug_") || isDirectives
                || name.hasPrefix(".gnu.lto_")
                || name.equals(".llvm_addrsig") || name.equals(".llvm.call-graph-profile") {
                section.isLive = false
            }
            // x86 SAFESEH: the symbol indices of the object's exception handlers; read by the
            // linker to make the handler table, never copied.
            if name.equals(".sxdata") {
                section.isLive = false
                object.safeSEHSection = i
            }
            if header.characteristics.contains(.lnkComdat) { section.isComdat = true }
            if isDirectives && data.count > 0 {
                let (text, byteOrderMarkLength) = ObjectFile.directiveText(object.data(section))
                do {
                    object.directiveArguments += try ResponseFiles.tokenize(text)
                } catch {
                    throw view.error(at: data.offset + byteOrderMarkLength + error.offset, "section .drectve: the quote at this offset is never closed, so the linker directives cannot be read")
                }
            }
            object.sections.append(section)
        }
        object.targets = Array(repeating: .none, count: coff.symbolCount)
        var comdatLeader = [Int32](repeating: -1, count: coff.sectionCount)
        var leaderExternal = [Int](repeating: -1, count: coff.sectionCount)
        var externals: [HashedName] = []
        var vtableChecked: [Bool] = []
        var i = 0
        while i < coff.symbolCount {
            let record = coff.symbol(i)
            try coff.checkAuxiliary(i, record)
            // Every name must be readable, used or not: a long name's string-table offset is
            // checked here (external names are read below anyway).
            if !record.isExternal && coff.hasLongName(i) { _ = try coff.symbolNameBytes(i) }
            if record.sectionNumber < SectionNumber.debug {
                throw view.error(at: coff.symbolOffset(i), "symbol table: symbol \(i): \(try coff.symbolName(i)) should not refer to special section \(record.sectionNumber); valid are -2 (debug), -1 (absolute), 0 (undefined) and 1...\(coff.sectionCount)")
            }
            if record.sectionNumber > 0 && Int(record.sectionNumber) > coff.sectionCount {
                throw view.error(at: coff.symbolOffset(i), "symbol table: symbol \(i) (\(try coff.symbolName(i))) refers to section \(record.sectionNumber), but the object has \(coff.sectionCount) sections")
            }
            if record.storageClass == StorageClass.static && record.auxiliaryCount > 0 && record.sectionNumber > 0 && record.value == 0 {
                // A section definition record: COMDAT selection and association live here.
                let definition = coff.sectionDefinition(auxiliaryOf: i)
                let index = Int(record.sectionNumber) - 1
                if object.sections[index].isComdat {
                    guard definition.selection >= 1 && definition.selection <= 7 else {
                        throw view.error(at: coff.symbolOffset(i + 1) + 14, "section definition record: COMDAT section \(object.name(of: object.sections[index]).string) (#\(index + 1)) has selection \(definition.selection); valid are 1 (NODUPLICATES), 2 (ANY), 3 (SAME_SIZE), 4 (EXACT_MATCH), 5 (ASSOCIATIVE) and 6 (LARGEST)")
                    }
                    object.sections[index].selection = definition.selection
                    object.sections[index].checksum = definition.checksum
                    if definition.selection == ComdatSelection.associative.rawValue {
                        let parent = Int(definition.associatedSection) - 1
                        guard parent != index else {
                            throw view.error(at: coff.symbolOffset(i + 1) + 12, "section definition record: section \(object.name(of: object.sections[index]).string) (#\(index + 1)) is associative to itself; an associative COMDAT section must name the section that decides whether it is kept")
                        }
                        guard parent >= 0, parent < coff.sectionCount else {
                            throw view.error(at: coff.symbolOffset(i + 1), "section definition record: section \(object.name(of: object.sections[index]).string) (#\(index + 1)) is associative to section #\(definition.associatedSection), which does not exist")
                        }
                        object.sections[index].associatedWith = Int32(parent)
                    }
                }
            }
            let isSectionSymbol = record.storageClass == StorageClass.static && record.value == 0 && record.auxiliaryCount > 0
            if record.sectionNumber > 0 && !isSectionSymbol && comdatLeader[Int(record.sectionNumber) - 1] < 0 {
                let s = Int(record.sectionNumber) - 1
                comdatLeader[s] = Int32(i)
                if record.storageClass == StorageClass.external { leaderExternal[s] = externals.count }
            }
            if record.isExternal && record.sectionNumber == SectionNumber.absolute,
               let name = try? coff.symbolNameBytes(i), Name(name).equals("@feat.00") || Name(name).equals("@comp.id") {
                // Notes from the compiler to the linker, not symbols (an assembler may make them
                // global); lld-link and link.exe keep them out of the symbol table as well.
                if Name(name).equals("@feat.00") { object.features = record.value }
                object.targets[i] = .absolute(record.value)
            } else if record.isExternal {
                let name = Name(try coff.symbolNameBytes(i))
                externals.append(HashedName(name: name, hash: name.hashValue64, record: Int32(i)))
                if record.sectionNumber == SectionNumber.debug { object.hasDebugExternals = true }
                if record.storageClass == StorageClass.external, record.sectionNumber > 0 {
                    let s = Int(record.sectionNumber) - 1
                    if object.sections[s].isComdat, !object.sections[s].flags.contains(.memExecute) {
                        if vtableChecked.isEmpty { vtableChecked = [Bool](repeating: false, count: coff.sectionCount) }
                        if !vtableChecked[s] {
                            vtableChecked[s] = true
                            if let prefix = VTablePrefix(name) { object.vtableCandidates.append((Int32(s), prefix)) }
                        }
                    }
                }
                if record.storageClass == StorageClass.weakExternal { object.entersOtherNames = true }
            } else if record.sectionNumber > 0 {
                object.targets[i] = .local(section: record.sectionNumber - 1, value: record.value)
            } else if record.sectionNumber == SectionNumber.absolute && record.storageClass == StorageClass.static {
                object.targets[i] = .absolute(record.value)
                if (try? coff.symbolNameBytes(i)).map({ Name($0).equals("@feat.00") }) ?? false { object.features = record.value }
            }
            i += 1 + record.auxiliaryCount
        }
        // GCC marks an object that holds only its LTO bytecode (no machine code: -flto without
        // -ffat-lto-objects) with this symbol. Linking it would silently drop all its code. A fat
        // LTO object links as a normal one, its .gnu.lto_ sections left out.
        if hasGNULTOSections {
            for index in 0..<coff.symbolCount where (try? coff.symbolName(index)) == "__gnu_lto_slim" {
                throw view.error(at: nil, "is a GCC LTO object (compiled with -flto): it holds GIMPLE bytecode in .gnu.lto_* sections and no machine code, and pelink does not do link-time optimization; rebuild it without -flto, or with -ffat-lto-objects")
            }
        }
        // GCC (MinGW) writes a function's unwind data as COMDAT sections .pdata$NAME and .xdata$NAME
        // (.eh_frame$NAME on i386) of their own, with no symbol, beside the COMDAT .text$NAME: they
        // are kept or dropped with that function, as GNU ld and lld-link treat them.
        for s in object.sections.indices where object.sections[s].isComdat && object.sections[s].associatedWith < 0
            && object.sections[s].selection != ComdatSelection.associative.rawValue && comdatLeader[s] < 0 {
            let name = object.name(of: object.sections[s])
            let prefixLength: Int
            if name.hasPrefix(".pdata$") || name.hasPrefix(".xdata$") { prefixLength = 7 }
            else if name.hasPrefix(".eh_frame$") { prefixLength = 10 }   // i386 GCC's unwind tables
            else { continue }
            let function = ".text$" + String(name.string.dropFirst(prefixLength))
            if let text = object.sections.indices.first(where: { $0 != s && object.name(of: object.sections[$0]).string == function }) {
                object.sections[s].associatedWith = Int32(text)
                object.sections[s].selection = ComdatSelection.associative.rawValue
            }
        }
        // An associative section is kept or dropped with the section it names; a chain of them
        // that comes back to itself has no leader to decide, which only a broken producer writes.
        if object.sections.contains(where: { $0.associatedWith >= 0 }) {
            try checkAssociations(object, view)
            // A COMDAT section is kept or dropped through its leader symbol; one with no symbol at
            // all is never decided, so neither is a section associated with it (lld-link rejects it too).
            for (s, section) in object.sections.enumerated() where section.associatedWith >= 0 {
                let p = Int(section.associatedWith)
                let parent = object.sections[p]
                if parent.isComdat && parent.selection != ComdatSelection.associative.rawValue && comdatLeader[p] < 0 {
                    throw view.error(at: nil, "associative comdat \(object.name(of: section).string) (sec \(s + 1)) has invalid reference to section \(object.name(of: parent).string) (sec \(p + 1)): a COMDAT section that defines no symbol, so nothing decides whether either is kept")
                }
            }
        }
        // Selections are known only once every section definition record has been read.
        var isLeader = [Bool](repeating: false, count: externals.count)
        for (s, section) in object.sections.enumerated()
        where section.isComdat && section.selection != ComdatSelection.associative.rawValue && leaderExternal[s] >= 0 {
            isLeader[leaderExternal[s]] = true
            object.comdatLeaderCount += 1
        }
        var ordered: [HashedName] = []
        ordered.reserveCapacity(externals.count)
        for (e, external) in externals.enumerated() where isLeader[e] { ordered.append(external) }
        for (e, external) in externals.enumerated() where !isLeader[e] { ordered.append(external) }
        object.externals = ExternalNames(ordered)
        object.directives = object.directiveArguments.map { argument in
            splitOption(argument).map { name, value in
                (name, value, name == "export" ? value.map { value in Result { try parseExportOption(value, source: .directive(object: displayName)) } } : nil)
            }
        }
        if !object.entersOtherNames {
            object.entersOtherNames = object.directives.contains { $0?.name == "include" || $0?.name == "delayload" }
        }
        object.entersSymbolsIndependently = !object.entersOtherNames
            && !object.sections.contains { $0.isComdat && $0.selection == ComdatSelection.largest.rawValue }
            && !externals.indices.contains { e in
                guard !isLeader[e] else { return false }
                let section = coff.symbol(Int(externals[e].record)).sectionNumber
                return section > 0 && object.sections[Int(section) - 1].isComdat
            }
        return object
    }
    /// Associative sections follow the section they name; a chain that comes back to itself has
    /// no leader to decide, which only a broken producer writes. Walked once per section (0
    /// unvisited, 1 on the current path, 2 done): linear in the section count, which a /bigobj
    /// file can make very large.
    private static func checkAssociations(_ object: ObjectFile, _ view: ByteView) throws {
        var visit = [UInt8](repeating: 0, count: object.sections.count)
        var path: [Int] = []
        for first in object.sections.indices where visit[first] == 0 {
            // Most sections are no one's associate: nothing to follow (and clearing the path
            // array costs more than the rest of the check).
            if object.sections[first].associatedWith < 0 {
                visit[first] = 2
                continue
            }
            // The usual associative section: its leader is no one's associate, so no cycle.
            let leader = Int(object.sections[first].associatedWith)
            if leader < object.sections.count && object.sections[leader].associatedWith < 0 {
                visit[first] = 2
                continue
            }
            path.removeAll(keepingCapacity: true)
            var next = first
            while next >= 0 && visit[next] == 0 {
                visit[next] = 1
                path.append(next)
                next = Int(object.sections[next].associatedWith)
            }
            if next >= 0 && visit[next] == 1 {
                let cycle = path[path.firstIndex(of: next)!...] + [next]
                let described = cycle.map { "\(object.name(of: object.sections[$0]).string) (#\($0 + 1))" }.joined(separator: " -> ")
                throw view.error(at: nil, "associative COMDAT sections form a cycle, so no leader decides whether they are kept: \(described)")
            }
            for s in path { visit[s] = 2 }
        }
    }
}

/// An import from a DLL, made by loading a short import object (or a synthesized one).
struct ImportEntry {
    var dllName: String
    /// The name to look up in the DLL; nil for an import by ordinal.
    var importName: String?
    var ordinal: UInt16
    var hint: UInt16
    var isCode: Bool
    /// The `__imp_` symbol's number; set when the symbol is created.
    var addressSymbol: Int32 = -1
    /// Set by layout.
    var iatRVA: UInt32 = 0
    var thunkRVA: UInt32 = 0
    var needsThunk = false
    /// /opt:ref: whether kept code or data refers to the import (its `__imp_` slot or its thunk).
    var isLive = true
    var thunkIsLive = false
    /// The library (or import object file) it came from, for the map file.
    var sourcePath = ""
}

/// Names an input offers to the symbol table, hashed once (in parallel), in memory of their own
/// so that the symbol table's workers can read a batch of inputs at once.
final class ExternalNames: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<HashedName>
    init(_ items: [HashedName]) {
        buffer = .allocate(capacity: items.count)
        _ = buffer.initialize(from: items)
    }
    deinit { buffer.deallocate() }
    var count: Int { buffer.count }
    subscript(_ i: Int) -> HashedName { buffer[i] }
}

/// A static library (or GNU import library) on the command line, with its members loaded on demand.
final class ArchiveFile: @unchecked Sendable {
    let path: String
    var archive: Archive
    var loaded: [Bool]

    init(path: String, archive: Archive) {
        self.path = path
        self.archive = archive
        self.loaded = Array(repeating: false, count: archive.memberCount)
    }

    /// A thin archive's member `m`: the file its name gives, relative to the archive's folder.
    func externalMember(_ m: Int) throws -> ByteView {
        let name = try archive.member(m).name
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
        let memberPath = name.hasPrefix("/") || folder.isEmpty ? name : folder + "/" + name
        // The name comes from the library: only a regular file is opened (a FIFO or a device named
        // there would block or never end).
        var info = stat()
        guard stat(memberPath, &info) == 0 else { throw FormatError(file: "", "could not open '\(memberPath)': \(String(cString: strerror(errno)))") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw FormatError(file: "", "'\(memberPath)' is not a regular file") }
        return try MappedFile(path: memberPath).view
    }
}
