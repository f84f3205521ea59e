// /debug: the PDB pelink writes (the MSF container; the info, TPI, IPI, DBI, /names, publics and
// globals streams; a module stream per object with its symbols and C13 line tables) and the
// image's CodeView record that names it (issue 13).
//
// Two suites:
//
//   PDBTests        a PDB made from two small objects on the fly: llvm-pdbutil reads it, its GUID,
//                   age and signature are the image's, /pdb, /pdbaltpath, /debug:none and
//                   /debug:symtab behave, and the same inputs give the same bytes.
//   PDBOracleTests  "PDB compared with lld-link's": every EXPECT=ok case of Inputs/ whose name
//                   starts with pdb- (pdb-c and pdb-cpp: C and C++ objects from clang -g
//                   -gcodeview; pdb-nodebug: objects without debug information; pdb-unknown-symbol:
//                   a symbol record of an unknown kind) is linked by pelink and by lld-link with the
//                   same arguments, and llvm-pdbutil and llvm-symbolizer must see the same things in
//                   both PDBs: public symbols (and each export is a public at its address), global
//                   symbols, modules and their source files, each object's module symbols, line
//                   tables (inlinee lines included), the number of type and id records (and the
//                   records by kind and name), the objects' section contributions, and the
//                   function:file:line (with inlined frames) of every code byte of every function.
//                   Checks of pelink's PDB alone: llvm-pdbutil dumps it without an error or a
//                   warning, every scope's parent/end offsets are right, the PDB is byte-identical
//                   across output folders and thread counts, and it survives llvm-pdbutil's
//                   pdb2yaml -> yaml2pdb round trip.
//
// The options that add files to the PDB (/natvis, /sourcelink, /pdbstream) or decide what /debug
// writes (/pdbstripped, /debugtype, /profile) are PDBOptionTests.swift's.
//
// The bad-input side of issue 13 (corrupt .debug$T / .debug$S) is the Inputs/err-pdb-* golden
// cases (Golden/err-pdb-*/diagnostics.txt), which RobustnessTests' error corpus also runs as
// processes; Inputs/pdb-unknown-symbol is the one defect pelink links with a warning.
//
// Addresses. Before comparing an address, the tests check whether the two images have the same
// section table (names, RVAs, sizes). If they do, addresses must be equal. If not, an address of
// pelink's PDB is carried over to lld-link's layout through the section contributions (the same
// object's n-th contribution to the same-named section, at the same offset inside it), and the
// failure messages say so.

import Foundation
import PEFormat
import PELink
import Testing

@Suite("/debug: the PDB and the image's CodeView record")
struct PDBTests {
    @Test("llvm-pdbutil reads the PDB: the image's GUID, age and time stamp, a module per object; /pdb, /pdbaltpath, /debug:none; the same inputs give the same bytes")
    func pdbMatchesTheImage() throws {
        guard let pdbutil = requireTool("llvm-pdbutil"), let clang = requireTool("clang") else { return }
        let folder = try makeTemporaryDirectory("pdb")
        defer { try? FileManager.default.removeItem(at: folder) }
        var objects: [String] = []
        for (name, text) in [("a", "__declspec(dllexport) int a(void) { return 1; }"), ("b", "int b(void) { return 2; }")] {
            let source = folder.appendingPathComponent(name + ".c")
            try text.write(to: source, atomically: true, encoding: .utf8)
            let object = folder.appendingPathComponent(name + ".obj").path
            let compile = try runProcess(clang, ["--target=x86_64-pc-windows-msvc", "-g", "-gcodeview", "-c", source.path, "-o", object])
            guard compile.exitCode == 0 else { Issue.record("clang: \(compile.stderr)"); return }
            objects.append(object)
        }
        func link(_ extra: [String], _ dll: String) -> DriverResult {
            Driver.run(arguments: ["/dll", "/noentry"] + objects + extra + ["/out:" + folder.appendingPathComponent(dll).path], environment: [:])
        }
        let run = link(["/debug"], "x.dll")
        // /debug is implemented: no warning, no note, nothing on standard error.
        #expect(run.exitCode == 0 && run.diagnostics.isEmpty, "\(run.diagnostics)")
        let pdb = folder.appendingPathComponent("x.pdb").path
        let dump = try runProcess(pdbutil, ["dump", "-summary", "-modules", pdb])
        #expect(dump.exitCode == 0, "llvm-pdbutil: \(dump.stderr)")
        #expect(dump.stdout.contains("a.obj") && dump.stdout.contains("b.obj") && dump.stdout.contains("* Linker *"), "\(dump.stdout)")

        // The image names this PDB with the same GUID and age; its time stamp is the PDB's signature.
        let image = try PEImage(view: try MappedFile(path: folder.appendingPathComponent("x.dll").path).view)
        guard let directory = image.directory(.debug) else { Issue.record("no debug directory"); return }
        let entry = try image.bytes(atRVA: directory.rva, count: 28)
        let record = try image.bytes(atRVA: entry.u32(20), count: Int(entry.u32(16)))
        let guid = (4..<20).map { record.u8($0) }
        let pathBytes = (24..<record.count - 1).map { record.u8($0) }
        #expect(record.u32(0) == 0x5344_5352 && String(decoding: pathBytes, as: UTF8.self) == folder.appendingPathComponent("x.pdb").path)
        let pdbGUID = dump.stdout.split(separator: "\n").first { $0.contains("GUID:") }.map(String.init) ?? ""
        let expectedGUID = guidText(guid)
        #expect(pdbGUID.contains(expectedGUID), "PDB \(pdbGUID), image \(expectedGUID)")
        #expect(dump.stdout.contains("Signature: \(image.fileHeader.timeDateStamp)") && dump.stdout.contains("Age: 1"), "\(dump.stdout)")
        #expect(entry.u32(4) == image.fileHeader.timeDateStamp)

        // The same inputs: the same image and PDB.
        let again = try Data(contentsOf: URL(fileURLWithPath: pdb))
        #expect(link(["/debug"], "x.dll").exitCode == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: pdb)) == again, "the PDB differs between two equal links")

        #expect(link(["/debug", "/pdb:" + folder.appendingPathComponent("named.pdb").path, "/pdbaltpath:named.pdb"], "y.dll").exitCode == 0)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("named.pdb").path))
        let other = try PEImage(view: try MappedFile(path: folder.appendingPathComponent("y.dll").path).view)
        if let otherDirectory = other.directory(.debug) {
            let otherEntry = try other.bytes(atRVA: otherDirectory.rva, count: 28)
            let otherRecord = try other.bytes(atRVA: otherEntry.u32(20), count: Int(otherEntry.u32(16)))
            #expect(String(decoding: (24..<otherRecord.count - 1).map { otherRecord.u8($0) }, as: UTF8.self) == "named.pdb", "/pdbaltpath is what the image records")
        }
        #expect(link(["/debug", "/debug:none"], "z.dll").exitCode == 0)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("z.pdb").path), "/debug:none writes no PDB")
        // /debug:symtab: the COFF symbol table alone, no PDB; an unknown kind is an error.
        #expect(link(["/debug:symtab"], "s.dll").exitCode == 0)
        let symtab = try PEImage(view: try MappedFile(path: folder.appendingPathComponent("s.dll").path).view)
        #expect(symtab.fileHeader.numberOfSymbols > 0 && !FileManager.default.fileExists(atPath: folder.appendingPathComponent("s.pdb").path))
        let bogus = link(["/debug:bogus"], "b.dll")
        #expect(bogus.exitCode == 1 && bogus.diagnostics.contains("/debug:bogus"), "\(bogus.diagnostics)")
        // A failed link writes no PDB.
        #expect(link(["/debug", "/include:missing_symbol"], "f.dll").exitCode != 0)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("f.pdb").path))
    }

    /// The GUID as llvm-pdbutil prints it: {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}, the first three
    /// groups little-endian.
    func guidText(_ bytes: [UInt8]) -> String {
        func hex(_ slice: [UInt8]) -> String { slice.map { String(format: "%02X", $0) }.joined() }
        return "{" + hex(bytes[0..<4].reversed()) + "-" + hex(bytes[4..<6].reversed()) + "-" + hex(bytes[6..<8].reversed())
            + "-" + hex(Array(bytes[8..<10])) + "-" + hex(Array(bytes[10..<16])) + "}"
    }
}

// MARK: - llvm-pdbutil's text, parsed

