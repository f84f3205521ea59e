// Golden tests: every folder of Inputs/ that has an ARGS file is one case. pelink links the case
// in-process, and the results are compared with the committed files under Golden/<case>/:
//
//     dll.txt          `pelink /dump` of the DLL                 (EXPECT ok)
//     dll.json         `pelink /dump /json` of the DLL           (EXPECT ok)
//     lib.txt, lib.json  the same of the import library         (EXPECT ok, when one was written)
//     output.txt       pelink's standard output, when it printed any (/why)             (EXPECT ok)
//     diagnostics.txt  pelink's standard error, with the temporary folder shown as <tmp> and the
//                      repository as <repo>; empty when there was none            (every case)
//
// `PELINK_UPDATE_GOLDEN=1 swift test --filter Golden` rewrites the files instead of comparing
// them; review the resulting diff like code. Besides the dumps, every case checks the exit status,
// that a failed link leaves nothing behind, and (ok cases) that linking is deterministic: the same
// link repeated in another folder, and with /threads:1, gives byte-identical files.
//
// The case folder layout (ARGS, EXPECT, NOTES, REASON, BUILD) is described in Inputs/regenerate.sh
// and the cases' NOTES. The helpers here are shared with OracleTests.swift.

import Foundation
import PEFormat
import PELink
import Testing

// MARK: - Cases

/// One folder of Inputs/.
struct GoldenCase: Sendable {
    var name: String
    /// Absolute path of the case folder; the paths in ARGS are relative to it.
    var folder: String
    /// The ARGS lines as written (comments and blank lines dropped), relative paths untouched.
    var arguments: [String]
    /// EXPECT: `ok` (the link succeeds) or `error` (it fails).
    var expectsSuccess: Bool
    var notes: String

    init(name: String) throws {
        self.name = name
        folder = GoldenCase.inputsFolder.appendingPathComponent(name).path
        let argsText = try String(contentsOfFile: folder + "/ARGS", encoding: .utf8)
        arguments = argsText.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        let expect = (try? String(contentsOfFile: folder + "/EXPECT", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        switch expect {
        case "ok": expectsSuccess = true
        case "error": expectsSuccess = false
        default: throw GoldenSetupError("Inputs/\(name)/EXPECT must say 'ok' or 'error', not '\(expect ?? "<missing>")'")
        }
        notes = (try? String(contentsOfFile: folder + "/NOTES", encoding: .utf8)) ?? ""
    }

    /// The arguments for lld-link: without the options only pelink has (/why:, /json), which
    /// report on the link and leave the image as it is.
    var lldArguments: [String] {
        arguments.filter { argument in
            let lowered = argument.lowercased()
            return !(["/why:", "-why:", "/json", "-json"].contains { lowered.hasPrefix($0) })
        }
    }

    static let inputsFolder = repositoryRoot.appendingPathComponent("Inputs")
    static let goldenFolder = repositoryRoot.appendingPathComponent("Golden")

    /// Every case folder (one with an ARGS file), sorted.
    static let allNames: [String] = {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: inputsFolder.path)) ?? []
        return entries.filter { FileManager.default.fileExists(atPath: inputsFolder.appendingPathComponent($0).appendingPathComponent("ARGS").path) }
            .sorted()
    }()

