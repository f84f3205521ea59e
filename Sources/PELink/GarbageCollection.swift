import PEFormat

/// /opt:ref (link.exe's default unless /debug): a COMDAT section (a function or datum compiled
/// with /Gy, -ffunction-sections, an inline function or template) stays only when something
/// kept refers to it; so does an import. Every other section is kept, as link.exe and lld-link
/// keep them: they are the roots, with the entry point, the exports, /include symbols and what
/// the linker itself refers to. A kept section keeps its associative sections (its .pdata,
/// .xdata, static initializers).
extension Linker {
    /// Whether the link collects: /opt:ref or /opt:noref, else on unless /debug (without /profile)
    /// or GNU ld's command line (ld.lld's default is no --gc-sections), as link.exe and lld-link decide.
    var collectsGarbage: Bool { options.optRef ?? (!options.gnuCommandLine && (!options.writesPDB || options.profile)) }

    /// Whether the sections /opt:ref removes are recorded: the map and /why report them.
    var reportsRemovedSections: Bool { options.mapPath != nil || options.mapNextToOutput || !options.whyQueries.isEmpty }

    mutating func collectGarbage(_ resolver: SymbolResolver, exports: [ExportEntry]) {
        guard collectsGarbage else { return }
        var watch = Stopwatch()
        defer { if options.printTimes { garbageDetails = watch.summary } }
        let objects = resolver.objects
        let sectionCount = resolver.totalSections
        let threads = options.threads

        // Where each global symbol leads: its section (by global index), an import (-2 for the
        // `__imp_` slot, -3 for the thunk, with the import in `symbolImport`), or nowhere (-1).
        let symbols = resolver.symbols
        var symbolTarget = [Int32](repeating: -1, count: symbols.count, threads: threads)
        var symbolImport = [Int32](repeating: -1, count: symbols.count, threads: threads)
        let chunk = 1 << 15
        symbols.withUnsafeBufferPointer { symbols in
          symbolTarget.withUnsafeMutableBufferPointer { targets in
            symbolImport.withUnsafeMutableBufferPointer { importsOut in
                nonisolated(unsafe) let symbols = symbols, targets = targets, importsOut = importsOut
                parallelFor((symbols.count + chunk - 1) / chunk, threads: threads) { c in
                    for g in c * chunk..<min(symbols.count, (c + 1) * chunk) {
                        var symbol = symbols[g]
                        // Auto-imported and locally imported symbols stand for another symbol.
                        if (symbol.kind == .autoImported || symbol.kind == .localImport), symbol.member >= 0, Int(symbol.member) != g {
                            symbol = symbols[Int(symbol.member)]
                        }
                        switch symbol.kind {
                        case .defined: targets[g] = Int32(objects[Int(symbol.file)].firstSection) + symbol.section
                        case .importAddress: targets[g] = -2; importsOut[g] = symbol.file
                        case .importThunk: targets[g] = -3; importsOut[g] = symbol.file
                        default: break
                        }
                    }
                }
            }
          }
        }
        watch.lap("symbols")
        // Per section, `live` (it may be marked) and then `marked` too: one byte, as marking asks
        // both of every section a relocation reaches.
        var sectionState = [UInt8](repeating: 0, count: sectionCount, threads: threads)
        let pointerRelocation = self.target.pointerRelocation
        var childCount = [Int32](repeating: 0, count: sectionCount + 1, threads: threads)
        // What each live section refers to: a global symbol as its index, a section of the same
        // object as -(global section + 1), one entry per relocation (`GarbageMark.nothing` where
        // it names neither), so that each object's entries go at an offset its section headers
        // give. First, per object in parallel: the live sections, the associative sections of
        // each parent, how many relocations the live sections have, and the roots (every plain
        // section; DWARF aside: it refers to code but keeps none alive).
        let perObject = ParallelResults<(relocations: Int, children: Int, roots: [Int32])>(count: objects.count)
        sectionState.withUnsafeMutableBufferPointer { candidates in
           childCount.withUnsafeMutableBufferPointer { counts in
            nonisolated(unsafe) let candidate = candidates.baseAddress!, count = counts.baseAddress!
            parallelFor(objects.count, threads: threads) { o in
                let object = objects[o]
                let first = object.firstSection
                var roots: [Int32] = []
                var children = 0, relocations = 0
                for (s, section) in object.sections.enumerated() {
                    candidate[first + s] = section.isLive ? GarbageMark.live : 0
                    if section.associatedWith >= 0 {
                        count[first + Int(section.associatedWith)] += 1
                        children += 1
                    }
                    if section.isLive && !section.isDWARF { relocations += section.relocationCount }
                    if section.isLive && !section.isComdat && !section.isDWARF { roots.append(Int32(first + s)) }
                }
                perObject.set(o, (relocations, children, roots))
            }
           }
        }
        var referenceBase = [Int](repeating: 0, count: objects.count + 1)
        var childBase = [Int](repeating: 0, count: objects.count + 1)
        var roots: [Int32] = []
        for o in objects.indices {
            let (relocations, children, objectRoots) = perObject.take(o)!
            referenceBase[o + 1] = referenceBase[o] + relocations
            childBase[o + 1] = childBase[o] + children
            roots += objectRoots
        }
        watch.lap("sections")
        // Then, per object in parallel, its entries at its offsets: the references, read from the
        // relocations (each object writes only its own), and the associative sections.
        var referenceStart = [Int32](repeating: 0, count: sectionCount + 1, threads: threads)
        referenceStart[sectionCount] = Int32(referenceBase[objects.count])
        var references = [Int32](repeating: 0, count: referenceBase[objects.count], threads: threads)
        var childStart = [Int32](repeating: 0, count: sectionCount + 1, threads: threads)
        childStart[sectionCount] = Int32(childBase[objects.count])
        var children = [Int32](repeating: 0, count: childBase[objects.count], threads: threads)
        referenceStart.withUnsafeMutableBufferPointer { startOut in
          references.withUnsafeMutableBufferPointer { referencesOut in
            children.withUnsafeMutableBufferPointer { childrenOut in
              childStart.withUnsafeMutableBufferPointer { childStart in
                nonisolated(unsafe) let startOut = startOut, referencesOut = referencesOut, childrenOut = childrenOut, childStart = childStart
                let childCount = childCount
                parallelForTakingTurns(objects.count, threads: threads) { o in
                    let object = objects[o]
                    let first = object.firstSection
                    var childOffset = Int32(childBase[o])
                    for s in object.sections.indices {
                        childStart[first + s] = childOffset
                        childOffset += childCount[first + s]
                    }
                    // Sections read here without a pointer relocation: the base relocations need
                    // not read them again.
                    var pointerFree: [Int] = []
                    var next = referenceBase[o]
                    object.targets.withUnsafeBufferPointer { targets in
                        for (s, section) in object.sections.enumerated() {
                            startOut[first + s] = Int32(next)
                            guard section.isLive && !section.isDWARF else { continue }
                            var hasPointer = false
                            for r in 0..<section.relocationCount {
                                let relocation = object.relocation(section, r)
                                if relocation.type == pointerRelocation { hasPointer = true }
                                let index = Int(relocation.symbolTableIndex)
                                var reference = GarbageMark.nothing
                                if index < targets.count {
                                    switch targets[index].decoded {
                                    case .global(let g): reference = g
                                    case .local(let s, _): reference = -Int32(first) - s - 1
                                    default: break
                                    }
                                }
                                referencesOut[next] = reference
                                next += 1
                            }
                            if !hasPointer { pointerFree.append(s) }
                        }
                    }
                    for s in pointerFree { object.sections[s].hasNoPointerRelocations = true }
                    // A parent and its associative sections are in one object.
                    guard object.sections.contains(where: { $0.associatedWith >= 0 }) else { return }
                    var filled = [Int32](repeating: 0, count: object.sections.count)
                    for (s, section) in object.sections.enumerated() where section.associatedWith >= 0 {
                        let parent = Int(section.associatedWith)
                        childrenOut[Int(childStart[first + parent] + filled[parent])] = Int32(first + s)
                        filled[parent] += 1
                    }
                }
              }
            }
          }
        }
        watch.lap("references")

        let target = self.target
        var rootNames = options.includes + resolver.directiveIncludes
        if let entry = entrySymbolName { rootNames.append(entry) }
        rootNames += ["_load_config_used", "_tls_used"].map(target.mangle)
        if !options.delayLoadDLLs.isEmpty { rootNames.append(target.delayLoadHelperName) }
        // Read in place: copying an export entry retains each of its strings.
        var rootSymbols = rootNames.compactMap { resolver.find($0) }
        for e in exports.indices where exports[e].symbol >= 0 { rootSymbols.append(exports[e].symbol) }
        rootSymbols += resolver.localImportTargets
        // Marking goes level by level: the sections marked last are scanned in parallel, each
        // worker listing what they refer to; the lists are then merged in order, marking what is
        // new, which makes the next level. What ends up marked is what is reachable, whatever the
        // thread count. Flat buffers, no captured arrays: this pass touches every relocation.
        let importLive = UnsafeMutableBufferPointer<Bool>.allocate(capacity: max(1, resolver.imports.count))
        importLive.initialize(repeating: false)
        let thunkLive = UnsafeMutableBufferPointer<Bool>.allocate(capacity: max(1, resolver.imports.count))
        thunkLive.initialize(repeating: false)
        defer { importLive.deallocate(); thunkLive.deallocate() }
        sectionState.withUnsafeMutableBufferPointer { state in
          symbolTarget.withUnsafeBufferPointer { targetOf in
            symbolImport.withUnsafeBufferPointer { importOf in
              references.withUnsafeBufferPointer { references in
                referenceStart.withUnsafeBufferPointer { referenceStart in
                  children.withUnsafeBufferPointer { children in
                    childStart.withUnsafeBufferPointer { childStart in
                    nonisolated(unsafe) let targetOf = targetOf, importOf = importOf, references = references,
                        referenceStart = referenceStart, children = children, childStart = childStart, state = state
                    var level: [Int32] = []
                    /// Marks a section reached; it joins the next level.
                    func reach(_ global: Int) {
                        guard state[global] == GarbageMark.live else { return }
                        state[global] = GarbageMark.marked
                        level.append(Int32(global))
                    }
                    /// An import reached through a symbol: its IAT slot (-2) or also its thunk (-3).
                    func reachImport(_ g: Int) {
                        let t = targetOf[g]
                        if t == -2 { importLive[Int(importOf[g])] = true }
                        else if t == -3 { importLive[Int(importOf[g])] = true; thunkLive[Int(importOf[g])] = true }
                    }
                    for root in roots { reach(Int(root)) }
                    for g in rootSymbols {
                        let t = targetOf[Int(g)]
                        if t >= 0 { reach(Int(t)) } else { reachImport(Int(g)) }
                    }
                    while !level.isEmpty {
                        let scanning = level
                        level = []
                        // What each piece of the level refers to: sections (not yet marked when the
                        // level began) and symbols that lead to imports.
                        let pieceSize = 4096
                        let pieceCount = (scanning.count + pieceSize - 1) / pieceSize
                        let found = ParallelResults<(sections: [Int32], imports: [Int32])>(count: pieceCount)
                        parallelForTakingTurns(pieceCount, threads: pieceCount > 1 ? threads : 1) { piece in
                            var sections: [Int32] = [], imports: [Int32] = []
                            for i in piece * pieceSize..<min(scanning.count, (piece + 1) * pieceSize) {
                                let global = Int(scanning[i])
                                for k in Int(referenceStart[global])..<Int(referenceStart[global + 1]) {
                                    let reference = references[k]
                                    var target: Int
                                    if reference == GarbageMark.nothing { continue }
                                    if reference >= 0 {
                                        let t = targetOf[Int(reference)]
                                        if t < 0 {
                                            if t != -1 { imports.append(reference) }
                                            continue
                                        }
                                        target = Int(t)
                                    } else {
                                        target = Int(-reference - 1)
                                    }
                                    if state[target] == GarbageMark.live { sections.append(Int32(target)) }
                                }
                                for c in Int(childStart[global])..<Int(childStart[global + 1]) {
                                    let child = Int(children[c])
                                    if state[child] == GarbageMark.live { sections.append(Int32(child)) }
                                }
                            }
                            found.set(piece, (sections, imports))
                        }
                        for piece in 0..<pieceCount {
                            let (sections, imports) = found.take(piece)!
                            for section in sections { reach(Int(section)) }
                            for g in imports { reachImport(Int(g)) }
                        }
                    }
                    }
                  }
                }
              }
            }
          }
        }
        watch.lap("mark")
        for i in resolver.imports.indices {
            resolver.imports[i].isLive = importLive[i]
            resolver.imports[i].thunkIsLive = thunkLive[i]
        }
        // Unmarked COMDAT sections go, object by object in parallel; the list of them (for the
        // map and /why) and /verbose's notes keep input order.
        let removed = ParallelResults<[Int32]>(count: objects.count)
        let listsRemoved = reportsRemovedSections || options.verbose
        let markedSections = sectionState
        parallelFor(objects.count, threads: threads) { o in
            let object = objects[o]
            var list: [Int32] = []
            for s in object.sections.indices where object.sections[s].isLive && object.sections[s].isComdat && markedSections[object.firstSection + s] != GarbageMark.marked {
                object.sections[s].isLive = false
                if listsRemoved { list.append(Int32(s)) }
            }
            if !list.isEmpty { removed.set(o, list) }
        }
        var dropped = 0
        if listsRemoved {
            for (o, object) in objects.enumerated() {
                for s in removed.take(o) ?? [] {
                    dropped += 1
                    if reportsRemovedSections { unreferencedSections.append(Int32(object.firstSection) + s) }
                    if options.verbose {
                        let name = object.symbolContaining(sectionIndex: Int(s), offset: 0)?.name ?? object.name(of: object.sections[Int(s)]).string
                        diagnostics.note("Discarded \(name) (/opt:ref: nothing kept refers to it)")
                    }
                }
            }
        }
        watch.lap("remove")
        if options.verbose {
            diagnostics.note("/opt:ref: \(dropped) unreferenced COMDAT sections and \(resolver.imports.filter { !$0.isLive }.count) unreferenced imports left out")
        }
    }
}

/// A section's state in /opt:ref's marking (`collectGarbage`): not live (0), live, or live and marked.
private enum GarbageMark {
    static let live: UInt8 = 1, marked: UInt8 = 3
    /// A reference to neither a symbol nor a section (an absolute or unresolved record).
    static let nothing = Int32.min
}
