// What the tests that run linked images under Wine share (WineTests, WineRuntimeTests,
// MinGWTests, ImportLibraryConsumerTests), for both machines they build for, x64 and i386: the
// tools, the linker under test (MSVC flavor in-process, GNU flavor as clang's ld.lld), the Wine
// prefix, running a program under Wine with a timeout, and comparing the lines it prints.
//
// Environment:
//   PELINK_WINE_LINKER=lld-link   link with an external linker instead of pelink (a name on PATH or
//                                 a full path): the MSVC flavor with the same arguments (plus
//                                 /opt:noref for lld-link), the GNU flavor with the ld.lld beside it.
//   PELINK_WINEPREFIX=/path       Wine prefix (default /tmp/pelink-wineprefix; made on first use).
//                                 One prefix runs x64 and i386 programs if it was made while 32-bit
//                                 Wine (Debian's wine32:i386) was installed.
//   PELINK_WINE_KEEP=1            keep the build folders (their paths are printed) for diagnosis.

import Foundation
import PEFormat
import PELink
import Testing
#if canImport(Glibc)
import Glibc
#endif

// MARK: - Machines

/// The machine a Wine test builds for.
enum WineMachine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case x64
    /// i386: PE32 images, run by 32-bit Wine.
    case x86

    var testDescription: String { self == .x64 ? "x64" : "i386" }
    /// clang's target for MSVC-flavor objects.
    var msvcTriple: String { self == .x64 ? "x86_64-pc-windows-msvc" : "i686-pc-windows-msvc" }
    /// mingw-w64's target: the prefix of its tools, clang's target for the GNU flavor.
    var mingwTriple: String { self == .x64 ? "x86_64-w64-mingw32" : "i686-w64-mingw32" }
    /// mingw-w64's files for the machine (lib/, bin/, include/).
    var mingwRoot: String { "/usr/" + mingwTriple }
    /// clang's flags for MSVC-flavor DLL sources: no CRT, so no stack protector or stack probes.
    var msvcCompileFlags: [String] { ["--target=" + msvcTriple, "-c", "-O1", "-fno-stack-protector", "-mno-stack-arg-probe"] }
    var imageMachine: UInt16 { self == .x64 ? 0x8664 : 0x14c }
    var optionalHeaderMagic: UInt16 { self == .x64 ? PEOptionalHeader.pe32PlusMagic : PEOptionalHeader.pe32Magic }
}

// MARK: - Tools and the linker under test

struct WineTools: Sendable {
    var machine: WineMachine
    var clang: String
    /// mingw-w64 gcc for the machine: check DLLs, test programs, GNU ld consumers.
    var gcc: String
    /// The Wine loader for the machine's programs.
    var wine: String
    /// nil: pelink (in-process for the MSVC flavor). Otherwise an external linker run with the same arguments.
    var externalLinker: String?

    var linkerDescription: String {
        externalLinker.map { "linked with \($0)" } ?? "linked with pelink (in-process)"
    }
}

/// The tools for `machine`, or nil (skipped, or an Issue under PELINK_REQUIRE_ORACLES=1).
func requireWineTools(_ machine: WineMachine, sourceLocation: SourceLocation = #_sourceLocation) -> WineTools? {
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
          let gcc = requireTool(machine.mingwTriple + "-gcc", sourceLocation: sourceLocation)
    else { return nil }
    let wine: String
    switch machine {
    case .x64:
        // The 64-bit loader itself: with wine32 installed the `wine` launcher starts the 32-bit
        // loader first, which with a DLL override set fails before the program runs
        // ("unimplemented function shell32.dll.SHGetFolderPathW").
        guard let found = findTool("wine64") ?? requireTool("wine", sourceLocation: sourceLocation) else { return nil }
        wine = found
    case .x86:
        guard let found = requireTool("wine", sourceLocation: sourceLocation) else { return nil }
        // Debian's launcher runs /usr/lib/wine/wine (package wine32:i386) for 32-bit programs;
        // with only wine64 there, no i386 program can run.
        if FileManager.default.fileExists(atPath: "/usr/lib/wine/wine64") && !FileManager.default.fileExists(atPath: "/usr/lib/wine/wine") {
            if oraclesRequired {
                Issue.record("32-bit Wine (wine32:i386, /usr/lib/wine/wine) is missing: dpkg --add-architecture i386 && apt-get install wine32:i386",
                             sourceLocation: sourceLocation)
            } else {
                print("note: skipping, 32-bit Wine (wine32:i386) is not installed")
            }
            return nil
        }
        wine = found
    }
    if !FileManager.default.fileExists(atPath: machine.mingwRoot + "/lib/libmingw32.a") {
        if oraclesRequired {
            Issue.record("the \(machine.mingwTriple) runtime (package mingw-w64) is missing", sourceLocation: sourceLocation)
        }
        return nil
    }
    return WineTools(machine: machine, clang: clang, gcc: gcc, wine: wine, externalLinker: externalLinker)
}

