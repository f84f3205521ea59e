// lld's own COFF tests (../shared/lldsuite: 125 tests lld-link 21 passes, with their runner) run
// with pelink standing in for lld-link. The tests that fail must be exactly those that
// Tests/lldsuite-failing.md lists, each with its reason, and the pass counts may not fall.

import Foundation
import Testing

@Suite("lld's COFF tests with pelink as lld-link")
struct LLDSuiteTests {
    /// Beside the repository (../shared), else where the project's machines keep it.
    static let suiteFolder: URL = {
        let candidates = [repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/lldsuite"),
                          URL(fileURLWithPath: "/work/shared/lldsuite")]
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("lldsuite.py").path) } ?? candidates[0]
    }()
    static let failingList = repositoryRoot.appendingPathComponent("Tests/lldsuite-failing.md")

    /// The table rows of the list: test name → (class, reason).
    static func listedFailures() throws -> [String: (kind: String, reason: String)] {
        var listed: [String: (String, String)] = [:]
        for line in try String(contentsOf: failingList, encoding: .utf8).split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 5, cells[1] != "test", !cells[1].hasPrefix("---") else { continue }
            listed[cells[1]] = (cells[2], cells[3])
        }
        return listed
    }

    @Test("the failing tests are exactly the listed ones; at least 71 semantic and 31 layout tests pass")
    func failuresAreListed() throws {
        guard FileManager.default.fileExists(atPath: Self.suiteFolder.appendingPathComponent("lldsuite.py").path) else {
            if ProcessInfo.processInfo.environment["PELINK_REQUIRE_ORACLES"] == "1" {
                Issue.record("lld's COFF tests are not at \(Self.suiteFolder.path)")
            }
            return
        }
        guard let python = requireTool("python3"), let pelink = pelinkExecutable else {
            if pelinkExecutable == nil { Issue.record("the pelink executable is not built next to the tests") }
            return
        }
        let bin = try makeTemporaryDirectory("lldsuite-bin")
        defer { try? FileManager.default.removeItem(at: bin) }
        let linker = bin.appendingPathComponent("lld-link")
        try FileManager.default.createSymbolicLink(atPath: linker.path, withDestinationPath: pelink)
        let tests = Self.suiteFolder.appendingPathComponent("tests")
        let run = try runProcess(python, ["../lldsuite.py", "-j", "2", "--list", "../usable.txt"],
                                 environment: ProcessInfo.processInfo.environment.merging(["LINKER": linker.path]) { $1 },
                                 currentDirectory: tests.path)
        var failing: [String: String] = [:]
        var passed: [String: Int] = [:]
        for line in (run.stdout + run.stderr).split(separator: "\n") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            if words.count >= 3, words[0] == "FAIL" { failing[words[1]] = words[2].trimmingCharacters(in: CharacterSet(charactersIn: "[]")) }
            if words.count >= 4, words[0] == "class", let count = words[3].split(separator: "=").last.flatMap({ Int($0) }), words[3].hasPrefix("pass=") {
                passed[words[1]] = count
            }
        }
        #expect(!passed.isEmpty, "no totals from the runner:\n\(run.stdout.suffix(2000))\n\(run.stderr.suffix(2000))")
        let listed = try Self.listedFailures()
        let unlisted = failing.keys.filter { listed[$0] == nil }.sorted()
        let nowPassing = listed.keys.filter { failing[$0] == nil }.sorted()
        #expect(unlisted.isEmpty, "failing, and not in Tests/lldsuite-failing.md (say why, or fix pelink): \(unlisted)")
        #expect(nowPassing.isEmpty, "listed in Tests/lldsuite-failing.md but passing now (take them out): \(nowPassing)")
        for (name, entry) in listed {
            #expect(entry.reason.count > 10, "\(name): no reason given")
            if let kind = failing[name] { #expect(kind == entry.kind, "\(name) is \(kind), listed as \(entry.kind)") }
        }
        #expect((passed["semantic"] ?? 0) >= 71 && (passed["layout"] ?? 0) >= 31, "passing: \(passed)")
    }
}
