// End-to-end tests under Wine: DLLs are compiled with clang (MSVC target), linked by pelink
// (in-process, through `linkDLL(arguments:)`), and exercised by check DLLs and one test program
// built with mingw-w64 gcc. The whole suite runs as ONE Wine process (`wine_main.exe`), which
// loads `check_<scenario>.dll` for each scenario and prints one line per check:
//
//     begin <scenario>
//     ok <scenario>-<check> [value]        (or: FAIL <scenario>-<check> ...)
//     end <scenario>
//
// Each scenario's test compares its lines with the exact list below; `wholeSuiteExitsCleanly`
// checks the exit status. Sources live in Tests/WineCases/<scenario>/ (see common/ for the
// check helpers and the test program).
//
// Environment:
//   PELINK_WINE_LINKER=lld-link   link with an external linker (same arguments, plus /opt:noref
//                                 for lld-link) instead of pelink; a name on PATH or a full path.
//   PELINK_WINEPREFIX=/path       Wine prefix (default /tmp/pelink-wineprefix; made on first use).
//   PELINK_WINE_KEEP=1            keep the build directory (its path is printed) for diagnosis.

import Foundation
import PELink
import Testing
#if canImport(Glibc)
import Glibc
#endif

// MARK: - The scenarios

/// A static or import library made by the librarian (`/lib`) before the scenario's DLLs.
struct WineLibrary: Sendable {
    /// File name written into the library folder, e.g. "kernel32.lib".
    var fileName: String
    /// Librarian arguments besides `/lib` and `/out:` (placeholders as in `WineDLL.arguments`).
    var arguments: [String]
}

/// A DLL linked by the linker under test.
struct WineDLL: Sendable {
    /// Base name: `<name>.dll` in the program folder, `<name>.lib` (its import library) in the library folder.
    var name: String
    /// Link arguments besides `/dll /machine:x64 /out: /implib:`. Placeholders: `{obj}` the
    /// scenario's object folder, `{cases}` its source folder, `{root}` Tests/WineCases, `{lib}`
    /// the library folder.
    var arguments: [String]
    /// When set, the image's preferred base written in the file must be this.
    var preferredBase: UInt64? = nil
}

struct WineScenario: Sendable {
    /// Also the prefix of every check label, and `check_<name>.dll`.
    var name: String
    /// C (.c) or C++ (.cpp) sources in Tests/WineCases/<name>/, compiled with clang to `{obj}/<stem>.obj`.
    var sources: [String]
    var libraries: [WineLibrary] = []
    var dlls: [WineDLL]
    /// Import libraries (from the library folder) the mingw-built check DLL links against.
    var checkImports: [String]
    /// The exact lines the check DLL prints, in order.
    var expected: [String]
}

