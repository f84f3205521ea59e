import Foundation
import Testing
import PEFormat

/// The resource format library: .res files (ResourceFile), resource trees in COFF objects
/// (ResourceObject.entries) and the object llvm-cvtres writes (ResourceObject.write), checked
/// against llvm-rc, windres, llvm-cvtres and llvm-readobj.
@Suite("Resource format")
struct ResourceFormatTests {
    // MARK: - Inputs

    static let versionRC = """
        LANGUAGE 9, 1
        1 VERSIONINFO
         FILEVERSION 1,2,3,4
         PRODUCTVERSION 1,2,3,4
         FILEFLAGSMASK 0x3f
         FILEOS 0x40004
         FILETYPE 0x2
        BEGIN
          BLOCK "StringFileInfo"
          BEGIN
            BLOCK "040904b0"
            BEGIN
              VALUE "CompanyName", "pelink"
              VALUE "FileDescription", "Resource test DLL"
              VALUE "FileVersion", "1.2.3.4"
            END
          END
          BLOCK "VarFileInfo"
          BEGIN
            VALUE "Translation", 0x409, 1200
          END
        END

        """

    static let stringsRC = """
        LANGUAGE 9, 1
        STRINGTABLE
        BEGIN
          1 "Hello"
          2 "World"
          17 "Seventeen"
          40 "Forty"
        END

        LANGUAGE 7, 1
        STRINGTABLE
        BEGIN
          1 "Hallo"
          2 "Welt"
        END

        LANGUAGE 12, 1
        STRINGTABLE
        BEGIN
          1 "Bonjour"
          17 "Dix-sept"
        END

        """

    /// Named and numbered RCDATA, named types (rc upper-cases names: MyName → MYNAME), a user
    /// type by number, a numbered type with a numbered name.
    static let mixedRC = """
        LANGUAGE 9, 1
        MyData RCDATA { "abc", 1, 2, 3 }
        5 RCDATA { "five" }
        zeta RCDATA { "z" }
        Alpha RCDATA { "A" }
        beta RCDATA { "b" }
        _under RCDATA { "u" }
        MyName MyType { "custom" }
        other MYTYPE { "custom2" }
        lowtype 77 { "x" }
        300 200 { "numeric type" }
        LANGUAGE 7, 1
        MyData RCDATA { "deutsch" }

        """

    /// Shares types and names with mixedRC, so that a multi-file conversion interleaves them.
    static let secondRC = """
        LANGUAGE 9, 1
        third MyType { "from the second file" }
        Gamma RCDATA { "g" }
        6 RCDATA { "six" }
        LANGUAGE 7, 1
        STRINGTABLE
        BEGIN
          33 "Dreiunddreissig"
        END

        """

    static let rcFiles: [(name: String, text: String)] = [
        ("version", versionRC), ("strings", stringsRC), ("mixed", mixedRC), ("second", secondRC),
    ]

    /// A .res file built by hand: names in mixed case, outside ASCII and outside the BMP (which
    /// llvm-cvtres orders by code point), IDs, and languages 0 and 1031 under one name.
    static func craftedResource() -> [UInt8] {
        var builder = ResBuilder()
        let names = ["b", "B", "a", "A", "\u{FF21}x", "\u{1F600}y", "_", "Zeta", "zeta", "abc", "ab", "\u{E9}"]
        for (index, name) in names.enumerated() {
            builder.add(type: .id(10), name: ResourceName(string: name), language: 1033,
                        data: [UInt8](repeating: UInt8(index), count: index + 1))
        }
        builder.add(type: ResourceName(string: "MyType"), name: .id(3), language: 1033, data: Array("xxxxxxxxx".utf8))
        builder.add(type: ResourceName(string: "mytype"), name: .id(3), language: 1033, data: Array("yyyyyyyyy".utf8))
        builder.add(type: .id(10), name: .id(7), language: 0, data: Array("lang0".utf8))
        builder.add(type: .id(10), name: .id(7), language: 1031, data: Array("lang1031".utf8), memoryFlags: 0x1030)
        builder.add(type: .id(24), name: .id(1), language: 1033, data: Array("<assembly/>".utf8))
        return builder.bytes
    }

    // MARK: - Tools

    struct Tools {
        var rc: String
        var windres: String
        var cvtres: String
        var readobj: String

