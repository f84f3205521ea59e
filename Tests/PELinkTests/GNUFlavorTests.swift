import Foundation
import Testing
import PEFormat
@testable import PELink

/// The MinGW (GNU ld) flavor of the command line: option mapping, library search, automatic
/// export and --output-def, compared with lld in MinGW mode (`ld.lld -m i386pep`).
@Suite("GNU ld flavor")
struct GNUFlavorTests {
    @Test func recognisedByProgramNameOrEmulation() {
        #expect(GNUCommandLine.applies(programName: "/usr/bin/ld.lld", arguments: []))
        #expect(GNUCommandLine.applies(programName: "x86_64-w64-mingw32-ld", arguments: []))
        #expect(GNUCommandLine.applies(programName: "pelink", arguments: ["-m", "i386pep", "a.o"]))
        #expect(!GNUCommandLine.applies(programName: "pelink", arguments: ["/dll", "a.obj"]))
        #expect(!GNUCommandLine.applies(programName: "lld-link", arguments: ["-dll", "a.obj"]))
    }

    @Test func optionsMapOntoTheLinkOptions() throws {
        var notes: [String] = []
        let options = try GNUCommandLine.parse(
            ["-m", "i386pep", "--shared", "-e", "MyEntry", "-o", "x.dll", "--out-implib=libx.dll.a", "--output-def", "x.def",
             "--image-base", "0x70000000", "--subsystem", "windows:6.1", "--stack", "0x200000,0x2000", "--heap=65536",
             "--major-image-version", "3", "--minor-image-version", "4", "--dynamicbase", "--disable-nxcompat",
             "--no-insert-timestamp", "--exclude-symbols", "a,b", "--export-all-symbols", "--kill-at",
             "--enable-auto-image-base", "--gc-sections", "-plugin", "/usr/lib/liblto_plugin.so", "-plugin-opt=-pass-through=-lgcc",
             "a.o", "exports.def"], environment: [:], notes: &notes)
        #expect(options.isDLL && options.entry == "MyEntry" && options.outputPath == "x.dll")
        #expect(options.importLibraryPath == "libx.dll.a" && options.outputDefinitionPath == "x.def")
        #expect(options.imageBase == 0x7000_0000 && options.subsystem == .windowsGUI)
        #expect(options.subsystemMajor == 6 && options.subsystemMinor == 1)
        #expect(options.stackReserve == 0x20_0000 && options.stackCommit == 0x2000 && options.heapReserve == 65536)
        #expect(options.majorImageVersion == 3 && options.minorImageVersion == 4)
        #expect(options.dynamicBase && !options.nxCompat && options.timestamp == 0)
        #expect(options.excludedSymbols == ["a", "b"] && options.exportAllSymbols && options.killAt)
        // What --kill-at does to export names: killAtStripsStdcallSuffixesFromExportNames.
        #expect(options.inputFiles == ["a.o"] && options.moduleDefinitionPath == "exports.def")
        #expect(options.machine == .amd64)
        #expect(notes.contains { $0.contains("ignoring -plugin") })
    }

    /// --kill-at drops every x86 decoration, as lld does: stdcall, fastcall and vectorcall.
    @Test func killAtDropsEachDecoration() {
        #expect(ExportBuilder.killAt("f@8") == "f")
        #expect(ExportBuilder.killAt("@fast_f@8") == "fast_f")
        #expect(ExportBuilder.killAt("vec_f@@8") == "vec_f")
        #expect(ExportBuilder.killAt("plain") == "plain")
        #expect(ExportBuilder.killAt("@") == "@")
        #expect(ExportBuilder.killAt("name@notanumber") == "name@notanumber")
    }

