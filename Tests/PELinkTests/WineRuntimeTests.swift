// Behaviour at run time under Wine of images the linker under test links: C++ exceptions (MinGW
// flavor, through clang's driver with the linker as ld.lld, objects from g++ and from clang++,
// thrown across a DLL boundary both ways; x64 with SEH unwinding, i386 with DWARF-2), resources
// compiled by windres (read back with the resource and version APIs from a DLL of each flavor),
// and SEH in an MSVC-flavor DLL whose .pdata comes in input order out of address order. Sources:
// Tests/WineCases/runtime/.
//
// Wine runs go through `runWithTimeout` (Support/Wine.swift), whose lock keeps them one at a time
// with the other Wine suites; the suite itself is serialized like MinGWTests.

import Foundation
import PEFormat
import PELink
import Testing

@Suite("Wine runtime: C++ exceptions, windres resources, SEH with unsorted .pdata input", .serialized)
struct WineRuntimeTests {
    static let sources = repositoryRoot.appendingPathComponent("Tests/WineCases/runtime")

    static func source(_ name: String) -> String { sources.appendingPathComponent(name).path }

    enum CxxCompiler: String, Sendable {
        case gxx = "g++"
        case clangxx = "clang++"
    }

    /// The C++ exception builds: g++ for each machine, and clang++ for x64.
    struct CxxBuild: CustomTestStringConvertible, Sendable {
        var compiler: CxxCompiler
        var machine: WineMachine
        var testDescription: String { "\(compiler.rawValue), \(machine.testDescription)" }
    }

    static let cxxBuilds = [
        CxxBuild(compiler: .gxx, machine: .x64), CxxBuild(compiler: .clangxx, machine: .x64), CxxBuild(compiler: .gxx, machine: .x86),
    ]

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

    /// Runs a build step; records an Issue and returns false when it fails.
    static func build(_ tool: String, _ arguments: [String], in folder: URL, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard let failure = runBuildTool(tool, arguments, currentDirectory: folder.path) else { return true }
        Issue.record(Comment(rawValue: failure), sourceLocation: sourceLocation)
        return false
    }

    static func image(_ folder: URL, _ name: String) throws -> PEImage {
        try PEImage(view: try MappedFile(path: folder.appendingPathComponent(name).path).view)
    }

    /// The exception directory (x64) is in ascending address order without overlaps (the unwinder
    /// binary-searches it).
    static func checkExceptionTable(_ pe: PEImage, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let entries = pe.exceptionEntries
        #expect(!entries.isEmpty, "\(name) has no exception directory", sourceLocation: sourceLocation)
        for (previous, next) in zip(entries, entries.dropFirst()) where (previous.endRVA ?? previous.beginRVA) > next.beginRVA {
            Issue.record("\(name): exception directory out of order: [\(hex(previous.beginRVA)), \(hex(previous.endRVA ?? 0))) before [\(hex(next.beginRVA)), \(hex(next.endRVA ?? 0)))",
                         sourceLocation: sourceLocation)
            return
        }
    }

