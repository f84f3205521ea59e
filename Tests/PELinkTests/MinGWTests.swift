import Foundation
import Testing
import PEFormat

/// clang's MinGW driver with pelink as its `ld.lld` (`-fuse-ld=lld -B<dir>`): a DLL and an EXE
/// built against mingw-w64's CRT, GNU import libraries and static libraries, run under Wine.
@Suite("MinGW: clang -fuse-ld=lld with pelink as ld.lld", .serialized)
struct MinGWTests {
    /// The pelink executable next to this test bundle (the test target depends on it).
    static var pelinkExecutable: String? {
        let bundleFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundleFolder, bundleFolder.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("pelink").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// A folder holding `ld.lld` → pelink, for clang's -B.
    static func linkerFolder(_ base: URL) throws -> String? {
        guard let pelink = pelinkExecutable else {
            Issue.record("the pelink executable was not found beside \(CommandLine.arguments[0])")
            return nil
        }
        let folder = base.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("ld.lld").path, withDestinationPath: pelink)
        return folder.path
    }

    static let sources = repositoryRoot.appendingPathComponent("Tests/WineCases/mingw")

    struct Tools {
        var clang: String
        var wine: String
    }

    static func tools() -> Tools? {
        // The 64-bit loader, as in requireWineTools.
        guard let clang = requireTool("clang"), let wine = findTool("wine64") ?? requireTool("wine"),
              requireTool("x86_64-w64-mingw32-gcc") != nil else { return nil }
        if !FileManager.default.fileExists(atPath: "/usr/x86_64-w64-mingw32/lib/libmingw32.a") {
            if oraclesRequired { Issue.record("mingw-w64 runtime (package mingw-w64) is missing") }
            return nil
        }
        return Tools(clang: clang, wine: wine)
    }

    /// Runs clang for the MinGW target with pelink as its linker; returns clang's messages on failure.
    static func clangLink(_ tools: Tools, bin: String, in folder: URL, _ arguments: [String]) throws -> String? {
        let run = try runProcess(tools.clang, ["--target=x86_64-w64-mingw32", "-fuse-ld=lld", "-B", bin] + arguments,
                                 currentDirectory: folder.path)
        return run.exitCode == 0 ? nil : "clang " + arguments.joined(separator: " ") + " failed:\n" + run.stderr + run.stdout
    }

    /// `nativeDLL`: a DLL Wine also has as a builtin (zlib1); the one beside the program must win.
    static func runUnderWine(_ tools: Tools, _ exe: String, in folder: URL, nativeDLL: String? = nil) throws -> ProcessResult {
        var environment = wineEnvironment
        environment["WINEPATH"] = folder.path
        if let nativeDLL { environment["WINEDLLOVERRIDES", default: ""] += ";\(nativeDLL)=n" }
        let (result, timedOut) = try runWithTimeout(tools.wine, [exe], environment: environment,
                                                    currentDirectory: folder.path, timeout: 180)
        #expect(!timedOut, "\(exe) timed out under Wine")
        return result
    }

    @Test("DLL with stdio, malloc, a constructor and TLS, and an EXE using it, both linked by pelink")
    func dllAndExeRunUnderWine() throws {
        guard let tools = Self.tools() else { return }
        let folder = try makeTemporaryDirectory("mingw")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard let bin = try Self.linkerFolder(folder) else { return }
        if let failure = try Self.clangLink(tools, bin: bin, in: folder, [
            "-shared", "-O1", Self.sources.appendingPathComponent("lib.c").path, "-o", "mg.dll", "-Wl,--out-implib,libmg.dll.a"]) {
            Issue.record(Comment(rawValue: failure)); return
        }
        if let failure = try Self.clangLink(tools, bin: bin, in: folder, [
            "-O1", Self.sources.appendingPathComponent("app.c").path, "-o", "app.exe", "-L.", "-lmg"]) {
            Issue.record(Comment(rawValue: failure)); return
        }
        // Both images come from pelink (no timestamp) and load at any base.
        for image in ["mg.dll", "app.exe"] {
            let pe = try PEImage(view: try MappedFile(path: folder.appendingPathComponent(image).path).view)
            #expect(pe.fileHeader.timeDateStamp == 0, "\(image) was not written by pelink")
            #expect(!pe.baseRelocations.isEmpty, "\(image) has no base relocations")
        }
        if let error = prepareWinePrefix(tools: WineTools(clang: tools.clang, gcc: "", wine: tools.wine, externalLinker: nil)) {
            Issue.record(Comment(rawValue: error)); return
        }
        let run = try Self.runUnderWine(tools, "app.exe", in: folder)
        #expect(run.exitCode == 0, "app.exe failed: \(run.stdout)\(run.stderr)")
        #expect(run.stdout.split(whereSeparator: \.isNewline).map(String.init) == ["counter=42 format=value=7 calls=2 tls=6"])
    }