let wineScenarios: [WineScenario] = [
    WineScenario(
        name: "name",
        sources: ["name.c"],
        dlls: [WineDLL(name: "wn_name", arguments: ["/noentry", "/def:{cases}/name.def", "{obj}/name.obj"])],
        checkImports: ["wn_name.lib"],
        expected: [
            "ok name-call 42",
            "ok name-thunk-call 42",
            "ok name-directive-export 42",
            "ok name-greeting hello-from-wn_name",
            "ok name-internal-call 40",
            "ok name-module-loaded",
            "ok name-address",
            "ok name-private-hidden",
        ]),
    WineScenario(
        name: "ordinal",
        sources: ["ordinal.c"],
        dlls: [WineDLL(name: "wn_ordinal", arguments: ["/noentry", "/def:{cases}/ordinal.def", "{obj}/ordinal.obj"])],
        checkImports: ["wn_ordinal.lib"],
        expected: [
            "ok ordinal-found",
            "ok ordinal-call 555",
            "ok ordinal-noname-hidden",
            "ok ordinal-named-number",
            "ok ordinal-named-call 333",
            "ok ordinal-gap-empty",
            "ok ordinal-past-end-empty",
            "ok ordinal-implib-call 777",
            "ok ordinal-implib-address",
        ]),
    WineScenario(
        name: "alias",
        sources: ["alias.c"],
        dlls: [WineDLL(name: "wn_alias", arguments: ["/noentry", "/def:{cases}/alias.def", "{obj}/alias.obj"])],
        checkImports: ["wn_alias.lib"],
        expected: [
            "ok alias-call 101",
            "ok alias-target-call 102",
            "ok alias-public-call 7",
            "ok alias-same-address",
            "ok alias-module-loaded",
            "ok alias-getprocaddress-same",
            "ok alias-ordinal-same",
            "ok alias-second-name-same",
            "ok alias-internal-hidden",
        ]),
    WineScenario(
        name: "data",
        sources: ["data.c"],
        dlls: [WineDLL(name: "wn_data", arguments: ["/noentry", "/def:{cases}/data.def", "{obj}/data.obj"])],
        checkImports: ["wn_data.lib"],
        expected: [
            "ok data-initial 1234",
            "ok data-dll-sees-write 777",
            "ok data-exe-sees-write 778",
            "ok data-same-address",
            "ok data-array 370",
            "ok data-text exported-text",
            "ok data-getprocaddress",
        ]),
    WineScenario(
        name: "forward",
        sources: ["forward.c"],
        dlls: [WineDLL(name: "wn_forward", arguments: ["/noentry", "/def:{cases}/forward.def", "{obj}/forward.obj"])],
        checkImports: ["wn_forward.lib"],
        expected: [
            "ok forward-local-call 5",
            "ok forward-tick-address",
            "ok forward-tick-call",
            "ok forward-pid-implib",
            "ok forward-ordinal-address",
            "ok forward-ordinal-call 9",
        ]),
    WineScenario(
        name: "reloc",
        sources: ["reloc.c"],
        dlls: ["wn_relocA", "wn_relocB"].map {
            WineDLL(name: $0, arguments: ["/noentry", "/base:0x180000000", "/def:{cases}/reloc.def", "{obj}/reloc.obj"],
                    preferredBase: 0x1_8000_0000)
        },
        checkImports: [],
        expected: ["ok reloc-distinct", "ok reloc-relocated"] + ["a", "b"].flatMap { tag in
            [
                "ok reloc-\(tag)-table-call0 11",
                "ok reloc-\(tag)-table-call1 22",
                "ok reloc-\(tag)-table-call2 33",
                "ok reloc-\(tag)-table-entry-address",
                "ok reloc-\(tag)-table-entry-inside",
                "ok reloc-\(tag)-data-pointer",
                "ok reloc-\(tag)-data-pointer-value 99",
                "ok reloc-\(tag)-exported-pointer-inside",
                "ok reloc-\(tag)-exported-pointer-value 3",
                "ok reloc-\(tag)-string0 alpha",
                "ok reloc-\(tag)-string1 beta",
                "ok reloc-\(tag)-chain 60",
            ]
        }),
    WineScenario(
        name: "kernel32",
        sources: ["k32_dllimport.c", "k32_thunk.c"],
        libraries: [WineLibrary(fileName: "kernel32.lib", arguments: ["/def:{root}/kernel32.def", "/machine:x64"])],
        dlls: [WineDLL(name: "wn_kernel32", arguments: [
            "/noentry", "/libpath:{lib}", "kernel32.lib", "{obj}/k32_dllimport.obj", "{obj}/k32_thunk.obj",
        ] + ["pid", "tick", "length", "tick_address"].flatMap { what in
            ["/export:k32_\(what)_dllimport", "/export:k32_\(what)_thunk"]
        })],
        checkImports: ["wn_kernel32.lib"],
        expected: [
            "ok kernel32-module-loaded",
            "ok kernel32-pid-dllimport",
            "ok kernel32-pid-thunk",
            "ok kernel32-tick-dllimport",
            "ok kernel32-tick-thunk",
            "ok kernel32-length-dllimport 5",
            "ok kernel32-length-thunk 12",
            "ok kernel32-iat-address",
            "ok kernel32-thunk-inside",
        ]),
    // Imports through a GNU import library (objects whose .idata$N sections form the tables).
    WineScenario(
        name: "gnuimport",
        // The kernel32 scenario's sources, linked against the GNU import library instead.
        sources: ["../kernel32/k32_dllimport.c", "../kernel32/k32_thunk.c"],
        dlls: [WineDLL(name: "wn_gnuimport", arguments: [
            "/noentry", "/usr/x86_64-w64-mingw32/lib/libkernel32.a", "{obj}/k32_dllimport.obj", "{obj}/k32_thunk.obj",
        ] + ["pid", "tick", "length", "tick_address"].flatMap { what in
            ["/export:k32_\(what)_dllimport", "/export:k32_\(what)_thunk"]
        })],
        checkImports: ["wn_gnuimport.lib"],
        expected: [
            "ok gnuimport-module-loaded",
            "ok gnuimport-pid-dllimport",
            "ok gnuimport-pid-thunk",
            "ok gnuimport-tick-dllimport",
            "ok gnuimport-tick-thunk",
            "ok gnuimport-length-dllimport 5",
            "ok gnuimport-length-thunk 12",
            "ok gnuimport-iat-address",
            "ok gnuimport-thunk-inside",
        ]),
    WineScenario(
        name: "dllmain",
        sources: ["dllmain.c"],
        dlls: [
            WineDLL(name: "wn_dllmain", arguments: ["/entry:MyDllMain", "/def:{cases}/dllmain.def", "{obj}/dllmain.obj"]),
            WineDLL(name: "wn_dllmain_refuse",
                    arguments: ["/entry:RefusingDllMain", "/def:{cases}/dllmain.def", "{obj}/dllmain.obj"]),
        ],
        checkImports: [],
        expected: [
            "ok dllmain-attached 1",
            "ok dllmain-instance",
            "ok dllmain-data-initialised 7",
            "ok dllmain-same-module",
            "ok dllmain-attach-once 1",
            "ok dllmain-still-loaded 0",
            "ok dllmain-detached 24301",
            "ok dllmain-refused",
            "ok dllmain-refused-error 1114",
        ]),
    WineScenario(
        name: "staticlib",
        sources: ["staticlib_main.c", "helper_a.c", "helper_b.c", "helper_c.c", "helper_d.c", "helper_e.c"],
        libraries: [WineLibrary(fileName: "helpers.lib", arguments: ["a", "b", "c", "d", "e"].map { "{obj}/helper_\($0).obj" })],
        dlls: [WineDLL(name: "wn_staticlib", arguments: [
            "/noentry", "{obj}/staticlib_main.obj", "{lib}/helpers.lib",
            "/export:staticlib_compute", "/export:staticlib_hook", "/export:helper_b_exported",
            "/alternatename:optional_hook=default_hook", "/include:helper_e_marker",
        ])],
        checkImports: ["wn_staticlib.lib"],
        expected: [
            "ok staticlib-pulled 42",
            "ok staticlib-alternatename 404",
            "ok staticlib-export-from-member 77",
            "ok staticlib-module-loaded",
            "ok staticlib-include 55",
            "ok staticlib-unpulled-absent",
        ]),
    WineScenario(
        name: "comdat",
        sources: ["comdat_a.cpp", "comdat_b.cpp", "comdat_c.cpp"],
        dlls: [WineDLL(name: "wn_comdat", arguments: [
            "/noentry", "/def:{cases}/comdat.def", "{obj}/comdat_a.obj", "{obj}/comdat_b.obj", "{obj}/comdat_c.obj",
        ])],
        checkImports: ["wn_comdat.lib"],
        expected: [
            "ok comdat-inline-one-copy-ab",
            "ok comdat-inline-one-copy-ac",
            "ok comdat-inline-call 16",
            "ok comdat-inline-inlined-call 22",
            "ok comdat-selectany-one-copy-ab",
            "ok comdat-selectany-one-copy-ac",
            "ok comdat-selectany-exported",
            "ok comdat-selectany-value 2024",
            "ok comdat-selectany-shared 2026",
            "ok comdat-static-local-one-copy-ab",
            "ok comdat-static-local-one-copy-ac",
        ]),
]

