import Foundation
import PEFormat
@testable import PELink
import Testing

/// Behaviours of a whole link that golden dumps do not show: which files a link writes and
/// where, what goes to which stream, and choices between symbols that only the resulting
/// addresses reveal. Each test has a control that the behaviour under test changes.
@Suite("Linker behaviour")
struct LinkerBehaviourTests {
    /// Assembles `source` (x86-64 MSVC flavour) into `folder/name`, or nil when llvm-mc is missing.
    static func assemble(_ source: String, _ name: String, in folder: URL) throws -> String? {
        guard let mc = requireTool("llvm-mc") else { return nil }
        let input = folder.appendingPathComponent(name + ".s")
        try source.write(to: input, atomically: true, encoding: .utf8)
        let output = folder.appendingPathComponent(name).path
        let run = try runProcess(mc, ["-triple=x86_64-windows-msvc", "-filetype=obj", input.path, "-o", output])
        #expect(run.exitCode == 0, "llvm-mc \(name): \(run.stderr)")
        return run.exitCode == 0 ? output : nil
    }

    static func exports(of dll: String) throws -> [(name: String, rva: UInt32)] {
        let file = try MappedFile(path: dll)
        let image = try PEImage(view: file.view)
        return (image.exports?.entries ?? []).flatMap { entry in entry.names.map { ($0, entry.rva) } }
    }

    /// `lld-link /def:x.def /machine:x64 /out:x.lib` with no object: only the import library is
    /// written, as build systems use it; the same members as lld-link's.
    @Test func moduleDefinitionAloneWritesTheImportLibrary() throws {
        let dir = try makeTemporaryDirectory("def-only")
        defer { try? FileManager.default.removeItem(at: dir) }
        let def = dir.appendingPathComponent("x.def")
        try "LIBRARY thing\nEXPORTS\n    alpha\n    beta @7 NONAME\n    gamma DATA\n".write(to: def, atomically: true, encoding: .utf8)
        let lib = dir.appendingPathComponent("x.lib")
        let noMachine = Driver.run(arguments: ["/def:" + def.path, "/out:" + lib.path], environment: [:])
        #expect(noMachine.exitCode == 1 && noMachine.diagnostics.contains("/machine:"), "\(noMachine.diagnostics)")
        #expect(!FileManager.default.fileExists(atPath: lib.path))
        let result = Driver.run(arguments: ["/def:" + def.path, "/machine:x64", "/out:" + lib.path], environment: [:])
        #expect(result.exitCode == 0, "\(result.diagnostics)")
        let members = try oracleImportMembers(lib)
        #expect(members.keys.sorted() == ["alpha", "beta", "gamma"])
        #expect(Set(members.values.map(\.dllName)) == ["thing.dll"])
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.dll").path), "no image may be written")
        guard let lldLink = requireTool("lld-link") else { return }
        let theirs = dir.appendingPathComponent("lld.lib")
        let run = try runProcess(lldLink, ["/def:" + def.path, "/machine:x64", "/out:" + theirs.path])
        #expect(run.exitCode == 0, "\(run.stderr)")
        let lldMembers = try oracleImportMembers(theirs)
        #expect(members.mapValues(oracleDescribeIgnoringHint) == lldMembers.mapValues(oracleDescribeIgnoringHint))
    }

    private func oracleDescribeIgnoringHint(_ object: ImportObject) -> String {
        "\(object.symbolName) \(object.dllName) \(object.type) \(object.nameType) \(object.nameType == .ordinal ? object.ordinalOrHint : 0)"
    }

