import Foundation
import PEFormat

/// /why:SYMBOL and /why:export:NAME: why a symbol is in the image (or is not).
///
/// For a symbol in the image: where it is defined, the archive member it came from and the
/// undefined reference that pulled that member in, the exports it implements and where each was
/// asked for (a .def line, /export:, a .drectve), and a chain of references from something the
/// linker keeps by rule (an export, the entry point, /include, a section that is no COMDAT) to
/// the section that defines it, one object and section per step. For a symbol not in the image:
/// whether nothing referred to it, /opt:ref removed its section, or /opt:icf folded it into which.
///
/// The report is made from the linked state before the image is written; it is text, or JSON
/// with /json (`WhyReport.json`).
struct WhyReport {
    struct Place: Equatable {
        var object: String
        var section: String
        var isComdat: Bool
        /// The symbol that names the section (a COMDAT's leader), when it has one.
        var symbol: String?
        /// "(a.obj, section .text (COMDAT))"
        var location: String { "(\(object), section \(section)\(isComdat ? " (COMDAT)" : ""))" }
    }

    /// One step of a chain: the first is a root, each next one is reached from the one before.
    struct Step {
        /// For the root: why the linker keeps it.
        var root: String?
        var place: Place
        /// The symbol the previous step's section refers to (nil: an associative section, or a
        /// reference to a section of the same object).
        var through: String?
    }

    enum Status {
        case inImage(rva: UInt32)
        case folded(into: Place, rva: UInt32)
        case removedUnreferenced
        case discarded
        case notLoaded(library: String, member: String)
        case undefined
        case imported(dll: String, library: String)
        case linkerDefined
        case absolute(value: UInt64)
        case common
        case noSuchSymbol(suggestions: [String])
    }

    struct Entry {
        var query: String
        var symbol: String
        var displayName: String
        var status: Status
        var definedIn: Place?
        /// The library member the definition came from, the symbol it was pulled in for, and
        /// the objects whose undefined references to that symbol asked for it.
        var pulledFrom: (library: String, member: String, symbol: String, referencedBy: [String])?
        /// Exports this symbol implements: exported name, ordinal, and where it was asked for.
        var exportedAs: [(name: String, ordinal: UInt16, source: String)] = []
        /// Objects that refer to the symbol (for a symbol nothing pulled in or kept).
        var referencedBy: [String] = []
        var chain: [Step] = []
    }

    var entries: [Entry] = []

