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
        let facts = FoldingFacts(resolver: resolver, candidates: candidates, threads: options.threads)
        watch.lap("facts")
        var partition = FoldingPartition(facts: facts, sectionCount: resolver.totalSections, threads: options.threads)
        watch.lap("first classes")
        partition.refine()
        watch.lap("\(partition.rounds) rounds of refinement")

        var foldedCount = 0
        var verboseNames: [Int: [Int32: String]] = [:]
        // Section indices of each object's folded sections; they are removed object by object
        // in parallel below, with the associative sections that go with them.
        var foldedInObject = [[Int32]](repeating: [], count: objects.count)
        for group in partition.groups() {
            let leader = Int(facts.candidates[Int(group[0])])
            if options.verbose { diagnostics.note("Selected \(sectionDisplayName(facts, leader, names: &verboseNames))") }
            // The kept section takes the largest alignment of its class.
            var alignment = facts.shapes[Int(group[0])].alignment
            for member in group.dropFirst() {
                let m = Int(facts.candidates[Int(member)])
                if options.verbose { diagnostics.note("  Removed \(sectionDisplayName(facts, m, names: &verboseNames))") }
                let (object, section) = facts.place(m)
                alignment = max(alignment, facts.shapes[Int(member)].alignment)
                foldedSections.append((section: Int32(m), into: Int32(leader)))
                foldedInObject[object].append(Int32(section))
                foldedCount += 1
            }
            if alignment > facts.shapes[Int(group[0])].alignment {
                let (leaderObject, leaderSection) = facts.place(leader)
                objects[leaderObject].sections[leaderSection].raiseAlignment(to: Int(alignment))
            }
        }
        let objectsWithFolds = foldedInObject.indices.filter { !foldedInObject[$0].isEmpty }
        let finalPartition = partition
        parallelFor(objectsWithFolds.count, threads: options.threads) { k in
            let o = objectsWithFolds[k]
            let object = objects[o]
            for section in foldedInObject[o] { object.sections[Int(section)].isLive = false }
            guard object.sections.contains(where: { $0.associatedWith >= 0 }) else { return }
            let children = linker.associativeChildren(object)
            for section in foldedInObject[o] {
                linker.dropUnfoldedChildren(of: Int(section), in: object, children: children, partition: finalPartition)
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
        let name = object.name(of: section)
        if name.equals(".pdata") || name.equals(".xdata") || name.hasPrefix(".pdata$") || name.hasPrefix(".xdata$") { return true }
        let global = object.firstSection + sectionIndex
        guard addressSignificant[global] else { return true }
        // A vtable's address is never compared: fold it even when its symbol is significant.
        if vtables == nil { vtables = vtableSections(object) }
        return vtables?.contains(Int32(sectionIndex)) ?? false
    }

    /// The sections of an object named by a vtable symbol (`??_7`, Itanium's `_ZTV`), read
    /// from the names in place.
    private func vtableSections(_ object: ObjectFile) -> Set<Int32> {
        var sections = Set<Int32>()
        var named = Set<Int32>()
        var i = 0
        while i < object.coff.symbolCount {
            let record = object.coff.symbol(i)
            // Vtables are read-only COMDAT data: no other section's symbols need their names read.
            if record.storageClass == StorageClass.external, record.sectionNumber > 0, Int(record.sectionNumber) <= object.sections.count,
               object.sections[Int(record.sectionNumber) - 1].isComdat, !object.sections[Int(record.sectionNumber) - 1].flags.contains(.memExecute),
               named.insert(record.sectionNumber - 1).inserted {
                let name = object.checkedSymbolName(Int32(i))
                // Itanium's prefix takes the C decoration of the machine (`__ZTV` on x86).
                if name.hasPrefix("??_7") || (target.decoratesCNames ? name.hasPrefix("__ZTV") : name.hasPrefix("_ZTV")) {
                    sections.insert(record.sectionNumber - 1)
                }
            }
            i += 1 + record.auxiliaryCount
        }
        return sections
    }

    /// Sections whose address a program may observe: those of exported symbols, of the symbols
    /// an object's .llvm_addrsig lists, and every section of an object without that table.
    private func addressSignificantSections(_ resolver: SymbolResolver, exports: [ExportEntry]) -> (sections: [Bool], errors: [String]) {
        var significant = [Bool](repeating: false, count: resolver.totalSections)
        var errors: [String] = []
        let objects = resolver.objects
        func mark(_ g: Int) {
            let symbol = resolver.symbols[g]
            guard symbol.kind == .defined, symbol.section >= 0, symbol.file >= 0, Int(symbol.file) < objects.count else { return }
            significant[objects[Int(symbol.file)].firstSection + Int(symbol.section)] = true
        }
        for export in exports where export.symbol >= 0 { mark(Int(export.symbol)) }
        for object in objects {
            guard let table = object.sections.firstIndex(where: { object.name(of: $0).equals(".llvm_addrsig") }) else {
                for s in object.sections.indices { significant[object.firstSection + s] = true }
                continue
            }
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
                    errors.append("\(object.displayName): at offset 0x\(String(tableOffset + start, radix: 16)): section .llvm_addrsig (the address-significance table) holds \(what); the object is damaged, rebuild it (or link with /opt:noicf)")
                    break
                }
                switch object.targets[index].decoded {
                case .global(let g): mark(Int(g))
                case .local(let s, _): significant[object.firstSection + Int(s)] = true
                default: break
                }
            }
        }
        return (significant, errors)
    }

    /// Associative sections of a folded section go with it, unless they are folded themselves
    /// or are debug information (which describes the kept copy's address as well).
    private func dropUnfoldedChildren(of parent: Int, in object: ObjectFile, children: [Int32: [Int32]], partition: FoldingPartition) {
        for child in children[Int32(parent)] ?? [] {
            let s = Int(child)
            guard object.sections[s].isLive, !partition.isCandidate(object.firstSection + s),
                  !object.name(of: object.sections[s]).hasPrefix(".debug") else { continue }
            object.sections[s].isLive = false
            dropUnfoldedChildren(of: s, in: object, children: children, partition: partition)
        }
    }

    /// An object's associative sections by the section they follow (indices in the object).
    private func associativeChildren(_ object: ObjectFile) -> [Int32: [Int32]] {
        var children: [Int32: [Int32]] = [:]
        for (s, section) in object.sections.enumerated() where section.associatedWith >= 0 {
            children[section.associatedWith, default: []].append(Int32(s))
        }
        return children
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

/// What folding compares of each candidate, read once (in parallel) from the objects.
struct FoldingFacts: Sendable {
    /// Candidates' global section numbers, in input order.
    let candidates: [Int32]
    /// Per candidate: a hash of everything compared exactly (name, characteristics, size,
    /// checksum, bytes, relocations and their fixed targets).
    let hashes: [UInt64]
    /// Per candidate, from `relocationStart[c]`: each relocation's target section (global) when
    /// it is a place in a section, else -1; and the place's offset, or the target's identity.
    let relocationStart: [Int32]
    let targetSection: [Int32]
    let targetKey: [UInt64]
    /// Per candidate, from `childStart[c]`: its associative sections that take part.
    let childStart: [Int32]
    let children: [Int32]
    /// Per candidate, what the exact comparison reads, side by side: comparing two candidates
    /// then costs one memory access for these instead of one per object, section table and
    /// section (the candidates of a hash run are scattered over the inputs).
    let shapes: [CandidateShape]

    struct CandidateShape: @unchecked Sendable {
        var data: UnsafeRawPointer? = nil
        var relocations: UnsafeRawPointer? = nil
        var name = Name(UnsafeRawBufferPointer(start: nil, count: 0))
        var dataCount: UInt32 = 0
        var size: UInt32 = 0
        var comparedFlags: UInt32 = 0
        var checksum: UInt32 = 0
        var relocationCount: UInt32 = 0
        /// Not compared: the kept section of a class takes the largest.
        var alignment: UInt32 = 0
    }
    /// The object and section index of every global section number.
    private let objectOfSection: [Int32]
    private let objects: [ObjectFile]

    init(resolver: SymbolResolver, candidates: [Int32], threads: Int?) {
        self.candidates = candidates
        let objects = resolver.objects
        self.objects = objects
        var objectOf = [Int32](repeating: 0, count: resolver.totalSections)
        for (o, object) in objects.enumerated() {
            for s in object.sections.indices { objectOf[object.firstSection + s] = Int32(o) }
        }
        objectOfSection = objectOf
        let symbols = resolver.symbols

        // Where each candidate's relocations go in the flat tables (candidates are in input
        // order, so this reads the section tables front to back).
        var relocationStart = [Int32](repeating: 0, count: candidates.count + 1)
        for (c, global) in candidates.enumerated() {
            let o = Int(objectOf[Int(global)])
            relocationStart[c + 1] = relocationStart[c] + Int32(objects[o].sections[Int(global) - objects[o].firstSection].relocationCount)
        }
        var hashes = [UInt64](repeating: 0, count: candidates.count)
        var shapes = [CandidateShape](repeating: CandidateShape(), count: candidates.count)
        var targetSection = [Int32](repeating: -1, count: Int(relocationStart[candidates.count]))
        var targetKey = [UInt64](repeating: 0, count: targetSection.count)

        // The candidates of one object are consecutive: each object's are read by one worker,
        // which writes their slots of the tables above and lists their children.
        var objectRuns: [Range<Int>] = []
        var runStart = 0
        for c in 1...candidates.count where c == candidates.count || objectOf[Int(candidates[c])] != objectOf[Int(candidates[runStart])] {
            objectRuns.append(runStart..<c)
            runStart = c
        }
        let childLists = ParallelResults<(counts: [Int32], children: [Int32])>(count: objectRuns.count)
        let starts = relocationStart
        hashes.withUnsafeMutableBufferPointer { hashSlots in
        shapes.withUnsafeMutableBufferPointer { shapeSlots in
        targetSection.withUnsafeMutableBufferPointer { sectionSlots in
        targetKey.withUnsafeMutableBufferPointer { keySlots in
            nonisolated(unsafe) let hashSlots = hashSlots, shapeSlots = shapeSlots, sectionSlots = sectionSlots, keySlots = keySlots
            parallelFor(objectRuns.count, threads: threads) { run in
                let o = Int(objectOf[Int(candidates[objectRuns[run].lowerBound])])
                let object = objects[o]
                // The object's associative sections that take part, as a list per parent in section
                // order (built backwards): the first child of each section, and each one's next.
                var firstChild = [Int32](repeating: -1, count: object.sections.count)
                var nextChild = [Int32](repeating: -1, count: object.sections.count)
                for k in object.sections.indices.reversed() {
                    let child = object.sections[k]
                    guard child.associatedWith >= 0, Int(child.associatedWith) < object.sections.count,
                          FoldingFacts.takesPart(object.name(of: child)) else { continue }
                    nextChild[k] = firstChild[Int(child.associatedWith)]
                    firstChild[Int(child.associatedWith)] = Int32(k)
                }
                var childCounts: [Int32] = [], children: [Int32] = []
                childCounts.reserveCapacity(objectRuns[run].count)
                for c in objectRuns[run] {
                    let s = Int(candidates[c]) - object.firstSection
                    let section = object.sections[s]
                    let data = object.data(section)
                    let name = object.name(of: section)
                    shapeSlots[c] = CandidateShape(data: data.baseAddress, relocations: section.relocationCount == 0 ? nil : object.base.map { $0 + section.relocationsOffset },
                                                   name: name, dataCount: UInt32(data.count), size: UInt32(section.size),
                                                   comparedFlags: section.flags.rawValue & FoldingFacts.comparedFlags, checksum: section.checksum,
                                                   relocationCount: UInt32(section.relocationCount), alignment: UInt32(section.alignment))
                    var hasher = FoldingHasher()
                    hasher.add(name.bytes)
                    hasher.add(UInt64(section.flags.rawValue & FoldingFacts.comparedFlags))
                    hasher.add(UInt64(section.size) << 32 | UInt64(section.checksum))
                    hasher.add(data)
                    let first = Int(starts[c])
                    for r in 0..<section.relocationCount {
                        let relocation = object.relocation(section, r)
                        let index = Int(relocation.symbolTableIndex)
                        var target: Int32 = -1
                        var key = FoldingFacts.identity(object: o, index: index)
                        if index < object.targets.count {
                            switch object.targets[index].decoded {
                            case .global(let g):
                                var symbol = symbols[Int(g)]
                                if (symbol.kind == .autoImported || symbol.kind == .localImport), symbol.member >= 0 { symbol = symbols[Int(symbol.member)] }
                                if symbol.kind == .defined, symbol.section >= 0, symbol.file >= 0, Int(symbol.file) < objects.count {
                                    target = Int32(objects[Int(symbol.file)].firstSection) + symbol.section
                                    key = symbol.value
                                } else {
                                    key = 1 << 62 | UInt64(UInt32(bitPattern: g))
                                }
                            case .local(let t, let value):
                                target = Int32(object.firstSection) + t
                                key = UInt64(value)
                            default: break
                            }
                        }
                        sectionSlots[first + r] = target
                        keySlots[first + r] = key
                        hasher.add(UInt64(relocation.type) << 32 | UInt64(relocation.virtualAddress))
                        hasher.add(target >= 0 ? key : key ^ 0x5555_5555_5555_5555)
                    }
                    var childCount: Int32 = 0
                    var child = firstChild[s]
                    while child >= 0 {
                        children.append(Int32(object.firstSection) + child)
                        childCount += 1
                        child = nextChild[Int(child)]
                    }
                    childCounts.append(childCount)
                    hasher.add(UInt64(childCount))
                    hashSlots[c] = hasher.value
                }
                childLists.set(run, (childCounts, children))
            }
        }
        }
        }
        }
        var childStart: [Int32] = [0], children: [Int32] = []
        childStart.reserveCapacity(candidates.count + 1)
        for run in objectRuns.indices {
            let list = childLists.take(run)!
            children += list.children
            for count in list.counts { childStart.append(childStart.last! + count) }
        }
        self.hashes = hashes
        self.shapes = shapes
        self.relocationStart = relocationStart
        self.targetSection = targetSection
        self.targetKey = targetKey
        self.childStart = childStart
        self.children = children
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

    /// Whether a candidate's equivalence depends on other sections' classes: it has a relocation
    /// to a place in a section, or associative sections. (Members of one class agree on this.)
    func mayDiffer(_ c: Int) -> Bool {
        if childStart[c + 1] > childStart[c] { return true }
        for r in Int(relocationStart[c])..<Int(relocationStart[c + 1]) where targetSection[r] >= 0 { return true }
        return false
    }

    func object(_ index: Int) -> ObjectFile { objects[index] }

    func place(_ global: Int) -> (object: Int, section: Int) {
        let o = Int(objectOfSection[global])
        return (o, global - objects[o].firstSection)
    }

    /// Whether candidates `a` and `b` (indices into `candidates`) are equal in everything but
    /// their targets' classes: the exact comparison behind a hash match.
    func constantPartsEqual(_ a: Int, _ b: Int) -> Bool {
        guard hashes[a] == hashes[b] else { return false }
        let x = shapes[a], y = shapes[b]
        guard x.comparedFlags == y.comparedFlags, x.size == y.size, x.checksum == y.checksum,
              x.relocationCount == y.relocationCount, x.dataCount == y.dataCount,
              childStart[a + 1] - childStart[a] == childStart[b + 1] - childStart[b],
              x.name.equals(y.name) else { return false }
        guard x.dataCount == 0 || memcmp(x.data!, y.data!, Int(x.dataCount)) == 0 else { return false }
        let ra = Int(relocationStart[a]), rb = Int(relocationStart[b])
        for r in 0..<Int(x.relocationCount) {
            // A record: offset (4 bytes), symbol index (4; the targets are compared instead), type (2).
            let p = x.relocations! + r * 10, q = y.relocations! + r * 10
            guard p.loadUnaligned(as: UInt32.self) == q.loadUnaligned(as: UInt32.self),
                  p.loadUnaligned(fromByteOffset: 8, as: UInt16.self) == q.loadUnaligned(fromByteOffset: 8, as: UInt16.self),
                  (targetSection[ra + r] >= 0) == (targetSection[rb + r] >= 0),
                  targetKey[ra + r] == targetKey[rb + r] else { return false }
        }
        return true
    }
}

/// The classes of equivalent candidates, refined until stable.
struct FoldingPartition {
    let facts: FoldingFacts
    let threads: Int?
    /// Candidates (indices into `facts.candidates`) ordered so that each class is a run.
    private(set) var order: [Int32]
    /// The class of every global section: a candidate's is the position in `order` where its
    /// class begins; any other section's is its own number with the top bit set.
    private var classOf: [UInt64]
    /// Where each class with more than one member begins in `order`, and where it ends.
    private var openClasses: [Range<Int>] = []
    private(set) var rounds = 0

    init(facts: FoldingFacts, sectionCount: Int, threads: Int?) {
        self.facts = facts
        self.threads = threads
        classOf = (0..<sectionCount).map { UInt64($0) | 1 << 63 }
        // First by hash (then input order), then split each run of equal hashes exactly. The
        // sort is of plain numbers: the hash's top bits above the candidate's index (hashes
        // equal in those bits are told apart by the exact comparison).
        let indexBits = max(1, Int.bitWidth - (facts.candidates.count - 1).leadingZeroBitCount)
        let indexMask: UInt64 = (1 << UInt64(indexBits)) - 1
        var keys = facts.hashes.enumerated().map { ($0.element & ~indexMask) | UInt64($0.offset) }
        radixSort(&keys)
        order = keys.map { Int32(truncatingIfNeeded: $0 & indexMask) }
        // Runs of equal keys, split exactly in parallel (each run is independent).
        var runs: [Range<Int>] = []
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && keys[end] & ~indexMask == keys[start] & ~indexMask { end += 1 }
            if end - start > 1 { runs.append(start..<end) }
            start = end
        }
        let results = ParallelResults<[(range: Range<Int>, members: [Int32])]>(count: runs.count)
        let sorted = order
        parallelFor(runs.count, threads: threads) { k in
            let run = sorted[runs[k]]
            // Usually the whole run is one class: then it stays as it is.
            if run.dropFirst().allSatisfy({ facts.constantPartsEqual(Int(run.first!), Int($0)) }) {
                results.set(k, [(runs[k], Array(run))])
                return
            }
            var rest = Array(run)
            var begin = runs[k].lowerBound
            var pieces: [(range: Range<Int>, members: [Int32])] = []
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
        Self.apply(results, count: runs.count, order: &order, classOf: &classOf, facts: facts, threads: threads)
        for k in runs.indices {
            let pieces = results.take(k)!
            for piece in pieces {
                // A class whose members refer to no section and have no associative sections
                // can never split: refinement leaves it out.
                if piece.range.count > 1 && facts.mayDiffer(Int(piece.members[0])) { openClasses.append(piece.range) }
            }
        }
        // A candidate alone in its hash is a class of its own.
        let candidates = facts.candidates
        order.withUnsafeBufferPointer { order in
            classOf.withUnsafeMutableBufferPointer { classOf in
                for (position, m) in order.enumerated() where classOf[Int(candidates[Int(m)])] & 1 << 63 != 0 {
                    classOf[Int(candidates[Int(m)])] = UInt64(position)
                }
            }
        }
    }

    /// Writes new classes into `order` and `classOf`, in parallel: each class's pieces cover its
    /// own range of `order` and its own members' entries of `classOf`, so no two writers meet.
    private static func apply(_ results: ParallelResults<[(range: Range<Int>, members: [Int32])]>, count: Int,
                              order: inout [Int32], classOf: inout [UInt64], facts: FoldingFacts, threads: Int?) {
        let candidates = facts.candidates
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
                            classOut[Int(candidates[Int(m)])] = UInt64(piece.range.lowerBound)
                        }
                    }
                }
            }
        }
    }

    /// A candidate's class is a position in `order`; any other section's has the top bit set.
    func isCandidate(_ global: Int) -> Bool { classOf[global] & 1 << 63 == 0 }

    /// Splits classes whose members' targets or associative sections fall in different classes,
    /// until none splits. Classes are split in parallel; each round reads the last round's
    /// classes and writes only its own members, so the rounds are deterministic.
    mutating func refine() {
        while !openClasses.isEmpty {
            rounds += 1
            let facts = self.facts
            let classes = openClasses
            let results = ParallelResults<[(range: Range<Int>, members: [Int32])]>(count: classes.count)
            // The round reads the last round's classes only; they are written once every class is split.
            order.withUnsafeBufferPointer { order in
            classOf.withUnsafeBufferPointer { current in
            nonisolated(unsafe) let order = order, current = current
            parallelFor(classes.count, threads: threads) { k in
                // Members by the hash of their targets' classes (then input order), so that a
                // large class splitting into many is sorted once rather than scanned per piece;
                // members of equal hashes are then compared exactly.
                var members: [(key: UInt64, member: Int32)] = []
                members.reserveCapacity(classes[k].count)
                for position in classes[k] {
                    let m = order[position]
                    members.append((FoldingPartition.targetClassHash(Int(m), facts: facts, classOf: current), m))
                }
                members.sort { $0.key != $1.key ? $0.key < $1.key : $0.member < $1.member }
                var pieces: [(range: Range<Int>, members: [Int32])] = []
                var begin = classes[k].lowerBound
                var runStart = 0
                while runStart < members.count {
                    var runEnd = runStart + 1
                    while runEnd < members.count && members[runEnd].key == members[runStart].key { runEnd += 1 }
                    var rest = members[runStart..<runEnd].map(\.member)
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
            }
            }
            Self.apply(results, count: classes.count, order: &order, classOf: &classOf, facts: facts, threads: threads)
            var next: [Range<Int>] = []
            var split = false
            for k in classes.indices {
                let pieces = results.take(k)!
                if pieces.count > 1 { split = true }
                for piece in pieces where piece.range.count > 1 { next.append(piece.range) }
            }
            openClasses = split ? next : []
        }
    }

    /// A hash of the classes of a candidate's relocation targets and associative sections: equal
    /// for candidates `targetsEquivalent` finds equal.
    static func targetClassHash(_ a: Int, facts: FoldingFacts, classOf: UnsafeBufferPointer<UInt64>) -> UInt64 {
        var hasher = FoldingHasher()
        for r in Int(facts.relocationStart[a])..<Int(facts.relocationStart[a + 1]) {
            let target = facts.targetSection[r]
            if target >= 0 { hasher.add(classOf[Int(target)]) }
        }
        for c in Int(facts.childStart[a])..<Int(facts.childStart[a + 1]) { hasher.add(classOf[Int(facts.children[c])]) }
        return hasher.value
    }

    /// Whether two candidates of one class have their relocation targets and associative
    /// sections in the same classes.
    static func targetsEquivalent(_ a: Int, _ b: Int, facts: FoldingFacts, classOf: UnsafeBufferPointer<UInt64>) -> Bool {
        let ra = Int(facts.relocationStart[a]), rb = Int(facts.relocationStart[b])
        let count = Int(facts.relocationStart[a + 1]) - ra
        for r in 0..<count {
            let x = facts.targetSection[ra + r], y = facts.targetSection[rb + r]
            if x >= 0 && x != y && classOf[Int(x)] != classOf[Int(y)] { return false }
        }
        let ca = Int(facts.childStart[a]), cb = Int(facts.childStart[b])
        for i in 0..<(Int(facts.childStart[a + 1]) - ca) {
            let x = Int(facts.children[ca + i]), y = Int(facts.children[cb + i])
            if x != y && classOf[x] != classOf[y] { return false }
        }
        return true
    }

    /// The classes of more than one member, each its members (indices into `facts.candidates`)
    /// in input order (the first is kept), in input order of their first.
    func groups() -> [[Int32]] {
        var result: [[Int32]] = []
        var start = 0
        while start < order.count {
            let cls = classOf[Int(facts.candidates[Int(order[start])])]
            var end = start + 1
            while end < order.count && classOf[Int(facts.candidates[Int(order[end])])] == cls { end += 1 }
            if end - start > 1 { result.append(order[start..<end].sorted()) }
            start = end
        }
        // In input order of the kept sections: the order /verbose lists them in.
        return result.sorted { $0[0] < $1[0] }
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
