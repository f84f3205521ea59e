// Behaviour at run time under Wine of images pelink links: C++ exceptions (MinGW flavor, through
// clang's driver with pelink as ld.lld, objects from g++ and from clang++, thrown across a DLL
// boundary both ways), resources compiled by windres (read back with the resource and version
// APIs from a DLL of each flavor), and SEH in an MSVC-flavor DLL whose .pdata comes in input
// order out of address order. Sources: Tests/WineCases/runtime/.
//
// Wine runs go through `runWithTimeout` (WineTests.swift), whose lock keeps them one at a time
// with the other Wine suites; the suite itself is serialized like MinGWTests.

import Foundation
import PEFormat
import PELink
import Testing

@Suite("Wine runtime: C++ exceptions, windres resources, SEH with unsorted .pdata input", .serialized)
struct WineRuntimeTests {
    static let sources = repositoryRoot.appendingPathComponent("Tests/WineCases/runtime")

    static func source(_ name: String) -> String { sources.appendingPathComponent(name).path }

    enum CxxCompiler: String, CustomTestStringConvertible, CaseIterable, Sendable {
        case gxx = "g++"
        case clangxx = "clang++"
        var testDescription: String { rawValue }
    }

    /// The exact output of eh_main.exe.
    static let exceptionOutput = [
        "main caught: thrown in main",
        "main caught: thrown in exe 1",
        "function caught: thrown in exe 2",
        "main caught from dll: thrown in dll 3",
        "dll caught=1: thrown by exe callback 4",
        "dll internal=12",
        "done",
    ]

    /// The tools MinGWTests needs (clang, wine, mingw gcc and its runtime) plus `extra`, or nil
    /// (skipped, or an Issue under PELINK_REQUIRE_ORACLES=1).
    static func tools(_ extra: [String]) -> (MinGWTests.Tools, [String: String])? {
        guard let base = MinGWTests.tools() else { return nil }
        var found: [String: String] = [:]
        for name in extra {
            guard let path = requireTool(name) else { return nil }
            found[name] = path
        }
        return (base, found)
    }

    /// Runs a build step; records an Issue and returns false when it fails.
    static func build(_ tool: String, _ arguments: [String], in folder: URL,
                      sourceLocation: SourceLocation = #_sourceLocation) throws -> Bool {
        let run = try runProcess(tool, arguments, currentDirectory: folder.path)
        if run.exitCode == 0 { return true }
        Issue.record(Comment(rawValue: "\((tool as NSString).lastPathComponent) \(arguments.joined(separator: " ")) failed (exit \(run.exitCode)):\n\(run.stderr)\(run.stdout)"),
                     sourceLocation: sourceLocation)
        return false
    }

    static func image(_ folder: URL, _ name: String) throws -> PEImage {
        try PEImage(view: try MappedFile(path: folder.appendingPathComponent(name).path).view)
    }

    /// The exception directory is in ascending address order without overlaps (the unwinder
    /// binary-searches it); with `byPelink`, also that pelink wrote the image (it writes no timestamp).
    static func checkExceptionTable(_ pe: PEImage, _ name: String, byPelink: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) {
        if byPelink {
            #expect(pe.fileHeader.timeDateStamp == 0, "\(name) was not written by pelink", sourceLocation: sourceLocation)
        }
        let entries = pe.exceptionEntries
        #expect(!entries.isEmpty, "\(name) has no exception directory", sourceLocation: sourceLocation)
        for (previous, next) in zip(entries, entries.dropFirst()) where (previous.endRVA ?? previous.beginRVA) > next.beginRVA {
            Issue.record("\(name): exception directory out of order: [\(hex(previous.beginRVA)), \(hex(previous.endRVA ?? 0))) before [\(hex(next.beginRVA)), \(hex(next.endRVA ?? 0)))",
                         sourceLocation: sourceLocation)
            return
        }
    }

