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
        guard let clang = requireTool("clang"), let wine = requireTool("wine"),
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

    static func runUnderWine(_ tools: Tools, _ exe: String, in folder: URL) throws -> ProcessResult {
        var environment = wineEnvironment
        environment["WINEPATH"] = folder.path
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

    @Test("--export-all-symbols exports every global, --output-def lists them, and the DLL works")
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
    }
}