struct LinkStep: Sendable {
    var exitCode: Int32
    var diagnostics: String
}

/// Links one image (MSVC flavor): pelink's `Driver.run`, or under PELINK_WINE_LINKER the external
/// linker with the same arguments (lld-link also gets /opt:noref so both linkers keep the same sections).
func linkDLL(arguments: [String], tools: WineTools) -> LinkStep {
    guard let external = tools.externalLinker else {
        let result = Driver.run(arguments: arguments)
        return LinkStep(exitCode: result.exitCode, diagnostics: result.diagnostics + result.output)
    }
    let extra = URL(fileURLWithPath: external).lastPathComponent.hasPrefix("lld-link") ? ["/opt:noref"] : []
    return runLinkTool(external, arguments + extra)
}

/// Runs the librarian: `pelink /lib ...` in-process, or `<external> /lib ...`.
func makeLibrary(arguments: [String], tools: WineTools) -> LinkStep {
    let full = ["/lib"] + arguments
    guard let external = tools.externalLinker else {
        let result = Driver.run(arguments: full)
        return LinkStep(exitCode: result.exitCode, diagnostics: result.diagnostics + result.output)
    }
    return runLinkTool(external, full)
}

/// Runs a linker or librarian in its own process.
func runLinkTool(_ tool: String, _ arguments: [String]) -> LinkStep {
    do {
        let result = try runProcess(tool, arguments)
        return LinkStep(exitCode: result.exitCode, diagnostics: result.stderr + result.stdout)
    } catch {
        return LinkStep(exitCode: -1, diagnostics: "cannot run \(tool): \(error)")
    }
}

/// Runs a build tool (compiler, driver); nil on success, else a description of the failure.
func runBuildTool(_ tool: String, _ arguments: [String], currentDirectory: String? = nil) -> String? {
    do {
        let result = try runProcess(tool, arguments, currentDirectory: currentDirectory)
        if result.exitCode == 0 { return nil }
        return "\(tool) \(arguments.joined(separator: " ")) → exit \(result.exitCode)\n\(result.stderr)\(result.stdout)"
    } catch {
        return "cannot run \(tool): \(error)"
    }
}

extension WineTools {
    /// A folder holding `ld.lld` for clang's -B: pelink, or lld's own ld.lld beside the external linker.
    func gnuLinkerFolder(_ base: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> String? {
        let target: String
        if let externalLinker {
            let beside = URL(fileURLWithPath: externalLinker).deletingLastPathComponent().appendingPathComponent("ld.lld").path
            guard let lld = FileManager.default.isExecutableFile(atPath: beside)
                    ? beside : requireTool("ld.lld", sourceLocation: sourceLocation) else { return nil }
            target = lld
        } else {
            guard let pelink = pelinkExecutable else {
                Issue.record("the pelink executable was not found beside \(CommandLine.arguments[0])", sourceLocation: sourceLocation)
                return nil
            }
            target = pelink
        }
        let folder = base.appendingPathComponent("linker-bin")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("ld.lld").path, withDestinationPath: target)
        return folder.path
    }

