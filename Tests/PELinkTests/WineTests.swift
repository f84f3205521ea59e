// End-to-end tests under Wine, for x64 and for i386: DLLs are compiled with clang (MSVC target,
// no CRT), linked by the linker under test (pelink in-process, through `linkDLL(arguments:)`), and
// exercised by check DLLs and one test program built with mingw-w64 gcc for the same machine. Each
// machine's suite runs as ONE Wine process (`wine_main.exe`), which loads `check_<scenario>.dll`
// for each scenario and prints one line per check:
//
//     begin <scenario>
//     ok <scenario>-<check> [value]        (or: FAIL <scenario>-<check> ...)
//     end <scenario>
//
// Each scenario's test compares its lines with the exact list below; `wholeSuiteExitsCleanly`
// checks the exit status. Sources live in Tests/WineCases/<scenario>/: the scenarios of both
// machines (the same sources, compiled for each) and the x64-only ones; the i386-only ones
// (calling conventions, SafeSEH, TLS) in Tests/WineCases/i386/<scenario>/. Every DLL and import
// library is also made by lld-link and compared (`imagesMatchLLDLink`).
//
// Environment (Support/Wine.swift): PELINK_WINE_LINKER, PELINK_WINEPREFIX, PELINK_WINE_KEEP.

import Foundation
import PEFormat
import PELink
import Testing

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
    /// Link arguments besides `/dll /machine: /out: /implib:`. Placeholders: `{obj}` the
    /// scenario's object folder, `{cases}` its source folder, `{root}` Tests/WineCases, `{lib}`
    /// the library folder.
    var arguments: [String]
    /// When set, the image's preferred base written in the file must be this.
    var preferredBase: UInt64? = nil
}

struct WineScenario: Sendable {
    /// Also the prefix of every check label, and `check_<name>.dll`.
    var name: String
    /// The source folder, relative to Tests/WineCases, when it is not `name` (i386-only scenarios).
    var folder: String? = nil
    /// C (.c) or C++ (.cpp) sources in the source folder, compiled with clang to `{obj}/<stem>.obj`.
    var sources: [String]
    var libraries: [WineLibrary] = []
    var dlls: [WineDLL]
    /// Import libraries (from the library folder) the mingw-built check DLL links against.
    var checkImports: [String]
    /// The exact lines the check DLL prints, in order.
    var expected: [String]
}

/// The scenarios of `machine`, in the order they run.
func wineScenarios(_ machine: WineMachine) -> [WineScenario] {
    bothMachinesScenarios(machine) + (machine == .x64 ? x64OnlyScenarios : i386OnlyScenarios)
}

/// Link arguments exporting the functions of kernel32/k32_*.c.
private let kernel32Exports = ["pid", "tick", "length", "muldiv", "tick_address"].flatMap { what in
    ["/export:k32_\(what)_dllimport", "/export:k32_\(what)_thunk"]
}

