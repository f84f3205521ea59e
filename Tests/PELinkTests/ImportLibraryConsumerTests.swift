// The import library pelink writes, consumed by OTHER linkers. A small DLL (consumer_target.dll,
// Tests/WineCases/consumers/) is linked by pelink with `/def:` and `/implib:`; its exports cover an
// export by name, a NONAME export by ordinal, an alias (`ct_mul=ct_internal_mul`) and a DATA
// export. Then:
//
//   - llvm-nm, llvm-ar and `lld-link /lib /list` read the import library;
//   - lld-link links app_lld.exe (no CRT, entry `start`) against it and against a kernel32.lib made
//     by `pelink /lib /def:`;
//   - x86_64-w64-mingw32-gcc (so GNU ld, with the mingw CRT) links app_mingw.exe against it;
//   - both programs run under Wine (one Wine process each), next to the DLL, and must print the
//     exact lines of `consumerExpectedLines` and exit with status 0.
//
// Everything is built once per test process (`ConsumerSuite`); the tests report on the outcome.
// The environment variables of Support/Wine.swift apply: PELINK_WINE_LINKER=lld-link makes the DLL
// and both import libraries with lld-link instead (a reference run of this test),
// PELINK_WINEPREFIX picks the Wine prefix, PELINK_WINE_KEEP=1 keeps the build folder.

import Foundation
import PELink
import Testing

// MARK: - What is expected

/// The lines both programs print (Tests/WineCases/consumers/consumer_checks.h), in order.
let consumerExpectedLines = [
    "ok module-loaded",
    "ok name-call 42",
    "ok name-iat-address",
    "ok name-thunk-not-iat",
    "ok alias-call 42",
    "ok alias-address",
    "ok alias-internal-hidden",
    "ok ordinal-call 16",
    "ok ordinal-iat-address",
    "ok ordinal-noname-hidden",
    "ok data-read 1000",
    "ok data-dll-sees-write 1006",
    "ok data-exe-sees-write 1006",
    "ok data-address",
]

struct ConsumerExport: Sendable {
    var name: String
    var isData: Bool
}

/// The public names in consumer_target.def.
let consumerExports = [
    ConsumerExport(name: "ct_add", isData: false),
    ConsumerExport(name: "ct_secret", isData: false),
    ConsumerExport(name: "ct_mul", isData: false),
    ConsumerExport(name: "ct_counter", isData: true),
    ConsumerExport(name: "ct_bump", isData: false),
]

/// Ordinal of the NONAME export `ct_secret` in consumer_target.def.
let consumerSecretOrdinal = 7

// MARK: - The tests

@Suite("Import libraries consumed by other linkers")
struct ImportLibraryConsumers {
    @Test("llvm-nm lists __imp_ symbols for every export and code symbols only for non-DATA exports")
    func importLibrarySymbols() async throws {
        guard let outcome = await consumerOutcome() else { return }
        guard let nm = outcome.nm else {
            Issue.record("llvm-nm was not run")
            return
        }
        guard nm.exitCode == 0 else {
            Issue.record("llvm-nm cannot read the import library (exit \(nm.exitCode)) (\(outcome.linkerDescription))\n\(nm.stderr)")
            return
        }
        if !nm.stderr.isEmpty { Issue.record("llvm-nm complained about the import library:\n\(nm.stderr)") }
        let symbols = Set(nmDefinedSymbols(nm.stdout))
        let listing = "llvm-nm output:\n\(nm.stdout)"
        for export in consumerExports {
            #expect(symbols.contains("__imp_" + export.name), "no __imp_\(export.name) in the import library\n\(listing)")
            if export.isData {
                #expect(!symbols.contains(export.name), "DATA export \(export.name) has a code (thunk) symbol\n\(listing)")
            } else {
                #expect(symbols.contains(export.name), "no code symbol \(export.name) in the import library\n\(listing)")
            }
        }
        // The alias's internal name is not an export of the DLL.
        for hidden in ["ct_internal_mul", "__imp_ct_internal_mul"] {
            #expect(!symbols.contains(hidden), "the import library defines \(hidden)\n\(listing)")
        }
        // What every consumer needs to build the import directory.
        for required in ["__IMPORT_DESCRIPTOR_consumer_target", "__NULL_IMPORT_DESCRIPTOR",
                         "\u{7f}consumer_target_NULL_THUNK_DATA"] {
            #expect(symbols.contains(required), "no \(required.debugDescription) in the import library\n\(listing)")
        }
    }

