import Foundation
import PEFormat

/// How far /opt:icf (GNU: --icf=) folds identical sections.
public enum FoldingLevel: Sendable {
    /// No folding (/opt:noicf, --icf=none).
    case none
    /// Only sections whose address nothing can observe: no code or data named in an object's
    /// address-significance table (.llvm_addrsig), exported, or in an object without such a
    /// table (/opt:safeicf, --icf=safe).
    case safe
    /// Every read-only COMDAT function, and read-only data whose address is insignificant
    /// (/opt:icf, --icf=all; link.exe's and lld-link's default with /opt:ref).
    case all
}

/// /opt:icf: read-only COMDAT sections with the same bytes, the same attributes and relocations
/// to equivalent targets are folded into one, the first of them in input order; every symbol of
/// a folded section then has the address of the same place in the kept one.
///
/// The rules are lld-link's (and link.exe's for functions):
/// - eligible: live, COMDAT, not writable; then code (under `.all`), .pdata and .xdata, vtables
///   (`??_7`, `_ZTV`), and anything else whose address is not significant (see `FoldingLevel`);
/// - equal: the same section name, characteristics (without alignment), size, COMDAT checksum,
///   bytes and relocations (type, offset), each relocation's target either the same symbol or
///   at the same offset of equivalent sections, and equivalent associative sections in order
///   (debug information and control-flow-guard tables aside);
/// - equivalence is found by refining a partition until no class splits, so chains of
///   functions that call each other fold however deep they are. Each round reads the previous
///   round's classes only, so the result is the same whatever the thread count.
/// The kept section takes the largest alignment of its class; associative sections of a folded
/// section that are not folded themselves (debug information aside) go with it.
extension Linker {
    var foldingLevel: FoldingLevel {
        options.icf ?? (collectsGarbage && !options.gnuCommandLine && !options.profile ? .all : .none)
    }

    mutating func foldIdenticalSections(_ resolver: SymbolResolver, exports: [ExportEntry]) {
        let level = foldingLevel
        guard level != .none else { return }
        var watch = Stopwatch()
        defer { if options.printTimes { foldingDetails = watch.summary } }
        let objects = resolver.objects
        let (addressSignificant, tableErrors) = addressSignificantSections(resolver, exports: exports)
        for error in tableErrors { diagnostics.error(error) }
        guard tableErrors.isEmpty else { return }
        let perObject = ParallelResults<[Int32]>(count: objects.count)
        let linker = self
        parallelFor(objects.count, threads: options.threads) { o in
            let object = objects[o]
            var vtables: Set<Int32>?
            var found: [Int32] = []
            for (s, section) in object.sections.enumerated()
            where linker.isFoldable(section, object: object, sectionIndex: s, level: level, addressSignificant: addressSignificant, vtables: &vtables) {
                found.append(Int32(object.firstSection + s))
            }
            perObject.set(o, found)
        }
        var candidates: [Int32] = []
        for o in objects.indices { candidates += perObject.take(o) ?? [] }
        watch.lap("\(candidates.count) candidates")
        guard candidates.count > 1 else { return }
        let allFacts = FoldingFacts(resolver: resolver, candidates: candidates, threads: options.threads)
        watch.lap("facts")
        // Consumed: the partition releases the parts only the first classes compare.
        var partition = FoldingPartition(facts: consume allFacts, threads: options.threads)
        watch.lap("first classes")
        // Without the parts compared exactly, which the first classes no longer need.
        let facts = partition.facts
        partition.refine()
        watch.lap("\(partition.rounds) rounds of refinement")

        // Each candidate's kept candidate (the first of its class), or -1. Classes are written
        // in parallel, each by one worker; the kept sections whose alignment rises are listed.
        let groups = partition.groups()
        var keptFor = [Int32](repeating: -1, count: facts.candidates.count, threads: options.threads)
        let chunk = 1 << 10
        let chunkCount = (groups.count + chunk - 1) / chunk
        let raisedAlignments = ParallelResults<[(kept: Int32, alignment: UInt32)]>(count: chunkCount)
        let order = partition.order
        keptFor.withUnsafeMutableBufferPointer { keptFor in
            nonisolated(unsafe) let keptFor = keptFor
            parallelFor(chunkCount, threads: options.threads) { k in
                var raised: [(kept: Int32, alignment: UInt32)] = []
                for range in groups[k * chunk..<min(groups.count, (k + 1) * chunk)] {
                    let kept = order[range.lowerBound]
                    // The kept section takes the largest alignment of its class.
                    var alignment = facts.alignment(of: Int(kept))
                    for position in range.dropFirst() {
                        keptFor[Int(order[position])] = kept
                        alignment = max(alignment, facts.alignment(of: Int(order[position])))
                    }
                    if alignment > facts.alignment(of: Int(kept)) { raised.append((kept, alignment)) }
                }
                raisedAlignments.set(k, raised)
            }
        }
        for k in 0..<chunkCount {
            for (kept, alignment) in raisedAlignments.take(k)! {
                let (object, section) = facts.place(Int(facts.candidates[Int(kept)]))
                objects[object].sections[section].raiseAlignment(to: Int(alignment))
            }
        }
        if options.verbose {
            var names: [Int: [Int32: String]] = [:]
            for range in groups {
                diagnostics.note("Selected \(sectionDisplayName(facts, Int(facts.candidates[Int(order[range.lowerBound])]), names: &names))")
                for position in range.dropFirst() {
                    diagnostics.note("  Removed \(sectionDisplayName(facts, Int(facts.candidates[Int(order[position])]), names: &names))")
                }
            }
        }
        var foldedCount = 0
        for (c, kept) in keptFor.enumerated() where kept >= 0 {
            foldedSections.append((section: facts.candidates[c], into: facts.candidates[Int(kept)]))
            foldedCount += 1
        }
        // Folded sections are removed object by object in parallel, with the associative
        // sections that go with them.
        let isFolded = keptFor
        parallelFor(facts.objectRuns.count, threads: options.threads) { k in
            let (o, candidates) = facts.objectRuns[k]
            let object = objects[o]
            guard candidates.contains(where: { isFolded[$0] >= 0 }) else { return }
            let children = AssociativeLists(object) { _, _ in true }
            for c in candidates where isFolded[c] >= 0 {
                let section = Int(facts.candidates[c]) - object.firstSection
                object.sections[section].isLive = false
                linker.dropUnfoldedChildren(of: section, in: object, children: children, facts: facts)
            }
        }
        watch.lap("fold \(foldedCount)")
        if options.verbose {
            diagnostics.note("/opt:icf: \(foldedCount) sections folded into others (\(partition.rounds) rounds of refinement)")
        }
    }

