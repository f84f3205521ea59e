// pelink /dump: selectors, JSON against its schema, objects and libraries of each machine, bad
// input, and the export dump of pelink's DLLs against lld-link's. (The golden files of every
// case, Golden/<case>/dll.txt, dll.json, lib.txt and lib.json, are made through /dump.)

import Foundation
import PEFormat
import PELink
import Testing

@Suite("pelink /dump")
struct DumpCommandTests {
    private func dump(_ arguments: [String]) -> DriverResult { Driver.run(arguments: ["/dump"] + arguments) }

    private func linked(_ name: String, in folder: URL) throws -> GoldenLink {
        let link = goldenLinkWithPELink(try GoldenCase(name: name), into: folder)
        #expect(link.result.exitCode == 0, "\(link.result.diagnostics)")
        return link
    }

    @Test("each selector shows its part and no other")
    func selectors() throws {
        let folder = try makeTemporaryDirectory("dump-selectors")
        defer { try? FileManager.default.removeItem(at: folder) }
        let delay = try linked("delayload", in: folder).dll.path
        let headings: [(selector: String, heading: String)] = [
            ("/headers", "File header"), ("/sections", "Sections ("), ("/exports", "Exports"),
            ("/imports", "Delay-load imports"), ("/relocations", "Base relocations"),
        ]
        for (selector, heading) in headings {
            let result = dump([selector, delay])
            #expect(result.exitCode == 0, "\(result.diagnostics)")
            let lines = result.output.split(separator: "\n")
            #expect(lines.contains { $0.hasPrefix(heading) }, "\(selector) lacks \(heading)")
            for (_, other) in headings where other != heading {
                #expect(!lines.contains { $0.hasPrefix(other) }, "\(selector) shows \(other)")
            }
        }
        #expect(Driver.run(arguments: ["/dump", "/help"]).output.contains("pelink /dump [selectors]"))
        // No selector is /all, which is the golden file.
        #expect(dump([delay]).output == dump(["/all", delay]).output)
        #expect(dump([delay]).output == (try String(contentsOf: GoldenCase.goldenFolder.appendingPathComponent("delayload/dll.txt"), encoding: .utf8)))
        let resources = try linked("resources-res", in: folder).dll.path
        let resourceDump = dump(["/resources", resources]).output
        #expect(resourceDump.hasPrefix("Resources (7 entries)") && resourceDump.contains("type 16 (RT_VERSION)"))
        let json = try parse(dump(["/resources", "/json", resources]).output)
        #expect((json["resources"] as? [Any])?.count == 7 && json["sections"] == nil)
    }

    @Test("objects and libraries of x64, x86 and ARM64; several files; /out:")
    func objectsAndLibraries() throws {
        let inputs = GoldenCase.inputsFolder
        for object in ["def-ordinals/impl.obj", "x86-forwarders/local.obj", "arm64-c-globals/data.obj"] {
            let path = inputs.appendingPathComponent(object).path
            let text = dump([path])
            #expect(text.exitCode == 0 && text.output.contains("COFF object") && text.output.contains("external symbols"), "\(object): \(text.diagnostics)")
            let json = try parse(dump(["/json", path]).output)
            #expect(json["kind"] as? String == "object" && !((json["symbols"] as? [Any]) ?? []).isEmpty)
        }
        let library = inputs.appendingPathComponent("why/helpers.lib").path
        let symbols = Driver.run(arguments: ["/dump", "/symbols", library])
        #expect(symbols.output.contains("Symbol directory") && symbols.output.contains("lib_helper"))
        let importLibrary = inputs.appendingPathComponent("opt-ref/other.lib").path
        let imports = try parse(dump(["/json", importLibrary]).output)
        let members = try #require(imports["members"] as? [[String: Any]])
        #expect(members.contains { $0["content"] as? String == "import-object" })
        // Several files: each under its file name; JSON: an array of documents.
        let both = dump(["/exports", library, importLibrary])
        #expect(both.output.contains("Dump of helpers.lib") && both.output.contains("Dump of other.lib") && !both.output.contains(inputs.path))
        let array = try JSONSerialization.jsonObject(with: Data(dump(["/json", library, importLibrary]).output.utf8)) as? [Any]
        #expect(array?.count == 2)
        let folder = try makeTemporaryDirectory("dump-out")
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("dump.txt").path
        let written = dump(["/out:" + out, library])
        #expect(written.exitCode == 0 && written.output.isEmpty)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == dump([library]).output)
    }

