import Foundation
import Testing
@testable import PELink
import PEFormat

@Suite struct CommandLineTests {
    @Test func responseFileQuotingFollowsTheWindowsRules() throws {
        let tokens = try ResponseFiles.tokenize("/dll \"/out:my dir/x.dll\"\n  a.obj\t\"b \\\"q\\\".obj\" c\\\\d.obj \"\"")
        #expect(tokens == ["/dll", "/out:my dir/x.dll", "a.obj", "b \"q\".obj", "c\\\\d.obj", ""])
    }

    /// Plain tokens are cut straight from the text; a quote or backslash met after a plain start
    /// must keep that start.
    @Test func quotesAndBackslashesAfterAPlainStartKeepIt() throws {
        let tokens = try ResponseFiles.tokenize("/out:\"my dir\"/x.dll pre\\\"fix a\"\"b  x\\y \"\"tail\tlast")
        #expect(tokens == ["/out:my dir/x.dll", "pre\"fix", "ab", "x\\y", "tail", "last"])
    }

    /// `/export:` values are split on bytes; names may be any UTF-8.
    @Test func exportOptionValuesSplitOnBytes() throws {
        let request = try parseExportOption("ñame=sÿm,@5,DATA", source: .commandLine)
        #expect(request.name == "ñame" && request.symbolName == "sÿm" && request.ordinal == 5 && request.isData)
        let forwarder = try parseExportOption("f=other.dll.g,PRIVATE", source: .commandLine)
        #expect(forwarder.forwardTo == "other.dll.g" && forwarder.symbolName == "f" && forwarder.isPrivate)
        #expect(throws: UsageError.self) { try parseExportOption("=g", source: .commandLine) }
        #expect(throws: UsageError.self) { try parseExportOption("f,BOGUS", source: .commandLine) }
    }

    @Test func unclosedQuoteInAResponseFileIsAnErrorWithLineAndColumn() throws {
        #expect(throws: ResponseFiles.UnclosedQuote.self) { try ResponseFiles.tokenize("/dll \"/out:x.dll") }
        let dir = try makeTemporaryDirectory("rsp-quote")
        let file = dir.appendingPathComponent("args.rsp").path
        try "/dll\n/noentry \"/out:my dir/x.dll\na.obj\n".write(toFile: file, atomically: true, encoding: .utf8)
        let result = Driver.run(arguments: ["@" + file], environment: [:])
        #expect(result.exitCode == 1)
        #expect(result.diagnostics == "pelink: error: \(file):2:10: this quote is never closed; add the closing \" (or write \\\" for a literal quote)\n")
    }

    /// Values that once reached a trap (an empty split, an alignment past 32 bits) are errors.
    /// A real object that links on its own, so that only the option under test can make a link fail.
    static let linkableObject = GoldenCase.inputsFolder.appendingPathComponent("def-ordinals/impl.obj").path

    @Test func malformedOptionValuesAreErrors() throws {
        let dir = try makeTemporaryDirectory("bad-values")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = "/out:" + dir.appendingPathComponent("ok.dll").path
        let control = Driver.run(arguments: ["/dll", "/noentry", Self.linkableObject, out], environment: [:])
        #expect(control.exitCode == 0, "the control link must succeed: \(control.diagnostics)")
        for arguments in [["/subsystem:,"], ["/subsystem:"], ["/align:0x100000000"], ["/align:3"], ["/opt:icf=x"], ["/opt:icf="]] {
            let result = Driver.run(arguments: ["/dll", "/noentry"] + arguments + [Self.linkableObject, out], environment: [:])
            #expect(result.exitCode == 1, "\(arguments)")
            let optionName = String(arguments[0].prefix { $0 != ":" })
            #expect(result.diagnostics.hasPrefix("pelink: error: ") && result.diagnostics.contains(optionName), "\(arguments): \(result.diagnostics)")
        }
        let gnuOut = ["-o", dir.appendingPathComponent("gnu.dll").path]
        let gnuControl = Driver.run(arguments: ["-m", "i386pep", "--shared", "--entry=", Self.linkableObject] + gnuOut, environment: [:], programName: "ld.lld")
        #expect(gnuControl.exitCode == 0, "the GNU control link must succeed: \(gnuControl.diagnostics)")
        for arguments in [["--stack="], ["--stack", ","], ["--heap=,4096"], ["--subsystem="], ["--subsystem=windows:."],
                          ["--file-alignment=3"], ["--section-alignment=0x100000000"], ["--file-alignment=0xffffffffffffffff"],
                          ["--icf=most"], ["--icf="]] {
            let result = Driver.run(arguments: ["-m", "i386pep", "--shared", "--entry="] + arguments + [Self.linkableObject] + gnuOut,
                                    environment: [:], programName: "ld.lld")
            #expect(result.exitCode == 1, "\(arguments)")
            let optionName = String(arguments[0].prefix { $0 != "=" })
            #expect(result.diagnostics.contains("error:") && result.diagnostics.contains(optionName), "\(arguments): \(result.diagnostics)")
        }
    }

