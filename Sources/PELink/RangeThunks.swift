import PEFormat

/// ARM64 range-extension thunks. A branch reaches ±128 MiB (b, bl: BRANCH26), ±1 MiB (b.cond,
/// cbz: BRANCH19) or ±32 KiB (tbz: BRANCH14). When layout puts a branch's target farther away,
/// the branch goes to a thunk placed right after the branch's section, which reaches ±4 GiB
/// (`Target.writeRangeExtensionThunk`). A thunk serves every branch to the same target that
/// reaches it, as lld-link shares them.
extension Linker {
    /// A branch the scan found out of reach of its target (or in reach again, while layout had
    /// given it a thunk).
    private struct FarBranch {
        var section: Int, chunk: Int
        var key: RangeThunkKey
        var target: RangeThunkTarget
        var site: Int64
        var range: Int64
        var reachesDirectly: Bool
    }

    /// Gives every out-of-range branch a thunk; true when it added thunks (layout must run again).
    func addRangeExtensionThunks(_ sections: inout [OutputSection], _ image: inout Image, _ resolver: SymbolResolver) -> Bool {
        // Scanning every branch is the cost; it runs in parallel, and only the few far branches
        // are handled one by one, in section order, so the result does not depend on threads.
        // A branch whose reach exceeds the whole image reaches every target in it: when that holds
        // for every branch type (images under 32 KiB), or the branches that could fall short
        // are only of the far-reaching kind, nothing needs a look.
        let imageEnd = sections.map { Int64($0.rva) + Int64($0.virtualSize) }.max() ?? 0
        let mayFallShort: (UInt16) -> Bool = { type in (self.branchRange(type) ?? Int64.max) <= imageEnd }
        guard [ARM64Relocation.branch26, ARM64Relocation.branch19, ARM64Relocation.branch14].contains(where: mayFallShort) else { return false }
        let shortTypes = Set([ARM64Relocation.branch26, ARM64Relocation.branch19, ARM64Relocation.branch14].filter(mayFallShort))
        // Plain values per chunk, so that the workers share no reference-counted storage.
        var work: [(section: Int32, chunk: Int32, object: Int32, input: Int32, rva: UInt32)] = []
        for s in sections.indices where sections[s].flags.contains(.code) {
            for (c, chunk) in sections[s].chunks.enumerated() {
                guard case let .inputSection(o, sectionIndex) = chunk.content,
                      resolver.objects[Int(o)].sections[Int(sectionIndex)].relocationCount > 0 else { continue }
                work.append((Int32(s), Int32(c), o, sectionIndex, chunk.rva))
            }
        }
        let relocator = Relocator(resolver: resolver, image: image)
        let existingThunks = image.rangeThunks
        let objects = resolver.objects
        var found = [[FarBranch]](repeating: [], count: work.count)
        found.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            nonisolated(unsafe) let out = base
            parallelFor(work.count, threads: options.threads) { w in
                let item = work[w]
                let (s, c, o, sectionIndex) = (Int(item.section), Int(item.chunk), item.object, item.input)
                let object = objects[Int(o)]
                let input = object.sections[Int(sectionIndex)]
                let data = object.data(input)
                let targets = object.targets, firstSection = object.firstSection
                var far: [FarBranch] = []
                for r in 0..<input.relocationCount {
                    let relocation = object.relocation(input, r)
                    guard shortTypes.contains(relocation.type), let range = branchRange(relocation.type) else { continue }
                    let offset = Int(relocation.virtualAddress)
                    guard offset >= 0, offset + 4 <= input.dataCount,
                          let destination = relocator.targetRVA(targets, firstSection: firstSection, symbolIndex: Int(relocation.symbolTableIndex)) else { continue }
                    let key = RangeThunkKey(section: firstSection + Int(sectionIndex), relocation: r)
                    let site = Int64(item.rva) + Int64(offset)
                    let addend = branchAddend(data.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian, type: relocation.type)
                    let distance = destination + addend - site
                    let reaches = distance >= -range && distance < range
                    if reaches && (existingThunks.isEmpty || existingThunks[key] == nil) { continue }
                    far.append(FarBranch(section: s, chunk: c, key: key,
                                         target: RangeThunkTarget(object: o, symbol: Int32(relocation.symbolTableIndex), addend: Int32(truncatingIfNeeded: addend)),
                                         site: site, range: range, reachesDirectly: reaches))
                }
                out[w] = far
            }
        }
        var thunksByTarget: [RangeThunkTarget: [Int32]] = [:]
        for (index, thunk) in image.rangeThunkTargets.enumerated() { thunksByTarget[thunk, default: []].append(Int32(index)) }
        var insertions: [(section: Int, after: Int, chunk: Chunk)] = []
        for branch in found.joined() {
            if branch.reachesDirectly {
                image.rangeThunks[branch.key] = nil
                continue
            }
            func reaches(_ to: Int64) -> Bool { to - branch.site >= -branch.range && to - branch.site < branch.range }
            if let current = image.rangeThunks[branch.key], let rva = image.chunkRVA[.rangeExtensionThunk(index: current)]?.rva, reaches(Int64(rva)) {
                continue
            }
            if let shared = thunksByTarget[branch.target]?.first(where: { image.chunkRVA[.rangeExtensionThunk(index: $0)].map { reaches(Int64($0.rva)) } ?? false }) {
                image.rangeThunks[branch.key] = shared
                continue
            }
            // A thunk made in this pass, not yet placed: right after this chunk, so in reach.
            if let pending = insertions.last(where: { $0.section == branch.section && $0.after == branch.chunk }),
               case .rangeExtensionThunk(let index) = pending.chunk.content, image.rangeThunkTargets[Int(index)] == branch.target {
                image.rangeThunks[branch.key] = index
                continue
            }
            let index = Int32(image.rangeThunkTargets.count)
            image.rangeThunkTargets.append(branch.target)
            thunksByTarget[branch.target, default: []].append(index)
            image.rangeThunks[branch.key] = index
            insertions.append((branch.section, branch.chunk, Chunk(content: .rangeExtensionThunk(index: index), partialName: Name(".text"),
                                                                   flags: sections[branch.section].flags, alignment: 4,
                                                                   size: Target.rangeExtensionThunkSize, hasFileData: true)))
        }
        // From the back, so earlier positions stay valid; thunks of one chunk keep their order.
        for insertion in insertions.reversed() {
            sections[insertion.section].chunks.insert(insertion.chunk, at: insertion.after + 1)
        }
        return !insertions.isEmpty
    }

    /// How far (in bytes, either way) an ARM64 branch relocation reaches; nil for other types.
    private func branchRange(_ type: UInt16) -> Int64? {
        switch type {
        case ARM64Relocation.branch26: return 1 << 27
        case ARM64Relocation.branch19: return 1 << 20
        case ARM64Relocation.branch14: return 1 << 15
        default: return nil
        }
    }

    /// The byte addend a branch carries in its immediate field.
    private func branchAddend(_ instruction: UInt32, type: UInt16) -> Int64 {
        let (shift, bits): (UInt32, Int64) = type == ARM64Relocation.branch26 ? (0, 26) : (type == ARM64Relocation.branch19 ? (5, 19) : (5, 14))
        let field = Int64((instruction >> shift) & UInt32((1 << bits) - 1))
        return ((field << (64 - bits)) >> (64 - bits)) << 2
    }
}
