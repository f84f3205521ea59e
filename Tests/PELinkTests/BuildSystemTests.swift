import Foundation
import Testing
import PEFormat
@testable import PELink

/// What build systems and compilers hand the linker besides objects: link.exe's environment
/// variables, and EXEs whose subsystem and entry point come from their main function.
@Suite("Build-system inputs")
struct BuildSystemTests {
    static func compile(_ source: String, name: String, target: String = "x86_64-pc-windows-msvc", in folder: URL) throws -> String? {
        guard let clang = requireTool("clang") else { return nil }
        return try MachineTests.compile(clang, target: target, source, in: folder, name: name)
    }

    /// LINK adds options before the command line, _LINK_ after it (link.exe's rule); the
    /// librarian and /lldignoreenv leave them out.
    @Test func linkEnvironmentVariablesAddOptions() throws {
        let folder = try makeTemporaryDirectory("link-env")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard let object = try Self.compile("int f(void) { return 1; }\nint g(void) { return 2; }", name: "e", in: folder) else { return }
        let dll = folder.appendingPathComponent("e.dll")
        let run = Driver.run(arguments: [object, "/out:" + dll.path], environment: ["LINK": "/dll /noentry", "_LINK_": "/export:g"])
        #expect(run.exitCode == 0, "\(run.diagnostics)")
        let image = try PEImage(view: try MappedFile(path: dll.path).view)
        #expect(MachineTests.exportNames(image) == ["g"])
        #expect(image.fileHeader.characteristics & FileCharacteristics.dll != 0)
        let ignored = Driver.run(arguments: ["/lldignoreenv", object, "/out:" + folder.appendingPathComponent("x.dll").path],
                                 environment: ["LINK": "/dll /noentry"])
        // Without the variable's /dll this is an EXE with no main function: an error.
        #expect(ignored.exitCode != 0)
        let unclosed = Driver.run(arguments: [object], environment: ["LINK": "/out:\"x.dll"])
        #expect(unclosed.exitCode != 0 && unclosed.diagnostics.contains("LINK environment variable"), "\(unclosed.diagnostics)")
    }

    /// An EXE without /entry and /subsystem: `main` gives a console program entered at
    /// mainCRTStartup, `wWinMain` a GUI one entered at wWinMainCRTStartup; neither is an error.
    @Test("EXE subsystem and entry point from its main function", arguments: [
        ("main", "mainCRTStartup", Subsystem.windowsCUI),
        ("wmain", "wmainCRTStartup", Subsystem.windowsCUI),
        ("WinMain", "WinMainCRTStartup", Subsystem.windowsGUI),
        ("wWinMain", "wWinMainCRTStartup", Subsystem.windowsGUI),
    ])
    func entryAndSubsystemInferred(_ mainFunction: String, _ startup: String, _ subsystem: Subsystem) throws {
        let folder = try makeTemporaryDirectory("entry-\(mainFunction)")
        defer { try? FileManager.default.removeItem(at: folder) }
        // The CRT's four startup functions, each calling its main function (only one exists).
        let source = """
            int \(mainFunction)(void) { return 7; }
            int mainCRTStartup(void) { return 1; }
            int wmainCRTStartup(void) { return 2; }
            int WinMainCRTStartup(void) { return 3; }
            int wWinMainCRTStartup(void) { return 4; }
            """
        guard let object = try Self.compile(source, name: "m", in: folder) else { return }
        let exe = folder.appendingPathComponent("m.exe"), map = folder.appendingPathComponent("m.map")
        let run = Driver.run(arguments: ["/verbose", object, "/out:" + exe.path, "/map:" + map.path], environment: [:])
        #expect(run.exitCode == 0, "\(run.diagnostics)")
        guard run.exitCode == 0 else { return }
        #expect(run.diagnostics.contains("Entry name inferred: \(startup)"), "\(run.diagnostics)")
        let image = try PEImage(view: try MappedFile(path: exe.path).view)
        #expect(image.optionalHeader.subsystem == subsystem.rawValue)
        // The entry point is the startup function's address, as the map lists it.
        let mapText = try String(contentsOf: map, encoding: .utf8)
        let line = mapText.split(separator: "\n").first { $0.split(separator: " ").dropFirst().first == Substring(startup) }
        let address = line.flatMap { $0.split(separator: " ").dropFirst(2).first }.flatMap { UInt64($0, radix: 16) }
        #expect(address.map { $0 - image.optionalHeader.imageBase } == UInt64(image.optionalHeader.addressOfEntryPoint), "\(line ?? "no map line")")
    }

