import Foundation
import PEFormat

// Entering the inputs' symbols into the symbol table: the change of one symbol's state at each
// event (an object defines the symbol, refers to it or offers a COMDAT copy of it; an archive
// offers it). Each event reads and writes its own symbol only; what reaches further (a message,
// an archive member to load, a COMDAT copy dropped) is an `EntryEffect`. So one piece of code
// enters inputs one at a time, applying each effect at once, and enters a large batch of inputs
// by shards of the symbols, one worker per shard, each recording its effects with their place
// (input, symbol), which are then applied in input order (`SymbolResolver.addInOrder`).

/// Where symbols' states live while they are entered.
protocol SymbolSlots {
    subscript(_ index: Int32) -> Symbol { get nonmutating set }
}

/// What entering a symbol does beyond the symbol itself.
enum EntryEffect {
    case error(String)
    /// A second definition: an error, or a warning under /force:multiple.
    case duplicate(String)
    case note(String)
    case queueMember(archive: Int, member: Int, symbol: Int32)
    /// A COMDAT copy that another copy replaces (by object and section number).
    case dropCopy(object: Int32, section: Int32)
}

protocol EntryEffects {
    mutating func add(_ effect: EntryEffect)
}

extension SymbolResolver {
    /// The symbol table itself, for inputs entered one at a time (which may number new names).
    struct TableSlots: SymbolSlots {
        unowned(unsafe) let resolver: SymbolResolver
        subscript(_ index: Int32) -> Symbol {
            get { resolver.symbols[Int(index)] }
            nonmutating set { resolver.symbols[Int(index)] = newValue }
        }
    }

    /// One worker's view of the table while a batch is entered by shards: it writes only the
    /// symbols of its own shard.
    struct ShardSlots: SymbolSlots {
        let base: UnsafeMutablePointer<Symbol>
        subscript(_ index: Int32) -> Symbol {
            get { base[Int(index)] }
            nonmutating set { base[Int(index)] = newValue }
        }
    }

    /// Effects applied as they happen.
    struct AppliedEffects: EntryEffects {
        unowned(unsafe) let resolver: SymbolResolver
        func add(_ effect: EntryEffect) { resolver.apply(effect) }
    }

    /// Effects kept with their place in the batch, `input << 32 | symbol`, in the order one
    /// worker meets them (which is the order of places). Dropped copies, most of the effects,
    /// are kept apart: no other event reads them, so they are applied in any order.
    struct RecordedEffects: EntryEffects {
        var place: Int64 = 0
        var effects: [(place: Int64, effect: EntryEffect)] = []
        var drops: [(object: Int32, section: Int32)] = []
        mutating func add(_ effect: EntryEffect) {
            if case let .dropCopy(object, section) = effect { drops.append((object, section)) } else { effects.append((place, effect)) }
        }
    }

    /// External `e` of `object`, numbered `index`, unless it is a weak external (whose default
    /// is another name: see `addWeakExternal`).
    func enterExternal<Slots: SymbolSlots, Effects: EntryEffects>(_ e: Int, record: COFFSymbolRecord, of object: ObjectFile, objectIndex: Int32,
                                                                   index: Int32, slots: Slots, effects: inout Effects) {
        // COMDAT leaders come first: they decide which copies survive before other symbols are defined.
        if e < object.comdatLeaderCount {
            enterComdatLeader(index, object: object, objectIndex: objectIndex, section: record.sectionNumber - 1, value: record.value,
                              isFunction: record.isFunction, slots: slots, effects: &effects)
            return
        }
        switch record.sectionNumber {
        case SectionNumber.undefined:
            if record.value > 0 {
                enterCommon(index, size: UInt64(record.value), objectIndex: objectIndex, slots: slots)
            } else {
                enterReference(index, allowLibrarySearch: !slots[index].weakNoLibrary, slots: slots, effects: &effects)
            }
        case SectionNumber.absolute:
            enterDefinition(index, kind: .absolute, objectIndex: objectIndex, section: -1, value: UInt64(record.value), object: object,
                            slots: slots, effects: &effects)
        case SectionNumber.debug:
            break
        default:
            let s = Int32(record.sectionNumber - 1)
            let section = object.sections[Int(s)]
            // A symbol in a COMDAT copy that lost is defined by the kept copy.
            if section.isComdat && !section.isLive { return }
            enterDefinition(index, kind: .defined, objectIndex: objectIndex, section: s, value: UInt64(record.value), object: object,
                            slots: slots, effects: &effects)
            slots[index].isFunction = record.isFunction
        }
    }