    static func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }

    static func contains(_ file: URL, _ text: String) -> Bool {
        guard let data = try? Data(contentsOf: file) else { return false }
        return data.range(of: Data(text.utf8)) != nil
    }

    // MARK: - 1. C++ exceptions

    @Test("C++ exceptions (MinGW): thrown and caught in the EXE, out of a DLL, and through a DLL from an EXE callback",
          arguments: cxxBuilds)
    func cxxExceptions(_ build: CxxBuild) throws {
        let (compiler, machine) = (build.compiler, build.machine)
        guard let tools = requireWineTools(machine),
              let cxx = requireTool(compiler == .gxx ? machine.mingwTriple + "-g++" : "clang++") else { return }
        let folder = try makeTemporaryDirectory("wine-runtime-eh-\(compiler == .gxx ? "gxx" : "clangxx")-\(machine.rawValue)")
        defer { removeBuildFolder(folder) }
        guard let bin = try tools.gnuLinkerFolder(folder) else { return }

        let target = compiler == .gxx ? [] : ["--target=" + machine.mingwTriple]
        for stem in ["eh_dll", "eh_main"] {
            guard Self.build(cxx, target + ["-O2", "-c", Self.source(stem + ".cpp"), "-o", stem + ".o"], in: folder) else { return }
        }
        // What each x64 variant exists for: GCC's handlers in .text.unlikely with their unwind
        // entries in .pdata.unlikely; clang's -exclude-symbols: directive.
        if machine == .x64 && compiler == .gxx {
            #expect(Self.contains(folder.appendingPathComponent("eh_main.o"), ".pdata.unlikely"),
                    "g++ -O2 no longer writes .pdata.unlikely for main: the test lost its point")
        } else if machine == .x64 {
            #expect(Self.contains(folder.appendingPathComponent("eh_dll.o"), "-exclude-symbols:"),
                    "clang++ no longer writes -exclude-symbols: directives: the test lost part of its point")
        }

        // g++: the shared C++ runtime, its DLLs copied beside the program. clang++: the static one
        // (one copy in the DLL, one in the EXE; exceptions still cross between them).
        let runtime = compiler == .gxx ? ["-lstdc++"] : ["-static-libgcc", "-Wl,-Bstatic", "-lstdc++", "-Wl,-Bdynamic"]
        if let failure = try tools.clangLink(bin: bin, in: folder, [
            "-shared", "eh_dll.o", "-o", "eh.dll", "-Wl,--out-implib,libeh.dll.a"] + runtime) {
            Issue.record(Comment(rawValue: failure)); return
        }
        if let failure = try tools.clangLink(bin: bin, in: folder, ["eh_main.o", "-o", "eh_main.exe", "-L.", "-leh"] + runtime) {
            Issue.record(Comment(rawValue: failure)); return
        }
        for name in ["eh.dll", "eh_main.exe"] {
            try tools.checkImage(folder.appendingPathComponent(name))
            let pe = try Self.image(folder, name)
            if machine == .x64 {
                Self.checkExceptionTable(pe, name)
            } else {
                // DWARF-2 unwinding reads .eh_frame (".eh_fram" in the section table), registered by crtbegin.o.
                #expect(pe.sections.contains { $0.name.hasPrefix(".eh_fram") }, "\(name) has no .eh_frame section: \(pe.sections.map(\.name))")
            }
        }
        let imported = Set(try Self.image(folder, "eh_main.exe").imports.map { $0.name.lowercased() })
        if compiler == .gxx {
            #expect(imported.contains("libstdc++-6.dll"), "eh_main.exe does not import libstdc++-6.dll: \(imported.sorted())")
            guard try Self.copyRuntimeDLLs(tools, to: folder) else { return }
        } else {
            #expect(!imported.contains("libstdc++-6.dll"), "eh_main.exe imports libstdc++-6.dll despite -static-libstdc++")
        }
        try tools.runAndCheck("eh_main.exe", in: folder, expected: Self.exceptionOutput, what: "C++ exceptions, \(compiler.rawValue) objects")
    }

    /// Copies libstdc++-6.dll, libgcc's DLL (x64: libgcc_s_seh-1.dll, SEH unwinding; i386:
    /// libgcc_s_dw2-1.dll, DWARF-2, whose unwinder holds the registered frames of every module) and
    /// libwinpthread-1.dll from the folders clang's MinGW driver links from (`-print-file-name`, so
    /// no GCC version is written here).
    static func copyRuntimeDLLs(_ tools: WineTools, to folder: URL) throws -> Bool {
        let libgcc = tools.machine == .x64 ? "libgcc_s_seh-1.dll" : "libgcc_s_dw2-1.dll"
        for name in ["libstdc++-6.dll", libgcc, "libwinpthread-1.dll"] {
            let found = try runProcess(tools.clang, ["--target=" + tools.machine.mingwTriple, "-print-file-name=\(name)"])
            let path = found.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            guard path.hasPrefix("/"), FileManager.default.fileExists(atPath: path) else {
                if name == "libwinpthread-1.dll" { continue }  // only needed by posix-thread builds
                Issue.record("the \(tools.machine.mingwTriple) C++ runtime \(name) was not found (clang -print-file-name=\(name) printed '\(path)')")
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

    @Test("resources (STRINGTABLE in two languages, RCDATA, a named resource, VERSIONINFO) from windres objects and from llvm-rc and windres .res files, in MSVC- and MinGW-flavor DLLs")
    func resources() throws {
        guard let tools = requireWineTools(.x64), let windres = requireTool("x86_64-w64-mingw32-windres") else { return }
        let folder = try makeTemporaryDirectory("wine-runtime-res")
        defer { removeBuildFolder(folder) }
        guard let bin = try tools.gnuLinkerFolder(folder) else { return }

        guard Self.build(windres, ["-O", "coff", Self.source("res.rc"), "-o", "res.o"], in: folder) else { return }
        // MSVC flavor: a resource-only DLL, linked in-process (or by PELINK_WINE_LINKER).
        let msvc = linkDLL(arguments: ["/dll", "/noentry", "/machine:x64", "/out:" + folder.appendingPathComponent("res_msvc.dll").path,
                                       folder.appendingPathComponent("res.o").path], tools: tools)
        if msvc.exitCode != 0 {
            Issue.record("linking res_msvc.dll failed (exit \(msvc.exitCode), \(tools.linkerDescription)):\n\(msvc.diagnostics)"); return
        }
        // MinGW flavor: through clang's driver, with the CRT's DLL startup code.
        if let failure = try tools.clangLink(bin: bin, in: folder, ["-shared", "res.o", "-o", "res_mingw.dll"]) {
            Issue.record(Comment(rawValue: failure)); return
        }
        // .res files linked directly: from llvm-rc (MSVC flavor) and from windres (both flavors).
        guard let llvmRC = requireTool("llvm-rc"),
              Self.build(llvmRC, ["/I", "/usr/share/mingw-w64/include", "/fo", "res_rc.res", "--", Self.source("res.rc")], in: folder),
              Self.build(windres, ["-O", "res", Self.source("res.rc"), "-o", "res_windres.res"], in: folder) else { return }
        for (dll, res) in [("res_rc.dll", "res_rc.res"), ("res_windres.dll", "res_windres.res")] {
            let run = linkDLL(arguments: ["/dll", "/noentry", "/machine:x64", "/out:" + folder.appendingPathComponent(dll).path,
                                          folder.appendingPathComponent(res).path], tools: tools)
            if run.exitCode != 0 { Issue.record("linking \(dll) from \(res) failed:\n\(run.diagnostics)"); return }
        }
        if let failure = try tools.clangLink(bin: bin, in: folder, ["-shared", "res_windres.res", "-o", "res_mingw_res.dll"]) {
            Issue.record(Comment(rawValue: failure)); return
        }
        let dlls = ["res_msvc.dll", "res_mingw.dll", "res_rc.dll", "res_windres.dll", "res_mingw_res.dll"]
        for name in dlls {
            let pe = try Self.image(folder, name)
            let directory = pe.directory(.resource)
            #expect(directory != nil, "\(name) has no resource data directory")
            if let directory {
                #expect(pe.section(containing: directory.rva)?.name == ".rsrc",
                        "\(name): the resource directory at \(Self.hex(directory.rva)) is not in .rsrc")
            }
        }
        guard Self.build(tools.gcc, ["-O1", "-Wall", Self.source("res_main.c"), "-o", "res_main.exe", "-lversion"], in: folder) else { return }
        try tools.runAndCheck("res_main.exe", dlls, in: folder,
                              expected: dlls.flatMap { Self.resourceOutput($0) } + ["done"],
                              what: "resources")
    }

    // MARK: - 3. SEH with .pdata out of address order in the input

    @Test("SEH (MSVC flavor): __try/__except in .text and .text$x functions, .pdata of .text$x first in input order")
    func sehUnsortedPdataInput() throws {
        guard let tools = requireWineTools(.x64) else { return }
        let folder = try makeTemporaryDirectory("wine-runtime-seh")
        defer { removeBuildFolder(folder) }

        // seh_late.obj first: its .pdata (for .text$x, laid out after all of .text) precedes
        // seh.obj's in input order.
        for stem in ["seh_late", "seh"] {
            guard Self.build(tools.clang, tools.machine.msvcCompileFlags + [Self.source(stem + ".c"), "-o", stem + ".obj"], in: folder) else { return }
        }
        for (def, library) in [("seh_kernel32.def", "kernel32.lib"), ("seh_ntdll.def", "ntdll.lib")] {
            let step = makeLibrary(arguments: ["/machine:x64", "/def:" + Self.source(def), "/out:" + folder.appendingPathComponent(library).path],
                                   tools: tools)
            if step.exitCode != 0 {
                Issue.record("making \(library) failed (exit \(step.exitCode)):\n\(step.diagnostics)"); return
            }
        }
        let step = linkDLL(arguments: ["/dll", "/noentry", "/machine:x64", "/out:" + folder.appendingPathComponent("seh.dll").path,
                                       "/implib:" + folder.appendingPathComponent("seh.lib").path]
                           + ["seh_late.obj", "seh.obj", "kernel32.lib", "ntdll.lib"].map { folder.appendingPathComponent($0).path },
                           tools: tools)
        if step.exitCode != 0 {
            Issue.record("linking seh.dll failed (exit \(step.exitCode), \(tools.linkerDescription)):\n\(step.diagnostics)"); return
        }
        try tools.checkImage(folder.appendingPathComponent("seh.dll"))
        let pe = try Self.image(folder, "seh.dll")
        Self.checkExceptionTable(pe, "seh.dll")
        // The layout the test relies on: the .text$x functions after the .text ones.
        var exported: [String: UInt32] = [:]
        for entry in pe.exports?.entries ?? [] { for name in entry.names { exported[name] = entry.rva } }
        let late = ["seh_late_raise", "seh_late_fault"].compactMap { exported[$0] }
        let early = ["seh_raise", "seh_fault", "seh_filter", "seh_finally"].compactMap { exported[$0] }
        #expect(late.count == 2 && early.count == 4, "seh.dll exports: \(exported.keys.sorted())")
        #expect((late.min() ?? 0) > (early.max() ?? .max), ".text$x is not laid out after .text: late \(late.map(Self.hex)), early \(early.map(Self.hex))")

        guard Self.build(tools.gcc, ["-O1", "-Wall", Self.source("seh_main.c"), "-o", "seh_main.exe", "seh.lib"], in: folder) else { return }
        try tools.runAndCheck("seh_main.exe", in: folder, expected: [
            "seh_raise caught e0000002",
            "seh_fault caught c0000005",
            "seh_late_raise caught 0001",
            "seh_late_fault caught c0000005",
            "seh_filter stage 11",
            "seh_finally log 123",
            "done",
        ], what: "SEH")
    }
}
