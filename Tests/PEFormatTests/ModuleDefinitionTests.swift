import Testing
@testable import PEFormat

private func parse(_ text: String) throws -> ModuleDefinition {
    try ModuleDefinition.parse(text: text, path: "test.def")
}

/// Expects parsing to fail with exactly `message` at `line`:`column`.
private func expectError(_ text: String, _ line: Int, _ column: Int, _ message: String,
                         sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        _ = try parse(text)
        Issue.record("expected \(line):\(column): \(message)", sourceLocation: sourceLocation)
    } catch let error as FormatError {
        #expect(error.description == "test.def:\(line):\(column): \(message)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
}

private func export(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ModuleDefinitionExport {
    let definition = try parse("EXPORTS\n" + text)
    try #require(definition.exports.count == 1, sourceLocation: sourceLocation)
    return definition.exports[0]
}

@Suite struct ModuleDefinitionStatementTests {
    @Test func library() throws {
        let definition = try parse("LIBRARY mylib.dll\n")
        #expect(definition.outputName == "mylib.dll")
        #expect(definition.isLibrary && !definition.isName)
        #expect(definition.imageBase == nil)
        #expect(try parse("LIBRARY mylib").outputName == "mylib")
        #expect(try parse("LIBRARY \"my lib.dll\"").outputName == "my lib.dll")
        #expect(try parse("LIBRARY \"EXPORTS\"").outputName == "EXPORTS")
    }

    @Test func libraryWithoutNameAndWithBase() throws {
        let bare = try parse("LIBRARY\nEXPORTS f")
        #expect(bare.isLibrary && bare.outputName == nil)
        #expect(bare.exports.map(\.name) == ["f"])
        #expect(try parse("LIBRARY foo BASE=0x10000000").imageBase == 0x1000_0000)
        #expect(try parse("LIBRARY foo BASE = 268435456").imageBase == 268_435_456)
        #expect(try parse("LIBRARY BASE=0X7FF000000000").imageBase == 0x7FF0_0000_0000)
        let named = try parse("NAME prog.exe BASE=0x400000")
        #expect(named.isName && !named.isLibrary)
        #expect(named.outputName == "prog.exe" && named.imageBase == 0x400000)
    }

    @Test func repeatedModuleNameWarns() throws {
        let definition = try parse("NAME a\nLIBRARY b")
        #expect(definition.outputName == "b" && definition.isLibrary && !definition.isName)
        #expect(definition.warnings.map(\.description) == ["test.def:2:1: LIBRARY repeats an earlier NAME or LIBRARY statement; the last one is used"])
    }

    @Test func heapAndStackSizes() throws {
        let definition = try parse("HEAPSIZE 0x100000, 0x1000\nSTACKSIZE 2097152")
        #expect(definition.heapReserve == 0x100000 && definition.heapCommit == 0x1000)
        #expect(definition.stackReserve == 2_097_152 && definition.stackCommit == nil)
        let spaced = try parse("STACKSIZE 1024 ,4096")
        #expect(spaced.stackReserve == 1024 && spaced.stackCommit == 4096)
    }

    @Test func version() throws {
        let definition = try parse("VERSION 3.14")
        #expect(definition.majorImageVersion == 3 && definition.minorImageVersion == 14)
        let major = try parse("VERSION 65535")
        #expect(major.majorImageVersion == 65535 && major.minorImageVersion == 0)
    }

    @Test func sections() throws {
        let definition = try parse("""
            SECTIONS
              .rdata READ WRITE
              .shared READ WRITE SHARED ; a comment between entries
            SEGMENTS
              mycode CLASS 'CODE' EXECUTE READ
            """)
        #expect(definition.sections.map(\.name) == [".rdata", ".shared", "mycode"])
        #expect(definition.sections.map(\.attributes) == [["READ", "WRITE"], ["READ", "WRITE", "SHARED"], ["EXECUTE", "READ"]])
        #expect(definition.sections.map(\.line) == [2, 3, 5])
    }

    @Test func stubAndDescription() throws {
        #expect(try parse("STUB:dosstub.exe").stub == "dosstub.exe")
        #expect(try parse("STUB : dosstub.exe").stub == "dosstub.exe")
        #expect(try parse("STUB :dosstub.exe").stub == "dosstub.exe")
        #expect(try parse("STUB:\"my stub.exe\"").stub == "my stub.exe")
        #expect(try parse("DESCRIPTION \"My DLL; version 2\"").description == "My DLL; version 2")
    }

    @Test func commentsAndWhitespace() throws {
        let definition = try parse("; leading comment\r\nLIBRARY\tfoo ; trailing\r\n\r\nEXPORTS ; none yet\r\n\tf1;c\r\n")
        #expect(definition.outputName == "foo")
        #expect(definition.exports.map(\.name) == ["f1"])
        #expect(definition.exports[0].line == 5 && definition.exports[0].column == 2)
        #expect(try parse("").exports.isEmpty)
        let withByteOrderMark = try parse("\u{FEFF}LIBRARY bom.dll")
        #expect(withByteOrderMark.outputName == "bom.dll")
        expectError("\u{FEFF}BAD", 1, 1, "expected a statement (NAME, LIBRARY, EXPORTS, HEAPSIZE, STACKSIZE, VERSION, SECTIONS, STUB or DESCRIPTION), found 'BAD'")
        #expect(try parse("; only a comment").outputName == nil)
    }

    @Test func keywordsAreCaseSensitiveAsInLinkAndLLDLink() throws {
        // Lower-case words in EXPORTS are names, so exports called "data" or "version" work.
        let definition = try parse("EXPORTS\n version\n data\n f DATA\n g data")
        #expect(definition.exports.map(\.name) == ["version", "data", "f", "g", "data"])
        #expect(definition.exports.map(\.isData) == [false, false, true, false, false])
    }
}

@Suite struct ModuleDefinitionExportTests {
    @Test func plainAndPositions() throws {
        let definition = try parse("EXPORTS\n  first\n\tsecond   third\nEXPORTS fourth")
        #expect(definition.exports.map(\.name) == ["first", "second", "third", "fourth"])
        #expect(definition.exports.map(\.line) == [2, 3, 3, 4])
        #expect(definition.exports.map(\.column) == [3, 2, 11, 9])
    }

    @Test func internalNamesAndForwarders() throws {
        let internalEntry = try export("f2=f1")
        #expect(internalEntry.name == "f2" && internalEntry.internalName == "f1" && internalEntry.forwardTo == nil)
        let spaced = try export("f2 = _f1@4")
        #expect(spaced.internalName == "_f1@4")
        let forwarder = try export("f3=other.func")
        #expect(forwarder.forwardTo == "other.func" && forwarder.internalName == nil)
        let byOrdinal = try export("f4=other.#42")
        #expect(byOrdinal.forwardTo == "other.#42")
    }

    @Test func ordinalsAndFlags() throws {
        let ordinal = try export("f @5")
        #expect(ordinal.ordinal == 5 && !ordinal.noName)
        #expect(try export("f @ 6").ordinal == 6)
        #expect(try export("f @0x10").ordinal == 16)
        #expect(try export("f @65535").ordinal == 65535)
        let noName = try export("f @7 NONAME")
        #expect(noName.ordinal == 7 && noName.noName)
        let all = try export("f=g @8 NONAME PRIVATE DATA")
        #expect(all.internalName == "g" && all.ordinal == 8 && all.noName && all.isPrivate && all.isData)
        #expect(try export("f PRIVATE").isPrivate)
        #expect(try export("f DATA").isData)
    }

    @Test func constantIsAcceptedWithAWarning() throws {
        let definition = try parse("EXPORTS\n  f CONSTANT")
        #expect(definition.exports[0].isConstant)
        #expect(definition.warnings.map(\.description) == ["test.def:2:5: CONSTANT is obsolete and unsafe (importers can mistake the import address for the data); use DATA"])
    }

    @Test func exportAsAndImportName() throws {
        let exportAs = try export("f EXPORTAS g")
        #expect(exportAs.exportAs == "g")
        let importName = try export("f == g")
        #expect(importName.importName == "g" && importName.internalName == nil)
        let both = try export("f=impl == _g@4 @3")
        #expect(both.internalName == "impl" && both.importName == "_g@4" && both.ordinal == 3)
        #expect(try export("f ==\"g h\"").importName == "g h")
    }

    @Test func decoratedNames() throws {
        let definition = try parse("EXPORTS\n ?f@@YAXXZ\n @g@8\n h@@16\n _s@4 @2\n @t@4")
        #expect(definition.exports.map(\.name) == ["?f@@YAXXZ", "@g@8", "h@@16", "_s@4", "@t@4"])
        #expect(definition.exports[3].ordinal == 2)
    }

    @Test func fastcallNameAfterAnEntryStartsTheNextEntry() throws {
        // "@f2@8" is not an ordinal (no digit after '@'), so it begins the next entry.
        let definition = try parse("EXPORTS f1 @1 @f2@8 DATA")
        #expect(definition.exports.map(\.name) == ["f1", "@f2@8"])
        #expect(definition.exports.map(\.ordinal) == [1, nil])
        #expect(definition.exports.map(\.isData) == [false, true])
    }

    @Test func lineBreaksDoNotEndEntries() throws {
        // As in lld-link, an entry continues across lines while the tokens can continue it.
        let definition = try parse("EXPORTS\n f\n  = g\n  @3\n  NONAME\n h")
        #expect(definition.exports.map(\.name) == ["f", "h"])
        #expect(definition.exports[0].internalName == "g" && definition.exports[0].ordinal == 3 && definition.exports[0].noName)
    }

    @Test func quotedNamesMayBeKeywords() throws {
        let definition = try parse("EXPORTS\n \"DATA\" DATA\n \"NONAME\"=\"impl\"")
        #expect(definition.exports.map(\.name) == ["DATA", "NONAME"])
        #expect(definition.exports[0].isData)
        #expect(definition.exports[1].internalName == "impl")
    }

    @Test func fullFile() throws {
        let definition = try parse("""
            ; sample
            LIBRARY "sample.dll" BASE=0x180000000
            DESCRIPTION "Sample"
            VERSION 1.2
            HEAPSIZE 0x200000,0x2000
            STACKSIZE 0x100000,0x1000
            STUB:stub.exe
            SECTIONS
              .shared READ WRITE SHARED
            EXPORTS
              DllCanUnloadNow      @1          PRIVATE
              DllWindowName = WindowName       DATA
              DllGetClassObject    @4 NONAME   PRIVATE
              DllRegisterServer    @7
              DllUnregisterServer
            """)
        #expect(definition.path == "test.def")
        #expect(definition.outputName == "sample.dll" && definition.imageBase == 0x1_8000_0000)
        #expect(definition.description == "Sample" && definition.stub == "stub.exe")
        #expect(definition.majorImageVersion == 1 && definition.minorImageVersion == 2)
        #expect(definition.heapReserve == 0x200000 && definition.heapCommit == 0x2000)
        #expect(definition.stackReserve == 0x100000 && definition.stackCommit == 0x1000)
        #expect(definition.sections.count == 1)
        #expect(definition.exports == [
            ModuleDefinitionExport(name: "DllCanUnloadNow", ordinal: 1, isPrivate: true, line: 11, column: 3),
            ModuleDefinitionExport(name: "DllWindowName", internalName: "WindowName", isData: true, line: 12, column: 3),
            ModuleDefinitionExport(name: "DllGetClassObject", ordinal: 4, noName: true, isPrivate: true, line: 13, column: 3),
            ModuleDefinitionExport(name: "DllRegisterServer", ordinal: 7, line: 14, column: 3),
            ModuleDefinitionExport(name: "DllUnregisterServer", line: 15, column: 3),
        ])
        #expect(definition.warnings.isEmpty)
    }

    @Test func librarianEntries() throws {
        let definition = try parse("""
            LIBRARY x.dll
            EXPORTS
              a
              b=impl @3
              c=other.func DATA
              d PRIVATE
              e @9 NONAME
              f CONSTANT EXPORTAS g
              h == i
            """)
        let entries = Librarian.importLibraryEntries(from: definition, machine: .amd64)
        #expect(entries == [
            ImportLibraryEntry(name: "a"),
            ImportLibraryEntry(name: "b", ordinal: 3),
            ImportLibraryEntry(name: "c", isData: true),
            ImportLibraryEntry(name: "e", ordinal: 9, noName: true),
            ImportLibraryEntry(name: "f", isConstant: true, exportAs: "g"),
            ImportLibraryEntry(name: "h", importName: "i"),
        ])
        #expect(entries.map { $0.publicSymbol(machine: .i386) } == ["_a", "_b", "_c", "_e", "_f", "_h"])
        #expect(ImportLibraryEntry(name: "f@4").publicSymbol(machine: .i386) == "f@4")
        #expect(ImportLibraryEntry(name: "a").publicSymbol(machine: .arm64) == "a")
    }
}