    /// clang's MinGW driver for the machine with the linker under test as its ld.lld (`bin`, from
    /// `gnuLinkerFolder`), in `folder`; clang's messages on failure.
    func clangLink(bin: String, in folder: URL, _ arguments: [String]) throws -> String? {
        // lld writes a time stamp unless told not to; pelink writes none (the zlib check reads it).
        let extra = externalLinker == nil ? [] : ["-Wl,--no-insert-timestamp"]
        let run = try runProcess(clang, ["--target=" + machine.mingwTriple, "-fuse-ld=lld", "-B", bin] + arguments + extra,
                                 currentDirectory: folder.path)
        if run.exitCode == 0 { return nil }
        return "clang --target=\(machine.mingwTriple) (\(linkerDescription)) " + arguments.joined(separator: " ") + " failed:\n" + run.stderr + run.stdout
    }

    /// What is wrong with an image the linker under test wrote: another machine, another optional
    /// header format, or (pelink) a time stamp.
    func imageProblems(_ pe: PEImage) -> [String] {
        var problems: [String] = []
        if pe.fileHeader.machine != machine.imageMachine {
            problems.append("machine is 0x\(String(pe.fileHeader.machine, radix: 16)), not 0x\(String(machine.imageMachine, radix: 16))")
        }
        if pe.optionalHeader.magic != machine.optionalHeaderMagic {
            problems.append("optional header magic is 0x\(String(pe.optionalHeader.magic, radix: 16)), not 0x\(String(machine.optionalHeaderMagic, radix: 16))")
        }
        return problems
    }

    /// Records `imageProblems` of an image file.
    func checkImage(_ file: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let pe = try PEImage(view: try MappedFile(path: file.path).view)
        for problem in imageProblems(pe) {
            Issue.record("\(file.lastPathComponent): \(problem)", sourceLocation: sourceLocation)
        }
    }
}

/// Removes a build folder, or under PELINK_WINE_KEEP=1 keeps it and prints where it is.
func removeBuildFolder(_ folder: URL) {
    if ProcessInfo.processInfo.environment["PELINK_WINE_KEEP"] == "1" {
        print("note: Wine test build folder kept at \(folder.path)")
    } else {
        try? FileManager.default.removeItem(at: folder)
    }
}

// MARK: - The Wine prefix

let winePrefix = ProcessInfo.processInfo.environment["PELINK_WINEPREFIX"] ?? "/tmp/pelink-wineprefix"

let wineEnvironment: [String: String] = [
    "WINEPREFIX": winePrefix,
    "WINEDEBUG": ProcessInfo.processInfo.environment["WINEDEBUG"] ?? "-all",
    // No Mono/Gecko installer prompts while the prefix is made; no winemenubuilder, which in a
    // prefix with 32-bit Wine (wine32) crashes on an unimplemented shell32 function and starts winedbg.
    "WINEDLLOVERRIDES": "mscoree,mshtml=;winemenubuilder.exe=d",
]