    /// --kill-at exports stdcall-decorated symbols without their @N suffix (the export still
    /// points at the decorated symbol); without it the decorated name is exported.
    @Test func killAtStripsStdcallSuffixesFromExportNames() throws {
        guard let clang = requireTool("clang") else { return }
        let dir = try makeTemporaryDirectory("kill-at")
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = dir.appendingPathComponent("k.c")
        try """
        int decorated(int a, int b) __asm__("decorated@8");
        int decorated(int a, int b) { return a + b; }
        int plain(void) { return 7; }
        """.write(to: source, atomically: true, encoding: .utf8)
        let object = dir.appendingPathComponent("k.o").path
        let compile = try runProcess(clang, ["--target=x86_64-w64-mingw32", "-O1", "-c", source.path, "-o", object])
        #expect(compile.exitCode == 0, "\(compile.stderr)")
        guard compile.exitCode == 0 else { return }
        func exportNames(_ extra: [String], _ name: String) throws -> [String] {
            let dll = dir.appendingPathComponent(name).path
            let result = Driver.run(arguments: ["-m", "i386pep", "--shared", "--entry=", object, "-o", dll] + extra,
                                    environment: [:], programName: "ld.lld")
            #expect(result.exitCode == 0, "\(result.diagnostics)")
            let file = try MappedFile(path: dll)
            return try PEImage(view: file.view).exports?.entries.flatMap(\.names).sorted() ?? []
        }
        #expect(try exportNames([], "plain.dll") == ["decorated@8", "plain"])
        let killed = try exportNames(["--kill-at"], "killed.dll")
        #expect(killed == ["decorated", "plain"])
    }

    @Test func helpListsOptionsAndNoOps() {
        let result = Driver.run(arguments: ["-m", "i386pep", "--help"], environment: [:])
        #expect(result.exitCode == 0)
        for option in ["--whole-archive", "--output-def", "--export-all-symbols", "--gc-sections", "--enable-auto-image-base", "-plugin"] {
            #expect(result.output.contains(option), "--help does not mention \(option)")
        }
    }

    @Test func unknownOptionsAreErrors() {
        let result = Driver.run(arguments: ["-m", "i386pep", "--frobnicate", "a.o"], environment: [:])
        #expect(result.exitCode == 1 && result.diagnostics.contains("unknown option: --frobnicate"))
    }

    @Test func libraryLookupFollowsGNULd() throws {
        let dir = try makeTemporaryDirectory("gnu-l")
        for file in ["libdyn.dll.a", "libdyn.a", "libstat.a", "plain.lib", "other.dll.a"] {
            _ = FileManager.default.createFile(atPath: dir.appendingPathComponent(file).path, contents: Data("x".utf8))
        }
        let folders = ["/nonexistent", dir.path]
        #expect(GNUCommandLine.findGNULibrary("dyn", in: folders, isStatic: false) == dir.path + "/libdyn.dll.a")
        #expect(GNUCommandLine.findGNULibrary("dyn", in: folders, isStatic: true) == dir.path + "/libdyn.a")
        #expect(GNUCommandLine.findGNULibrary("stat", in: folders, isStatic: false) == dir.path + "/libstat.a")
        #expect(GNUCommandLine.findGNULibrary("plain", in: folders, isStatic: false) == dir.path + "/plain.lib")
        #expect(GNUCommandLine.findGNULibrary("other", in: folders, isStatic: false) == dir.path + "/other.dll.a")
        #expect(GNUCommandLine.findGNULibrary(":plain.lib", in: folders, isStatic: true) == dir.path + "/plain.lib")
        #expect(GNUCommandLine.findGNULibrary("missing", in: folders, isStatic: false) == nil)
        let result = Driver.run(arguments: ["-m", "i386pep", "--shared", "-L", dir.path, "-lmissing", "a.o"], environment: [:])
        #expect(result.exitCode == 1 && result.diagnostics.contains("unable to find library -lmissing"))
    }