    /// Response files that include each other many times over expand exponentially; the expansion
    /// stops at a budget with an error instead of running for ever.
    @Test func responseFileExpansionIsBounded() throws {
        let dir = try makeTemporaryDirectory("rsp-bomb")
        for level in 0..<20 {
            let next = level == 19 ? "a.obj" : String(repeating: "@\(dir.path)/r\(level + 1).rsp ", count: 10)
            try next.write(toFile: dir.appendingPathComponent("r\(level).rsp").path, atomically: true, encoding: .utf8)
        }
        let started = Date()
        let result = Driver.run(arguments: ["@" + dir.appendingPathComponent("r0.rsp").path], environment: [:])
        #expect(result.exitCode == 1)
        #expect(result.diagnostics.contains("response files read in all"), "\(result.diagnostics)")
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func mistypedOptionsGetASuggestion() {
        for (typed, meant) in [("/dl", "/dll"), ("/exprot:f", "/export"), ("-defautlib:x", "/defaultlib"), ("/NOENTR", "/noentry")] {
            let result = Driver.run(arguments: [typed, "a.obj"], environment: [:])
            #expect(result.exitCode == 1)
            #expect(result.diagnostics.contains("did you mean \(meant)?"), "\(typed): \(result.diagnostics)")
        }
        let far = Driver.run(arguments: ["/frobnicate", "a.obj"], environment: [:])
        #expect(!far.diagnostics.contains("did you mean"))
    }

    @Test func responseFilesNestAndOptionsAreCaseInsensitive() throws {
        let dir = try makeTemporaryDirectory("rsp")
        let inner = dir.appendingPathComponent("inner.rsp").path
        let outer = dir.appendingPathComponent("outer.rsp").path
        try "-DLL /MACHINE:X64 /NoEntry".write(toFile: inner, atomically: true, encoding: .utf8)
        try "@\(inner) /Export:foo,@3,NONAME /Out:x.dll".write(toFile: outer, atomically: true, encoding: .utf8)
        var notes: [String] = []
        let options = try parseCommandLine(["@\(outer)", "a.obj"], environment: [:], notes: &notes)
        #expect(options.isDLL && options.noEntry && options.machine == .amd64)
        #expect(options.outputPath == "x.dll")
        #expect(options.exports.count == 1 && options.exports[0].ordinal == 3 && options.exports[0].noName)
        #expect(options.inputFiles == ["a.obj"])
    }

    @Test func exportOptionForms() throws {
        let plain = try parseExportOption("f", source: .commandLine)
        #expect(plain.name == "f" && plain.symbolName == "f" && plain.forwardTo == nil)
        let renamed = try parseExportOption("ext=internal,@5,DATA", source: .commandLine)
        #expect(renamed.name == "ext" && renamed.symbolName == "internal" && renamed.ordinal == 5 && renamed.isData)
        let forwarder = try parseExportOption("fwd=kernel32.GetTickCount,PRIVATE", source: .commandLine)
        #expect(forwarder.forwardTo == "kernel32.GetTickCount" && forwarder.isPrivate)
        #expect(throws: UsageError.self) { try parseExportOption("f,@0", source: .commandLine) }
        #expect(throws: UsageError.self) { try parseExportOption("f,NONAME", source: .commandLine) }
        #expect(throws: UsageError.self) { try parseExportOption("f,BOGUS", source: .commandLine) }
    }

    @Test func unknownOptionIsAWarningNamingIt() {
        let result = Driver.run(arguments: ["/dll", "/frobnicate:3", "a.obj"], environment: [:])
        #expect(result.exitCode == 1, "a.obj does not exist")
        #expect(result.diagnostics.contains("warning: ignoring unknown argument '/frobnicate:3'"), "\(result.diagnostics)")
    }

    /// The librarian's options: /help prints its usage, /llvmlibthin writes a thin library,
    /// /subsystem warns; none is silently dropped.
    @Test func librarianOptionsAreDecided() throws {
        let help = Driver.run(arguments: ["/lib", "/help"], environment: [:])
        #expect(help.exitCode == 0 && help.output.contains("pelink /lib /def:x.def"), "\(help.output)")
        let folder = try makeTemporaryDirectory("lib-options")
        defer { try? FileManager.default.removeItem(at: folder) }
        let object = GoldenCase.inputsFolder.appendingPathComponent("order-file/funcs.obj").path
        // /llvmlibthin: a thin library, byte for byte what lld-link writes (members named from the library's folder).
        let member = folder.appendingPathComponent("member.obj")
        try FileManager.default.copyItem(atPath: object, toPath: member.path)
        let thin = Driver.run(arguments: ["/lib", "/llvmlibthin", "/out:" + folder.appendingPathComponent("t.lib").path, member.path], environment: [:])
        #expect(thin.exitCode == 0, "\(thin.diagnostics)")
        if let lldLink = requireTool("lld-link") {
            let lld = try runProcess(lldLink, ["/lib", "/llvmlibthin", "/out:" + folder.appendingPathComponent("l.lib").path, "member.obj"], currentDirectory: folder.path)
            #expect(lld.exitCode == 0, "\(lld.stderr)")
            #expect(try Data(contentsOf: folder.appendingPathComponent("t.lib")) == Data(contentsOf: folder.appendingPathComponent("l.lib")))
        }
        let subsystem = Driver.run(arguments: ["/lib", "/subsystem:console", "/out:" + folder.appendingPathComponent("s.lib").path, object], environment: [:])
        #expect(subsystem.exitCode == 0 && subsystem.diagnostics.contains("warning: /lib /subsystem:console"), "\(subsystem.diagnostics)")
    }

    /// CMake, Meson and clang's driver run `lld-link --version` and look for "LLD x.y".
    @Test func versionIsPrinted() {
        for spelling in ["--version", "/-version"] {
            let result = Driver.run(arguments: [spelling], environment: [:])
            #expect(result.exitCode == 0 && result.output.hasPrefix("pelink ") && result.output.contains("LLD 21.0"), "\(spelling): \(result.output)")
        }
    }

    @Test func helpListsSupportedAndAcceptedOptions() {
        let result = Driver.run(arguments: ["/help"], environment: [:])
        #expect(result.exitCode == 0)
        for option in ["/dll", "/def:file", "/export:", "/incremental[:no]", "/manifest[:embed[,id=N]|:no]", "/nologo"] {
            #expect(result.output.contains(option), "help lacks \(option)")
        }
    }

    @Test func badNumbersAreRejected() throws {
        let dir = try makeTemporaryDirectory("bad-numbers")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = "/out:" + dir.appendingPathComponent("ok.dll").path
        let control = Driver.run(arguments: ["/dll", "/noentry", "/base:0x10000000", "/stack:1,1", "/version:1.2", "/timestamp:7",
                                             "/machine:x64", "/subsystem:windows", Self.linkableObject, out], environment: [:])
        #expect(control.exitCode == 0, "well-formed values must link: \(control.diagnostics)")
        for argument in ["/base:zz", "/stack:1,x", "/version:1.2.3", "/timestamp:99999999999", "/machine:vax", "/subsystem:bogus"] {
            let result = Driver.run(arguments: ["/dll", "/noentry", argument, Self.linkableObject, out], environment: [:])
            #expect(result.exitCode == 1, "\(argument) was accepted")
            let optionName = String(argument.prefix { $0 != ":" })
            #expect(result.diagnostics.contains("error:") && result.diagnostics.contains(optionName), "\(argument): \(result.diagnostics)")
        }
    }

    @Test func libEnvironmentVariableAddsSearchFolders() throws {
        var notes: [String] = []
        let options = try parseCommandLine(["a.obj", "/libpath:first"], environment: ["LIB": "/x;/y"], notes: &notes)
        #expect(options.libraryPaths == ["first", "/x", "/y"])
    }

    @Test func demanglingNamesTheQualifiedFunction() {
        #expect(demangledSuffix("?get@Counter@app@@QEAAHXZ") == " (public: int __cdecl app::Counter::get(void))")
        #expect(demangledSuffix("plain_c_name") == "")
    }
}

@Suite struct AtomicOutputTests {
    /// A failed link must leave an existing DLL and import library byte-identical, and no temporary file.
    @Test func failedLinkLeavesExistingOutputsUntouched() throws {
        let dir = try makeTemporaryDirectory("atomic")
        let dll = dir.appendingPathComponent("out.dll").path
        let lib = dir.appendingPathComponent("out.lib").path
        let before = Data("previous dll".utf8), beforeLib = Data("previous lib".utf8)
        try before.write(to: URL(fileURLWithPath: dll))
        try beforeLib.write(to: URL(fileURLWithPath: lib))
        let undefinedCase = repositoryRoot.appendingPathComponent("Inputs/err-undefined")
        let objects = try FileManager.default.contentsOfDirectory(atPath: undefinedCase.path)
            .filter { $0.hasSuffix(".obj") }.map { undefinedCase.appendingPathComponent($0).path }
        #expect(!objects.isEmpty)
        let result = Driver.run(arguments: ["/dll", "/noentry", "/out:\(dll)", "/implib:\(lib)"] + objects, environment: [:])
        #expect(result.exitCode == 1)
        #expect(result.diagnostics.contains("undefined symbol"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: dll)) == before)
        #expect(try Data(contentsOf: URL(fileURLWithPath: lib)) == beforeLib)
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(left == ["out.dll", "out.lib"])
    }

