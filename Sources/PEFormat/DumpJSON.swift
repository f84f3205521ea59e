// `pelink /dump /json`: the dump's content as one JSON document, for tools and golden tests.
// The layout is `PEDumpJSON.schema` (a JSON Schema), documented in the README; a key never
// changes meaning without a new "pelink-dump/N". Addresses, RVAs, offsets and flags are hex
// strings ("0x1000"); counts and sizes are numbers. Keys come in a fixed order and no path is
// written, so the document is the same from any folder and run.

public enum PEDumpJSON {
    public static let schemaName = "pelink-dump/1"

    /// The document for whatever `view` holds: an image, a library, a COFF object or an import object.
    public static func document(_ view: ByteView, parts: DumpParts = .all) throws -> String {
        let out = JSONWriter()
        try out.object {
            out.key("schema"); out.string(schemaName)
            if Archive.isArchive(view) {
                out.key("kind"); out.string("library")
                try library(try Archive(view: view), parts: parts, into: out)
            } else if PEImage.isImage(view) {
                out.key("kind"); out.string("image")
                try image(try PEImage(view: view), parts: parts, into: out)
            } else if FileKind.identify(view) == .importObject {
                out.key("kind"); out.string("import-object")
                out.key("import"); importObject(try ImportObject(view: view), into: out)
            } else {
                out.key("kind"); out.string("object")
                try object(try COFFObject(view: view), parts: parts, into: out)
            }
        }
        return out.text + "\n"
    }

    // MARK: Images