// MARK: - The tests

@Suite("Wine end-to-end")
struct WineTests {
    @Test("DLL scenario runs correctly under Wine", arguments: wineScenarios.map(\.name))
    func scenario(_ name: String) async throws {
        guard let tools = requireWineTools() else { return }
        let scenario = try #require(wineScenarios.first { $0.name == name })
        let outcome = await WineSuite.shared.outcome(tools: tools)
        if let setup = outcome.setupProblem {
            Issue.record("Wine suite could not run (\(outcome.linkerDescription)): \(setup)")
            return
        }
        let build = outcome.builds[name] ?? ScenarioBuild()
        for problem in build.imageProblems {
            Issue.record("\(name): \(problem)")
        }
        if !build.problems.isEmpty {
            Issue.record("""
                scenario '\(name)' was not run: building it failed (\(outcome.linkerDescription))
                \(build.problems.joined(separator: "\n"))
                """)
            return
        }
        guard let lines = outcome.blocks[name] else {
            Issue.record("scenario '\(name)' printed nothing under Wine\n\(outcome.runSummary)")
            return
        }
        if !outcome.finished.contains(name) {
            Issue.record("scenario '\(name)' did not finish under Wine (crash or timeout)\n\(outcome.runSummary)")
        }
        if lines != scenario.expected {
            Issue.record("""
                scenario '\(name)': output differs (\(outcome.linkerDescription))
                \(describeDifference(got: lines, expected: scenario.expected))
                full output of the scenario:
                \(lines.map { "  " + $0 }.joined(separator: "\n"))
                """)
        }
    }

