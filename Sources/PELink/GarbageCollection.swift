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
        let objects = resolver.objects
        let sectionCount = resolver.totalSections

        // Where each global symbol leads: its section (by global index), an import (-2 for the
        // `__imp_` slot, -3 for the thunk, with the import in `symbolImport`), or nowhere (-1).
        let symbols = resolver.symbols
        var symbolTarget = [Int32](repeating: -1, count: symbols.count)
        var symbolImport = [Int32](repeating: -1, count: symbols.count)
        for g in symbols.indices {
            var symbol = symbols[g]
            // Auto-imported and locally imported symbols stand for another symbol.
            if (symbol.kind == .autoImported || symbol.kind == .localImport), symbol.member >= 0, Int(symbol.member) != g {
                symbol = symbols[Int(symbol.member)]
            }
            switch symbol.kind {
            case .defined: symbolTarget[g] = Int32(objects[Int(symbol.file)].firstSection) + symbol.section
            case .importAddress: symbolTarget[g] = -2; symbolImport[g] = symbol.file
            case .importThunk: symbolTarget[g] = -3; symbolImport[g] = symbol.file
            default: break
            }
        }
        var isCandidate = [Bool](repeating: false, count: sectionCount)   // live: may be marked
        var childCount = [Int32](repeating: 0, count: sectionCount + 1)
        // What each live section refers to, read in parallel per object: a global symbol as its
        // index, a section of the same object as -(global section + 1). Marking then only follows
        // these lists.
        var perObject = [(start: [Int32], refs: [Int32])](repeating: ([], []), count: objects.count)
        perObject.withUnsafeMutableBufferPointer { buffer in
          isCandidate.withUnsafeMutableBufferPointer { candidates in
           childCount.withUnsafeMutableBufferPointer { counts in
            nonisolated(unsafe) let out = buffer.baseAddress!
            // Each object writes only its own sections' entries.
            nonisolated(unsafe) let candidate = candidates.baseAddress!
            nonisolated(unsafe) let count = counts.baseAddress!
            parallelFor(objects.count, threads: options.threads) { o in
                let object = objects[o]
                let first = object.firstSection
                for (s, section) in object.sections.enumerated() {
                    candidate[first + s] = section.isLive
                    if section.associatedWith >= 0 { count[first + Int(section.associatedWith)] += 1 }
                }
                var start: [Int32] = [0]
                var refs: [Int32] = []
                start.reserveCapacity(object.sections.count + 1)
                object.targets.withUnsafeBufferPointer { targets in
                    for section in object.sections {
                        if section.isLive && !section.isDWARF {
                            for r in 0..<section.relocationCount {
                                let index = Int(object.relocation(section, r).symbolTableIndex)
                                guard index < targets.count else { continue }
                                switch targets[index].decoded {
                                case .global(let g): refs.append(g)
                                case .local(let s, _): refs.append(-Int32(first) - s - 1)
                                default: break
                                }
                            }
                        }
                        start.append(Int32(refs.count))
                    }
                }
                out[o] = (start, refs)
            }
           }
          }
        }
        var referenceStart = [Int32](repeating: 0, count: sectionCount + 1)
        var references: [Int32] = []
        references.reserveCapacity(perObject.reduce(0) { $0 + $1.refs.count })
        for (o, object) in objects.enumerated() {
            let (start, refs) = perObject[o]
            let base = Int32(references.count)
            for s in object.sections.indices { referenceStart[object.firstSection + s + 1] = base + start[s + 1] }
            references += refs
        }
        perObject = []
        // Associative children of each section, as offsets into one array.
        var childStart = [Int32](repeating: 0, count: sectionCount + 1)
        for i in 0..<sectionCount { childStart[i + 1] = childStart[i] + childCount[i] }
        var children = [Int32](repeating: 0, count: Int(childStart[sectionCount]))
        var fill = childStart
        for object in objects {
            for (s, section) in object.sections.enumerated() where section.associatedWith >= 0 {
                let parent = object.firstSection + Int(section.associatedWith)
                children[Int(fill[parent])] = Int32(object.firstSection + s)
                fill[parent] += 1
            }
        }

        let target = self.target
        var rootNames = options.includes + resolver.directiveIncludes
        if let entry = entrySymbolName { rootNames.append(entry) }
        rootNames += ["_load_config_used", "_tls_used"].map(target.mangle)
        if !options.delayLoadDLLs.isEmpty { rootNames.append(target.delayLoadHelperName) }
        let rootSymbols = rootNames.compactMap { resolver.find($0) } + exports.filter { $0.symbol >= 0 }.map(\.symbol)
            + resolver.localImportTargets
        // Flat buffers, no captured arrays: this pass touches every relocation of the link.
        let marked = UnsafeMutableBufferPointer<Bool>.allocate(capacity: sectionCount)
        marked.initialize(repeating: false)
        let importLive = UnsafeMutableBufferPointer<Bool>.allocate(capacity: max(1, resolver.imports.count))
        importLive.initialize(repeating: false)
        let thunkLive = UnsafeMutableBufferPointer<Bool>.allocate(capacity: max(1, resolver.imports.count))
        thunkLive.initialize(repeating: false)
        // Sections marked and not yet scanned; each is pushed once, so sectionCount is enough.
        let pending = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(1, sectionCount))
        let pendingCount = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        pendingCount.pointee = 0
        defer { marked.deallocate(); importLive.deallocate(); thunkLive.deallocate(); pending.deallocate(); pendingCount.deallocate() }
        isCandidate.withUnsafeBufferPointer { candidate in
            symbolTarget.withUnsafeBufferPointer { targetOf in
                symbolImport.withUnsafeBufferPointer { importOf in
                    @inline(__always) func enqueue(_ global: Int) {
                        guard candidate[global], !marked[global] else { return }
                        marked[global] = true
                        pending[pendingCount.pointee] = Int32(global)
                        pendingCount.pointee += 1
                    }
                    @inline(__always) func markSymbol(_ g: Int) {
                        let t = targetOf[g]
                        if t >= 0 { enqueue(Int(t)) }
                        else if t == -2 { importLive[Int(importOf[g])] = true }
                        else if t == -3 { importLive[Int(importOf[g])] = true; thunkLive[Int(importOf[g])] = true }
                    }
                    // Roots: every plain section (DWARF aside: it refers to code but keeps none alive).
                    for object in objects {
                        for (s, section) in object.sections.enumerated() where section.isLive && !section.isComdat && !section.isDWARF {
                            enqueue(object.firstSection + s)
                        }
                    }
                    for g in rootSymbols { markSymbol(Int(g)) }
                    var scanned = 0
                    while scanned < pendingCount.pointee {
                        let global = Int(pending[scanned])
                        scanned += 1
                        for k in referenceStart[global]..<referenceStart[global + 1] {
                            let reference = references[Int(k)]
                            if reference >= 0 { markSymbol(Int(reference)) } else { enqueue(Int(-reference - 1)) }
                        }
                        for c in childStart[global]..<childStart[global + 1] { enqueue(Int(children[Int(c)])) }
                    }
                }
            }
        }
        for i in resolver.imports.indices {
            resolver.imports[i].isLive = importLive[i]
            resolver.imports[i].thunkIsLive = thunkLive[i]
        }
        var dropped = 0
        for object in objects {
            for s in object.sections.indices where object.sections[s].isLive && object.sections[s].isComdat && !marked[object.firstSection + s] {
                object.sections[s].isLive = false
                dropped += 1
                if reportsRemovedSections { unreferencedSections.append(Int32(object.firstSection + s)) }
                if options.verbose {
                    let name = object.symbolContaining(sectionIndex: s, offset: 0)?.name ?? object.name(of: object.sections[s]).string
                    diagnostics.note("Discarded \(name) (/opt:ref: nothing kept refers to it)")
                }
            }
        }
        if options.verbose {
            diagnostics.note("/opt:ref: \(dropped) unreferenced COMDAT sections and \(resolver.imports.filter { !$0.isLive }.count) unreferenced imports left out")
        }
    }
}
