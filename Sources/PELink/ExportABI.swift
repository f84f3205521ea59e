// The export list of a DLL as its importers depend on it, read from whatever describes it (the
// DLL, its import library, its .def, an ABI lock file or the link that makes it), and the
// comparison of two such lists that `pelink /abi:diff` and `/abilock` report.
//
// Each source knows only some facts: a DLL has no DATA flag; an import library has no
// forwarders, and an ordinal only for imports by ordinal; a .def promises an ordinal only where it
// writes @N. Absent facts are nil (or, for forwarders, the list says it cannot tell), and the
// comparison looks only at facts both sides know, so that comparing a DLL with its .def does not
// report every DATA export as changed.

import Foundation
import PEFormat

/// One export as importers bind to it.
public struct ExportABIEntry: Sendable, Equatable {
    /// The exported name; nil when the source has none: a DLL keeps no name for a NONAME export.
    public var name: String?
    /// The ordinal importers may bind to; nil when the source does not promise one (a .def entry
    /// without @N, an import library's import by name).
    public var ordinal: UInt32?
    /// Exported by ordinal only: importers cannot find it by name.
    public var isNoName: Bool
    /// DATA (importers take the address from the import table, with no thunk); nil when the
    /// source cannot tell (a DLL).
    public var isData: Bool?
    /// "dll.function" or "dll.#ordinal" for a forwarder; see `ExportABI.knowsForwarders`.
    public var forwarder: String?
    /// PRIVATE: in the DLL but left out of its import library. Only a .def, a lock file and a
    /// link know it; it matters only when the other side is an import library.
    public var isPrivate: Bool

    public init(name: String?, ordinal: UInt32? = nil, isNoName: Bool = false, isData: Bool? = nil, forwarder: String? = nil,
                isPrivate: Bool = false) {
        self.name = name
        self.ordinal = ordinal
        self.isNoName = isNoName
        self.isData = isData
        self.forwarder = forwarder
        self.isPrivate = isPrivate
    }

    /// How reports name the export: its name, or `@ordinal` when it has none.
    public var displayName: String {
        name ?? ordinal.map { "@\($0)" } ?? "(unnamed)"
    }
}

/// The export list of one source.
public struct ExportABI: Sendable, Equatable {
    public enum SourceKind: String, Sendable {
        case image = "DLL"
        case importLibrary = "import library"
        case moduleDefinition = ".def file"
        case lock = "ABI lock file"
        case link = "link"
    }

    public var kind: SourceKind
    public var entries: [ExportABIEntry]

    public init(kind: SourceKind, entries: [ExportABIEntry]) {
        self.kind = kind
        self.entries = entries
    }

    /// An import library looks the same whether its DLL implements an export or forwards it.
    public var knowsForwarders: Bool { kind != .importLibrary }
}

// MARK: - Reading the sources

extension ExportABI {
    /// The export list of a file, by what its content is: a PE image, an import library (short
    /// import objects or GNU ld's and dlltool's import members), an ABI lock file, or a .def file
    /// (any other text).
    public static func read(path: String) throws -> ExportABI {
        let file = try MappedFile(path: path)
        let view = file.view
        switch FileKind.identify(view) {
        case .peImage:
            return try ExportABI(image: try PEImage(view: view))
        case .archive:
            return try ExportABI(importLibrary: try Archive(view: view))
        case .importObject:
            return ExportABI(kind: .importLibrary, entries: [entry(importObject: try ImportObject(view: view))])
        case .text:
            let text = withExtendedLifetime(file) { String(decoding: file.bytes, as: UTF8.self) }
            if ABILockFile.isLock(text) { return try ABILockFile.parse(text: text, path: path) }
            return ExportABI(moduleDefinition: try ModuleDefinition.parse(text: text, path: path))
        case .empty:
            throw FormatError(file: path, "is empty; expected a DLL, an import library, a .def file or an ABI lock file")
        case .coffObject, .bigObject:
            throw FormatError(file: path, offset: 0, "is an object file, which lists no exports; expected a DLL, an import library, a .def file or an ABI lock file")
        case let kind:
            throw FormatError(file: path, offset: 0, (kind.rejection ?? "is not an export list") + "; expected a DLL, an import library, a .def file or an ABI lock file")
        }
    }