    /// Without /out:, the first input names the output, whatever its extension (or none), in the
    /// current folder; libraries do not.
    @Test func outputIsNamedAfterTheFirstInput() throws {
        guard let pelink = pelinkExecutable else {
            Issue.record("the pelink executable was not found beside \(CommandLine.arguments[0])")
            return
        }
        let dir = try makeTemporaryDirectory("out-name")
        defer { try? FileManager.default.removeItem(at: dir) }
        let object = GoldenCase.inputsFolder.appendingPathComponent("def-ordinals/impl.obj")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: object, to: dir.appendingPathComponent("sub/out2"))
        try FileManager.default.copyItem(at: object, to: dir.appendingPathComponent("sub/out3.xyz"))
        let exe = try runProcess(pelink, ["/entry:first", "/subsystem:console", "sub/out2"], currentDirectory: dir.path)
        #expect(exe.exitCode == 0, "\(exe.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out2.exe").path))
        let dll = try runProcess(pelink, ["/dll", "/noentry", "sub/out3.xyz"], currentDirectory: dir.path)
        #expect(dll.exitCode == 0, "\(dll.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out3.dll").path))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("a.exe").path))
        // A driver (/driver) is named .sys, as link.exe names it.
        let driver = try runProcess(pelink, ["/driver", "/entry:first", "sub/out2"], currentDirectory: dir.path)
        #expect(driver.exitCode == 0, "\(driver.stderr)")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out2.sys").path))
    }

    /// Images are executable files (0777 less the umask, as GNU ld and lld write them, so
    /// binfmt/Wine can run them directly); the import library and map are not.
    @Test func imagesAreWrittenExecutable() throws {
        guard let pelink = pelinkExecutable else {
            Issue.record("the pelink executable was not found beside \(CommandLine.arguments[0])")
            return
        }
        let dir = try makeTemporaryDirectory("modes")
        defer { try? FileManager.default.removeItem(at: dir) }
        let object = GoldenCase.inputsFolder.appendingPathComponent("def-ordinals/impl.obj").path
        for (umask, dllMode, libMode) in [("022", 0o755, 0o644), ("077", 0o700, 0o600)] {
            let run = try runProcess("/bin/sh", ["-c", "umask \(umask) && exec \"$0\" \"$@\"", pelink, "/dll", "/noentry", "/export:first",
                                                 object, "/out:m\(umask).dll", "/map"], currentDirectory: dir.path)
            #expect(run.exitCode == 0, "\(run.stderr)")
            func mode(_ name: String) throws -> Int {
                (try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(name).path)[.posixPermissions] as? Int) ?? -1
            }
            #expect(try mode("m\(umask).dll") == dllMode)
            #expect(try mode("m\(umask).lib") == libMode)
            #expect(try mode("m\(umask).map") == libMode)
        }
    }

    /// /verbose notes go to standard error, as link.exe and lld-link print them; /time to standard output.
    @Test func verboseGoesToStandardErrorAndTimeToStandardOutput() throws {
        let dir = try makeTemporaryDirectory("verbose")
        defer { try? FileManager.default.removeItem(at: dir) }
        let testCase = try GoldenCase(name: "static-lib-lazy")
        let out = dir.appendingPathComponent("v.dll").path
        let result = Driver.run(arguments: testCase.absoluteArguments + ["/out:" + out, "/verbose", "/time"], environment: [:])
        #expect(result.exitCode == 0, "\(result.diagnostics)")
        #expect(result.diagnostics.contains("Loaded "), "no /verbose note on standard error: \(result.diagnostics)")
        #expect(!result.output.contains("Loaded "), "a /verbose note on standard output")
        #expect(result.output.contains("Total"), "the /time report is missing from standard output")
    }

    /// 65535 exports, the most ordinals allow: the import library has 65538 members, more than
    /// the second linker member can index, and is written with the first linker member alone.
    @Test func sixtyFiveThousandFiveHundredThirtyFiveExports() throws {
        let dir = try makeTemporaryDirectory("export-limit")
        defer { try? FileManager.default.removeItem(at: dir) }
        let def = dir.appendingPathComponent("big.def")
        var text = "EXPORTS\n"
        for i in 0..<65535 { text += "f\(i)=first\n" }
        try text.write(to: def, atomically: true, encoding: .utf8)
        let object = GoldenCase.inputsFolder.appendingPathComponent("def-ordinals/impl.obj").path
        let dll = dir.appendingPathComponent("big.dll").path, lib = dir.appendingPathComponent("big.lib").path
        let result = Driver.run(arguments: ["/dll", "/noentry", "/def:" + def.path, object, "/out:" + dll, "/implib:" + lib], environment: [:])
        #expect(result.exitCode == 0, "\(result.diagnostics)")
        guard result.exitCode == 0 else { return }
        #expect(try Self.exports(of: dll).count == 65535)
        let file = try MappedFile(path: lib)
        let archive = try Archive(view: file.view)
        #expect(archive.members.count == 65538)
        #expect(archive.symbolTable.count == 2 * 65535 + 3, "every import has __imp_ and its thunk symbol, plus the three descriptors")
        // One too many is still an error.
        try (text + "extra=first\n").write(to: def, atomically: true, encoding: .utf8)
        let tooMany = Driver.run(arguments: ["/dll", "/noentry", "/def:" + def.path, object, "/out:" + dir.appendingPathComponent("x.dll").path], environment: [:])
        #expect(tooMany.exitCode == 1 && tooMany.diagnostics.contains("too many exports"), "\(tooMany.diagnostics)")
    }

    /// The import library is staged by a job of its own while the image is written. A link that
    /// fails after the job started (here writing the image: an ADDR32 relocation that does not
    /// fit) leaves the previous DLL and import library as they were and no temporary file; the
    /// same link without the bad relocation's failure writes both (the control).
    @Test func failedLinkLeavesNoStagedImportLibrary() throws {
        let dir = try makeTemporaryDirectory("staged-implib")
        defer { try? FileManager.default.removeItem(at: dir) }
        let object = GoldenCase.inputsFolder.appendingPathComponent("err-addr32-overflow/addr32.obj").path
        let dll = dir.appendingPathComponent("x.dll").path, lib = dir.appendingPathComponent("x.lib").path
        try Data("old dll".utf8).write(to: URL(fileURLWithPath: dll))
        try Data("old lib".utf8).write(to: URL(fileURLWithPath: lib))
        let failed = Driver.run(arguments: ["/dll", "/noentry", "/machine:x64", object, "/export:far_target,DATA",
                                            "/out:" + dll, "/implib:" + lib], environment: [:])
        #expect(failed.exitCode == 1 && failed.diagnostics.contains("does not fit in 32 bits"), "\(failed.diagnostics)")
        #expect(try String(contentsOfFile: dll, encoding: .utf8) == "old dll")
        #expect(try String(contentsOfFile: lib, encoding: .utf8) == "old lib")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["x.dll", "x.lib"])
        // /largeaddressaware:no keeps the image below 2 GiB, where the ADDR32 relocation fits.
        let linked = Driver.run(arguments: ["/dll", "/noentry", "/machine:x64", "/largeaddressaware:no", "/base:0x10000000", object,
                                            "/export:far_target,DATA", "/out:" + dll, "/implib:" + lib], environment: [:])
        #expect(linked.exitCode == 0, "\(linked.diagnostics)")
        #expect(try Archive(view: MappedFile(path: lib).view).symbolTable.contains { $0.memberIndex >= 0 })
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["x.dll", "x.lib"])
    }

    /// `abandon()` (what a failed link calls) waits for the job and removes its temporary file
    /// even while the job is still referenced; `finish()` hands the staged file over (control).
    @Test func abandonedImportLibraryJobRemovesItsTemporaryFile() throws {
        let dir = try makeTemporaryDirectory("abandoned-implib")
        defer { try? FileManager.default.removeItem(at: dir) }
        let lib = dir.appendingPathComponent("x.lib").path
        let abandoned = ImportLibraryJob(path: lib, dllName: "x.dll", machine: .amd64, exports: [])
        abandoned.start()
        abandoned.abandon()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        withExtendedLifetime(abandoned) {}
        let finished = ImportLibraryJob(path: lib, dllName: "x.dll", machine: .amd64, exports: [])
        finished.start()
        let staged = try finished.finish().get()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).count == 1, "the temporary file, before commit()")
        try staged?.commit()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["x.lib"])
    }

    /// /release: pelink's checksum algorithm gives, on lld-link's /release image, the checksum
    /// lld-link stored there; and pelink stores it only when asked.
    @Test func releaseChecksumMatchesLLDLink() throws {
        guard let lldLink = requireTool("lld-link") else { return }
        let dir = try makeTemporaryDirectory("release")
        defer { try? FileManager.default.removeItem(at: dir) }
        let object = GoldenCase.inputsFolder.appendingPathComponent("def-ordinals/impl.obj").path
        let theirs = dir.appendingPathComponent("lld.dll").path
        let run = try runProcess(lldLink, ["/dll", "/noentry", "/release", "/export:first", object, "/out:" + theirs])
        #expect(run.exitCode == 0, "\(run.stderr)")
        func storedAndComputed(_ path: String) throws -> (UInt32, UInt32) {
            let file = try MappedFile(path: path)
            let header = try PEImage(view: file.view).optionalHeader
            let computed = file.view.toArray().withUnsafeBytes { peChecksum($0, skipping: header.checkSumOffset) }
            return (header.checkSum, computed)
        }
        let (lldStored, lldComputed) = try storedAndComputed(theirs)
        #expect(lldStored != 0 && lldStored == lldComputed)
        let ours = dir.appendingPathComponent("ours.dll").path
        for (arguments, expectsChecksum) in [(["/release"], true), ([], false)] {
            let result = Driver.run(arguments: ["/dll", "/noentry", "/export:first", object, "/out:" + ours] + arguments, environment: [:])
            #expect(result.exitCode == 0, "\(result.diagnostics)")
            let (stored, computed) = try storedAndComputed(ours)
            #expect(expectsChecksum ? stored == computed : stored == 0, "\(arguments): stored 0x\(String(stored, radix: 16)), computed 0x\(String(computed, radix: 16))")
        }
    }

    /// The entry point and exports the user names plainly find a C++ function's mangled symbol.
    @Test func plainNamesFindMangledFunctions() throws {
        let dir = try makeTemporaryDirectory("mangled")
        defer { try? FileManager.default.removeItem(at: dir) }
        guard let object = try Self.assemble("""
            .text
            .globl "?main@@YAHXZ"
            "?main@@YAHXZ":
                ret
            .globl "?helper@@YAHH@Z"
            "?helper@@YAHH@Z":
                movl $1, %eax
                ret
            """, "m.obj", in: dir) else { return }
        let dll = dir.appendingPathComponent("m.dll").path
        let result = Driver.run(arguments: ["/dll", "/entry:main", "/export:helper", object, "/out:" + dll], environment: [:])
        #expect(result.exitCode == 0, "\(result.diagnostics)")
        guard result.exitCode == 0 else { return }
        let file = try MappedFile(path: dll)
        let image = try PEImage(view: file.view)
        let exported = try Self.exports(of: dll)
        #expect(exported.map(\.name) == ["helper"])
        #expect(image.optionalHeader.addressOfEntryPoint != 0 && exported.first.map { $0.rva != image.optionalHeader.addressOfEntryPoint } == true)
        // Control: a name with no such function stays undefined.
        let missing = Driver.run(arguments: ["/dll", "/entry:nothere", object, "/out:" + dll], environment: [:])
        #expect(missing.exitCode == 1 && missing.diagnostics.contains("undefined symbol: nothere"), "\(missing.diagnostics)")
    }

    /// An import library's DllMain is never the entry point's DllMain: the static library's
    /// definition, searched later, is used.
    @Test func dllMainIsNotTakenFromAnImportLibrary() throws {
        let dir = try makeTemporaryDirectory("imported-dllmain")
        defer { try? FileManager.default.removeItem(at: dir) }
        guard let main = try Self.assemble("""
            .text
            .globl _DllMainCRTStartup
            _DllMainCRTStartup:
                jmp DllMain
            """, "main.obj", in: dir),
              let real = try Self.assemble("""
            .text
            .globl DllMain
            DllMain:
                movl $42, %eax
                ret
            """, "real.obj", in: dir) else { return }
        let importLibrary = dir.appendingPathComponent("other.lib").path
        try Data(try ImportLibraryWriter.write(dllName: "other.dll", machine: .amd64,
                                               entries: [ImportLibraryEntry(name: "DllMain"), ImportLibraryEntry(name: "bar")]))
            .write(to: URL(fileURLWithPath: importLibrary))
        let staticLibrary = dir.appendingPathComponent("real.lib").path
        let lib = Driver.run(arguments: ["/lib", "/out:" + staticLibrary, real], environment: [:])
        #expect(lib.exitCode == 0, "\(lib.diagnostics)")
        let dll = dir.appendingPathComponent("x.dll").path
        let result = Driver.run(arguments: ["/dll", main, importLibrary, staticLibrary, "/out:" + dll], environment: [:])
        #expect(result.exitCode == 0, "\(result.diagnostics)")
        let file = try MappedFile(path: dll)
        let image = try PEImage(view: file.view)
        #expect(image.imports.isEmpty, "DllMain was imported from other.dll: \(image.imports.map(\.name))")
    }

    /// A definition that arrives after an import of the same name resolved references is an
    /// error ("was replaced"), and so is a second definition of an `__imp_` symbol.
    @Test func importsReplacedOrDuplicatedAreErrors() throws {
        let dir = try makeTemporaryDirectory("thunk-replace")
        defer { try? FileManager.default.removeItem(at: dir) }
        guard let main = try Self.assemble("""
            .text
            .globl _DllMainCRTStartup
            _DllMainCRTStartup:
                call MessageBoxA
                call otherFunc
                ret
            """, "main.obj", in: dir),
              let other = try Self.assemble("""
            .text
            .globl otherFunc
            otherFunc:
                ret
            .globl MessageBoxA
            MessageBoxA:
                ret
            """, "other.obj", in: dir),
              let imp = try Self.assemble("""
            .data
            .globl __imp_MessageBoxA
            __imp_MessageBoxA:
                .quad 0
            """, "imp.obj", in: dir) else { return }
        let user32 = dir.appendingPathComponent("user32.lib").path
        try Data(try ImportLibraryWriter.write(dllName: "user32.dll", machine: .amd64, entries: [ImportLibraryEntry(name: "MessageBoxA")]))
            .write(to: URL(fileURLWithPath: user32))
        let otherLib = dir.appendingPathComponent("other.lib").path
        #expect(Driver.run(arguments: ["/lib", "/out:" + otherLib, other], environment: [:]).exitCode == 0)
        let dll = dir.appendingPathComponent("x.dll").path
        let replaced = Driver.run(arguments: ["/dll", main, user32, otherLib, "/out:" + dll], environment: [:])
        #expect(replaced.exitCode == 1 && replaced.diagnostics.contains("MessageBoxA was replaced"), "\(replaced.diagnostics)")
        // Control: with the static library first, its definition wins and no import is made.
        let control = Driver.run(arguments: ["/dll", main, otherLib, user32, "/out:" + dll], environment: [:])
        #expect(control.exitCode == 0, "\(control.diagnostics)")
        let duplicate = Driver.run(arguments: ["/dll", main, imp, user32, other, "/out:" + dll], environment: [:])
        #expect(duplicate.exitCode == 1 && duplicate.diagnostics.contains("duplicate symbol: __declspec(dllimport) MessageBoxA (__imp_MessageBoxA)"), "\(duplicate.diagnostics)")
    }

    /// `#pragma comment(linker, "/subsystem:windows")` and `/stack:` in .drectve set the headers
    /// unless the command line does; `/entry:` there names the entry point.
    @Test func drectveHeaderOptionsAreHonoured() throws {
        let dir = try makeTemporaryDirectory("drectve-options")
        defer { try? FileManager.default.removeItem(at: dir) }
        guard let object = try Self.assemble("""
            .section .drectve,"yn"
            .ascii "/subsystem:windows /stack:0x200000,0x2000 /heap:0x300000 /entry:start /release"
            .text
            .globl start
            start:
                ret
            """, "d.obj", in: dir) else { return }
        let exe = dir.appendingPathComponent("d.exe").path
        let result = Driver.run(arguments: [object, "/out:" + exe], environment: [:])
        #expect(result.exitCode == 0, "\(result.diagnostics)")
        guard let readobj = requireTool("llvm-readobj") else { return }
        let headers = try runProcess(readobj, ["--file-headers", exe]).stdout
        #expect(headers.contains("Subsystem: IMAGE_SUBSYSTEM_WINDOWS_GUI"), "\(headers)")
        #expect(headers.contains("SizeOfStackReserve: 2097152") && headers.contains("SizeOfStackCommit: 8192"), "\(headers)")
        #expect(headers.contains("SizeOfHeapReserve: 3145728"), "\(headers)")
        // /release in .drectve writes the checksum: the stored value is the checksum of the file.
        let file = try MappedFile(path: exe)
        let header = try PEImage(view: file.view).optionalHeader
        let bytes = file.view.toArray()
        #expect(header.checkSum != 0)
        #expect(bytes.withUnsafeBytes { peChecksum($0, skipping: header.checkSumOffset) } == header.checkSum)
        // The command line wins.
        let overridden = Driver.run(arguments: [object, "/subsystem:console", "/stack:0x100000", "/out:" + exe], environment: [:])
        #expect(overridden.exitCode == 0, "\(overridden.diagnostics)")
        let again = try runProcess(readobj, ["--file-headers", exe]).stdout
        #expect(again.contains("Subsystem: IMAGE_SUBSYSTEM_WINDOWS_CUI") && again.contains("SizeOfStackReserve: 1048576"), "\(again)")
    }

    /// An object's literal .edata is the export table; an /export: given too is not added (not to
    /// the DLL, not to its import library), with lld-link's warning.
    @Test func literalExportTableOverridesExports() throws {
        let folder = try makeTemporaryDirectory("literal-edata")
        defer { try? FileManager.default.removeItem(at: folder) }
        let object = GoldenCase.inputsFolder.appendingPathComponent("literal-edata/edata.obj").path
        let dll = folder.appendingPathComponent("l.dll").path, lib = folder.appendingPathComponent("l.lib").path
        let run = Driver.run(arguments: ["/dll", "/lldmingw", "/noentry", object, "/export:otherfunc", "/out:" + dll, "/implib:" + lib], environment: [:])
        #expect(run.exitCode == 0 && run.diagnostics.contains("warning: literal .edata sections override exports"), "\(run.diagnostics)")
        let image = try PEImage(view: try MappedFile(path: dll).view)
        #expect((image.exports?.entries ?? []).flatMap(\.names) == ["myfunc"])
        let members = FileManager.default.fileExists(atPath: lib) ? try oracleImportMembers(URL(fileURLWithPath: lib)) : [:]
        #expect(members["otherfunc"] == nil, "the import library names otherfunc, which the DLL does not export")
    }
}
