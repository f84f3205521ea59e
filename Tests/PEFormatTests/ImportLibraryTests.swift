import Foundation
import Testing
@testable import PEFormat

/// .def files whose import libraries pelink must write exactly as lld-link /lib /def: does.
private enum ImportLibraryFixtures {
    static let x64 = """
        LIBRARY mylib64.dll
        EXPORTS
          plain
          data_item DATA
          const_item CONSTANT
          private_fn PRIVATE
          by_ordinal @7 NONAME
          named_with_ordinal @9
          exported=internal_impl
          forwarded=other.func
          forwarded_ordinal=other.#12
          exported_as EXPORTAS real_name
          same == same
          renamed == real_renamed
          ?cpp_fn@@YAHXZ
          after_all
        """

    // Forwarders and `name=_decorated@N` are left out: see divergingFromLLDLinkOnX86.
    static let x86 = """
        LIBRARY "mylib32.dll"
        EXPORTS
          cdecl_fn
          _underscored
          stdcall_fn@8
          _stdcall_fn2@12
          @fastcall_fn@8
          vectorcall_fn@@16
          ?cpp_fn@@YAHXZ
          data_item DATA
          const_item CONSTANT
          private_fn PRIVATE
          by_ordinal @7 NONAME
          named_with_ordinal @9
          exported=internal_impl
          exported_as EXPORTAS real_name
          stdcall_as@4 EXPORTAS zz
          renamed == _real_name
          same == same
          undecorated@4 == undecorated
          underscored_import == _underscored_import
          stdcall_renamed@4 == _other@4
          last_one
        """

    static let arm64 = """
        LIBRARY armlib
        EXPORTS
          plain @3
          data_item DATA
          const_item CONSTANT
          hidden PRIVATE
          by_ordinal @70 NONAME
          forwarded=other.func
          exported_as EXPORTAS real_name
          renamed == real_renamed
        """
}

/// Builds the reference library with lld-link; nil when lld-link is unavailable.
private func referenceLibrary(def: String, machine: String, label: String) throws -> [UInt8]? {
    guard let lldLink = LibraryTestSupport.requireTool("lld-link") else { return nil }
    let directory = try LibraryTestSupport.temporaryDirectory("implib-\(label)")
    defer { try? FileManager.default.removeItem(at: directory) }
    try def.write(to: directory.appendingPathComponent("x.def"), atomically: true, encoding: .utf8)
    try LibraryTestSupport.run(lldLink, ["/lib", "/def:x.def", "/out:ref.lib", "/machine:\(machine)"], in: directory)
    return try LibraryTestSupport.bytes(of: directory.appendingPathComponent("ref.lib"))
}

/// What pelink writes for a .def, through the same path the /lib /def: driver takes.
private func pelinkLibrary(def: String, machine: Machine) throws -> [UInt8] {
    let definition = try ModuleDefinition.parse(text: def, path: "x.def")
    let dllName = try #require(Librarian.moduleFileName(of: definition))
    let entries = Librarian.importLibraryEntries(from: definition, machine: machine)
    return try ImportLibraryWriter.write(dllName: dllName, machine: machine, entries: entries)
}