    /// Whether `section` may be folded (the eligibility rules above).
    private func isFoldable(_ section: InputSection, object: ObjectFile, sectionIndex: Int,
                            level: FoldingLevel, addressSignificant: [Bool], vtables: inout Set<Int32>?) -> Bool {
        guard section.isLive, section.isComdat, !section.isDWARF, !section.flags.contains(.memWrite) else { return false }
        if level == .all && section.flags.contains(.memExecute) { return true }
        guard addressSignificant[object.firstSection + sectionIndex] else { return true }
        let name = object.name(of: section)
        if name.equals(".pdata") || name.equals(".xdata") || name.hasPrefix(".pdata$") || name.hasPrefix(".xdata$") { return true }
        // A vtable's address is never compared: fold it even when its symbol is significant.
        if vtables == nil { vtables = vtableSections(object) }
        return vtables?.contains(Int32(sectionIndex)) ?? false
    }

    /// The sections of an object named by a vtable symbol (`??_7`, Itanium's `_ZTV`, which takes
    /// the C decoration of the machine: `__ZTV` on x86), as parsing found them.
    private func vtableSections(_ object: ObjectFile) -> Set<Int32> {
        Set(object.vtableCandidates.lazy.filter { $0.prefix.namesVTable(decoratesCNames: self.target.decoratesCNames) }.map(\.section))
    }

    /// Sections whose address a program may observe: those of exported symbols, of the symbols
    /// an object's .llvm_addrsig lists, and every section of an object without that table.
    private func addressSignificantSections(_ resolver: SymbolResolver, exports: [ExportEntry]) -> (sections: [Bool], errors: [String]) {
        var significant = [Bool](repeating: false, count: resolver.totalSections, threads: options.threads)
        let objects = resolver.objects
        // The section (global number) a global symbol's definition is in, or -1.
        let symbols = resolver.symbols
        func definingSection(_ g: Int) -> Int {
            let symbol = symbols[g]
            guard symbol.kind == .defined, symbol.section >= 0, symbol.file >= 0, Int(symbol.file) < objects.count else { return -1 }
            return objects[Int(symbol.file)].firstSection + Int(symbol.section)
        }
        // Each object's table is read in parallel: its own sections are marked in place, and the
        // sections of other objects that the global symbols it names are in are listed, to be
        // marked after.
        let perObject = ParallelResults<(sections: [Int32], error: String?)>(count: objects.count)
        significant.withUnsafeMutableBufferPointer { significant in
            nonisolated(unsafe) let significant = significant
            parallelFor(objects.count, threads: options.threads) { o in
                let object = objects[o]
                guard let table = object.sections.firstIndex(where: { object.name(of: $0).equals(".llvm_addrsig") }) else {
                    for s in object.sections.indices { significant[object.firstSection + s] = true }
                    return
                }
                var elsewhere: [Int32] = []
                let bytes = object.data(object.sections[table])
                let tableOffset = object.coff.view.offset + object.sections[table].dataOffset
                var at = 0
                while at < bytes.count {
                    // ULEB128 symbol table indices.
                    let start = at
                    var index = 0, shift = 0, complete = false
                    while at < bytes.count {
                        let byte = bytes[at]
                        at += 1
                        if shift < 63 { index |= Int(byte & 0x7F) << shift }
                        shift += 7
                        if byte & 0x80 == 0 { complete = true; break }
                    }
                    guard complete, shift <= 63, index < object.targets.count else {
                        let what = !complete ? "an index cut off at the section's end" : "symbol index \(index), beyond the object's \(object.targets.count) symbol records"
                        perObject.set(o, (elsewhere, "\(object.displayName): at offset 0x\(String(tableOffset + start, radix: 16)): section .llvm_addrsig (the address-significance table) holds \(what); the object is damaged, rebuild it (or link with /opt:noicf)"))
                        return
                    }
                    switch object.targets[index].decoded {
                    case .global(let g):
                        let section = definingSection(Int(g))
                        if section >= object.firstSection && section < object.firstSection + object.sections.count {
                            significant[section] = true
                        } else if section >= 0 {
                            elsewhere.append(Int32(section))
                        }
                    case .local(let s, _): significant[object.firstSection + Int(s)] = true
                    default: break
                    }
                }
                perObject.set(o, (elsewhere, nil))
            }
        }
        var errors: [String] = []
        for e in exports.indices where exports[e].symbol >= 0 {
            let section = definingSection(Int(exports[e].symbol))
            if section >= 0 { significant[section] = true }
        }
        for o in objects.indices {
            guard let (sections, error) = perObject.take(o) else { continue }
            for section in sections { significant[Int(section)] = true }
            if let error { errors.append(error) }
        }
        return (significant, errors)
    }

    /// Associative sections of a folded section go with it, unless they are folded themselves
    /// or are debug information (which describes the kept copy's address as well).
    private func dropUnfoldedChildren(of parent: Int, in object: ObjectFile, children: AssociativeLists, facts: FoldingFacts) {
        for s in children.children(of: parent) {
            guard object.sections[s].isLive, !facts.isCandidate(object.firstSection + s),
                  !object.name(of: object.sections[s]).hasPrefix(".debug") else { continue }
            object.sections[s].isLive = false
            dropUnfoldedChildren(of: s, in: object, children: children, facts: facts)
        }
    }

    /// How /verbose names a section: its COMDAT symbol (demangled) and its object. The names of
    /// an object's symbols are read once (`names` keeps them per object).
    private func sectionDisplayName(_ facts: FoldingFacts, _ global: Int, names: inout [Int: [Int32: String]]) -> String {
        let (o, s) = facts.place(global)
        let object = facts.object(o)
        if names[o] == nil { names[o] = object.sectionSymbolNames() }
        let name = names[o]?[Int32(s)] ?? object.name(of: object.sections[s]).string
        return "\(symbolDisplayName(name, machine: options.machine, demangle: options.demangle)) (\(object.displayName))"
    }
}