    /// A DLL's exports: every name of every used slot, and the slots that have no name (NONAME).
    public init(image: PEImage) throws {
        var entries: [ExportABIEntry] = []
        for slot in image.exports?.entries ?? [] where !slot.isUnused {
            if slot.names.isEmpty {
                entries.append(ExportABIEntry(name: nil, ordinal: slot.ordinal, isNoName: true, forwarder: slot.forwarder))
            }
            for name in slot.names {
                entries.append(ExportABIEntry(name: name, ordinal: slot.ordinal, forwarder: slot.forwarder))
            }
        }
        self.init(kind: .image, entries: entries)
    }

    /// A .def's EXPORTS. PRIVATE exports are in the DLL (only the import library leaves them out),
    /// so they count; a name given twice counts once, as the link keeps the first.
    public init(moduleDefinition: ModuleDefinition) {
        var seen: Set<String> = []
        var entries: [ExportABIEntry] = []
        for export in moduleDefinition.exports where seen.insert(export.name).inserted {
            entries.append(ExportABIEntry(name: export.name, ordinal: export.ordinal.map(UInt32.init), isNoName: export.noName,
                                          isData: export.isData || export.isConstant, forwarder: export.forwardTo,
                                          isPrivate: export.isPrivate))
        }
        self.init(kind: .moduleDefinition, entries: entries)
    }

    /// An import library's imports: short import objects (link.exe, lld-link, llvm-dlltool,
    /// pelink) and GNU import members (binutils' ld --out-implib and dlltool); the head and tail
    /// members of a GNU import library and any other member are passed over.
    public init(importLibrary archive: Archive) throws {
        var entries: [ExportABIEntry] = []
        var seen: Set<String> = []
        var sawImportMember = false
        for member in archive.members where member.externalSize == nil {
            let entry: ExportABIEntry?
            do {
                switch FileKind.identify(member.data) {
                case .importObject: entry = ExportABI.entry(importObject: try ImportObject(view: member.data))
                case .coffObject: entry = try ExportABI.entry(gnuImportMember: try COFFObject(view: member.data))
                default: entry = nil
                }
            } catch let error as FormatError {
                throw error.inMember(member.name)
            }
            guard let entry else { continue }
            sawImportMember = true
            // Libraries list an import once; a name twice (an odd library) counts once.
            let key = entry.name ?? "@\(entry.ordinal ?? 0)"
            if seen.insert(key).inserted { entries.append(entry) }
        }
        if !sawImportMember {
            throw FormatError(file: archive.path, "is a library without import members (a static library, not an import library)")
        }
        self.init(kind: .importLibrary, entries: entries)
    }

    /// A short import object: its import name, and its ordinal when it imports by ordinal (which
    /// import libraries do for NONAME exports).
    static func entry(importObject object: ImportObject) -> ExportABIEntry {
        let isData = object.type != .code
        if object.nameType == .ordinal {
            return ExportABIEntry(name: plainName(object.symbolName, machine: object.machine), ordinal: UInt32(object.ordinalOrHint),
                                  isNoName: true, isData: isData)
        }
        return ExportABIEntry(name: object.importName ?? object.symbolName, isData: isData)
    }