@Suite struct ModuleDefinitionErrorTests {
    @Test func lexicalErrors() {
        expectError("LIBRARY \"unterminated", 1, 9, "unterminated quoted string (the closing '\"' must be on the same line)")
        expectError("EXPORTS\n  \"split\nname\"", 2, 3, "unterminated quoted string (the closing '\"' must be on the same line)")
        // The text is read as it is parsed: the first error in the file is the one reported, and a
        // quote left open after the last complete entry still fails the parse.
        expectError("EXPORTS\n  f @0\n  \"open", 2, 5, "ordinal 0 is out of range (1 to 65535)")
        expectError("EXPORTS\n  f @1 NONAME\n  \"open", 3, 3, "unterminated quoted string (the closing '\"' must be on the same line)")
        expectError("EXPORTS\n  f @1 EXPORTAS \"open", 2, 17, "unterminated quoted string (the closing '\"' must be on the same line)")
    }

    @Test func statementErrors() {
        let statements = "(NAME, LIBRARY, EXPORTS, HEAPSIZE, STACKSIZE, VERSION, SECTIONS, STUB or DESCRIPTION)"
        expectError("FOO bar", 1, 1, "expected a statement \(statements), found 'FOO'")
        expectError("library foo", 1, 1, "expected a statement \(statements), found 'library'")
        expectError("EXPORTS f=g\n= h", 2, 1, "unexpected '=' after the export 'f' (a second '=' target, or a missing name before '=')")
        expectError("\n  = x", 2, 3, "expected a statement \(statements), found '='")
        expectError("\"LIBRARY\" x", 1, 1, "expected a statement \(statements), found \"LIBRARY\"")
        expectError("EXPORTS\n DATA", 2, 2, "expected a statement \(statements), found keyword 'DATA'")
    }