/// How a symbol's name marks it as a vtable: MSVC's `??_7`, or Itanium's `_ZTV`, which is
/// `__ZTV` on machines that decorate C names (x86). Parsing records the prefix
/// (`ObjectFile.vtableCandidates`); which one names a vtable is known only once the link's
/// machine is.
enum VTablePrefix {
    case microsoft, itanium, decoratedItanium

    init?(_ name: Name) {
        if name.hasPrefix("??_7") { self = .microsoft }
        else if name.hasPrefix("_ZTV") { self = .itanium }
        else if name.hasPrefix("__ZTV") { self = .decoratedItanium }
        else { return nil }
    }

    func namesVTable(decoratesCNames: Bool) -> Bool {
        switch self {
        case .microsoft: return true
        case .itanium: return !decoratesCNames
        case .decoratedItanium: return decoratesCNames
        }
    }
}

/// What folding compares of each candidate, read once (in parallel) from the objects.
struct FoldingFacts: Sendable {
    /// Candidates' global section numbers, in input order.
    let candidates: [Int32]
    /// Per candidate: a hash of everything compared exactly (name, characteristics, size,
    /// checksum, bytes, relocations and their fixed targets).
    private(set) var hashes: [UInt64]
    /// One bit per global section: set for candidates.
    private let candidateBits: [UInt64]
    /// Per candidate, from `relocationStart[c]`, what the exact comparison reads of each
    /// relocation's target: its section (global) when that is a place in a section other than a
    /// candidate, `FoldingFacts.candidateTarget` when it is a candidate, `globalTarget` for a
    /// symbol in no section, `recordTarget` for a record that names nothing the link resolved;
    /// and the place's offset, the symbol's number or the record's index (then equal only in
    /// one object). 32 bits each: a large link has millions of relocations.
    private(set) var relocationStart: [Int32]
    private(set) var targetSection: [Int32]
    private(set) var targetKey: [UInt32]
    /// Per candidate, from `dependencyStart[c]`: the candidates whose classes its own depends on,
    /// the targets of its relocations in order, then its associative sections that take part.
    /// Refinement reads only these: the other targets are compared once, as constants.
    let dependencyStart: [Int32]
    let dependencies: [Int32]
    /// Per candidate, the object it is in: the exact comparison reads the rest of its section
    /// (`InputSection`) there, rather than from a copy that would be most of folding's memory.
    private(set) var objectOf: [UInt32]
    /// Per candidate, how many associative sections take part, and (`equalsOnlyItselfBit`)
    /// whether one of them is no candidate: the section then equals no other.
    private(set) var childInfo: [UInt32]
    static let equalsOnlyItselfBit: UInt32 = 1 << 31
    /// Per candidate, the log2 of its section's alignment: not compared (the kept section of a
    /// class takes the largest), kept after the compared parts are released.
    private let alignmentLog2: [UInt8]

    func alignment(of c: Int) -> UInt32 { 1 << UInt32(alignmentLog2[c]) }

    /// Drops the hashes, once the partition has sorted by them.
    mutating func releaseHashes() { hashes = [] }

    /// Drops what only the exact comparison reads (`constantPartsEqual`): after the first
    /// classes, refinement reads the dependencies alone, and the compared parts are most of
    /// folding's memory.
    mutating func releaseComparedParts() {
        objectOf = []
        childInfo = []
        relocationStart = []
        targetSection = []
        targetKey = []
    }

    /// Each object's first byte, where its sections' places count from.
    nonisolated(unsafe) private let objectBases: [UnsafeRawPointer?]

    /// `targetSection`'s mark of a relocation to a candidate, whose class is compared instead.
    static let candidateTarget: Int32 = -2
    static let globalTarget: Int32 = -1, recordTarget: Int32 = -3
    /// Each object with candidates, and its candidates (consecutive, as candidates are in input order).
    let objectRuns: [(object: Int, candidates: Range<Int>)]
    /// Each object's first global section number (ascending), to find a section's object.
    private let firstSections: [Int]
    private let objects: [ObjectFile]

