// Delay-load imports, for x64 and i386: the program links with /delayload:delayed.dll, so the
// loader maps delayed.dll only when the program first calls into it.
//
//   - The tables pelink writes (descriptor, bound and unload IATs, base relocations), read back
//     with PEFormat, and the imports llvm-readobj lists, compared with those of the same program
//     linked by lld-link.
//   - delay_main.exe (MSVC flavor, no CRT) under Wine, with its own __delayLoadHelper2 and
//     __FUnloadDelayLoadedDLL2 (delayimp.lib is not available here): the DLL is loaded by the
//     first call, by name and by ordinal, once per import; unloaded and loaded again.
//   - The MinGW way, which needs no linker option: a delay-import library of ordinary objects from
//     `dlltool --output-delaylib`, mingw-w64's helper, linked through clang's driver.
//
// Sources, and what each program checks: Tests/WineCases/delayload/. With PELINK_WINE_LINKER set
// only the MinGW test runs: lld-link writes neither the unload IAT nor the bound IAT the
// MSVC-flavor checks need (the lld-link comparison covers what it does write).

import Foundation
import PEFormat
import PELink
import Testing

@Suite("Wine: delay-load imports (/delayload, /delay:unload, /delay:nobind, dlltool --output-delaylib)", .serialized)
struct WineDelayLoadTests {
    static let sources = repositoryRoot.appendingPathComponent("Tests/WineCases/delayload")

    static func source(_ name: String) -> String { sources.appendingPathComponent(name).path }

    /// delay_main.exe's exact output (main.c), in order.
    static let programOutput = [
        "ok not-loaded-at-start",
        "ok normal-loaded-at-start",
        "ok normal-value 7",
        "ok descriptor-found",
        "ok slots-unbound-at-start",
        "ok helper-calls-at-start 0",
        "ok name-first-call-thunk 5",
        "ok loaded-by-first-call",
        "ok handle-slot-set",
        "ok helper-calls-after-first-call 1",
        "ok name-slot-bound",
        "ok ordinal-slot-still-unbound",
        "ok name-second-call-dllimport 9",
        "ok helper-calls-after-second-call 1",
        "ok ordinal-first-call 42",
        "ok helper-calls-after-ordinal-call 2",
        "ok ordinal-slot-bound",
        "ok ordinal-second-call 9",
        "ok name-third-call-thunk 11",
        "ok helper-calls-after-second-calls 2",
        "ok unload-normal-refused",
        "ok unload",
        "ok not-loaded-after-unload",
        "ok handle-slot-cleared",
        "ok slots-unbound-after-unload",
        "ok ordinal-call-after-unload 10",
        "ok reloaded",
        "ok name-call-after-unload-thunk 42",
        "ok name-call-after-unload-dllimport 2",
        "ok helper-calls-after-reload 4",
    ]

    /// delay_mingw.exe's exact output (mingw_main.c).
    static let mingwProgramOutput = [
        "ok not-loaded-at-start",
        "ok name-first-call 5",
        "ok loaded-by-first-call",
        "ok name-second-call 9",
        "ok ordinal-first-call 42",
        "ok ordinal-second-call 9",
    ]

    /// What the delay-load descriptor of delayed.dll must list: delayed_add by name, delayed_mul by
    /// its ordinal (delayed.def: @5 NONAME).
    static let delayedImports: Set<String> = ["delayed_add", "#5"]

    static func describe(_ symbol: ImportedSymbol) -> String { symbol.name ?? "#\(symbol.ordinal ?? 0)" }