    private static func image(_ image: PEImage, parts: DumpParts, into out: JSONWriter) throws {
        func hex<T: BinaryInteger>(_ value: T) -> String { PEDump.hex(value) }
        if parts.contains(.headers) {
            let file = image.fileHeader, optional = image.optionalHeader
            out.key("headers")
            out.object {
                out.key("machine"); out.string(PEDump.machineText(file.machine))
                out.key("characteristics"); out.string(hex(file.characteristics))
                out.key("timestamp"); out.string(hex(file.timeDateStamp))
                out.key("format"); out.string(optional.isPE32Plus ? "PE32+" : "PE32")
                out.key("linkerVersion"); out.string("\(optional.majorLinkerVersion).\(optional.minorLinkerVersion)")
                out.key("imageBase"); out.string(hex(optional.imageBase))
                out.key("entryPoint"); out.string(hex(optional.addressOfEntryPoint))
                out.key("sectionAlignment"); out.string(hex(optional.sectionAlignment))
                out.key("fileAlignment"); out.string(hex(optional.fileAlignment))
                out.key("operatingSystemVersion"); out.string("\(optional.majorOperatingSystemVersion).\(optional.minorOperatingSystemVersion)")
                out.key("imageVersion"); out.string("\(optional.majorImageVersion).\(optional.minorImageVersion)")
                out.key("subsystemVersion"); out.string("\(optional.majorSubsystemVersion).\(optional.minorSubsystemVersion)")
                out.key("subsystem"); out.number(Int(optional.subsystem))
                out.key("dllCharacteristics"); out.string(hex(optional.dllCharacteristics))
                out.key("sizeOfImage"); out.string(hex(optional.sizeOfImage))
                out.key("sizeOfHeaders"); out.string(hex(optional.sizeOfHeaders))
                out.key("checksum"); out.string(hex(optional.checkSum))
                out.key("stack"); out.string("\(hex(optional.sizeOfStackReserve)),\(hex(optional.sizeOfStackCommit))")
                out.key("heap"); out.string("\(hex(optional.sizeOfHeapReserve)),\(hex(optional.sizeOfHeapCommit))")
                out.key("dataDirectories")
                out.array {
                    for (index, entry) in optional.dataDirectories.enumerated() where !entry.isEmpty {
                        out.object {
                            out.key("name"); out.string(index < PEDump.directoryNames.count ? PEDump.directoryNames[index] : "DIRECTORY_\(index)")
                            out.key("rva"); out.string(hex(entry.rva))
                            out.key("size"); out.number(Int(entry.size))
                        }
                    }
                }
                out.key("debugEntries")
                out.array {
                    for entry in image.debugEntries {
                        out.object {
                            out.key("type"); out.number(Int(entry.type))
                            out.key("typeName"); out.string(PEDump.debugTypeNames[entry.type] ?? "unknown")
                            out.key("size"); out.number(Int(entry.sizeOfData))
                            out.key("rva"); out.string(hex(entry.addressOfRawData))
                        }
                    }
                }
                if let tls = image.tls {
                    out.key("tlsCallbacks"); out.array { for callback in tls.callbacks { out.string(hex(callback)) } }
                }
                out.key("exceptionEntries"); out.number(image.exceptionEntries.count)
            }
        }
        if parts.contains(.sections) {
            out.key("sections")
            out.array {
                for section in image.sections {
                    let data = section.sizeOfRawData == 0 ? nil
                        : try? image.view.slice(Int(section.pointerToRawData), Int(section.sizeOfRawData), "raw data of \(section.name)")
                    out.object {
                        out.key("name"); out.string(section.name)
                        out.key("rva"); out.string(hex(section.virtualAddress))
                        out.key("virtualSize"); out.number(Int(section.virtualSize))
                        out.key("rawSize"); out.number(Int(section.sizeOfRawData))
                        out.key("fileOffset"); out.string(hex(section.pointerToRawData))
                        out.key("characteristics"); out.string(hex(section.characteristics.rawValue))
                        out.key("digest"); out.string(data.map { PEDump.hex16(PEDump.fnv1a64($0.rawBuffer)) } ?? "")
                    }
                }
            }
        }
        if parts.contains(.exports), let exports = image.exports {
            out.key("exports")
            out.object {
                out.key("dllName"); out.string(exports.dllName)
                out.key("ordinalBase"); out.number(Int(exports.ordinalBase))
                out.key("entries")
                out.array {
                    for entry in exports.entries where !entry.isUnused {
                        out.object {
                            out.key("ordinal"); out.number(Int(entry.ordinal))
                            out.key("names"); out.array { for name in entry.names { out.string(name) } }
                            if let forwarder = entry.forwarder {
                                out.key("forwarder"); out.string(forwarder)
                            } else {
                                out.key("rva"); out.string(hex(entry.rva))
                            }
                        }
                    }
                }
            }
        }
        if parts.contains(.imports) {
            out.key("imports")
            out.array { for dll in image.imports { importedDLL(dll.name, dll.entries, into: out) } }
            out.key("delayImports")
            out.array { for dll in image.delayImports { importedDLL(dll.name, dll.entries, into: out) } }
        }
        if parts.contains(.relocations) {
            out.key("relocations")
            out.array {
                for block in image.baseRelocationBlocks {
                    out.object {
                        out.key("page"); out.string(hex(block.pageRVA))
                        out.key("entries")
                        out.array {
                            for entry in block.entries where entry.type != BaseRelocationType.absolute {
                                out.object {
                                    out.key("type"); out.string(PEDump.baseRelocationTypeName(entry.type, machine: image.fileHeader.machine))
                                    out.key("rva"); out.string(hex(entry.rva))
                                }
                            }
                        }
                    }
                }
            }
        }
        if parts.contains(.resources) {
            let resources = try image.resources()
            out.key("resources")
            out.array {
                for entry in resources {
                    out.object {
                        out.key("type"); out.string(PEDump.resourceNameText(entry.type, isType: false))
                        out.key("name"); out.string(PEDump.resourceNameText(entry.name, isType: false))
                        out.key("language"); out.number(Int(entry.language))
                        out.key("size"); out.number(entry.data.count)
                        out.key("codePage"); out.number(Int(entry.codePage))
                        out.key("digest"); out.string(entry.data.withUnsafeBytes { PEDump.hex16(PEDump.fnv1a64($0)) })
                    }
                }
            }
        }
    }