    var text: String {
        var out = ""
        for entry in entries {
            out += "why \(entry.symbol)\(entry.displayName != entry.symbol ? " (\(entry.displayName))" : ""):\n"
            if entry.query != entry.symbol { out += "  asked as: \(entry.query)\n" }
            if let place = entry.definedIn { out += "  defined in \(place.object), section \(place.section)\(place.isComdat ? " (COMDAT)" : "")\n" }
            if let pulled = entry.pulledFrom {
                let by = pulled.referencedBy.isEmpty ? "" : ", referenced by \(WhyReport.list(pulled.referencedBy))"
                out += "  pulled from \(pulled.library)(\(pulled.member)) for the undefined symbol \(pulled.symbol)\(by)\n"
            }
            for export in entry.exportedAs {
                out += "  exported as \(export.name) @\(export.ordinal), asked for by \(export.source)\n"
            }
            switch entry.status {
            case .inImage(let rva):
                out += "  in the image at RVA 0x\(String(rva, radix: 16))\n"
            case let .folded(into, rva):
                out += "  not in the image itself: /opt:icf folded its section into the identical \(WhyReport.describe(into)); it has that section's address, RVA 0x\(String(rva, radix: 16))\n"
            case .removedUnreferenced:
                out += "  not in the image: /opt:ref removed its section, which nothing kept refers to"
                out += entry.referencedBy.isEmpty ? " (no object refers to it)\n" : " (only \(WhyReport.list(entry.referencedBy)) refer to it, and none of their referring sections is kept)\n"
            case .discarded:
                out += "  not in the image: its section was discarded (a COMDAT copy another object's copy replaced, or a section the image never holds)\n"
            case let .notLoaded(library, member):
                out += "  not in the image: defined in \(library)(\(member)), a library member nothing pulled in (no undefined reference to any symbol it defines)\n"
            case .undefined:
                out += "  not defined by any input\(entry.referencedBy.isEmpty ? "" : "; referenced by \(WhyReport.list(entry.referencedBy))")\n"
            case let .imported(dll, library):
                out += "  imported from \(dll) (import library \(library))\n"
            case .linkerDefined:
                out += "  made by the linker\n"
            case .absolute(let value):
                out += "  an absolute symbol, value 0x\(String(value, radix: 16))\n"
            case .common:
                out += "  a common symbol, placed in .bss\n"
            case .noSuchSymbol(let suggestions):
                out += "  no input defines or refers to a symbol of this name"
                out += suggestions.isEmpty ? "\n" : "; did you mean \(suggestions.joined(separator: ", "))?\n"
            }
            if !entry.chain.isEmpty {
                out += "  kept because:\n"
                for (k, step) in entry.chain.enumerated() {
                    if let root = step.root {
                        out += "    \(root)\n      keeps \(WhyReport.describe(step.place))\n"
                    } else {
                        if let through = step.through {
                            let location = step.place.location
                            // A section named after another of its symbols says which.
                            if let named = step.place.symbol, named != through {
                                out += "      which refers to \(through), in \(named) \(location)\n"
                            } else {
                                out += "      which refers to \(through) \(location)\n"
                            }
                        } else {
                            out += "      which \(k > 0 ? "goes with" : "is") \(WhyReport.describe(step.place))\n"
                        }
                    }
                }
            }
        }
        return out
    }

    static func describe(_ place: Place) -> String {
        (place.symbol.map { "\($0) " } ?? "") + place.location
    }

    static func list(_ names: [String]) -> String {
        names.count <= 3 ? names.joined(separator: ", ") : names.prefix(3).joined(separator: ", ") + " and \(names.count - 3) more"
    }

    /// The report as one JSON document (`"schema": "pelink-why/1"`): `entries`, each with
    /// `query`, `symbol`, `displayName`, `status` (one of in-image, folded, removed-by-opt-ref,
    /// discarded, not-loaded, undefined, imported, linker-defined, absolute, common,
    /// no-such-symbol), and when known `rva`, `definedIn`, `foldedInto`, `library`/`member`,
    /// `pulledFrom`, `exportedAs`, `referencedBy`, `suggestions` and `chain`. A place is
    /// `{object, section, comdat, symbol?}`; a chain step `{root?, place, through?}`.
    var json: String {
        var out = "{\"schema\":\"pelink-why/1\",\"entries\":["
        for (i, entry) in entries.enumerated() {
            if i > 0 { out += "," }
            var fields: [(String, String)] = [("query", quoted(entry.query)), ("symbol", quoted(entry.symbol)), ("displayName", quoted(entry.displayName))]
            switch entry.status {
            case .inImage(let rva): fields += [("status", quoted("in-image")), ("rva", quoted(hex(rva)))]
            case let .folded(into, rva): fields += [("status", quoted("folded")), ("foldedInto", placeJSON(into)), ("rva", quoted(hex(rva)))]
            case .removedUnreferenced: fields.append(("status", quoted("removed-by-opt-ref")))
            case .discarded: fields.append(("status", quoted("discarded")))
            case let .notLoaded(library, member): fields += [("status", quoted("not-loaded")), ("library", quoted(library)), ("member", quoted(member))]
            case .undefined: fields.append(("status", quoted("undefined")))
            case let .imported(dll, library): fields += [("status", quoted("imported")), ("dll", quoted(dll)), ("library", quoted(library))]
            case .linkerDefined: fields.append(("status", quoted("linker-defined")))
            case .absolute(let value): fields += [("status", quoted("absolute")), ("value", quoted("0x" + String(value, radix: 16)))]
            case .common: fields.append(("status", quoted("common")))
            case .noSuchSymbol(let suggestions): fields += [("status", quoted("no-such-symbol")), ("suggestions", "[" + suggestions.map(quoted).joined(separator: ",") + "]")]
            }
            if let place = entry.definedIn { fields.append(("definedIn", placeJSON(place))) }
            if let pulled = entry.pulledFrom {
                fields.append(("pulledFrom", "{\"library\":\(quoted(pulled.library)),\"member\":\(quoted(pulled.member)),\"symbol\":\(quoted(pulled.symbol)),\"referencedBy\":[\(pulled.referencedBy.map(quoted).joined(separator: ","))]}"))
            }
            if !entry.exportedAs.isEmpty {
                fields.append(("exportedAs", "[" + entry.exportedAs.map { "{\"name\":\(quoted($0.name)),\"ordinal\":\($0.ordinal),\"source\":\(quoted($0.source))}" }.joined(separator: ",") + "]"))
            }
            if !entry.referencedBy.isEmpty { fields.append(("referencedBy", "[" + entry.referencedBy.map(quoted).joined(separator: ",") + "]")) }
            if !entry.chain.isEmpty {
                fields.append(("chain", "[" + entry.chain.map { step in
                    var parts = ["\"place\":" + placeJSON(step.place)]
                    if let root = step.root { parts.insert("\"root\":" + quoted(root), at: 0) }
                    if let through = step.through { parts.append("\"through\":" + quoted(through)) }
                    return "{" + parts.joined(separator: ",") + "}"
                }.joined(separator: ",") + "]"))
            }
            out += "{" + fields.map { "\(quoted($0.0)):\($0.1)" }.joined(separator: ",") + "}"
        }
        return out + "]}"
    }