    /// Header options that used to be accepted without effect now set what link.exe sets.
    @Test func headerOptionsTakeEffect() throws {
        let folder = try makeTemporaryDirectory("header-options")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard let object = try Self.compile("int value = 1;\nint *pointer = &value;\nint f(void) { return *pointer; }", name: "h", in: folder) else { return }
        func link(_ extra: [String], _ name: String) throws -> (DriverResult, PEImage?) {
            let dll = folder.appendingPathComponent(name + ".dll")
            let run = Driver.run(arguments: ["/dll", "/noentry", "/export:f", object, "/out:" + dll.path] + extra, environment: [:])
            return (run, run.exitCode == 0 ? try PEImage(view: try MappedFile(path: dll.path).view) : nil)
        }
        let (_, plain) = try link([], "plain")
        #expect(plain?.baseRelocations.isEmpty == false)
        #expect((plain?.optionalHeader.dllCharacteristics ?? 0) & DLLCharacteristics.terminalServerAware == 0, "a DLL is not TSAWARE by default")
        let (fixedRun, fixed) = try link(["/fixed"], "fixed")
        #expect(fixedRun.exitCode == 0, "\(fixedRun.diagnostics)")
        #expect(fixed?.baseRelocations.isEmpty == true)
        #expect((fixed?.fileHeader.characteristics ?? 0) & FileCharacteristics.relocsStripped != 0)
        #expect((fixed?.optionalHeader.dllCharacteristics ?? 0) & DLLCharacteristics.dynamicBase == 0)
        // /tsaware concerns EXEs: a DLL stays without it, with a warning (as link.exe and lld-link link it).
        let (flagsRun, flags) = try link(["/tsaware", "/swaprun:cd,net", "/allowbind:no", "/allowisolation:no", "/osversion:10.2"], "flags")
        let dllCharacteristics = flags?.optionalHeader.dllCharacteristics ?? 0
        #expect(dllCharacteristics & DLLCharacteristics.terminalServerAware == 0 && flagsRun.diagnostics.contains("/tsaware"), "\(flagsRun.diagnostics)")
        #expect(dllCharacteristics & DLLCharacteristics.noBind != 0 && dllCharacteristics & DLLCharacteristics.noIsolation != 0)
        #expect((flags?.fileHeader.characteristics ?? 0) & 0x0C00 == 0x0C00)
        #expect(flags?.optionalHeader.majorOperatingSystemVersion == 10 && flags?.optionalHeader.minorOperatingSystemVersion == 2)
        // Options that would change the image in ways pelink does not make are errors, not silence.
        for option in ["/guard:cf", "/ltcg", "/functionpadmin"] {
            let (run, _) = try link([option], "rejected")
            #expect(run.exitCode != 0 && run.diagnostics.contains(option.dropFirst().split(separator: ":")[0]), "\(option): \(run.diagnostics)")
        }
        let (debugRun, _) = try link(["/debug", "/pdb:" + folder.appendingPathComponent("x.pdb").path], "debug")
        // /debug writes a full PDB now: no warning.
        #expect(debugRun.exitCode == 0 && !debugRun.diagnostics.contains("warning") && FileManager.default.fileExists(atPath: folder.appendingPathComponent("x.pdb").path), "\(debugRun.diagnostics)")
    }