    init(resolver: SymbolResolver, candidates: [Int32], threads: Int?) {
        self.candidates = candidates
        let objects = resolver.objects
        self.objects = objects
        firstSections = objects.map(\.firstSection)
        objectBases = objects.map(\.base)
        // The candidate (index into `candidates`) of every global section, or -1; only while
        // the facts are gathered.
        var candidateOfSection = [Int32](repeating: -1, count: resolver.totalSections, threads: threads)
        let chunk = 1 << 15
        candidateOfSection.withUnsafeMutableBufferPointer { candidateOut in
            nonisolated(unsafe) let candidateOut = candidateOut
            parallelFor((candidates.count + chunk - 1) / chunk, threads: threads) { k in
                for c in k * chunk..<min(candidates.count, (k + 1) * chunk) { candidateOut[Int(candidates[c])] = Int32(c) }
            }
        }
        let candidateOf = candidateOfSection
        // One bit per section, each word made by one worker from the sections it covers.
        var bits = [UInt64](repeating: 0, count: (resolver.totalSections + 63) / 64, threads: threads)
        bits.withUnsafeMutableBufferPointer { bitsOut in
            nonisolated(unsafe) let bitsOut = bitsOut
            let wordsPerChunk = chunk / 64
            parallelFor((bitsOut.count + wordsPerChunk - 1) / wordsPerChunk, threads: threads) { k in
                for w in k * wordsPerChunk..<min(bitsOut.count, (k + 1) * wordsPerChunk) {
                    var word: UInt64 = 0
                    for global in w * 64..<min(candidateOf.count, w * 64 + 64) where candidateOf[global] >= 0 { word |= 1 << UInt64(global & 63) }
                    bitsOut[w] = word
                }
            }
        }
        candidateBits = bits
        let places = Self.symbolPlaces(resolver, candidateOf: candidateOf, threads: threads)

        // The candidates of one object are consecutive (candidates are in input order): each
        // object's are read by one worker, which writes their slots of the tables below and lists
        // their dependencies. Each object's are found by binary search, and where each
        // candidate's relocations go in the flat tables is counted per object, then summed.
        let objectCandidates = ParallelResults<Range<Int>>(count: objects.count)
        parallelFor((objects.count + 255) / 256, threads: threads) { k in
            for o in k * 256..<min(objects.count, (k + 1) * 256) {
                let object = objects[o]
                let range = candidates.firstIndex(notBelow: object.firstSection)..<candidates.firstIndex(notBelow: object.firstSection + object.sections.count)
                if !range.isEmpty { objectCandidates.set(o, range) }
            }
        }
        let runs = objects.indices.compactMap { o in objectCandidates.take(o).map { (object: o, candidates: $0) } }
        var relocationStart = [Int32](repeating: 0, count: candidates.count + 1, threads: threads)
        relocationStart.withUnsafeMutableBufferPointer { counts in
            nonisolated(unsafe) let counts = counts
            parallelFor(runs.count, threads: threads) { run in
                let object = objects[runs[run].object]
                for c in runs[run].candidates { counts[c + 1] = Int32(object.sections[Int(candidates[c]) - object.firstSection].relocationCount) }
            }
            for c in 0..<candidates.count { counts[c + 1] += counts[c] }
        }
        var hashes = [UInt64](repeating: 0, count: candidates.count, threads: threads)
        var objectOf = [UInt32](repeating: 0, count: candidates.count, threads: threads)
        var childInfo = [UInt32](repeating: 0, count: candidates.count, threads: threads)
        var alignments = [UInt8](repeating: 0, count: candidates.count, threads: threads)
        var targetSection = [Int32](repeating: -1, count: Int(relocationStart[candidates.count]), threads: threads)
        var targetKey = [UInt32](repeating: 0, count: targetSection.count, threads: threads)
        objectRuns = runs
        let dependencyLists = ParallelResults<(counts: [Int32], dependencies: [Int32])>(count: runs.count)
        let starts = relocationStart
        hashes.withUnsafeMutableBufferPointer { hashSlots in
        objectOf.withUnsafeMutableBufferPointer { objectSlots in
        childInfo.withUnsafeMutableBufferPointer { childSlots in
        alignments.withUnsafeMutableBufferPointer { alignmentSlots in
        targetSection.withUnsafeMutableBufferPointer { sectionSlots in
        targetKey.withUnsafeMutableBufferPointer { keySlots in
            nonisolated(unsafe) let hashSlots = hashSlots, objectSlots = objectSlots, childSlots = childSlots, sectionSlots = sectionSlots, keySlots = keySlots, alignmentSlots = alignmentSlots
            parallelForTakingTurns(runs.count, threads: threads) { run in
                let o = runs[run].object
                let object = objects[o]
                let children = AssociativeLists(object) { _, name in FoldingFacts.takesPart(name) }
                var dependencyCounts: [Int32] = [], dependencies: [Int32] = []
                dependencyCounts.reserveCapacity(runs[run].candidates.count)
                for c in runs[run].candidates {
                    let s = Int(candidates[c]) - object.firstSection
                    let section = object.sections[s]
                    let data = object.data(section)
                    let name = object.name(of: section)
                    objectSlots[c] = UInt32(o)
                    alignmentSlots[c] = UInt8(section.alignment.trailingZeroBitCount)
                    var hasher = FoldingHasher()
                    hasher.add(name.bytes)
                    hasher.add(UInt64(section.flags.rawValue & FoldingFacts.comparedFlags))
                    hasher.add(UInt64(section.size) << 32 | UInt64(section.checksum))
                    hasher.add(data)
                    let first = Int(starts[c])
                    let dependencyCount = dependencies.count
                    for r in 0..<section.relocationCount {
                        let relocation = object.relocation(section, r)
                        let index = Int(relocation.symbolTableIndex)
                        // `key` is hashed whole; `target` and the 32 bits of `key` it keeps compare exactly.
                        var target = FoldingFacts.recordTarget, candidate: Int32 = -1
                        var key = FoldingFacts.identity(object: o, index: index)
                        if index < object.targets.count {
                            switch object.targets[index].decoded {
                            case .global(let g):
                                let place = places[Int(g)]
                                // (A value past 32 bits, which no object's symbol has, compares as the record.)
                                if place.section >= 0, place.value <= UInt64(UInt32.max) {
                                    (target, candidate, key) = (place.section, place.candidate, place.value)
                                } else if place.section < 0 {
                                    target = FoldingFacts.globalTarget
                                    key = 1 << 62 | UInt64(UInt32(bitPattern: g))
                                }
                            case .local(let t, let value):
                                target = Int32(object.firstSection) + t
                                candidate = candidateOf[Int(target)]
                                key = UInt64(value)
                            default: break
                            }
                        }
                        if candidate >= 0 {
                            dependencies.append(candidate)
                            target = FoldingFacts.candidateTarget
                        }
                        sectionSlots[first + r] = target
                        keySlots[first + r] = UInt32(truncatingIfNeeded: key)
                        hasher.add(UInt64(relocation.type) << 32 | UInt64(relocation.virtualAddress))
                        hasher.add(key ^ UInt64(UInt32(bitPattern: target == FoldingFacts.recordTarget ? -1 : target)) &* 0x9E37_79B9_7F4A_7C15)
                    }
                    var childCount: UInt32 = 0, equalsOnlyItself: UInt32 = 0
                    for child in children.children(of: s) {
                        let candidate = candidateOf[object.firstSection + child]
                        if candidate >= 0 { dependencies.append(candidate) } else { equalsOnlyItself = FoldingFacts.equalsOnlyItselfBit }
                        childCount += 1
                    }
                    childSlots[c] = childCount | equalsOnlyItself
                    dependencyCounts.append(Int32(dependencies.count - dependencyCount))
                    hasher.add(UInt64(childCount))
                    hashSlots[c] = hasher.value
                }
                dependencyLists.set(run, (dependencyCounts, dependencies))
            }
        }
        }
        }
        }
        }
        }
        // The runs' lists side by side, each copied by one worker at its offset.
        var runOffsets = [0]
        runOffsets.reserveCapacity(runs.count + 1)
        for run in runs.indices { runOffsets.append(runOffsets[run] + dependencyLists.peek(run)!.dependencies.count) }
        var dependencyStart = [Int32](repeating: 0, count: candidates.count + 1, threads: threads)
        var dependencies = [Int32](repeating: 0, count: runOffsets[runs.count], threads: threads)
        dependencyStart.withUnsafeMutableBufferPointer { startOut in
            dependencies.withUnsafeMutableBufferPointer { dependenciesOut in
                nonisolated(unsafe) let startOut = startOut, dependenciesOut = dependenciesOut
                parallelFor(runs.count, threads: threads) { run in
                    let list = dependencyLists.take(run)!
                    var position = runOffsets[run]
                    for (i, count) in list.counts.enumerated() {
                        position += Int(count)
                        startOut[runs[run].candidates.lowerBound + i + 1] = Int32(position)
                    }
                    list.dependencies.withUnsafeBufferPointer { source in
                        if !source.isEmpty { (dependenciesOut.baseAddress! + runOffsets[run]).update(from: source.baseAddress!, count: source.count) }
                    }
                }
            }
        }
        self.hashes = hashes
        self.objectOf = objectOf
        self.childInfo = childInfo
        alignmentLog2 = alignments
        self.relocationStart = relocationStart
        self.targetSection = targetSection
        self.targetKey = targetKey
        self.dependencyStart = dependencyStart
        self.dependencies = dependencies
    }