    /// A GNU import member: `__imp_X` in .idata$5, whose slot holds either the address of the
    /// hint/name entry in .idata$6 or the ordinal with the top bit set; a code import also
    /// defines `X`, its jump thunk. Nil for members that import nothing (head, tail).
    static func entry(gnuImportMember object: COFFObject) throws -> ExportABIEntry? {
        var importSymbol: String?
        var importSection = -1
        var definesThunk = false
        var index = 0
        while index < object.symbolCount {
            let record = object.symbol(index)
            defer { index += 1 + record.auxiliaryCount }
            guard record.storageClass == StorageClass.external, record.sectionNumber > 0 else { continue }
            let name = try object.symbolName(index)
            if name.hasPrefix("__imp_") {
                importSymbol = String(name.dropFirst(6))
                importSection = Int(record.sectionNumber) - 1
            } else if !name.hasPrefix("_head_") {
                definesThunk = true
            }
        }
        guard let importSymbol, importSection < object.sectionCount else { return nil }
        let slotSection = try object.sectionHeader(importSection)
        guard slotSection.name == ".idata$5" else { return nil }
        var hintName: COFFSectionHeader?
        for section in 0..<object.sectionCount where try object.sectionHeader(section).name == ".idata$6" {
            hintName = try object.sectionHeader(section)
        }
        if let hintName, hintName.sizeOfRawData > 2 {
            let data = try object.sectionData(hintName)
            let name = try data.cString(at: 2, "import name in .idata$6")
            return ExportABIEntry(name: name, isData: !definesThunk)
        }
        let slot = try object.sectionData(slotSection)
        let is64Bit = object.machine != .i386
        try slot.check(0, is64Bit ? 8 : 4, ".idata$5 slot of __imp_\(importSymbol)")
        let byOrdinal = is64Bit ? slot.u64(0) >> 63 == 1 : slot.u32(0) >> 31 == 1
        guard byOrdinal else {
            throw slot.error(at: 0, "__imp_\(importSymbol) has neither an import name (.idata$6) nor an ordinal in its .idata$5 slot")
        }
        return ExportABIEntry(name: plainName(importSymbol, machine: object.machine), ordinal: UInt32(slot.u16(0)),
                              isNoName: true, isData: !definesThunk)
    }

    /// The export name an x86 symbol stands for: without the C underscore.
    private static func plainName(_ symbol: String, machine: Machine) -> String {
        machine == .i386 && symbol.hasPrefix("_") ? String(symbol.dropFirst()) : symbol
    }
}

// MARK: - Comparing

/// One difference between two export lists.
public struct ABIChange: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case removed
        case added
        case ordinalChanged(from: UInt32, to: UInt32)
        case becameNoName
        /// `nowNamed`: the name the new list gives an export the old one knew by ordinal only.
        case lostNoName(nowNamed: String?)
        case codeToData
        case dataToCode
        case forwarderChanged(from: String, to: String)
        case becameForwarder(to: String)
        case stoppedForwarding(from: String)
    }

    /// The export as the old list names it (the new one's for additions).
    public var export: ExportABIEntry
    public var kind: Kind

    /// Whether importers built against the old list can fail with the new one: a binary that
    /// no longer loads, calls data, or reads code, or a source that no longer links. Additions,
    /// a name given to a NONAME export and becoming (or ceasing to be) a forwarder keep every
    /// importer working.
    public var isBreaking: Bool {
        switch kind {
        case .removed, .ordinalChanged, .becameNoName, .codeToData, .dataToCode, .forwarderChanged: return true
        case .added, .lostNoName, .becameForwarder, .stoppedForwarding: return false
        }
    }

    /// `NAME: what changed`, the line reports print.
    public var description: String {
        let ordinal = export.ordinal.map { " (@\($0))" } ?? ""
        let what: String
        switch kind {
        case .removed: what = "removed" + (export.name == nil ? "" : ordinal)
        case .added: what = "added" + (export.name == nil ? "" : ordinal)
        case let .ordinalChanged(from, to): what = "ordinal changed from @\(from) to @\(to)"
        case .becameNoName: what = "became NONAME" + ordinal
        case let .lostNoName(nowNamed):
            what = "lost NONAME" + (export.name == nil ? nowNamed.map { " (exported as \($0) now)" } ?? "" : ordinal)
        case .codeToData: what = "changed from CODE to DATA"
        case .dataToCode: what = "changed from DATA to CODE"
        case let .forwarderChanged(from, to): what = "forwarder changed from \(from) to \(to)"
        case let .becameForwarder(to): what = "now forwarded to \(to)"
        case let .stoppedForwarding(from): what = "no longer forwarded (was forwarded to \(from))"
        }
        return export.displayName + ": " + what
    }

    /// The order of reports: breaks first, then by name (unnamed exports last, by ordinal).
    static func precedes(_ a: ABIChange, _ b: ABIChange) -> Bool {
        if a.isBreaking != b.isBreaking { return a.isBreaking }
        switch (a.export.name, b.export.name) {
        case let (x?, y?) where x != y: return utf8Precedes(x, y)
        case (nil, _?): return false
        case (_?, nil): return true
        default: break
        }
        if a.export.ordinal != b.export.ordinal { return (a.export.ordinal ?? 0) < (b.export.ordinal ?? 0) }
        return a.description < b.description
    }
}