    private static func expectation(of name: String) -> String {
        let path = inputsFolder.appendingPathComponent(name).appendingPathComponent("EXPECT").path
        return ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The cases whose link must succeed / fail (a case with a bad EXPECT is in neither list; the
    /// golden test reports it).
    static let okNames: [String] = allNames.filter { expectation(of: $0) == "ok" }
    static let errorNames: [String] = allNames.filter { expectation(of: $0) == "error" }

    /// Options whose value is a file or folder path (relative ones are relative to the case folder).
    private static let pathValuedOptions: Set<String> = [
        "def", "libpath", "implib", "out", "pdb", "map", "manifestfile", "manifestinput", "natvis", "stub",
        "wholearchive", "order",
    ]

    /// ARGS with every relative path made absolute against the case folder, so that pelink can
    /// run in-process (Driver.run has no working-folder parameter): plain arguments that name an
    /// existing file of the case folder, response files (@file), and the values of path-valued
    /// options such as /def: and /libpath:. Options like /export:foo are left alone.
    var absoluteArguments: [String] {
        arguments.map(absolutize)
    }

    private func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : folder + "/" + path
    }

    private func absolutize(_ argument: String) -> String {
        let fileManager = FileManager.default
        if argument.hasPrefix("@") { return "@" + resolve(String(argument.dropFirst())) }
        guard let first = argument.first, first == "/" || first == "-" else {
            let candidate = folder + "/" + argument
            return fileManager.fileExists(atPath: candidate) ? candidate : argument
        }
        // An absolute Unix path to an input is already fine.
        if first == "/" && fileManager.fileExists(atPath: argument) { return argument }
        let body = argument.dropFirst()
        guard let colon = body.firstIndex(of: ":") else { return argument }
        let spelledName = String(body[..<colon])
        let name = spelledName.lowercased()
        var value = String(body[body.index(after: colon)...])
        guard !value.isEmpty else { return argument }
        if Self.pathValuedOptions.contains(name) {
            if name == "order" && value.hasPrefix("@") {
                value = "@" + resolve(String(value.dropFirst()))
            } else {
                value = resolve(value)
            }
            return "\(first)\(spelledName):\(value)"
        }
        // A /defaultlib: naming a library that sits in the case folder would be found in the
        // current folder by lld-link; make it absolute so the in-process link finds it too.
        if name == "defaultlib" && !value.hasPrefix("/") && fileManager.fileExists(atPath: folder + "/" + value) {
            return "\(first)\(spelledName):\(folder)/\(value)"
        }
        return argument
    }
}

struct GoldenSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

// MARK: - Linking a case with pelink

/// One in-process pelink link of a case into a folder, as `<folder>/<case>.dll` and `.lib`.
struct GoldenLink {
    var result: DriverResult
    var folder: URL
    var dll: URL
    var lib: URL