    private static func importedDLL(_ name: String, _ entries: [ImportedSymbol], into out: JSONWriter) {
        out.object {
            out.key("dll"); out.string(name)
            out.key("entries")
            out.array {
                for entry in entries {
                    out.object {
                        switch entry.reference {
                        case .name(let hint, let name):
                            out.key("name"); out.string(name)
                            out.key("hint"); out.number(Int(hint))
                        case .ordinal(let ordinal):
                            out.key("ordinal"); out.number(Int(ordinal))
                        }
                        out.key("iat"); out.string(PEDump.hex(entry.iatRVA))
                    }
                }
            }
        }
    }

    // MARK: Libraries, objects and import objects

    private static func library(_ archive: Archive, parts: DumpParts, into out: JSONWriter) throws {
        out.key("layout")
        switch archive.layout {
        case .msvc: out.string("msvc")
        case .gnu: out.string("gnu")
        case .noSymbolTable: out.string("none")
        }
        if parts.contains(.symbols) {
            out.key("symbols")
            out.array {
                for symbol in archive.symbols {
                    out.object {
                        out.key("name"); out.string(symbol.name)
                        out.key("member"); out.number(symbol.memberIndex)
                    }
                }
            }
        }
        out.key("members")
        var failure: Error?
        out.array {
            for (index, member) in archive.members.enumerated() {
                out.object {
                    out.key("index"); out.number(index)
                    out.key("name"); out.string(member.name)
                    out.key("size"); out.number(member.data.count)
                    do {
                        switch FileKind.identify(member.data) {
                        case .importObject:
                            out.key("content"); out.string("import-object")
                            out.key("import"); importObject(try ImportObject(view: member.data), into: out)
                        case .coffObject, .bigObject:
                            out.key("content"); out.string("object")
                            try object(try COFFObject(view: member.data), parts: parts, into: out)
                        default:
                            out.key("content"); out.string("other")
                            out.key("digest"); out.string(PEDump.hex16(PEDump.fnv1a64(member.data.rawBuffer)))
                        }
                    } catch {
                        failure = failure ?? error
                    }
                }
            }
        }
        if let failure { throw failure }
    }

    private static func importObject(_ object: ImportObject, into out: JSONWriter) {
        out.object {
            out.key("machine"); out.string(object.machine.optionName)
            out.key("type")
            switch object.type {
            case .code: out.string("code")
            case .data: out.string("data")
            case .const: out.string("const")
            }
            out.key("nameType")
            switch object.nameType {
            case .ordinal: out.string("ordinal")
            case .name: out.string("name")
            case .noPrefix: out.string("noprefix")
            case .undecorate: out.string("undecorate")
            case .exportAs: out.string("exportas")
            }
            out.key(object.nameType == .ordinal ? "ordinal" : "hint"); out.number(Int(object.ordinalOrHint))
            out.key("symbol"); out.string(object.symbolName)
            out.key("dll"); out.string(object.dllName)
            if let exportAs = object.exportAsName { out.key("exportAs"); out.string(exportAs) }
        }
    }