    static func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }

    /// Runs a build step in `folder`; records an Issue and returns false when it fails.
    static func build(_ tool: String, _ arguments: [String], in folder: URL, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        guard let failure = runBuildTool(tool, arguments, currentDirectory: folder.path) else { return true }
        Issue.record(Comment(rawValue: failure), sourceLocation: sourceLocation)
        return false
    }

    /// Runs a link step; records an Issue and returns false when it fails.
    static func check(_ step: LinkStep, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        if step.exitCode == 0 { return true }
        Issue.record("\(what) failed (exit \(step.exitCode)):\n\(step.diagnostics)", sourceLocation: sourceLocation)
        return false
    }

    static func image(_ folder: URL, _ name: String) throws -> PEImage {
        try PEImage(view: try MappedFile(path: folder.appendingPathComponent(name).path).view)
    }

    // MARK: - The MSVC-flavor build

    /// The program's objects, in link order (main.c's checks, the helper, the two kinds of call).
    static let programObjects = ["main.obj", "delayimp.obj", "dllimport_calls.obj", "thunk_calls.obj"]
    static let programLibraries = ["delayed.lib", "normal.lib", "kernel32.lib"]

    /// Compiles everything (clang, MSVC target, no CRT) and links the two DLLs with their import
    /// libraries and kernel32.lib, in `folder`.
    static func buildDLLsAndObjects(_ tools: WineTools, in folder: URL) -> Bool {
        let machine = tools.machine
        for stem in ["delayed", "normal", "main", "delayimp", "dllimport_calls", "thunk_calls"] {
            guard build(tools.clang, machine.msvcCompileFlags + [source(stem + ".c"), "-o", stem + ".obj"], in: folder) else { return false }
        }
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        // DllMain (i386: _DllMain@12) is what makes loading observable in delayed_add's results.
        guard check(linkDLL(arguments: ["/dll", "/entry:DllMain", "/machine:\(machine.rawValue)", "/def:" + source("delayed.def"),
                                        "/implib:" + path("delayed.lib"), "/out:" + path("delayed.dll"), path("delayed.obj")], tools: tools),
                    "linking delayed.dll"),
              check(linkDLL(arguments: ["/dll", "/noentry", "/machine:\(machine.rawValue)", "/def:" + source("normal.def"),
                                        "/implib:" + path("normal.lib"), "/out:" + path("normal.dll"), path("normal.obj")], tools: tools),
                    "linking normal.dll")
        else { return false }
        let kernel32 = machine == .x64 ? "kernel32.def" : "kernel32_i386.def"
        return check(makeLibrary(arguments: ["/machine:\(machine.rawValue)", "/def:" + source(kernel32), "/out:" + path("kernel32.lib")], tools: tools),
                     "making kernel32.lib")
    }

    /// The program's link arguments without the /delay: options.
    static func programArguments(_ machine: WineMachine, in folder: URL, output: String) -> [String] {
        ["/entry:start", "/subsystem:console", "/machine:\(machine.rawValue)", "/delayload:delayed.dll",
         "/out:" + folder.appendingPathComponent(output).path]
            + (programObjects + programLibraries).map { folder.appendingPathComponent($0).path }
    }

    /// The tools, or nil when the test does not run: see the file comment for PELINK_WINE_LINKER.
    static func msvcFlavorTools(_ machine: WineMachine) -> WineTools? {
        guard let tools = requireWineTools(machine) else { return nil }
        if tools.externalLinker != nil {
            print("note: skipping the MSVC-flavor delay-load test: it checks pelink's /delay:unload and bound IAT (\(tools.linkerDescription))")
            return nil
        }
        return tools
    }

    // MARK: - 1. The tables, as PEFormat, llvm-readobj and lld-link see them

    @Test("delay-load tables: one descriptor (RVAs) naming delayed_add and ordinal 5, zero-filled bound IAT unless /delay:nobind, unload IAT only with /delay:unload, slots relocated; llvm-readobj lists the same delay imports as for lld-link's image",
          arguments: WineMachine.allCases)
    func delayLoadTables(_ machine: WineMachine) throws {
        guard let tools = Self.msvcFlavorTools(machine),
              let readobj = requireTool("llvm-readobj"), let lldLink = requireTool("lld-link") else { return }
        let folder = try makeTemporaryDirectory("wine-delayload-tables-\(machine.rawValue)")
        defer { removeBuildFolder(folder) }
        guard Self.buildDLLsAndObjects(tools, in: folder),
              Self.check(linkDLL(arguments: Self.programArguments(machine, in: folder, output: "delay_main.exe") + ["/delay:unload"], tools: tools),
                         "linking delay_main.exe"),
              Self.check(linkDLL(arguments: Self.programArguments(machine, in: folder, output: "delay_nobind.exe") + ["/delay:nobind"], tools: tools),
                         "linking delay_nobind.exe with /delay:nobind"),
              // lld-link has no unload IAT; /opt:noref keeps the same sections as pelink.
              Self.check(runLinkTool(lldLink, Self.programArguments(machine, in: folder, output: "delay_lld.exe") + ["/opt:noref"]),
                         "linking delay_lld.exe with lld-link")
        else { return }

        // The default and /delay:unload: both extra tables.
        try tools.checkImage(folder.appendingPathComponent("delay_main.exe"))
        let main = try Self.image(folder, "delay_main.exe")
        guard let descriptor = Self.checkDescriptor(main, "delay_main.exe") else { return }
        #expect(descriptor.boundAddressTableRVA != 0, "delay_main.exe: no bound IAT without /delay:nobind")
        #expect(descriptor.unloadAddressTableRVA != 0, "delay_main.exe: no unload IAT despite /delay:unload")
        try Self.checkTableContents(main, descriptor, "delay_main.exe")

        // /delay:nobind without /delay:unload: neither.
        let nobind = try Self.image(folder, "delay_nobind.exe")
        if let descriptor = Self.checkDescriptor(nobind, "delay_nobind.exe") {
            #expect(descriptor.boundAddressTableRVA == 0, "delay_nobind.exe: a bound IAT at \(Self.hex(descriptor.boundAddressTableRVA)) despite /delay:nobind")
            #expect(descriptor.unloadAddressTableRVA == 0, "delay_nobind.exe: an unload IAT at \(Self.hex(descriptor.unloadAddressTableRVA)) without /delay:unload")
        }

        // llvm-readobj: the delay imports of pelink's image and lld-link's, and the ordinary import of normal.dll.
        let pelinkListing = try Self.readobjImports(readobj, folder.appendingPathComponent("delay_main.exe"))
        let lldListing = try Self.readobjImports(readobj, folder.appendingPathComponent("delay_lld.exe"))
        for (listing, name) in [(pelinkListing, "delay_main.exe (pelink)"), (lldListing, "delay_lld.exe (lld-link)")] {
            #expect(listing.delayImports == ["delayed.dll": Self.delayedImports],
                    "llvm-readobj --coff-imports \(name): delay imports \(listing.delayImports)")
            #expect(listing.imports["normal.dll"] == ["normal_value"], "llvm-readobj --coff-imports \(name): imports \(listing.imports)")
            #expect(listing.imports["delayed.dll"] == nil, "\(name) imports delayed.dll at startup as well")
        }
        #expect(pelinkListing.delayImports == lldListing.delayImports)
    }

    /// The one delay-load descriptor, for delayed.dll, as the delay-load helpers expect it; nil
    /// (after recording why) when there is none to look at further.
    static func checkDescriptor(_ pe: PEImage, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> DelayImportedDLL? {
        #expect(pe.directory(.delayImport) != nil, "\(name) has no delay-load data directory (13)", sourceLocation: sourceLocation)
        guard pe.delayImports.count == 1, let descriptor = pe.delayImports.first else {
            Issue.record("\(name): \(pe.delayImports.count) delay-load descriptors, not 1: \(pe.delayImports.map(\.name))", sourceLocation: sourceLocation)
            return nil
        }
        #expect(descriptor.name == "delayed.dll", sourceLocation: sourceLocation)
        #expect(descriptor.attributes == 1, "\(name): attributes \(descriptor.attributes), not 1 (RVAs)", sourceLocation: sourceLocation)
        #expect(descriptor.timeDateStamp == 0, "\(name): the descriptor claims a binding time stamp", sourceLocation: sourceLocation)
        #expect(Set(descriptor.entries.map(describe)) == delayedImports, "\(name): delay imports \(descriptor.entries.map(describe))",
                sourceLocation: sourceLocation)
        let startupImports = pe.imports.map { $0.name.lowercased() }
        #expect(startupImports.contains("normal.dll") && !startupImports.contains("delayed.dll"),
                "\(name): imports at startup \(startupImports)", sourceLocation: sourceLocation)
        return descriptor
    }

    /// What the helpers rely on beyond the descriptor: each IAT slot and its unload copy start at
    /// the import's delay-load thunk in executable code, with a base relocation each (they hold
    /// absolute addresses); the bound IAT is all zeros; the IAT and the module handle are writable
    /// (the helper in main.c stores into them directly).
    static func checkTableContents(_ pe: PEImage, _ descriptor: DelayImportedDLL, _ name: String,
                                   sourceLocation: SourceLocation = #_sourceLocation) throws {
        let pointerSize = pe.optionalHeader.isPE32Plus ? 8 : 4
        let slots = descriptor.entries.count
        func pointers(_ rva: UInt32) throws -> [UInt64] {
            let bytes = try pe.bytes(atRVA: rva, count: slots * pointerSize)
            return (0..<slots).map { pointerSize == 8 ? bytes.u64($0 * 8) : UInt64(bytes.u32($0 * 4)) }
        }
        let iat = try pointers(descriptor.addressTableRVA)
        if descriptor.unloadAddressTableRVA != 0 {
            #expect(try pointers(descriptor.unloadAddressTableRVA) == iat, "\(name): the unload IAT differs from the IAT as written",
                    sourceLocation: sourceLocation)
        }
        if descriptor.boundAddressTableRVA != 0 {
            #expect(try pointers(descriptor.boundAddressTableRVA).allSatisfy { $0 == 0 }, "\(name): the bound IAT is not zero-filled",
                    sourceLocation: sourceLocation)
        }
        for address in iat {
            let section = pe.rva(fromVA: address).flatMap { pe.section(containing: $0) }
            #expect(section?.characteristics.contains(.memExecute) == true,
                    "\(name): an IAT slot holds 0x\(String(address, radix: 16)), not code (section \(section?.name ?? "none"))",
                    sourceLocation: sourceLocation)
        }
        for (rva, what) in [(descriptor.addressTableRVA, "IAT"), (descriptor.moduleHandleRVA, "module handle")] {
            #expect(pe.section(containing: rva)?.characteristics.contains(.memWrite) == true,
                    "\(name): the delay-load \(what) at \(hex(rva)) is in \(pe.section(containing: rva)?.name ?? "no section"), not writable",
                    sourceLocation: sourceLocation)
        }
        let relocated = Set(pe.baseRelocationBlocks.flatMap(\.entries).filter { $0.type != 0 }.map(\.rva))
        for table in [descriptor.addressTableRVA, descriptor.unloadAddressTableRVA] where table != 0 {
            for slot in 0..<slots {
                let rva = table + UInt32(slot * pointerSize)
                #expect(relocated.contains(rva), "\(name): no base relocation for the slot at \(hex(rva))", sourceLocation: sourceLocation)
            }
        }
    }

    /// The imports `llvm-readobj --coff-imports` lists: per DLL, the names, or `#ordinal`.
    struct ReadobjImports {
        var imports: [String: Set<String>] = [:]
        var delayImports: [String: Set<String>] = [:]
    }

    /// Reads llvm-readobj's blocks: `Import {` and `DelayImport {` at the start of a line, each with
    /// `Name: dll` and `Symbol: name (hint)` lines, or `Symbol:  (ordinal)` for an import by ordinal.
    static func readobjImports(_ readobj: String, _ file: URL) throws -> ReadobjImports {
        let run = try runProcess(readobj, ["--coff-imports", file.path])
        #expect(run.exitCode == 0, "llvm-readobj --coff-imports \(file.lastPathComponent): \(run.stderr)")
        var result = ReadobjImports()
        var isDelayBlock = false
        var dll: String?
        for line in run.stdout.split(separator: "\n").map(String.init) {
            if line.hasPrefix("Import {") || line.hasPrefix("DelayImport {") {
                isDelayBlock = line.hasPrefix("Delay")
                dll = nil
                continue
            }
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("Name: ") {
                dll = String(text.dropFirst("Name: ".count))
            } else if text.hasPrefix("Symbol:"), let dll, let open = text.lastIndex(of: "(") {
                let name = text[text.index(text.startIndex, offsetBy: "Symbol:".count)..<open].trimmingCharacters(in: .whitespaces)
                let symbol = name.isEmpty ? "#" + text[text.index(after: open)...].dropLast() : name
                if isDelayBlock { result.delayImports[dll, default: []].insert(symbol) } else { result.imports[dll, default: []].insert(symbol) }
            }
        }
        return result
    }

    // MARK: - 2. Under Wine

    @Test("under Wine: delayed.dll is loaded by the first call (through the import thunk and through dllimport), by name and by ordinal, the helper runs once per import; __FUnloadDelayLoadedDLL2 through data directory 13 unloads it and the next call loads it again",
          arguments: WineMachine.allCases)
    func loadedAtFirstCall(_ machine: WineMachine) throws {
        guard let tools = Self.msvcFlavorTools(machine) else { return }
        let folder = try makeTemporaryDirectory("wine-delayload-run-\(machine.rawValue)")
        defer { removeBuildFolder(folder) }
        guard Self.buildDLLsAndObjects(tools, in: folder),
              Self.check(linkDLL(arguments: Self.programArguments(machine, in: folder, output: "delay_main.exe") + ["/delay:unload"], tools: tools),
                         "linking delay_main.exe")
        else { return }
        try tools.checkImage(folder.appendingPathComponent("delay_main.exe"))
        try tools.runAndCheck("delay_main.exe", in: folder, expected: Self.programOutput, what: "delay-loaded delayed.dll")
    }

    // MARK: - 3. MinGW: dlltool's delay-import library

    @Test("MinGW flavor: an EXE linked through clang's driver against dlltool --output-delaylib's library and mingw-w64's __delayLoadHelper2 loads delayed.dll at the first call",
          arguments: WineMachine.allCases)
    func mingwDelayImportLibrary(_ machine: WineMachine) throws {
        guard let tools = requireWineTools(machine), let dlltool = requireTool(machine.mingwTriple + "-dlltool") else { return }
        let folder = try makeTemporaryDirectory("wine-delayload-mingw-\(machine.rawValue)")
        defer { removeBuildFolder(folder) }
        guard let bin = try tools.gnuLinkerFolder(folder) else { return }

        // The DLL is the MSVC-flavor one: which linker made it does not matter to the program.
        guard Self.build(tools.clang, machine.msvcCompileFlags + [Self.source("delayed.c"), "-o", "delayed.obj"], in: folder),
              Self.check(linkDLL(arguments: ["/dll", "/entry:DllMain", "/machine:\(machine.rawValue)", "/def:" + Self.source("delayed.def"),
                                             "/out:" + folder.appendingPathComponent("delayed.dll").path,
                                             folder.appendingPathComponent("delayed.obj").path], tools: tools),
                         "linking delayed.dll"),
              Self.build(dlltool, ["--output-delaylib", "libdelayed.a", "-d", Self.source("delayed.def"), "-D", "delayed.dll"], in: folder)
        else { return }
        // libmingwex.a, which clang's driver links by default, provides __delayLoadHelper2.
        if let failure = try tools.clangLink(bin: bin, in: folder, ["-O1", Self.source("mingw_main.c"), "-o", "delay_mingw.exe", "libdelayed.a"]) {
            Issue.record(Comment(rawValue: failure)); return
        }
        try tools.checkImage(folder.appendingPathComponent("delay_mingw.exe"))
        // dlltool's objects make no import directory entry: the loader never sees delayed.dll.
        let imported = try Self.image(folder, "delay_mingw.exe").imports.map { $0.name.lowercased() }
        #expect(!imported.contains("delayed.dll"), "delay_mingw.exe imports delayed.dll at startup: \(imported)")
        // The helper writes the delay IAT slots (dlltool's .idata$5): they must be in a writable section.
        let image = try Self.image(folder, "delay_mingw.exe")
        let slotSections = image.sections.filter { $0.name == ".idata" }
        #expect(slotSections.count == 1 && slotSections.allSatisfy { $0.characteristics.contains(.memWrite) },
                "delay_mingw.exe: no writable .idata section for dlltool's delay IAT: \(image.sections.map(\.name))")
        try tools.runAndCheck("delay_mingw.exe", in: folder, expected: Self.mingwProgramOutput, what: "dlltool delay-import library")
    }
}