    @Test func moduleNameErrors() {
        expectError("LIBRARY \"\"", 1, 9, "the LIBRARY name must not be empty")
        expectError("NAME x BASE 0x1000", 1, 13, "expected '=' after BASE, found '0x1000'")
        expectError("LIBRARY x BASE=", 1, 16, "expected a base address after 'BASE=' (decimal or 0x hexadecimal), found end of file")
        expectError("LIBRARY x BASE=0xZZ", 1, 16, "expected a base address after 'BASE=' (decimal or 0x hexadecimal), found '0xZZ'")
        expectError("LIBRARY x BASE=-5", 1, 16, "expected a base address after 'BASE=' (decimal or 0x hexadecimal), found '-5'")
        expectError("LIBRARY x BASE=0x+5", 1, 16, "expected a base address after 'BASE=' (decimal or 0x hexadecimal), found '0x+5'")
        expectError("LIBRARY x BASE=99999999999999999999", 1, 16, "expected a base address after 'BASE=' (decimal or 0x hexadecimal), found '99999999999999999999'")
    }

    @Test func sizeErrors() {
        expectError("HEAPSIZE", 1, 9, "expected a reserve size after HEAPSIZE (decimal or 0x hexadecimal), found end of file")
        expectError("STACKSIZE big", 1, 11, "expected a reserve size after STACKSIZE (decimal or 0x hexadecimal), found 'big'")
        expectError("HEAPSIZE 1,\nEXPORTS", 2, 1, "expected a commit size after ',' (decimal or 0x hexadecimal), found keyword 'EXPORTS'")
        expectError("STACKSIZE 1, ,", 1, 14, "expected a commit size after ',' (decimal or 0x hexadecimal), found ','")
    }