/// A segment:offset address as the PDB stores it (segment = 1-based section number).
struct PDBAddress: Hashable, Comparable, CustomStringConvertible {
    var segment: Int
    var offset: Int
    static func < (a: PDBAddress, b: PDBAddress) -> Bool { (a.segment, a.offset) < (b.segment, b.offset) }
    var description: String { String(format: "%04d:%08X", segment, offset) }

    /// "0001:0112" (decimal offset, as -publics, -symbols and -section-contribs print it).
    init?(decimal text: some StringProtocol) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let segment = Int(parts[0]), let offset = Int(parts[1]) else { return nil }
        self.segment = segment
        self.offset = offset
    }

    /// "0001:00000070" (hexadecimal offset, as -l prints it).
    init?(hex text: some StringProtocol) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let segment = Int(parts[0]), let offset = Int(parts[1], radix: 16) else { return nil }
        self.segment = segment
        self.offset = offset
    }

    init(segment: Int, offset: Int) {
        self.segment = segment
        self.offset = offset
    }
}

/// The last component of a path written with / or \ separators.
func pdbBaseName(_ path: some StringProtocol) -> String {
    let text = String(path)
    return text.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? text
}

/// The text between the first pair of backquote and quote: "`name`".
private func quoted(_ line: some StringProtocol) -> String? {
    guard let open = line.firstIndex(of: "`") else { return nil }
    let rest = line[line.index(after: open)...]
    guard let close = rest.lastIndex(of: "`") else { return nil }
    return String(rest[..<close])
}

/// The value after "key = " up to the next ", " (or the end of the line).
private func field(_ key: String, in line: some StringProtocol) -> String? {
    let line = String(line)
    guard let range = line.range(of: key + " = ") else { return nil }
    let rest = line[range.upperBound...]
    if let comma = rest.range(of: ", ") { return String(rest[..<comma.lowerBound]) }
    return String(rest).trimmingCharacters(in: .whitespaces)
}

/// The output of one `llvm-pdbutil dump`, cut into its titled sections ("Summary", "Modules",
/// "Public Symbols", ...): each title line is followed by a line of '=' characters.
struct PDBUtilDump {
    var text: String
    var sections: [String: [String]] = [:]

    init(_ text: String) {
        self.text = text
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var current: String?
        var index = 0
        while index < lines.count {
            let line = lines[index]
            if index + 1 < lines.count, !lines[index + 1].isEmpty, lines[index + 1].allSatisfy({ $0 == "=" }),
               !line.trimmingCharacters(in: .whitespaces).isEmpty {
                current = line.trimmingCharacters(in: .whitespaces)
                sections[current!] = []
                index += 2
                continue
            }
            if let current { sections[current, default: []].append(line) }
            index += 1
        }
    }

    /// A section's lines grouped by the "Mod 0000 | `name`:" lines in it, as (module, lines).
    func byModule(_ title: String) -> [(module: String, lines: [String])] {
        var result: [(module: String, lines: [String])] = []
        for line in sections[title] ?? [] {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("Mod "), trimmed.contains(" | `"), let name = quoted(trimmed) {
                result.append((name, []))
            } else if !result.isEmpty {
                result[result.count - 1].lines.append(line)
            }
        }
        return result
    }

    /// Records of a symbol section ("Public Symbols", "Global Symbols"): the first line of each
    /// ("<offset> | S_KIND [size = n] `name`") with the lines that follow it, until the next.
    func records(_ lines: [String]) -> [(kind: String, name: String, details: String)] {
        var result: [(kind: String, name: String, details: String)] = []
        for line in lines {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let parts = trimmed.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, Int(parts[0]) != nil, parts[1].hasPrefix("S_") {
                let kind = String(parts[1].prefix { $0 != " " })
                result.append((kind, quoted(parts[1]) ?? "", ""))
            } else if !result.isEmpty, !trimmed.isEmpty {
                result[result.count - 1].details += (result[result.count - 1].details.isEmpty ? "" : ", ") + trimmed
            }
        }
        return result
    }

    // MARK: Summary, types

    /// "Showing N records" of "Types (TPI Stream)" / "Types (IPI Stream)"; 0 when the stream is
    /// absent ("IPI stream not present": lld-link writes no IPI stream when no object has ids).
    func recordCount(_ title: String) -> Int? {
        for line in sections[title] ?? [] {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("Showing "), let count = Int(trimmed.dropFirst(8).prefix { $0.isNumber }) { return count }
            if trimmed.hasSuffix("stream not present") { return 0 }
        }
        return nil
    }

    /// Type or id records: index -> "LF_KIND `name`" plus, for LF_FUNC_ID / LF_MFUNC_ID, "name = ".
    func typeRecords(_ title: String) -> [Int: (kind: String, name: String, details: String)] {
        var result: [Int: (kind: String, name: String, details: String)] = [:]
        var last: Int?
        for line in sections[title] ?? [] {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let parts = trimmed.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[0].hasPrefix("0x"), let index = Int(parts[0].dropFirst(2), radix: 16), parts[1].hasPrefix("LF_") {
                result[index] = (String(parts[1].prefix { $0 != " " }), quoted(parts[1]) ?? "", "")
                last = index
            } else if let last, !trimmed.isEmpty {
                result[last]!.details += (result[last]!.details.isEmpty ? "" : ", ") + trimmed
            }
        }
        return result
    }

    // MARK: Publics

    /// S_PUB32 name -> "flags = ..., addr = ssss:oooo" parsed.
    var publics: [String: (flags: String, address: PDBAddress?)] {
        var result: [String: (flags: String, address: PDBAddress?)] = [:]
        for record in records(sections["Public Symbols"] ?? []) where record.kind == "S_PUB32" {
            let flags = field("flags", in: record.details) ?? "?"
            result[record.name] = (flags, field("addr", in: record.details).flatMap { PDBAddress(decimal: $0) })
        }
        return result
    }

    /// Public names in record order, duplicates kept (a name twice is an error in itself).
    var publicNames: [String] {
        records(sections["Public Symbols"] ?? []).filter { $0.kind == "S_PUB32" }.map(\.name)
    }

    // MARK: Modules, files

    /// Module names (object paths reduced to their file name; "* Linker *" kept), in order.
    var moduleNames: [String] {
        byModule("Modules").map { pdbBaseName($0.module) }
    }

