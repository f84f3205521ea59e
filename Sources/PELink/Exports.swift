import PEFormat

/// One entry of the export table, after merging the sources and assigning ordinals.
struct ExportEntry {
    var request: ExportRequest
    var ordinal: UInt16
    /// The symbol that gives the RVA; -1 for forwarders.
    var symbol: Int32
}

/// Merges export requests from the command line, the .def file and .drectve directives
/// (in that order of precedence), checks them, and assigns ordinals.
enum ExportBuilder {
    /// `knownSymbols`, when given, holds the command line's and the .def's requests' symbol
    /// numbers (-1 where unknown); the kept requests' are returned beside them.
    static func mergeRequests(commandLine: [ExportRequest], moduleDefinition: [ExportRequest],
                              directives: [ExportRequest], knownSymbols: [[Int32]]? = nil, threads: Int? = 1,
                              diagnostics: inout Diagnostics) -> (requests: [ExportRequest], symbols: [Int32]) {
        // Requests are read in place (by index): each is a dozen references, and copying one
        // only to read a field costs as much as the rest of the merge. The kept ones are copied
        // once, by every worker, at the end.
        let sources = [commandLine, moduleDefinition, directives]
        let places = sources.indices.flatMap { k in sources[k].indices.map { (k, $0) } }
        var kept: [(Int, Int)] = []
        kept.reserveCapacity(places.count)
        // The names side by side in one buffer, found through the linker's name table: each is
        // hashed once, without a String hash per lookup. A name is numbered when first seen, so
        // its number is its place in `kept`.
        let names = NameBuffer(places.lazy.map { sources[$0.0][$0.1].name })
        var table = SymbolNameTable(shardCount: 1)
        table.reserve(places.count)
        names.withNames { names in
            for ((k, i), name) in zip(places, names) {
                let (existingIndex, inserted) = table.findOrInsert(name, hash: name.hashValue64)
                if inserted {
                    kept.append((k, i))
                    continue
                }
                let request = sources[k][i]
                let existing = sources[kept[Int(existingIndex)].0][kept[Int(existingIndex)].1]
                if sameMeaning(existing, request) { continue }
                // .drectve asks are overridden silently by the .def file and the command line, as in link.exe.
                if case .directive = request.source, !(existing.source.isDirective) { continue }
                diagnostics.warning("duplicate export \(request.name): \(describe(existing)) from \(existing.source) conflicts with \(describe(request)) from \(request.source); keeping the first")
            }
        }
        let symbols = kept.map { k, i in knownSymbols.flatMap { k < $0.count ? $0[k][i] : nil } ?? -1 }
        return ([ExportRequest](count: kept.count, threads: threads) { sources[kept[$0].0][kept[$0].1] }, symbols)
    }

    /// GNU ld's --kill-at: the name without its x86 decoration, as lld does it: stdcall `f@8` →
    /// `f`, fastcall `@g@4` → `g`, vectorcall `h@@8` → `h`; other names unchanged.
    static func killAt(_ name: String) -> String {
        guard let at = name.dropFirst().lastIndex(of: "@") else { return name }
        let suffix = name[name.index(after: at)...]
        guard !suffix.isEmpty, suffix.allSatisfy(\.isASCII), suffix.allSatisfy(\.isNumber) else { return name }
        var plain = name[..<at]
        if plain.hasSuffix("@") { plain = plain.dropLast() }      // vectorcall
        if plain.hasPrefix("@") && plain.count > 1 { plain = plain.dropFirst() } // fastcall
        return String(plain)
    }

    private static func sameMeaning(_ a: ExportRequest, _ b: ExportRequest) -> Bool {
        a.symbolName == b.symbolName && a.forwardTo == b.forwardTo && a.ordinal == b.ordinal && a.noName == b.noName
            && a.isPrivate == b.isPrivate && a.isData == b.isData && a.exportAs == b.exportAs && a.importName == b.importName
    }

    static func describe(_ r: ExportRequest) -> String {
        var s = r.name
        if let f = r.forwardTo { s += "=" + f } else if r.symbolName != r.name { s += "=" + r.symbolName }
        if let o = r.ordinal { s += " @\(o)" }
        if r.noName { s += " NONAME" }
        if r.isData { s += " DATA" }
        if r.isPrivate { s += " PRIVATE" }
        return "'\(s)'"
    }