    @Test func versionErrors() {
        let expected = "expected a version number 'major[.minor]' (decimal, 0 to 65535) after VERSION, found"
        expectError("VERSION", 1, 8, "expected a version number 'major[.minor]' after VERSION, found end of file")
        expectError("VERSION =", 1, 9, "expected a version number 'major[.minor]' after VERSION, found '='")
        expectError("VERSION x.1", 1, 9, "\(expected) 'x.1'")
        expectError("VERSION 1.", 1, 9, "\(expected) '1.'")
        expectError("VERSION 1.2.3", 1, 9, "\(expected) '1.2.3'")
        expectError("VERSION 65536", 1, 9, "\(expected) '65536'")
        expectError("VERSION 0x10", 1, 9, "\(expected) '0x10'")
    }

    @Test func sectionErrors() {
        expectError("SECTIONS\n .data\n", 3, 1, "expected section attributes (READ, WRITE, EXECUTE or SHARED) after section name '.data', found end of file")
        expectError("SECTIONS .data read", 1, 16, "unknown section attribute 'read' for section '.data' (expected READ, WRITE, EXECUTE or SHARED)")
        expectError("SECTIONS\n  .data READ WRITE FLY\n", 2, 20, "unknown section attribute 'FLY' for section '.data' (expected READ, WRITE, EXECUTE or SHARED)")
        expectError("SECTIONS .data CLASS", 1, 21, "expected a class name after CLASS, found end of file")
    }