    @Test("llvm-ar t and lld-link /lib /list read the import library")
    func archiveToolsList() async throws {
        guard let outcome = await consumerOutcome() else { return }
        // 3 members for the import descriptor, null descriptor and null thunk, 1 per export.
        let expectedMembers = 3 + consumerExports.count
        var listings: [String: [String]] = [:]
        for (tool, result) in [("llvm-ar t", outcome.arList), ("lld-link /lib /list", outcome.lldList)] {
            guard let result else {
                Issue.record("\(tool) was not run")
                continue
            }
            guard result.exitCode == 0 else {
                Issue.record("\(tool) cannot read the import library (exit \(result.exitCode)) (\(outcome.linkerDescription))\n\(result.stderr)")
                continue
            }
            if !result.stderr.isEmpty { Issue.record("\(tool) complained about the import library:\n\(result.stderr)") }
            let members = result.stdout.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
            #expect(members.count == expectedMembers,
                    "\(tool) lists \(members.count) members, expected \(expectedMembers):\n\(result.stdout)")
            #expect(members.allSatisfy { $0.lowercased().hasSuffix(".dll") },
                    "\(tool) lists members not named after the DLL:\n\(result.stdout)")
            listings[tool] = members
        }
        if listings.count == 2 {
            #expect(listings["llvm-ar t"] == listings["lld-link /lib /list"], "the two tools list different members")
        }
    }

    @Test("lld-link links a no-CRT program against the import libraries; it runs under Wine")
    func lldLinkConsumerRuns() async throws {
        guard let outcome = await consumerOutcome() else { return }
        checkProgram(outcome.lldProgram, outcome: outcome)
    }

    @Test("mingw-w64 ld links a CRT program against the import library; it runs under Wine")
    func mingwConsumerRuns() async throws {
        guard let outcome = await consumerOutcome() else { return }
        checkProgram(outcome.mingwProgram, outcome: outcome)
    }
}

/// The shared build, or nil when a tool is missing (skipped) or the DLL could not be built (an
/// Issue is recorded).
private func consumerOutcome(sourceLocation: SourceLocation = #_sourceLocation) async -> ConsumerOutcome? {
    guard let tools = requireConsumerTools(sourceLocation: sourceLocation) else { return nil }
    let outcome = await ConsumerSuite.shared.outcome(tools: tools)
    if let setup = outcome.setupProblem {
        Issue.record("consumer test could not start (\(outcome.linkerDescription)): \(setup)", sourceLocation: sourceLocation)
        return nil
    }
    return outcome
}

private func checkProgram(_ program: ConsumerProgram, outcome: ConsumerOutcome,
                          sourceLocation: SourceLocation = #_sourceLocation) {
    let name = program.fileName
    if !program.buildProblems.isEmpty {
        Issue.record("""
            \(name) was not run: building it failed (DLL \(outcome.linkerDescription))
            \(program.buildProblems.joined(separator: "\n"))
            """, sourceLocation: sourceLocation)
        return
    }
    for warning in program.buildWarnings {
        Issue.record("\(name): \(warning)", sourceLocation: sourceLocation)
    }
    for problem in program.importProblems {
        Issue.record("\(name): \(problem)", sourceLocation: sourceLocation)
    }
    guard let run = program.run else {
        Issue.record("\(name) was not run under Wine: \(program.runProblem ?? "unknown reason")", sourceLocation: sourceLocation)
        return
    }
    let lines = run.result.stdout.split(whereSeparator: \.isNewline).map(String.init)
    if lines != consumerExpectedLines {
        Issue.record("""
            \(name) under Wine: output differs (DLL \(outcome.linkerDescription))
            \(describeDifference(got: lines, expected: consumerExpectedLines))
            full output:
            \(lines.map { "  " + $0 }.joined(separator: "\n"))
            """, sourceLocation: sourceLocation)
    }
    if run.timedOut || run.result.exitCode != 0 {
        Issue.record("""
            \(name) under Wine \(run.timedOut ? "timed out" : "exited with \(run.result.exitCode)"), expected 0
            \(String(run.result.stderr.suffix(2000)))
            """, sourceLocation: sourceLocation)
    }
}

/// Names of the symbols llvm-nm's output shows as defined (`<value> <type> <name>` lines; the
/// undefined ones, `U <name>` without a value, member headers `name:` and blank lines skipped).
func nmDefinedSymbols(_ output: String) -> [String] {
    output.split(whereSeparator: \.isNewline).compactMap { rawLine in
        let fields = rawLine.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 3, !["U", "u", "w", "v"].contains(fields[1]) else { return nil }
        return String(fields[2...].joined(separator: " "))
    }
}

// MARK: - Tools

struct ConsumerTools: Sendable {
    var wine: WineTools
    var lldLink: String
    var nm: String
    var ar: String
    var readobj: String
}