    /// Per module (file name), the source files of -files, each "path (checksum)".
    var moduleFiles: [(module: String, files: [String])] {
        byModule("Files").map { entry in
            (pdbBaseName(entry.module), entry.lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("- ") }
                .map { line -> String in
                    // "- (MD5: AA14...) /pelink/pdb-c/main.c" -> "/pelink/pdb-c/main.c (MD5: AA14...)"
                    let body = line.dropFirst(2)
                    if body.hasPrefix("("), let close = body.firstIndex(of: ")") {
                        return body[body.index(after: close)...].trimmingCharacters(in: .whitespaces) + " " + body[...close]
                    }
                    return String(body)
                })
        }
    }

    // MARK: Section contributions

    struct Contribution: Equatable, CustomStringConvertible {
        var section: String
        var module: Int
        var address: PDBAddress
        var size: Int
        var dataCRC: String
        var characteristics: String
        var description: String { "SC[\(section)] mod \(module) \(address) size \(size) \(characteristics)" }
    }

    var contributions: [Contribution] {
        var result: [Contribution] = []
        for line in sections["Section Contributions"] ?? [] {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("SC["), let close = trimmed.firstIndex(of: "]") {
                let section = String(trimmed[trimmed.index(trimmed.startIndex, offsetBy: 3)..<close])
                let rest = trimmed[trimmed.index(after: close)...].drop { $0 == " " || $0 == "|" }
                let fields = rest.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                guard fields.count >= 4, fields[0].hasPrefix("mod = "), let module = Int(fields[0].dropFirst(6)),
                      let address = PDBAddress(decimal: fields[1]), fields[2].hasPrefix("size = "),
                      let size = Int(fields[2].dropFirst(7)) else { continue }
                let crc = fields.first { $0.hasPrefix("data crc = ") }.map { String($0.dropFirst(11)) } ?? "?"
                result.append(Contribution(section: section, module: module, address: address, size: size, dataCRC: crc, characteristics: ""))
            } else if !result.isEmpty, !trimmed.isEmpty {
                let flags = trimmed.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                let joined = (result[result.count - 1].characteristics.isEmpty ? [] : [result[result.count - 1].characteristics]) + flags
                result[result.count - 1].characteristics = joined.joined(separator: " | ")
            }
        }
        return result
    }

    // MARK: Module symbols and lines (dump -symbols -l -il)

    struct Procedure: CustomStringConvertible {
        var module: String
        var kind: String
        var name: String
        var address: PDBAddress
        var codeSize: Int
        var description: String { "\(kind) \(name) at \(address) (\(codeSize) bytes, \(module))" }
    }

    /// The procedures (S_GPROC32, S_LPROC32 and their _ID forms) of every module's symbols.
    var procedures: [Procedure] {
        var result: [Procedure] = []
        for (module, lines) in byModule("Symbols") {
            for record in records(lines) where ["S_GPROC32", "S_LPROC32", "S_GPROC32_ID", "S_LPROC32_ID"].contains(record.kind) {
                guard let address = field("addr", in: record.details).flatMap({ PDBAddress(decimal: $0) }),
                      let size = field("code size", in: record.details).flatMap({ Int($0) }) else { continue }
                result.append(Procedure(module: pdbBaseName(module), kind: record.kind, name: record.name, address: address, codeSize: size))
            }
        }
        return result
    }

    /// All module symbol records, as (module, kind, name).
    var moduleSymbols: [(module: String, kind: String, name: String)] {
        byModule("Symbols").flatMap { entry in records(entry.lines).map { (pdbBaseName(entry.module), $0.kind, $0.name) } }
    }

    struct LineBlock {
        var module: String
        var file: String
        var start: PDBAddress
        var end: PDBAddress
        /// (line, address) in the order printed.
        var entries: [(line: Int, address: Int)]
    }

    /// The "Lines" section: per module, per file, blocks "ssss:start-end, line/addr entries = n"
    /// followed by "line addr !" entries.
    var lineBlocks: [LineBlock] {
        var result: [LineBlock] = []
        for (module, lines) in byModule("Lines") {
            var file = ""
            for line in lines {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty { continue }
                if trimmed.contains(", line/addr entries = ") {
                    let range = trimmed.prefix { $0 != "," }
                    let ends = range.split(separator: "-")
                    guard ends.count == 2, let start = PDBAddress(hex: ends[0]),
                          let endOffset = Int(ends[1], radix: 16) else { continue }
                    result.append(LineBlock(module: pdbBaseName(module), file: file, start: start,
                                            end: PDBAddress(segment: start.segment, offset: endOffset), entries: []))
                } else if let first = trimmed.first, first.isNumber, !result.isEmpty, result[result.count - 1].module == pdbBaseName(module) {
                    // "16 00000000 !   18 00000007 !" (a '!' marks a statement).
                    let tokens = trimmed.split(separator: " ").filter { $0 != "!" }
                    var index = 0
                    while index + 1 < tokens.count {
                        if let number = Int(tokens[index]), let address = Int(tokens[index + 1], radix: 16) {
                            result[result.count - 1].entries.append((number, address))
                        }
                        index += 2
                    }
                } else {
                    // A file line: "/pelink/pdb-c/main.c (MD5: ...)".
                    file = trimmed
                }
            }
        }
        return result
    }

    /// The "Inlinee Lines" section: per module, rows (inlinee id, line, file).
    var inlineeLines: [(module: String, inlinee: Int, line: Int, file: String)] {
        var result: [(module: String, inlinee: Int, line: Int, file: String)] = []
        for (module, lines) in byModule("Inlinee Lines") {
            for line in lines {
                let columns = line.split(separator: "|", maxSplits: 2).map { $0.trimmingCharacters(in: .whitespaces) }
                guard columns.count == 3, columns[0].hasPrefix("0x"), let inlinee = Int(columns[0].dropFirst(2), radix: 16),
                      let number = Int(columns[1]) else { continue }
                result.append((pdbBaseName(module), inlinee, number, columns[2]))
            }
        }
        return result
    }
}

// MARK: - Linking a pdb-* case with both linkers

/// One pdb-* case linked by pelink (in-process, as the golden test does) and by lld-link, each in
/// its own folder with the same file names, and everything the comparisons need.
struct PDBCaseLinks {
    var name: String
    var pelinkDLL: URL, pelinkPDB: URL
    var lldDLL: URL, lldPDB: URL
    var pelinkDiagnostics: String
    var pelinkImage: PEImage
    var lldImage: PEImage
    /// dump -summary -modules -files -publics -globals -types -ids -section-contribs
    var pelinkDump: PDBUtilDump, lldDump: PDBUtilDump
    /// dump -symbols -l -il
    var pelinkDetails: PDBUtilDump, lldDetails: PDBUtilDump

    static let dumpFlags = ["-summary", "-modules", "-files", "-publics", "-globals", "-types", "-ids", "-section-contribs"]
    static let detailFlags = ["-symbols", "-l", "-il"]

    /// The same section table (names, RVAs, virtual sizes) in both images.
    var sameLayout: Bool {
        pelinkImage.sections.map { [$0.name, String($0.virtualAddress), String($0.virtualSize)] }
            == lldImage.sections.map { [$0.name, String($0.virtualAddress), String($0.virtualSize)] }
    }

    var layoutNote: String {
        if sameLayout { return "" }
        func table(_ image: PEImage) -> String {
            image.sections.map { "\($0.name)@0x\(String($0.virtualAddress, radix: 16))+0x\(String($0.virtualSize, radix: 16))" }.joined(separator: " ")
        }
        return "\n(the images' section tables differ, so pelink's addresses were carried over to lld-link's layout through the section contributions: pelink \(table(pelinkImage)); lld-link \(table(lldImage)))"
    }

    /// A pelink PDB address in lld-link's layout: the same address when the section tables agree;
    /// else the same offset inside the corresponding contribution (same object, same-named section,
    /// same position among that object's contributions to it). Nil when it lies in no object's
    /// contribution.
    func lldAddress(forPelink address: PDBAddress) -> PDBAddress? {
        if sameLayout { return address }
        let ours = pelinkDump.contributions, theirs = lldDump.contributions
        let ourModules = pelinkDump.moduleNames, theirModules = lldDump.moduleNames
        guard let contribution = ours.first(where: { $0.address.segment == address.segment && address.offset >= $0.address.offset
                && address.offset < $0.address.offset + max($0.size, 1) && $0.module < ourModules.count }) else { return nil }
        let module = ourModules[contribution.module]
        let position = ours.filter { $0.module == contribution.module && $0.section == contribution.section }
            .firstIndex { $0.address == contribution.address } ?? 0
        guard let theirModule = theirModules.firstIndex(of: module) else { return nil }
        let candidates = theirs.filter { $0.module == theirModule && $0.section == contribution.section }
        guard position < candidates.count else { return nil }
        let target = candidates[position]
        return PDBAddress(segment: target.address.segment, offset: target.address.offset + address.offset - contribution.address.offset)
    }

    /// The RVA of a segment:offset address in an image.
    static func rva(_ address: PDBAddress, in image: PEImage) -> UInt32? {
        guard address.segment >= 1, address.segment <= image.sections.count else { return nil }
        return image.sections[address.segment - 1].virtualAddress + UInt32(address.offset)
    }