extension ExportABI {
    /// What changed from `old` to `new`, in report order. Exports are matched by name; an export
    /// one side knows only by ordinal (a DLL's NONAME export) is matched by ordinal. Facts one
    /// side does not know are not compared.
    public static func diff(old: ExportABI, new: ExportABI) -> [ABIChange] {
        // An import library leaves PRIVATE exports out: against one, they are not expected.
        if old.kind == .importLibrary || new.kind == .importLibrary {
            let publicOld = ExportABI(kind: old.kind, entries: old.entries.filter { !$0.isPrivate })
            let publicNew = ExportABI(kind: new.kind, entries: new.entries.filter { !$0.isPrivate })
            if publicOld != old || publicNew != new { return diff(old: publicOld, new: publicNew) }
        }
        var changes: [ABIChange] = []
        var newIndexByName: [String: Int] = [:]
        var newIndexByOrdinal: [UInt32: [Int]] = [:]
        for (index, entry) in new.entries.enumerated() {
            if let name = entry.name, newIndexByName[name] == nil { newIndexByName[name] = index }
            if let ordinal = entry.ordinal { newIndexByOrdinal[ordinal, default: []].append(index) }
        }
        let oldNames = Set(old.entries.compactMap(\.name))
        var matched = Set<Int>()
        let comparesForwarders = old.knowsForwarders && new.knowsForwarders

        func compare(_ before: ExportABIEntry, _ after: ExportABIEntry) {
            func report(_ kind: ABIChange.Kind) { changes.append(ABIChange(export: before, kind: kind)) }
            if let from = before.ordinal, let to = after.ordinal, from != to { report(.ordinalChanged(from: from, to: to)) }
            if !before.isNoName && after.isNoName { report(.becameNoName) }
            if before.isNoName && !after.isNoName { report(.lostNoName(nowNamed: before.name == nil ? after.name : nil)) }
            if let wasData = before.isData, let isData = after.isData, wasData != isData { report(isData ? .codeToData : .dataToCode) }
            guard comparesForwarders else { return }
            switch (before.forwarder, after.forwarder) {
            case let (from?, to?) where !sameForwarder(from, to): report(.forwarderChanged(from: from, to: to))
            case let (nil, to?): report(.becameForwarder(to: to))
            case let (from?, nil): report(.stoppedForwarding(from: from))
            default: break
            }
        }

        for before in old.entries {
            // By name first; a name a DLL no longer exports may still be its NONAME slot.
            let candidate: Int?
            if let name = before.name, let index = newIndexByName[name], !matched.contains(index) {
                candidate = index
            } else if let ordinal = before.ordinal {
                let sameOrdinal = (newIndexByOrdinal[ordinal] ?? []).filter { !matched.contains($0) }
                if before.name != nil {
                    // A named export matches an unnamed slot (it became NONAME, or a .def's
                    // NONAME export is that slot of the DLL).
                    candidate = sameOrdinal.first { new.entries[$0].name == nil }
                } else {
                    // An unnamed slot matches what the new side has at that ordinal: NONAME
                    // still, or a name the old list did not have (it lost NONAME).
                    candidate = sameOrdinal.first { new.entries[$0].name == nil || new.entries[$0].isNoName }
                        ?? sameOrdinal.first { !oldNames.contains(new.entries[$0].name ?? "") }
                }
            } else {
                candidate = nil
            }
            guard let index = candidate else {
                changes.append(ABIChange(export: before, kind: .removed))
                continue
            }
            matched.insert(index)
            compare(before, new.entries[index])
        }
        for (index, entry) in new.entries.enumerated() where !matched.contains(index) {
            changes.append(ABIChange(export: entry, kind: .added))
        }
        return changes.sorted(by: ABIChange.precedes)
    }