    @Test("--export-all-symbols exports every global, --output-def lists them, the DLL works, also through auto-import")
    func exportAllSymbols() throws {
        guard let tools = Self.tools() else { return }
        let folder = try makeTemporaryDirectory("mingw-auto")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard let bin = try Self.linkerFolder(folder) else { return }
        if let failure = try Self.clangLink(tools, bin: bin, in: folder, [
            "-shared", "-O1", Self.sources.appendingPathComponent("auto.c").path, "-o", "auto.dll",
            "-Wl,--export-all-symbols", "-Wl,--output-def,auto.def", "-Wl,--out-implib,libauto.dll.a"]) {
            Issue.record(Comment(rawValue: failure)); return
        }
        let def = try String(contentsOf: folder.appendingPathComponent("auto.def"), encoding: .utf8)
        #expect(def == "EXPORTS\n    auto_name @1 DATA\n    auto_twice @2\n    auto_use_hidden @3\n    auto_value @4 DATA\n",
                "unexpected --output-def:\n\(def)")
        if let failure = try Self.clangLink(tools, bin: bin, in: folder, [
            "-O1", Self.sources.appendingPathComponent("autoapp.c").path, "-o", "autoapp.exe", "-L.", "-lauto"]) {
            Issue.record(Comment(rawValue: failure)); return
        }
        if let error = prepareWinePrefix(tools: WineTools(clang: tools.clang, gcc: "", wine: tools.wine, externalLinker: nil)) {
            Issue.record(Comment(rawValue: error)); return
        }
        let run = try Self.runUnderWine(tools, "autoapp.exe", in: folder)
        #expect(run.exitCode == 0, "autoapp.exe failed: \(run.stdout)\(run.stderr)")
        #expect(run.stdout.split(whereSeparator: \.isNewline).map(String.init) == ["twice=42 hidden=11 name=auto"])
        // Auto-import: the same data without dllimport, through runtime pseudo-relocations.
        if let failure = try Self.clangLink(tools, bin: bin, in: folder, [
            "-O1", Self.sources.appendingPathComponent("autoimport_app.c").path, "-o", "autoimport.exe", "-L.", "-lauto"]) {
            Issue.record(Comment(rawValue: failure)); return
        }
        let auto = try Self.runUnderWine(tools, "autoimport.exe", in: folder)
        #expect(auto.exitCode == 0, "autoimport.exe failed: \(auto.stdout)\(auto.stderr)")
        #expect(auto.stdout.split(whereSeparator: \.isNewline).map(String.init) == ["twice=42 value=10 name=auto"])
    }

    static func exportNames(_ path: String) throws -> [String] {
        try PEImage(view: try MappedFile(path: path).view).exports?.entries.flatMap(\.names).sorted() ?? []
    }

    /// Links `program` against the import library pelink wrote, with GNU ld (mingw gcc) and with
    /// lld (clang's MinGW driver, its own ld.lld), and runs both under Wine.
    static func checkConsumers(_ tools: Tools, in folder: URL, program: String, library: String,
                               extra: [String] = [], nativeDLL: String? = nil, expected: [String]) throws {
        guard let gcc = requireTool("x86_64-w64-mingw32-gcc") else { return }
        let source = sources.appendingPathComponent(program).path
        let gnu = try runProcess(gcc, [source, "-o", "gnu.exe", "-L.", "-l\(library)"] + extra, currentDirectory: folder.path)
        #expect(gnu.exitCode == 0, "GNU ld could not link against pelink's import library:\n\(gnu.stderr)")
        let lld = try runProcess(tools.clang, ["--target=x86_64-w64-mingw32", "-fuse-ld=lld", source, "-o", "lld.exe", "-L.", "-l\(library)"] + extra,
                                 currentDirectory: folder.path)
        #expect(lld.exitCode == 0, "lld could not link against pelink's import library:\n\(lld.stderr)")
        guard gnu.exitCode == 0, lld.exitCode == 0 else { return }
        if let error = prepareWinePrefix(tools: WineTools(clang: tools.clang, gcc: gcc, wine: tools.wine, externalLinker: nil)) {
            Issue.record(Comment(rawValue: error)); return
        }
        for exe in ["gnu.exe", "lld.exe"] {
            let run = try runUnderWine(tools, exe, in: folder, nativeDLL: nativeDLL)
            #expect(run.exitCode == 0, "\(exe) failed: \(run.stdout)\(run.stderr)")
            #expect(run.stdout.split(whereSeparator: \.isNewline).map(String.init) == expected, "\(exe) printed:\n\(run.stdout)")
        }
    }

    @Test("zlib1.dll from Debian's libz.a: the shipped DLL's export names, and it works")
    func zlib() throws {
        guard let tools = Self.tools() else { return }
        let libz = "/usr/x86_64-w64-mingw32/lib/libz.a", shipped = "/usr/x86_64-w64-mingw32/lib/zlib1.dll"
        guard FileManager.default.fileExists(atPath: libz), FileManager.default.fileExists(atPath: shipped) else {
            if oraclesRequired { Issue.record("libz-mingw-w64-dev is not installed") }
            return
        }
        let folder = try makeTemporaryDirectory("mingw-zlib")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard let bin = try Self.linkerFolder(folder) else { return }
        // The exports are the shipped DLL's, written as a .def (zlib's own win32/zlib.def is not shipped).
        let names = try Self.exportNames(shipped)
        #expect(names.count > 80)
        try ("LIBRARY zlib1.dll\nEXPORTS\n" + names.map { "    \($0)\n" }.joined())
            .write(to: folder.appendingPathComponent("zlib.def"), atomically: true, encoding: .utf8)
        if let failure = try Self.clangLink(tools, bin: bin, in: folder, [
            "-shared", "-o", "zlib1.dll", "-Wl,--whole-archive", libz, "-Wl,--no-whole-archive", "zlib.def",
            "-Wl,--out-implib,libzlib1.dll.a"]) {
            Issue.record(Comment(rawValue: failure)); return
        }
        #expect(try Self.exportNames(folder.appendingPathComponent("zlib1.dll").path) == names)
        try Self.checkConsumers(tools, in: folder, program: "zlib_check.c", library: "zlib1", nativeDLL: "zlib1", expected: [
            "module=loaded stamp=0",
            "compress=0 uncompress=0 same=1 smaller=1",
            "crc32=414fa339 adler32=11e60398",
        ])
    }

    @Test("libgcrypt from Debian's static libraries and libgcrypt.def: the shipped DLL's exports, and known answers")
    func libgcrypt() throws {
        guard let tools = Self.tools() else { return }
        let lib = "/usr/x86_64-w64-mingw32/lib"
        let shipped = "/usr/x86_64-w64-mingw32/bin/libgcrypt-20.dll"
        guard FileManager.default.fileExists(atPath: lib + "/libgcrypt.a"), FileManager.default.fileExists(atPath: lib + "/libgpg-error.a"),
              FileManager.default.fileExists(atPath: shipped) else {
            if oraclesRequired { Issue.record("libgcrypt-mingw-w64-dev / libgpg-error-mingw-w64-dev are not installed") }
            return
        }
        let folder = try makeTemporaryDirectory("mingw-gcrypt")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard let bin = try Self.linkerFolder(folder) else { return }
        if let failure = try Self.clangLink(tools, bin: bin, in: folder, [
            "-shared", "-o", "libgcrypt-20.dll", "-Wl,--whole-archive", lib + "/libgcrypt.a", "-Wl,--no-whole-archive",
            lib + "/libgpg-error.a", lib + "/libgcrypt.def", "-Wl,--out-implib,libgcrypt.dll.a", "-lws2_32"]) {
            Issue.record(Comment(rawValue: failure)); return
        }
        #expect(try Self.exportNames(folder.appendingPathComponent("libgcrypt-20.dll").path) == Self.exportNames(shipped))
        try Self.checkConsumers(tools, in: folder, program: "gcrypt_kat.c", library: "gcrypt", expected: [
            "sha256(abc)=ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "aes128=69c4e0d86a7b0430d8cdb78070b4c55a rc=0",
        ])
    }
}