    /// The diagnostics with the run's folder shown as <tmp> and the repository as <repo>.
    var normalizedDiagnostics: String { goldenNormalize(result.diagnostics, temporaryFolder: folder) }
}

/// The environment pelink and lld-link see: without LIB (and LINK/_LINK_, which lld-link reads as
/// extra arguments), so that nothing outside the case folder can take part in a link.
let goldenLinkEnvironment: [String: String] = {
    var environment = ProcessInfo.processInfo.environment
    for key in ["LIB", "LINK", "_LINK_"] { environment.removeValue(forKey: key) }
    return environment
}()

func goldenLinkWithPELink(_ testCase: GoldenCase, into folder: URL, extraArguments: [String] = []) -> GoldenLink {
    let dll = folder.appendingPathComponent(testCase.name + ".dll")
    let lib = folder.appendingPathComponent(testCase.name + ".lib")
    // A case about its own output path (an error case) keeps its /out:.
    let ownOutput = testCase.arguments.contains { $0.lowercased().hasPrefix("/out:") || $0.lowercased().hasPrefix("-out:") }
    let arguments = testCase.absoluteArguments + extraArguments + (ownOutput ? [] : ["/out:" + dll.path]) + ["/implib:" + lib.path]
    let result = Driver.run(arguments: arguments, environment: goldenLinkEnvironment)
    return GoldenLink(result: result, folder: folder, dll: dll, lib: lib)
}

/// `pelink /dump FILE` (with /json: `pelink /dump /json FILE`), as a user runs it.
func goldenDump(_ path: String, json: Bool = false) throws -> String {
    let result = Driver.run(arguments: ["/dump"] + (json ? ["/json"] : []) + [path])
    guard result.exitCode == 0 else { throw GoldenSetupError("pelink /dump \(json ? "/json " : "")\(path) failed: \(result.diagnostics)") }
    return result.output
}

/// Replaces the temporary folder with <tmp> and the repository path with <repo>.
func goldenNormalize(_ text: String, temporaryFolder: URL) -> String {
    var text = text
    var temporaryPaths = [temporaryFolder.path, temporaryFolder.standardizedFileURL.path,
                          temporaryFolder.resolvingSymlinksInPath().path]
    // Longest first, so that a path that extends another one is replaced whole.
    temporaryPaths = Array(Set(temporaryPaths)).sorted { $0.count > $1.count }
    for path in temporaryPaths { text = text.replacingOccurrences(of: path, with: "<tmp>") }
    let repositoryPaths = Array(Set([repositoryRoot.path, repositoryRoot.resolvingSymlinksInPath().path]))
        .sorted { $0.count > $1.count }
    for path in repositoryPaths { text = text.replacingOccurrences(of: path, with: "<repo>") }
    return text
}

// MARK: - Comparing with golden files

let goldenUpdateRequested = ProcessInfo.processInfo.environment["PELINK_UPDATE_GOLDEN"] == "1"

/// The golden file names a case can have; anything else in Golden/<case>/ is left alone.
let goldenFileNames = ["dll.txt", "lib.txt", "diagnostics.txt"]

/// Compares `actual` with Golden/<case>/<file> (or rewrites it under PELINK_UPDATE_GOLDEN=1).
func goldenCheck(_ actual: String, case name: String, file: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let folder = GoldenCase.goldenFolder.appendingPathComponent(name)
    let url = folder.appendingPathComponent(file)
    let shownPath = "Golden/\(name)/\(file)"
    if goldenUpdateRequested {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let existing = try? String(contentsOf: url, encoding: .utf8)
        if existing != actual { try actual.write(to: url, atomically: true, encoding: .utf8) }
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("\(shownPath) is missing; run PELINK_UPDATE_GOLDEN=1 swift test --filter Golden and review the new file",
                     sourceLocation: sourceLocation)
        return
    }
    if expected != actual {
        Issue.record(Comment(rawValue: goldenDifferenceReport(expected: expected, actual: actual, path: shownPath)),
                     sourceLocation: sourceLocation)
    }
}

/// Under PELINK_UPDATE_GOLDEN=1 deletes golden files a case no longer produces; otherwise reports them.
func goldenCheckNoStaleFiles(case name: String, produced: Set<String>, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let folder = GoldenCase.goldenFolder.appendingPathComponent(name)
    for file in goldenFileNames where !produced.contains(file) {
        let url = folder.appendingPathComponent(file)
        guard FileManager.default.fileExists(atPath: url.path) else { continue }
        if goldenUpdateRequested {
            try FileManager.default.removeItem(at: url)
        } else {
            Issue.record("Golden/\(name)/\(file) exists but this link no longer produces it (rerun with PELINK_UPDATE_GOLDEN=1 to delete it)",
                         sourceLocation: sourceLocation)
        }
    }
}

/// A readable account of how two texts differ: line counts, the first differing line, and the
/// differing block (common leading and trailing lines removed), each side cut to a few lines.
func goldenDifferenceReport(expected: String, actual: String, path: String) -> String {
    let old = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let new = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var prefix = 0
    while prefix < old.count && prefix < new.count && old[prefix] == new[prefix] { prefix += 1 }
    var suffix = 0
    while suffix < old.count - prefix && suffix < new.count - prefix
            && old[old.count - 1 - suffix] == new[new.count - 1 - suffix] { suffix += 1 }
    let oldBlock = old[prefix..<(old.count - suffix)]
    let newBlock = new[prefix..<(new.count - suffix)]
    let limit = 12
    var lines = ["\(path) differs from pelink's output (golden: \(old.count) lines, now: \(new.count) lines)."]
    lines.append("First difference at line \(prefix + 1):")
    lines.append("  golden: \(prefix < old.count ? old[prefix] : "<end of file>")")
    lines.append("  now:    \(prefix < new.count ? new[prefix] : "<end of file>")")
    lines.append("Differing block, golden lines \(prefix + 1)-\(prefix + oldBlock.count), now lines \(prefix + 1)-\(prefix + newBlock.count):")
    for (offset, line) in oldBlock.prefix(limit).enumerated() { lines.append("  - \(prefix + 1 + offset): \(line)") }
    if oldBlock.count > limit { lines.append("  - ... \(oldBlock.count - limit) more") }
    for (offset, line) in newBlock.prefix(limit).enumerated() { lines.append("  + \(prefix + 1 + offset): \(line)") }
    if newBlock.count > limit { lines.append("  + ... \(newBlock.count - limit) more") }
    lines.append("If the change is intended, rerun with PELINK_UPDATE_GOLDEN=1 and review the diff of Golden/.")
    return lines.joined(separator: "\n")
}

/// Where two byte strings first differ, for determinism failures.
func goldenFirstByteDifference(_ a: Data, _ b: Data) -> String {
    let common = min(a.count, b.count)
    let left = [UInt8](a), right = [UInt8](b)
    var index = 0
    while index < common && left[index] == right[index] { index += 1 }
    if index == common { return "sizes \(a.count) and \(b.count) bytes, identical up to the shorter one" }
    return "sizes \(a.count) and \(b.count) bytes, first difference at file offset 0x\(String(index, radix: 16)) "
        + "(0x\(String(left[index], radix: 16)) vs 0x\(String(right[index], radix: 16)))"
}

/// The names in a folder (hidden files included), sorted.
func goldenFolderListing(_ folder: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
}

// MARK: - The tests

@Suite("Golden files")
struct GoldenTests {
    @Test("Inputs/ has cases")
    func casesExist() {
        #expect(GoldenCase.allNames.count >= 40, "found only \(GoldenCase.allNames.count) case folders under Inputs/")
        #expect(GoldenCase.okNames.count + GoldenCase.errorNames.count == GoldenCase.allNames.count,
                "some Inputs/*/EXPECT say neither 'ok' nor 'error'")
    }