    @Test("The Wine test program exits with status 0 and prints only expected lines")
    func wholeSuiteExitsCleanly() async throws {
        guard let tools = requireWineTools() else { return }
        let outcome = await WineSuite.shared.outcome(tools: tools)
        if let setup = outcome.setupProblem {
            Issue.record("Wine suite could not run (\(outcome.linkerDescription)): \(setup)")
            return
        }
        let notBuilt = wineScenarios.map(\.name).filter { !(outcome.builds[$0]?.problems.isEmpty ?? false) }
        if !notBuilt.isEmpty {
            Issue.record("scenarios not run because building them failed: \(notBuilt.joined(separator: ", "))")
        }
        #expect(!outcome.runs.isEmpty || notBuilt.count == wineScenarios.count, "Wine was never run")
        for run in outcome.runs where run.exitCode != 0 || run.timedOut {
            Issue.record("wine_main.exe \(run.scenarios.joined(separator: " ")) \(run.timedOut ? "timed out" : "exited with \(run.exitCode)")\n\(run.stderrTail)")
        }
        #expect(outcome.stray.isEmpty, "lines outside any scenario: \(outcome.stray)")
    }
}

/// The tools the suite needs, or nil (skip, or an Issue under PELINK_REQUIRE_ORACLES=1).
func requireWineTools(sourceLocation: SourceLocation = #_sourceLocation) -> WineTools? {
    let linkerChoice = ProcessInfo.processInfo.environment["PELINK_WINE_LINKER"] ?? ""
    var externalLinker: String? = nil
    if !linkerChoice.isEmpty && linkerChoice != "pelink" {
        if linkerChoice.contains("/") {
            externalLinker = linkerChoice
        } else {
            guard let path = requireTool(linkerChoice, sourceLocation: sourceLocation) else { return nil }
            externalLinker = path
        }
    }
    guard let clang = requireTool("clang", sourceLocation: sourceLocation),
          let gcc = requireTool("x86_64-w64-mingw32-gcc", sourceLocation: sourceLocation)
    else { return nil }
    // These programs are 64-bit: run them with the 64-bit loader itself. Once wine32 is installed
    // the `wine` launcher starts the 32-bit loader first, which with a DLL override set fails
    // before the program runs ("unimplemented function shell32.dll.SHGetFolderPathW").
    guard let wine = findTool("wine64") ?? requireTool("wine", sourceLocation: sourceLocation) else { return nil }
    return WineTools(clang: clang, gcc: gcc, wine: wine, externalLinker: externalLinker)
}