        static func find(sourceLocation: SourceLocation = #_sourceLocation) -> Tools? {
            guard let rc = requireTool("llvm-rc", sourceLocation: sourceLocation),
                  let windres = requireTool("x86_64-w64-mingw32-windres", sourceLocation: sourceLocation),
                  let cvtres = requireTool("llvm-cvtres", sourceLocation: sourceLocation),
                  let readobj = requireTool("llvm-readobj", sourceLocation: sourceLocation) else { return nil }
            return Tools(rc: rc, windres: windres, cvtres: cvtres, readobj: readobj)
        }

        func run(_ tool: String, _ arguments: [String]) throws -> ProcessResult? {
            let result = try runProcess(tool, arguments)
            if result.exitCode != 0 {
                Issue.record("\((tool as NSString).lastPathComponent) \(arguments.joined(separator: " ")) failed: \(result.stderr)")
                return nil
            }
            return result
        }

        /// `folder/name.res` from llvm-rc, `folder/name-windres.res` and `folder/name-windres.o` from windres.
        func compile(_ name: String, _ text: String, in folder: URL) throws -> Bool {
            let rcPath = folder.appendingPathComponent(name + ".rc").path
            try text.write(toFile: rcPath, atomically: true, encoding: .utf8)
            let base = folder.appendingPathComponent(name).path
            guard try run(rc, ["/no-preprocess", "/FO", base + ".res", "--", rcPath]) != nil,
                  try run(windres, ["-O", "res", rcPath, "-o", base + "-windres.res"]) != nil,
                  try run(windres, ["-O", "coff", rcPath, "-o", base + "-windres.o"]) != nil,
                  try run(windres, ["-F", "pe-i386", "-O", "coff", rcPath, "-o", base + "-windres-i386.o"]) != nil
            else { return false }
            return true
        }

        /// llvm-cvtres's object for `inputs`, time stamp 0 (it writes the current time otherwise).
        func cvtres(_ inputs: [String], machine: String, out: String) throws -> [UInt8]? {
            guard try run(cvtres, ["/machine:" + machine, "/timestamp:0", "/out:" + out] + inputs) != nil else { return nil }
            return Array(try Data(contentsOf: URL(fileURLWithPath: out)))
        }
    }

    // MARK: - Helpers

    static func view(_ bytes: [UInt8], path: String) -> ByteView {
        MappedFile(path: path, contents: bytes).view
    }

    static func parseRes(_ path: String) throws -> [ResourceEntry] {
        try ResourceFile.parse(try MappedFile(path: path).view, path: path)
    }

    static func objectEntries(_ bytes: [UInt8], path: String) throws -> [ResourceEntry] {
        try ResourceObject.entries(of: try COFFObject(view: view(bytes, path: path)), path: path)
    }

    /// Entries without their sources, in tree order (type, name, language): what a link keeps.
    static func normalized(_ entries: [ResourceEntry]) -> [ResourceEntry] {
        entries.map { entry -> ResourceEntry in
            var copy = entry
            copy.source = ""
            return copy
        }.sorted { a, b in
            if a.type != b.type { return a.type < b.type }
            if a.name != b.name { return a.name < b.name }
            return a.language < b.language
        }
    }

    static func key(_ name: ResourceName) -> String {
        switch name {
        case .id(let id): return "#\(id)"
        case .name: return name.description
        }
    }

    /// (type, name, language, size) of every leaf in `llvm-readobj --coff-resources` output, in its order.
    static func readobjLeaves(_ text: String) -> [String] {
        func label(_ line: Substring, _ prefix: String) -> String {
            var text = String(line.dropFirst(prefix.count))
            if text.hasSuffix(" [") { text.removeLast(2) }
            if text.hasSuffix(")"), let open = text.range(of: "(ID ", options: .backwards) {
                return "#" + text[open.upperBound...].dropLast()
            }
            if text.hasPrefix("ID "), Int(text.dropFirst(3)) != nil { return "#" + text.dropFirst(3) }
            return text
        }
        var type = "", name = "", language = ""
        var leaves: [String] = []
        for rawLine in text.split(separator: "\n") {
            let line = rawLine.drop { $0 == " " }
            if line.hasPrefix("Type: ") { type = label(line, "Type: ") }
            else if line.hasPrefix("Name: ") { name = label(line, "Name: ") }
            else if line.hasPrefix("Language: ") { language = label(line, "Language: ") }
            else if line.hasPrefix("DataSize: ") { leaves.append("\(type)/\(name)/\(language.dropFirst())/\(line.dropFirst(10))") }
        }
        return leaves
    }