    @Test("bad input: an error naming the file and what is wrong, exit status 1, no crash")
    func badInput() throws {
        let folder = try makeTemporaryDirectory("dump-bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = folder.appendingPathComponent("notes.txt")
        try "not a PE file\n".write(to: text, atomically: true, encoding: .utf8)
        let truncated = folder.appendingPathComponent("cut.dll")
        let whole = try Data(contentsOf: GoldenCase.inputsFolder.appendingPathComponent("def-ordinals/impl.obj"))
        try whole.prefix(30).write(to: truncated)
        for path in [text.path, truncated.path, folder.appendingPathComponent("missing.obj").path] {
            for json in [false, true] {
                let result = dump((json ? ["/json"] : []) + [path])
                #expect(result.exitCode == 1 && result.output.isEmpty, "\(path)")
                #expect(result.diagnostics.hasPrefix("pelink: error: /dump: ") && result.diagnostics.contains((path as NSString).lastPathComponent), "\(result.diagnostics)")
            }
        }
        #expect(dump(["/exprts", text.path]).diagnostics.contains("unknown option /exprts"))
        #expect(dump([]).exitCode == 1)
    }

    @Test("every golden JSON dump follows the schema /dump /jsonschema prints")
    func goldenJSONFollowsTheSchema() throws {
        let schemaText = Driver.run(arguments: ["/dump", "/jsonschema"]).output
        let schema = try parse(schemaText)
        let validator = SchemaValidator(root: schema)
        let folders = try FileManager.default.contentsOfDirectory(atPath: GoldenCase.goldenFolder.path).sorted()
        var checked = 0
        for folder in folders {
            for file in ["dll.json", "lib.json"] {
                let url = GoldenCase.goldenFolder.appendingPathComponent(folder).appendingPathComponent(file)
                guard let data = try? Data(contentsOf: url) else { continue }
                let document = try JSONSerialization.jsonObject(with: data)
                let errors = validator.errors(document)
                #expect(errors.isEmpty, "Golden/\(folder)/\(file): \(errors.prefix(3))")
                checked += 1
            }
        }
        #expect(checked > 200, "only \(checked) JSON dumps found")
        // The validator can fail: a wrong type, an unknown key, a missing key, a bad hex string.
        let good = try parse(try String(contentsOf: GoldenCase.goldenFolder.appendingPathComponent("def-ordinals/dll.json"), encoding: .utf8))
        var wrongType = good; wrongType["kind"] = 3
        var unknownKey = good; unknownKey["surprise"] = true
        var missing = good; missing.removeValue(forKey: "schema")
        var badHex = good
        var headers = try #require(good["headers"] as? [String: Any]); headers["imageBase"] = "180000000"; badHex["headers"] = headers
        for broken in [wrongType, unknownKey, missing, badHex] { #expect(!validator.errors(broken).isEmpty) }
    }

    @Test("/dump /exports /json of pelink's DLL equals lld-link's", arguments: ["def-ordinals", "forwarders", "def-rich", "many-exports", "x86-def-ordinals-data", "arm64-def-exports"])
    func exportsMatchLLDLink(_ name: String) throws {
        let temporary = try makeTemporaryDirectory("dump-oracle-\(name)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        guard let links = try OracleTests.linkBoth(name, in: temporary) else { return }
        let ours = dump(["/exports", "/json", links.pelinkDLL.path]), theirs = dump(["/exports", "/json", links.lldDLL.path])
        #expect(ours.exitCode == 0 && theirs.exitCode == 0)
        #expect(ours.output.contains("\"exports\""))
        // Documented to differ (OracleTests, difference (b)): when the .def's LIBRARY names
        // another DLL than /out:, lld-link's export directory has the /out: name, pelink's the
        // LIBRARY name. Everything else (ordinals, names, RVAs, forwarders) must agree.
        let withoutDLLName = { (text: String) in text.split(separator: "\n").filter { !$0.contains("\"dllName\":") }.joined(separator: "\n") }
        #expect(withoutDLLName(ours.output) == withoutDLLName(theirs.output), "pelink:\n\(ours.output.prefix(1500))\nlld-link:\n\(theirs.output.prefix(1500))")
    }

    private func parse(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }
}

/// The part of JSON Schema that pelink's schema uses: type, enum, pattern, properties, required,
/// additionalProperties: false, items, oneOf and local $ref.
struct SchemaValidator {
    let root: [String: Any]

    func errors(_ value: Any, schema: [String: Any]? = nil, at path: String = "$") -> [String] {
        let schema = schema ?? root
        if let reference = schema["$ref"] as? String {
            let name = String(reference.dropFirst("#/$defs/".count))
            guard let definitions = root["$defs"] as? [String: Any], let target = definitions[name] as? [String: Any] else {
                return ["\(path): unknown $ref \(reference)"]
            }
            return errors(value, schema: target, at: path)
        }
        if let choices = schema["oneOf"] as? [[String: Any]] {
            let matching = choices.filter { errors(value, schema: $0, at: path).isEmpty }.count
            return matching == 1 ? [] : ["\(path): matches \(matching) of the oneOf choices, not 1"]
        }
        var found: [String] = []
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { ($0 as? NSObject)?.isEqual(value) ?? false }) {
            found.append("\(path): \(value) is not one of \(allowed)")
        }
        if let type = schema["type"] as? String, !SchemaValidator.has(type, value) {
            return found + ["\(path): expected \(type), found \(Swift.type(of: value))"]
        }
        if let pattern = schema["pattern"] as? String, let text = value as? String,
           text.range(of: pattern, options: .regularExpression) == nil {
            found.append("\(path): \"\(text)\" does not match \(pattern)")
        }
        if let object = value as? [String: Any], schema["type"] as? String == "object" || schema["properties"] != nil {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for key in schema["required"] as? [String] ?? [] where object[key] == nil { found.append("\(path): lacks \(key)") }
            for (key, member) in object {
                if let propertySchema = properties[key] as? [String: Any] {
                    found += errors(member, schema: propertySchema, at: path + "." + key)
                } else if schema["additionalProperties"] as? Bool == false {
                    found.append("\(path): unexpected key \(key)")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, element) in array.enumerated() { found += errors(element, schema: items, at: "\(path)[\(index)]") }
        }
        return found
    }

    static func has(_ type: String, _ value: Any) -> Bool {
        switch type {
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        // JSONSerialization gives true and false as NSNumber of ObjC type "c"; integers as "i"/"q".
        case "boolean": return (value as? NSNumber).map { String(cString: $0.objCType) == "c" } ?? false
        case "integer":
            guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else { return false }
            return number.doubleValue == number.doubleValue.rounded()
        default: return false
        }
    }
}
