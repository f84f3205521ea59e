import Foundation
import Testing
import PEFormat

/// clang's MinGW driver with the linker under test as its `ld.lld` (`-fuse-ld=lld -B<dir>`, which
/// passes `-m i386pep` or `-m i386pe`): DLLs and EXEs built against mingw-w64's CRT, GNU import
/// libraries and static libraries, for x64 and i386, run under Wine. Sources: Tests/WineCases/mingw/.
@Suite("MinGW: clang -fuse-ld=lld with the linker under test as ld.lld", .serialized)
struct MinGWTests {
    static let sources = repositoryRoot.appendingPathComponent("Tests/WineCases/mingw")

    static func source(_ name: String) -> String { sources.appendingPathComponent(name).path }

    static func exportNames(_ path: String) throws -> [String] {
        try PEImage(view: try MappedFile(path: path).view).exports?.entries.flatMap(\.names).sorted() ?? []
    }

    @Test("A DLL (stdio, malloc, a constructor, TLS, stdcall and fastcall exports) and an EXE using it, also by auto-import, both linked by the linker under test",
          arguments: WineMachine.allCases)
    func dllAndExeRunUnderWine(_ machine: WineMachine) throws {
        guard let tools = requireWineTools(machine) else { return }
        let folder = try makeTemporaryDirectory("mingw-\(machine.rawValue)")
        defer { removeBuildFolder(folder) }
        guard let bin = try tools.gnuLinkerFolder(folder) else { return }
        if let failure = try tools.clangLink(bin: bin, in: folder, [
            "-shared", "-O1", Self.source("lib.c"), "-o", "mg.dll", "-Wl,--out-implib,libmg.dll.a"]) {
            Issue.record(Comment(rawValue: failure)); return
        }
        if let failure = try tools.clangLink(bin: bin, in: folder, ["-O1", Self.source("app.c"), "-o", "app.exe", "-L.", "-lmg"]) {
            Issue.record(Comment(rawValue: failure)); return
        }
        // Both images come from the linker under test and load at any base.
        for image in ["mg.dll", "app.exe"] {
            let file = folder.appendingPathComponent(image)
            try tools.checkImage(file)
            #expect(!(try PEImage(view: try MappedFile(path: file.path).view)).baseRelocations.isEmpty, "\(image) has no base relocations")
        }
        // MinGW names: on i386 the underscore goes, the stdcall and fastcall decoration stays.
        let names = try Self.exportNames(folder.appendingPathComponent("mg.dll").path)
        let (stdcall, fastcall) = machine == .x86 ? ("mg_stdcall@8", "@mg_fastcall@8") : ("mg_stdcall", "mg_fastcall")
        #expect(names == [stdcall, fastcall, "mg_count_call", "mg_format", "mg_get_counter", "mg_name", "mg_read_value", "mg_value"].sorted(),
                "mg.dll exports \(names)")
        try tools.runAndCheck("app.exe", in: folder, expected: [
            "counter=42 format=value=7 calls=2 tls=6",
            "stdcall=42 fastcall=5006 names=1",
            "auto-import value=10 after-write=11 name=mg",
        ], what: "MinGW DLL and EXE")
    }

    @Test("--export-all-symbols exports every global, --output-def lists them, the DLL works, also through auto-import")
    func exportAllSymbols() throws {
        guard let tools = requireWineTools(.x64) else { return }
        let folder = try makeTemporaryDirectory("mingw-auto")
        defer { removeBuildFolder(folder) }
        guard let bin = try tools.gnuLinkerFolder(folder) else { return }
        if let failure = try tools.clangLink(bin: bin, in: folder, [
            "-shared", "-O1", Self.source("auto.c"), "-o", "auto.dll",
            "-Wl,--export-all-symbols", "-Wl,--output-def,auto.def", "-Wl,--out-implib,libauto.dll.a"]) {
            Issue.record(Comment(rawValue: failure)); return
        }
        let def = try String(contentsOf: folder.appendingPathComponent("auto.def"), encoding: .utf8)
        #expect(def == "EXPORTS\n    auto_name @1 DATA\n    auto_twice @2\n    auto_use_hidden @3\n    auto_value @4 DATA\n",
                "unexpected --output-def:\n\(def)")
        if let failure = try tools.clangLink(bin: bin, in: folder, ["-O1", Self.source("autoapp.c"), "-o", "autoapp.exe", "-L.", "-lauto"]) {
            Issue.record(Comment(rawValue: failure)); return
        }
        try tools.runAndCheck("autoapp.exe", in: folder, expected: ["twice=42 hidden=11 name=auto"], what: "--export-all-symbols DLL")
        // Auto-import: the same data without dllimport, through runtime pseudo-relocations.
        if let failure = try tools.clangLink(bin: bin, in: folder, [
            "-O1", Self.source("autoimport_app.c"), "-o", "autoimport.exe", "-L.", "-lauto"]) {
            Issue.record(Comment(rawValue: failure)); return
        }
        try tools.runAndCheck("autoimport.exe", in: folder, expected: ["twice=42 value=10 name=auto"], what: "--export-all-symbols DLL by auto-import")
    }

    /// Links `program` against the import library `library` the linker under test wrote in
    /// `folder`, with GNU ld (mingw gcc) and with lld (clang's MinGW driver, its own ld.lld), and
    /// runs both under Wine.
    static func checkConsumers(_ tools: WineTools, in folder: URL, program: String, library: String,
                               nativeDLL: String? = nil, expected: [String]) throws {
        let gnu = try runProcess(tools.gcc, [source(program), "-o", "gnu.exe", "-L.", "-l\(library)"], currentDirectory: folder.path)
        #expect(gnu.exitCode == 0, "GNU ld (\(tools.machine.mingwTriple)-gcc) could not link against the import library:\n\(gnu.stderr)")
        let lld = try runProcess(tools.clang, ["--target=" + tools.machine.mingwTriple, "-fuse-ld=lld", source(program),
                                               "-o", "lld.exe", "-L.", "-l\(library)"], currentDirectory: folder.path)
        #expect(lld.exitCode == 0, "lld (clang's MinGW driver) could not link against the import library:\n\(lld.stderr)")
        for (exe, linked) in [("gnu.exe", gnu.exitCode == 0), ("lld.exe", lld.exitCode == 0)] where linked {
            try tools.runAndCheck(exe, in: folder, nativeDLL: nativeDLL, expected: expected, what: "\(program) linked by \(exe.dropLast(4))")
        }
    }

    /// For a -shared C link clang's driver names libgcc_s, and i686's crtbegin.o registers its
    /// DWARF frames through it, which would make the DLL import libgcc_s_dw2-1.dll; the shipped
    /// DLLs (linked by gcc) use the static libgcc.
    static func libgccFlags(_ machine: WineMachine) -> [String] { machine == .x86 ? ["-static-libgcc"] : [] }

    @Test("--gc-sections --icf=all on a clang -ffunction-sections -fdata-sections DLL: the loaded sections are ld.lld's size, smaller than without, and the DLL works",
          arguments: WineMachine.allCases)
    func gcSectionsAndFoldingMatchLLD(_ machine: WineMachine) throws {
        guard let tools = requireWineTools(machine), let lld = requireTool("ld.lld") else { return }
        let folder = try makeTemporaryDirectory("mingw-gc-\(machine.rawValue)")
        defer { removeBuildFolder(folder) }
        guard let bin = try tools.gnuLinkerFolder(folder) else { return }
        // ld.lld's DLL has the same name (the export directory holds it), in a folder of its own.
        let reference = folder.appendingPathComponent("reference")
        try FileManager.default.createDirectory(at: reference, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: reference.appendingPathComponent("ld.lld").path, withDestinationPath: lld)
        let compile = ["-shared", "-O1", "-ffunction-sections", "-fdata-sections", Self.source("gc_lib.c")] + Self.libgccFlags(machine)
        let reduce = ["-Wl,--gc-sections", "-Wl,--icf=all"]
        for (linker, output, flags) in [(bin, "gc.dll", reduce + ["-Wl,--out-implib,libgc.dll.a"]), (bin, "full.dll", []),
                                        (reference.path, "reference/gc.dll", reduce)] {
            if let failure = try tools.clangLink(bin: linker, in: folder, compile + ["-o", output] + flags) {
                Issue.record(Comment(rawValue: failure)); return
            }
        }
        func loadedSizes(_ name: String) throws -> [String: UInt32] {
            let image = try PEImage(view: try MappedFile(path: folder.appendingPathComponent(name).path).view)
            var sizes: [String: UInt32] = [:]
            for section in image.sections where section.name.hasPrefix(".") && !section.name.hasPrefix(".debug") { sizes[section.name] = section.loadedSize }
            return sizes
        }
        let ours = try loadedSizes("gc.dll"), theirs = try loadedSizes("reference/gc.dll"), full = try loadedSizes("full.dll")
        #expect(ours == theirs, "loaded section sizes with --gc-sections --icf=all: pelink \(ours), ld.lld \(theirs)")
        // unused_table (256 bytes of .rdata) and unused_function go; twice_b folds into twice_a.
        #expect((ours[".rdata"] ?? 0) + 256 <= (full[".rdata"] ?? 0), ".rdata: \(ours[".rdata"] ?? 0) bytes with --gc-sections, \(full[".rdata"] ?? 0) without")
        #expect((ours[".text"] ?? 0) < (full[".text"] ?? 0), ".text: \(ours[".text"] ?? 0) bytes with --gc-sections --icf=all, \(full[".text"] ?? 0) without")
        #expect(try Self.exportNames(folder.appendingPathComponent("gc.dll").path) == ["gc_format", "gc_same", "gc_value"])
        try tools.checkImage(folder.appendingPathComponent("gc.dll"))
        if let failure = try tools.clangLink(bin: bin, in: folder, ["-O1", Self.source("gc_app.c"), "-o", "gc_app.exe", "-L.", "-lgc"]) {
            Issue.record(Comment(rawValue: failure)); return
        }
        try tools.runAndCheck("gc_app.exe", in: folder, expected: ["gc value=63 same=1 value=54"], what: "DLL linked with --gc-sections --icf=all")
    }

    /// Linker flags of the second run of the real-library tests: dead stripping and folding, which
    /// must not change what the library does.
    static func reductionFlags(_ reduced: Bool) -> [String] { reduced ? ["-Wl,--gc-sections", "-Wl,--icf=all"] : [] }

    @Test("zlib1.dll from Debian's libz.a: the shipped DLL's export names, and it works (also with --gc-sections --icf=all)",
          arguments: WineMachine.allCases, [false, true])
    func zlib(_ machine: WineMachine, reduced: Bool) throws {
        guard let tools = requireWineTools(machine) else { return }
        let libz = machine.mingwRoot + "/lib/libz.a", shipped = machine.mingwRoot + "/lib/zlib1.dll"
        guard FileManager.default.fileExists(atPath: libz), FileManager.default.fileExists(atPath: shipped) else {
            if oraclesRequired { Issue.record("libz-mingw-w64-dev / libz-mingw-w64 (\(machine.mingwTriple)) is not installed") }
            return
        }
        let folder = try makeTemporaryDirectory("mingw-zlib-\(machine.rawValue)\(reduced ? "-reduced" : "")")
        defer { removeBuildFolder(folder) }
        guard let bin = try tools.gnuLinkerFolder(folder) else { return }
        // The exports are the shipped DLL's, written as a .def (zlib's own win32/zlib.def is not shipped).
        let names = try Self.exportNames(shipped)
        #expect(names.count > 80, "the shipped zlib1.dll exports \(names.count) names")
        try ("LIBRARY zlib1.dll\nEXPORTS\n" + names.map { "    \($0)\n" }.joined())
            .write(to: folder.appendingPathComponent("zlib.def"), atomically: true, encoding: .utf8)
        if let failure = try tools.clangLink(bin: bin, in: folder, ["-shared"] + Self.libgccFlags(machine) + Self.reductionFlags(reduced) + [
            "-o", "zlib1.dll", "-Wl,--whole-archive", libz, "-Wl,--no-whole-archive", "zlib.def", "-Wl,--out-implib,libzlib1.dll.a"]) {
            Issue.record(Comment(rawValue: failure)); return
        }
        let linked = try Self.exportNames(folder.appendingPathComponent("zlib1.dll").path)
        #expect(linked == names, "zlib1.dll exports differ from the shipped DLL's:\n\(describeDifference(got: linked, expected: names))")
        try tools.checkImage(folder.appendingPathComponent("zlib1.dll"))
        try Self.checkConsumers(tools, in: folder, program: "zlib_check.c", library: "zlib1", nativeDLL: "zlib1", expected: [
            "module=loaded stamp=0",
            "compress=0 uncompress=0 same=1 smaller=1",
            "crc32=414fa339 adler32=11e60398",
        ])
    }

    @Test("libgcrypt from Debian's static libraries and libgcrypt.def: the shipped DLL's exports, and known answers (also with --gc-sections --icf=all)",
          arguments: WineMachine.allCases, [false, true])
    func libgcrypt(_ machine: WineMachine, reduced: Bool) throws {
        guard let tools = requireWineTools(machine) else { return }
        let lib = machine.mingwRoot + "/lib"
        let shipped = machine.mingwRoot + "/bin/libgcrypt-20.dll"
        guard FileManager.default.fileExists(atPath: lib + "/libgcrypt.a"), FileManager.default.fileExists(atPath: lib + "/libgpg-error.a"),
              FileManager.default.fileExists(atPath: shipped) else {
            if oraclesRequired { Issue.record("libgcrypt-mingw-w64-dev / libgpg-error-mingw-w64-dev (\(machine.mingwTriple)) are not installed") }
            return
        }
        let folder = try makeTemporaryDirectory("mingw-gcrypt-\(machine.rawValue)\(reduced ? "-reduced" : "")")
        defer { removeBuildFolder(folder) }
        guard let bin = try tools.gnuLinkerFolder(folder) else { return }
        if let failure = try tools.clangLink(bin: bin, in: folder, ["-shared"] + Self.libgccFlags(machine) + Self.reductionFlags(reduced) + [
            "-o", "libgcrypt-20.dll", "-Wl,--whole-archive", lib + "/libgcrypt.a", "-Wl,--no-whole-archive",
            lib + "/libgpg-error.a", lib + "/libgcrypt.def", "-Wl,--out-implib,libgcrypt.dll.a", "-lws2_32"]) {
            Issue.record(Comment(rawValue: failure)); return
        }
        let linked = try Self.exportNames(folder.appendingPathComponent("libgcrypt-20.dll").path)
        let names = try Self.exportNames(shipped)
        #expect(linked == names, "libgcrypt-20.dll exports differ from the shipped DLL's:\n\(describeDifference(got: linked, expected: names))")
        try tools.checkImage(folder.appendingPathComponent("libgcrypt-20.dll"))
        try Self.checkConsumers(tools, in: folder, program: "gcrypt_kat.c", library: "gcrypt", expected: [
            "sha256(abc)=ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "aes128=69c4e0d86a7b0430d8cdb78070b4c55a rc=0",
        ])
    }
}