private func requireConsumerTools(sourceLocation: SourceLocation) -> ConsumerTools? {
    guard let wine = requireWineTools(.x64, sourceLocation: sourceLocation),
          let lldLink = requireTool("lld-link", sourceLocation: sourceLocation),
          let nm = requireTool("llvm-nm", sourceLocation: sourceLocation),
          let ar = requireTool("llvm-ar", sourceLocation: sourceLocation),
          let readobj = requireTool("llvm-readobj", sourceLocation: sourceLocation)
    else { return nil }
    return ConsumerTools(wine: wine, lldLink: lldLink, nm: nm, ar: ar, readobj: readobj)
}

// MARK: - Building and running (once per test process)

struct ConsumerProgram: Sendable {
    var fileName: String
    /// Failures that kept the program from running (compile, link).
    var buildProblems: [String] = []
    /// Messages the consumer's linker printed while succeeding.
    var buildWarnings: [String] = []
    /// Wrong facts about the program's import directory; reported, but the program still runs.
    var importProblems: [String] = []
    var run: (result: ProcessResult, timedOut: Bool)?
    var runProblem: String?

    init(fileName: String) { self.fileName = fileName }
}

struct ConsumerOutcome: Sendable {
    var linkerDescription: String
    var setupProblem: String?
    var nm: ProcessResult?
    var arList: ProcessResult?
    var lldList: ProcessResult?
    var lldProgram = ConsumerProgram(fileName: "app_lld.exe")
    var mingwProgram = ConsumerProgram(fileName: "app_mingw.exe")
}

enum ConsumerSuite {
    static let shared = RunOnce<ConsumerOutcome>()
}

extension RunOnce where Value == ConsumerOutcome {
    func outcome(tools: ConsumerTools) async -> ConsumerOutcome { await value { buildAndRunConsumers(tools: tools) } }
}

private let consumerCases = repositoryRoot.appendingPathComponent("Tests/WineCases/consumers")