/// Makes the prefix on first use (wineboot prints a lot on stderr; that is not a failure), under a
/// lock so concurrent test processes do not create it twice. nil on success. For i386 programs the
/// prefix must have the 32-bit side (C:\windows\syswow64), which wineboot only makes while wine32
/// is installed and never adds to an existing prefix.
func prepareWinePrefix(_ tools: WineTools) -> String? {
    let marker = winePrefix + "/system.reg"
    /// Why the prefix that exists cannot serve `tools`; nil when it can.
    func unusable() -> String? {
        let syswow64 = winePrefix + "/drive_c/windows/syswow64/kernel32.dll"
        if tools.machine == .x86 && !FileManager.default.fileExists(atPath: syswow64) {
            return """
                the Wine prefix \(winePrefix) cannot run i386 programs: it has no \(syswow64), so it was made \
                before 32-bit Wine (wine32:i386) was installed, and wineboot never adds the 32-bit side to an \
                existing prefix. Remove it (it is made again on first use) or set PELINK_WINEPREFIX to another folder.
                """
        }
        // Made while only wine32 was installed, the prefix is 32-bit: Wine says "Bad EXE format" to x64 programs.
        if tools.machine != .x86, let registry = try? String(contentsOfFile: marker, encoding: .utf8), registry.contains("#arch=win32") {
            return """
                the Wine prefix \(winePrefix) cannot run x64 programs: its system.reg says #arch=win32, so it was                 made while only 32-bit Wine was installed (install wine64). Remove it (it is made again on first use)                 or set PELINK_WINEPREFIX to another folder.
                """
        }
        return nil
    }
    if FileManager.default.fileExists(atPath: marker) { return unusable() }
    let lockDescriptor = open(winePrefix + ".lock", O_CREAT | O_RDWR, 0o644)
    if lockDescriptor >= 0 { flock(lockDescriptor, LOCK_EX) }
    defer {
        if lockDescriptor >= 0 {
            flock(lockDescriptor, LOCK_UN)
            close(lockDescriptor)
        }
    }
    if FileManager.default.fileExists(atPath: marker) { return unusable() }
    let boot: (result: ProcessResult, timedOut: Bool)
    do {
        boot = try runWithTimeout(tools.wine, ["wineboot", "--init"], environment: wineEnvironment,
                                  currentDirectory: "/tmp", timeout: 300)
    } catch {
        return "cannot run wineboot: \(error)"
    }
    if FileManager.default.fileExists(atPath: marker) { return unusable() }
    return "wineboot did not create the prefix \(winePrefix) (exit \(boot.result.exitCode)\(boot.timedOut ? ", timed out" : ""))\n"
        + String(boot.result.stderr.suffix(2000))
}

// MARK: - Running under Wine

private final class OutputBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ chunk: Data) { lock.lock(); data.append(chunk); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: data, as: UTF8.self) }
}

/// Wine runs one program at a time: several test suites running wine side by side on one prefix
/// make wineserver crawl (seen: timeouts), so every wine run takes this lock.
let wineRunLock = NSLock()

/// Like `runProcess`, but gives up after `timeout` seconds (killing the process) and keeps
/// whatever was printed until then.
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

/// The lines of a program's output. Wine's msvcrt writes "\r\n", a single Character in Swift:
/// split on any newline.
func outputLines(_ text: String) -> [String] { text.split(whereSeparator: \.isNewline).map(String.init) }

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

extension WineTools {
    /// Runs `program` under Wine in `folder` (its DLLs beside it; the prefix is made first if need
    /// be) and checks the exit status and the exact output; records an Issue otherwise. `nativeDLL`:
    /// a DLL Wine also has as a builtin (zlib1); the file beside the program must win. A crash
    /// report (winedbg writes pages of it on stdout) is cut short in the message.
    func runAndCheck(_ program: String, _ arguments: [String] = [], in folder: URL, nativeDLL: String? = nil,
                     expected: [String], what: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        if let problem = prepareWinePrefix(self) {
            Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation)
            return
        }
        var environment = wineEnvironment
        environment["WINEPATH"] = folder.path
        if let nativeDLL { environment["WINEDLLOVERRIDES", default: ""] += ";\(nativeDLL)=n" }
        let (run, timedOut) = try runWithTimeout(wine, [program] + arguments, environment: environment,
                                                 currentDirectory: folder.path, timeout: 180)
        let output = outputLines(run.stdout)
        if !timedOut && run.exitCode == 0 && output == expected { return }
        let shown = output.prefix(20).map { "  " + $0 }.joined(separator: "\n") + (output.count > 20 ? "\n  … (\(output.count - 20) more lines)" : "")
        Issue.record(Comment(rawValue: """
            \(what) (\(machine.testDescription), \(linkerDescription)): \(program) \(timedOut ? "timed out" : "exited with \(run.exitCode)")\(output == expected ? "" : ", output differs")
            \(output == expected ? "" : describeDifference(got: Array(output.prefix(20)), expected: expected))
            output:
            \(shown)
            stderr (end):
            \(String(run.stderr.suffix(1500)))
            """), sourceLocation: sourceLocation)
    }
}