    /// A reference; when an archive offers the symbol, its member is queued for loading.
    func enterReference<Slots: SymbolSlots, Effects: EntryEffects>(_ index: Int32, allowLibrarySearch: Bool, slots: Slots, effects: inout Effects) {
        slots[index].isReferenced = true
        let symbol = slots[index]
        if symbol.kind == .lazy && allowLibrarySearch {
            effects.add(.queueMember(archive: Int(symbol.file), member: Int(symbol.member), symbol: index))
        }
    }

    /// An archive's offer of the symbol (`member` defines it): the first archive that offers an
    /// undefined symbol wins, and loads the member at once if the symbol is referenced.
    func enterOffer<Slots: SymbolSlots, Effects: EntryEffects>(_ index: Int32, archive: Int, member: Int, slots: Slots, effects: inout Effects) {
        let symbol = slots[index]
        guard symbol.kind == .undefined else { return } // already defined, or offered by an earlier archive
        slots[index].kind = .lazy
        slots[index].file = Int32(archive)
        slots[index].member = Int32(member)
        if symbol.isReferenced && !symbol.weakNoLibrary {
            effects.add(.queueMember(archive: archive, member: member, symbol: index))
        }
    }

    func enterDefinition<Slots: SymbolSlots, Effects: EntryEffects>(_ index: Int32, kind: SymbolKind, objectIndex: Int32, section: Int32, value: UInt64,
                                                                     object: ObjectFile, slots: Slots, effects: inout Effects) {
        let existing = slots[index]
        switch existing.kind {
        case .undefined, .lazy, .common, .autoImported, .localImport:
            var symbol = existing
            symbol.kind = kind
            symbol.file = objectIndex
            symbol.section = section
            symbol.value = value
            symbol.member = -1
            slots[index] = symbol
        case .importThunk, .importAddress:
            effects.add(.error(replacedImportMessage(index, existing, by: object)))
        case .defined, .absolute, .linkerDefined:
            if kind == .absolute && existing.kind == .absolute && existing.value == value { return }
            effects.add(.duplicate("duplicate symbol: \(displayName(of: index))\n>>> defined at \(definerName(existing))\n>>> defined at \(object.displayName)"))
        }
    }

    /// An import already resolved references to this name; a later definition (plain or COMDAT)
    /// would leave them split between the DLL and this object (lld-link: "was replaced").
    private func replacedImportMessage(_ index: Int32, _ existing: Symbol, by object: ObjectFile) -> String {
        let entry = imports[Int(existing.file)]
        return "\(displayName(of: index)) was replaced: \(object.displayName) defines it, but it was already imported from \(entry.dllName) by \(entry.sourcePath); remove one of them, or link the library that defines it before the import library"
    }

    func enterCommon<Slots: SymbolSlots>(_ index: Int32, size: UInt64, objectIndex: Int32, slots: Slots) {
        switch slots[index].kind {
        case .undefined, .lazy:
            slots[index].kind = .common
            slots[index].value = size
            slots[index].file = objectIndex
            slots[index].member = -1
        case .common:
            if size > slots[index].value {
                slots[index].value = size
                slots[index].file = objectIndex
            }
        default:
            break // a real definition beats a common one
        }
        slots[index].isReferenced = true
    }