    @Test func stubAndDescriptionErrors() {
        expectError("STUB x.exe", 1, 6, "expected ':' after STUB, found 'x.exe'")
        expectError("STUB:", 1, 6, "expected a file name after 'STUB:', found end of file")
        expectError("STUB: EXPORTS", 1, 7, "expected a file name after 'STUB:', found keyword 'EXPORTS'")
        expectError("DESCRIPTION", 1, 12, "expected a quoted string after DESCRIPTION, found end of file")
        expectError("DESCRIPTION =", 1, 13, "expected a quoted string after DESCRIPTION, found '='")
    }

    @Test func exportErrors() {
        expectError("EXPORTS\n  @1", 2, 3, "ordinal '@1' must follow an export name")
        expectError("EXPORTS \"\"", 1, 9, "export name must not be empty")
        expectError("EXPORTS f =", 1, 12, "expected an internal name or 'module.export' after '=', found end of file")
        expectError("EXPORTS f = DATA", 1, 13, "expected an internal name or 'module.export' after '=', found keyword 'DATA'")
        expectError("EXPORTS f @", 1, 11, "expected an ordinal number after '@', found the end of the line")
        expectError("EXPORTS\n  f @\n  g", 2, 5, "expected an ordinal number after '@', found the end of the line")
        expectError("EXPORTS f @ NONAME", 1, 13, "expected an ordinal number after '@', found keyword 'NONAME'")
        expectError("EXPORTS f @ x", 1, 13, "expected an ordinal number after '@', found 'x'")
        expectError("EXPORTS f @12abc", 1, 11, "expected an ordinal number after '@', found '@12abc'")
        expectError("EXPORTS f @ 1x", 1, 13, "expected an ordinal number after '@', found '1x'")
        expectError("EXPORTS f @0", 1, 11, "ordinal 0 is out of range (1 to 65535)")
        expectError("EXPORTS f @ 65536", 1, 13, "ordinal 65536 is out of range (1 to 65535)")
        expectError("EXPORTS f EXPORTAS", 1, 19, "expected a name after EXPORTAS, found end of file")
        expectError("EXPORTS f EXPORTAS DATA", 1, 20, "expected a name after EXPORTAS, found keyword 'DATA'")
        expectError("EXPORTS f ==", 1, 13, "expected an import name after '==', found end of file")
        expectError("EXPORTS f == ,", 1, 14, "expected an import name after '==', found ','")
        expectError("EXPORTS f=g=h", 1, 12, "unexpected '=' after the export 'f' (a second '=' target, or a missing name before '=')")
        expectError("EXPORTS f, g", 1, 10, "unexpected ',' in an EXPORTS entry")
        expectError("EXPORTS\n\n   f NONAME", 3, 4, "export 'f' is NONAME but has no '@ordinal'")
    }
}