/// The scenarios of both machines: the same sources and checks; the link arguments differ only
/// where the machine does (preferred bases, import libraries).
private func bothMachinesScenarios(_ machine: WineMachine) -> [WineScenario] {
    func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
    // wn_relocA and wn_relocB share a base; wn_relocC has the one the EXE (mingw gcc's default) already occupies.
    let sharedBase: UInt64 = machine == .x64 ? 0x1_8000_0000 : 0x1000_0000
    let exeBase: UInt64 = machine == .x64 ? 0x1_4000_0000 : 0x40_0000
    return [
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
                "ok ordinal-implib-stdcall 900",
                "ok ordinal-stdcall-address",
                "ok ordinal-stdcall-call 889",
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
                "ok data-pointer-export",
                "ok data-array 370",
                "ok data-text exported-text",
                "ok data-getprocaddress",
                "ok data-no-decorated-name",
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
                "ok forward-noname-address",
                "ok forward-noname-call 21",
                "ok forward-noname-hidden",
            ]),
        WineScenario(
            name: "reloc",
            sources: ["reloc.c"],
            dlls: ["wn_relocA", "wn_relocB"].map {
                WineDLL(name: $0, arguments: ["/noentry", "/base:\(hex(sharedBase))", "/def:{cases}/reloc.def", "{obj}/reloc.obj"],
                        preferredBase: sharedBase)
            } + [
                WineDLL(name: "wn_relocC", arguments: ["/noentry", "/base:\(hex(exeBase))", "/def:{cases}/reloc.def", "{obj}/reloc.obj"],
                        preferredBase: exeBase),
            ],
            checkImports: [],
            expected: ["ok reloc-distinct", "ok reloc-relocated", "ok reloc-c-relocated"] + ["a", "b", "c"].flatMap { tag in
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
                    "ok reloc-\(tag)-interior-pointer 10",
                    "ok reloc-\(tag)-end-pointer 16",
                    "ok reloc-\(tag)-interior-value 97",
                    "ok reloc-\(tag)-chain 60",
                ]
            }),
        WineScenario(
            name: "kernel32",
            sources: ["k32_dllimport.c", "k32_thunk.c"],
            // i386: a .def naming the stdcall symbols the code calls ("_GetTickCount@0 == GetTickCount").
            libraries: [WineLibrary(fileName: "kernel32.lib", arguments: [
                machine == .x64 ? "/def:{root}/kernel32.def" : "/def:{root}/i386/common/kernel32.def", "/machine:\(machine.rawValue)",
            ])],
            dlls: [WineDLL(name: "wn_kernel32", arguments: [
                "/noentry", "/libpath:{lib}", "kernel32.lib", "{obj}/k32_dllimport.obj", "{obj}/k32_thunk.obj",
            ] + kernel32Exports)],
            checkImports: ["wn_kernel32.lib"],
            expected: kernel32Checks("kernel32")),
        // Imports through a GNU import library (objects whose .idata$N sections form the tables).
        WineScenario(
            name: "gnuimport",
            // The kernel32 scenario's sources, linked against the GNU import library instead.
            sources: ["../kernel32/k32_dllimport.c", "../kernel32/k32_thunk.c"],
            // i386: GNU import objects carry no @feat.00 SafeSEH bit, so /safeseh:no, as lld-link needs.
            dlls: [WineDLL(name: "wn_gnuimport", arguments: ["/noentry"] + (machine == .x86 ? ["/safeseh:no"] : []) + [
                machine.mingwRoot + "/lib/libkernel32.a", "{obj}/k32_dllimport.obj", "{obj}/k32_thunk.obj",
            ] + kernel32Exports)],
            checkImports: ["wn_gnuimport.lib"],
            expected: kernel32Checks("gnuimport")),
        WineScenario(
            name: "dllmain",
            sources: ["dllmain.c", "dllstartup.c"],
            dlls: [
                // i386: MyDllMain is stdcall, the object defines _MyDllMain@12.
                WineDLL(name: "wn_dllmain", arguments: ["/entry:MyDllMain", "/def:{cases}/dllmain.def", "{obj}/dllmain.obj"]),
                WineDLL(name: "wn_dllmain_refuse",
                        arguments: ["/entry:RefusingDllMain", "/def:{cases}/dllmain.def", "{obj}/dllmain.obj"]),
                // Neither /entry nor /noentry: the default entry of a DLL, _DllMainCRTStartup
                // (i386: __DllMainCRTStartup@12).
                WineDLL(name: "wn_dllstartup", arguments: ["{obj}/dllstartup.obj"]),
            ],
            checkImports: [],
            expected: [
                "ok dllmain-attached 1",
                "ok dllmain-instance",
                "ok dllmain-data-initialised 7",
                "ok dllmain-thread-attach",
                "ok dllmain-same-module",
                "ok dllmain-attach-once 1",
                "ok dllmain-still-loaded 0",
                "ok dllmain-detached 24301",
                "ok dllmain-refused",
                "ok dllmain-refused-error 1114",
                "ok dllmain-default-entry-attach 2",
                "ok dllmain-default-entry-instance",
            ]),
    ]
}

/// What kernel32/check.c prints for the scenario `name` (kernel32, gnuimport).
private func kernel32Checks(_ name: String) -> [String] {
    [
        "ok \(name)-module-loaded",
        "ok \(name)-pid-dllimport",
        "ok \(name)-pid-thunk",
        "ok \(name)-tick-dllimport",
        "ok \(name)-tick-thunk",
        "ok \(name)-length-dllimport 5",
        "ok \(name)-length-thunk 12",
        "ok \(name)-muldiv-dllimport 30",
        "ok \(name)-muldiv-thunk 21",
        "ok \(name)-iat-address",
        "ok \(name)-thunk-inside",
    ]
}