    /// A link whose only inputs are libraries: members come in through /include: alone.
    @Test func linkWithOnlyALibrary() throws {
        let dir = try makeTemporaryDirectory("onlylib")
        let dll = dir.appendingPathComponent("only.dll").path
        let library = repositoryRoot.appendingPathComponent("Inputs/static-lib-lazy/libhelpers.lib").path
        let result = Driver.run(arguments: ["/dll", "/noentry", library, "/include:need_a", "/export:need_a", "/out:\(dll)"], environment: [:])
        #expect(result.exitCode == 0, "\(result.diagnostics)")
        let image = try PEImage(view: try MappedFile(path: dll).view)
        #expect(image.exports?.entries.flatMap(\.names) == ["need_a"])
    }

    /// The librarian writes a static library that the linker loads lazily.
    @Test func staticLibraryRoundTrip() throws {
        let dir = try makeTemporaryDirectory("staticlib")
        let caseDir = repositoryRoot.appendingPathComponent("Inputs/def-basic")
        let objects = try FileManager.default.contentsOfDirectory(atPath: caseDir.path)
            .filter { $0.hasSuffix(".obj") }.sorted().map { caseDir.appendingPathComponent($0).path }
        let lib = dir.appendingPathComponent("all.lib").path
        let made = Driver.run(arguments: ["/lib", "/out:\(lib)"] + objects, environment: [:])
        #expect(made.exitCode == 0, "\(made.diagnostics)")
        let archive = try Archive(view: try MappedFile(path: lib).view)
        #expect(archive.members.count == objects.count)
        #expect(!archive.symbols.isEmpty)
        #expect(archive.layout == .msvc, "both linker members")
        // The longnames member is present (empty here), as link /lib writes it.
        let bytes = try MappedFile(path: lib).view
        let text = String(decoding: bytes.rawBuffer, as: UTF8.self)
        #expect(text.contains("//" + String(repeating: " ", count: 40)), "no longnames member")
        let def = caseDir.appendingPathComponent("exports.def").path
        guard FileManager.default.fileExists(atPath: def) else { return }
        let dll = dir.appendingPathComponent("x.dll").path
        let linked = Driver.run(arguments: ["/dll", "/noentry", "/def:\(def)", "/out:\(dll)", lib], environment: [:])
        #expect(linked.exitCode == 0, "\(linked.diagnostics)")
        let image = try PEImage(view: try MappedFile(path: dll).view)
        #expect(image.exports != nil)
    }
}