    /// Where a global symbol leads: the section (global number) and offset of its definition, and
    /// that section's candidate, or -1.
    struct SymbolPlace {
        var section: Int32 = -1
        var candidate: Int32 = -1
        var value: UInt64 = 0
    }

    /// Every global symbol's place, side by side: reading a relocation's target then costs one
    /// memory access instead of one each for the symbol, its object and the section's candidate.
    private static func symbolPlaces(_ resolver: SymbolResolver, candidateOf: [Int32], threads: Int?) -> [SymbolPlace] {
        let objects = resolver.objects
        var places = [SymbolPlace](repeating: SymbolPlace(), count: resolver.symbols.count, threads: threads)
        let chunk = 1 << 15
        resolver.symbols.withUnsafeBufferPointer { symbols in
            places.withUnsafeMutableBufferPointer { placesOut in
                nonisolated(unsafe) let symbols = symbols, placesOut = placesOut
                parallelFor((symbols.count + chunk - 1) / chunk, threads: threads) { c in
                    for g in c * chunk..<min(symbols.count, (c + 1) * chunk) {
                        var symbol = symbols[g]
                        // Auto-imported and locally imported symbols stand for another symbol.
                        if (symbol.kind == .autoImported || symbol.kind == .localImport), symbol.member >= 0 { symbol = symbols[Int(symbol.member)] }
                        guard symbol.kind == .defined, symbol.section >= 0, symbol.file >= 0, Int(symbol.file) < objects.count else { continue }
                        let section = Int32(objects[Int(symbol.file)].firstSection) + symbol.section
                        placesOut[g] = SymbolPlace(section: section, candidate: candidateOf[Int(section)], value: symbol.value)
                    }
                }
            }
        }
        return places
    }

    /// Characteristics compared: the type and memory bits (alignment may differ; the kept
    /// section takes the largest).
    static let comparedFlags: UInt32 = 0xFE00_00E0

    /// A target that is no place in a section (an import, an absolute or undefined symbol)
    /// equals only itself: the same global symbol, or the same record of the same object.
    static func identity(object: Int, index: Int) -> UInt64 {
        2 << 62 | UInt64(UInt32(truncatingIfNeeded: object)) << 32 | UInt64(UInt32(truncatingIfNeeded: index))
    }

    /// Associative sections compared with their parent: not debug information or control-flow
    /// guard tables, which describe a function without being part of it.
    static func takesPart(_ name: Name) -> Bool {
        !(name.hasPrefix(".debug") || name.equals(".gfids$y") || name.equals(".giats$y") || name.equals(".gljmp$y"))
    }

    /// Whether a candidate's equivalence depends on other candidates' classes. (Members of one
    /// class agree on this.)
    func mayDiffer(_ c: Int) -> Bool { dependencyStart[c + 1] > dependencyStart[c] }

    func isCandidate(_ global: Int) -> Bool { candidateBits[global >> 6] & 1 << UInt64(global & 63) != 0 }

    func object(_ index: Int) -> ObjectFile { objects[index] }

    func place(_ global: Int) -> (object: Int, section: Int) {
        // The last object starting at or before `global` (one without sections starts where the
        // next does).
        var low = 0, high = firstSections.count
        while low < high {
            let middle = (low + high) / 2
            if firstSections[middle] <= global { low = middle + 1 } else { high = middle }
        }
        return (low - 1, global - firstSections[low - 1])
    }

    /// Whether candidates `a` and `b` (indices into `candidates`) are equal in everything but
    /// their targets' classes: the exact comparison behind a hash match. It checks everything
    /// the hash covers, since the partition has released the hashes by the time it calls this
    /// (on candidates whose hashes agree in the bits it sorts by).
    func constantPartsEqual(_ a: Int, _ b: Int) -> Bool {
        guard childInfo[a] == childInfo[b], childInfo[a] & FoldingFacts.equalsOnlyItselfBit == 0 else { return false }
        let ox = Int(objectOf[a]), oy = Int(objectOf[b])
        let x = objects[ox].sections[Int(candidates[a]) - firstSections[ox]]
        let y = objects[oy].sections[Int(candidates[b]) - firstSections[oy]]
        guard x.flags.rawValue & FoldingFacts.comparedFlags == y.flags.rawValue & FoldingFacts.comparedFlags,
              x.size == y.size, x.checksum == y.checksum, x.relocationCount == y.relocationCount,
              x.dataCount == y.dataCount, x.nameLength == y.nameLength,
              let xBase = objectBases[ox], let yBase = objectBases[oy],
              memcmp(xBase + x.nameOffset, yBase + y.nameOffset, x.nameLength) == 0 else { return false }
        guard x.dataCount == 0 || memcmp(xBase + x.dataOffset, yBase + y.dataOffset, x.dataCount) == 0 else { return false }
        let ra = Int(relocationStart[a]), rb = Int(relocationStart[b])
        for r in 0..<x.relocationCount {
            // A record: offset (4 bytes), symbol index (4; the targets are compared instead), type (2).
            let p = xBase + x.relocationsOffset + r * 10, q = yBase + y.relocationsOffset + r * 10
            guard p.loadUnaligned(as: UInt32.self) == q.loadUnaligned(as: UInt32.self),
                  p.loadUnaligned(fromByteOffset: 8, as: UInt16.self) == q.loadUnaligned(fromByteOffset: 8, as: UInt16.self),
                  targetSection[ra + r] == targetSection[rb + r],
                  targetKey[ra + r] == targetKey[rb + r],
                  targetSection[ra + r] != FoldingFacts.recordTarget || ox == oy else { return false }
        }
        return true
    }
}