/// x64 only.
private let x64OnlyScenarios: [WineScenario] = [
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

/// i386 only: calling conventions and their names, SafeSEH, TLS (sources in Tests/WineCases/i386/).
private let i386OnlyScenarios: [WineScenario] = [
    WineScenario(
        name: "callconv",
        folder: "i386/callconv",
        sources: ["callconv.c"],
        dlls: [WineDLL(name: "wn_callconv", arguments: ["/noentry", "/def:{cases}/callconv.def", "{obj}/callconv.obj"])],
        checkImports: ["wn_callconv.lib"],
        expected: [
            "ok callconv-module-loaded",
            "ok callconv-implib-cdecl 42",
            "ok callconv-implib-stdcall 307",
            "ok callconv-implib-stdcall-decorated 42",
            "ok callconv-implib-fastcall 5006",
            "ok callconv-implib-directive-stdcall 42",
            "ok callconv-thunk-stdcall3 10203",
            "ok callconv-thunk-stdcall3-loop 100",
            "ok callconv-thunk-directive-cdecl 42",
            "ok callconv-internal 3111",
            "ok callconv-getproc-cdecl 99",
            "ok callconv-getproc-stdcall 123",
            "ok callconv-getproc-stdcall-decorated 7",
            "ok callconv-getproc-fastcall 7008",
            "ok callconv-getproc-stdcall3-loop 100",
            "ok callconv-getproc-directive-stdcall 3",
            "ok callconv-getproc-directive-cdecl 2",
            "ok callconv-same-cdecl",
            "ok callconv-same-stdcall",
            "ok callconv-same-fastcall",
            "ok callconv-no-other-spellings",
        ]),
    WineScenario(
        name: "seh",
        folder: "i386/seh",
        // The x64 runtime test's SEH functions (also in .text$x), built for i386, and the SafeSEH part.
        sources: ["../../runtime/seh.c", "../../runtime/seh_late.c", "safeseh.c", "../common/loadcfg.c"],
        libraries: [
            WineLibrary(fileName: "msvcrt.lib", arguments: ["/def:{root}/i386/common/msvcrt.def", "/machine:x86"]),
            WineLibrary(fileName: "kernel32.lib", arguments: ["/def:{root}/i386/common/kernel32.def", "/machine:x86"]),
        ],
        dlls: [WineDLL(name: "wn_seh", arguments: [
            "/noentry", "/safeseh", "{obj}/seh.obj", "{obj}/seh_late.obj", "{obj}/safeseh.obj", "{obj}/loadcfg.obj",
            "{lib}/msvcrt.lib", "{lib}/kernel32.lib",
        ])],
        checkImports: ["wn_seh.lib"],
        expected: [
            "ok seh-module-loaded",
            "ok seh-raise e0000002",
            "ok seh-fault c0000005",
            "ok seh-callback e0001234",
            "ok seh-callback-unwound 0",
            "ok seh-filter 11",
            "ok seh-finally 123",
            "ok seh-late-raise 1",
            "ok seh-late-fault c0000005",
            "ok seh-no-seh-flag-clear",
            "ok seh-load-config-present",
            "ok seh-load-config-size 72",
            "ok seh-cookie-inside",
            "ok seh-cookie-initialised",
            "ok seh-table-inside",
            "ok seh-table-count 1",
            "ok seh-handler-inside",
            "ok seh-table-has-handler",
            "ok seh-table-sorted",
            "ok seh-handler-is-thunk",
        ]),
    WineScenario(
        name: "tls",
        folder: "i386/tls",
        sources: ["tls.c", "../common/tlssup.c"],
        dlls: [WineDLL(name: "wn_tls", arguments: ["/noentry", "/def:{cases}/tls.def", "{obj}/tls.obj", "{obj}/tlssup.obj"])],
        checkImports: [],
        expected: [
            "ok tls-directory-size 24",
            "ok tls-initial 5",
            "ok tls-zero 0",
            "ok tls-text thread-text",
            "ok tls-address-outside-image",
            "ok tls-after-set 9",
            "ok tls-callback-attach",
            "ok tls-callback-instance",
            "ok tls-thread-initial 5",
            "ok tls-thread-zero 0",
            "ok tls-thread-after-set 1000",
            "ok tls-thread-own-address",
            "ok tls-thread-text thread-text",
            "ok tls-main-unchanged 9",
            "ok tls-callback-thread-attach",
            "ok tls-callback-thread-detach",
        ]),
]

// MARK: - The tests

/// One scenario of one machine's suite.
struct WineScenarioCase: Sendable, CustomTestStringConvertible {
    var machine: WineMachine
    var name: String
    var testDescription: String { "\(machine.testDescription) \(name)" }
}

@Suite("Wine end-to-end")
struct WineTests {
    static let scenarioCases = WineMachine.allCases.flatMap { machine in
        wineScenarios(machine).map { WineScenarioCase(machine: machine, name: $0.name) }
    }

    @Test("DLL scenario runs correctly under Wine", arguments: scenarioCases)
    func scenario(_ scenarioCase: WineScenarioCase) async throws {
        let name = scenarioCase.name
        guard let tools = requireWineTools(scenarioCase.machine) else { return }
        let scenario = try #require(wineScenarios(tools.machine).first { $0.name == name })
        let outcome = await WineSuite.outcome(tools: tools)
        let what = "\(tools.machine.testDescription) scenario '\(name)'"
        if let setup = outcome.setupProblem {
            Issue.record("\(tools.machine.testDescription) Wine suite could not run (\(outcome.linkerDescription)): \(setup)")
            return
        }
        let build = outcome.builds[name] ?? ScenarioBuild()
        for problem in build.imageProblems {
            Issue.record("\(what): \(problem)")
        }
        if !build.problems.isEmpty {
            Issue.record("""
                \(what) was not run: building it failed (\(outcome.linkerDescription))
                \(build.problems.joined(separator: "\n"))
                """)
            return
        }
        guard let lines = outcome.blocks[name] else {
            Issue.record("\(what) printed nothing under Wine\n\(outcome.runSummary)")
            return
        }
        if !outcome.finished.contains(name) {
            Issue.record("\(what) did not finish under Wine (crash or timeout)\n\(outcome.runSummary)")
        }
        if lines != scenario.expected {
            Issue.record("""
                \(what): output differs (\(outcome.linkerDescription))
                \(describeDifference(got: lines, expected: scenario.expected))
                full output of the scenario:
                \(lines.map { "  " + $0 }.joined(separator: "\n"))
                """)
        }
    }

    @Test("The Wine test program exits with status 0 and prints only expected lines", arguments: WineMachine.allCases)
    func wholeSuiteExitsCleanly(_ machine: WineMachine) async throws {
        guard let tools = requireWineTools(machine) else { return }
        let outcome = await WineSuite.outcome(tools: tools)
        if let setup = outcome.setupProblem {
            Issue.record("\(machine.testDescription) Wine suite could not run (\(outcome.linkerDescription)): \(setup)")
            return
        }
        let scenarios = wineScenarios(machine)
        let notBuilt = scenarios.map(\.name).filter { !(outcome.builds[$0]?.problems.isEmpty ?? false) }
        if !notBuilt.isEmpty {
            Issue.record("scenarios not run because building them failed: \(notBuilt.joined(separator: ", "))")
        }
        #expect(!outcome.runs.isEmpty || notBuilt.count == scenarios.count, "Wine was never run")
        let unexpected = scenarios.flatMap { scenario in
            (outcome.blocks[scenario.name] ?? []).filter { !scenario.expected.contains($0) }
        }
        for run in outcome.runs where run.exitCode != 0 || run.timedOut {
            Issue.record(Comment(rawValue: "wine_main.exe \(run.scenarios.joined(separator: " ")) \(run.timedOut ? "timed out" : "exited with \(run.exitCode)")"
                                 + (unexpected.isEmpty ? "" : "\nunexpected lines:\n" + unexpected.map { "  " + $0 }.joined(separator: "\n"))
                                 + "\n\(run.stderrTail)"))
        }
        #expect(outcome.stray.isEmpty, "lines outside any scenario: \(outcome.stray)")
    }

    @Test("DLLs and import libraries: headers, exports, imports, base relocations, TLS and load configuration as lld-link writes them",
          arguments: WineMachine.allCases)
    func imagesMatchLLDLink(_ machine: WineMachine) async throws {
        guard let tools = requireWineTools(machine) else { return }
        if let externalLinker = tools.externalLinker {
            print("note: the linker under test is \(externalLinker); nothing to compare with lld-link")
            return
        }
        guard requireTool("lld-link") != nil else { return }
        let outcome = await WineSuite.outcome(tools: tools)
        if let setup = outcome.setupProblem, outcome.builds.isEmpty {
            Issue.record("\(machine.testDescription) Wine suite could not be built: \(setup)")
            return
        }
        for scenario in wineScenarios(machine) {
            for difference in outcome.builds[scenario.name]?.lldLinkDifferences ?? [] {
                Issue.record(Comment(rawValue: "\(scenario.name): \(difference)"))
            }
        }
    }
}

// MARK: - Building and running a machine's suite (once per test process)

struct ScenarioBuild: Sendable {
    /// Failures that kept the scenario from running (compile, link, check DLL build).
    var problems: [String] = []
    /// Wrong facts about the linked images; reported, but the scenario still runs.
    var imageProblems: [String] = []
    /// How its DLLs and import libraries differ from lld-link's.
    var lldLinkDifferences: [String] = []
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

/// Builds and runs each machine's suite once, however many tests ask for it (they run in parallel).
enum WineSuite {
    static let runs: [WineMachine: RunOnce<WineSuiteOutcome>] = Dictionary(uniqueKeysWithValues: WineMachine.allCases.map { ($0, RunOnce()) })

    static func outcome(tools: WineTools) async -> WineSuiteOutcome {
        await runs[tools.machine]!.value { buildAndRunWineSuite(tools: tools) }
    }
}

private let wineCasesRoot = repositoryRoot.appendingPathComponent("Tests/WineCases")

/// The whole pipeline: compile, link (the step under test, and lld-link's link of the same inputs
/// for comparison), build the mingw check DLLs and the test program, then run it under Wine (again
/// for the rest after a crash).
func buildAndRunWineSuite(tools: WineTools) -> WineSuiteOutcome {
    var outcome = WineSuiteOutcome(linkerDescription: tools.linkerDescription)
    let work: URL
    do {
        work = try makeTemporaryDirectory("wine-\(tools.machine.rawValue)")
    } catch {
        outcome.setupProblem = "cannot make a temporary directory: \(error)"
        return outcome
    }
    defer { removeBuildFolder(work) }
    let bin = work.appendingPathComponent("bin"), lib = work.appendingPathComponent("lib")
    for folder in [bin, lib] { try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }

    // The test program first: without it nothing can run.
    let common = wineCasesRoot.appendingPathComponent("common")
    let mainBuild = runBuildTool(tools.gcc, ["-O1", "-Wall", "-o", bin.appendingPathComponent("wine_main.exe").path,
                                             common.appendingPathComponent("wine_main.c").path])
    if let failure = mainBuild {
        outcome.setupProblem = "building wine_main.exe failed:\n\(failure)"
        return outcome
    }
    // lld-link, for the comparison, when pelink is the linker under test.
    let oracle = tools.externalLinker == nil ? findTool("lld-link") : nil

    let scenarios = wineScenarios(tools.machine)
    var runnable: [String] = []
    for scenario in scenarios {
        let build = buildScenario(scenario, tools: tools, oracle: oracle, work: work, bin: bin, lib: lib, common: common)
        outcome.builds[scenario.name] = build
        if build.problems.isEmpty { runnable.append(scenario.name) }
    }
    if runnable.isEmpty { return outcome }

    if let problem = prepareWinePrefix(tools) {
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
        for line in outputLines(run.result.stdout) {
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

/// Compiles, links and builds the check DLL of one scenario; with `oracle` (lld-link) also links
/// each library and DLL with it and notes the differences.
private func buildScenario(_ scenario: WineScenario, tools: WineTools, oracle: String?, work: URL, bin: URL, lib: URL,
                           common: URL) -> ScenarioBuild {
    var build = ScenarioBuild()
    let machine = tools.machine
    let cases = wineCasesRoot.appendingPathComponent(scenario.folder ?? scenario.name)
    let obj = work.appendingPathComponent("obj/\(scenario.name)")
    let oracleFolder = work.appendingPathComponent("lld-link/\(scenario.name)")
    for folder in [obj, oracleFolder] { try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
    func expand(_ argument: String) -> String {
        argument.replacingOccurrences(of: "{obj}", with: obj.path)
            .replacingOccurrences(of: "{cases}", with: cases.path)
            .replacingOccurrences(of: "{root}", with: wineCasesRoot.path)
            .replacingOccurrences(of: "{lib}", with: lib.path)
    }

    for source in scenario.sources {
        let stem = ((source as NSString).lastPathComponent as NSString).deletingPathExtension
        var arguments = machine.msvcCompileFlags
        if source.hasSuffix(".cpp") { arguments += ["-fno-exceptions", "-fno-rtti"] }
        arguments += [cases.appendingPathComponent(source).standardized.path, "-o", obj.appendingPathComponent(stem + ".obj").path]
        if let failure = runBuildTool(tools.clang, arguments) { build.problems.append("compiling \(source) failed:\n\(failure)") }
    }
    if !build.problems.isEmpty { return build }

    for library in scenario.libraries {
        let arguments = ["/out:" + lib.appendingPathComponent(library.fileName).path] + library.arguments.map(expand)
        let step = makeLibrary(arguments: arguments, tools: tools)
        if step.exitCode != 0 {
            build.problems.append("making \(library.fileName) failed (exit \(step.exitCode)): /lib \(arguments.joined(separator: " "))\n\(step.diagnostics)")
            continue
        }
        if let oracle {
            let theirs = oracleFolder.appendingPathComponent(library.fileName)
            let run = runLinkTool(oracle, ["/lib", "/out:" + theirs.path] + library.arguments.map(expand))
            if run.exitCode != 0 {
                build.lldLinkDifferences.append("lld-link could not make \(library.fileName): \(run.diagnostics)")
            } else {
                build.lldLinkDifferences += compareImportLibraries(ours: lib.appendingPathComponent(library.fileName), theirs: theirs,
                                                                   what: library.fileName)
            }
        }
    }
    if !build.problems.isEmpty { return build }

    for dll in scenario.dlls {
        let image = bin.appendingPathComponent(dll.name + ".dll")
        let importLibrary = lib.appendingPathComponent(dll.name + ".lib")
        let arguments = ["/dll", "/machine:\(machine.rawValue)", "/out:" + image.path, "/implib:" + importLibrary.path]
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
        guard let pe = try? PEImage(view: try MappedFile(path: image.path).view) else {
            build.problems.append("\(dll.name).dll cannot be read as a PE image")
            continue
        }
        build.imageProblems += tools.imageProblems(pe).map { "\(dll.name).dll \($0)" }
        if let wanted = dll.preferredBase, pe.optionalHeader.imageBase != wanted {
            build.imageProblems.append("\(dll.name).dll has preferred base 0x\(String(pe.optionalHeader.imageBase, radix: 16)), expected 0x\(String(wanted, radix: 16))")
        }
        if let oracle {
            let theirImage = oracleFolder.appendingPathComponent(dll.name + ".dll")
            let theirLibrary = oracleFolder.appendingPathComponent(dll.name + ".lib")
            // Without /opt:noref: with it lld-link also makes an import thunk (and its base
            // relocation) for every code import used only through __imp_ (OracleTests, exception (a)).
            let run = runLinkTool(oracle, ["/dll", "/machine:\(machine.rawValue)", "/out:" + theirImage.path, "/implib:" + theirLibrary.path]
                                  + dll.arguments.map(expand))
            if run.exitCode != 0 {
                build.lldLinkDifferences.append("lld-link could not link \(dll.name).dll (pelink could): \(run.diagnostics)")
            } else {
                build.lldLinkDifferences += compareImages(ours: image, theirs: theirImage, what: dll.name + ".dll")
                build.lldLinkDifferences += compareImportLibraries(ours: importLibrary, theirs: theirLibrary, what: dll.name + ".lib")
            }
        }
    }
    if !build.problems.isEmpty { return build }

    let check = bin.appendingPathComponent("check_\(scenario.name).dll")
    let gccArguments = ["-O1", "-Wall", "-shared", "-I", common.path, "-o", check.path,
                        cases.appendingPathComponent("check.c").path]
        + scenario.checkImports.map { lib.appendingPathComponent($0).path }
    if let failure = runBuildTool(tools.gcc, gccArguments) {
        build.problems.append("building check_\(scenario.name).dll with \(machine.mingwTriple)-gcc (against the linker's import libraries) failed:\n\(failure)")
    }
    return build
}

// MARK: - Comparison with lld-link

/// The facts of an image that do not depend on layout, one line each, for comparison.
func imageFacts(_ pe: PEImage) -> [String] {
    func hex<T: BinaryInteger>(_ value: T) -> String { "0x" + String(value, radix: 16) }
    let header = pe.optionalHeader
    var facts = [
        "machine \(hex(pe.fileHeader.machine))",
        "file characteristics \(hex(pe.fileHeader.characteristics))",
        "optional header magic \(hex(header.magic))",
        "image base \(hex(header.imageBase))",
        "section alignment \(hex(header.sectionAlignment)), file alignment \(hex(header.fileAlignment))",
        "subsystem \(header.subsystem), OS version \(header.majorOperatingSystemVersion).\(header.minorOperatingSystemVersion), subsystem version \(header.majorSubsystemVersion).\(header.minorSubsystemVersion)",
        "DLL characteristics \(hex(header.dllCharacteristics))",
        "stack \(hex(header.sizeOfStackReserve))/\(hex(header.sizeOfStackCommit)), heap \(hex(header.sizeOfHeapReserve))/\(hex(header.sizeOfHeapCommit))",
        "entry point \(header.addressOfEntryPoint == 0 ? "none" : "set")",
        "sections \(pe.sections.map(\.name).joined(separator: " "))",
    ]
    if let exports = pe.exports {
        facts.append("export DLL name \(exports.dllName), ordinal base \(exports.ordinalBase)")
        for entry in exports.entries where !entry.isUnused {
            facts.append("export @\(entry.ordinal) \(entry.names.isEmpty ? "(NONAME)" : entry.names.joined(separator: ","))"
                         + (entry.forwarder.map { " -> \($0)" } ?? ""))
        }
    } else {
        facts.append("no export directory")
    }
    for dll in pe.imports {
        facts.append("import \(dll.name): " + dll.entries.map { entry in entry.name ?? "#\(entry.ordinal.map(String.init) ?? "?")" }.joined(separator: " "))
    }
    let relocations = pe.baseRelocations
    let types = Set(relocations.map(\.type)).sorted().map { [3: "HIGHLOW", 10: "DIR64"][$0] ?? "type \($0)" }
    facts.append("base relocations: \(relocations.filter { $0.type != 0 }.count), \(types.joined(separator: " "))")
    if let tls = pe.tls {
        facts.append("TLS template \(tls.rawDataEndVA &- tls.rawDataStartVA) bytes, zero fill \(tls.sizeOfZeroFill), characteristics \(hex(tls.characteristics)), \(tls.callbacks.count) callback(s)")
    } else {
        facts.append("no TLS directory")
    }
    if let config = pe.loadConfig {
        facts.append("load configuration: directory size \(hex(config.directorySize)), structure size \(hex(config.structureSize)), "
                     + "SafeSEH table \(config.seHandlerTable == nil ? "absent" : "present") with \(config.seHandlerCount.map(String.init) ?? "no") count, \(config.seHandlers.count) handler(s)")
    } else {
        facts.append("no load configuration")
    }
    return facts
}

/// Differences between the linker's image and lld-link's, as readable lines (empty: none).
func compareImages(ours: URL, theirs: URL, what: String) -> [String] {
    do {
        let a = imageFacts(try PEImage(view: try MappedFile(path: ours.path).view))
        let b = imageFacts(try PEImage(view: try MappedFile(path: theirs.path).view))
        if a == b { return [] }
        let onlyOurs = a.filter { !b.contains($0) }, onlyTheirs = b.filter { !a.contains($0) }
        return ["\(what) differs from lld-link's:\n"
                + onlyOurs.map { "  pelink:   \($0)" }.joined(separator: "\n") + "\n"
                + onlyTheirs.map { "  lld-link: \($0)" }.joined(separator: "\n")
                + "\n  (llvm-readobj --file-headers --coff-exports --coff-imports --coff-basereloc on both for details)"]
    } catch {
        return ["\(what) cannot be compared with lld-link's: \(error)"]
    }
}

/// Differences between the import objects of two import libraries (by public symbol), hints left
/// out: pelink writes the export's index in the name table as link.exe does, lld-link the .def
/// ordinal or 0 (it writes the library before numbering exports).
func compareImportLibraries(ours: URL, theirs: URL, what: String) -> [String] {
    do {
        let a = try oracleImportMembers(ours).mapValues { oracleDescribe($0, hint: false) }
        let b = try oracleImportMembers(theirs).mapValues { oracleDescribe($0, hint: false) }
        if a == b { return [] }
        var lines: [String] = []
        for symbol in Set(a.keys).union(b.keys).sorted() where a[symbol] != b[symbol] {
            lines.append("  \(symbol): pelink \(a[symbol] ?? "(none)"), lld-link \(b[symbol] ?? "(none)")")
        }
        return ["\(what): import objects differ from lld-link's:\n" + lines.joined(separator: "\n")]
    } catch {
        return ["\(what) cannot be compared with lld-link's: \(error)"]
    }
}
