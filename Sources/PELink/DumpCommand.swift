import Foundation
import PEFormat

/// `pelink /dump [/headers /sections /exports /imports /relocations /resources /symbols /all]
/// [/json] [/out:file] FILE...`: the stable text dump golden tests compare (`PEDump`), or the
/// same content as JSON (`PEDumpJSON`), of DLLs, EXEs, objects, static and import libraries.
enum DumpCommand {
    static let help = """
        pelink /dump: a stable dump of DLLs, EXEs, COFF objects, static and import libraries
          pelink /dump [selectors] [/json] [/out:file] FILE...
        Selectors (any number; none means /all):
          /headers      file and optional headers, data directories, TLS, load configuration, debug directory
          /sections     section headers and a digest of each section's bytes
          /exports      the export table                /imports      imports and delay-load imports
          /relocations  base relocations                 /resources    the resource tree
          /symbols      COFF symbols of objects and library members; a library's symbol directory
          /all          everything
        /json: one JSON document per file (schema pelink-dump/1, see the README); several files
        give a JSON array of documents; /jsonschema prints its JSON Schema. Output never names
        the paths given.
        """

    static func run(arguments: [String]) -> (exitCode: Int32, output: String, diagnostics: [String]) {
        var parts: DumpParts = []
        var json = false
        var outPath: String?
        var files: [String] = []
        for argument in arguments {
            // An absolute path starts with "/" too: a file that exists is a file.
            guard !FileManager.default.fileExists(atPath: argument), let (name, value) = splitOption(argument) else {
                files.append(argument)
                continue
            }
            switch name {
            case "headers": parts.insert(.headers)
            case "sections": parts.insert(.sections)
            case "exports": parts.insert(.exports)
            case "imports": parts.insert(.imports)
            case "relocations": parts.insert(.relocations)
            case "resources": parts.insert(.resources)
            case "symbols": parts.insert(.symbols)
            case "all": parts.formUnion(.all)
            case "json": json = true
            case "out":
                guard let value, !value.isEmpty else { return (1, "", ["error: /dump: /out: needs a file name"]) }
                outPath = value
            case "jsonschema": return (0, PEDumpJSON.schema + "\n", [])
            case "help", "?": return (0, help + "\n", [])
            default: return (1, "", ["error: /dump: unknown option \(argument) (see pelink /dump /help)"])
            }
        }
        if parts.isEmpty { parts = .all }
        guard !files.isEmpty else { return (1, "", ["error: /dump: no input files (see pelink /dump /help)"]) }
        var documents: [String] = []
        for path in files {
            do {
                let file = try MappedFile(path: path)
                switch FileKind.identify(file.view) {
                case .archive, .thinArchive, .importObject, .coffObject, .bigObject: break
                case .peImage: break
                case let kind:
                    return (1, "", ["error: /dump: \(path): \(kind.rejection ?? "not a PE image, COFF object, import object or library"); pelink /dump reads those"])
                }
                if json {
                    documents.append(try PEDumpJSON.document(file.view, parts: parts))
                } else {
                    let text = try PEDump.dumpFile(file.view, parts: parts)
                    // Several files: each under a heading with its file name (never the path).
                    documents.append(files.count == 1 ? text : "Dump of \((path as NSString).lastPathComponent)\n\n" + text)
                }
            } catch let error as FormatError {
                return (1, "", ["error: /dump: \(error.file.isEmpty ? path + ": " : "")\(error)"])
            } catch {
                return (1, "", ["error: /dump: \(path): \(error)"])
            }
        }
        let output: String
        if json {
            output = documents.count == 1 ? documents[0]
                : "[" + documents.map { $0.trimmingCharacters(in: .newlines) }.joined(separator: ",") + "]\n"
        } else {
            output = documents.joined(separator: "\n")
        }
        guard let outPath else { return (0, output, []) }
        do {
            let staged = try StagedOutput(path: outPath, size: output.utf8.count, executable: false) { buffer in
                var text = output
                text.withUTF8 { buffer.copyMemory(from: UnsafeRawBufferPointer($0)) }
            }
            try staged.commit()
        } catch {
            return (1, "", ["error: /dump: cannot write \(outPath): \(error)"])
        }
        return (0, "", [])
    }
}