    private static func object(_ object: COFFObject, parts: DumpParts, into out: JSONWriter) throws {
        out.key("machine"); out.string(PEDump.machineText(object.rawMachine))
        out.key("bigobj"); out.bool(object.isBigObj)
        var failure: Error?
        if parts.contains(.sections) {
            out.key("sections")
            out.array {
                for index in 0..<object.sectionCount {
                    do {
                        let section = try object.sectionHeader(index)
                        let data = try object.sectionData(section)
                        let relocations = try object.relocations(section)
                        out.object {
                            out.key("number"); out.number(index + 1)
                            out.key("name"); out.string(section.name)
                            out.key("size"); out.number(Int(section.sizeOfRawData))
                            out.key("characteristics"); out.string(PEDump.hex(section.characteristics.rawValue))
                            out.key("digest"); out.string(data.count > 0 ? PEDump.hex16(PEDump.fnv1a64(data.rawBuffer)) : "")
                            out.key("relocations")
                            out.array {
                                for r in 0..<relocations.count {
                                    let relocation = relocations.view.relocation(r)
                                    out.object {
                                        out.key("offset"); out.string(PEDump.hex(relocation.virtualAddress))
                                        out.key("type"); out.string(object.machine == .amd64 ? AMD64Relocation.name(relocation.type) : PEDump.hex(relocation.type))
                                        out.key("symbol"); out.string((try? object.symbolName(Int(relocation.symbolTableIndex))) ?? "#\(relocation.symbolTableIndex)")
                                    }
                                }
                            }
                        }
                    } catch {
                        failure = failure ?? error
                    }
                }
            }
        }
        if let failure { throw failure }
        if parts.contains(.symbols) {
            out.key("symbols")
            out.array {
                var index = 0
                while index < object.symbolCount {
                    let record = object.symbol(index)
                    do {
                        try object.checkAuxiliary(index, record)
                        if record.isExternal {
                            let name = try object.symbolName(index)
                            out.object {
                                out.key("name"); out.string(name)
                                out.key("kind")
                                if record.storageClass == StorageClass.weakExternal {
                                    out.string("weak")
                                } else {
                                    switch record.sectionNumber {
                                    case SectionNumber.undefined: out.string(record.value == 0 ? "undefined" : "common")
                                    case SectionNumber.absolute: out.string("absolute")
                                    case SectionNumber.debug: out.string("debug")
                                    default: out.string("defined")
                                    }
                                }
                                if record.sectionNumber > 0 { out.key("section"); out.number(Int(record.sectionNumber)) }
                                out.key("value"); out.string(PEDump.hex(record.value))
                                out.key("function"); out.bool(record.isFunction)
                            }
                        }
                    } catch {
                        failure = failure ?? error
                        break
                    }
                    index += 1 + record.auxiliaryCount
                }
            }
        }
        if let failure { throw failure }
    }
}

/// JSON string literals, for every JSON pelink writes (/dump /json, /why /json).
public enum JSONString {
    /// `text` as a JSON string: quotes, backslashes and control characters escaped.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let digits = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// Writes JSON text: values in the order given, strings escaped. A class, so that
/// the nested writing closures share one writer.
final class JSONWriter {
    private(set) var text = ""
    /// Per open container: whether it has an element already (a comma goes before the next).
    private var hasElement: [Bool] = []
    /// A key was written: the next value is its value, not another element.
    private var afterKey = false

    /// Elements start on lines of their own, indented two spaces per level: golden files of
    /// dumps are reviewed as diffs.
    private func beginValue() {
        if afterKey {
            afterKey = false
            return
        }
        if let last = hasElement.last {
            if last { text += "," }
            hasElement[hasElement.count - 1] = true
            newline()
        }
    }

    private func newline() {
        text += "\n" + String(repeating: "  ", count: hasElement.count)
    }

    private func close(_ bracket: String) {
        let hadElements = hasElement.removeLast()
        if hadElements { newline() }
        text += bracket
    }

    func object(_ body: () throws -> Void) rethrows {
        beginValue()
        text += "{"
        hasElement.append(false)
        try body()
        close("}")
    }

    func array(_ body: () throws -> Void) rethrows {
        beginValue()
        text += "["
        hasElement.append(false)
        try body()
        close("]")
    }

    func key(_ name: String) {
        beginValue()
        text += JSONWriter.quoted(name) + ": "
        afterKey = true
    }

    func string(_ value: String) { beginValue(); text += JSONWriter.quoted(value) }
    func number(_ value: Int) { beginValue(); text += String(value) }
    func bool(_ value: Bool) { beginValue(); text += value ? "true" : "false" }