    /// /force:multiple and /force:unresolved turn those errors into warnings (link.exe's LNK4088
    /// image); /wholearchive loads every member of a library.
    @Test func forceAndWholeArchive() throws {
        guard let lldLink = requireTool("lld-link") else { return }
        let folder = try makeTemporaryDirectory("force")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard let a = try Self.compile("int twice(void) { return 1; }\nint missing(void);\nint call(void) { return missing(); }", name: "a", in: folder),
              let b = try Self.compile("int twice(void) { return 2; }", name: "b", in: folder),
              let member = try Self.compile("__declspec(dllexport) int from_library(void) { return 3; }", name: "member", in: folder) else { return }
        let out = folder.appendingPathComponent("f.dll").path
        let strict = Driver.run(arguments: ["/dll", "/noentry", "/export:call", a, b, "/out:" + out], environment: [:])
        #expect(strict.exitCode != 0 && strict.diagnostics.contains("duplicate symbol: twice") && strict.diagnostics.contains("undefined symbol: missing"))
        let forced = Driver.run(arguments: ["/dll", "/noentry", "/export:call", "/force", a, b, "/out:" + out], environment: [:])
        #expect(forced.exitCode == 0 && forced.diagnostics.contains("warning: duplicate symbol: twice")
                && forced.diagnostics.contains("warning: undefined symbol: missing"), "\(forced.diagnostics)")
        let onlyMultiple = Driver.run(arguments: ["/dll", "/noentry", "/export:call", "/force:multiple", a, b, "/out:" + out], environment: [:])
        #expect(onlyMultiple.exitCode != 0 && onlyMultiple.diagnostics.contains("error: undefined symbol: missing"))
        let library = folder.appendingPathComponent("lib.lib").path
        let lib = try runProcess(lldLink, ["/lib", "/out:" + library, member])
        #expect(lib.exitCode == 0)
        for whole in ["/wholearchive", "/wholearchive:lib.lib"] {
            let run = Driver.run(arguments: ["/dll", "/noentry", "/force:unresolved", whole, a, library, "/out:" + out], environment: [:])
            #expect(run.exitCode == 0, "\(run.diagnostics)")
            #expect(MachineTests.exportNames(try PEImage(view: try MappedFile(path: out).view)) == ["from_library"], "\(whole)")
        }
    }

    /// A .drectve asking for output pelink does not make yet (control flow guard) is a warning,
    /// never silence; a manifest dependency asked the same way makes the side-by-side manifest.
    @Test func unsupportedDirectivesWarn() throws {
        let folder = try makeTemporaryDirectory("directive-warn")
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = "#pragma comment(linker, \"/manifestdependency:\\\"type=win32 name=x version=1.0.0.0\\\"\")\nint f(void) { return 1; }"
        guard let object = try Self.compile(source, name: "md", in: folder) else { return }
        let run = Driver.run(arguments: ["/dll", "/noentry", "/export:f", object, "/out:" + folder.appendingPathComponent("md.dll").path], environment: [:])
        #expect(run.exitCode == 0, "\(run.diagnostics)")
        let manifest = (try? String(contentsOf: folder.appendingPathComponent("md.dll.manifest"), encoding: .utf8)) ?? ""
        #expect(manifest.contains("name=\"x\""), "the .drectve dependency made no md.dll.manifest: \(manifest)")
        let guardSource = "#pragma comment(linker, \"/guard:cf\")\nint g(void) { return 1; }"
        guard let guarded = try Self.compile(guardSource, name: "gd", in: folder) else { return }
        let guardRun = Driver.run(arguments: ["/dll", "/noentry", "/export:g", guarded, "/out:" + folder.appendingPathComponent("gd.dll").path], environment: [:])
        #expect(guardRun.exitCode == 0, "\(guardRun.diagnostics)")
        #expect(guardRun.diagnostics.contains("warning:") && guardRun.diagnostics.contains("control flow guard"), "\(guardRun.diagnostics)")
    }

    @Test func exeWithoutMainFunctionNeedsSubsystem() throws {
        let folder = try makeTemporaryDirectory("entry-none")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard let object = try Self.compile("int helper(void) { return 1; }", name: "n", in: folder) else { return }
        let run = Driver.run(arguments: [object, "/out:" + folder.appendingPathComponent("n.exe").path], environment: [:])
        #expect(run.exitCode != 0)
        #expect(run.diagnostics.contains("subsystem of the EXE cannot be inferred"), "\(run.diagnostics)")
    }
}