/// Lists the lines missing from and the lines extra in `got`, or the first out-of-order line.
func describeDifference(got: [String], expected: [String]) -> String {
    var report: [String] = []
    let missing = expected.filter { !got.contains($0) }
    let extra = got.filter { !expected.contains($0) }
    report += missing.map { "  missing:    \($0)" }
    report += extra.map { "  unexpected: \($0)" }
    if report.isEmpty {
        if let index = zip(got, expected).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            report.append("  line \(index + 1): got '\(got[index])', expected '\(expected[index])'")
        } else {
            report.append("  got \(got.count) lines, expected \(expected.count)")
        }
    }
    return report.joined(separator: "\n")
}

// MARK: - Linking (the step under test)

struct WineTools: Sendable {
    var clang: String
    var gcc: String
    var wine: String
    /// nil: pelink in-process. Otherwise an external linker run with the same arguments.
    var externalLinker: String?

    var linkerDescription: String {
        externalLinker.map { "linked with \($0)" } ?? "linked with pelink (in-process)"
    }
}

struct LinkStep: Sendable {
    var exitCode: Int32
    var diagnostics: String
}

/// Links one DLL: pelink's `Driver.run`, or under PELINK_WINE_LINKER the external linker with the
/// same arguments (lld-link also gets /opt:noref so both linkers keep the same sections).
func linkDLL(arguments: [String], tools: WineTools) -> LinkStep {
    guard let external = tools.externalLinker else {
        let result = Driver.run(arguments: arguments)
        return LinkStep(exitCode: result.exitCode, diagnostics: result.diagnostics + result.output)
    }
    let extra = URL(fileURLWithPath: external).lastPathComponent.hasPrefix("lld-link") ? ["/opt:noref"] : []
    return runExternalLinker(external, arguments + extra)
}

/// Runs the librarian: `pelink /lib ...` in-process, or `<external> /lib ...`.
func makeLibrary(arguments: [String], tools: WineTools) -> LinkStep {
    let full = ["/lib"] + arguments
    guard let external = tools.externalLinker else {
        let result = Driver.run(arguments: full)
        return LinkStep(exitCode: result.exitCode, diagnostics: result.diagnostics + result.output)
    }
    return runExternalLinker(external, full)
}

private func runExternalLinker(_ path: String, _ arguments: [String]) -> LinkStep {
    do {
        let result = try runProcess(path, arguments)
        return LinkStep(exitCode: result.exitCode, diagnostics: result.stderr + result.stdout)
    } catch {
        return LinkStep(exitCode: -1, diagnostics: "cannot run \(path): \(error)")
    }
}

// MARK: - Building and running the suite (once per test process)

struct ScenarioBuild: Sendable {
    /// Failures that kept the scenario from running (compile, link, check DLL build).
    var problems: [String] = []
    /// Wrong facts about the linked images; reported, but the scenario still runs.
    var imageProblems: [String] = []
}

struct WineRun: Sendable {
    var scenarios: [String]
    var exitCode: Int32
    var timedOut: Bool
    var stderrTail: String
}

struct WineSuiteOutcome: Sendable {
    var linkerDescription: String
    var setupProblem: String?
    var builds: [String: ScenarioBuild] = [:]
    /// Lines printed between `begin <scenario>` and `end <scenario>`.
    var blocks: [String: [String]] = [:]
    var finished: Set<String> = []
    /// Lines printed outside any scenario.
    var stray: [String] = []
    var runs: [WineRun] = []

    var runSummary: String {
        runs.map { run in
            "wine_main.exe \(run.scenarios.joined(separator: " ")): \(run.timedOut ? "timed out" : "exit \(run.exitCode)")"
                + (run.stderrTail.isEmpty ? "" : "\n" + run.stderrTail)
        }.joined(separator: "\n")
    }
}

/// Builds and runs the suite once, however many tests ask for it (they run in parallel).
enum WineSuite {
    static let shared = RunOnce<WineSuiteOutcome>()
}

extension RunOnce where Value == WineSuiteOutcome {
    func outcome(tools: WineTools) async -> WineSuiteOutcome { await value { buildAndRunWineSuite(tools: tools) } }
}

private let wineCasesRoot = repositoryRoot.appendingPathComponent("Tests/WineCases")

