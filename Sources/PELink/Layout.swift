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

/// The live input sections of a link, sorted into groups of one partial name and one set of
/// memory flags before any chunk is made. A large link has millions of input sections: blocks
/// of objects find their groups in parallel, and `buildOutputSections` then makes each chunk
/// straight into its place in its output section, with no array of all chunks in between.
///
/// Input order is object order, and within an object its non-COMDAT sections, then its COMDAT
/// sections, each in section order (lld-link's order).
struct InputChunkGroups {
    /// One group of a block: the partial name (GCC's `.text$name` COMDATs read as `.text`) and
    /// the flags that take part in grouping (`outputFlagMask`).
    struct Group {
        var name: Name
        var flags: UInt32
        /// An .idata$ section of a GNU import library: read-only, joining the linker's own tables.
        var isImportData: Bool
        var role: Chunk.Role
        /// Some section of the group occupies bytes (a section of empty chunks is not written).
        var hasBytes = false
        var count = 0
    }

    let objects: [ObjectFile]
    let importDataFlags: SectionFlags
    /// Consecutive objects, each block's groups numbered on their own.
    let blocks: [Range<Int>]
    /// Each object's first chunk in input order; the last entry is the number of chunks.
    let chunkStart: [Int]
    /// Each chunk's group, numbered within its block.
    let groupOfChunk: [UInt32]
    let groupsOfBlock: [[Group]]
    let hasImportData: Bool

    init(objects: [ObjectFile], importDataFlags: SectionFlags, isGNUFlavor: Bool, threads: Int?) {
        self.objects = objects
        self.importDataFlags = importDataFlags
        let workers = max(1, threads ?? availableProcessors)
        let blockCount = min(objects.count, workers * 4)
        blocks = (0..<blockCount).map { b in (b * objects.count / blockCount)..<((b + 1) * objects.count / blockCount) }
        var chunkStart = [Int](repeating: 0, count: objects.count + 1)
        chunkStart.withUnsafeMutableBufferPointer { counts in
            nonisolated(unsafe) let counts = counts
            parallelFor(objects.count, threads: threads) { o in
                counts[o + 1] = objects[o].sections.reduce(0) { $0 + ($1.isLive ? 1 : 0) }
            }
        }
        for o in objects.indices { chunkStart[o + 1] += chunkStart[o] }
        self.chunkStart = chunkStart
        let results = ParallelResults<(groups: [Group], importData: Bool)>(count: blockCount)
        let blocks = self.blocks
        groupOfChunk = [UInt32](unsafeUninitializedCapacity: chunkStart[objects.count]) { groupOut, initialized in
            nonisolated(unsafe) let groupOut = groupOut
            parallelFor(blockCount, threads: threads) { b in
                var groups: [Group] = []
                var names = SymbolNameTable(shardCount: 1)
                var groupsOfName: [[UInt32]] = []
                var recent: [UInt32] = []  // the last groups used, most recent first: objects alternate between a few
                var importData = false
                for o in blocks[b] {
                    var next = chunkStart[o]
                    Self.forEachChunk(of: objects[o]) { _, section in
                        var name = objects[o].name(of: section)
                        // MinGW: GCC names COMDAT sections after their symbol (.text$_Z3fooi); they are
                        // plain .text (and so on) for ordering, in input order, as GNU ld and lld-link place them.
                        if isGNUFlavor && section.isComdat, let plain = Linker.gnuComdatSectionBase(name) { name = plain }
                        let isImportData = name.hasPrefix(".idata$")
                        let flags = Self.flags(of: section, isImportData: isImportData, importDataFlags: importDataFlags).rawValue & outputFlagMask
                        var group = UInt32.max
                        for g in recent where groups[Int(g)].flags == flags && groups[Int(g)].name.equals(name) { group = g; break }
                        if group == .max {
                            let (id, inserted) = names.findOrInsert(name, hash: name.hashValue64)
                            if inserted { groupsOfName.append([]) }
                            for g in groupsOfName[Int(id)] where groups[Int(g)].flags == flags { group = g; break }
                            if group == .max {
                                group = UInt32(groups.count)
                                groups.append(Group(name: name, flags: flags, isImportData: isImportData,
                                                    role: Chunk.role(partialName: name, isInputSection: true)))
                                groupsOfName[Int(id)].append(group)
                            }
                            recent.removeAll { $0 == group }
                            recent.insert(group, at: 0)
                            if recent.count > 4 { recent.removeLast() }
                        }
                        groups[Int(group)].count += 1
                        if section.size > 0 { groups[Int(group)].hasBytes = true }
                        if isImportData { importData = true }
                        groupOut[next] = group
                        next += 1
                    }
                }
                results.set(b, (groups, importData))
            }
            initialized = chunkStart[objects.count]
        }
        var groupsOfBlock: [[Group]] = []
        var hasImportData = false
        for b in 0..<blockCount {
            let result = results.take(b)!
            groupsOfBlock.append(result.groups)
            hasImportData = hasImportData || result.importData
        }
        self.groupsOfBlock = groupsOfBlock
        self.hasImportData = hasImportData
    }

