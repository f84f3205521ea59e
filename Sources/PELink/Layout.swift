import PEFormat

/// Section names that always exist in this order before any other (empty ones are dropped later),
/// with the flags they carry; the same order and merges lld-link uses, so layouts compare.
let predefinedSections: [(String, SectionFlags)] = [
    (".text", [.code, .memRead, .memExecute]),
    (".bss", [.uninitializedData, .memRead, .memWrite]),
    (".rdata", [.initializedData, .memRead]),
    (".buildid", [.initializedData, .memRead]),
    (".data", [.initializedData, .memRead, .memWrite]),
    (".pdata", [.initializedData, .memRead]),
    (".idata", [.initializedData, .memRead]),
    (".edata", [.initializedData, .memRead]),
    (".didat", [.initializedData, .memRead]),
    (".rsrc", [.initializedData, .memRead]),
    (".reloc", [.initializedData, .memRead, .memDiscardable]),
    (".ctors", [.initializedData, .memRead, .memWrite]),
    (".dtors", [.initializedData, .memRead, .memWrite]),
]

let defaultMerges: [(String, String)] = [
    (".00cfg", ".rdata"), (".bss", ".data"), (".didat", ".rdata"), (".edata", ".rdata"),
    (".idata", ".rdata"), (".xdata", ".rdata"),
]

/// The memory and content bits an image section keeps.
let outputFlagMask: UInt32 = SectionFlags([.code, .initializedData, .uninitializedData, .memRead, .memWrite,
                                           .memExecute, .memShared, .memDiscardable, .memNotCached, .memNotPaged]).rawValue