/// The whole pipeline: compile, link (the step under test), build the mingw check DLLs and the
/// test program, then run it under Wine (again for the rest after a crash).
func buildAndRunWineSuite(tools: WineTools) -> WineSuiteOutcome {
    var outcome = WineSuiteOutcome(linkerDescription: tools.linkerDescription)
    let work: URL
    do {
        work = try makeTemporaryDirectory("wine")
    } catch {
        outcome.setupProblem = "cannot make a temporary directory: \(error)"
        return outcome
    }
    let keep = ProcessInfo.processInfo.environment["PELINK_WINE_KEEP"] == "1"
    defer {
        if keep { print("note: Wine test build directory kept at \(work.path)") }
        else { try? FileManager.default.removeItem(at: work) }
    }
    let bin = work.appendingPathComponent("bin"), lib = work.appendingPathComponent("lib")
    for folder in [bin, lib] { try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }

    // The test program first: without it nothing can run.
    let common = wineCasesRoot.appendingPathComponent("common")
    let mainBuild = runTool(tools.gcc, ["-O1", "-o", bin.appendingPathComponent("wine_main.exe").path,
                                        common.appendingPathComponent("wine_main.c").path])
    if let failure = mainBuild {
        outcome.setupProblem = "building wine_main.exe failed:\n\(failure)"
        return outcome
    }

    var runnable: [String] = []
    for scenario in wineScenarios {
        let build = buildScenario(scenario, tools: tools, work: work, bin: bin, lib: lib, common: common)
        outcome.builds[scenario.name] = build
        if build.problems.isEmpty { runnable.append(scenario.name) }
    }
    if runnable.isEmpty { return outcome }

    if let problem = prepareWinePrefix(tools: tools) {
        outcome.setupProblem = problem
        return outcome
    }

    // Normally one run. After a crash (a `begin` without its `end`), run the scenarios after it.
    var pending = runnable
    while !pending.isEmpty {
        let run: (result: ProcessResult, timedOut: Bool)
        do {
            run = try runWithTimeout(tools.wine, ["wine_main.exe"] + pending, environment: wineEnvironment,
                                     currentDirectory: bin.path, timeout: 180)
        } catch {
            outcome.setupProblem = "cannot start wine: \(error)"
            return outcome
        }
        outcome.runs.append(WineRun(scenarios: pending, exitCode: run.result.exitCode, timedOut: run.timedOut,
                                    stderrTail: String(run.result.stderr.suffix(2000))))
        var current: String? = nil
        var lastBegun: String? = nil
        // Wine's msvcrt writes "\r\n", a single Character in Swift: split on any newline.
        for rawLine in run.result.stdout.split(whereSeparator: \.isNewline) {
            let line = String(rawLine)
            if line.hasPrefix("begin ") {
                current = String(line.dropFirst(6))
                lastBegun = current
                if let current { outcome.blocks[current] = [] }
            } else if line.hasPrefix("end ") {
                outcome.finished.insert(String(line.dropFirst(4)))
                current = nil
            } else if let current {
                outcome.blocks[current, default: []].append(line)
            } else if !line.isEmpty {
                outcome.stray.append(line)
            }
        }
        guard let lastBegun, let index = pending.firstIndex(of: lastBegun) else { break }
        if outcome.finished.contains(lastBegun) { break }
        if run.timedOut { outcome.blocks[lastBegun, default: []].append("FAIL \(lastBegun)-timeout") }
        pending = Array(pending[(index + 1)...])
    }
    return outcome
}