    private func placeJSON(_ place: Place) -> String {
        "{\"object\":\(quoted(place.object)),\"section\":\(quoted(place.section)),\"comdat\":\(place.isComdat)" + (place.symbol.map { ",\"symbol\":\(quoted($0))" } ?? "") + "}"
    }

    private func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }

    private func quoted(_ text: String) -> String { JSONString.quoted(text) }
}

extension ExportSource {
    /// The source as /why names it: files by name only, so that the report is the same from
    /// any folder.
    var withFileNames: String {
        switch self {
        case let .moduleDefinition(path, line): return "\((path as NSString).lastPathComponent):\(line)"
        case let .directive(object): return ".drectve of \((object as NSString).lastPathComponent)"
        default: return description
        }
    }
}

/// A /why query: a symbol name, or with `export:` an exported name; `*` and `?` match any run
/// of characters and any one character.
struct WhyQuery: Equatable {
    var pattern: String
    var isExport: Bool

    init(_ argument: String) {
        if argument.lowercased().hasPrefix("export:") {
            pattern = String(argument.dropFirst("export:".count))
            isExport = true
        } else {
            pattern = argument
            isExport = false
        }
    }

    var isPattern: Bool { pattern.contains("*") || pattern.contains("?") }

    func matches(_ name: String) -> Bool { WhyQuery.glob(Array(pattern.utf8), Array(name.utf8)) }