    @Test("Golden/ has no folder without a case")
    func noOrphanGoldenFolders() throws {
        let names = Set(GoldenCase.allNames)
        for entry in goldenFolderListing(GoldenCase.goldenFolder) where !entry.hasPrefix(".") {
            var isDirectory: ObjCBool = false
            let url = GoldenCase.goldenFolder.appendingPathComponent(entry)
            // Other golden tests (ABIGuardTests' abi-diff-*) keep their inputs in an Inputs/ folder without ARGS.
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue,
                  !names.contains(entry), !FileManager.default.fileExists(atPath: GoldenCase.inputsFolder.appendingPathComponent(entry).path)
            else { continue }
            if goldenUpdateRequested {
                for file in goldenFileNames {
                    try? FileManager.default.removeItem(at: url.appendingPathComponent(file))
                }
                try? FileManager.default.removeItem(at: url) // only when nothing else is in it
            } else {
                Issue.record("Golden/\(entry) has no Inputs/\(entry)/ARGS; delete it (PELINK_UPDATE_GOLDEN=1 does)")
            }
        }
    }

    @Test("Golden case", arguments: GoldenCase.allNames)
    func golden(_ name: String) throws {
        let testCase = try GoldenCase(name: name)
        let temporary = try makeTemporaryDirectory("golden-\(name)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        let link = goldenLinkWithPELink(testCase, into: temporary)
        let diagnostics = link.normalizedDiagnostics

        if !testCase.expectsSuccess {
            #expect(link.result.exitCode == 1, "Inputs/\(name) must fail with exit code 1; got \(link.result.exitCode)\n\(diagnostics)")
            #expect(diagnostics.contains("pelink: error: "), "a failed link must say why:\n\(diagnostics)")
            // Nothing may be left behind: no DLL, no import library, no temporary .pelink-* file.
            let leftovers = goldenFolderListing(temporary)
            #expect(leftovers.isEmpty, "the failed link left files behind: \(leftovers.joined(separator: ", "))")
            try goldenCheck(diagnostics, case: name, file: "diagnostics.txt")
            try goldenCheckNoStaleFiles(case: name, produced: ["diagnostics.txt"])
            return
        }

        #expect(link.result.exitCode == 0, "Inputs/\(name) must link; exit code \(link.result.exitCode)\n\(diagnostics)")
        guard link.result.exitCode == 0 else { return }
        // /debug writes the PDB beside the image.
        let pdbName = (link.dll.lastPathComponent as NSString).deletingPathExtension + ".pdb"
        let expectedFiles = Set([link.dll.lastPathComponent, link.lib.lastPathComponent] + (testCase.arguments.contains { $0.lowercased().hasPrefix("/debug") && !$0.lowercased().hasPrefix("/debug:none") && !$0.lowercased().hasPrefix("/debug:dwarf") && !$0.lowercased().hasPrefix("/debug:symtab") } ? [pdbName] : []))
        let strays = goldenFolderListing(temporary).filter { !expectedFiles.contains($0) }
        #expect(strays.isEmpty, "the link left other files in its output folder: \(strays.joined(separator: ", "))")
        guard FileManager.default.fileExists(atPath: link.dll.path) else {
            Issue.record("exit code 0 but no \(link.dll.lastPathComponent) was written")
            return
        }
        var produced: Set<String> = ["dll.txt", "dll.json", "diagnostics.txt"]
        try goldenCheck(try goldenDump(link.dll.path), case: name, file: "dll.txt")
        try goldenCheck(try goldenDump(link.dll.path, json: true), case: name, file: "dll.json")
        if FileManager.default.fileExists(atPath: link.lib.path) {
            produced.formUnion(["lib.txt", "lib.json"])
            try goldenCheck(try goldenDump(link.lib.path), case: name, file: "lib.txt")
            try goldenCheck(try goldenDump(link.lib.path, json: true), case: name, file: "lib.json")
        }
        try goldenCheck(diagnostics, case: name, file: "diagnostics.txt")
        if !link.result.output.isEmpty {
            produced.insert("output.txt")
            try goldenCheck(goldenNormalize(link.result.output, temporaryFolder: temporary), case: name, file: "output.txt")
        }
        try goldenCheckNoStaleFiles(case: name, produced: produced)

        // Determinism: the same link in another folder (same file names) gives the same bytes,
        // and so do other thread counts.
        let first = (dll: try Data(contentsOf: link.dll), lib: try? Data(contentsOf: link.lib))
        let variants: [(label: String, extra: [String])] = [
            ("a second run in another folder", []),
            ("/threads:1", ["/threads:1"]),
            ("/threads:8", ["/threads:8"]),
        ]
        for variant in variants {
            let folder = try makeTemporaryDirectory("golden-\(name)-again")
            defer { try? FileManager.default.removeItem(at: folder) }
            let again = goldenLinkWithPELink(testCase, into: folder, extraArguments: variant.extra)
            #expect(again.result.exitCode == 0, "\(variant.label): exit code \(again.result.exitCode)\n\(again.normalizedDiagnostics)")
            guard again.result.exitCode == 0 else { continue }
            #expect(again.normalizedDiagnostics == diagnostics, "\(variant.label): different diagnostics:\n\(again.normalizedDiagnostics)")
            let dll = try Data(contentsOf: again.dll)
            #expect(dll == first.dll, "\(variant.label): the DLL is not byte-identical to the first link's: \(goldenFirstByteDifference(first.dll, dll))")
            let lib = try? Data(contentsOf: again.lib)
            if let firstLib = first.lib, let lib {
                #expect(lib == firstLib, "\(variant.label): the import library is not byte-identical: \(goldenFirstByteDifference(firstLib, lib))")
            } else {
                #expect((first.lib == nil) == (lib == nil), "\(variant.label): an import library was written by only one of the two links")
            }
        }
    }
}