    /// The live sections of `object` in input order.
    @inline(__always) static func forEachChunk(of object: ObjectFile, _ body: (Int, InputSection) -> Void) {
        for pass in 0..<2 {
            for (s, section) in object.sections.enumerated() where section.isLive && section.isComdat == (pass == 1) {
                body(s, section)
            }
        }
    }

    /// A chunk's flags: its section's, except that import tables from GNU import libraries join
    /// the linker's own, read-only (`importDataFlags`), keeping their alignment.
    static func flags(of section: InputSection, isImportData: Bool, importDataFlags: SectionFlags) -> SectionFlags {
        isImportData ? importDataFlags.union(SectionFlags(rawValue: section.flags.rawValue & SectionFlags.alignMask.rawValue)) : section.flags
    }

    func chunk(object o: Int, section s: Int, group: Group) -> Chunk {
        let section = objects[o].sections[s]
        let flags = Self.flags(of: section, isImportData: group.isImportData, importDataFlags: importDataFlags)
        return Chunk(content: .inputSection(object: Int32(o), section: Int32(s)), role: group.role, flags: flags,
                     alignment: section.alignment, size: section.size, hasFileData: !section.flags.contains(.uninitializedData))
    }
}

/// Groups chunks into output sections: by name before '$', sorted by full name then input order,
/// merged by /merge: and the defaults, ordered as lld-link orders them. The input sections'
/// chunks (`inputs`) come first in each group, then the linker's own (`linkerChunks`, in order).
/// `orderPriority`: /order: lines by global section index. `importObjectKey`: the "library/member"
/// of an object, which orders the .idata$ sections of GNU import libraries. `trailingCode`: the
/// import thunks, after all other code.
func buildOutputSections(inputs: InputChunkGroups, linkerChunks: [(name: Name, chunk: Chunk)],
                         merges userMerges: [(from: String, to: String)],
                         extraMerges: [(String, String)] = [], brackets: [String: SectionBrackets] = [:],
                         keepImportDataApart: Bool = false, orderPriority: [Int: Int] = [:],
                         importObjectKey: (Int) -> String, trailingCode: Chunk? = nil, threads: Int?,
                         diagnostics: inout Diagnostics) -> [OutputSection] {
    // Buckets: one per (partial name, memory flags), sorted by name then flags, so "$" groups end
    // up in suffix order; within a bucket, chunks keep input order.
    struct Bucket {
        var nameID: Int
        var flags: UInt32
        var inputCount = 0
        var hasBytes = false
        var linker: [Chunk] = []
        /// The chunks in an order of their own, when the order is not input order (.idata$ of
        /// GNU import libraries, /order:).
        var reordered: [ChunkReference]?
        var count: Int { inputCount + linker.count }
    }
    enum ChunkReference { case input(object: Int32, section: Int32, block: Int32, group: UInt32), linker(Int) }
    var partialNames = SymbolNameTable(shardCount: 1)
    var bucketsOfName: [[Int]] = []
    var buckets: [Bucket] = []
    func bucket(_ name: Name, flags: UInt32) -> Int {
        let (id32, inserted) = partialNames.findOrInsert(name, hash: name.hashValue64)
        let id = Int(id32)
        if inserted { bucketsOfName.append([]) }
        for b in bucketsOfName[id] where buckets[b].flags == flags { return b }
        buckets.append(Bucket(nameID: id, flags: flags))
        bucketsOfName[id].append(buckets.count - 1)
        return buckets.count - 1
    }
    let bucketOfGroup = inputs.groupsOfBlock.map { groups in
        groups.map { group in
            let b = bucket(group.name, flags: group.flags)
            buckets[b].inputCount += group.count
            buckets[b].hasBytes = buckets[b].hasBytes || group.hasBytes
            return b
        }
    }
    for (name, chunk) in linkerChunks {
        let b = bucket(name, flags: chunk.flags.rawValue & outputFlagMask)
        buckets[b].linker.append(chunk)
        buckets[b].hasBytes = buckets[b].hasBytes || chunk.size > 0
    }
    let names = partialNames.names
    // GNU import libraries are objects (a head, one object per symbol, a tail) whose .idata$N
    // sections only form tables when grouped by library with the head first and the tail last:
    // sort those chunks by "library/object" (the names are chosen for that), the linker's own after.
    // /order: puts the listed functions first, in the file's order; the rest keep input order.
    let isReordered = buckets.map { bucket in
        bucket.inputCount > 0 && (names[bucket.nameID].hasPrefix(".idata$") || !orderPriority.isEmpty)
    }
    if isReordered.contains(true) {
        var references = buckets.map { _ in [ChunkReference]() }
        for (b, range) in inputs.blocks.enumerated() {
            for o in range {
                var next = inputs.chunkStart[o]
                InputChunkGroups.forEachChunk(of: inputs.objects[o]) { s, _ in
                    let group = inputs.groupOfChunk[next]
                    let bucket = bucketOfGroup[b][Int(group)]
                    if isReordered[bucket] { references[bucket].append(.input(object: Int32(o), section: Int32(s), block: Int32(b), group: group)) }
                    next += 1
                }
            }
        }
        for b in buckets.indices where isReordered[b] {
            var members = references[b] + buckets[b].linker.indices.map { ChunkReference.linker($0) }
            if names[buckets[b].nameID].hasPrefix(".idata$") {
                let keyed = members.map { member -> String? in
                    if case let .input(o, _, _, _) = member { return importObjectKey(Int(o)) }
                    return nil
                }
                members = members.indices.sorted { x, y in
                    switch (keyed[x], keyed[y]) {
                    case let (p?, q?): return p != q ? utf8Precedes(p, q) : x < y
                    case (_?, nil): return true
                    case (nil, _?): return false
                    case (nil, nil): return x < y
                    }
                }.map { members[$0] }
            }
            func priority(_ member: ChunkReference) -> Int? {
                guard case let .input(o, s, _, _) = member else { return nil }
                return orderPriority[inputs.objects[Int(o)].firstSection + Int(s)]
            }
            if !orderPriority.isEmpty && members.contains(where: { priority($0) != nil }) {
                members = members.enumerated().sorted { a, b in
                    let pa = priority(a.element) ?? Int.max, pb = priority(b.element) ?? Int.max
                    return pa != pb ? pa < pb : a.offset < b.offset
                }.map(\.element)
            }
            buckets[b].reordered = members
        }
    }
    let sortedBuckets = buckets.indices.sorted { a, b in
        if buckets[a].nameID != buckets[b].nameID { return names[buckets[a].nameID] < names[buckets[b].nameID] }
        return buckets[a].flags < buckets[b].flags
    }
    // The output section a partial name belongs to: the part before '$'.
    let sectionNameOfID = names.map { outputSectionName(of: $0.string) }

    // Sections are planned as lists of parts (buckets, single chunks) and made at the end.
    enum Part { case bucket(Int), chunk(Chunk) }
    struct SectionPlan {
        var name: String
        var flags: SectionFlags
        var parts: [Part] = []
        var count = 0
        var hasBytes = false
    }
    // An output section is a name and its characteristics, as in lld-link: contributions of one
    // name with other memory flags form another section of the same name (link.exe warns, LNK4078),
    // so no contribution gets permissions it did not ask for.
    struct Key: Hashable { var name: String; var flags: UInt32 }
    var sections: [SectionPlan] = []
    var sortName: [String] = []
    var indexOfKey: [Key: Int] = [:]
    func add(_ section: SectionPlan) -> Int {
        indexOfKey[Key(name: section.name, flags: section.flags.rawValue)] = sections.count
        sections.append(section)
        sortName.append(section.name)
        return sections.count - 1
    }
    for (name, flags) in predefinedSections { _ = add(SectionPlan(name: name, flags: flags)) }
    let predefinedCount = sections.count
    for b in sortedBuckets {
        let name = sectionNameOfID[buckets[b].nameID]
        var flags = SectionFlags(rawValue: buckets[b].flags)
        // The CRT's initializer tables and resources are only read: .CRT and .rsrc are read-only
        // whatever their contributions say (windres marks .rsrc writable), as lld-link makes them.
        if name == ".CRT" || name == ".rsrc" { flags = [.initializedData, .memRead] }
        let index = indexOfKey[Key(name: name, flags: flags.rawValue)] ?? add(SectionPlan(name: name, flags: flags))
        sections[index].parts.append(.bucket(b))
        sections[index].count += buckets[b].count
        sections[index].hasBytes = sections[index].hasBytes || buckets[b].hasBytes
    }
    /// The first section of a name (the one /merge: and the list brackets act on, as in lld-link).
    func firstSection(named name: String) -> Int? {
        sections.firstIndex { $0.name == name && $0.count > 0 } ?? sections.firstIndex { $0.name == name }
    }
    for (name, bracket) in brackets {
        guard let index = firstSection(named: name) else { continue }
        sections[index].parts.insert(.chunk(bracket.head), at: 0)
        sections[index].parts.append(.chunk(bracket.tail))
        sections[index].count += 2
        sections[index].hasBytes = sections[index].hasBytes || bracket.head.size > 0 || bracket.tail.size > 0
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
        guard let source = firstSection(named: from), sections[source].count > 0 else { continue }
        let to = finalTarget(from)
        if to == from { continue }
        guard let target = firstSection(named: to) else {
            // A merge into a new name keeps the source's place in the order, as lld-link orders it.
            sections[source].name = to
            continue
        }
        sections[target].parts += sections[source].parts
        sections[target].count += sections[source].count
        sections[target].hasBytes = sections[target].hasBytes || sections[source].hasBytes
        sections[source].parts = []
        sections[source].count = 0
        sections[source].hasBytes = false
        // Code merged into a data section makes it a code section (link.exe does the same); the
        // target's memory permissions stay as they are.
        if sections[source].flags.contains(.code) {
            sections[target].flags.insert(.code)
            sections[target].flags.remove([.initializedData, .uninitializedData])
        }
    }
    // Order: predefined first, the rest by name (then as created); discardable sections last
    // (the loader wants no holes). A section whose contributions are all empty is not written.
    let others = (predefinedCount..<sections.count).sorted { a, b in
        sortName[a] != sortName[b] ? sortName[a].utf8.lexicographicallyPrecedes(sortName[b].utf8) : a < b
    }
    let written = (Array(0..<predefinedCount) + others).filter { sections[$0].hasBytes }.map { sections[$0] }
    var plans = written.filter { !$0.flags.contains(.memDiscardable) } + written.filter { $0.flags.contains(.memDiscardable) }
    if let trailingCode {
        if let text = plans.firstIndex(where: { $0.name == ".text" }) {
            plans[text].parts.append(.chunk(trailingCode))
            plans[text].count += 1
        } else {
            plans.insert(SectionPlan(name: ".text", flags: [.code, .memRead, .memExecute], parts: [.chunk(trailingCode)], count: 1), at: 0)
        }
    }

    // Where each bucket's chunks start in its section's array, and where each block's input
    // chunks of the bucket start; the blocks then make their chunks there in parallel.
    var sectionOfBucket = [Int](repeating: -1, count: buckets.count)
    var startOfBucket = [Int](repeating: 0, count: buckets.count)
    for (p, plan) in plans.enumerated() {
        var at = 0
        for part in plan.parts {
            switch part {
            case .bucket(let b):
                sectionOfBucket[b] = p
                startOfBucket[b] = at
                at += buckets[b].count
            case .chunk:
                at += 1
            }
        }
    }
    var cursor = startOfBucket
    let startOfGroup = bucketOfGroup.enumerated().map { b, buckets in
        buckets.enumerated().map { g, bucket in
            defer { cursor[bucket] += inputs.groupsOfBlock[b][g].count }
            return cursor[bucket]
        }
    }
    func makeChunks(_ buffers: [UnsafeMutablePointer<Chunk>]) {
        nonisolated(unsafe) let buffers = buffers
        parallelFor(inputs.blocks.count, threads: threads) { b in
            var next = startOfGroup[b]
            let groups = inputs.groupsOfBlock[b]
            for o in inputs.blocks[b] {
                var c = inputs.chunkStart[o]
                InputChunkGroups.forEachChunk(of: inputs.objects[o]) { s, _ in
                    let g = Int(inputs.groupOfChunk[c])
                    c += 1
                    let bucket = bucketOfGroup[b][g]
                    // Reordered buckets are made below; a bucket of no written section is dropped.
                    guard buckets[bucket].reordered == nil, sectionOfBucket[bucket] >= 0 else { return }
                    (buffers[sectionOfBucket[bucket]] + next[g]).initialize(to: inputs.chunk(object: o, section: s, group: groups[g]))
                    next[g] += 1
                }
            }
        }
        for (p, plan) in plans.enumerated() {
            var at = 0
            for part in plan.parts {
                switch part {
                case .chunk(let chunk):
                    (buffers[p] + at).initialize(to: chunk)
                    at += 1
                case .bucket(let b):
                    if let reordered = buckets[b].reordered {
                        for member in reordered {
                            switch member {
                            case let .input(o, s, block, group):
                                (buffers[p] + at).initialize(to: inputs.chunk(object: Int(o), section: Int(s), group: inputs.groupsOfBlock[Int(block)][Int(group)]))
                            case .linker(let k):
                                (buffers[p] + at).initialize(to: buckets[b].linker[k])
                            }
                            at += 1
                        }
                    } else {
                        at += buckets[b].inputCount
                        for chunk in buckets[b].linker {
                            (buffers[p] + at).initialize(to: chunk)
                            at += 1
                        }
                    }
                }
            }
        }
    }
    // Every section's array is opened, then all are filled at once. Past a few dozen sections
    // (only in links made to test the limits) the arrays are filled apart and copied instead.
    func makeSections(from p: Int, _ buffers: [UnsafeMutablePointer<Chunk>]) -> [[Chunk]] {
        if p == plans.count {
            makeChunks(buffers)
            return []
        }
        var later: [[Chunk]] = []
        let chunks = [Chunk](unsafeUninitializedCapacity: plans[p].count) { buffer, initialized in
            later = makeSections(from: p + 1, buffers + [buffer.baseAddress ?? UnsafeMutablePointer(bitPattern: MemoryLayout<Chunk>.alignment)!])
            initialized = plans[p].count
        }
        return [chunks] + later
    }
    func makeSectionsApart() -> [[Chunk]] {
        let total = plans.reduce(0) { $0 + $1.count }
        let storage = UnsafeMutablePointer<Chunk>.allocate(capacity: max(total, 1))
        defer { storage.deallocate() }
        var starts: [Int] = []
        var at = 0
        for plan in plans {
            starts.append(at)
            at += plan.count
        }
        makeChunks(starts.map { storage + $0 })
        return plans.indices.map { p in Array(UnsafeBufferPointer(start: storage + starts[p], count: plans[p].count)) }
    }
    let sectionChunks = plans.count <= 64 ? makeSections(from: 0, []) : makeSectionsApart()
    return zip(plans, sectionChunks).map { plan, chunks in
        OutputSection(name: plan.name, flags: plan.flags, chunks: chunks)
    }
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
func radixSorted(_ values: consuming [UInt32]) -> [UInt32] {
    if values.count < 4096 { return values.sorted() }
    // Consumed: a caller's only copy is sorted without copying it first.
    var source = consume values
    var target = [UInt32](repeating: 0, count: source.count)
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
    /// /order:@file: for each section holding a listed symbol (by global section index), its line
    /// in the file (the first line when it holds several). A name no input defines is warned about
    /// (LNK4037, /ignore:4037).
    mutating func orderPriorities(_ resolver: SymbolResolver) -> [Int: Int] {
        guard let path = options.orderFile else { return [:] }
        let text: String
        do {
            let file = try MappedFile(path: path)
            text = withExtendedLifetime(file) { String(decoding: file.bytes, as: UTF8.self) }
        } catch {
            diagnostics.error("/order:@\(path): \(error)")
            return [:]
        }
        var priorities: [Int: Int] = [:]
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
            if priorities[section] == nil { priorities[section] = line }
        }
        return priorities
    }
}