    func enterComdatLeader<Slots: SymbolSlots, Effects: EntryEffects>(_ index: Int32, object: ObjectFile, objectIndex: Int32, section: Int32, value: UInt32,
                                                                       isFunction: Bool, slots: Slots, effects: inout Effects) {
        let newSection = object.sections[Int(section)]
        let selection = newSection.selection
        func take() {
            var symbol = slots[index]
            symbol.kind = .defined
            symbol.file = objectIndex
            symbol.section = section
            symbol.value = UInt64(value)
            symbol.member = -1
            symbol.comdatSelection = selection
            symbol.isFunction = isFunction
            slots[index] = symbol
        }
        func discardNew() { effects.add(.dropCopy(object: objectIndex, section: section)) }
        if selection == ComdatSelection.newest.rawValue {
            effects.add(.error("unknown comdat type 7 for symbol \(displayName(of: index)): \(object.displayName), section \(object.name(of: newSection).string), uses COMDAT selection NEWEST (7), which pelink and lld-link do not support (only link.exe's incremental linking wrote it); rebuild the object with another selection"))
            discardNew()
            return
        }
        if selection == 0 || selection > ComdatSelection.largest.rawValue {
            effects.add(.error("\(object.displayName): COMDAT symbol \(displayName(of: index)) in section \(object.name(of: newSection).string) has invalid selection \(selection) (valid: 1 to 6)"))
            discardNew()
            return
        }
        let existing = slots[index]
        switch existing.kind {
        case .undefined, .lazy, .common, .autoImported, .localImport:
            take()
            return
        case .importThunk, .importAddress:
            effects.add(.error(replacedImportMessage(index, existing, by: object)))
            discardNew()
            return
        case .absolute, .linkerDefined:
            effects.add(.duplicate("duplicate symbol: \(displayName(of: index))\n>>> defined at \(definerName(existing))\n>>> defined at \(object.displayName)"))
            discardNew()
            return
        case .defined:
            // The usual case, another copy of an ANY COMDAT (an inline function, a template): the
            // first stays, and the kept copy need not be looked at.
            if existing.comdatSelection == ComdatSelection.any.rawValue && selection == ComdatSelection.any.rawValue {
                discardNew()
                return
            }
        }
        // A symbol defined by a COMDAT leader remembers its selection; its file and section are the kept copy.
        guard existing.comdatSelection != 0 else {
            effects.add(.duplicate("duplicate symbol: \(displayName(of: index))\n>>> defined at \(definerName(existing))\n>>> defined at \(object.displayName) (COMDAT)"))
            discardNew()
            return
        }
        let owner = (object: existing.file, section: existing.section)
        let oldObject = objects[Int(owner.object)]
        let oldSection = oldObject.sections[Int(owner.section)]
        let kept = ComdatSelection(rawValue: oldSection.selection) ?? .any
        func duplicate(_ why: String) {
            effects.add(.duplicate("duplicate symbol: \(displayName(of: index)) (COMDAT \(why))\n>>> defined at \(oldObject.displayName)\n>>> defined at \(object.displayName)"))
            discardNew()
        }
        // Two copies with different selections: link.exe and lld-link refuse it, whichever comes
        // first (except LARGEST, which combines with any), so the result never depends on the order.
        let added = ComdatSelection(rawValue: newSection.selection) ?? .any
        // MinGW: GCC writes SAME_SIZE where clang writes ANY for the same inline data (typeinfo);
        // GNU ld and lld-link take the pair as ANY.
        let gnuPair: Set<ComdatSelection> = [.any, .sameSize]
        let mixedGNU = options.isGNUFlavor && gnuPair.contains(added) && gnuPair.contains(kept)
        if added != kept && kept != .largest && added != .largest && !mixedGNU {
            if options.verbose {
                effects.add(.note("conflicting comdat type for symbol: \(kept.rawValue) in \(oldObject.displayName) and \(added.rawValue) in \(object.displayName)"))
            }
            let names = ["", "NODUPLICATES", "ANY", "SAME_SIZE", "EXACT_MATCH", "ASSOCIATIVE", "LARGEST", "NEWEST"]
            duplicate("selections \(names[Int(kept.rawValue)]) and \(names[Int(added.rawValue)]) differ")
            return
        }
        switch mixedGNU && added != kept ? .any : kept {
        case .noDuplicates:
            duplicate("selection NODUPLICATES")
        case .sameSize:
            if oldSection.size != newSection.size { duplicate("selection SAME_SIZE, sizes \(oldSection.size) and \(newSection.size)") } else { discardNew() }
        case .exactMatch:
            let same = oldSection.size == newSection.size && oldSection.checksum == newSection.checksum
                && oldSection.dataCount == newSection.dataCount
                && (oldSection.dataCount == 0 || memcmp(oldObject.data(oldSection).baseAddress!, object.data(newSection).baseAddress!, oldSection.dataCount) == 0)
            if same { discardNew() } else { duplicate("selection EXACT_MATCH, contents differ") }
        case .largest:
            // Drops another object's copy: objects with LARGEST leaders are never entered by shards.
            if newSection.size > oldSection.size {
                effects.add(.dropCopy(object: owner.object, section: owner.section))
                take()
            } else {
                discardNew()
            }
        default:
            discardNew()
        }
    }
}
