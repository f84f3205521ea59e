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

    mutating func collectGarbage(_ resolver: SymbolResolver, exports: [ExportEntry]) {
        guard collectsGarbage else { return }
        let objects = resolver.objects
        var marked = [Bool](repeating: false, count: resolver.totalSections)
        var worklist: [Int] = []
        // Sections associated with each section, by global index.
        var children: [Int: [Int]] = [:]
        for object in objects {
            for (s, section) in object.sections.enumerated() where section.associatedWith >= 0 {
                children[object.firstSection + Int(section.associatedWith), default: []].append(object.firstSection + s)
            }
        }
        var objectOfSection = [Int32](repeating: -1, count: resolver.totalSections)
        for (o, object) in objects.enumerated() {
            for s in object.sections.indices { objectOfSection[object.firstSection + s] = Int32(o) }
        }
        func enqueue(_ global: Int) {
            let o = Int(objectOfSection[global])
            guard o >= 0, !marked[global], objects[o].sections[global - objects[o].firstSection].isLive else { return }
            marked[global] = true
            worklist.append(global)
        }
        func markSymbol(_ g: Int32) {
            let symbol = resolver.symbols[Int(g)]
            switch symbol.kind {
            case .defined:
                enqueue(objects[Int(symbol.file)].firstSection + Int(symbol.section))
            case .importAddress:
                resolver.imports[Int(symbol.file)].isLive = true
            case .importThunk:
                resolver.imports[Int(symbol.file)].isLive = true
                resolver.imports[Int(symbol.file)].thunkIsLive = true
            case .autoImported, .localImport:
                if symbol.member >= 0 && symbol.member != g { markSymbol(symbol.member) }
            default:
                break
            }
        }
        for i in resolver.imports.indices {
            resolver.imports[i].isLive = false
            resolver.imports[i].thunkIsLive = false
        }
        // Roots: every plain section (DWARF aside: it refers to code but keeps none alive).
        for object in objects {
            for (s, section) in object.sections.enumerated() where section.isLive && !section.isComdat && !section.isDWARF {
                enqueue(object.firstSection + s)
            }
        }
        let target = self.target
        var rootNames = options.includes + resolver.directiveIncludes
        if let entry = entrySymbolName { rootNames.append(entry) }
        rootNames += ["_load_config_used", "_tls_used"].map(target.mangle)
        if !options.delayLoadDLLs.isEmpty { rootNames.append(target.delayLoadHelperName) }
        for name in rootNames { if let g = resolver.find(name) { markSymbol(g) } }
        for entry in exports where entry.symbol >= 0 { markSymbol(entry.symbol) }
        for g in resolver.localImportTargets { markSymbol(g) }

        while let global = worklist.popLast() {
            let o = Int(objectOfSection[global])
            let object = objects[o]
            let section = object.sections[global - object.firstSection]
            for r in 0..<section.relocationCount {
                let index = Int(object.relocation(section, r).symbolTableIndex)
                guard index < object.targets.count else { continue }
                switch object.targets[index].decoded {
                case .global(let g): markSymbol(g)
                case .local(let s, _): enqueue(object.firstSection + Int(s))
                default: break
                }
            }
            for child in children[global] ?? [] { enqueue(child) }
        }
        var dropped = 0
        for object in objects {
            for s in object.sections.indices where object.sections[s].isLive && object.sections[s].isComdat && !marked[object.firstSection + s] {
                object.sections[s].isLive = false
                dropped += 1
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