    /// Links Inputs/<name> with both linkers and dumps both PDBs. Nil (after recording why, or
    /// when a tool is missing and not required).
    static func make(_ name: String, in temporary: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> PDBCaseLinks? {
        guard let lldLink = requireTool("lld-link", sourceLocation: sourceLocation),
              let pdbutil = requireTool("llvm-pdbutil", sourceLocation: sourceLocation) else { return nil }
        let testCase = try GoldenCase(name: name)
        #expect(testCase.arguments.contains { $0.lowercased() == "/debug" }, "Inputs/\(name)/ARGS must have /debug", sourceLocation: sourceLocation)
        let pelinkFolder = temporary.appendingPathComponent("pelink")
        let lldFolder = temporary.appendingPathComponent("lld")
        try FileManager.default.createDirectory(at: pelinkFolder, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: lldFolder, withIntermediateDirectories: true)
        let pelink = goldenLinkWithPELink(testCase, into: pelinkFolder)
        #expect(pelink.result.exitCode == 0, "pelink failed:\n\(pelink.normalizedDiagnostics)", sourceLocation: sourceLocation)
        let lldDLL = lldFolder.appendingPathComponent(name + ".dll")
        let lldRun = try runProcess(lldLink, testCase.lldArguments + [
            "/out:" + lldDLL.path, "/implib:" + lldFolder.appendingPathComponent(name + ".lib").path, "/opt:noicf", "/timestamp:0",
        ], environment: ["LIB": "", "LINK": "", "_LINK_": ""], currentDirectory: testCase.folder)
        #expect(lldRun.exitCode == 0, "lld-link failed:\n\(lldRun.stderr)", sourceLocation: sourceLocation)
        guard pelink.result.exitCode == 0, lldRun.exitCode == 0 else { return nil }
        // Both write the PDB next to the DLL, named after it, when /pdb: is not given.
        let pelinkPDB = pelinkFolder.appendingPathComponent(name + ".pdb")
        let lldPDB = lldFolder.appendingPathComponent(name + ".pdb")
        #expect(FileManager.default.fileExists(atPath: pelinkPDB.path), "pelink wrote no \(name).pdb next to \(name).dll: \(goldenFolderListing(pelinkFolder))", sourceLocation: sourceLocation)
        #expect(FileManager.default.fileExists(atPath: lldPDB.path), "lld-link wrote no \(name).pdb", sourceLocation: sourceLocation)
        guard FileManager.default.fileExists(atPath: pelinkPDB.path), FileManager.default.fileExists(atPath: lldPDB.path) else { return nil }

        func dump(_ pdb: URL, _ flags: [String], _ who: String) throws -> PDBUtilDump? {
            let run = try runProcess(pdbutil, ["dump"] + flags + [pdb.path])
            #expect(run.exitCode == 0, "llvm-pdbutil dump \(flags.joined(separator: " ")) of \(who)'s PDB failed (exit \(run.exitCode)):\n\(run.stderr)", sourceLocation: sourceLocation)
            return run.exitCode == 0 ? PDBUtilDump(run.stdout) : nil
        }
        guard let pelinkDump = try dump(pelinkPDB, dumpFlags, "pelink"), let lldDump = try dump(lldPDB, dumpFlags, "lld-link"),
              let pelinkDetails = try dump(pelinkPDB, detailFlags, "pelink"), let lldDetails = try dump(lldPDB, detailFlags, "lld-link") else { return nil }
        return PDBCaseLinks(name: name, pelinkDLL: pelink.dll, pelinkPDB: pelinkPDB, lldDLL: lldDLL, lldPDB: lldPDB,
                            pelinkDiagnostics: pelink.normalizedDiagnostics,
                            pelinkImage: try PEImage(view: try MappedFile(path: pelink.dll.path).view),
                            lldImage: try PEImage(view: try MappedFile(path: lldDLL.path).view),
                            pelinkDump: pelinkDump, lldDump: lldDump, pelinkDetails: pelinkDetails, lldDetails: lldDetails)
    }
}

/// A pdb-* case linked by pelink alone (in-process, as the golden test does) into `folder`, for the
/// checks that need no lld-link: the link, and the PDB pelink wrote next to the DLL. Nil after
/// recording why.
struct PDBPelinkLink {
    var link: GoldenLink
    var pdb: URL