    static func glob(_ pattern: [UInt8], _ text: [UInt8]) -> Bool {
        // Iterative matching with one backtrack point: linear in practice, never exponential.
        var p = 0, t = 0, starP = -1, starT = 0
        while t < text.count {
            if p < pattern.count && (pattern[p] == UInt8(ascii: "?") || pattern[p] == text[t]) {
                p += 1; t += 1
            } else if p < pattern.count && pattern[p] == UInt8(ascii: "*") {
                starP = p; starT = t; p += 1
            } else if starP >= 0 {
                p = starP + 1; starT += 1; t = starT
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }
}

extension Linker {
    /// The /why report, made after layout (for addresses) and before the symbols are released.
    func whyReport(_ resolver: SymbolResolver, image: Image, exports: [ExportEntry]) -> WhyReport {
        let queries = options.whyQueries.map(WhyQuery.init)
        let objects = resolver.objects
        let symbols = resolver.symbols
        let names = resolver.names

        // Which symbols each query names, in query order, each symbol once per query.
        var asked: [(query: String, symbol: Int32?, name: String)] = []
        for query in queries {
            if query.isExport {
                let matching = exports.filter { query.isPattern ? query.matches($0.request.name) : $0.request.name == query.pattern }
                if matching.isEmpty { asked.append((query.pattern, nil, query.pattern)) }
                for export in matching {
                    let symbol = export.symbol >= 0 ? export.symbol : nil
                    asked.append(("export:" + export.request.name, symbol, symbol.map { names[Int($0)].string } ?? export.request.symbolName))
                }
            } else if query.isPattern {
                var found = false
                for g in symbols.indices where symbols[g].kind != .undefined || symbols[g].isReferenced {
                    let name = names[g]
                    guard name.count > 0, name.bytes.first != 1, query.matches(name.string) else { continue }
                    asked.append((query.pattern, Int32(g), name.string))
                    found = true
                }
                if !found { asked.append((query.pattern, nil, query.pattern)) }
            } else {
                let candidates = [query.pattern, target.mangle(query.pattern), resolver.decoratedNames[query.pattern]].compactMap { $0 }
                let g = candidates.lazy.compactMap { resolver.find($0) }.first
                asked.append((query.pattern, g, g.map { names[Int($0)].string } ?? query.pattern))
            }
        }

        let graph = WhyGraph(linker: self, resolver: resolver, exports: exports)
        let referencers = referringObjects(Set(asked.compactMap(\.symbol)), resolver)
        let folded = Dictionary(foldedSections.map { ($0.section, $0.into) }, uniquingKeysWith: { a, _ in a })
        let removed = Set(unreferencedSections)
        var sectionNames: [Int: [Int32: String]] = [:]
        func place(_ global: Int32) -> WhyReport.Place {
            let (o, s) = graph.place(global)
            let object = objects[o]
            if sectionNames[o] == nil { sectionNames[o] = object.sectionSymbolNames() }
            return WhyReport.Place(object: Self.whyObjectLabel(object), section: object.name(of: object.sections[s]).string,
                                   isComdat: object.sections[s].isComdat, symbol: sectionNames[o]?[Int32(s)])
        }

        var report = WhyReport()
        for (query, found, name) in asked {
            var entry = WhyReport.Entry(query: query, symbol: name, displayName: symbolDisplayName(name, machine: options.machine, demangle: options.demangle, withName: false),
                                        status: .noSuchSymbol(suggestions: []))
            guard let g = found else {
                entry.status = .noSuchSymbol(suggestions: resolver.suggestions(for: name))
                report.entries.append(entry)
                continue
            }
            var symbol = symbols[Int(g)]
            if (symbol.kind == .autoImported || symbol.kind == .localImport), symbol.member >= 0 { symbol = symbols[Int(symbol.member)] }
            entry.referencedBy = referencers[g] ?? []
            entry.exportedAs = exports.filter { $0.symbol == g }.map { ($0.request.name, $0.ordinal, $0.request.source.withFileNames) }
            switch symbol.kind {
            case .defined where symbol.section >= 0:
                let object = objects[Int(symbol.file)]
                let global = Int32(object.firstSection) + symbol.section
                entry.definedIn = place(global)
                if object.pulledFor >= 0, let library = object.archivePath, let member = object.memberName {
                    let pulledName = names[Int(object.pulledFor)].string
                    entry.pulledFrom = ((library as NSString).lastPathComponent, (member as NSString).lastPathComponent, pulledName,
                                        referencers[object.pulledFor] ?? referringObjects([object.pulledFor], resolver)[object.pulledFor] ?? [])
                }
                if let into = folded[global] {
                    entry.status = .folded(into: place(into), rva: image.sectionRVA[Int(global)] &+ UInt32(truncatingIfNeeded: symbol.value))
                } else if object.sections[Int(symbol.section)].isLive {
                    entry.status = .inImage(rva: image.sectionRVA[Int(global)] &+ UInt32(truncatingIfNeeded: symbol.value))
                } else {
                    entry.status = removed.contains(global) ? .removedUnreferenced : .discarded
                }
                if case .removedUnreferenced = entry.status {} else if case .discarded = entry.status {} else {
                    entry.chain = graph.chain(to: global).map { step in
                        WhyReport.Step(root: step.root, place: place(step.section), through: step.through.map { names[Int($0)].string })
                    }
                }
            case .defined, .absolute:
                entry.status = .absolute(value: symbol.value)
            case .lazy:
                let archive = resolver.archives[Int(symbol.file)]
                entry.status = .notLoaded(library: (archive.path as NSString).lastPathComponent,
                                          member: (archive.archive.memberName(Int(symbol.member)) as NSString).lastPathComponent)
            case .importAddress, .importThunk:
                let entryImport = resolver.imports[Int(symbol.file)]
                entry.status = .imported(dll: entryImport.dllName, library: (entryImport.sourcePath as NSString).lastPathComponent)
            case .linkerDefined:
                entry.status = .linkerDefined
            case .common:
                entry.status = .common
            default:
                entry.status = .undefined
            }
            report.entries.append(entry)
        }
        return report
    }

    static func whyObjectLabel(_ object: ObjectFile) -> String {
        if let archive = object.archivePath, let member = object.memberName {
            return (archive as NSString).lastPathComponent + "(" + (member as NSString).lastPathComponent + ")"
        }
        return (object.displayName as NSString).lastPathComponent
    }

    /// The objects whose symbol tables refer to each of `wanted` without defining it, in input order.
    private func referringObjects(_ wanted: Set<Int32>, _ resolver: SymbolResolver) -> [Int32: [String]] {
        guard !wanted.isEmpty else { return [:] }
        var result: [Int32: [String]] = [:]
        for object in resolver.objects {
            var i = 0
            while i < object.coff.symbolCount {
                let record = object.coff.symbol(i)
                if record.sectionNumber == SectionNumber.undefined, i < object.targets.count,
                   case .global(let g) = object.targets[i].decoded, wanted.contains(g) {
                    let label = Self.whyObjectLabel(object)
                    if result[g]?.last != label { result[g, default: []].append(label) }
                }
                i += 1 + record.auxiliaryCount
            }
        }
        return result
    }
}

/// The references between kept sections, walked breadth-first from what the linker keeps by
/// rule, remembering how each section was first reached: the shortest chain to each.
private struct WhyGraph {
    struct ChainStep {
        var root: String?
        var section: Int32
        var through: Int32?
    }

    private let objects: [ObjectFile]
    private var objectOfSection: [Int32]
    /// How each section was reached: the section before it (-1: a root), the symbol it refers
    /// through (-1: none), and for a root its reason (index into `roots`).
    private var previous: [Int32]
    private var through: [Int32]
    private var rootReason: [Int32]
    private var reasons: [String] = []

    init(linker: Linker, resolver: SymbolResolver, exports: [ExportEntry]) {
        let objects = resolver.objects
        self.objects = objects
        let count = resolver.totalSections
        objectOfSection = [Int32](repeating: 0, count: count)
        for (o, object) in objects.enumerated() {
            for s in object.sections.indices { objectOfSection[object.firstSection + s] = Int32(o) }
        }
        previous = [Int32](repeating: -2, count: count)
        through = [Int32](repeating: -1, count: count)
        rootReason = [Int32](repeating: -1, count: count)
        let folded = Set(linker.foldedSections.map(\.section))
        let symbols = resolver.symbols
        var children = [Int32: [Int32]]()
        for object in objects {
            for (s, section) in object.sections.enumerated() where section.associatedWith >= 0 {
                children[Int32(object.firstSection) + section.associatedWith, default: []].append(Int32(object.firstSection + s))
            }
        }
        func sectionOf(symbol g: Int32) -> Int32? {
            var symbol = symbols[Int(g)]
            if (symbol.kind == .autoImported || symbol.kind == .localImport), symbol.member >= 0 { symbol = symbols[Int(symbol.member)] }
            guard symbol.kind == .defined, symbol.section >= 0 else { return nil }
            return Int32(objects[Int(symbol.file)].firstSection) + symbol.section
        }
        func kept(_ global: Int32) -> Bool {
            let (o, s) = (Int(objectOfSection[Int(global)]), Int(global) - objects[Int(objectOfSection[Int(global)])].firstSection)
            let section = objects[o].sections[s]
            return (section.isLive || folded.contains(global)) && !section.isDWARF
        }
        var queue: [Int32] = []
        func root(_ global: Int32, _ reason: String) {
            guard previous[Int(global)] == -2, kept(global) else { return }
            previous[Int(global)] = -1
            rootReason[Int(global)] = Int32(reasons.count)
            reasons.append(reason)
            queue.append(global)
        }
        func rootSymbol(_ name: String, _ reason: String) {
            if let g = resolver.find(name), let section = sectionOf(symbol: g) { root(section, reason) }
        }
        for export in exports where export.symbol >= 0 {
            if let section = sectionOf(symbol: export.symbol) { root(section, "the export \(export.request.name) (asked for by \(export.request.source.withFileNames))") }
        }
        if let entry = linker.entrySymbolName { rootSymbol(entry, "the entry point \(entry)") }
        for name in linker.options.includes { rootSymbol(name, "/include:\(name)") }
        for name in resolver.directiveIncludes { rootSymbol(name, "/include:\(name) in a .drectve") }
        for name in ["_load_config_used", "_tls_used"].map(linker.target.mangle) { rootSymbol(name, "\(name), which the image's directories point to") }
        for g in resolver.localImportTargets { if let section = sectionOf(symbol: g) { root(section, "a local import (__imp_ of a symbol defined in the link)") } }
        for object in objects {
            for (s, section) in object.sections.enumerated() where !section.isComdat {
                root(Int32(object.firstSection + s), "a section that is no COMDAT, which the linker always keeps")
            }
        }
        var next = 0
        while next < queue.count {
            let from = queue[next]
            next += 1
            let o = Int(objectOfSection[Int(from)])
            let object = objects[o]
            let section = object.sections[Int(from) - object.firstSection]
            func reach(_ to: Int32, _ symbol: Int32) {
                guard previous[Int(to)] == -2, kept(to) else { return }
                previous[Int(to)] = from
                through[Int(to)] = symbol
                queue.append(to)
            }
            for r in 0..<section.relocationCount {
                let index = Int(object.relocation(section, r).symbolTableIndex)
                guard index < object.targets.count else { continue }
                switch object.targets[index].decoded {
                case .global(let g): if let to = sectionOf(symbol: g) { reach(to, g) }
                case .local(let s, _): reach(Int32(object.firstSection) + s, -1)
                default: break
                }
            }
            for child in children[from] ?? [] { reach(child, -1) }
        }
    }

    func place(_ global: Int32) -> (object: Int, section: Int) {
        let o = Int(objectOfSection[Int(global)])
        return (o, Int(global) - objects[o].firstSection)
    }

    /// The chain from a root to `section`, root first; empty when nothing kept reaches it.
    func chain(to section: Int32) -> [ChainStep] {
        guard previous[Int(section)] != -2 else { return [] }
        var steps: [ChainStep] = []
        var at = section
        while true {
            let before = previous[Int(at)]
            if before == -1 {
                steps.append(ChainStep(root: reasons[Int(rootReason[Int(at)])], section: at, through: nil))
                break
            }
            steps.append(ChainStep(root: nil, section: at, through: through[Int(at)] >= 0 ? through[Int(at)] : nil))
            at = before
        }
        return steps.reversed()
    }
}