private func buildAndRunConsumers(tools: ConsumerTools) -> ConsumerOutcome {
    var outcome = ConsumerOutcome(linkerDescription: tools.wine.linkerDescription)
    let work: URL
    do {
        work = try makeTemporaryDirectory("consumers")
    } catch {
        outcome.setupProblem = "cannot make a temporary directory: \(error)"
        return outcome
    }
    defer { removeBuildFolder(work) }
    let bin = work.appendingPathComponent("bin"), lib = work.appendingPathComponent("lib"),
        obj = work.appendingPathComponent("obj")
    for folder in [bin, lib, obj] { try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
    func source(_ name: String) -> String { consumerCases.appendingPathComponent(name).path }

    // The DLL and its import library: the step under test.
    let dllObject = obj.appendingPathComponent("consumer_target.obj").path
    if let failure = runBuildTool(tools.wine.clang, tools.wine.machine.msvcCompileFlags + [source("consumer_target.c"), "-o", dllObject]) {
        outcome.setupProblem = "compiling consumer_target.c failed:\n\(failure)"
        return outcome
    }
    let importLibrary = lib.appendingPathComponent("consumer_target.lib").path
    let dllArguments = ["/dll", "/noentry", "/machine:x64", "/def:" + source("consumer_target.def"),
                        "/out:" + bin.appendingPathComponent("consumer_target.dll").path,
                        "/implib:" + importLibrary, dllObject]
    let dllLink = linkDLL(arguments: dllArguments, tools: tools.wine)
    if dllLink.exitCode != 0 {
        outcome.setupProblem = "linking consumer_target.dll failed (exit \(dllLink.exitCode)): \(dllArguments.joined(separator: " "))\n\(dllLink.diagnostics)"
        return outcome
    }
    guard FileManager.default.fileExists(atPath: importLibrary) else {
        outcome.setupProblem = "linking consumer_target.dll succeeded but consumer_target.lib was not written"
        return outcome
    }
    let kernel32 = lib.appendingPathComponent("kernel32.lib").path
    let kernel32Arguments = ["/def:" + source("kernel32.def"), "/machine:x64", "/out:" + kernel32]
    let kernel32Step = makeLibrary(arguments: kernel32Arguments, tools: tools.wine)
    if kernel32Step.exitCode != 0 {
        outcome.lldProgram.buildProblems.append("making kernel32.lib failed (exit \(kernel32Step.exitCode)): /lib \(kernel32Arguments.joined(separator: " "))\n\(kernel32Step.diagnostics)")
    }

    // Reading the import library.
    outcome.nm = try? runProcess(tools.nm, [importLibrary])
    outcome.arList = try? runProcess(tools.ar, ["t", importLibrary])
    outcome.lldList = try? runProcess(tools.lldLink, ["/lib", "/list", importLibrary])

    // app_lld.exe: clang (MSVC target, no CRT) + lld-link.
    if outcome.lldProgram.buildProblems.isEmpty {
        let mainObject = obj.appendingPathComponent("main.obj").path
        if let failure = runBuildTool(tools.wine.clang, tools.wine.machine.msvcCompileFlags + [source("main.c"), "-o", mainObject]) {
            outcome.lldProgram.buildProblems.append("compiling main.c failed:\n\(failure)")
        } else {
            let arguments = ["/entry:start", "/subsystem:console", "/out:" + bin.appendingPathComponent("app_lld.exe").path,
                             mainObject, importLibrary, kernel32]
            linkConsumer(&outcome.lldProgram, tool: tools.lldLink, arguments: arguments)
        }
    }

    // app_mingw.exe: gcc with the mingw CRT, linked by GNU ld.
    linkConsumer(&outcome.mingwProgram, tool: tools.wine.gcc, arguments: [
        "-O1", "-Wall", "-I", consumerCases.path, source("main_mingw.c"), importLibrary,
        "-o", bin.appendingPathComponent("app_mingw.exe").path,
    ])

    for keyPath in [\ConsumerOutcome.lldProgram, \ConsumerOutcome.mingwProgram]
    where outcome[keyPath: keyPath].buildProblems.isEmpty {
        let image = bin.appendingPathComponent(outcome[keyPath: keyPath].fileName).path
        outcome[keyPath: keyPath].importProblems = checkImports(of: image, readobj: tools.readobj)
    }

    // Wine: one process per program.
    let runnable = [\ConsumerOutcome.lldProgram, \ConsumerOutcome.mingwProgram].filter {
        outcome[keyPath: $0].buildProblems.isEmpty
    }
    if runnable.isEmpty { return outcome }
    if let problem = prepareWinePrefix(tools.wine) {
        for keyPath in runnable { outcome[keyPath: keyPath].runProblem = problem }
        return outcome
    }
    for keyPath in runnable {
        do {
            outcome[keyPath: keyPath].run = try runWithTimeout(
                tools.wine.wine, [outcome[keyPath: keyPath].fileName], environment: wineEnvironment,
                currentDirectory: bin.path, timeout: 180)
        } catch {
            outcome[keyPath: keyPath].runProblem = "cannot start wine: \(error)"
        }
    }
    return outcome
}

/// Runs a consumer's linker; a failure is a build problem, output on success a warning.
private func linkConsumer(_ program: inout ConsumerProgram, tool: String, arguments: [String]) {
    do {
        let result = try runProcess(tool, arguments)
        let printed = (result.stderr + result.stdout).trimmingCharacters(in: .whitespacesAndNewlines)
        if result.exitCode != 0 {
            program.buildProblems.append("\(tool) \(arguments.joined(separator: " ")) → exit \(result.exitCode)\n\(printed)")
        } else if !printed.isEmpty {
            program.buildWarnings.append("\(URL(fileURLWithPath: tool).lastPathComponent) printed while linking:\n\(printed)")
        }
    } catch {
        program.buildProblems.append("cannot run \(tool): \(error)")
    }
}

/// The program's imports from consumer_target.dll, per `llvm-readobj --coff-imports`: every
/// named export imported by name, and ct_secret (NONAME) by its ordinal, not by name.
private func checkImports(of image: String, readobj: String) -> [String] {
    let result: ProcessResult
    do {
        result = try runProcess(readobj, ["--coff-imports", image])
    } catch {
        return ["cannot run llvm-readobj: \(error)"]
    }
    guard result.exitCode == 0 else { return ["llvm-readobj --coff-imports failed (exit \(result.exitCode)):\n\(result.stderr)"] }
    // Lines of the `Import { Name: consumer_target.dll ... }` block.
    var block: [String] = []
    var inBlock = false
    var sawName = false
    for rawLine in result.stdout.split(whereSeparator: \.isNewline) {
        let line = rawLine.trimmingCharacters(in: .whitespaces)
        if line.hasPrefix("Name:") {
            inBlock = line.lowercased() == "name: consumer_target.dll"
            sawName = sawName || inBlock
        } else if line == "}" {
            inBlock = false
        } else if inBlock {
            block.append(line.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " "))
        }
    }
    guard sawName else { return ["no imports from consumer_target.dll:\n\(result.stdout)"] }
    var problems: [String] = []
    let symbols = block.filter { $0.hasPrefix("Symbol:") }
    for export in consumerExports where export.name != "ct_secret" {
        if !symbols.contains(where: { $0.hasPrefix("Symbol: \(export.name) (") }) {
            problems.append("\(export.name) is not imported by name")
        }
    }
    if !symbols.contains("Symbol: (\(consumerSecretOrdinal))") {
        problems.append("ct_secret is not imported by ordinal \(consumerSecretOrdinal)")
    }
    if symbols.contains(where: { $0.hasPrefix("Symbol: ct_secret") }) {
        problems.append("ct_secret (NONAME) is imported by name")
    }
    if !problems.isEmpty { problems.append("imports from consumer_target.dll:\n" + symbols.joined(separator: "\n")) }
    return problems
}