    static func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }

    static func lines(_ text: String) -> [String] { text.split(whereSeparator: \.isNewline).map(String.init) }

    /// Runs `program` under Wine in `folder` (DLLs beside it) and checks its exit status and exact
    /// output. A crash report (winedbg writes pages of it on stdout) is cut short in the message.
    static func runAndCheck(wine: String, _ program: String, _ arguments: [String] = [], in folder: URL, expected: [String],
                            what: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        var environment = wineEnvironment
        environment["WINEPATH"] = folder.path
        let (run, timedOut) = try runWithTimeout(wine, [program] + arguments, environment: environment,
                                                 currentDirectory: folder.path, timeout: 180)
        let output = lines(run.stdout)
        if !timedOut && run.exitCode == 0 && output == expected { return }
        let shown = output.prefix(20).map { "  " + $0 }.joined(separator: "\n") + (output.count > 20 ? "\n  … (\(output.count - 20) more lines)" : "")
        Issue.record(Comment(rawValue: """
            \(what): \(program) \(timedOut ? "timed out" : "exited with \(run.exitCode)")\(output == expected ? "" : ", output differs")
            \(output == expected ? "" : describeDifference(got: Array(output.prefix(20)), expected: expected))
            output:
            \(shown)
            stderr (end):
            \(String(run.stderr.suffix(1500)))
            """), sourceLocation: sourceLocation)
    }

    static func contains(_ file: URL, _ text: String) -> Bool {
        guard let data = try? Data(contentsOf: file) else { return false }
        return data.range(of: Data(text.utf8)) != nil
    }

    // MARK: - 1. C++ exceptions

    @Test("C++ exceptions (MinGW): thrown and caught in the EXE, out of a DLL, and through a DLL from an EXE callback",
          arguments: CxxCompiler.allCases)
    func cxxExceptions(_ compiler: CxxCompiler) throws {
        let compilerTool = compiler == .gxx ? "x86_64-w64-mingw32-g++" : "clang++"
        guard let (tools, extra) = Self.tools([compilerTool]), let cxx = extra[compilerTool] else { return }
        let folder = try makeTemporaryDirectory("wine-runtime-eh-\(compiler == .gxx ? "gxx" : "clangxx")")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard let bin = try MinGWTests.linkerFolder(folder) else { return }

        let target = compiler == .gxx ? [] : ["--target=x86_64-w64-mingw32"]
        for stem in ["eh_dll", "eh_main"] {
            guard try Self.build(cxx, target + ["-O2", "-c", Self.source(stem + ".cpp"), "-o", stem + ".o"], in: folder) else { return }
        }
        // What each variant exists for: GCC's handlers in .text.unlikely with their unwind entries
        // in .pdata.unlikely; clang's -exclude-symbols: directive.
        if compiler == .gxx {
            #expect(Self.contains(folder.appendingPathComponent("eh_main.o"), ".pdata.unlikely"),
                    "g++ -O2 no longer writes .pdata.unlikely for main: the test lost its point")
        } else {
            #expect(Self.contains(folder.appendingPathComponent("eh_dll.o"), "-exclude-symbols:"),
                    "clang++ no longer writes -exclude-symbols: directives: the test lost part of its point")
        }

        // g++: the shared C++ runtime, its DLLs copied beside the program. clang++: the static one
        // (one copy in the DLL, one in the EXE; exceptions still cross between them).
        let runtime = compiler == .gxx ? ["-lstdc++"] : ["-static-libgcc", "-Wl,-Bstatic", "-lstdc++", "-Wl,-Bdynamic"]
        if let failure = try MinGWTests.clangLink(tools, bin: bin, in: folder, [
            "-shared", "eh_dll.o", "-o", "eh.dll", "-Wl,--out-implib,libeh.dll.a"] + runtime) {
            Issue.record(Comment(rawValue: failure)); return
        }
        if let failure = try MinGWTests.clangLink(tools, bin: bin, in: folder, [
            "eh_main.o", "-o", "eh_main.exe", "-L.", "-leh"] + runtime) {
            Issue.record(Comment(rawValue: failure)); return
        }
        for name in ["eh.dll", "eh_main.exe"] {
            Self.checkExceptionTable(try Self.image(folder, name), name)
        }
        let imported = Set(try Self.image(folder, "eh_main.exe").imports.map { $0.name.lowercased() })
        if compiler == .gxx {
            #expect(imported.contains("libstdc++-6.dll"), "eh_main.exe does not import libstdc++-6.dll: \(imported.sorted())")
            guard try Self.copyRuntimeDLLs(tools, to: folder) else { return }
        } else {
            #expect(!imported.contains("libstdc++-6.dll"), "eh_main.exe imports libstdc++-6.dll despite -static-libstdc++")
        }

        if let error = prepareWinePrefix(tools: WineTools(clang: tools.clang, gcc: "", wine: tools.wine, externalLinker: nil)) {
            Issue.record(Comment(rawValue: error)); return
        }
        try Self.runAndCheck(wine: tools.wine, "eh_main.exe", in: folder, expected: Self.exceptionOutput,
                             what: "C++ exceptions, \(compiler.rawValue) objects")
    }

    /// Copies libstdc++-6.dll, libgcc_s_seh-1.dll and libwinpthread-1.dll from the folders clang's
    /// MinGW driver links from (`-print-file-name`, so no GCC version is written here).
    static func copyRuntimeDLLs(_ tools: MinGWTests.Tools, to folder: URL) throws -> Bool {
        for name in ["libstdc++-6.dll", "libgcc_s_seh-1.dll", "libwinpthread-1.dll"] {
            let found = try runProcess(tools.clang, ["--target=x86_64-w64-mingw32", "-print-file-name=\(name)"])
            let path = found.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            guard path.hasPrefix("/"), FileManager.default.fileExists(atPath: path) else {
                if name == "libwinpthread-1.dll" { continue }  // only needed by posix-thread builds
                Issue.record("the MinGW C++ runtime \(name) was not found (clang -print-file-name=\(name) printed '\(path)')")
                return false
            }
            try FileManager.default.copyItem(atPath: path, toPath: folder.appendingPathComponent(name).path)
        }
        return true
    }

    // MARK: - 2. Resources

    /// What res_main.exe prints for one DLL linked with res.rc's resources.
    static func resourceOutput(_ dll: String) -> [String] {
        [
            "\(dll) rcdata 200: size=15 text=pelink rcdataAB",
            "\(dll) named CONFIG/PELINKDATA: size=22 text=named resource payload",
            "\(dll) named lowercase config/pelinkdata: size=22 text=named resource payload",
            "\(dll) LoadStringW 101: length=17 text=Hello from pelink",
            "\(dll) LoadStringW 102: length=7 text=Goodbye",
            "\(dll) LoadStringW 103: length=0 text=",
            "\(dll) string 101 lang 0407: Hallo von pelink",
            "\(dll) string 101 lang 0000: Hello from pelink",
            "\(dll) version: signature=feef04bd file=1.2.3.4 product=5.6.7.8",
            "\(dll) version FileDescription: pelink resource test",
            "\(dll) version ProductName: pelink",
        ]
    }

    @Test("windres resources (STRINGTABLE in two languages, RCDATA, a named resource, VERSIONINFO) in an MSVC- and a MinGW-flavor DLL")
    func resources() throws {
        guard let (tools, extra) = Self.tools(["x86_64-w64-mingw32-windres", "x86_64-w64-mingw32-gcc"]),
              let windres = extra["x86_64-w64-mingw32-windres"], let gcc = extra["x86_64-w64-mingw32-gcc"],
              let wineTools = requireWineTools() else { return }
        let folder = try makeTemporaryDirectory("wine-runtime-res")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard let bin = try MinGWTests.linkerFolder(folder) else { return }

        guard try Self.build(windres, ["-O", "coff", Self.source("res.rc"), "-o", "res.o"], in: folder) else { return }
        // MSVC flavor: a resource-only DLL, linked in-process (or by PELINK_WINE_LINKER).
        let msvc = linkDLL(arguments: ["/dll", "/noentry", "/machine:x64", "/out:" + folder.appendingPathComponent("res_msvc.dll").path,
                                       folder.appendingPathComponent("res.o").path], tools: wineTools)
        if msvc.exitCode != 0 {
            Issue.record("linking res_msvc.dll failed (exit \(msvc.exitCode), \(wineTools.linkerDescription)):\n\(msvc.diagnostics)"); return
        }
        // MinGW flavor: through clang's driver, with the CRT's DLL startup code.
        if let failure = try MinGWTests.clangLink(tools, bin: bin, in: folder, ["-shared", "res.o", "-o", "res_mingw.dll"]) {
            Issue.record(Comment(rawValue: failure)); return
        }
        for name in ["res_msvc.dll", "res_mingw.dll"] {
            let pe = try Self.image(folder, name)
            let directory = pe.directory(.resource)
            #expect(directory != nil, "\(name) has no resource data directory")
            if let directory {
                #expect(pe.section(containing: directory.rva)?.name == ".rsrc",
                        "\(name): the resource directory at \(Self.hex(directory.rva)) is not in .rsrc")
            }
        }
        guard try Self.build(gcc, ["-O1", "-Wall", Self.source("res_main.c"), "-o", "res_main.exe", "-lversion"], in: folder) else { return }

        if let error = prepareWinePrefix(tools: wineTools) {
            Issue.record(Comment(rawValue: error)); return
        }
        try Self.runAndCheck(wine: tools.wine, "res_main.exe", ["res_msvc.dll", "res_mingw.dll"], in: folder,
                             expected: Self.resourceOutput("res_msvc.dll") + Self.resourceOutput("res_mingw.dll") + ["done"],
                             what: "resources (\(wineTools.linkerDescription) for res_msvc.dll)")
    }

    // MARK: - 3. SEH with .pdata out of address order in the input

    @Test("SEH (MSVC flavor): __try/__except in .text and .text$x functions, .pdata of .text$x first in input order")
    func sehUnsortedPdataInput() throws {
        guard let wineTools = requireWineTools() else { return }
        let folder = try makeTemporaryDirectory("wine-runtime-seh")
        defer { try? FileManager.default.removeItem(at: folder) }

        // seh_late.obj first: its .pdata (for .text$x, laid out after all of .text) precedes
        // seh.obj's in input order.
        for stem in ["seh_late", "seh"] {
            guard try Self.build(wineTools.clang, ["--target=x86_64-pc-windows-msvc", "-c", "-O1", "-fno-stack-protector", "-mno-stack-arg-probe",
                                         Self.source(stem + ".c"), "-o", stem + ".obj"], in: folder) else { return }
        }
        for (def, library) in [("seh_kernel32.def", "kernel32.lib"), ("seh_ntdll.def", "ntdll.lib")] {
            let step = makeLibrary(arguments: ["/machine:x64", "/def:" + Self.source(def), "/out:" + folder.appendingPathComponent(library).path],
                                   tools: wineTools)
            if step.exitCode != 0 {
                Issue.record("making \(library) failed (exit \(step.exitCode)):\n\(step.diagnostics)"); return
            }
        }
        let step = linkDLL(arguments: ["/dll", "/noentry", "/machine:x64", "/out:" + folder.appendingPathComponent("seh.dll").path,
                                       "/implib:" + folder.appendingPathComponent("seh.lib").path]
                           + ["seh_late.obj", "seh.obj", "kernel32.lib", "ntdll.lib"].map { folder.appendingPathComponent($0).path },
                           tools: wineTools)
        if step.exitCode != 0 {
            Issue.record("linking seh.dll failed (exit \(step.exitCode), \(wineTools.linkerDescription)):\n\(step.diagnostics)"); return
        }
        let pe = try Self.image(folder, "seh.dll")
        Self.checkExceptionTable(pe, "seh.dll", byPelink: wineTools.externalLinker == nil)
        // The layout the test relies on: the .text$x functions after the .text ones.
        var exported: [String: UInt32] = [:]
        for entry in pe.exports?.entries ?? [] { for name in entry.names { exported[name] = entry.rva } }
        let late = ["seh_late_raise", "seh_late_fault"].compactMap { exported[$0] }
        let early = ["seh_raise", "seh_fault", "seh_filter", "seh_finally"].compactMap { exported[$0] }
        #expect(late.count == 2 && early.count == 4, "seh.dll exports: \(exported.keys.sorted())")
        #expect((late.min() ?? 0) > (early.max() ?? .max), ".text$x is not laid out after .text: late \(late.map(Self.hex)), early \(early.map(Self.hex))")

        guard try Self.build(wineTools.gcc, ["-O1", "-Wall", Self.source("seh_main.c"), "-o", "seh_main.exe", "seh.lib"], in: folder) else { return }
        if let error = prepareWinePrefix(tools: wineTools) {
            Issue.record(Comment(rawValue: error)); return
        }
        try Self.runAndCheck(wine: wineTools.wine, "seh_main.exe", in: folder, expected: [
            "seh_raise caught e0000002",
            "seh_fault caught c0000005",
            "seh_late_raise caught 0001",
            "seh_late_fault caught c0000005",
            "seh_filter stage 11",
            "seh_finally log 123",
            "done",
        ], what: "SEH (\(wineTools.linkerDescription))")
    }
}
