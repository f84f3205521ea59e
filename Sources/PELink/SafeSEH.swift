import PEFormat

/// x86 SAFESEH (pe-format.md, "The Load Configuration Structure (Image Only)": SEHandlerTable):
/// the loader calls only the exception handlers an image registers, in a sorted table of RVAs
/// that the load configuration points at through the linker's `___safe_se_handler_table` and
/// `___safe_se_handler_count`. Each object lists its handlers in `.sxdata` (symbol indices) and
/// says with bit 0 of `@feat.00` that the list is complete.
struct SafeSEHPlan {
    /// Every registered handler once: the object and its symbol-table index.
    var handlers: [(object: Int32, symbol: Int32)] = []

    static let tableSymbol = "___safe_se_handler_table"
    static let countSymbol = "___safe_se_handler_count"

    /// Whether the image gets a table, and which handlers it lists; nil for no table. With
    /// /safeseh every object that has code must be compatible, and each one that is not is an
    /// error; by default (link.exe's rule) the table is made only when all are.
    static func plan(_ resolver: SymbolResolver, options: LinkOptions, diagnostics: inout Diagnostics) -> SafeSEHPlan? {
        guard Target(options.machine).hasSafeSEHTable, options.safeSEH != false else { return nil }
        if options.safeSEH == nil && options.isGNUFlavor { return nil }
        let incompatible = resolver.objects.filter { object in
            !object.isSafeSEHCompatible && object.sections.contains { $0.isLive && $0.flags.contains(.code) && $0.size > 0 }
        }
        if !incompatible.isEmpty {
            if options.safeSEH == true {
                for object in incompatible {
                    diagnostics.error("/safeseh: \(object.displayName) is not compatible with SAFESEH: it has code but does not register its exception handlers (no @feat.00 symbol with bit 0 set); compile it with /safeseh (MSVC and clang-cl do by default), or link with /safeseh:no")
                }
            }
            return nil
        }
        var plan = SafeSEHPlan()
        var seenGlobals = Set<Int32>()
        var seenLocals = Set<UInt64>()
        for (o, object) in resolver.objects.enumerated() {
            guard let s = object.safeSEHSection else { continue }
            let section = object.sections[s]
            let data = object.data(section)
            guard section.dataCount % 4 == 0 else {
                diagnostics.error("\(object.displayName): section .sxdata has \(section.dataCount) bytes; it must hold 4-byte symbol indices")
                continue
            }
            for k in 0..<(section.dataCount / 4) {
                let index = Int(data.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self).littleEndian)
                guard index < object.targets.count else {
                    diagnostics.error("\(object.displayName): section .sxdata entry \(k) names symbol \(index), but the symbol table has \(object.coff.symbolCount) records")
                    continue
                }
                switch object.targets[index].decoded {
                case .global(let g):
                    if seenGlobals.insert(g).inserted { plan.handlers.append((Int32(o), Int32(index))) }
                case let .local(section, value):
                    let key = UInt64(object.firstSection + Int(section)) << 32 | UInt64(value)
                    if seenLocals.insert(key).inserted { plan.handlers.append((Int32(o), Int32(index))) }
                default:
                    diagnostics.error("\(object.displayName): section .sxdata entry \(k) names symbol \(index), which is not a function in the object")
                }
            }
        }
        return plan
    }

    /// The handlers' RVAs, sorted (the loader binary-searches them), once layout placed them.
    func handlerRVAs(_ resolver: SymbolResolver, image: Linker.Image) -> [UInt32] {
        var rvas: [UInt32] = []
        for (o, index) in handlers {
            let object = resolver.objects[Int(o)]
            switch object.targets[Int(index)].decoded {
            case .global(let g):
                if let rva = symbolRVA(resolver, image: image, symbol: g) { rvas.append(rva) }
            case let .local(section, value):
                let global = object.firstSection + Int(section)
                if image.sectionOutput[global] >= 0 { rvas.append(image.sectionRVA[global] &+ value) }
            default: break
            }
        }
        return rvas.sorted()
    }
}