    static func quoted(_ text: String) -> String { JSONString.quoted(text) }
}

extension PEDumpJSON {
    /// The JSON Schema of the documents `document(_:parts:)` writes (`pelink /dump /jsonschema`
    /// prints it). Optional parts are present only when selected.
    public static let schema = """
    {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "$id": "pelink-dump/1",
      "type": "object",
      "required": ["schema", "kind"],
      "additionalProperties": false,
      "properties": {
        "schema": {"enum": ["pelink-dump/1"]},
        "kind": {"enum": ["image", "library", "object", "import-object"]},
        "headers": {
          "type": "object",
          "additionalProperties": false,
          "required": ["machine", "characteristics", "timestamp", "format", "imageBase", "entryPoint", "subsystem", "dllCharacteristics", "dataDirectories"],
          "properties": {
            "machine": {"type": "string"}, "characteristics": {"$ref": "#/$defs/hex"}, "timestamp": {"$ref": "#/$defs/hex"},
            "format": {"enum": ["PE32", "PE32+"]}, "linkerVersion": {"$ref": "#/$defs/version"},
            "imageBase": {"$ref": "#/$defs/hex"}, "entryPoint": {"$ref": "#/$defs/hex"},
            "sectionAlignment": {"$ref": "#/$defs/hex"}, "fileAlignment": {"$ref": "#/$defs/hex"},
            "operatingSystemVersion": {"$ref": "#/$defs/version"}, "imageVersion": {"$ref": "#/$defs/version"},
            "subsystemVersion": {"$ref": "#/$defs/version"}, "subsystem": {"type": "integer"},
            "dllCharacteristics": {"$ref": "#/$defs/hex"}, "sizeOfImage": {"$ref": "#/$defs/hex"},
            "sizeOfHeaders": {"$ref": "#/$defs/hex"}, "checksum": {"$ref": "#/$defs/hex"},
            "stack": {"type": "string", "pattern": "^0x[0-9a-f]+,0x[0-9a-f]+$"},
            "heap": {"type": "string", "pattern": "^0x[0-9a-f]+,0x[0-9a-f]+$"},
            "dataDirectories": {"type": "array", "items": {"type": "object", "additionalProperties": false, "required": ["name", "rva", "size"],
              "properties": {"name": {"type": "string"}, "rva": {"$ref": "#/$defs/hex"}, "size": {"type": "integer"}}}},
            "debugEntries": {"type": "array", "items": {"type": "object", "additionalProperties": false, "required": ["type", "typeName", "size", "rva"],
              "properties": {"type": {"type": "integer"}, "typeName": {"type": "string"}, "size": {"type": "integer"}, "rva": {"$ref": "#/$defs/hex"}}}},
            "tlsCallbacks": {"type": "array", "items": {"$ref": "#/$defs/hex"}},
            "exceptionEntries": {"type": "integer"}
          }
        },
        "sections": {"type": "array", "items": {"oneOf": [{"$ref": "#/$defs/imageSection"}, {"$ref": "#/$defs/objectSection"}]}},
        "exports": {
          "type": "object", "additionalProperties": false, "required": ["dllName", "ordinalBase", "entries"],
          "properties": {
            "dllName": {"type": "string"}, "ordinalBase": {"type": "integer"},
            "entries": {"type": "array", "items": {"type": "object", "additionalProperties": false, "required": ["ordinal", "names"],
              "properties": {"ordinal": {"type": "integer"}, "names": {"type": "array", "items": {"type": "string"}},
                             "rva": {"$ref": "#/$defs/hex"}, "forwarder": {"type": "string"}}}}
          }
        },
        "imports": {"type": "array", "items": {"$ref": "#/$defs/importedDLL"}},
        "delayImports": {"type": "array", "items": {"$ref": "#/$defs/importedDLL"}},
        "relocations": {"type": "array", "items": {"type": "object", "additionalProperties": false, "required": ["page", "entries"],
          "properties": {"page": {"$ref": "#/$defs/hex"}, "entries": {"type": "array", "items": {"type": "object", "additionalProperties": false,
            "required": ["type", "rva"], "properties": {"type": {"type": "string"}, "rva": {"$ref": "#/$defs/hex"}}}}}}},
        "resources": {"type": "array", "items": {"type": "object", "additionalProperties": false,
          "required": ["type", "name", "language", "size", "codePage", "digest"],
          "properties": {"type": {"type": "string"}, "name": {"type": "string"}, "language": {"type": "integer"}, "size": {"type": "integer"},
                         "codePage": {"type": "integer"}, "digest": {"$ref": "#/$defs/digest"}}}},
        "layout": {"enum": ["msvc", "gnu", "none"]},
        "members": {"type": "array", "items": {"type": "object", "additionalProperties": false, "required": ["index", "name", "size", "content"],
          "properties": {"index": {"type": "integer"}, "name": {"type": "string"}, "size": {"type": "integer"},
                         "content": {"enum": ["object", "import-object", "other"]}, "import": {"$ref": "#/$defs/importObject"},
                         "machine": {"type": "string"}, "bigobj": {"type": "boolean"},
                         "sections": {"type": "array", "items": {"$ref": "#/$defs/objectSection"}},
                         "symbols": {"type": "array", "items": {"$ref": "#/$defs/objectSymbol"}}, "digest": {"$ref": "#/$defs/digest"}}}},
        "symbols": {"type": "array", "items": {"oneOf": [{"$ref": "#/$defs/objectSymbol"}, {"type": "object", "additionalProperties": false,
          "required": ["name", "member"], "properties": {"name": {"type": "string"}, "member": {"type": "integer"}}}]}},
        "import": {"$ref": "#/$defs/importObject"},
        "machine": {"type": "string"},
        "bigobj": {"type": "boolean"}
      },
      "$defs": {
        "hex": {"type": "string", "pattern": "^0x[0-9a-f]+$"},
        "digest": {"type": "string", "pattern": "^([0-9a-f]{16})?$"},
        "version": {"type": "string", "pattern": "^[0-9]+\\\\.[0-9]+$"},
        "imageSection": {"type": "object", "additionalProperties": false,
          "required": ["name", "rva", "virtualSize", "rawSize", "fileOffset", "characteristics", "digest"],
          "properties": {"name": {"type": "string"}, "rva": {"$ref": "#/$defs/hex"}, "virtualSize": {"type": "integer"}, "rawSize": {"type": "integer"},
                         "fileOffset": {"$ref": "#/$defs/hex"}, "characteristics": {"$ref": "#/$defs/hex"}, "digest": {"$ref": "#/$defs/digest"}}},
        "objectSection": {"type": "object", "additionalProperties": false,
          "required": ["number", "name", "size", "characteristics", "digest", "relocations"],
          "properties": {"number": {"type": "integer"}, "name": {"type": "string"}, "size": {"type": "integer"},
                         "characteristics": {"$ref": "#/$defs/hex"}, "digest": {"$ref": "#/$defs/digest"},
                         "relocations": {"type": "array", "items": {"type": "object", "additionalProperties": false, "required": ["offset", "type", "symbol"],
                           "properties": {"offset": {"$ref": "#/$defs/hex"}, "type": {"type": "string"}, "symbol": {"type": "string"}}}}}},
        "objectSymbol": {"type": "object", "additionalProperties": false, "required": ["name", "kind", "value", "function"],
          "properties": {"name": {"type": "string"}, "kind": {"enum": ["defined", "undefined", "common", "absolute", "debug", "weak"]},
                         "section": {"type": "integer"}, "value": {"$ref": "#/$defs/hex"}, "function": {"type": "boolean"}}},
        "importedDLL": {"type": "object", "additionalProperties": false, "required": ["dll", "entries"],
          "properties": {"dll": {"type": "string"}, "entries": {"type": "array", "items": {"type": "object", "additionalProperties": false,
            "required": ["iat"], "properties": {"name": {"type": "string"}, "hint": {"type": "integer"}, "ordinal": {"type": "integer"},
                                                "iat": {"$ref": "#/$defs/hex"}}}}}},
        "importObject": {"type": "object", "additionalProperties": false, "required": ["machine", "type", "nameType", "symbol", "dll"],
          "properties": {"machine": {"type": "string"}, "type": {"enum": ["code", "data", "const"]},
                         "nameType": {"enum": ["ordinal", "name", "noprefix", "undecorate", "exportas"]}, "ordinal": {"type": "integer"},
                         "hint": {"type": "integer"}, "symbol": {"type": "string"}, "dll": {"type": "string"}, "exportAs": {"type": "string"}}}
      }
    }
    """
}