    /// --whole-archive loads every member, even those nothing refers to.
    @Test func wholeArchiveLoadsEveryMember() throws {
        guard let lld = requireTool("ld.lld") else { return }
        let caseDir = repositoryRoot.appendingPathComponent("Inputs/static-lib-lazy")
        let out = try makeTemporaryDirectory("gnu-whole")
        defer { try? FileManager.default.removeItem(at: out) }
        let library = caseDir.appendingPathComponent("libhelpers.lib").path
        let object = caseDir.appendingPathComponent("main.obj").path
        func arguments(_ dll: String) -> [String] {
            ["-m", "i386pep", "--shared", "-e", "", "-o", dll, object, "--whole-archive", library, "--no-whole-archive"]
        }
        let ours = Driver.run(arguments: arguments(out.path + "/p.dll"), environment: [:])
        #expect(ours.exitCode == 0, "\(ours.diagnostics)")
        let theirs = try runProcess(lld, arguments(out.path + "/l.dll"))
        #expect(theirs.exitCode == 0, "\(theirs.stderr)")
        guard ours.exitCode == 0, theirs.exitCode == 0 else { return }
        func names(_ path: String) throws -> [String] {
            try PEImage(view: try MappedFile(path: path).view).exports?.entries.flatMap(\.names) ?? []
        }
        let mine = try names(out.path + "/p.dll")
        #expect(mine == (try names(out.path + "/l.dll")))
        let lazy = Driver.run(arguments: ["-m", "i386pep", "--shared", "-e", "", "-o", out.path + "/lazy.dll", object, library], environment: [:])
        #expect(lazy.exitCode == 0)
        #expect(try names(out.path + "/lazy.dll").count < mine.count, "--whole-archive pulled no extra member")
    }

    /// Cases whose inputs are plain objects and libraries: linked by ld.lld and by pelink with the
    /// same GNU command line, the exports and the --output-def text must be equal.
    static let comparedCases = ["def-basic", "dllexport-only", "base-relocs", "function-sections", "comdat-any",
                                "static-lib-lazy", "common-symbols", "export-sort-case", "unwind-pdata", "bigobj"]

    @Test("exports and --output-def equal ld.lld's", arguments: comparedCases)
    func matchesLLDInMinGWMode(_ name: String) throws {
        guard let lld = requireTool("ld.lld") else { return }
        let caseDir = repositoryRoot.appendingPathComponent("Inputs/\(name)")
        let inputs = try String(contentsOf: caseDir.appendingPathComponent("ARGS"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
            .filter { !$0.hasPrefix("/") && !$0.hasPrefix("#") && !$0.isEmpty && !$0.hasSuffix(".def") }
            .map { caseDir.appendingPathComponent($0).path }
        #expect(!inputs.isEmpty)
        let out = try makeTemporaryDirectory("gnu-\(name)")
        defer { try? FileManager.default.removeItem(at: out) }
        func arguments(_ tag: String) -> [String] {
            ["-m", "i386pep", "--shared", "-e", "", "-o", "\(out.path)/\(tag)/\(name).dll",
             "--output-def", "\(out.path)/\(tag)/\(name).def", "--out-implib", "\(out.path)/\(tag)/lib\(name).dll.a"] + inputs
        }
        for tag in ["pelink", "lld"] {
            try FileManager.default.createDirectory(atPath: "\(out.path)/\(tag)", withIntermediateDirectories: true)
        }
        let ours = Driver.run(arguments: arguments("pelink"), environment: [:])
        #expect(ours.exitCode == 0, "\(ours.diagnostics)")
        let theirs = try runProcess(lld, arguments("lld"))
        #expect(theirs.exitCode == 0, "\(theirs.stderr)")
        guard ours.exitCode == 0, theirs.exitCode == 0 else { return }
        let ourDef = try String(contentsOfFile: "\(out.path)/pelink/\(name).def", encoding: .utf8)
        let theirDef = try String(contentsOfFile: "\(out.path)/lld/\(name).def", encoding: .utf8)
        #expect(ourDef == theirDef)
        func exports(_ tag: String) throws -> [String] {
            let image = try PEImage(view: try MappedFile(path: "\(out.path)/\(tag)/\(name).dll").view)
            return (image.exports?.entries ?? []).map { "\($0.ordinal) \($0.names.joined(separator: ",")) \($0.forwarder ?? "")" }
        }
        #expect(try exports("pelink") == exports("lld"))
    }
}
