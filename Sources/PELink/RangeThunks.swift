import PEFormat

/// ARM64 range-extension thunks. A branch reaches ±128 MiB (b, bl: BRANCH26), ±1 MiB (b.cond,
/// cbz: BRANCH19) or ±32 KiB (tbz: BRANCH14). When layout puts a branch's target farther away,
/// the branch goes to a thunk placed right after the branch's section, which reaches ±4 GiB
/// (`Target.writeRangeExtensionThunk`). A thunk serves every branch to the same target that
/// reaches it, as lld-link shares them.
extension Linker {
    /// Gives every out-of-range branch a thunk; true when it added thunks (layout must run again).
    func addRangeExtensionThunks(_ sections: inout [OutputSection], _ image: inout Image, _ resolver: SymbolResolver) -> Bool {
        let relocator = Relocator(resolver: resolver, image: image)
        var thunksByTarget: [RangeThunkTarget: [Int32]] = [:]
        for (index, thunk) in image.rangeThunkTargets.enumerated() { thunksByTarget[thunk, default: []].append(Int32(index)) }
        var added = false
        for s in sections.indices where sections[s].flags.contains(.code) {
            var insertions: [(after: Int, chunk: Chunk)] = []
            for (c, chunk) in sections[s].chunks.enumerated() {
                guard case let .inputSection(o, sectionIndex) = chunk.content else { continue }
                let object = resolver.objects[Int(o)]
                let input = object.sections[Int(sectionIndex)]
                guard input.relocationCount > 0, input.flags.contains(.code) else { continue }
                let data = object.data(input)
                for r in 0..<input.relocationCount {
                    let relocation = object.relocation(input, r)
                    guard let range = branchRange(relocation.type) else { continue }
                    let offset = Int(relocation.virtualAddress)
                    guard offset >= 0, offset + 4 <= input.dataCount,
                          let destination = relocator.targetRVA(object: object, symbolIndex: Int(relocation.symbolTableIndex)) else { continue }
                    let key = RangeThunkKey(section: object.firstSection + Int(sectionIndex), relocation: r)
                    let site = Int64(chunk.rva) + Int64(offset)
                    let addend = branchAddend(data.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian, type: relocation.type)
                    func reaches(_ to: Int64) -> Bool { to - site >= -range && to - site < range }
                    if reaches(destination + addend) {
                        image.rangeThunks[key] = nil
                        continue
                    }
                    let thunkTarget = RangeThunkTarget(object: o, symbol: Int32(relocation.symbolTableIndex), addend: Int32(truncatingIfNeeded: addend))
                    if let current = image.rangeThunks[key], let rva = image.chunkRVA[.rangeExtensionThunk(index: current)]?.rva, reaches(Int64(rva)) {
                        continue
                    }
                    if let shared = thunksByTarget[thunkTarget]?.first(where: { image.chunkRVA[.rangeExtensionThunk(index: $0)].map { reaches(Int64($0.rva)) } ?? false }) {
                        image.rangeThunks[key] = shared
                        continue
                    }
                    // A thunk made in this pass, not yet placed: right after this chunk, so in reach.
                    if let pending = insertions.last(where: { $0.after == c }),
                       case .rangeExtensionThunk(let index) = pending.chunk.content, image.rangeThunkTargets[Int(index)] == thunkTarget {
                        image.rangeThunks[key] = index
                        continue
                    }
                    let index = Int32(image.rangeThunkTargets.count)
                    image.rangeThunkTargets.append(thunkTarget)
                    thunksByTarget[thunkTarget, default: []].append(index)
                    image.rangeThunks[key] = index
                    insertions.append((c, Chunk(content: .rangeExtensionThunk(index: index), partialName: Name(".text"),
                                                flags: sections[s].flags, alignment: 4, size: Target.rangeExtensionThunkSize, hasFileData: true)))
                    added = true
                }
            }
            // From the back, so earlier positions stay valid; thunks of one chunk keep their order.
            for insertion in insertions.reversed() {
                sections[s].chunks.insert(insertion.chunk, at: insertion.after + 1)
            }
        }
        return added
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