/// Compiles, links and builds the check DLL of one scenario.
private func buildScenario(_ scenario: WineScenario, tools: WineTools, work: URL, bin: URL, lib: URL,
                           common: URL) -> ScenarioBuild {
    var build = ScenarioBuild()
    let cases = wineCasesRoot.appendingPathComponent(scenario.name)
    let obj = work.appendingPathComponent("obj/\(scenario.name)")
    try? FileManager.default.createDirectory(at: obj, withIntermediateDirectories: true)
    func expand(_ argument: String) -> String {
        argument.replacingOccurrences(of: "{obj}", with: obj.path)
            .replacingOccurrences(of: "{cases}", with: cases.path)
            .replacingOccurrences(of: "{root}", with: wineCasesRoot.path)
            .replacingOccurrences(of: "{lib}", with: lib.path)
    }

    for source in scenario.sources {
        let stem = ((source as NSString).lastPathComponent as NSString).deletingPathExtension
        var arguments = ["--target=x86_64-pc-windows-msvc", "-c", "-O1", "-fno-stack-protector", "-mno-stack-arg-probe"]
        if source.hasSuffix(".cpp") { arguments += ["-fno-exceptions", "-fno-rtti"] }
        arguments += [cases.appendingPathComponent(source).path, "-o", obj.appendingPathComponent(stem + ".obj").path]
        if let failure = runTool(tools.clang, arguments) { build.problems.append("compiling \(source) failed:\n\(failure)") }
    }
    if !build.problems.isEmpty { return build }

    for library in scenario.libraries {
        let arguments = ["/out:" + lib.appendingPathComponent(library.fileName).path] + library.arguments.map(expand)
        let step = makeLibrary(arguments: arguments, tools: tools)
        if step.exitCode != 0 {
            build.problems.append("making \(library.fileName) failed (exit \(step.exitCode)): /lib \(arguments.joined(separator: " "))\n\(step.diagnostics)")
        }
    }
    if !build.problems.isEmpty { return build }

    for dll in scenario.dlls {
        let image = bin.appendingPathComponent(dll.name + ".dll")
        let importLibrary = lib.appendingPathComponent(dll.name + ".lib")
        let arguments = ["/dll", "/machine:x64", "/out:" + image.path, "/implib:" + importLibrary.path]
            + dll.arguments.map(expand)
        let step = linkDLL(arguments: arguments, tools: tools)
        if step.exitCode != 0 {
            build.problems.append("linking \(dll.name).dll failed (exit \(step.exitCode)): \(arguments.joined(separator: " "))\n\(step.diagnostics)")
            continue
        }
        for (file, what) in [(image, "the DLL"), (importLibrary, "the import library")]
        where !FileManager.default.fileExists(atPath: file.path) {
            build.problems.append("linking \(dll.name).dll succeeded but \(what) \(file.lastPathComponent) was not written")
        }
        if let wanted = dll.preferredBase {
            let found = preferredImageBase(of: image)
            if found != wanted {
                let shown = found.map { "0x" + String($0, radix: 16) } ?? "unreadable"
                build.imageProblems.append("\(dll.name).dll has preferred base \(shown), expected 0x\(String(wanted, radix: 16))")
            }
        }
    }
    if !build.problems.isEmpty { return build }

    let check = bin.appendingPathComponent("check_\(scenario.name).dll")
    let gccArguments = ["-O1", "-Wall", "-shared", "-I", common.path, "-o", check.path,
                        cases.appendingPathComponent("check.c").path]
        + scenario.checkImports.map { lib.appendingPathComponent($0).path }
    if let failure = runTool(tools.gcc, gccArguments) {
        build.problems.append("building check_\(scenario.name).dll with mingw (against the linker's import libraries) failed:\n\(failure)")
    }
    return build
}

/// Runs a build tool; nil on success, else a description of the failure.
private func runTool(_ tool: String, _ arguments: [String]) -> String? {
    do {
        let result = try runProcess(tool, arguments)
        if result.exitCode == 0 { return nil }
        return "\(tool) \(arguments.joined(separator: " ")) → exit \(result.exitCode)\n\(result.stderr)\(result.stdout)"
    } catch {
        return "cannot run \(tool): \(error)"
    }
}

/// ImageBase from a PE32+ file's optional header, or nil when the file is not one.
func preferredImageBase(of file: URL) -> UInt64? {
    guard let data = try? Data(contentsOf: file), data.count >= 0x40 else { return nil }
    let bytes = [UInt8](data)
    func little(_ offset: Int, _ count: Int) -> UInt64? {
        guard offset >= 0, offset + count <= bytes.count else { return nil }
        return (0..<count).reversed().reduce(UInt64(0)) { ($0 << 8) | UInt64(bytes[offset + $1]) }
    }
    guard let peOffset = little(0x3c, 4).map(Int.init), little(peOffset, 4) == 0x4550,
          little(peOffset + 24, 2) == 0x20b
    else { return nil }
    return little(peOffset + 24 + 24, 8)
}