    /// The sources that ask for the most exports, largest first (at most three), for the
    /// message of a table that would overflow: a .def file, the command line, each object's
    /// .drectve, GNU ld's automatic export.
    static func largestSources(_ requests: [ExportRequest]) -> String {
        var counts: [String: Int] = [:]
        // .drectve asks are counted together (a library of many objects asks a few each), and
        // the object that asks for the most is named.
        var directiveObjects: [String: Int] = [:]
        for request in requests {
            switch request.source {
            case .moduleDefinition(let path, _): counts[path, default: 0] += 1
            case .directive(let object):
                directiveObjects[object, default: 0] += 1
            default: counts[request.source.description, default: 0] += 1
            }
        }
        if let most = directiveObjects.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }) {
            let total = directiveObjects.values.reduce(0, +)
            let label = directiveObjects.count == 1 ? ".drectve of \(most.key)"
                : "the .drectve sections of \(directiveObjects.count) objects (most: \(most.key), \(most.value))"
            counts[label] = total
        }
        let largest = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        return largest.prefix(3).map { "\($0.key) (\($0.value))" }.joined(separator: ", ")
            + (largest.count > 3 ? " and \(largest.count - 3) more" : "")
    }

    /// Assigns ordinals: explicit ones kept, the rest in name order after the highest explicit one.
    /// `knownSymbols` (when not empty): each request's symbol number where known, -1 where
    /// `symbolOf` is to find it.
    static func assignOrdinals(_ requests: [ExportRequest], knownSymbols: [Int32] = [], threads: Int?,
                               symbolOf: (_ symbolName: String) -> Int32, diagnostics: inout Diagnostics) -> [ExportEntry] {
        if requests.count > 65535 {
            diagnostics.error("too many exports: \(requests.count) (the export table holds at most 65535); the largest sources: \(largestSources(requests))")
            return []
        }
        // By name, bytewise. The names are copied side by side first, so that the sort compares
        // bytes in one buffer instead of reading each comparison's two requests, and most
        // comparisons only their prefixes.
        let order = NameBuffer(requests.indices.lazy.map { requests[$0].name }).withNames { names in
            var keys = names.indices.map { (prefix: orderPrefix(names[$0].bytes), index: Int32($0)) }
            // Equal names (a failed link's repeated exports) keep their given order.
            parallelSort(&keys, threads: threads) {
                if $0.prefix != $1.prefix { return $0.prefix < $1.prefix }
                let (a, b) = (names[Int($0.index)], names[Int($1.index)])
                return a < b || (!(b < a) && $0.index < $1.index)
            }
            return keys.map { Int($0.index) }
        }
        // The symbols are looked up in parallel (lookups only read the symbol table).
        var symbols = [Int32](repeating: -1, count: requests.count)
        let chunk = 1 << 10
        symbols.withUnsafeMutableBufferPointer { symbols in
            nonisolated(unsafe) let symbols = symbols
            parallelFor((requests.count + chunk - 1) / chunk, threads: threads) { k in
                for i in k * chunk..<min(requests.count, (k + 1) * chunk) where requests[i].forwardTo == nil {
                    symbols[i] = i < knownSymbols.count && knownSymbols[i] >= 0 ? knownSymbols[i] : symbolOf(requests[i].symbolName)
                }
            }
        }
        var ownerOfOrdinal: [UInt16: Int] = [:]
        var highest: UInt16 = 0
        for index in order {
            guard let o = requests[index].ordinal else { continue }
            if let other = ownerOfOrdinal[o] {
                let (a, b) = (requests[other], requests[index])
                diagnostics.error("ordinal \(o) is given to two exports: \(a.name) (\(a.source)) and \(b.name) (\(b.source))")
            } else {
                ownerOfOrdinal[o] = index
            }
            highest = max(highest, o)
        }
        var ordinals: [UInt16] = []
        ordinals.reserveCapacity(order.count)
        var next = Int(highest)
        for index in order {
            if let ordinal = requests[index].ordinal {
                ordinals.append(ordinal)
                continue
            }
            next += 1
            if next > 65535 {
                diagnostics.error("no ordinal left for export \(requests[index].name): ordinals run past 65535")
                return []
            }
            ordinals.append(UInt16(next))
        }
        // Each request is copied once, by every worker.
        let found = symbols
        return [ExportEntry](count: order.count, threads: threads) { ExportEntry(request: requests[order[$0]], ordinal: ordinals[$0], symbol: found[order[$0]]) }
    }
}

extension ExportSource {
    var isDirective: Bool { if case .directive = self { return true } else { return false } }
}

extension ExportRequest {
    init(_ def: ModuleDefinitionExport, path: String) {
        self.init(name: def.name, symbolName: def.internalName ?? def.name, forwardTo: def.forwardTo,
                  source: .moduleDefinition(path: path, line: def.line))
        ordinal = def.ordinal
        noName = def.noName
        isPrivate = def.isPrivate
        isData = def.isData || def.isConstant
        isConstant = def.isConstant
        exportAs = def.exportAs
        importName = def.importName
    }
}

extension Linker {
    /// Whether an input object brings its own export table: a section named exactly .edata.
    func hasLiteralExportTable(_ resolver: SymbolResolver) -> Bool {
        resolver.objects.contains { object in
            object.hasExportDataSection && object.sections.contains { $0.isLive && object.name(of: $0).equals(".edata") }
        }
    }
}

/// Strings' UTF-8 bytes side by side in one buffer, read as `Name`s: sorting or finding many
/// names then reads one buffer and hashes bytes, with no String operation per comparison.
struct NameBuffer {
    private var bytes: [UInt8] = []
    private var spans: [(start: Int, count: Int)] = []

    init(_ strings: some Sequence<String>) {
        for string in strings {
            let start = bytes.count
            bytes.append(contentsOf: string.utf8)
            spans.append((start, bytes.count - start))
        }
    }

    /// The names, valid only inside `body`.
    func withNames<R>(_ body: ([Name]) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes { buffer in
            try body(spans.map { Name(UnsafeRawBufferPointer(rebasing: buffer[$0.start..<$0.start + $0.count])) })
        }
    }
}