/// The classes of equivalent candidates, refined until stable.
struct FoldingPartition {
    /// Without its compared parts once the first classes are made.
    private(set) var facts: FoldingFacts
    let threads: Int?
    /// Candidates (indices into `facts.candidates`) ordered so that each class is a run.
    private(set) var order: [Int32]
    /// The class of every candidate: the position in `order` where its class begins.
    private var classOf: [UInt32]
    /// Where each class with more than one member begins in `order`, and where it ends.
    private var openClasses: [Range<Int>] = []
    private(set) var rounds = 0

    init(facts allFacts: consuming FoldingFacts, threads: Int?) {
        self.facts = consume allFacts
        self.threads = threads
        // First by hash (then input order), then split each run of equal hashes exactly. The
        // sort is of plain numbers: the hash's top bits above the candidate's index (hashes
        // equal in those bits are told apart by the exact comparison).
        let indexBits = max(1, Int.bitWidth - (self.facts.candidates.count - 1).leadingZeroBitCount)
        let indexMask: UInt64 = (1 << UInt64(indexBits)) - 1
        var keys = self.facts.hashes.withUnsafeBufferPointer { hashes in
            nonisolated(unsafe) let hashes = hashes
            return [UInt64](count: hashes.count, threads: threads) { (hashes[$0] & ~indexMask) | UInt64($0) }
        }
        // The sort's own buffer is as large as the keys: the hashes, read only for the keys, go first.
        self.facts.releaseHashes()
        let facts = self.facts
        parallelRadixSort(&keys, threads: threads)
        order = keys.withUnsafeBufferPointer { keys in
            nonisolated(unsafe) let keys = keys
            return [Int32](count: keys.count, threads: threads) { Int32(truncatingIfNeeded: keys[$0] & indexMask) }
        }
        // Runs of equal keys, split exactly in parallel (each run is independent).
        var runs: [Range<Int>] = []
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && keys[end] & ~indexMask == keys[start] & ~indexMask { end += 1 }
            if end - start > 1 { runs.append(start..<end) }
            start = end
        }
        keys = []
        // A candidate alone in its hash is a class of its own; the runs' classes are written below.
        classOf = [UInt32](repeating: 0, count: order.count, threads: threads)
        let chunk = 1 << 15
        order.withUnsafeBufferPointer { order in
            classOf.withUnsafeMutableBufferPointer { classOut in
                nonisolated(unsafe) let order = order, classOut = classOut
                parallelFor((order.count + chunk - 1) / chunk, threads: threads) { k in
                    for position in k * chunk..<min(order.count, (k + 1) * chunk) { classOut[Int(order[position])] = UInt32(position) }
                }
            }
        }
        // Each member of a run is first compared with the run's first member, in input order:
        // the members' bytes are then read front to back through the inputs, and only the
        // first members' are read out of order (a run's members are scattered over the inputs).
        var firstOfRun = [Int32](repeating: -1, count: order.count, threads: threads)
        order.withUnsafeBufferPointer { order in
            firstOfRun.withUnsafeMutableBufferPointer { firstOut in
                nonisolated(unsafe) let order = order, firstOut = firstOut
                let runChunk = 1 << 12
                parallelFor((runs.count + runChunk - 1) / runChunk, threads: threads) { k in
                    for run in runs[k * runChunk..<min(runs.count, (k + 1) * runChunk)] {
                        for position in run.dropFirst() { firstOut[Int(order[position])] = order[run.lowerBound] }
                    }
                }
            }
        }
        var equalsFirst = [Bool](repeating: false, count: order.count, threads: threads)
        firstOfRun.withUnsafeBufferPointer { firstOfRun in
            equalsFirst.withUnsafeMutableBufferPointer { equalsFirst in
                nonisolated(unsafe) let firstOfRun = firstOfRun, equalsFirst = equalsFirst
                let compareChunk = 1 << 12
                parallelFor((firstOfRun.count + compareChunk - 1) / compareChunk, threads: threads) { k in
                    for m in k * compareChunk..<min(firstOfRun.count, (k + 1) * compareChunk) where firstOfRun[m] >= 0 {
                        equalsFirst[m] = facts.constantPartsEqual(Int(firstOfRun[m]), m)
                    }
                }
            }
        }
        let results = ParallelResults<[(range: Range<Int>, members: [Int32])]>(count: runs.count)
        let sorted = order
        let isEqualToFirst = equalsFirst
        classOf.withUnsafeMutableBufferPointer { classOut in
        nonisolated(unsafe) let classOut = classOut
        parallelFor(runs.count, threads: threads) { k in
            let run = sorted[runs[k]]
            // Usually the whole run is one class: then it stays where it is, and no result is set.
            if run.dropFirst().allSatisfy({ isEqualToFirst[Int($0)] }) {
                for m in run { classOut[Int(m)] = UInt32(runs[k].lowerBound) }
                return
            }
            var equal: [Int32] = [run.first!], rest: [Int32] = []
            for m in run.dropFirst() {
                if isEqualToFirst[Int(m)] { equal.append(m) } else { rest.append(m) }
            }
            var pieces: [(range: Range<Int>, members: [Int32])] = [(runs[k].lowerBound..<runs[k].lowerBound + equal.count, equal)]
            var begin = runs[k].lowerBound + equal.count
            while !rest.isEmpty {
                // Stable partition: the members equal to the first, then the rest.
                let first = Int(rest[0])
                var equal: [Int32] = [rest[0]], other: [Int32] = []
                for m in rest.dropFirst() {
                    if facts.constantPartsEqual(first, Int(m)) { equal.append(m) } else { other.append(m) }
                }
                pieces.append((begin..<begin + equal.count, equal))
                begin += equal.count
                rest = other
            }
            results.set(k, pieces)
        }
        }
        Self.apply(results, count: runs.count, order: &order, classOf: &classOf, threads: threads)
        // A class whose members refer to no other candidate and have no associative sections can
        // never split: refinement leaves it out.
        for k in runs.indices {
            guard let pieces = results.take(k) else {
                if facts.mayDiffer(Int(order[runs[k].lowerBound])) { openClasses.append(runs[k]) }
                continue
            }
            for piece in pieces where piece.range.count > 1 && facts.mayDiffer(Int(piece.members[0])) { openClasses.append(piece.range) }
        }
        self.facts.releaseComparedParts()
    }

    /// Writes new classes into `order` and `classOf`, in parallel: each class's pieces cover its
    /// own range of `order` and its own members' entries of `classOf`, so no two writers meet.
    private static func apply(_ results: ParallelResults<[(range: Range<Int>, members: [Int32])]>, count: Int,
                              order: inout [Int32], classOf: inout [UInt32], threads: Int?) {
        order.withUnsafeMutableBufferPointer { orderOut in
            classOf.withUnsafeMutableBufferPointer { classOut in
                nonisolated(unsafe) let orderOut = orderOut, classOut = classOut
                parallelFor(count, threads: threads) { k in
                    guard let pieces = results.peek(k) else { return }
                    for piece in pieces {
                        var position = piece.range.lowerBound
                        for m in piece.members {
                            orderOut[position] = m
                            position += 1
                            classOut[Int(m)] = UInt32(piece.range.lowerBound)
                        }
                    }
                }
            }
        }
    }

    /// Classes of at least this many members take a turn of refinement each.
    static let largeClass = 1 << 10

    /// Splits classes whose members' targets or associative sections fall in different classes,
    /// until none splits. Classes are split in parallel; each round reads the last round's
    /// classes and writes only its own members, so the rounds are deterministic.
    /// After the first round, a class is looked at again only if one of its members depends on a
    /// candidate that moved to a new class in the last round: the others' dependencies are in the
    /// classes they were found equivalent in (a class that splits keeps its number for its first
    /// piece, so only the members of the other pieces move).
    mutating func refine() {
        var moved = [Bool](repeating: true, count: classOf.count, threads: threads)
        while !openClasses.isEmpty {
            rounds += 1
            let facts = self.facts
            let classes = openClasses
            let results = ParallelResults<[(range: Range<Int>, members: [Int32])]>(count: classes.count)
            // The round reads the last round's classes only; they are written once every class is split.
            order.withUnsafeBufferPointer { order in
            classOf.withUnsafeBufferPointer { current in
            moved.withUnsafeBufferPointer { moved in
            nonisolated(unsafe) let order = order, current = current, moved = moved
            // One class can hold a third of a round's members: classes of many members are taken
            // one per turn, largest first, and then the others in stretches of consecutive
            // classes (a turn per class of a few members cost more in taking turns than in work).
            var large = classes.indices.filter { classes[$0].count >= FoldingPartition.largeClass }
            large.sort { classes[$0].count != classes[$1].count ? classes[$0].count > classes[$1].count : $0 < $1 }
            let largeCount = large.count, stretchOfSmall = 256
            let turnCount = largeCount + (classes.count + stretchOfSmall - 1) / stretchOfSmall
            func refineClass(_ k: Int) {
                // A class none of whose members depends on a moved candidate cannot split: it
                // gets no result and stays as it is (`apply` leaves it, and it stays open).
                let range = classes[k]
                guard order[range].contains(where: { m in
                    (Int(facts.dependencyStart[Int(m)])..<Int(facts.dependencyStart[Int(m) + 1])).contains { moved[Int(facts.dependencies[$0])] }
                }) else { return }
                // Usually the class does not split either: every member's targets are in the
                // classes of its first member's. Then it stays as it is, with nothing allocated.
                let first = Int(order[range.lowerBound])
                if order[range].dropFirst().allSatisfy({ FoldingPartition.targetsEquivalent(first, Int($0), facts: facts, classOf: current) }) {
                    return
                }
                // Members by the hash of their targets' classes (then their place in the class,
                // which is input order), so that a large class splitting into many is sorted once
                // rather than scanned per piece; members of equal hashes are then compared
                // exactly. The sort is of plain numbers: the hash's top bits above the place.
                let indexBits = max(1, Int.bitWidth - (range.count - 1).leadingZeroBitCount)
                let indexMask: UInt64 = (1 << UInt64(indexBits)) - 1
                var keys = [UInt64](repeating: 0, count: range.count)
                for i in 0..<range.count {
                    keys[i] = FoldingPartition.targetClassHash(Int(order[range.lowerBound + i]), facts: facts, classOf: current) & ~indexMask | UInt64(i)
                }
                radixSort(&keys)
                var pieces: [(range: Range<Int>, members: [Int32])] = []
                var begin = range.lowerBound
                var runStart = 0
                while runStart < keys.count {
                    var runEnd = runStart + 1
                    while runEnd < keys.count && keys[runEnd] & ~indexMask == keys[runStart] & ~indexMask { runEnd += 1 }
                    var rest = keys[runStart..<runEnd].map { order[range.lowerBound + Int($0 & indexMask)] }
                    while !rest.isEmpty {
                        let first = Int(rest[0])
                        var equal: [Int32] = [rest[0]], other: [Int32] = []
                        for m in rest.dropFirst() {
                            if FoldingPartition.targetsEquivalent(first, Int(m), facts: facts, classOf: current) { equal.append(m) } else { other.append(m) }
                        }
                        pieces.append((begin..<begin + equal.count, equal))
                        begin += equal.count
                        rest = other
                    }
                    runStart = runEnd
                }
                results.set(k, pieces)
            }
            parallelForTakingTurns(turnCount, threads: threads) { turn in
                if turn < largeCount {
                    refineClass(large[turn])
                    return
                }
                let stretch = turn - largeCount
                for k in stretch * stretchOfSmall..<min(classes.count, (stretch + 1) * stretchOfSmall)
                where classes[k].count < FoldingPartition.largeClass {
                    refineClass(k)
                }
            }
            }
            }
            }
            Self.apply(results, count: classes.count, order: &order, classOf: &classOf, threads: threads)
            // The classes still open and the members that moved, found (and the pieces freed) by
            // every worker, a stretch of classes each; the stretches' lists join in order.
            let stretch = 1 << 10
            let stretchCount = (classes.count + stretch - 1) / stretch
            let stillOpen = ParallelResults<(classes: [Range<Int>], split: Bool)>(count: stretchCount)
            moved.withUnsafeMutableBufferPointer { movedOut in
                movedOut.update(repeating: false)
                nonisolated(unsafe) let movedOut = movedOut
                parallelFor(stretchCount, threads: threads) { t in
                    var next: [Range<Int>] = []
                    var split = false
                    for k in t * stretch..<min(classes.count, (t + 1) * stretch) {
                        guard let pieces = results.take(k) else {
                            next.append(classes[k])
                            continue
                        }
                        if pieces.count > 1 {
                            split = true
                            for piece in pieces.dropFirst() { for m in piece.members { movedOut[Int(m)] = true } }
                        }
                        for piece in pieces where piece.range.count > 1 { next.append(piece.range) }
                    }
                    stillOpen.set(t, (next, split))
                }
            }
            var next: [Range<Int>] = []
            var split = false
            for t in 0..<stretchCount {
                let (classes, didSplit) = stillOpen.take(t)!
                next += classes
                split = split || didSplit
            }
            openClasses = split ? next : []
        }
    }

    /// A hash of the classes of a candidate's relocation targets and associative sections: equal
    /// for candidates `targetsEquivalent` finds equal.
    static func targetClassHash(_ a: Int, facts: FoldingFacts, classOf: UnsafeBufferPointer<UInt32>) -> UInt64 {
        var hasher = FoldingHasher()
        for d in Int(facts.dependencyStart[a])..<Int(facts.dependencyStart[a + 1]) { hasher.add(UInt64(classOf[Int(facts.dependencies[d])])) }
        return hasher.value
    }

    /// Whether two candidates of one class have their relocation targets and associative
    /// sections in the same classes.
    static func targetsEquivalent(_ a: Int, _ b: Int, facts: FoldingFacts, classOf: UnsafeBufferPointer<UInt32>) -> Bool {
        let da = Int(facts.dependencyStart[a]), db = Int(facts.dependencyStart[b])
        for i in 0..<(Int(facts.dependencyStart[a + 1]) - da) {
            let x = Int(facts.dependencies[da + i]), y = Int(facts.dependencies[db + i])
            if x != y && classOf[x] != classOf[y] { return false }
        }
        return true
    }

    /// The classes of more than one member, as ranges of `order`, in input order of their first
    /// members (the order /verbose lists them in). A class's members are in input order in
    /// `order` (every split keeps their order), so the first is the kept one.
    func groups() -> [Range<Int>] {
        // Each class as its first member above where it begins, sorted as plain numbers. A
        // place begins a class when its member's class is that place; each worker finds the
        // classes that begin in its own stretch of places.
        let count = order.count
        let stretch = 1 << 16
        let stretches = (count + stretch - 1) / stretch
        let found = ParallelResults<[UInt64]>(count: stretches)
        order.withUnsafeBufferPointer { order in
            classOf.withUnsafeBufferPointer { classOf in
                nonisolated(unsafe) let order = order, classOf = classOf
                parallelFor(stretches, threads: threads) { k in
                    var keys: [UInt64] = []
                    for start in k * stretch..<min(count, (k + 1) * stretch) where classOf[Int(order[start])] == UInt32(start) {
                        if start + 1 < count && classOf[Int(order[start + 1])] == UInt32(start) {
                            keys.append(UInt64(UInt32(bitPattern: order[start])) << 32 | UInt64(start))
                        }
                    }
                    found.set(k, keys)
                }
            }
        }
        var keys: [UInt64] = []
        for k in 0..<stretches { keys += found.take(k)! }
        radixSort(&keys)
        let sorted = keys
        return order.withUnsafeBufferPointer { order in
            classOf.withUnsafeBufferPointer { classOf in
                nonisolated(unsafe) let order = order, classOf = classOf
                return [Range<Int>](count: sorted.count, threads: threads) { k in
                    let begin = Int(sorted[k] & 0xFFFF_FFFF)
                    var end = begin + 1
                    while end < count && classOf[Int(order[end])] == UInt32(begin) { end += 1 }
                    return begin..<end
                }
            }
        }
    }
}