    static func leafText(_ entry: ResourceEntry) -> String {
        "\(key(entry.type))/\(key(entry.name))/\(entry.language)/\(entry.data.count)"
    }

    /// Records the first differing byte, so a layout mismatch is easy to place.
    static func expectSameBytes(_ ours: [UInt8], _ theirs: [UInt8], _ what: String,
                                sourceLocation: SourceLocation = #_sourceLocation) {
        guard ours != theirs else { return }
        let first = zip(ours, theirs).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(ours.count, theirs.count)
        Issue.record("\(what): pelink's object (\(ours.count) bytes) differs from llvm-cvtres's (\(theirs.count) bytes) first at offset 0x\(String(first, radix: 16))",
                     sourceLocation: sourceLocation)
    }

    static let machines: [(Machine, String)] = [(.amd64, "x64"), (.i386, "x86"), (.arm64, "arm64")]

    // MARK: - (1) Reading .res files

    @Test("each .rc compiles, with llvm-rc and windres, to the entries llvm-readobj lists")
    func parseMatchesReadobj() throws {
        guard let tools = Tools.find() else { return }
        let folder = try makeTemporaryDirectory("res-parse")
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, text) in Self.rcFiles {
            guard try tools.compile(name, text, in: folder) else { continue }
            let resPath = folder.appendingPathComponent(name + ".res").path
            let entries = try Self.parseRes(resPath)
            #expect(entries.allSatisfy { $0.source == resPath && $0.codePage == 0 })
            let objectPath = folder.appendingPathComponent(name + "-cvtres.obj").path
            guard try tools.cvtres([resPath], machine: "x64", out: objectPath) != nil,
                  let dump = try tools.run(tools.readobj, ["--coff-resources", objectPath]) else { continue }
            let expected = Self.readobjLeaves(dump.stdout)
            #expect(!expected.isEmpty, "\(name): llvm-readobj listed no resources")
            // llvm-readobj walks the tree, so this also checks that ResourceName orders as cvtres does.
            #expect(Self.normalized(entries).map(Self.leafText) == expected, "\(name)")
            // windres writes the same resources (in tree order, with other memory flags).
            let windres = try Self.parseRes(folder.appendingPathComponent(name + "-windres.res").path)
            #expect(Self.normalized(windres) == Self.normalized(entries), "\(name): windres's .res")
        }
    }

    @Test("the parsed entries carry the bytes rc wrote")
    func parsedContents() throws {
        guard let tools = Tools.find() else { return }
        let folder = try makeTemporaryDirectory("res-contents")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard try tools.compile("mixed", Self.mixedRC, in: folder) else { return }
        let entries = try Self.parseRes(folder.appendingPathComponent("mixed.res").path)
        // In .rc order; rc upper-cases names.
        #expect(entries.map { "\(Self.key($0.type)) \(Self.key($0.name)) \($0.language)" } == [
            "#10 MYDATA 1033", "#10 #5 1033", "#10 ZETA 1033", "#10 ALPHA 1033", "#10 BETA 1033", "#10 _UNDER 1033",
            "MYTYPE MYNAME 1033", "MYTYPE OTHER 1033", "#77 LOWTYPE 1033", "#200 #300 1033", "#10 MYDATA 1031",
        ])
        #expect(entries[0].data == Array("abc".utf8) + [1, 0, 2, 0, 3, 0])
        #expect(entries[6].data == Array("custom".utf8))
        #expect(entries[10].data == Array("deutsch".utf8))
        #expect(FileKind.identify(try MappedFile(path: folder.appendingPathComponent("mixed.res").path).view) == .resource)
    }

    @Test("a hand-made .res with mixed-case and non-ASCII names reads back as built")
    func parseCrafted() throws {
        let bytes = Self.craftedResource()
        let entries = try ResourceFile.parse(Self.view(bytes, path: "crafted.res"), path: "crafted.res")
        #expect(entries.count == 17)
        #expect(entries[4].name == ResourceName(string: "\u{FF21}x"))
        #expect(entries[5].name == .name([0xD83D, 0xDE00, 0x79]))
        #expect(entries[13].type == ResourceName(string: "mytype"))
        #expect(entries[15].language == 1031 && entries[15].data == Array("lang1031".utf8))
        #expect(FileKind.identify(Self.view(bytes, path: "crafted.res")) == .resource)
        // A .res with nothing but the empty entry holds no resources.
        #expect(try ResourceFile.parse(Self.view(Array(bytes.prefix(32)), path: "empty.res"), path: "empty.res").isEmpty)
    }

    // MARK: - (2) Writing llvm-cvtres's object

    @Test("ResourceObject.write equals llvm-cvtres byte for byte (x64, x86, arm64)")
    func writeMatchesCvtres() throws {
        guard let tools = Tools.find() else { return }
        let folder = try makeTemporaryDirectory("res-write")
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, text) in Self.rcFiles {
            guard try tools.compile(name, text, in: folder) else { return }
        }
        let crafted = folder.appendingPathComponent("crafted.res").path
        try Data(Self.craftedResource()).write(to: URL(fileURLWithPath: crafted))
        let empty = folder.appendingPathComponent("empty.res").path
        try Data(Self.craftedResource().prefix(32)).write(to: URL(fileURLWithPath: empty))
        func res(_ name: String) -> String { folder.appendingPathComponent(name + ".res").path }

        // Single files from both compilers (windres lists entries in another order, which changes
        // the order of strings and data), several files at once, the hand-made file, an empty one.
        var inputSets: [[String]] = Self.rcFiles.map { [res($0.name)] } + Self.rcFiles.map { [res($0.name + "-windres")] }
        inputSets.append([res("mixed"), res("second")])
        inputSets.append([res("second"), res("mixed")])
        inputSets.append(Self.rcFiles.map { res($0.name) } + [crafted])
        inputSets.append([crafted])
        inputSets.append([empty])
        for inputs in inputSets {
            let entries = try inputs.flatMap { try Self.parseRes($0) }
            for (machine, option) in Self.machines {
                let what = "\(inputs.map { ($0 as NSString).lastPathComponent }.joined(separator: " ")) /machine:\(option)"
                let outPath = folder.appendingPathComponent("cvtres-\(option).obj").path
                guard let reference = try tools.cvtres(inputs, machine: option, out: outPath) else { continue }
                // No normalization is needed: with /timestamp:0 llvm-cvtres writes no time stamp,
                // and it writes no @comp.id symbol.
                let ours = try ResourceObject.write(entries: entries, machine: machine)
                Self.expectSameBytes(ours, reference, what)
            }
        }
    }

    @Test("the written object is a COFF object pelink reads back, entries and all")
    func writeRoundTrip() throws {
        let entries = try ResourceFile.parse(Self.view(Self.craftedResource(), path: "crafted.res"), path: "crafted.res")
        for (machine, _) in Self.machines + [(.armnt, "arm")] {
            let bytes = try ResourceObject.write(entries: entries, machine: machine)
            let view = MappedFile(path: "resources.obj", contents: bytes).view
            #expect(FileKind.identify(view) == .coffObject)
            let object = try COFFObject(view: view)
            #expect(object.machine == machine && object.timeDateStamp == 0 && object.sectionCount == 2)
            #expect(try object.sectionHeader(0).name == ".rsrc$01" && object.sectionHeader(1).name == ".rsrc$02")
            #expect(try object.symbolName(5) == "$R000000" && object.symbolName(21) == "$R000010")
            let back = try ResourceObject.entries(of: object, path: "resources.obj")
            #expect(back.allSatisfy { $0.source == "resources.obj" })
            #expect(Self.normalized(back) == Self.normalized(entries))
        }
        #expect(throws: FormatError.self) { try ResourceObject.write(entries: entries, machine: .unknown) }
    }

    @Test("more than 65535 resources: relocation overflow written and read; too many IDs is an error")
    func manyResources() throws {
        var entries: [ResourceEntry] = []
        for index in 0..<70_000 {
            let type = ResourceName.id(UInt16(10 + index % 2)), name = ResourceName.id(UInt16(index / 2))
            entries.append(ResourceEntry(type: type, name: name, language: 1033, data: [UInt8(index & 0xFF)], source: "many.res"))
        }
        let bytes = try ResourceObject.write(entries: entries, machine: .amd64)
        let object = try COFFObject(view: Self.view(bytes, path: "many.obj"))
        let header = try object.sectionHeader(0)
        #expect(header.numberOfRelocations == 0xFFFF)
        #expect(header.characteristics.contains(SectionFlags.lnkNRelocOverflow))
        #expect(try object.relocations(header).count == 70_000)
        #expect(Self.normalized(try ResourceObject.entries(of: object, path: "many.obj")) == Self.normalized(entries))

        let tooMany = (0...0xFFFF).map { ResourceEntry(type: .id(10), name: .id(UInt16($0)), language: 0, data: [], source: "ids.res") }
        #expect(throws: FormatError.self) { try ResourceObject.write(entries: tooMany, machine: .amd64) }
    }

    // MARK: - (3) Reading objects

    @Test("windres -O coff objects and llvm-cvtres objects give back the same entries")
    func objectsAgree() throws {
        guard let tools = Tools.find() else { return }
        let folder = try makeTemporaryDirectory("res-objects")
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, text) in Self.rcFiles {
            guard try tools.compile(name, text, in: folder) else { continue }
            let base = folder.appendingPathComponent(name).path
            let fromRes = Self.normalized(try Self.parseRes(base + ".res"))
            for suffix in ["-windres.o", "-windres-i386.o"] {
                let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: base + suffix)))
                let entries = try Self.objectEntries(bytes, path: base + suffix)
                #expect(entries.allSatisfy { $0.source == base + suffix })
                #expect(Self.normalized(entries) == fromRes, "\(name)\(suffix) (a single .rsrc section)")
            }
            for (_, option) in Self.machines {
                guard let reference = try tools.cvtres([base + ".res"], machine: option, out: base + "-\(option).obj") else { continue }
                let entries = try Self.objectEntries(reference, path: base + "-\(option).obj")
                // Tree order already: the reader walks the directory as cvtres laid it out.
                #expect(entries.map { var e = $0; e.source = ""; return e } == fromRes, "\(name) from llvm-cvtres /machine:\(option)")
            }
        }
        // windres converting the hand-made .res: its own tree order for mixed case, the same entries.
        let crafted = folder.appendingPathComponent("crafted.res").path
        try Data(Self.craftedResource()).write(to: URL(fileURLWithPath: crafted))
        let craftedObject = folder.appendingPathComponent("crafted-windres.o").path
        if try tools.run(tools.windres, ["-J", "res", "-O", "coff", crafted, "-o", craftedObject]) != nil {
            let entries = try Self.objectEntries(Array(try Data(contentsOf: URL(fileURLWithPath: craftedObject))), path: craftedObject)
            #expect(Self.normalized(entries) == Self.normalized(try Self.parseRes(crafted)))
        }
    }

    // MARK: - (4) Malformed input

    /// A .res with one resource, RCDATA "NAME" language 1033, 5 bytes of data.
    static func oneEntryResource() -> [UInt8] {
        var builder = ResBuilder()
        builder.add(type: .id(10), name: ResourceName(string: "NAME"), language: 1033, data: Array("hello".utf8))
        return builder.bytes
    }

    static func patched(_ bytes: [UInt8], _ changes: [(Int, UInt32)], width: Int = 4) -> [UInt8] {
        var copy = bytes
        for (offset, value) in changes {
            for i in 0..<width { copy[offset + i] = UInt8((value >> (8 * UInt32(i))) & 0xFF) }
        }
        return copy
    }

    static func resError(_ bytes: [UInt8]) -> FormatError? {
        do {
            _ = try ResourceFile.parse(view(bytes, path: "bad.res"), path: "bad.res")
            return nil
        } catch let error as FormatError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    @Test("malformed .res files are errors naming the file and offset")
    func malformedRes() throws {
        let good = Self.oneEntryResource()
        // Entry at 32: DataSize (32), HeaderSize (36) = 40, type 0xFFFF 10 (40), name "NAME\0" (44),
        // padding (54), fixed fields (56), data (72, 5 bytes), padding to 80.
        #expect(try ResourceFile.parse(Self.view(good, path: "good.res"), path: "good.res").count == 1)
        #expect(good.count == 80 && Array(good[36..<40]) == [40, 0, 0, 0])
        let unterminated = Self.patched(good, stride(from: 52, to: 72, by: 2).map { ($0, 0x41) }, width: 2)
        let pastEnd: [UInt8] = good + [0xFF, 0xFF, 0, 0, 32, 0, 0, 0, 0xFF, 0xFF, 10, 0, 0xFF, 0xFF, 1, 0] + [UInt8](repeating: 0, count: 16)
        // HeaderSize 32 with a type name of 10 units: the numeric name's 0xFFFF is the header's last 2 bytes.
        let longType: [UInt8] = Array(good.prefix(32)) + [0, 0, 0, 0, 32, 0, 0, 0]
            + Array(repeating: [0x54, 0], count: 10).flatMap { $0 } + [0, 0, 0xFF, 0xFF, 1, 0] + [UInt8](repeating: 0, count: 16)

        let cases: [(String, [UInt8], Int?, String)] = [
            ("too small", Array(good.prefix(20)), nil, "too small for a compiled resource file (20 bytes)"),
            ("bad first entry", Self.patched(good, [(4, 0x30)]), 4, "does not start with the empty entry"),
            ("truncated header", Array(good.prefix(32)) + [1, 0, 0, 0, 48], 32, "truncated resource entry: 5 bytes left"),
            ("HeaderSize past end", Self.patched(good, [(36, 0x1000)]), 36, "HeaderSize 4096 extends past the end of the file (48 bytes left)"),
            ("HeaderSize too small", Self.patched(good, [(36, 16)]), 36, "HeaderSize 16, less than the 32 bytes"),
            ("name not terminated", unterminated, 44, "resource name is not NUL-terminated inside the entry's header"),
            ("fixed fields past the header", Self.patched(good, [(36, 36)]), 36, "leaves no room for its fixed fields"),
            ("numeric name cut by the header", longType, 62, "header ends inside its numeric name"),
            ("data past the end", Self.patched(good, [(32, 9)]), 32, "resource data (DataSize 9) extends past the end of the file (8 bytes left"),
            ("entry past the end", pastEnd, 80, "resource data (DataSize 65535) extends past the end"),
        ]
        for (label, bytes, offset, message) in cases {
            guard let error = Self.resError(bytes) else {
                Issue.record("\(label): no error")
                continue
            }
            #expect(error.file == "bad.res", "\(label)")
            #expect(error.offset == offset, "\(label): \(error)")
            #expect(error.message.contains(message), "\(label): \(error)")
        }
    }

    @Test("no prefix and no single-byte change of a .res or resource object traps")
    func mutationsNeverTrap() throws {
        let res = Self.craftedResource()
        for length in 0..<res.count {
            _ = try? ResourceFile.parse(Self.view(Array(res.prefix(length)), path: "cut.res"), path: "cut.res")
        }
        let entries = try ResourceFile.parse(Self.view(res, path: "crafted.res"), path: "crafted.res")
        var objects = [try ResourceObject.write(entries: entries, machine: .amd64)]
        objects.append(try ResourceObject.write(entries: Array(entries.prefix(2)), machine: .i386))
        for object in objects {
            for length in 0..<object.count {
                if let coff = try? COFFObject(view: Self.view(Array(object.prefix(length)), path: "cut.obj")) {
                    _ = try? ResourceObject.entries(of: coff, path: "cut.obj")
                }
            }
        }
        // Every byte of the small files set to a few telling values; the big ones at random (seeded).
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let small = [Self.oneEntryResource(), objects[1]]
        for (index, original) in (small + [res, objects[0]]).enumerated() {
            let isRes = index == 0 || index == 2
            let mutations: [(Int, UInt8)] = index < 2
                ? (0..<original.count).flatMap { offset in [0x00, 0x80, 0xFF, 0x7F, 0x01].map { (offset, UInt8($0)) } }
                : (0..<4000).map { _ in (next() % original.count, UInt8(next() & 0xFF)) }
            for (offset, value) in mutations {
                var bytes = original
                bytes[offset] = value
                if isRes {
                    _ = try? ResourceFile.parse(Self.view(bytes, path: "m.res"), path: "m.res")
                } else if let coff = try? COFFObject(view: Self.view(bytes, path: "m.obj")) {
                    _ = try? ResourceObject.entries(of: coff, path: "m.obj")
                }
            }
        }
    }

    @Test("bad resource trees in objects are errors naming the file and offset")
    func malformedObjects() throws {
        // One resource: tables at 0 (root), 24 (type), 48 (name); the data entry at 72; .rsrc$01
        // starts at file offset 100, its relocation at 100 + 88.
        let entry = ResourceEntry(type: .id(10), name: .id(1), language: 1033, data: Array("data".utf8), source: "a.res")
        let good = try ResourceObject.write(entries: [entry], machine: .amd64)
        #expect(try Self.objectEntries(good, path: "good.obj").map(\.data) == [Array("data".utf8)])
        let base = 100
        let named = Self.patched(good, [(base + 12, 1), (base + 14, 0)], width: 2)
        // Two resources whose data entries each claim most of .rsrc$02 (8 + 600 bytes), together
        // more than the whole file: tables at 0, 24, 48 (two languages), data entries at 80 and 96.
        let big = [UInt8](repeating: 7, count: 600)
        let pair = try ResourceObject.write(entries: [entry, ResourceEntry(type: .id(10), name: .id(1), language: 1031, data: big, source: "a.res")],
                                            machine: .amd64)
        #expect(pair.count < 2 * 592)
        let overlapping = Self.patched(pair, [(base + 80 + 4, 592), (base + 96 + 4, 592)])
        let cases: [(String, [UInt8], Int?, String)] = [
            ("cycle", Self.patched(good, [(base + 24 + 16 + 4, 0x8000_0000)]), base, "reached twice"),
            ("shared subtree", Self.patched(good, [(base + 24 + 16 + 4, 0x8000_0018)]), base + 24, "reached twice"),
            ("table out of range", Self.patched(good, [(base + 16 + 4, 0x8000_1000)]), base + 0x1000, "extends past the end"),
            ("entries out of range", Self.patched(good, [(base + 14, 0x0100)], width: 2), base + 16, "resource directory entries"),
            ("data at the type level", Self.patched(good, [(base + 16 + 4, 72)]), base + 16 + 4, "points at data"),
            ("four levels", Self.patched(good, [(base + 48 + 16 + 4, 0x8000_0000 | 48)]), base + 48 + 16 + 4, "points at another table"),
            ("ID among the names", Self.patched(good, [(base + 12, 1), (base + 14, 0)], width: 2), base + 16, "counted among the named entries but has an ID"),
            ("name string outside the section", Self.patched(named, [(base + 16, 0x8000_0057)]), base + 16, "resource name string at offset 0x57 lies outside .rsrc$01"),
            ("name string past the end", Self.patched(named, [(base + 16, 0x8000_0000 | 76), (base + 76, 100)]), base + 78, "resource name string (100 UTF-16 units)"),
            ("missing relocation", Self.patched(good, [(20 + 32, 0)], width: 2), base + 72, "has no relocation"),
            ("wrong relocation type", Self.patched(good, [(base + 88 + 8, 1)], width: 2), base + 72, "IMAGE_REL_AMD64_ADDR64"),
            ("data past its section", Self.patched(good, [(base + 72 + 4, 0x10000)]), base + 72, "extends past the end of that section"),
            ("overlapping data", overlapping, base + 96, "claim more bytes"),
            ("symbol outside the table", Self.patched(good, [(base + 88 + 4, 99)]), base + 72, "past the 6-record symbol table"),
        ]
        for (label, bytes, offset, message) in cases {
            do {
                let entries = try Self.objectEntries(bytes, path: "bad.obj")
                Issue.record("\(label): no error, \(entries.count) entries")
            } catch let error as FormatError {
                #expect(error.file == "bad.obj", "\(label)")
                #expect(error.offset == offset, "\(label): \(error)")
                #expect(error.message.contains(message), "\(label): \(error)")
            }
        }
    }

    // MARK: - (5) Duplicates

    @Test("duplicate resources name both sources; allowDuplicates keeps the first")
    func duplicates() throws {
        let first = ResourceEntry(type: .id(16), name: .id(1), language: 1033, data: [1, 2, 3], source: "a.res")
        let other = ResourceEntry(type: ResourceName(string: "MYTYPE"), name: ResourceName(string: "X"), language: 7, data: [9], source: "a.res")
        var second = first
        second.data = [4, 5, 6, 7]
        second.source = "b.res"
        var third = other
        third.source = "c.obj"
        let entries = [first, other, second, third]
        do {
            _ = try ResourceObject.write(entries: entries, machine: .amd64)
            Issue.record("no error for duplicate resources")
        } catch let error as ResourceDuplicateError {
            #expect(error.description == """
                duplicate resource: type RT_VERSION (16)/name 1/language 1033 in a.res and b.res
                duplicate resource: type "MYTYPE"/name "X"/language 7 in a.res and c.obj
                """)
        }
        #expect(ResourceObject.duplicates(in: entries).count == 2)
        let kept = try Self.objectEntries(try ResourceObject.write(entries: entries, machine: .amd64, allowDuplicates: true), path: "o.obj")
        #expect(kept.map(\.data) == [[9], [1, 2, 3]])
        // The same object as from the entries without their duplicates.
        #expect(try ResourceObject.write(entries: entries, machine: .arm64, allowDuplicates: true)
                == ResourceObject.write(entries: [first, other], machine: .arm64))
    }

    @Test("llvm-cvtres also refuses the duplicates pelink reports")
    func duplicatesAgreeWithCvtres() throws {
        guard let tools = Tools.find() else { return }
        let folder = try makeTemporaryDirectory("res-duplicates")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard try tools.compile("version", Self.versionRC, in: folder) else { return }
        let a = folder.appendingPathComponent("version.res").path
        let b = folder.appendingPathComponent("version-windres.res").path
        let result = try runProcess(tools.cvtres, ["/machine:x64", "/out:" + folder.appendingPathComponent("d.obj").path, a, b])
        #expect(result.exitCode != 0 && (result.stderr + result.stdout).contains("duplicate resource"))
        let entries = try Self.parseRes(a) + Self.parseRes(b)
        #expect(throws: ResourceDuplicateError(duplicates: [ResourceDuplicate(type: .id(16), name: .id(1), language: 1033, firstSource: a, secondSource: b)])) {
            try ResourceObject.write(entries: entries, machine: .amd64)
        }
    }

    // MARK: - Dump

    @Test("dumpResources lists the tree in directory order")
    func dump() throws {
        let entries = [
            ResourceEntry(type: .id(16), name: .id(1), language: 1033, data: [1, 2, 3], source: "a.res"),
            ResourceEntry(type: .id(6), name: .id(2), language: 1031, data: [], codePage: 1252, source: "a.res"),
            ResourceEntry(type: .id(6), name: .id(2), language: 7, data: [0], source: "b.res"),
            ResourceEntry(type: ResourceName(string: "MYTYPE"), name: ResourceName(string: "\u{E9}"), language: 0, data: [0], source: "b.res"),
        ]
        let text = PEDump.dumpResources(entries)
        #expect(text == """
            Resources (4 entries)
              type "MYTYPE"
                name "\u{E9}" (UTF-16 00e9)
                  language 0     size 0x1      code page 0     af63bd4c8601b7df
              type 6 (RT_STRING)
                name 2
                  language 7     size 0x1      code page 0     af63bd4c8601b7df
                  language 1031  size 0x0      code page 1252  cbf29ce484222325
              type 16 (RT_VERSION)
                name 1
                  language 1033  size 0x3      code page 0     d0aa6218672cf5ab

            """)
    }
}

/// Builds .res files the way rc.exe lays them out.
struct ResBuilder {
    var bytes: [UInt8] = ResourceFile.signature + [UInt8](repeating: 0, count: 16)

    mutating func add(type: ResourceName, name: ResourceName, language: UInt16, data: [UInt8], memoryFlags: UInt16 = 0x30) {
        var header = ByteWriter()
        for field in [type, name] {
            switch field {
            case .id(let id):
                header.u16(0xFFFF)
                header.u16(id)
            case .name(let units):
                for unit in units { header.u16(unit) }
                header.u16(0)
            }
        }
        header.align(4)  // the header starts 8 bytes into a 4-aligned entry
        header.u32(0)  // DataVersion
        header.u16(memoryFlags)
        header.u16(language)
        header.u32(0)  // Version
        header.u32(0)  // Characteristics
        var entry = ByteWriter()
        entry.u32(UInt32(data.count))
        entry.u32(UInt32(8 + header.count))
        entry.append(header.bytes)
        entry.append(data)
        entry.align(4)
        bytes += entry.bytes
    }
}
