// /why's pieces that the golden cases (Inputs/why, why-json, err-undefined-suggest) do not
// show one by one: name keys for "did you mean", pattern matching, and the JSON report's shape.

import Foundation
@testable import PELink
import Testing

@Suite("/why and name suggestions")
struct WhyTests {
    @Test("names that differ only in decoration, mangling, __imp_ or case share a key", arguments: [
        ("f", "_f"), ("f", "_f@8"), ("f", "@f@8"), ("f", "f@@8"), ("compute", "?compute@@YAHH@Z"),
        ("blend", "_Z5blendi"), ("bar", "_ZN3foo3barEv"), ("f", "__imp_f"), ("Step_Two", "step_two"),
    ])
    func sharedKeys(_ pair: (String, String)) {
        #expect(NameSuggestions.key(pair.0) == NameSuggestions.key(pair.1))
    }

    @Test("different names keep different keys", arguments: [
        ("f", "g"), ("f", "ff"), ("f", "?g@@YAXXZ"), ("f", "_Z1gv"), ("f1", "f2"),
    ])
    func differentKeys(_ pair: (String, String)) {
        #expect(NameSuggestions.key(pair.0) != NameSuggestions.key(pair.1))
    }

    @Test("each kind of mismatch gets its own hint")
    func hints() {
        #expect(NameSuggestions.hint(undefined: "_scale", candidate: "?scale@@YAHH@Z").contains("extern \"C\" where it is defined"))
        #expect(NameSuggestions.hint(undefined: "?blend@@YAHH@Z", candidate: "_blend").contains("lacks extern \"C\""))
        #expect(NameSuggestions.hint(undefined: "_compute@4", candidate: "_compute").contains("calling convention"))
        #expect(NameSuggestions.hint(undefined: "Foo", candidate: "foo").contains("case-sensitive"))
        #expect(NameSuggestions.hint(undefined: "__imp_f", candidate: "f").contains("dllimport"))
    }

    @Test("/why patterns: * and ? match, other characters must be equal")
    func patterns() {
        #expect(WhyQuery("*").matches("anything"))
        #expect(WhyQuery("step_*").matches("step_two"))
        #expect(!WhyQuery("step_*").matches("one_step"))
        #expect(WhyQuery("?wi?_*").matches("twin_b"))
        #expect(!WhyQuery("twin_?").matches("twin_ab"))
        #expect(WhyQuery("a*b*c").matches("axxbyyc") && !WhyQuery("a*b*c").matches("axxbyy"))
        let export = WhyQuery("export:use_*")
        #expect(export.isExport && export.pattern == "use_*")
        // A long run of stars against a long name ends quickly (no exponential backtracking).
        #expect(!WhyQuery(String(repeating: "*a", count: 40) + "b").matches(String(repeating: "a", count: 4000)))
    }

    @Test("the JSON report of Inputs/why-json is one document with every status the text shows")
    func jsonReport() throws {
        let text = try String(contentsOf: GoldenCase.goldenFolder.appendingPathComponent("why-json/output.txt"), encoding: .utf8)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(document["schema"] as? String == "pelink-why/1")
        let entries = try #require(document["entries"] as? [[String: Any]])
        let status = Dictionary(entries.map { ($0["symbol"] as? String ?? "", $0["status"] as? String ?? "") }, uniquingKeysWith: { a, _ in a })
        #expect(status["step_two"] == "in-image" && status["lib_helper"] == "in-image")
        #expect(status["unused_local"] == "removed-by-opt-ref" && status["twin_b"] == "folded")
        #expect(status["never_pulled"] == "not-loaded" && status["Step_Two"] == "no-such-symbol")
        let twin = try #require(entries.first { $0["symbol"] as? String == "twin_b" })
        #expect((twin["foldedInto"] as? [String: Any])?["symbol"] as? String == "twin_a")
        let chain = try #require(entries.first { $0["symbol"] as? String == "step_two" }?["chain"] as? [[String: Any]])
        #expect(chain.count == 3 && chain[0]["root"] != nil && chain[2]["through"] as? String == "step_two")
    }

    @Test("too many exports: the message names the largest sources, .drectve asks counted together")
    func largestExportSources() {
        var requests = (0..<50).map { ExportRequest(name: "d\($0)", source: .moduleDefinition(path: "big.def", line: $0 + 3)) }
        requests += (0..<30).map { ExportRequest(name: "a\($0)", source: .directive(object: "a.obj")) }
        requests += (0..<10).map { ExportRequest(name: "b\($0)", source: .directive(object: "b.obj")) }
        requests.append(ExportRequest(name: "c", source: .commandLine))
        #expect(ExportBuilder.largestSources(requests)
                == "big.def (50), the .drectve sections of 2 objects (most: a.obj, 30) (40), /export: on the command line (1)")
        #expect(ExportBuilder.largestSources(Array(requests[50..<80])) == ".drectve of a.obj (30)")
    }

    @Test("/json without /why: a warning, not silence")
    func jsonAloneWarns() throws {
        let folder = try makeTemporaryDirectory("why-json-alone")
        defer { try? FileManager.default.removeItem(at: folder) }
        let object = GoldenCase.inputsFolder.appendingPathComponent("def-ordinals/impl.obj").path
        let result = Driver.run(arguments: ["/dll", "/noentry", "/machine:x64", "/export:first", "/json", object,
                                            "/out:" + folder.appendingPathComponent("x.dll").path])
        #expect(result.exitCode == 0 && result.output.isEmpty)
        #expect(result.diagnostics.contains("warning: /json has no effect without /why:"), "\(result.diagnostics)")
    }
}