    static func make(_ name: String, in folder: URL, extraArguments: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws -> PDBPelinkLink? {
        let testCase = try GoldenCase(name: name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let link = goldenLinkWithPELink(testCase, into: folder, extraArguments: extraArguments)
        #expect(link.result.exitCode == 0, "pelink failed:\n\(link.normalizedDiagnostics)", sourceLocation: sourceLocation)
        let pdb = folder.appendingPathComponent(name + ".pdb")
        #expect(FileManager.default.fileExists(atPath: pdb.path), "pelink wrote no \(name).pdb next to \(name).dll: \(goldenFolderListing(folder))", sourceLocation: sourceLocation)
        guard link.result.exitCode == 0, FileManager.default.fileExists(atPath: pdb.path) else { return nil }
        return PDBPelinkLink(link: link, pdb: pdb)
    }
}

// MARK: - The oracle tests

@Suite("PDB compared with lld-link's")
struct PDBOracleTests {
    /// Every EXPECT=ok case whose name starts with pdb-.
    static let cases: [String] = GoldenCase.okNames.filter { $0.hasPrefix("pdb-") }

    /// Public symbols only lld-link's PDB has, or only pelink's, for a documented reason, per case.
    /// Empty: none is known. An entry names the symbol and says why; the test checks it is there.
    static let lldOnlyPublics: [String: [String: String]] = [:]
    static let pelinkOnlyPublics: [String: [String: String]] = [:]

    @Test("the pdb-* cases are there: C, C++, objects without debug information, an unknown symbol kind")
    func casesExist() {
        let expected: Set = ["pdb-c", "pdb-cpp", "pdb-nodebug", "pdb-unknown-symbol"]
        #expect(expected.isSubset(of: Set(Self.cases)), "missing EXPECT=ok cases: \(expected.subtracting(Self.cases).sorted())")
        let errors: Set = ["err-pdb-type-length", "err-pdb-type-index", "err-pdb-symbol-type-index", "err-pdb-symbol-length",
                           "err-pdb-subsection-length", "err-pdb-typeserver", "err-pdb-no-c13"]
        #expect(errors.isSubset(of: Set(GoldenCase.errorNames)), "missing EXPECT=error cases (the error corpus): \(errors.subtracting(GoldenCase.errorNames).sorted())")
    }

    @Test("llvm-pdbutil dump -summary -modules -files -publics -globals -types -ids -section-contribs (and -symbols -l -il) reads pelink's PDB without errors or warnings",
          arguments: cases)
    func dumpsCleanly(_ name: String) throws {
        guard let pdbutil = requireTool("llvm-pdbutil") else { return }
        let temporary = try makeTemporaryDirectory("pdb-dump-\(name)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        guard let ours = try PDBPelinkLink.make(name, in: temporary) else { return }
        var summary = ""
        for flags in [PDBCaseLinks.dumpFlags, PDBCaseLinks.detailFlags] {
            let run = try runProcess(pdbutil, ["dump"] + flags + [ours.pdb.path])
            if flags == PDBCaseLinks.dumpFlags { summary = (PDBUtilDump(run.stdout).sections["Summary"] ?? []).joined(separator: "\n") }
            #expect(run.exitCode == 0, "exit \(run.exitCode): \(run.stderr)")
            let stderr = run.stderr.lowercased()
            #expect(!stderr.contains("error") && !stderr.contains("warning"), "llvm-pdbutil dump \(flags.joined(separator: " ")) said:\n\(run.stderr)")
            // Problems llvm-pdbutil reports inline instead of failing.
            // (Names in backquotes, such as the case folder pdb-unknown-symbol, are left out.)
            let suspicious = run.stdout.split(separator: "\n").filter { line in
                let lower = line.split(separator: "`", omittingEmptySubsequences: false).enumerated()
                    .filter { $0.offset % 2 == 0 }.map(\.element).joined(separator: " ").lowercased()
                return lower.contains("error") || lower.contains("corrupt") || lower.contains("<not translated>")
                    || lower.contains("invalid") || lower.contains("unknown")
            }
            #expect(suspicious.isEmpty, "llvm-pdbutil dump \(flags.joined(separator: " ")) printed:\n\(suspicious.prefix(10).joined(separator: "\n"))")
        }
        // The summary: the streams the PDB says it has.
        for line in ["Has Debug Info: true", "Has Types: true", "Has Globals: true", "Has Publics: true", "Is stripped: false"] {
            #expect(summary.contains(line), "pelink's summary lacks '\(line)':\n\(summary)")
        }
    }

    @Test("the PDB is byte-identical when the same link runs in another folder or with /threads:1 or /threads:8", arguments: cases)
    func pdbIsDeterministic(_ name: String) throws {
        let temporary = try makeTemporaryDirectory("pdb-determinism-\(name)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        guard let first = try PDBPelinkLink.make(name, in: temporary.appendingPathComponent("first")) else { return }
        let bytes = try Data(contentsOf: first.pdb)
        #expect(bytes.count > 4096, "the PDB is implausibly small: \(bytes.count) bytes")
        for (label, extra) in [("another folder", [String]()), ("/threads:1", ["/threads:1"]), ("/threads:8", ["/threads:8"])] {
            guard let again = try PDBPelinkLink.make(name, in: temporary.appendingPathComponent(label.filter(\.isLetter) + "-again"), extraArguments: extra) else { continue }
            let other = try Data(contentsOf: again.pdb)
            #expect(other == bytes, "\(label): the PDB is not byte-identical to the first link's: \(goldenFirstByteDifference(bytes, other))")
            #expect(try Data(contentsOf: again.link.dll) == Data(contentsOf: first.link.dll), "\(label): the DLL differs")
        }
    }

    @Test("the public symbols (names, function flag, addresses) equal lld-link's", arguments: cases)
    func publicsMatch(_ name: String) throws {
        let temporary = try makeTemporaryDirectory("pdb-publics-\(name)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        guard let links = try PDBCaseLinks.make(name, in: temporary) else { return }
        var ours = links.pelinkDump.publics, theirs = links.lldDump.publics
        #expect(!theirs.isEmpty, "lld-link's PDB has no publics: the comparison would be empty")
        let ourNames = links.pelinkDump.publicNames
        #expect(ourNames.count == Set(ourNames).count, "pelink lists a public twice: \(Dictionary(grouping: ourNames, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted())")
        for (symbol, reason) in Self.lldOnlyPublics[name] ?? [:] {
            #expect(theirs[symbol] != nil && ours[symbol] == nil, "documented lld-link-only public \(symbol) (\(reason)) is not so any more")
            theirs[symbol] = nil
        }
        for (symbol, reason) in Self.pelinkOnlyPublics[name] ?? [:] {
            #expect(ours[symbol] != nil && theirs[symbol] == nil, "documented pelink-only public \(symbol) (\(reason)) is not so any more")
            ours[symbol] = nil
        }
        let onlyOurs = Set(ours.keys).subtracting(theirs.keys).sorted()
        let onlyTheirs = Set(theirs.keys).subtracting(ours.keys).sorted()
        #expect(onlyOurs.isEmpty && onlyTheirs.isEmpty, "public symbols differ: only pelink's PDB has \(onlyOurs), only lld-link's has \(onlyTheirs)")
        var differences: [String] = []
        for (symbol, our) in ours.sorted(by: { $0.key < $1.key }) {
            guard let their = theirs[symbol] else { continue }
            if our.flags != their.flags { differences.append("\(symbol): flags pelink '\(our.flags)', lld-link '\(their.flags)'") }
            let mapped = our.address.flatMap { links.lldAddress(forPelink: $0) }
            if mapped != their.address {
                differences.append("\(symbol): address pelink \(our.address.map(\.description) ?? "?") (in lld-link's layout \(mapped.map(\.description) ?? "?")), lld-link \(their.address.map(\.description) ?? "?")")
            }
        }
        #expect(differences.isEmpty, "publics differ:\n  \(differences.joined(separator: "\n  "))\(links.layoutNote)")

        // Every export of the DLL is a public at the export's address (independent of lld-link).
        for entry in links.pelinkImage.exports?.entries ?? [] where entry.forwarder == nil && !entry.isUnused {
            for exportName in entry.names {
                guard let public_ = links.pelinkDump.publics[exportName] else {
                    Issue.record("export \(exportName) has no public symbol in pelink's PDB")
                    continue
                }
                let rva = public_.address.flatMap { PDBCaseLinks.rva($0, in: links.pelinkImage) }
                #expect(rva == entry.rva, "public \(exportName): RVA \(rva.map { "0x" + String($0, radix: 16) } ?? "?"), export RVA 0x\(String(entry.rva, radix: 16))")
            }
        }
    }

    @Test("the modules (objects) and each module's source files equal lld-link's", arguments: cases)
    func modulesMatch(_ name: String) throws {
        let temporary = try makeTemporaryDirectory("pdb-modules-\(name)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        guard let links = try PDBCaseLinks.make(name, in: temporary) else { return }
        let ours = links.pelinkDump.moduleNames, theirs = links.lldDump.moduleNames
        #expect(theirs.count >= 2, "lld-link's PDB has too few modules to compare: \(theirs)")
        #expect(ours == theirs, "modules: pelink \(ours), lld-link \(theirs)")
        #expect(ours.last == "* Linker *", "the last module must be * Linker *: \(ours)")
        let ourFiles = links.pelinkDump.moduleFiles, theirFiles = links.lldDump.moduleFiles
        #expect(ourFiles.map(\.module) == theirFiles.map(\.module), "-files lists modules \(ourFiles.map(\.module)) vs \(theirFiles.map(\.module))")
        for (our, their) in zip(ourFiles, theirFiles) {
            #expect(our.files == their.files, "\(our.module): source files pelink \(our.files), lld-link \(their.files)")
        }
        // The object files' names in the module list (the Obj: lines) agree too.
        let objects = { (dump: PDBUtilDump) in
            (dump.sections["Modules"] ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("Obj: ") }
                .map { pdbBaseName(quoted($0) ?? "") }
        }
        #expect(objects(links.pelinkDump) == objects(links.lldDump), "Obj: names pelink \(objects(links.pelinkDump)), lld-link \(objects(links.lldDump))")
    }

    @Test("the line tables of every function, and the inlinee lines, equal lld-link's", arguments: cases)
    func linesMatch(_ name: String) throws {
        let temporary = try makeTemporaryDirectory("pdb-lines-\(name)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        guard let links = try PDBCaseLinks.make(name, in: temporary) else { return }

        // Procedures: the same, at corresponding addresses, with the same sizes.
        let ourProcedures = links.pelinkDetails.procedures, theirProcedures = links.lldDetails.procedures
        let describe = { (p: PDBUtilDump.Procedure) in "\(p.module) \(p.kind) \(p.name) \(p.codeSize) bytes" }
        #expect(ourProcedures.map(describe).sorted() == theirProcedures.map(describe).sorted(),
                "procedures: pelink \(ourProcedures.map(describe).sorted()), lld-link \(theirProcedures.map(describe).sorted())")
        for our in ourProcedures {
            guard let their = theirProcedures.first(where: { $0.name == our.name && $0.module == our.module }) else { continue }
            let mapped = links.lldAddress(forPelink: our.address)
            #expect(mapped == their.address, "procedure \(our.name): pelink \(our.address) (in lld-link's layout \(mapped.map(\.description) ?? "?")), lld-link \(their.address)\(links.layoutNote)")
        }

        // Line blocks keyed by module, file and the procedure that starts where the block starts;
        // entries as (line, offset from the block's start). Addresses compared through the layout.
        func keyed(_ blocks: [PDBUtilDump.LineBlock], _ procedures: [PDBUtilDump.Procedure], mapping: (PDBAddress) -> PDBAddress?)
            -> [String: [String]] {
            var result: [String: [String]] = [:]
            for block in blocks {
                let function = procedures.first { $0.module == block.module && $0.address == block.start }?.name ?? "<no procedure at \(block.start)>"
                let key = "\(block.module) \(function) \(block.file)"
                let start = mapping(block.start).map(\.description) ?? "<unmapped \(block.start)>"
                let entries = block.entries.map { "\($0.line)@+\(String($0.address - block.start.offset, radix: 16))" }
                result[key, default: []].append("\(start) length 0x\(String(block.end.offset - block.start.offset, radix: 16)): \(entries.joined(separator: " "))")
            }
            return result
        }
        let ours = keyed(links.pelinkDetails.lineBlocks, ourProcedures) { links.lldAddress(forPelink: $0) }
        let theirs = keyed(links.lldDetails.lineBlocks, theirProcedures) { $0 }
        if name != "pdb-nodebug" {
            #expect(!theirs.isEmpty, "lld-link's PDB has no line tables: the comparison would be empty")
        } else {
            #expect(theirs.isEmpty && ours.isEmpty, "objects without debug information have no lines: pelink \(ours), lld-link \(theirs)")
        }
        #expect(Set(ours.keys) == Set(theirs.keys), "line tables for different functions: only pelink \(Set(ours.keys).subtracting(theirs.keys).sorted()), only lld-link \(Set(theirs.keys).subtracting(ours.keys).sorted())")
        for key in Set(ours.keys).intersection(theirs.keys).sorted() {
            #expect(ours[key] == theirs[key], "lines of \(key):\n  pelink   \(ours[key]!)\n  lld-link \(theirs[key]!)\(links.layoutNote)")
        }

        // Inlinee lines: (module, inlinee's name, line, file); the ids themselves may differ.
        func inlinees(_ lines: [(module: String, inlinee: Int, line: Int, file: String)], _ dump: PDBUtilDump) -> [String] {
            let ids = dump.typeRecords("Types (IPI Stream)"), types = dump.typeRecords("Types (TPI Stream)")
            return lines.map { row in
                var function = "<id 0x\(String(row.inlinee, radix: 16)) not in the IPI stream>"
                if let record = ids[row.inlinee] {
                    function = "\(record.kind) \(field("name", in: record.details) ?? "?")"
                    if let classType = field("class type", in: record.details), classType.hasPrefix("0x"),
                       let index = Int(classType.dropFirst(2).prefix { $0.isHexDigit }, radix: 16) {
                        function += " of \(types[index]?.name ?? classType)"
                    }
                }
                return "\(row.module): \(function) line \(row.line) in \(row.file)"
            }.sorted()
        }
        let ourInlinees = inlinees(links.pelinkDetails.inlineeLines, links.pelinkDump)
        let theirInlinees = inlinees(links.lldDetails.inlineeLines, links.lldDump)
        if name == "pdb-cpp" { #expect(!theirInlinees.isEmpty, "lld-link's PDB of pdb-cpp has no inlinee lines: the case no longer inlines") }
        #expect(ourInlinees == theirInlinees, "inlinee lines:\n  pelink   \(ourInlinees)\n  lld-link \(theirInlinees)")
    }

    @Test("the number of type records (TPI) and id records (IPI) equals lld-link's", arguments: cases)
    func typeCountsMatch(_ name: String) throws {
        let temporary = try makeTemporaryDirectory("pdb-types-\(name)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        guard let links = try PDBCaseLinks.make(name, in: temporary) else { return }
        for title in ["Types (TPI Stream)", "Types (IPI Stream)"] {
            let ours = links.pelinkDump.recordCount(title), theirs = links.lldDump.recordCount(title)
            #expect(ours != nil && theirs != nil, "\(title): no record count (pelink \(ours.map(String.init) ?? "none"), lld-link \(theirs.map(String.init) ?? "none"))")
            #expect(ours == theirs, "\(title): pelink \(ours.map(String.init) ?? "?") records, lld-link \(theirs.map(String.init) ?? "?")")
        }
        if name == "pdb-c" || name == "pdb-cpp" {
            #expect((links.lldDump.recordCount("Types (TPI Stream)") ?? 0) > 10, "lld-link's TPI stream is nearly empty: the case lost its types")
        }
        // The records themselves, by kind and name (the order may legitimately differ).
        for title in ["Types (TPI Stream)", "Types (IPI Stream)"] {
            let kinds = { (dump: PDBUtilDump) in dump.typeRecords(title).values.map { "\($0.kind) \($0.name)" }.sorted() }
            let ours = kinds(links.pelinkDump), theirs = kinds(links.lldDump)
            let onlyOurs = ours.filter { !theirs.contains($0) }, onlyTheirs = theirs.filter { !ours.contains($0) }
            #expect(ours == theirs, "\(title) records differ by kind and name: only pelink \(onlyOurs), only lld-link \(onlyTheirs)")
        }
    }

    @Test("the global symbols (S_GDATA32, S_LDATA32, S_UDT, S_CONSTANT, S_PROCREF, S_LPROCREF) equal lld-link's by kind and name", arguments: cases)
    func globalsMatch(_ name: String) throws {
        let temporary = try makeTemporaryDirectory("pdb-globals-\(name)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        guard let links = try PDBCaseLinks.make(name, in: temporary) else { return }
        let globals = { (dump: PDBUtilDump) in dump.records(dump.sections["Global Symbols"] ?? []).map { "\($0.kind) \($0.name)" }.sorted() }
        let ours = globals(links.pelinkDump), theirs = globals(links.lldDump)
        if name != "pdb-nodebug" { #expect(!theirs.isEmpty, "lld-link's PDB has no globals: the comparison would be empty") }
        #expect(ours == theirs, "global symbols:\n  only pelink   \(ours.filter { !theirs.contains($0) })\n  only lld-link \(theirs.filter { !ours.contains($0) })")
        // Procedure references name the same module and the same offset in its symbol stream (the
        // module symbol streams are compared record by record in moduleSymbolsMatch).
        let references = { (dump: PDBUtilDump) in
            dump.records(dump.sections["Global Symbols"] ?? []).filter { $0.kind == "S_PROCREF" || $0.kind == "S_LPROCREF" }
                .map { "\($0.kind) \($0.name): module \(field("module", in: $0.details) ?? "?"), offset \(field("offset", in: $0.details) ?? "?")" }.sorted()
        }
        #expect(references(links.pelinkDump) == references(links.lldDump),
                "procedure references:\n  pelink   \(references(links.pelinkDump))\n  lld-link \(references(links.lldDump))")
        // Data globals at corresponding addresses.
        let data = { (dump: PDBUtilDump) in
            dump.records(dump.sections["Global Symbols"] ?? []).filter { $0.kind == "S_GDATA32" || $0.kind == "S_LDATA32" }
                .map { ($0.name, field("addr", in: $0.details).flatMap { PDBAddress(decimal: $0) }) }
        }
        let theirData = Dictionary(data(links.lldDump), uniquingKeysWith: { a, _ in a })
        for (symbol, address) in data(links.pelinkDump) {
            guard let theirs = theirData[symbol] else { continue }
            let mapped = address.flatMap { links.lldAddress(forPelink: $0) }
            #expect(mapped == theirs, "\(symbol): pelink \(address.map(\.description) ?? "?") (in lld-link's layout \(mapped.map(\.description) ?? "?")), lld-link \(theirs.map(\.description) ?? "?")\(links.layoutNote)")
        }
    }

    @Test("the section contributions of the objects equal lld-link's", arguments: cases)
    func contributionsMatch(_ name: String) throws {
        let temporary = try makeTemporaryDirectory("pdb-contribs-\(name)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        guard let links = try PDBCaseLinks.make(name, in: temporary) else { return }
        // Contributions of the objects (not * Linker *, whose chunks the linkers make differently),
        // as "object section address size characteristics". The data CRC is not compared.
        func objectContributions(_ dump: PDBUtilDump, mapping: (PDBAddress) -> PDBAddress?) -> [String] {
            let modules = dump.moduleNames
            return dump.contributions.filter { $0.module < modules.count && modules[$0.module] != "* Linker *" }.map {
                "\(modules[$0.module]) \($0.section) \(mapping($0.address)?.description ?? "<unmapped \($0.address)>") size \($0.size) \($0.characteristics)"
            }
        }
        let ours = objectContributions(links.pelinkDump) { links.lldAddress(forPelink: $0) }
        let theirs = objectContributions(links.lldDump) { $0 }
        #expect(!theirs.isEmpty, "lld-link's PDB has no section contributions")
        #expect(ours == theirs, "section contributions:\n  only pelink   \(ours.filter { !theirs.contains($0) })\n  only lld-link \(theirs.filter { !ours.contains($0) })\(links.layoutNote)")
        // Every contribution lies inside its section of the image.
        for contribution in links.pelinkDump.contributions where contribution.module < links.pelinkDump.moduleNames.count {
            let section = contribution.address.segment >= 1 && contribution.address.segment <= links.pelinkImage.sections.count
                ? links.pelinkImage.sections[contribution.address.segment - 1] : nil
            #expect(section.map { $0.name.hasPrefix(contribution.section) && contribution.address.offset + contribution.size <= Int(max($0.virtualSize, $0.sizeOfRawData)) } == true,
                    "contribution \(contribution) is not inside section \(contribution.address.segment) of the image")
        }
    }

    @Test("llvm-symbolizer gives the same function:file:line (inlined frames included) for every code byte of every function, through either PDB",
          arguments: cases)
    func symbolizerAgrees(_ name: String) throws {
        guard let symbolizer = requireTool("llvm-symbolizer") else { return }
        let temporary = try makeTemporaryDirectory("pdb-symbolizer-\(name)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        guard let links = try PDBCaseLinks.make(name, in: temporary) else { return }

        // The places to ask about, as (label, pelink RVA, lld-link RVA): every byte of each exported
        // function (addresses from each DLL's own export table; the size from lld-link's PDB, or 16
        // bytes without debug information), and every byte of the other procedures (pelink's own
        // S_*PROC32 address, lld-link's likewise).
        var places: [(label: String, ours: UInt32, theirs: UInt32)] = []
        let ourExports = Dictionary((links.pelinkImage.exports?.entries ?? []).flatMap { e in e.names.map { ($0, e.rva) } }, uniquingKeysWith: { a, _ in a })
        let theirExports = Dictionary((links.lldImage.exports?.entries ?? []).flatMap { e in e.names.map { ($0, e.rva) } }, uniquingKeysWith: { a, _ in a })
        #expect(!theirExports.isEmpty, "lld-link's DLL exports nothing: there would be nothing to symbolize")
        let theirProcedures = links.lldDetails.procedures, ourProcedures = links.pelinkDetails.procedures
        for (export, theirRVA) in theirExports.sorted(by: { $0.key < $1.key }) {
            guard let ourRVA = ourExports[export] else { Issue.record("pelink's DLL does not export \(export)"); continue }
            let size = theirProcedures.first { $0.name == export }?.codeSize ?? 16
            for offset in 0..<UInt32(size) { places.append(("\(export)+0x\(String(offset, radix: 16))", ourRVA + offset, theirRVA + offset)) }
        }
        for their in theirProcedures where theirExports[their.name] == nil {
            guard let our = ourProcedures.first(where: { $0.name == their.name && $0.module == their.module }),
                  let ourRVA = PDBCaseLinks.rva(our.address, in: links.pelinkImage),
                  let theirRVA = PDBCaseLinks.rva(their.address, in: links.lldImage) else {
                Issue.record("procedure \(their.name) of \(their.module) is not in pelink's PDB")
                continue
            }
            for offset in 0..<UInt32(their.codeSize) { places.append(("\(their.name)+0x\(String(offset, radix: 16))", ourRVA + offset, theirRVA + offset)) }
        }

        func symbolize(_ dll: URL, _ image: PEImage, _ rvas: [UInt32]) throws -> [[String]] {
            let base = image.optionalHeader.imageBase
            let run = try runProcess(symbolizer, ["--obj=" + dll.path, "--inlining"] + rvas.map { "0x" + String(base + UInt64($0), radix: 16) },
                                     currentDirectory: dll.deletingLastPathComponent().path)
            #expect(run.exitCode == 0 && run.stderr.isEmpty, "llvm-symbolizer on \(dll.path): exit \(run.exitCode)\n\(run.stderr)")
            // One block per address, blank-line separated: function / file:line:column pairs.
            // Every second line is a location, "path:line:column": keep the file's name, drop its folder.
            let blocks = run.stdout.components(separatedBy: "\n\n").map { block in
                block.split(separator: "\n").enumerated().map { index, line -> String in
                    guard index % 2 == 1, let colon = line.range(of: ":", options: .backwards)?.lowerBound,
                          let previous = line[..<colon].range(of: ":", options: .backwards)?.lowerBound else { return String(line) }
                    return pdbBaseName(line[..<previous]) + line[previous...]
                }
            }.filter { !$0.isEmpty }
            return blocks
        }
        let ours = try symbolize(links.pelinkDLL, links.pelinkImage, places.map(\.ours))
        let theirs = try symbolize(links.lldDLL, links.lldImage, places.map(\.theirs))
        #expect(ours.count == places.count && theirs.count == places.count,
                "llvm-symbolizer answered \(ours.count) (pelink) and \(theirs.count) (lld-link) times for \(places.count) addresses")
        var differences: [String] = []
        for (index, place) in places.enumerated() where index < ours.count && index < theirs.count && ours[index] != theirs[index] {
            differences.append("\(place.label): pelink \(ours[index].joined(separator: " | ")); lld-link \(theirs[index].joined(separator: " | "))")
        }
        #expect(differences.isEmpty, "\(differences.count) of \(places.count) addresses symbolize differently:\n  \(differences.prefix(12).joined(separator: "\n  "))")

        // Guards against a vacuous comparison: with debug information lld-link's answers name
        // source lines; in pdb-cpp some address is inside an inlined call (two frames).
        if name != "pdb-nodebug" {
            #expect(theirs.contains { $0.count >= 2 && !$0[1].hasPrefix("??") }, "lld-link's PDB resolved no address to a source line")
        }
        if name == "pdb-cpp" {
            let inlined = places.indices.filter { $0 < theirs.count && theirs[$0].count >= 4 && places[$0].label.hasPrefix("api_scaled") }
            #expect(!inlined.isEmpty, "no address in api_scaled symbolizes to an inlined geo::scaled frame (lld-link): \(theirs.prefix(4))")
            let wrong = inlined.filter { $0 < ours.count && ours[$0] != theirs[$0] }
                .map { "\(places[$0].label): pelink \(ours[$0].joined(separator: " | ")); lld-link \(theirs[$0].joined(separator: " | "))" }
            #expect(wrong.isEmpty, "\(wrong.count) of the \(inlined.count) addresses inside the inlined geo::scaled in api_scaled symbolize differently:\n  \(wrong.prefix(6).joined(separator: "\n  "))")
        }
    }

    @Test("each object's module symbols (kind, name, size, in order) equal lld-link's", arguments: cases)
    func moduleSymbolsMatch(_ name: String) throws {
        let temporary = try makeTemporaryDirectory("pdb-modsyms-\(name)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        guard let links = try PDBCaseLinks.make(name, in: temporary) else { return }
        // The * Linker * module is left out: lld-link gives it S_ENVBLOCK and S_COFFGROUP records
        // pelink does not write, and its S_SECTION records follow each image's own sections.
        func symbols(_ dump: PDBUtilDump) -> [String: [String]] {
            var result: [String: [String]] = [:]
            for (module, lines) in dump.byModule("Symbols") where pdbBaseName(module) != "* Linker *" {
                let records = lines.map { $0.trimmingCharacters(in: .whitespaces) }.compactMap { line -> String? in
                    let parts = line.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    guard parts.count == 2, Int(parts[0]) != nil, parts[1].hasPrefix("S_") else { return nil }
                    return parts[1]
                }
                result[pdbBaseName(module)] = records
            }
            return result
        }
        let ours = symbols(links.pelinkDetails)
        var theirs = symbols(links.lldDetails)
        if name == "pdb-unknown-symbol" {
            // Documented: lld-link keeps the place of the record of unknown kind as an S_SKIP of the
            // same size (silently); pelink warns and leaves the record out (see the case's NOTES).
            let skips = theirs["list.obj"]?.filter { $0.hasPrefix("S_SKIP [size = 32]") } ?? []
            #expect(skips.count == 1, "lld-link no longer writes the unknown record as one S_SKIP: \(theirs["list.obj"] ?? [])")
            theirs["list.obj"]?.removeAll { $0.hasPrefix("S_SKIP") }
        }
        #expect(Set(ours.keys) == Set(theirs.keys), "modules with symbols: pelink \(ours.keys.sorted()), lld-link \(theirs.keys.sorted())")
        if name != "pdb-nodebug" { #expect(theirs.values.contains { $0.count > 5 }, "lld-link's modules have almost no symbols") }
        for module in Set(ours.keys).intersection(theirs.keys).sorted() {
            let a = ours[module]!, b = theirs[module]!
            let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }
            #expect(a == b, "\(module): \(a.count) symbol records in pelink's PDB, \(b.count) in lld-link's\(first.map { "; first difference, record \($0.offset): pelink \($0.element.0), lld-link \($0.element.1)" } ?? "")\nthe pelink records: \(a.prefix(8))\nlld-link's: \(b.prefix(8))")
        }
    }

    @Test("in every module, each scope's parent and end offsets point at its enclosing scope and at its S_END", arguments: cases)
    func scopesAreConsistent(_ name: String) throws {
        let temporary = try makeTemporaryDirectory("pdb-scopes-\(name)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        guard let links = try PDBCaseLinks.make(name, in: temporary) else { return }
        let openers: Set = ["S_GPROC32", "S_LPROC32", "S_GPROC32_ID", "S_LPROC32_ID", "S_BLOCK32", "S_INLINESITE", "S_INLINESITE2", "S_THUNK32", "S_SEPCODE"]
        let closers: Set = ["S_END", "S_PROC_ID_END", "S_INLINESITE_END"]
        /// The problems found in one PDB's module symbol streams, and how many scopes were checked.
        func check(_ dump: PDBUtilDump) -> (problems: [String], scopes: Int) {
            var problems: [String] = [], scopes = 0
            for (module, lines) in dump.byModule("Symbols") {
                // (offset, kind, details) of each record.
                var records: [(offset: Int, kind: String, details: String)] = []
                for line in lines {
                    let trimmed = line.trimmingCharacters(in: .whitespaces)
                    let parts = trimmed.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    if parts.count == 2, let offset = Int(parts[0]), parts[1].hasPrefix("S_") {
                        records.append((offset, String(parts[1].prefix { $0 != " " }), ""))
                    } else if !records.isEmpty, !trimmed.isEmpty {
                        records[records.count - 1].details += ", " + trimmed
                    }
                }
                var open: [(offset: Int, kind: String, end: Int?)] = []
                for record in records {
                    if openers.contains(record.kind) {
                        scopes += 1
                        let parent = field("parent", in: record.details).flatMap { Int($0) }
                        if parent != (open.last?.offset ?? 0) {
                            problems.append("\(pdbBaseName(module)): \(record.kind) at \(record.offset) has parent \(parent.map(String.init) ?? "?"), the enclosing scope is at \(open.last?.offset ?? 0)")
                        }
                        open.append((record.offset, record.kind, field("end", in: record.details).flatMap { Int($0) }))
                    } else if closers.contains(record.kind) {
                        guard let scope = open.popLast() else {
                            problems.append("\(pdbBaseName(module)): \(record.kind) at \(record.offset) closes no scope")
                            continue
                        }
                        if scope.end != record.offset {
                            problems.append("\(pdbBaseName(module)): \(scope.kind) at \(scope.offset) says end = \(scope.end.map(String.init) ?? "?"), its \(record.kind) is at \(record.offset)")
                        }
                    }
                }
                for scope in open { problems.append("\(pdbBaseName(module)): \(scope.kind) at \(scope.offset) is never closed") }
            }
            return (problems, scopes)
        }
        let ours = check(links.pelinkDetails), theirs = check(links.lldDetails)
        // lld-link's PDB is the control: the check itself must accept it, and find scopes there.
        #expect(theirs.problems.isEmpty, "the scope check rejects lld-link's PDB: \(theirs.problems.prefix(5))")
        if name != "pdb-nodebug" { #expect(theirs.scopes > 0, "lld-link's PDB has no scopes to check") }
        #expect(ours.scopes == theirs.scopes, "scopes: pelink \(ours.scopes), lld-link \(theirs.scopes)")
        #expect(ours.problems.isEmpty, "pelink's module symbols have broken scopes:\n  \(ours.problems.prefix(10).joined(separator: "\n  "))")
    }

    @Test("pdb2yaml -all of pelink's PDB, yaml2pdb and pdb2yaml again give the same streams; the new PDB dumps cleanly with the same modules",
          arguments: cases)
    func yamlRoundTrip(_ name: String) throws {
        guard let pdbutil = requireTool("llvm-pdbutil") else { return }
        let temporary = try makeTemporaryDirectory("pdb-yaml-\(name)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        guard let ours = try PDBPelinkLink.make(name, in: temporary.appendingPathComponent("pelink")) else { return }
        let original = try runProcess(pdbutil, ["dump", "-summary", "-modules", "-files", "-types", "-ids", ours.pdb.path])
        #expect(original.exitCode == 0, "dump of pelink's PDB: \(original.stderr)")
        let originalDump = PDBUtilDump(original.stdout)
        let all = try runProcess(pdbutil, ["pdb2yaml", "-all", ours.pdb.path])
        #expect(all.exitCode == 0 && !all.stdout.isEmpty, "pdb2yaml -all: exit \(all.exitCode)\n\(all.stderr)")
        guard all.exitCode == 0 else { return }
        let yaml = temporary.appendingPathComponent("x.yaml"), rebuilt = temporary.appendingPathComponent("y.pdb")
        try all.stdout.write(to: yaml, atomically: true, encoding: .utf8)
        let back = try runProcess(pdbutil, ["yaml2pdb", yaml.path, "-pdb=" + rebuilt.path])
        #expect(back.exitCode == 0, "yaml2pdb: exit \(back.exitCode)\n\(back.stderr)")
        guard back.exitCode == 0 else { return }

        // What yaml2pdb (LLVM 14) writes back: the PDB info stream, the DBI stream's modules with
        // their files, symbols and debug subsections (lines, checksums, inlinee lines), the TPI
        // and IPI records and the string table. (It writes no publics, globals or section
        // contributions, so those cannot round-trip.) The two YAML texts of these must be equal,
        // up to three quirks of yaml2pdb: it writes the string table in another order, repeats
        // the VC140 feature, and writes no symbol stream for a module without symbols.
        let streams = ["-pdb-stream", "-dbi-stream", "-tpi-stream", "-ipi-stream", "-module-files", "-module-syms",
                       "-subsections=all", "-string-table", "-no-file-headers"]
        func normalizedYAML(_ pdb: URL) throws -> [String]? {
            let run = try runProcess(pdbutil, ["pdb2yaml"] + streams + [pdb.path])
            #expect(run.exitCode == 0, "pdb2yaml of \(pdb.lastPathComponent): exit \(run.exitCode)\n\(run.stderr)")
            guard run.exitCode == 0 else { return nil }
            var lines = run.stdout.split(separator: "\n").map(String.init)
            // StringTable: its "  - 'string'" lines are sorted.
            if let start = lines.firstIndex(of: "StringTable:") {
                var end = start + 1
                while end < lines.count && lines[end].hasPrefix("  - ") { end += 1 }
                lines.replaceSubrange(start + 1..<end, with: lines[start + 1..<end].sorted())
            }
            lines = lines.map { $0.replacingOccurrences(of: "[ VC140, VC140 ]", with: "[ VC140 ]") }
            // A module whose symbol stream holds no record ("Modi: / Signature: 4 / Records: []", an
            // object without debug information) comes back from yaml2pdb with no stream at all.
            var index = 0
            while index + 2 < lines.count {
                if lines[index].trimmingCharacters(in: .whitespaces) == "Modi:",
                   lines[index + 1].trimmingCharacters(in: .whitespaces) == "Signature:       4",
                   lines[index + 2].trimmingCharacters(in: .whitespaces) == "Records:         []" {
                    lines.removeSubrange(index..<index + 3)
                } else {
                    index += 1
                }
            }
            return lines
        }
        guard let before = try normalizedYAML(ours.pdb), let after = try normalizedYAML(rebuilt) else { return }
        #expect(before.count > 20, "pdb2yaml wrote almost nothing:\n\(before.joined(separator: "\n"))")
        let firstDifference = zip(before, after).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(before == after, "the round trip changed the PDB (\(before.count) vs \(after.count) YAML lines)\(firstDifference.map { ", first at line \($0.offset + 1):\n  before: \($0.element.0)\n  after:  \($0.element.1)" } ?? "")")

        // The rebuilt PDB dumps cleanly, with the same modules and files and type counts.
        let dump = try runProcess(pdbutil, ["dump", "-summary", "-modules", "-files", "-types", "-ids", rebuilt.path])
        #expect(dump.exitCode == 0 && !dump.stderr.lowercased().contains("error"), "dump of the rebuilt PDB: exit \(dump.exitCode)\n\(dump.stderr)")
        let rebuiltDump = PDBUtilDump(dump.stdout)
        #expect(rebuiltDump.moduleNames == originalDump.moduleNames && originalDump.moduleNames.count >= 2,
                "modules after the round trip: \(rebuiltDump.moduleNames), before \(originalDump.moduleNames)")
        #expect(rebuiltDump.moduleFiles.map(\.files) == originalDump.moduleFiles.map(\.files), "files after the round trip differ")
        for title in ["Types (TPI Stream)", "Types (IPI Stream)"] {
            #expect(rebuiltDump.recordCount(title) == originalDump.recordCount(title), "\(title) count after the round trip")
        }
    }

    @Test("pdb-unknown-symbol: pelink warns about the record of unknown kind, names the object, and still writes list_sum's symbols and lines")
    func unknownSymbolKindIsSkipped() throws {
        guard let pdbutil = requireTool("llvm-pdbutil") else { return }
        let temporary = try makeTemporaryDirectory("pdb-unknown")
        defer { try? FileManager.default.removeItem(at: temporary) }
        guard let ours = try PDBPelinkLink.make("pdb-unknown-symbol", in: temporary) else { return }
        let diagnostics = ours.link.normalizedDiagnostics
        let warnings = diagnostics.split(separator: "\n").filter { $0.contains("warning:") }
        #expect(warnings.count == 1 && warnings.allSatisfy { $0.contains("list.obj") && $0.lowercased().contains("11aa") },
                "expected one warning naming list.obj and the kind 0x11AA:\n\(diagnostics)")
        #expect(!diagnostics.contains("error"), "\(diagnostics)")
        let run = try runProcess(pdbutil, ["dump"] + PDBCaseLinks.detailFlags + [ours.pdb.path])
        #expect(run.exitCode == 0, "llvm-pdbutil: \(run.stderr)")
        let details = PDBUtilDump(run.stdout)
        let symbols = details.moduleSymbols.filter { $0.module == "list.obj" }
        #expect(symbols.contains { $0.kind.hasPrefix("S_GPROC32") && $0.name == "list_sum" }, "list_sum's procedure is gone: \(symbols)")
        #expect(symbols.contains { $0.kind == "S_LOCAL" && $0.name == "n" }, "the local n after the skipped record is gone: \(symbols)")
        // The record of unknown kind sat between the two; nothing takes its place.
        let procedure = symbols.firstIndex { $0.kind.hasPrefix("S_GPROC32") && $0.name == "list_sum" }
        #expect(procedure.map { $0 + 1 < symbols.count && symbols[$0 + 1].kind == "S_LOCAL" } == true,
                "the record after S_GPROC32 list_sum is not S_LOCAL n: \(symbols.map { "\($0.kind) \($0.name)" })")
        #expect(!details.lineBlocks.isEmpty, "no line table for list.obj")
    }
}