/// Compares two libraries member by member (so a mismatch names the member), then byte for byte.
private func expectSameLibrary(_ ours: [UInt8], _ reference: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws {
    let mine = try Archive(view: LibraryTestSupport.view(ours, path: "pelink.lib"))
    let theirs = try Archive(view: LibraryTestSupport.view(reference, path: "lld.lib"))
    #expect(mine.members.count == theirs.members.count, sourceLocation: sourceLocation)
    for (index, (a, b)) in zip(mine.members, theirs.members).enumerated() {
        #expect(a.name == b.name, "member \(index) name", sourceLocation: sourceLocation)
        if a.data.toArray() != b.data.toArray() {
            let description = ImportObject.isImportObject(b.data) ? (try? ImportObject(view: b.data)).map { "\($0)" } ?? "?" : "object"
            let ourDescription = ImportObject.isImportObject(a.data) ? (try? ImportObject(view: a.data)).map { "\($0)" } ?? "?" : "object"
            Issue.record("member \(index) differs:\n  lld-link: \(description)\n  pelink:   \(ourDescription)", sourceLocation: sourceLocation)
        }
    }
    #expect(mine.symbols.map(\.name) == theirs.symbols.map(\.name), sourceLocation: sourceLocation)
    #expect(mine.symbols.map(\.memberIndex) == theirs.symbols.map(\.memberIndex), sourceLocation: sourceLocation)
    #expect(ours == reference, "byte-for-byte", sourceLocation: sourceLocation)
}

@Suite struct ImportLibraryTests {
    @Test(arguments: [("x64", Machine.amd64, ImportLibraryFixtures.x64),
                      ("x86", Machine.i386, ImportLibraryFixtures.x86),
                      ("arm64", Machine.arm64, ImportLibraryFixtures.arm64)])
    func matchesLLDLink(option: String, machine: Machine, def: String) throws {
        guard let reference = try referenceLibrary(def: def, machine: option, label: option) else { return }
        try expectSameLibrary(try pelinkLibrary(def: def, machine: machine), reference)
    }

    /// A DLL name of 16 bytes or more does not fit the member header: every member names it
    /// through the longnames member, which holds it once (as lld-link and llvm-lib write it).
    @Test func longDLLNameIsStoredOnce() throws {
        let def = """
            LIBRARY a-rather-long-library-name.dll
            EXPORTS
              first
              second DATA
              third @7 NONAME
            """
        let ours = try pelinkLibrary(def: def, machine: .amd64)
        let archive = try Archive(view: LibraryTestSupport.view(ours))
        #expect(archive.members.count == 6 && archive.members.allSatisfy { $0.name == "a-rather-long-library-name.dll" })
        #expect(archive.members.map(\.headerOffset).map { ours[$0..<($0 + 16)] }.allSatisfy { Array($0) == Array("/0              ".utf8) })
        guard let reference = try referenceLibrary(def: def, machine: "x64", label: "x64-long-name") else { return }
        try expectSameLibrary(ours, reference)
    }

    /// Where lld-link's x86 import library would make importers look up a name the DLL does not
    /// export, pelink writes the name the DLL really exports (a different name type); everything
    /// else stays identical.
    @Test func divergingFromLLDLinkOnX86() throws {
        let def = """
            LIBRARY fwd.dll
            EXPORTS
              forwarded=other.func
              alias=_impl@4
              plain
            """
        guard let reference = try referenceLibrary(def: def, machine: "x86", label: "x86-forward") else { return }
        let ours = try Archive(view: LibraryTestSupport.view(try pelinkLibrary(def: def, machine: .i386)))
        let theirs = try Archive(view: LibraryTestSupport.view(reference))
        #expect(ours.members.count == theirs.members.count)
        #expect(ours.symbols.map(\.name) == theirs.symbols.map(\.name))
        for (a, b) in zip(ours.members, theirs.members) where !ImportObject.isImportObject(b.data) {
            #expect(a.data.toArray() == b.data.toArray())
        }
        let mine = try ours.members.suffix(3).map { try ImportObject(view: $0.data) }
        let lld = try theirs.members.suffix(3).map { try ImportObject(view: $0.data) }
        #expect(mine.map(\.symbolName) == ["_forwarded", "_alias", "_plain"])
        #expect(lld.map(\.symbolName) == mine.map(\.symbolName))
        // lld-link: NAME, so importers would ask the DLL for "_forwarded" and "_alias".
        #expect(lld.map(\.importName) == ["_forwarded", "_alias", "plain"])
        #expect(mine.map(\.importName) == ["forwarded", "alias", "plain"])
        #expect(mine.map(\.nameType) == [.noPrefix, .noPrefix, .noPrefix])
    }

    @Test func readsLLDLinkImportLibraryBack() throws {
        guard let reference = try referenceLibrary(def: ImportLibraryFixtures.x86, machine: "x86", label: "x86-read") else { return }
        let archive = try Archive(view: LibraryTestSupport.view(reference))
        #expect(archive.layout == .msvc)
        #expect(archive.members.allSatisfy { $0.name == "mylib32.dll" })
        #expect(!ImportObject.isImportObject(archive.members[0].data))
        let imports = try archive.members.dropFirst(3).map { try ImportObject(view: $0.data) }
        let byName = Dictionary(imports.map { ($0.symbolName, $0) }, uniquingKeysWith: { first, _ in first })

        func check(_ symbol: String, _ type: ImportType, _ nameType: ImportNameType, _ importName: String?,
                   ordinal: UInt16 = 0, sourceLocation: SourceLocation = #_sourceLocation) {
            guard let object = byName[symbol] else {
                Issue.record("no import object for \(symbol)", sourceLocation: sourceLocation)
                return
            }
            #expect(object.machine == .i386, sourceLocation: sourceLocation)
            #expect(object.dllName == "mylib32.dll", sourceLocation: sourceLocation)
            #expect(object.type == type, sourceLocation: sourceLocation)
            #expect(object.nameType == nameType, sourceLocation: sourceLocation)
            #expect(object.importName == importName, sourceLocation: sourceLocation)
            #expect(object.ordinalOrHint == ordinal, sourceLocation: sourceLocation)
        }
        check("_cdecl_fn", .code, .noPrefix, "cdecl_fn")
        check("__underscored", .code, .noPrefix, "_underscored")
        check("stdcall_fn@8", .code, .name, "stdcall_fn@8")
        check("_stdcall_fn2@12", .code, .name, "_stdcall_fn2@12")
        check("@fastcall_fn@8", .code, .name, "@fastcall_fn@8")
        check("vectorcall_fn@@16", .code, .name, "vectorcall_fn@@16")
        check("?cpp_fn@@YAHXZ", .code, .name, "?cpp_fn@@YAHXZ")
        check("_data_item", .data, .noPrefix, "data_item")
        check("_const_item", .const, .noPrefix, "const_item")
        check("_by_ordinal", .code, .ordinal, nil, ordinal: 7)
        check("_named_with_ordinal", .code, .noPrefix, "named_with_ordinal", ordinal: 9)
        check("_exported", .code, .noPrefix, "exported")
        check("_exported_as", .code, .exportAs, "real_name")
        check("stdcall_as@4", .code, .exportAs, "zz")
        check("_renamed", .code, .exportAs, "_real_name")
        check("_same", .code, .undecorate, "same")
        check("undecorated@4", .code, .undecorate, "undecorated")
        check("_underscored_import", .code, .name, "_underscored_import")
        check("stdcall_renamed@4", .code, .exportAs, "_other@4")
        #expect(byName["_private_fn"] == nil)

        // The directory lists __imp_ for every import and the bare name for all but DATA.
        let symbols = Set(archive.symbols.map(\.name))
        #expect(symbols.contains("__imp__data_item") && !symbols.contains("_data_item"))
        #expect(symbols.contains("__imp__const_item") && symbols.contains("_const_item"))
        #expect(symbols.contains("__IMPORT_DESCRIPTOR_mylib32"))
        #expect(symbols.contains("__NULL_IMPORT_DESCRIPTOR"))
        #expect(symbols.contains("\u{7f}mylib32_NULL_THUNK_DATA"))
        for (name, index) in archive.symbols where name.hasPrefix("__imp_") {
            let object = try ImportObject(view: archive.members[index].data)
            #expect("__imp_" + object.symbolName == name)
        }
    }

    @Test func importObjectRoundTrips() throws {
        let objects = [
            ImportObject(machine: .amd64, type: .code, nameType: .name, ordinalOrHint: 3, symbolName: "f", dllName: "a.dll"),
            ImportObject(machine: .i386, type: .data, nameType: .undecorate, ordinalOrHint: 0, symbolName: "_g@4", dllName: "b.dll"),
            ImportObject(machine: .arm64, type: .const, nameType: .exportAs, ordinalOrHint: 0, symbolName: "h", dllName: "c.dll",
                         exportAsName: "real_h"),
            ImportObject(machine: .amd64, type: .code, nameType: .ordinal, ordinalOrHint: 65535, symbolName: "o", dllName: "d.dll"),
        ]
        for object in objects {
            let bytes = object.write()
            #expect(ImportObject.isImportObject(LibraryTestSupport.view(bytes)))
            #expect(try ImportObject(view: LibraryTestSupport.view(bytes)) == object)
        }
        #expect(objects.map(\.importName) == ["f", "g", "real_h", nil])
    }

    @Test func importNameFollowsNameType() {
        func name(_ symbol: String, _ type: ImportNameType) -> String? {
            ImportObject(machine: .i386, type: .code, nameType: type, ordinalOrHint: 0, symbolName: symbol, dllName: "x").importName
        }
        #expect(name("_f", .name) == "_f")
        #expect(name("_f", .noPrefix) == "f")
        #expect(name("?f@@YAXXZ", .noPrefix) == "f@@YAXXZ")
        #expect(name("@f@8", .noPrefix) == "f@8")
        #expect(name("_f@8", .undecorate) == "f")
        #expect(name("@f@8", .undecorate) == "f")
        #expect(name("f@@8", .undecorate) == "f")
        #expect(name("__f", .noPrefix) == "_f")
        #expect(name("f", .ordinal) == nil)
    }

    @Test func importObjectErrors() {
        func expectError(_ bytes: [UInt8], _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
            do {
                _ = try ImportObject(view: LibraryTestSupport.view(bytes, path: "imp.obj"))
                Issue.record("expected an error containing \"\(fragment)\"", sourceLocation: sourceLocation)
            } catch let error as FormatError {
                #expect(error.description.contains(fragment), "\(error)", sourceLocation: sourceLocation)
                #expect(error.file == "imp.obj", sourceLocation: sourceLocation)
            } catch {
                Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
            }
        }
        let good = ImportObject(machine: .amd64, type: .code, nameType: .name, ordinalOrHint: 0, symbolName: "f", dllName: "a.dll").write()
        expectError(Array(good.prefix(10)), "import object header")
        var badSize = good
        badSize[12] = 200
        expectError(badSize, "import object strings (SizeOfData 200)")
        var noDll = good
        noDll[12] = 2  // only "f\0": the DLL name is outside SizeOfData
        expectError(noDll, "DLL name is missing")
        var unterminated = good
        unterminated[unterminated.count - 1] = UInt8(ascii: "x")
        expectError(unterminated, "not NUL-terminated")
        var badType = good
        badType[18] = 3
        expectError(badType, "unknown import type 3")
        var badNameType = good
        badNameType[18] = 7 << 2
        expectError(badNameType, "unknown name type 7")
        var badMachine = good
        badMachine[6] = 0x34
        badMachine[7] = 0x12
        expectError(badMachine, "unsupported machine 0x1234")
        var exportAsMissing = good
        exportAsMissing[18] = UInt8(ImportNameType.exportAs.rawValue) << 2
        expectError(exportAsMissing, "EXPORTAS name is missing")
        var badSignature = good
        badSignature[2] = 0
        expectError(badSignature, "not an import object")
    }

    @Test func writerRejectsBadEntries() {
        #expect(throws: FormatError.self) {
            try ImportLibraryWriter.write(dllName: "", machine: .amd64, entries: [])
        }
        #expect(throws: FormatError.self) {
            try ImportLibraryWriter.write(dllName: "a.dll", machine: .amd64, entries: [ImportLibraryEntry(name: "f", noName: true)])
        }
        #expect(throws: FormatError.self) {
            try ImportLibraryWriter.write(dllName: "a.dll", machine: .unknown, entries: [])
        }
        #expect(throws: FormatError.self) {
            try ImportLibraryWriter.write(dllName: "a.dll", machine: .amd64, entries: [ImportLibraryEntry(name: "")])
        }
    }

    /// The linker's /implib: path gives decorated x86 symbols explicitly.
    @Test func linkerStyleEntries() throws {
        let stdcall = try ImportLibraryWriter.importObject(for: ImportLibraryEntry(name: "f", symbolName: "_f@8"), dllName: "a.dll", machine: .i386)
        #expect(stdcall.nameType == .undecorate && stdcall.importName == "f")
        let decorated = try ImportLibraryWriter.importObject(for: ImportLibraryEntry(name: "_f@8", symbolName: "_f@8"), dllName: "a.dll", machine: .i386)
        #expect(decorated.nameType == .name)
        let renamed = try ImportLibraryWriter.importObject(for: ImportLibraryEntry(name: "g", symbolName: "h"), dllName: "a.dll", machine: .amd64)
        #expect(renamed.nameType == .exportAs && renamed.importName == "g" && renamed.symbolName == "h")
    }

    @Test func moduleFileNames() throws {
        func fileName(_ text: String) throws -> String? {
            Librarian.moduleFileName(of: try ModuleDefinition.parse(text: text, path: "m.def"))
        }
        #expect(try fileName("LIBRARY foo") == "foo.dll")
        #expect(try fileName("LIBRARY foo.dll") == "foo.dll")
        #expect(try fileName("LIBRARY a.b.c") == "a.b.c")
        #expect(try fileName("NAME prog") == "prog.exe")
        #expect(try fileName("EXPORTS f") == nil)
        #expect(ImportLibraryWriter.fileStem("a.b.c") == "a.b")
        #expect(ImportLibraryWriter.fileStem("noext") == "noext")
    }
}