/// A 64-bit hash fed with words and byte runs; the same on every machine and thread count.
struct FoldingHasher {
    private(set) var value: UInt64 = 0x243F_6A88_85A3_08D3

    mutating func add(_ word: UInt64) {
        value = (value ^ word) &* 0x9E37_79B9_7F4A_7C15
        value ^= value >> 29
    }

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var i = 0
        while i + 8 <= bytes.count {
            add(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
            i += 8
        }
        var tail: UInt64 = UInt64(bytes.count) << 56
        var shift: UInt64 = 0
        while i < bytes.count {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        add(tail)
    }
}

/// An object's associative sections by the section they follow, those `include` accepts, each
/// list in section order: the first child of each section, and each child's next.
struct AssociativeLists {
    private var first: [Int32]
    private var next: [Int32]

    init(_ object: ObjectFile, include: (InputSection, Name) -> Bool) {
        first = [Int32](repeating: -1, count: object.sections.count)
        next = first
        // Built backwards, so that each list ends up in section order.
        for k in object.sections.indices.reversed() {
            let child = object.sections[k]
            guard child.associatedWith >= 0, Int(child.associatedWith) < object.sections.count,
                  include(child, object.name(of: child)) else { continue }
            next[k] = first[Int(child.associatedWith)]
            first[Int(child.associatedWith)] = Int32(k)
        }
    }

    /// The children of section `parent` (indices in the object).
    func children(of parent: Int) -> Children { Children(lists: self, current: first[parent]) }

    struct Children: Sequence, IteratorProtocol {
        let lists: AssociativeLists
        var current: Int32
        mutating func next() -> Int? {
            guard current >= 0 else { return nil }
            defer { current = lists.next[Int(current)] }
            return Int(current)
        }
    }
}

private extension Array where Element == Int32 {
    /// The first index whose element is not below `value`, in ascending elements.
    func firstIndex(notBelow value: Int) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if Int(self[middle]) < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