    /// Forwarder strings are "dll.function": DLL names are case-insensitive, functions are not.
    static func sameForwarder(_ a: String, _ b: String) -> Bool {
        guard let dotA = a.lastIndex(of: "."), let dotB = b.lastIndex(of: ".") else { return a == b }
        return a[..<dotA].lowercased() == b[..<dotB].lowercased() && a[dotA...] == b[dotB...]
    }
}

// MARK: - The ABI lock file

/// `/abilock:FILE`'s format: a first line `# pelink abilock 1`, then one export per line, sorted
/// by name (exports without a name after, by ordinal):
///
///     NAME [@ORDINAL] [NONAME] [DATA] [PRIVATE] [-> FORWARDER]
///
/// An ordinal is written where importers may bind to it: where it was given (@N, /export:f,@N)
/// and for NONAME exports. A name with white space, a leading '#', '@' or '"', is written in
/// double quotes with '\' before '"' and '\'. Lines starting with '#' and blank lines are comments.
public enum ABILockFile {
    public static let header = "# pelink abilock 1"
    static let headerPrefix = "# pelink abilock "

    static func isLock(_ text: String) -> Bool {
        text.hasPrefix(headerPrefix)
    }

    /// The file's text for an export list (it knows DATA and forwarders: every export without
    /// DATA is code).
    public static func text(_ abi: ExportABI) -> String {
        let named = abi.entries.filter { $0.name != nil }.sorted { utf8Precedes($0.name!, $1.name!) }
        let unnamed = abi.entries.filter { $0.name == nil }.sorted { ($0.ordinal ?? 0) < ($1.ordinal ?? 0) }
        var text = header + "\n"
        text += "# one export per line: NAME [@ORDINAL] [NONAME] [DATA] [PRIVATE] [-> FORWARDER]\n"
        for entry in named + unnamed {
            var line = entry.name.map(quoted) ?? ""
            if let ordinal = entry.ordinal { line += (line.isEmpty ? "" : " ") + "@\(ordinal)" }
            if entry.isNoName { line += " NONAME" }
            if entry.isData == true { line += " DATA" }
            if entry.isPrivate { line += " PRIVATE" }
            if let forwarder = entry.forwarder { line += " -> " + forwarder }
            text += line + "\n"
        }
        return text
    }