/// Groups chunks into output sections: by name before '$', sorted by full name then input order,
/// merged by /merge: and the defaults, ordered as lld-link orders them.
/// The output section a section name belongs to: the part before '$', and before a later '.'
/// (".text.startup", ".ctors.65535" as GCC names them), as lld-link decides it.
func outputSectionName(of name: String) -> String {
    let beforeDollar = name.split(separator: "$", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? name
    let bytes = Array(beforeDollar.utf8)
    if bytes.count > 1, let dot = bytes[1...].firstIndex(of: UInt8(ascii: ".")) {
        return String(decoding: bytes[..<dot], as: UTF8.self)
    }
    return beforeDollar
}

/// Chunks placed before and after all others of a section (the -1 and 0 sentinels that
/// bracket MinGW's .ctors and .dtors lists).
struct SectionBrackets {
    var head: Chunk
    var tail: Chunk
}

func buildOutputSections(chunks: [Chunk], names chunkNames: [Name], merges userMerges: [(from: String, to: String)],
                         extraMerges: [(String, String)] = [], brackets: [String: SectionBrackets] = [:],
                         keepImportDataApart: Bool = false, orderPriority: [Int32: Int] = [:],
                         importObjectKey: (Chunk) -> String?, diagnostics: inout Diagnostics) -> [OutputSection] {
    // Chunks are ordered by (partial name, memory flags), then input order, so "$" groups end up
    // in suffix order. The distinct keys are few: chunks are dealt into one bucket per key in input
    // order (stable), and only the buckets are sorted.
    var partialNames = SymbolNameTable(shardCount: 1)
    var bucketsOfName: [[(flags: UInt32, bucket: Int)]] = []
    var buckets: [(nameID: Int, flags: UInt32, chunks: [Int32])] = []
    for (index, chunk) in chunks.enumerated() {
        let (id32, inserted) = partialNames.findOrInsert(chunkNames[index], hash: chunkNames[index].hashValue64)
        let id = Int(id32)
        if inserted { bucketsOfName.append([]) }
        let flags = chunk.flags.rawValue & outputFlagMask
        var bucket = -1
        for candidate in bucketsOfName[id] where candidate.flags == flags { bucket = candidate.bucket; break }
        if bucket < 0 {
            bucket = buckets.count
            buckets.append((id, flags, []))
            bucketsOfName[id].append((flags, bucket))
        }
        buckets[bucket].chunks.append(Int32(index))
    }
    let names = partialNames.names
    // GNU import libraries are objects (a head, one object per symbol, a tail) whose .idata$N
    // sections only form tables when grouped by library with the head first and the tail last:
    // sort those chunks by "library/object" (the names are chosen for that), the linker's own after.
    for b in buckets.indices where names[buckets[b].nameID].hasPrefix(".idata$") {
        let keyed = buckets[b].chunks.map { (importObjectKey(chunks[Int($0)]), $0) }
        guard keyed.contains(where: { $0.0 != nil }) else { continue }
        buckets[b].chunks = keyed.enumerated().sorted { x, y in
            switch (x.element.0, y.element.0) {
            case let (p?, q?): return p != q ? utf8Precedes(p, q) : x.offset < y.offset
            case (_?, nil): return true
            case (nil, _?): return false
            case (nil, nil): return x.offset < y.offset
            }
        }.map(\.element.1)
    }
    buckets.sort { a, b in
        if a.nameID != b.nameID { return names[a.nameID] < names[b.nameID] }
        return a.flags < b.flags
    }
    // The output section a partial name belongs to: the part before '$'.
    let sectionNameOfID = names.map { outputSectionName(of: $0.string) }
    // An output section is a name and its characteristics, as in lld-link: contributions of one
    // name with other memory flags form another section of the same name (link.exe warns, LNK4078),
    // so no contribution gets permissions it did not ask for.
    struct Key: Hashable { var name: String; var flags: UInt32 }
    var sections: [OutputSection] = []
    var sortName: [String] = []
    var indexOfKey: [Key: Int] = [:]
    func add(_ section: OutputSection) -> Int {
        indexOfKey[Key(name: section.name, flags: section.flags.rawValue)] = sections.count
        sections.append(section)
        sortName.append(section.name)
        return sections.count - 1
    }
    for (name, flags) in predefinedSections { _ = add(OutputSection(name: name, flags: flags)) }
    let predefinedCount = sections.count
    for bucket in buckets {
        let name = sectionNameOfID[bucket.nameID]
        var flags = SectionFlags(rawValue: bucket.flags)
        // The CRT's initializer tables and resources are only read: .CRT and .rsrc are read-only
        // whatever their contributions say (windres marks .rsrc writable), as lld-link makes them.
        if name == ".CRT" || name == ".rsrc" { flags = [.initializedData, .memRead] }
        let index = indexOfKey[Key(name: name, flags: flags.rawValue)] ?? add(OutputSection(name: name, flags: flags))
        sections[index].chunks.reserveCapacity(sections[index].chunks.count + bucket.chunks.count)
        // /order: the listed functions first, in the file's order; the rest keep input order.
        var members = bucket.chunks
        if !orderPriority.isEmpty && members.contains(where: { orderPriority[$0] != nil }) {
            members = members.enumerated().sorted { a, b in
                let pa = orderPriority[a.element] ?? Int.max, pb = orderPriority[b.element] ?? Int.max
                return pa != pb ? pa < pb : a.offset < b.offset
            }.map(\.element)
        }
        for chunk in members { sections[index].chunks.append(chunks[Int(chunk)]) }
    }
    /// The first section of a name (the one /merge: and the list brackets act on, as in lld-link).
    func firstSection(named name: String) -> Int? {
        sections.firstIndex { $0.name == name && !$0.chunks.isEmpty } ?? sections.firstIndex { $0.name == name }
    }
    for (name, bracket) in brackets {
        guard let index = firstSection(named: name) else { continue }
        sections[index].chunks.insert(bracket.head, at: 0)
        sections[index].chunks.append(bracket.tail)
    }
    // Merges: user ones override defaults with the same source; applied in source-name order, chains followed.
    var mergeMap: [String: String] = [:]
    for (from, to) in defaultMerges + extraMerges where !(keepImportDataApart && from == ".idata") { mergeMap[from] = to }
    for (from, to) in userMerges {
        // The loader finds resources and base relocations only through their own sections.
        if let fixed = [from, to].first(where: { $0 == ".rsrc" || $0 == ".reloc" }) {
            diagnostics.error("/merge: cannot merge '\(fixed)' with any section (/merge:\(from)=\(to)): the loader finds \(fixed == ".rsrc" ? "resources" : "base relocations") through that section alone")
            continue
        }
        if from == to { continue }
        mergeMap[from] = to
    }
    var reportedCycle = false
    func finalTarget(_ name: String) -> String {
        var current = name
        var seen: Set<String> = [name]
        while let next = mergeMap[current] {
            if !seen.insert(next).inserted {
                if !reportedCycle {
                    diagnostics.error("/merge: cycle found for section '\(name)': the /merge: options lead from it back to \(next)")
                    reportedCycle = true
                }
                return name
            }
            current = next
        }
        return current
    }
    for from in mergeMap.keys.sorted() {
        guard let source = firstSection(named: from), !sections[source].chunks.isEmpty else { continue }
        let to = finalTarget(from)
        if to == from { continue }
        guard let target = firstSection(named: to) else {
            // A merge into a new name keeps the source's place in the order, as lld-link orders it.
            sections[source].name = to
            continue
        }
        sections[target].chunks += sections[source].chunks
        sections[source].chunks = []
        // Code merged into a data section makes it a code section (link.exe does the same); the
        // target's memory permissions stay as they are.
        if sections[source].flags.contains(.code) {
            sections[target].flags.insert(.code)
            sections[target].flags.remove([.initializedData, .uninitializedData])
        }
    }
    // Order: predefined first, the rest by name (then as created); discardable sections last
    // (the loader wants no holes).
    let others = (predefinedCount..<sections.count).sorted { a, b in
        sortName[a] != sortName[b] ? sortName[a].utf8.lexicographicallyPrecedes(sortName[b].utf8) : a < b
    }
    var result: [OutputSection] = []
    for index in Array(0..<predefinedCount) + others {
        // A section whose contributions are all empty is not written.
        guard sections[index].chunks.contains(where: { $0.size > 0 }) else { continue }
        result.append(sections[index])
    }
    let kept = result.filter { !$0.flags.contains(.memDiscardable) }
    let discardable = result.filter { $0.flags.contains(.memDiscardable) }
    return kept + discardable
}

/// Applies /section: (and .def SECTIONS) attributes: the letters given replace the memory bits.
func applySectionAttributes(_ sections: inout [OutputSection], _ attributes: [(name: String, attributes: String)],
                            diagnostics: inout Diagnostics) {
    for (name, letters) in attributes {
        let matching = sections.indices.filter { sections[$0].name == name }
        if matching.isEmpty {
            diagnostics.warning("/section:\(name),\(letters): no section named \(name) in the output")
        }
        // Every section of the name: one name can stand for sections of different characteristics.
        for index in matching { applySectionAttributes(&sections[index], letters) }
    }
}

private func applySectionAttributes(_ section: inout OutputSection, _ letters: String) {
    var flags = section.flags
    flags.remove([.memRead, .memWrite, .memExecute, .memShared, .memDiscardable, .memNotCached, .memNotPaged])
    var negate = false
    for c in letters.lowercased() {
        var bit: SectionFlags = []
        switch c {
        case "!": negate = true; continue
        case "r": bit = .memRead
        case "w": bit = .memWrite
        case "e": bit = .memExecute
        case "s": bit = .memShared
        case "d": bit = .memDiscardable
        case "k": bit = .memNotCached
        case "p": bit = .memNotPaged
        default: continue
        }
        if negate { flags.remove(bit) } else { flags.insert(bit) }
        negate = false
    }
    section.flags = flags
}

/// Gives every chunk an RVA and every section its place in the file.
/// The largest image the PE format allows (SizeOfImage and RVAs are 32-bit, and the loader
/// refuses images of 2 GiB or more).
let maximumImageSize = 0x8000_0000

/// Nil when the image would reach `maximumImageSize`: input sizes (a huge .bss, COMMON symbols,
/// /align) can ask for that, and nothing past it is representable.
func assignAddresses(_ sections: inout [OutputSection], firstRVA: Int, firstFileOffset: Int,
                     sectionAlignment: Int, fileAlignment: Int) -> (endRVA: Int, endFileOffset: Int)? {
    var rva = firstRVA
    var fileOffset = firstFileOffset
    for s in sections.indices {
        rva = alignUp(rva, sectionAlignment)
        if rva >= maximumImageSize { return nil }
        sections[s].rva = UInt32(rva)
        var cursor = 0
        var initialized = 0
        for c in sections[s].chunks.indices {
            let chunk = sections[s].chunks[c]
            cursor = alignUp(cursor, max(chunk.alignment, 1))
            if rva + cursor + chunk.size >= maximumImageSize { return nil }
            sections[s].chunks[c].rva = UInt32(rva + cursor)
            cursor += chunk.size
            if chunk.hasFileData && chunk.size > 0 { initialized = cursor }
        }
        sections[s].virtualSize = cursor
        sections[s].initializedSize = initialized
        // A section of uninitialised data only has no file bytes; lld-link counts trailing .bss out too.
        sections[s].rawSize = alignUp(initialized, fileAlignment)
        fileOffset = alignUp(fileOffset, fileAlignment)
        sections[s].fileOffset = sections[s].rawSize > 0 ? fileOffset : 0
        fileOffset += sections[s].rawSize
        rva += cursor
    }
    return (rva, fileOffset)
}

/// The .reloc table: one block per 4 KiB page, entries sorted, each block padded to 4 bytes.
/// `values` in ascending order, by two 16-bit counting passes: base relocation sites number in the
/// hundreds of thousands, where this is several times faster than a comparison sort.
func radixSorted(_ values: [UInt32]) -> [UInt32] {
    if values.count < 4096 { return values.sorted() }
    var source = values
    var target = [UInt32](repeating: 0, count: values.count)
    for shift in [UInt32(0), 16] {
        var counts = [Int](repeating: 0, count: 65537)
        for v in source { counts[Int((v >> shift) & 0xFFFF) + 1] += 1 }
        for i in 1...65536 { counts[i] += counts[i - 1] }
        source.withUnsafeBufferPointer { from in
            target.withUnsafeMutableBufferPointer { to in
                counts.withUnsafeMutableBufferPointer { next in
                    for v in from {
                        let bucket = Int((v >> shift) & 0xFFFF)
                        to[next[bucket]] = v
                        next[bucket] += 1
                    }
                }
            }
        }
        swap(&source, &target)
    }
    return source
}

func buildBaseRelocationTable(_ sites: [UInt32], type: UInt16) -> [UInt8] {
    // One block per 4 KiB page: an 8-byte header, then 2-byte entries padded to a 4-byte size.
    var pages: [Range<Int>] = []
    var i = 0
    while i < sites.count {
        let page = sites[i] & ~0xFFF
        var j = i
        while j < sites.count && sites[j] & ~0xFFF == page { j += 1 }
        pages.append(i..<j)
        i = j
    }
    func blockSize(_ run: Range<Int>) -> Int { 8 + 2 * (run.count + run.count % 2) }
    var table = [UInt8](repeating: 0, count: pages.reduce(0) { $0 + blockSize($1) })
    table.withUnsafeMutableBytes { out in
        guard let base = out.baseAddress else { return }
        var at = 0
        for run in pages {
            base.storeLE(sites[run.lowerBound] & ~0xFFF, at: at)
            base.storeLE(UInt32(blockSize(run)), at: at + 4)
            for (k, site) in sites[run].enumerated() { base.storeLE((type << 12) | UInt16(site & 0xFFF), at: at + 8 + 2 * k) }
            at += blockSize(run) // the padding entry is IMAGE_REL_BASED_ABSOLUTE (0), already zero
        }
    }
    return table
}

extension Linker {
    /// /order:@file: for each chunk holding a listed symbol, its line in the file (the first line
    /// when it holds several). A name no input defines is warned about (LNK4037, /ignore:4037).
    mutating func orderPriorities(_ resolver: SymbolResolver, chunks: [Chunk]) -> [Int32: Int] {
        guard let path = options.orderFile else { return [:] }
        let text: String
        do {
            let file = try MappedFile(path: path)
            text = withExtendedLifetime(file) { String(decoding: file.bytes, as: UTF8.self) }
        } catch {
            diagnostics.error("/order:@\(path): \(error)")
            return [:]
        }
        var chunkOfSection: [Int: Int32] = [:]
        for (c, chunk) in chunks.enumerated() {
            if case let .inputSection(o, s) = chunk.content { chunkOfSection[resolver.objects[Int(o)].firstSection + Int(s)] = Int32(c) }
        }
        var priorities: [Int32: Int] = [:]
        for (line, raw) in text.split(whereSeparator: \.isNewline).enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces)
            if name.isEmpty || name.hasPrefix(";") { continue }
            // x86 C names are decorated in the objects; an order file may list them either way.
            let symbol = resolver.find(name) ?? resolver.find(target.mangle(name))
            guard let g = symbol, resolver.symbols[Int(g)].kind == .defined else {
                if !options.ignoredWarnings.contains(4037) {
                    diagnostics.warning("/order:\(path): missing symbol: \(name) [LNK4037] (line \(line + 1): no input defines it)")
                }
                continue
            }
            let defined = resolver.symbols[Int(g)]
            let section = resolver.objects[Int(defined.file)].firstSection + Int(defined.section)
            if let c = chunkOfSection[section], priorities[c] == nil { priorities[c] = line }
        }
        return priorities
    }
}
