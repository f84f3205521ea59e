// The /map file's lists of the sections /opt:ref removed and /opt:icf folded (pelink's own
// addition at the end of the link.exe-style map; OracleTests compares everything before them
// with lld-link's map).

import Foundation
import PELink
import Testing

@Suite("Map: removed and folded sections")
struct MapRemovalTests {
    private func mapLines(case name: String, extra: [String] = []) throws -> [String] {
        let testCase = try GoldenCase(name: name)
        let folder = try makeTemporaryDirectory("map-removal-\(name)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let map = folder.appendingPathComponent("out.map")
        let link = goldenLinkWithPELink(testCase, into: folder, extraArguments: ["/map:" + map.path] + extra)
        #expect(link.result.exitCode == 0, "\(link.result.diagnostics)")
        return try String(contentsOf: map, encoding: .utf8).components(separatedBy: "\n")
    }

    /// The entries of the list whose heading starts with `heading`: each entry's words.
    private func entries(_ lines: [String], heading: String) -> [[String]] {
        guard let start = lines.firstIndex(where: { $0.hasPrefix(heading) }) else { return [] }
        // Heading, blank, column titles, blank, then entries up to the next blank line.
        return lines[(start + 4)...].prefix { !$0.isEmpty }.map { $0.split(separator: " ").map(String.init) }
    }

    @Test("/opt:ref: the removed COMDATs are listed with their objects, the kept ones are not")
    func removedSections() throws {
        let lines = try mapLines(case: "opt-ref")
        let heading = try #require(lines.first { $0.hasPrefix(" Removed by /opt:ref") })
        let removed = entries(lines, heading: " Removed by /opt:ref")
        let names = Set(removed.map { $0[0] })
        // parts.c: unused and only_user are unreferenced, and helper is too once -O1 inlined it
        // into kept (see Inputs/opt-ref/NOTES); lld-link /verbose discards the same three.
        #expect(names == ["helper", "unused", "only_user"], "\(removed)")
        #expect(removed.allSatisfy { $0.last == "parts.obj" }, "\(removed)")
        #expect(heading.hasSuffix(": \(removed.count)"))
        #expect(!lines.contains { $0.hasPrefix(" Folded by /opt:icf") })
    }

    @Test("/opt:noref: nothing is listed")
    func nothingRemoved() throws {
        let lines = try mapLines(case: "opt-noref")
        #expect(!lines.contains { $0.hasPrefix(" Removed by /opt:ref") || $0.hasPrefix(" Folded by /opt:icf") })
    }

    @Test("/opt:icf: each folded section names the one kept in its place, as /verbose does")
    func foldedSections() throws {
        let lines = try mapLines(case: "icf-rules")
        let folded = entries(lines, heading: " Folded by /opt:icf")
        // From Golden/icf-rules/diagnostics.txt: f2 into f1, g2 and k1 into g1, and so on.
        let into = Dictionary(folded.map { ($0[0], $0[2]) }, uniquingKeysWith: { a, _ in a })
        let expected: [String: String] = ["f2": "f1", "g2": "g1", "k1": "g1", "??_7Bar@@6B@": "??_7Foo@@6B@"]
        for (name, kept) in expected { #expect(into[name] == kept, "\(folded)") }
        #expect(folded.count == 9)
        #expect(folded.allSatisfy { $0[1] == "rules.obj" && $0.last == "(rules.obj)" })
        // A folded function is still a public symbol, at the address of the one kept.
        // (Public lines: " 0001:00000000       f1    0000000180001000 f   rules.obj".)
        let words: [[Substring]] = lines.map { $0.split(separator: " ") }
        let publics = words.filter { $0.count > 2 && $0[0].contains(":") && ($0[1] == "f1" || $0[1] == "f2") }
        let addresses = Set(publics.map { $0[0] })
        #expect(publics.count == 2 && addresses.count == 1, "\(publics)")
    }
}