// MARK: - Wine

let winePrefix = ProcessInfo.processInfo.environment["PELINK_WINEPREFIX"] ?? "/tmp/pelink-wineprefix"

let wineEnvironment: [String: String] = [
    "WINEPREFIX": winePrefix,
    "WINEDEBUG": "-all",
    // No Mono/Gecko installer prompts while the prefix is made; no winemenubuilder, which in a
    // prefix with 32-bit Wine (wine32) crashes on an unimplemented shell32 function and starts winedbg.
    "WINEDLLOVERRIDES": "mscoree,mshtml=;winemenubuilder.exe=d",
]

/// Makes the prefix on first use (wineboot prints a lot on stderr; that is not a failure), under
/// a lock so concurrent test processes do not create it twice. nil on success.
func prepareWinePrefix(tools: WineTools) -> String? {
    let marker = winePrefix + "/system.reg"
    if FileManager.default.fileExists(atPath: marker) { return nil }
    let lockDescriptor = open(winePrefix + ".lock", O_CREAT | O_RDWR, 0o644)
    if lockDescriptor >= 0 { flock(lockDescriptor, LOCK_EX) }
    defer {
        if lockDescriptor >= 0 {
            flock(lockDescriptor, LOCK_UN)
            close(lockDescriptor)
        }
    }
    if FileManager.default.fileExists(atPath: marker) { return nil }
    let boot: (result: ProcessResult, timedOut: Bool)
    do {
        boot = try runWithTimeout(tools.wine, ["wineboot", "--init"], environment: wineEnvironment,
                                  currentDirectory: "/tmp", timeout: 300)
    } catch {
        return "cannot run wineboot: \(error)"
    }
    if FileManager.default.fileExists(atPath: marker) { return nil }
    return "wineboot did not create the prefix \(winePrefix) (exit \(boot.result.exitCode)\(boot.timedOut ? ", timed out" : ""))\n"
        + String(boot.result.stderr.suffix(2000))
}

private final class OutputBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ chunk: Data) { lock.lock(); data.append(chunk); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }
}

/// Like `runProcess`, but gives up after `timeout` seconds (killing the process) and keeps
/// whatever was printed until then.
/// Wine runs one program at a time: several test suites running wine side by side on one prefix
/// make wineserver crawl (seen: timeouts), so every wine run takes this lock.
let wineRunLock = NSLock()

func runWithTimeout(_ executable: String, _ arguments: [String], environment: [String: String],
                    currentDirectory: String, timeout: Double) throws -> (result: ProcessResult, timedOut: Bool) {
    let isWine = ["wine", "wine64", "wineboot"].contains((executable as NSString).lastPathComponent)
    if isWine { wineRunLock.lock() }
    defer { if isWine { wineRunLock.unlock() } }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory)
    let outPipe = Pipe(), errPipe = Pipe()
    process.standardOutput = outPipe
    process.standardError = errPipe
    process.standardInput = FileHandle.nullDevice
    let exited = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in exited.signal() }
    try process.run()
    let out = OutputBuffer(), err = OutputBuffer()
    let readers = DispatchGroup()
    for (handle, sink) in [(outPipe.fileHandleForReading, out), (errPipe.fileHandleForReading, err)] {
        DispatchQueue.global().async(group: readers) {
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                sink.append(chunk)
            }
        }
    }
    var timedOut = false
    if exited.wait(timeout: .now() + timeout) == .timedOut {
        timedOut = true
        process.terminate()
        if exited.wait(timeout: .now() + 5) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            _ = exited.wait(timeout: .now() + 5)
        }
    }
    // A left-over child holding the pipes open must not hang the test.
    _ = readers.wait(timeout: .now() + 10)
    let status: Int32 = process.isRunning ? -1 : process.terminationStatus
    return (ProcessResult(exitCode: status, stdout: out.text, stderr: err.text), timedOut)
}