    private static func quoted(_ name: String) -> String {
        let needsQuotes = name.isEmpty || name.first == "#" || name.first == "@" || name.first == "\""
            || name.contains { $0 == " " || $0 == "\t" || $0 == "\"" || $0 == "\\" } || name == "->"
        guard needsQuotes else { return name }
        return "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Reads a lock file; errors name the file, line and column.
    public static func parse(text: String, path: String) throws -> ExportABI {
        var entries: [ExportABIEntry] = []
        var seenNames: [String: Int] = [:]
        var seenOrdinals: [UInt32: Int] = [:]
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first.map({ $0.hasSuffix("\r") ? $0.dropLast() : $0 }), first.hasPrefix(headerPrefix) else {
            throw FormatError(file: path, line: 1, column: 1, "not an ABI lock file: the first line must be \"\(header)\"")
        }
        guard first == header else {
            throw FormatError(file: path, line: 1, column: headerPrefix.count + 1,
                              "ABI lock format version \"\(first.dropFirst(headerPrefix.count))\" is not supported (this pelink reads version 1)")
        }
        for (index, rawLine) in lines.enumerated().dropFirst() {
            let lineNumber = index + 1
            let line = Array((rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine).utf8)
            var position = 0
            func skipBlanks() { while position < line.count && (line[position] == 0x20 || line[position] == 0x09) { position += 1 } }
            func fail(_ message: String, at column: Int? = nil) -> FormatError {
                FormatError(file: path, line: lineNumber, column: (column ?? position) + 1, message)
            }
            func word() throws -> (text: String, column: Int) {
                skipBlanks()
                let start = position
                if position < line.count && line[position] == UInt8(ascii: "\"") {
                    var bytes: [UInt8] = []
                    position += 1
                    while true {
                        guard position < line.count else { throw fail("the quoted name is not closed", at: start) }
                        let byte = line[position]
                        position += 1
                        if byte == UInt8(ascii: "\"") { break }
                        if byte == UInt8(ascii: "\\") {
                            guard position < line.count else { throw fail("the quoted name is not closed", at: start) }
                            bytes.append(line[position])
                            position += 1
                        } else {
                            bytes.append(byte)
                        }
                    }
                    return (String(decoding: bytes, as: UTF8.self), start)
                }
                while position < line.count && line[position] != 0x20 && line[position] != 0x09 { position += 1 }
                return (String(decoding: line[start..<position], as: UTF8.self), start)
            }
            skipBlanks()
            if position == line.count || line[position] == UInt8(ascii: "#") { continue }
            var entry = ExportABIEntry(name: nil, isData: false)
            let isQuoted = line[position] == UInt8(ascii: "\"")
            let (first, firstColumn) = try word()
            func ordinal(_ text: String, column: Int) throws -> UInt32 {
                guard let value = UInt32(text.dropFirst()), value >= 1, value <= 65535 else {
                    throw fail("\"\(text)\" is not an ordinal (@1 to @65535)", at: column)
                }
                return value
            }
            if !isQuoted && first.hasPrefix("@") {
                entry.ordinal = try ordinal(first, column: firstColumn)
                entry.isNoName = true
            } else {
                entry.name = first
            }
            while true {
                skipBlanks()
                guard position < line.count else { break }
                let (token, column) = try word()
                switch token {
                case _ where token.hasPrefix("@") && entry.ordinal == nil: entry.ordinal = try ordinal(token, column: column)
                case "NONAME": entry.isNoName = true
                case "DATA": entry.isData = true
                case "PRIVATE": entry.isPrivate = true
                case "->":
                    let (target, targetColumn) = try word()
                    guard !target.isEmpty, target.contains(".") else { throw fail("'->' must be followed by a forwarder, DLL.function or DLL.#ordinal", at: targetColumn) }
                    entry.forwarder = target
                default:
                    throw fail("unexpected \"\(token)\": expected @ORDINAL, NONAME, DATA, PRIVATE or -> FORWARDER", at: column)
                }
            }
            if entry.isNoName && entry.ordinal == nil { throw fail("a NONAME export needs its @ORDINAL", at: firstColumn) }
            if let name = entry.name {
                if let earlier = seenNames[name] { throw fail("\(name) is listed twice (first on line \(earlier))", at: firstColumn) }
                seenNames[name] = lineNumber
            }
            if let ordinal = entry.ordinal {
                if let earlier = seenOrdinals[ordinal] { throw fail("ordinal @\(ordinal) is listed twice (first on line \(earlier))", at: firstColumn) }
                seenOrdinals[ordinal] = lineNumber
            }
            entries.append(entry)
        }
        return ExportABI(kind: .lock, entries: entries)
    }
}
