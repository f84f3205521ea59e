import Foundation
import PEFormat

/// The state of one link while symbols are resolved: every loaded file and every global symbol.
final class SymbolResolver: @unchecked Sendable {
    var options: LinkOptions
    var diagnostics: Diagnostics
    let arena = NameArena()

    var objects: [ObjectFile] = []
    /// Sections of every loaded object, for the flat placement arrays of layout.
    private(set) var totalSections = 0
    var archives: [ArchiveFile] = []
    var imports: [ImportEntry] = []
    var symbols: [Symbol] = []
    private var table: SymbolNameTable
    var names: [Name] { table.names }

    /// Archive members to load: (archive, member), in the order the need arose.
    private var pendingMembers: [(Int, Int)] = []
    /// Defined names by their `NameSuggestions.key`, made when a suggestion is first asked for.
    var suggestionIndex: [String: [String]]?
    /// The symbol each loaded member was pulled in for, by archive << 32 | member.
    private var memberPulledFor: [Int: Int32] = [:]
    private var pendingLibraries: [String] = []
    private var seenLibraries: Set<String> = []
    /// The object that declared each weak external's default, for diagnostics.
    private var weakOwner: [Int32: String] = [:]
    /// Export requests from .drectve, in load order.
    var directiveExports: [ExportRequest] = []
    /// Plain names (`/export:f`, `/entry:DllMain`) that resolved to a decorated or C++ symbol
    /// (`_f@8`, `_DllMain@12`): plain → decorated.
    var decoratedNames: [String: String] = [:]
    var directiveMerges: [(from: String, to: String)] = []
    var directiveSectionAttributes: [(name: String, attributes: String)] = []
    /// The symbols local import slots point at, in slot order (see `resolveLocalImports`).
    var localImportTargets: [Int32] = []
    /// /subsystem, /stack, /heap, /entry and /release from .drectve (the first object's value of each).
    var directiveOptions = LinkOptions()
    /// Symbols that .drectve `-exclude-symbols:` keeps out of automatic export.
    var directiveExcludedSymbols: Set<String> = []
    /// Compiled resource files (.res) of the command line, in order; `mergeResources` turns them
    /// into one resource object.
    var resourceFiles: [(path: String, view: ByteView)] = []
    /// GCC's `-aligncomm:NAME,LOG2`: the alignment (a power of two) a COMMON symbol needs.
    var commonAlignments: [String: Int] = [:]
    /// /FAILIFMISMATCH:key=value: the first value seen for each key, and who gave it.
    var mismatchChecks: [String: (value: String, source: String)] = [:]
    /// /include: symbols from .drectve, roots of /opt:ref.
    var directiveIncludes: [String] = []
    /// /manifestdependency values from .drectve, in load order.
    var directiveManifestDependencies: [String] = []
    /// .drectve options asking for output pelink does not make, warned about once each.
    private var warnedDirectives = Set<String>()

    init(options: LinkOptions, diagnostics: Diagnostics) {
        self.options = options
        self.diagnostics = diagnostics
        table = SymbolNameTable(shardCount: options.threads ?? availableProcessors)
        table.reserve(4096)
    }

    /// Where resolution spends its time, for /time.
    struct Statistics {
        var parseObjects = 0.0, insertObjects = 0.0, parseMembers = 0.0, insertMembers = 0.0
        var memberBatches = 0, membersLoaded = 0
        /// Batches whose symbols were entered by shards, and all batches of more than one input.
        var shardedBatches = 0, batches = 0
    }
    var statistics = Statistics()

    /// Set when an input could not be read: undefined symbols are then not reported, since the
    /// unreadable file most likely defines them.
    private(set) var hadUnreadableInput = false
    /// Thin archives: the symbol each member was loaded for (archive << 32 | member), for the
    /// message when its file is missing.
    private var thinMemberSymbol: [Int: Int32] = [:]

    func inputError(_ error: Error) {
        hadUnreadableInput = true
        diagnostics.error("\(error)")
    }

    // MARK: Symbols

    func symbolIndex(_ name: Name) -> Int32 { symbolIndex(name, hash: name.hashValue64) }

    func symbolIndex(_ name: Name, hash: UInt64) -> Int32 {
        let (index, inserted) = table.findOrInsert(name, hash: hash)
        if inserted { symbols.append(Symbol()) }
        return index
    }

    /// The symbol for a name the linker holds as a String; the name is copied only when new.
    func symbolIndex(_ name: String) -> Int32 {
        if let existing = find(name) { return existing }
        return symbolIndex(arena.intern(name))
    }

    /// The symbol numbers of `names`, as `symbolIndex` gives them one by one (a new name is
    /// numbered when first met), entered as one batch: tens of thousands of names (a .def's
    /// exports, objects' /EXPORT directives) are hashed and looked up by every worker.
    func symbolIndices(_ names: [String]) -> [Int32] {
        guard names.count >= 4096 else { return names.map { symbolIndex($0) } }
        // Copied into the arena first: a new name's bytes must outlive the strings.
        let interned = names.map { arena.intern($0) }
        let hashed = [HashedName](count: names.count, threads: options.threads) {
            HashedName(name: interned[$0], hash: interned[$0].hashValue64, record: Int32($0))
        }
        var numbers = [Int32](repeating: -1, count: names.count)
        let added = hashed.withUnsafeBufferPointer { hashed in
            numbers.withUnsafeMutableBufferPointer { numbers in
                table.findOrInsert(batch: [hashed], results: [numbers], threads: options.threads)
            }
        }
        symbols.append(repeating: Symbol(), count: added, threads: options.threads)
        return numbers
    }

    func find(_ name: String) -> Int32? {
        var s = name
        return s.withUTF8 { table.find(Name(UnsafeRawBufferPointer($0))) }
    }

    /// Records a reference; when an archive offers the symbol, its member is queued for loading.
    func reference(_ index: Int32, allowLibrarySearch: Bool = true) {
        var applied = AppliedEffects(resolver: self)
        enterReference(index, allowLibrarySearch: allowLibrarySearch, slots: TableSlots(resolver: self), effects: &applied)
    }

    /// Carries out what entering a symbol asked beyond the symbol (`SymbolEntry.swift`).
    func apply(_ effect: EntryEffect) {
        switch effect {
        case .error(let message): diagnostics.error(message)
        case .duplicate(let message): reportDuplicate(message)
        case .note(let message): diagnostics.note(message)
        case let .queueMember(archive, member, symbol): queueMember(archive: archive, member: member, for: symbol)
        case let .dropCopy(object, section): objects[Int(object)].sections[Int(section)].isLive = false
        }
    }

    private func queueMember(archive: Int, member: Int, for symbol: Int32) {
        guard !archives[archive].loaded[member] else { return }
        archives[archive].loaded[member] = true
        memberPulledFor[archive << 32 | member] = symbol
        if archives[archive].archive.isThin && symbol >= 0 { thinMemberSymbol[archive << 32 | member] = symbol }
        if options.verbose {
            let reason = symbol >= 0 ? "for \(displayName(of: symbol))" : "(--whole-archive)"
            diagnostics.note("Loaded \(archives[archive].path)(\(archives[archive].archive.memberName(member))) \(reason)")
        }
        pendingMembers.append((archive, member))
    }

    func displayName(ofName name: String) -> String {
        symbolDisplayName(name, machine: options.machine, demangle: options.demangle)
    }

    func displayName(of symbolIndex: Int32) -> String {
        symbolDisplayName(names[Int(symbolIndex)].string, machine: options.machine, demangle: options.demangle)
    }

    func definerName(_ symbol: Symbol) -> String {
        switch symbol.kind {
        case .defined, .common: return symbol.file >= 0 ? objects[Int(symbol.file)].displayName : "<linker>"
        case .absolute: return symbol.file >= 0 ? objects[Int(symbol.file)].displayName : "<command line>"
        case .importAddress, .importThunk: return "import library (\(imports[Int(symbol.file)].dllName))"
        default: return "<linker>"
        }
    }

    // MARK: Loading files

    /// Loads the command-line inputs and everything they pull in, until nothing more is needed.
    /// Returns the roots' symbol numbers.
    @discardableResult
    func loadAll(inputs: [String], roots: [String]) -> [Int32] {
        for pair in options.failIfMismatch { checkMismatch(pair, source: "cmd-line") }
        // Roots are undefined before any file is read, so an archive loads the members that define
        // them in its own symbol order wherever it stands on the command line (as lld-link does).
        let rootIndices = symbolIndices(roots)
        for index in rootIndices { reference(index) }
        var directObjects: [(index: Int, path: String, view: ByteView)] = []
        var order: [(kind: Int, index: Int)] = [] // 0 object, 1 archive, 2 import object file
        var importObjectFiles: [(String, ByteView)] = []
        var archiveFiles: [(path: String, view: ByteView)] = []
        var clock = DispatchTime.now().uptimeNanoseconds
        func lap() -> Double {
            let now = DispatchTime.now().uptimeNanoseconds
            defer { clock = now }
            return Double(now - clock) / 1e9
        }
        // Each input is found, identified and mapped in parallel (a few system calls each, for
        // thousands of objects); they are then taken in command-line order.
        let opened = ParallelResults<(path: String, identity: FileIdentity?, file: Result<MappedFile, Error>, kind: FileKind?)>(count: inputs.count)
        parallelFor(inputs.count, threads: options.threads) { i in
            let given = inputs[i]
            // A file not found as given is looked up in /libpath: and LIB folders, as link.exe does.
            let path = FileManager.default.fileExists(atPath: given) ? given : (self.findLibrary(given) ?? given)
            let file = Result { try MappedFile(path: path) }
            opened.set(i, (path, FileIdentity(path: path), file, try? FileKind.identify(file.get().view)))
        }
        // The same file named twice (under any spelling) is one input, as link.exe and lld-link take it.
        var seenFiles = Set<FileIdentity>()
        for i in inputs.indices {
            let (path, identity, mapped, kind) = opened.take(i)!
            if options.verbose { diagnostics.note("Reading \(path)") }
            if let identity, !seenFiles.insert(identity).inserted {
                if options.verbose { diagnostics.note("\(path): named again on the command line; linked once") }
                continue
            }
            let file: MappedFile
            do { file = try mapped.get() } catch {
                inputError(error)
                continue
            }
            let view = file.view
            switch kind! {
            case .archive, .thinArchive:
                archiveFiles.append((path, view))
                order.append((1, archiveFiles.count - 1))
            case .importObject:
                importObjectFiles.append((path, view))
                order.append((2, importObjectFiles.count - 1))
            case .coffObject, .bigObject:
                directObjects.append((directObjects.count, path, view))
                order.append((0, directObjects.count - 1))
            case .resource:
                resourceFiles.append((path, view))
            case let kind:
                inputError(FormatError(file: path, kind.rejection ?? "cannot be linked"))
            }
        }
        // Archives and command-line objects are read together, archives first and each by one
        // worker: a large archive's member headers and symbol directory, and the hashes of its
        // names, take one worker tens of milliseconds, while the others parse objects. An archive
        // that cannot be read leaves the order; objects' symbols are inserted in command-line
        // order below.
        let readArchives = ParallelResults<Result<(Archive, ExternalNames), Error>>(count: archiveFiles.count)
        let filesToRead = archiveFiles
        var parsed = [Result<ObjectFile, Error>?](repeating: nil, count: directObjects.count)
        let toParse = directObjects
        parsed.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let out = slots
            parallelForTakingTurns(filesToRead.count + toParse.count, threads: options.threads) { k in
                if k < filesToRead.count {
                    readArchives.set(k, Result {
                        let archive = try Archive(view: filesToRead[k].view, readsMembers: false)
                        return (archive, SymbolResolver.names(of: archive))
                    })
                } else {
                    let entry = toParse[k - filesToRead.count]
                    out[k - filesToRead.count] = Result { try ObjectFile.parse(displayName: entry.path, view: entry.view) }
                }
            }
        }
        var archiveIndex = [Int?](repeating: nil, count: archiveFiles.count)
        var archiveNames: [ExternalNames] = []
        for k in archiveFiles.indices {
            switch readArchives.take(k)! {
            case .success(let (archive, names)):
                archives.append(ArchiveFile(path: archiveFiles[k].path, archive: archive))
                archiveNames.append(names)
                archiveIndex[k] = archives.count - 1
            case .failure(let error): inputError(error)
            }
        }
        order = order.compactMap { entry in
            guard entry.kind == 1 else { return entry }
            return archiveIndex[entry.index].map { (1, $0) }
        }
        statistics.parseObjects += lap()
        // Size the symbol table once. An archive's symbols are distinct names; the objects' repeat
        // across objects (references, COMDAT copies): about half of those are distinct.
        var externalCount = 0
        for case .success(let object)? in parsed { externalCount += object.externals.count }
        let expected = archives.reduce(0) { $0 + $1.archive.symbolTable.count } + externalCount / 2 + 1024
        table.reserve(expected, threads: options.threads)
        symbols.reserveCapacity(expected)
        addInOrder(order.count, role: { k in
            let (kind, index) = order[k]
            switch kind {
            case 0:
                guard case .success(let object) = parsed[index]! else { return .nothing }
                return object.entersOtherNames ? .alone : .names(object.externals)
            case 1: return .names(archiveNames[index])
            default: return .alone
            }
        }, shardable: { k in
            let (kind, index) = order[k]
            switch kind {
            case 0:
                guard case .success(let object) = parsed[index]!, object.entersSymbolsIndependently else { return nil }
                return .object(object)
            case 1: return loadsWholeArchive(index) ? nil : .archive(index, archiveNames[index])
            default: return nil
            }
        }, add: { k, numbers in
            let (kind, index) = order[k]
            switch kind {
            case 0:
                switch parsed[index]! {
                case .success(let object): addObject(object, numbers: numbers)
                case .failure(let error): inputError(error)
                }
            case 1:
                addArchiveSymbols(index, names: archiveNames[index], numbers: numbers)
                if loadsWholeArchive(index) {
                    for member in archives[index].archive.memberHeaderOffsets.indices {
                        queueMember(archive: index, member: member, for: -1)
                    }
                }
            default:
                let (path, view) = importObjectFiles[index]
                do { addImportObject(try ImportObject(view: view), from: path) } catch { inputError(error) }
            }
        })
        statistics.insertObjects += lap()
        for library in options.defaultLibraries { addDefaultLibrary(library, requestedBy: "/defaultlib:\(library)") }
        drainQueues()
        return rootIndices
    }

    /// /wholearchive: every member of the archive is loaded.
    private func loadsWholeArchive(_ index: Int) -> Bool {
        options.wholeArchiveAll || options.wholeArchiveInputs.contains(archives[index].path)
            || options.wholeArchiveNames.contains((archives[index].path as NSString).lastPathComponent.lowercased())
    }

    /// Adds the references the link itself needs (entry point, exports) and loads what they pull in.
    func addRoots(_ roots: [String]) {
        for index in symbolIndices(roots) { reference(index) }
        drainQueues()
    }

    func drainQueues() {
        while true {
            if !pendingMembers.isEmpty {
                let batch = pendingMembers
                pendingMembers.removeAll()
                loadMembers(batch)
                continue
            }
            if !pendingLibraries.isEmpty {
                let path = pendingLibraries.removeFirst()
                addLibrary(path: path)
                continue
            }
            break
        }
    }

    /// Where a member object came from, for messages and reports.
    private func describeMember(_ object: ObjectFile, _ member: (archive: Int, member: Int)) {
        let (a, m) = member
        object.archivePath = archives[a].path
        object.memberName = archives[a].archive.memberName(m)
        object.isThinMember = archives[a].archive.isThin
        object.pulledFor = memberPulledFor[a << 32 | m] ?? -1
    }

    private func loadMembers(_ batch: [(Int, Int)]) {
        // Members of one batch are parsed in parallel, then inserted in queue order.
        statistics.memberBatches += 1
        statistics.membersLoaded += batch.count
        var start = DispatchTime.now().uptimeNanoseconds
        func lap() -> Double {
            let now = DispatchTime.now().uptimeNanoseconds
            defer { start = now }
            return Double(now - start) / 1e9
        }
        defer { statistics.insertMembers += lap() }
        var parsed = [Result<ObjectFile?, Error>?](repeating: nil, count: batch.count)
        var importMembers = [ImportObject?](repeating: nil, count: batch.count)
        let archivesNow = archives
        parsed.withUnsafeMutableBufferPointer { slots in
            importMembers.withUnsafeMutableBufferPointer { importSlots in
                guard let slotsBase = slots.baseAddress, let importBase = importSlots.baseAddress else { return }
                nonisolated(unsafe) let out = slotsBase
                nonisolated(unsafe) let importOut = importBase
                // Taken in turns: members differ in size by orders of magnitude (an import
                // member is tens of bytes).
                parallelForTakingTurns(batch.count, threads: options.threads) { i in
                    let (a, m) = batch[i]
                    var member: ArchiveMember
                    do { member = try archivesNow[a].archive.member(m) } catch {
                        out[i] = .failure(error)
                        return
                    }
                    // "library.lib(member.obj)", file names only, as lld-link names members (llvm-lib stores the
                    // paths it was given as member names).
                    let name = "\(memberFileName(archivesNow[a].path))(\(memberFileName(member.name)))"
                    do {
                        if member.externalSize != nil {
                            do { member.data = try archivesNow[a].externalMember(m) } catch {
                                out[i] = .failure(ThinMemberMissing(archive: archivesNow[a].path, member: member.name, reason: "\(error)"))
                                return
                            }
                        }
                        switch FileKind.identify(member.data) {
                        case .importObject:
                            importOut[i] = try ImportObject(view: member.data)
                            out[i] = .success(nil)
                        case .coffObject, .bigObject:
                            out[i] = .success(try ObjectFile.parse(displayName: name, view: member.data))
                        case let kind:
                            throw FormatError(file: archivesNow[a].path, offset: member.data.offset, kind.rejection ?? "cannot be linked")
                        }
                    } catch let error as FormatError where error.file == archivesNow[a].path {
                        out[i] = .failure(error.inMember(member.name))
                    } catch {
                        out[i] = .failure(error)
                    }
                }
            }
        }
        statistics.parseMembers += lap()
        addInOrder(batch.count, role: { i in
            switch parsed[i]! {
            case .success(let object?): return object.entersOtherNames ? .alone : .names(object.externals)
            case .success(nil): return .alone
            case .failure: return .nothing
            }
        }, shardable: { i in
            guard case .success(let object?) = parsed[i]!, object.entersSymbolsIndependently else { return nil }
            describeMember(object, batch[i])
            return .object(object)
        }, add: { i, numbers in
            switch parsed[i]! {
            case .success(let object?):
                describeMember(object, batch[i])
                addObject(object, numbers: numbers)
            case .success(nil):
                let (a, m) = batch[i]
                addImportObject(importMembers[i]!, from: "\(archives[a].path)(\(archives[a].archive.memberName(m)))")
            case .failure(let error as ThinMemberMissing):
                // lld-link's words, with the symbol that asked for the member.
                let (a, m) = batch[i]
                let symbol = thinMemberSymbol[a << 32 | m].map { symbolDisplayName(names[Int($0)].string, machine: options.machine, demangle: options.demangle, withName: false) } ?? "?"
                diagnostics.error("could not get the buffer for the member defining symbol \(symbol): \(memberFileName(error.archive))(\(memberFileName(error.member))): \(error.reason) (a thin archive's member is a separate file, looked for beside the archive)")
                hadUnreadableInput = true
            case .failure(let error): inputError(error)
            }
        })
    }

    /// What an input is to `addInOrder`: names to number in a batch, nothing to number (it could
    /// not be read), or an input added alone because it enters names of its own as it is added.
    enum BatchRole {
        case names(ExternalNames)
        case nothing
        case alone
    }

    /// Adds inputs 0..<count in order with `add`. The names of each run of inputs that can be
    /// batched are first numbered together, in parallel (`SymbolNameTable.findOrInsert(batch:)`),
    /// which gives every name the number adding the inputs one by one would give it; `add` then
    /// gets each input's numbers. An input that must be added alone gets none.
    private func addInOrder(_ count: Int, role: (Int) -> BatchRole, shardable: (Int) -> ShardableInput?,
                            add: (Int, UnsafeBufferPointer<Int32>?) -> Void) {
        var start = 0
        while start < count {
            var sources: [ExternalNames] = []
            var sourceOf: [Int] = []
            var end = start
            runLoop: while end < count {
                switch role(end) {
                case .alone: break runLoop
                case .nothing: sourceOf.append(-1)
                case .names(let names):
                    sourceOf.append(sources.count)
                    sources.append(names)
                }
                end += 1
            }
            if end == start {
                add(start, nil)
                start += 1
                continue
            }
            let total = sources.reduce(0) { $0 + $1.count }
            let numbers = UnsafeMutableBufferPointer<Int32>.allocate(capacity: max(total, 1))
            defer { numbers.deallocate() }
            var slices: [UnsafeMutableBufferPointer<Int32>] = []
            var offset = 0
            for source in sources {
                slices.append(UnsafeMutableBufferPointer(rebasing: numbers[offset..<offset + source.count]))
                offset += source.count
            }
            let added = table.findOrInsert(batch: sources.map { UnsafeBufferPointer($0.buffer) }, results: slices, threads: options.threads)
            // Grown by an eighth rather than doubled: on a large link this array is tens of megabytes.
            if symbols.count + added > symbols.capacity { symbols.reserveCapacity((symbols.count + added) * 9 / 8) }
            symbols.append(repeating: Symbol(), count: added, threads: options.threads)
            if let inputs = shardableBatch(start..<end, total: total, sourceOf: sourceOf, slices: slices, shardable: shardable) {
                enterByShards(inputs)
            } else {
                for k in start..<end {
                    add(k, sourceOf[k - start] < 0 ? nil : UnsafeBufferPointer(slices[sourceOf[k - start]]))
                }
            }
            start = end
        }
    }

    /// An input of a batch, as `enterByShards` takes it.
    enum ShardableInput {
        /// An object whose symbols enter independently (`ObjectFile.entersSymbolsIndependently`).
        case object(ObjectFile)
        /// An archive's offers (not one whose every member is loaded), with their names.
        case archive(Int, ExternalNames)
    }

    /// The inputs of a batch with their numbers, when the batch is entered by shards: it is large,
    /// there are workers, nothing is printed as it goes (/verbose), and every input is shardable
    /// and of the link's machine. Nil otherwise, and the inputs are entered one at a time.
    private func shardableBatch(_ batch: Range<Int>, total: Int, sourceOf: [Int], slices: [UnsafeMutableBufferPointer<Int32>],
                                shardable: (Int) -> ShardableInput?) -> [(input: ShardableInput, numbers: UnsafeBufferPointer<Int32>)]? {
        statistics.batches += 1
        guard total >= options.shardedEntryMinimum, (options.threads ?? availableProcessors) > 1, !options.verbose else { return nil }
        var inputs: [(input: ShardableInput, numbers: UnsafeBufferPointer<Int32>)] = []
        var machine = options.machine
        for k in batch {
            guard sourceOf[k - batch.lowerBound] >= 0, let input = shardable(k) else { return nil }
            if case .object(let object) = input {
                guard let next = SymbolResolver.machine(after: machine, adding: object.coff.machine) else { return nil }
                machine = next
            }
            inputs.append((input, UnsafeBufferPointer(slices[sourceOf[k - batch.lowerBound]])))
        }
        return inputs
    }

    /// Enters a batch by shards of the symbols, one worker per shard: each goes through every
    /// input in order and enters the events of its own symbols, so each symbol meets its events
    /// in input order, as entering the inputs one by one would. What the events do beyond their
    /// symbols is recorded with its place and applied afterwards in input order, each input's
    /// directives after its effects. The shards are blocks of symbols (64 unless a test says otherwise) taken in turn, so no two
    /// workers write one cache line.
    private func enterByShards(_ inputs: [(input: ShardableInput, numbers: UnsafeBufferPointer<Int32>)]) {
        statistics.shardedBatches += 1
        var objectIndex = [Int32](repeating: -1, count: inputs.count)
        for (k, item) in inputs.enumerated() {
            // shardableBatch checked every machine with the same rule as admit.
            if case .object(let object) = item.input, let index = admit(object) { objectIndex[k] = index }
        }
        // Relocation targets depend on the numbers only: each object's by one worker.
        parallelFor(inputs.count, threads: options.threads) { k in
            guard case .object(let object) = inputs[k].input else { return }
            let externals = object.externals, numbers = inputs[k].numbers, coff = object.coff
            object.targets.withUnsafeMutableBufferPointer { targets in
                for e in 0..<externals.count {
                    let record = externals[e].record
                    targets[Int(record)] = object.hasDebugExternals ? SymbolResolver.target(of: coff.symbol(Int(record)), index: numbers[e]) : .global(numbers[e])
                }
            }
        }
        // A power of two, so that a symbol's shard is a mask of its number, not a division.
        let workers = 1 << (Int.bitWidth - 1 - min(options.threads ?? availableProcessors, 64).leadingZeroBitCount)
        let shardMask = workers - 1, blockShift = options.shardedEntryBlockShift
        let recorded = ParallelResults<RecordedEffects>(count: workers)
        symbols.withUnsafeMutableBufferPointer { table in
            let slots = ShardSlots(base: table.baseAddress!)
            parallelFor(workers, threads: workers) { w in
                var effects = RecordedEffects()
                for (k, item) in inputs.enumerated() {
                    let numbers = item.numbers
                    switch item.input {
                    case .object(let object):
                        let externals = object.externals, coff = object.coff
                        for e in 0..<externals.count where Int(numbers[e]) >> blockShift & shardMask == w {
                            effects.place = Int64(k) << 32 | Int64(e)
                            enterExternal(e, record: coff.symbol(Int(externals[e].record)), of: object, objectIndex: objectIndex[k],
                                          index: numbers[e], slots: slots, effects: &effects)
                        }
                    case let .archive(a, names):
                        let symbolTable = archives[a].archive.symbolTable
                        for e in 0..<names.count where Int(numbers[e]) >> blockShift & shardMask == w {
                            effects.place = Int64(k) << 32 | Int64(e)
                            enterOffer(numbers[e], archive: a, member: symbolTable[Int(names[e].record)].memberIndex, slots: slots, effects: &effects)
                        }
                    }
                }
                recorded.set(w, effects)
            }
        }
        let all = (0..<workers).map { recorded.take($0)! }
        // Dropped copies first, each object's by one worker.
        let objects = self.objects
        parallelFor(workers, threads: workers) { w in
            for list in all {
                for drop in list.drops where Int(drop.object) & shardMask == w { objects[Int(drop.object)].sections[Int(drop.section)].isLive = false }
            }
        }
        // The other effects merged in order of place, each input's directives after them.
        let lists = all.map(\.effects)
        var next = [Int](repeating: 0, count: workers)
        for (k, item) in inputs.enumerated() {
            while true {
                var first = -1
                for w in 0..<workers where next[w] < lists[w].count && lists[w][next[w]].place >> 32 == k {
                    if first < 0 || lists[w][next[w]].place < lists[first][next[first]].place { first = w }
                }
                if first < 0 { break }
                apply(lists[first][next[first]].effect)
                next[first] += 1
            }
            if case .object(let object) = item.input { finishEntering(object) }
        }
    }

    /// The names an archive's symbol table offers, hashed; each `record` is the entry's index.
    /// Entries naming no member are left out, and so is a DllMain an import library offers: a
    /// DLL's import library may list its DllMain (exported by mistake), and importing a DLL's
    /// entry point is never what a link wants, so the definition in a static library searched
    /// later is used instead (as lld-link does).
    static func names(of archive: Archive) -> ExternalNames {
        var names: [HashedName] = []
        names.reserveCapacity(archive.symbolTable.count)
        for (k, entry) in archive.symbolTable.enumerated() {
            let memberIndex = entry.memberIndex
            guard memberIndex >= 0, memberIndex < archive.memberCount else { continue }
            let name = Name(archive.symbolNameBytes(entry))
            if name.equals("DllMain") || name.equals("_DllMain@12"),
               (try? archive.member(memberIndex)).map({ FileKind.identify($0.data) }) == .importObject { continue }
            names.append(HashedName(name: name, hash: name.hashValue64, record: Int32(k)))
        }
        return ExternalNames(names)
    }

    private func addArchiveSymbols(_ archiveIndex: Int, names: ExternalNames, numbers: UnsafeBufferPointer<Int32>?) {
        let archive = archives[archiveIndex]
        var applied = AppliedEffects(resolver: self)
        for e in 0..<names.count {
            let offered = names[e]
            let memberIndex = archive.archive.symbolTable[Int(offered.record)].memberIndex
            let index = numbers?[e] ?? symbolIndex(offered.name, hash: offered.hash)
            enterOffer(index, archive: archiveIndex, member: memberIndex, slots: TableSlots(resolver: self), effects: &applied)
        }
    }

    /// Finds a library by name as link.exe does: as given, then in each /libpath: and LIB folder.
    func findLibrary(_ name: String) -> String? {
        var candidates = [name]
        if !name.lowercased().hasSuffix(".lib") && !name.contains(".") { candidates.append(name + ".lib") }
        // MinGW libraries are libNAME.a: a /defaultlib:NAME.lib in MinGW mode finds them too, as lld-link's -lldmingw does.
        if options.isGNUFlavor && !name.contains("/") {
            let stem = name.lowercased().hasSuffix(".lib") ? String(name.dropLast(4)) : name
            if !stem.contains(".") || name.lowercased().hasSuffix(".lib") { candidates += ["lib" + stem + ".a", stem + ".a", "lib" + stem + ".lib"] }
        }
        for candidate in candidates {
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            if candidate.hasPrefix("/") { continue }
            for folder in options.libraryPaths {
                let path = folder.hasSuffix("/") ? folder + candidate : folder + "/" + candidate
                if FileManager.default.fileExists(atPath: path) { return path }
                // Windows names are case-insensitive; try the lower-case spelling too.
                let lower = folder + "/" + candidate.lowercased()
                if FileManager.default.fileExists(atPath: lower) { return lower }
            }
        }
        return nil
    }

    private func addDefaultLibrary(_ name: String, requestedBy: String) {
        let key = normalizedLibraryName(name)
        if options.noDefaultLibrariesAll || options.noDefaultLibraries.contains(key) { return }
        guard seenLibraries.insert(key).inserted else { return }
        guard let path = findLibrary(name) else {
            diagnostics.error("cannot open default library '\(name)' requested by \(requestedBy): not found in the current folder, /libpath: or LIB\(options.libraryPaths.isEmpty ? "" : " (searched: " + options.libraryPaths.joined(separator: ", ") + ")")")
            return
        }
        pendingLibraries.append(path)
    }

    private func addLibrary(path: String) {
        do {
            let file = try MappedFile(path: path)
            switch FileKind.identify(file.view) {
            case .archive, .thinArchive: break
            case .coffObject, .bigObject:
                addObject(try ObjectFile.parse(displayName: path, view: file.view))
                return
            case let kind:
                throw FormatError(file: path, (kind.rejection ?? "is not a library") + " (it was given as a library)")
            }
            archives.append(ArchiveFile(path: path, archive: try Archive(view: file.view, readsMembers: false)))
            addArchiveSymbols(archives.count - 1, names: SymbolResolver.names(of: archives[archives.count - 1].archive), numbers: nil)
        } catch {
            inputError(error)
        }
    }

    // MARK: Import objects

    func addImportObject(_ object: ImportObject, from path: String) {
        if options.machine == .unknown { options.machine = object.machine }
        if object.machine != options.machine {
            inputError(FormatError(file: path, "import object for machine \(object.machine.optionName) conflicts with target machine \(options.machine.optionName)"))
            return
        }
        let entry = ImportEntry(
            dllName: object.dllName,
            importName: object.nameType == .ordinal ? nil : object.importName,
            ordinal: object.nameType == .ordinal ? object.ordinalOrHint : 0,
            hint: object.nameType == .ordinal ? 0 : object.ordinalOrHint,
            isCode: object.type == .code,
            sourcePath: path.firstIndex(of: "(").map { String(path[..<$0]) } ?? path)
        let importIndex = Int32(imports.count)
        let addressName = arena.intern("__imp_" + object.symbolName)
        let address = symbolIndex(addressName)
        if defineImport(address, kind: .importAddress, importIndex: importIndex, from: path) {
            imports.append(entry)
            imports[Int(importIndex)].addressSymbol = address
            if object.type == .code {
                let thunk = symbolIndex(object.symbolName)
                _ = defineImport(thunk, kind: .importThunk, importIndex: importIndex, from: path)
            } else if object.type == .const {
                // CONSTANT imports (obsolete): the plain name is the IAT slot too, as link.exe binds it.
                _ = defineImport(symbolIndex(object.symbolName), kind: .importAddress, importIndex: importIndex, from: path)
            }
        }
    }

    private func defineImport(_ index: Int32, kind: SymbolKind, importIndex: Int32, from path: String) -> Bool {
        let existing = symbols[Int(index)]
        switch existing.kind {
        case .undefined, .lazy:
            symbols[Int(index)].kind = kind
            symbols[Int(index)].file = importIndex
            return true
        default:
            // An object or another import defines the name already (link.exe and lld-link report it too).
            reportDuplicate("duplicate symbol: \(displayName(of: index))\n>>> defined at \(definerName(existing))\n>>> defined at \(path)")
            return false
        }
    }

    // MARK: Objects

    /// Adds an object's symbols, numbered beforehand in a batch (`numbers`, in the order of
    /// `object.externals`) or one by one here.
    func addObject(_ object: ObjectFile, numbers: UnsafeBufferPointer<Int32>? = nil) {
        guard let objectIndex = admit(object) else { return }
        let coff = object.coff
        var targets: [SymbolTarget] = []
        swap(&targets, &object.targets) // mutate a local array: no exclusivity check per store
        defer { swap(&targets, &object.targets) }
        let externals = object.externals
        var applied = AppliedEffects(resolver: self)
        for e in 0..<externals.count {
            let external = externals[e]
            let recordIndex = external.record
            let record = coff.symbol(Int(recordIndex))
            let index = numbers?[e] ?? symbolIndex(external.name, hash: external.hash)
            targets[Int(recordIndex)] = SymbolResolver.target(of: record, index: index)
            if e >= object.comdatLeaderCount && record.storageClass == StorageClass.weakExternal {
                addWeakExternal(object: object, objectIndex: objectIndex, recordIndex: Int(recordIndex), symbol: index)
                continue
            }
            enterExternal(e, record: record, of: object, objectIndex: objectIndex, index: index, slots: TableSlots(resolver: self), effects: &applied)
        }
        finishEntering(object)
    }

    /// Takes `object` into the link (its number, and the numbers of its sections); nil when its
    /// machine is not the link's.
    private func admit(_ object: ObjectFile) -> Int32? {
        let coff = object.coff
        guard let machine = SymbolResolver.machine(after: options.machine, adding: coff.machine) else {
            inputError(FormatError(file: object.displayName, "machine type \(coff.machine.optionName) conflicts with \(options.machine.optionName), the machine the link targets"))
            return nil
        }
        options.machine = machine
        if options.keepsDWARF {
            for s in object.sections.indices where object.sections[s].isDWARF { object.sections[s].isLive = true }
        }
        objects.append(object)
        object.firstSection = totalSections
        totalSections += object.sections.count
        return Int32(objects.count - 1)
    }

    /// The link's machine once an object of `objectMachine` joins: the first object's machine
    /// when none was given, and nil when the object's is another (an object of no machine fits).
    static func machine(after linkMachine: Machine, adding objectMachine: Machine) -> Machine? {
        if objectMachine == .unknown || linkMachine == .unknown { return linkMachine == .unknown ? objectMachine : linkMachine }
        return objectMachine == linkMachine ? linkMachine : nil
    }

    /// Where relocations against an external record lead: its symbol, or nowhere for a debug-only one.
    static func target(of record: COFFSymbolRecord, index: Int32) -> SymbolTarget {
        record.sectionNumber == SectionNumber.debug ? .none : .global(index)
    }

    /// What follows entering an object's externals: its directives.
    private func finishEntering(_ object: ObjectFile) {
        // The names were needed only to enter the symbol table.
        object.externals = ExternalNames([])
        if options.verbose && !object.directiveArguments.isEmpty {
            diagnostics.note("Directives: \(object.displayName): \(object.directiveText)")
        }
        applyDirectives(object)
    }

    private func addWeakExternal(object: ObjectFile, objectIndex: Int32, recordIndex: Int, symbol index: Int32) {
        let record = object.coff.symbol(recordIndex)
        guard record.auxiliaryCount >= 1 else {
            diagnostics.error("\(object.displayName): weak external symbol \(names[Int(index)].string) has no auxiliary record")
            return
        }
        let weak = object.coff.weakExternal(auxiliaryOf: recordIndex)
        guard weak.tagIndex < object.coff.symbolCount else {
            diagnostics.error("\(object.coff.view.error(at: object.coff.symbolOffset(recordIndex + 1), "weak external \(names[Int(index)].string) names symbol \(weak.tagIndex) as its default, past the symbol table's \(object.coff.symbolCount) records"))")
            return
        }
        guard weak.tagIndex != recordIndex else {
            diagnostics.error("\(object.coff.view.error(at: object.coff.symbolOffset(recordIndex + 1), "weak external \(names[Int(index)].string) names itself (symbol \(recordIndex)) as its default; the default must be another symbol"))")
            return
        }
        guard let search = WeakSearch(rawValue: weak.characteristics) else {
            diagnostics.error("\(object.displayName): weak external \(names[Int(index)].string) has unknown search kind \(weak.characteristics)")
            return
        }
        // The default is another symbol record of this object; make sure it has a global number.
        var aliasIndex: Int32 = -1
        let tag = object.coff.symbol(weak.tagIndex)
        guard object.isSymbolRecord[weak.tagIndex] else {
            diagnostics.error("\(object.coff.view.error(at: object.coff.symbolOffset(recordIndex + 1), "weak external \(names[Int(index)].string) names record \(weak.tagIndex) as its default, which is an auxiliary record, not a symbol"))")
            return
        }
        guard tag.sectionNumber >= SectionNumber.debug, Int(tag.sectionNumber) <= object.sections.count else {
            diagnostics.error("\(object.coff.view.error(at: object.coff.symbolOffset(recordIndex + 1), "weak external \(names[Int(index)].string) names symbol \(weak.tagIndex) as its default, whose section number \(tag.sectionNumber) is out of range"))")
            return
        }
        if tag.isExternal, let tagName = try? object.coff.symbolNameBytes(weak.tagIndex) {
            aliasIndex = symbolIndex(Name(tagName))
        } else if tag.sectionNumber > 0 {
            // A static default: give it a private global so the alias can point at it.
            let privateName = arena.intern("\u{1}weak-default:\(objects.count):\(weak.tagIndex)")
            aliasIndex = symbolIndex(privateName)
            if symbols[Int(aliasIndex)].kind == .undefined {
                symbols[Int(aliasIndex)].kind = .defined
                symbols[Int(aliasIndex)].file = objectIndex
                symbols[Int(aliasIndex)].section = tag.sectionNumber - 1
                symbols[Int(aliasIndex)].value = UInt64(tag.value)
            }
        }
        if symbols[Int(index)].weakAlias < 0 {
            symbols[Int(index)].weakAlias = aliasIndex
            weakOwner[index] = object.displayName
        }
        // Only SEARCH_LIBRARY asks for archives to be searched (pe-format.md, "Auxiliary Format 3").
        // ALIAS, what clang writes for __attribute__((weak)), and NOLIBRARY do not: the default is used.
        if search == .library { reference(index) }
        else { symbols[Int(index)].weakNoLibrary = true }
        symbols[Int(index)].isReferenced = true
    }

    // MARK: Directives

    private func applyDirectives(_ object: ObjectFile) {
        for (argument, directive) in zip(object.directiveArguments, object.directives) {
            guard let (name, value, export) = directive else {
                diagnostics.error("\(object.displayName): .drectve: '\(argument)' is not an option")
                continue
            }
            do {
                switch name {
                case "export":
                    guard let export else { throw UsageError("/EXPORT needs a value") }
                    directiveExports.append(try export.get())
                case "defaultlib":
                    guard let value else { throw UsageError("/DEFAULTLIB needs a value") }
                    addDefaultLibrary(value, requestedBy: object.displayName)
                case "nodefaultlib":
                    if let value { options.noDefaultLibraries.insert(normalizedLibraryName(value)) } else { options.noDefaultLibrariesAll = true }
                case "include":
                    guard let value else { throw UsageError("/INCLUDE needs a value") }
                    reference(symbolIndex(value))
                    directiveIncludes.append(value)
                case "alternatename":
                    guard let value else { throw UsageError("/ALTERNATENAME needs a value") }
                    let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
                    guard parts.count == 2 else { throw UsageError("/ALTERNATENAME:\(value): expected from=to") }
                    options.alternateNames.append((parts[0], parts[1]))
                case "merge":
                    guard let value else { throw UsageError("/MERGE needs a value") }
                    let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
                    guard parts.count == 2 else { throw UsageError("/MERGE:\(value): expected from=to") }
                    directiveMerges.append((parts[0], parts[1]))
                case "section":
                    guard let value, let comma = value.lastIndex(of: ",") else { throw UsageError("/SECTION needs name,attributes") }
                    let attributes = String(value[value.index(after: comma)...])
                    try validateSectionAttributes(attributes, context: "/SECTION:\(value)")
                    directiveSectionAttributes.append((String(value[..<comma]), attributes))
                case "exclude-symbols":
                    // clang writes it for symbols that automatic export (MinGW) must leave out.
                    guard let value else { throw UsageError("-exclude-symbols needs a value") }
                    for symbol in value.split(separator: ",") { directiveExcludedSymbols.insert(String(symbol)) }
                case "subsystem", "stack", "heap", "entry", "release":
                    // Read with the command line's own option table; the first object that asks wins,
                    // and the command line wins over every object (link.exe's precedence).
                    var ignoredNotes: [String] = []
                    let parsed = try parseCommandLine([argument], environment: [:], notes: &ignoredNotes)
                    if name == "subsystem" && directiveOptions.subsystem == nil {
                        directiveOptions.subsystem = parsed.subsystem
                        directiveOptions.subsystemMajor = parsed.subsystemMajor
                        directiveOptions.subsystemMinor = parsed.subsystemMinor
                    }
                    if name == "stack" && directiveOptions.stackReserve == nil {
                        (directiveOptions.stackReserve, directiveOptions.stackCommit) = (parsed.stackReserve, parsed.stackCommit)
                    }
                    if name == "heap" && directiveOptions.heapReserve == nil {
                        (directiveOptions.heapReserve, directiveOptions.heapCommit) = (parsed.heapReserve, parsed.heapCommit)
                    }
                    if name == "entry" && directiveOptions.entry == nil { directiveOptions.entry = parsed.entry }
                    if parsed.setChecksum { directiveOptions.setChecksum = true }
                case "delayload":
                    // MSVC's #pragma comment(linker, "/delayload:x.dll").
                    guard let value else { throw UsageError("/DELAYLOAD needs a DLL name") }
                    if !options.delayLoadDLLs.contains(value.lowercased()) {
                        options.delayLoadDLLs.append(value.lowercased())
                        reference(symbolIndex(Target(options.machine).delayLoadHelperName))
                    }
                case "failifmismatch":
                    guard let value else { throw UsageError("/FAILIFMISMATCH needs key=value") }
                    checkMismatch(value, source: object.displayName)
                case "aligncomm":
                    // GCC writes it for COMMON symbols declared with an alignment: NAME,LOG2.
                    guard let value, let comma = value.lastIndex(of: ","), let log2 = Int(value[value.index(after: comma)...]),
                          log2 >= 0, log2 <= 13 else {
                        throw UsageError("-aligncomm:\(value ?? ""): expected NAME,LOG2 with LOG2 from 0 to 13")
                    }
                    let symbol = String(value[..<comma])
                    commonAlignments[symbol] = max(commonAlignments[symbol] ?? 1, 1 << log2)
                case "manifestdependency":
                    // MSVC headers ask for Common Controls 6 this way (#pragma comment(linker, ...)).
                    guard let value else { throw UsageError("/MANIFESTDEPENDENCY needs a value") }
                    if !directiveManifestDependencies.contains(value) { directiveManifestDependencies.append(value) }
                case "guardsym", "guard":
                    // They ask for output pelink does not make yet (control-flow-guard tables): said
                    // once, naming the first object that asks.
                    if warnedDirectives.insert(name).inserted {
                        diagnostics.warning("\(object.displayName): .drectve \(argument): pelink does not write control flow guard tables yet; the image has none")
                    }
                case "disallowlib", "editandcontinue", "throwingnew", "nocoffgrpinfo":
                    // Checks and hints for link.exe's own features; nothing in the image changes.
                    if options.verbose { diagnostics.note("\(object.displayName): .drectve \(argument): accepted, no effect") }
                default:
                    throw UsageError("unknown directive \(argument)")
                }
            } catch {
                diagnostics.error("\(object.displayName): .drectve: \(error)")
            }
        }
    }

    /// Resources: .res files, and objects that carry a resource tree (`.rsrc$01`/`.rsrc$02` from
    /// cvtres or llvm-cvtres, `.rsrc` from windres), become one tree, as cvtres builds it for
    /// link.exe: a resource object made in memory (PEFormat's `ResourceObject`) replaces the
    /// objects' own resource sections. A single resource object and no .res stay as they are.
    /// The same type, name and language twice is an error naming both inputs (a warning with
    /// /force, the first one kept).
    /// Merges the resources of .res files and objects (and `extra` ones, the embedded manifest)
    /// into one resource object.
    func mergeResources(adding extra: [ResourceEntry] = []) {
        func isResourceSection(_ object: ObjectFile, _ section: InputSection) -> Bool {
            let name = object.name(of: section)
            return section.isLive && (name.equals(".rsrc$01") || name.equals(".rsrc$02") || name.equals(".rsrc"))
        }
        // Every section's name is looked at: in parallel, object by object.
        let objects = self.objects
        let carries = ParallelResults<Bool>(count: objects.count)
        parallelFor(objects.count, threads: options.threads) { o in
            carries.set(o, objects[o].sections.contains { isResourceSection(objects[o], $0) })
        }
        let carriers = objects.indices.filter { carries.peek($0)! }
        guard !resourceFiles.isEmpty || carriers.count > 1 || !extra.isEmpty else { return }
        var entries: [ResourceEntry] = []
        for (path, view) in resourceFiles {
            do { entries += try ResourceFile.parse(view, path: path) } catch { inputError(error) }
        }
        for o in carriers {
            let object = objects[o]
            do { entries += try ResourceObject.entries(of: object.coff, path: object.displayName) } catch { inputError(error); continue }
            for s in object.sections.indices where isResourceSection(object, object.sections[s]) { object.sections[s].isLive = false }
        }
        entries += extra
        if options.forceMultiple {
            for duplicate in ResourceObject.duplicates(in: entries) {
                diagnostics.warning("\(duplicate) (/force: the first is kept)")
            }
        }
        let machine = options.machine == .unknown ? Machine.amd64 : options.machine
        do {
            let bytes = try ResourceObject.write(entries: entries, machine: machine, allowDuplicates: options.forceMultiple)
            let name = "resources (" + (resourceFiles.map(\.path) + carriers.map { objects[$0].displayName } + Set(extra.map(\.source)).sorted()).joined(separator: ", ") + ")"
            let file = MappedFile(path: name, contents: bytes)
            addObject(try ObjectFile.parse(displayName: name, view: file.view))
        } catch let error as ResourceDuplicateError {
            for line in "\(error)".split(separator: "\n") { diagnostics.error(String(line)) }
        } catch {
            inputError(error)
        }
    }

    /// Two definitions of one symbol: an error, or with /force:multiple a warning (the first stays).
    private func reportDuplicate(_ message: String) {
        if options.forceMultiple { diagnostics.warning(message + "\n>>> /force:multiple: the first definition is used") } else { diagnostics.error(message) }
    }

    /// /FAILIFMISMATCH (link.exe's LNK2038): objects built with different settings of one key
    /// (a runtime library, `_ITERATOR_DEBUG_LEVEL`, a `#pragma detect_mismatch`) must not meet.
    func checkMismatch(_ pair: String, source: String) {
        guard let equals = pair.firstIndex(of: "=") else {
            diagnostics.error("\(source): /FAILIFMISMATCH:\(pair): expected key=value")
            return
        }
        let key = String(pair[..<equals]), value = String(pair[pair.index(after: equals)...])
        guard let first = mismatchChecks[key] else {
            mismatchChecks[key] = (value, source)
            return
        }
        if first.value != value {
            diagnostics.error("/failifmismatch: mismatch detected for '\(key)':\n>>> \(first.source) has value \(first.value)\n>>> \(source) has value \(value)")
        }
    }

    // MARK: Finishing resolution

    /// Applies weak aliases and /alternatename to what is still undefined, loading what they need.
    func resolveAliases() {
        var changed = true
        var rounds = 0
        while changed && rounds < 100 {
            changed = false
            rounds += 1
            for (from, to) in options.alternateNames {
                guard let f = find(from), symbols[Int(f)].kind == .undefined || symbols[Int(f)].kind == .lazy else { continue }
                guard symbols[Int(f)].isReferenced, symbols[Int(f)].weakAlias < 0 else { continue }
                let t = symbolIndex(to)
                symbols[Int(f)].weakAlias = t
                reference(t)
                changed = true
            }
            drainQueues()
        }
        // Follow alias chains (bounded, so a cycle cannot hang the link).
        var reportedCycles = Set<[Int32]>()
        for i in symbols.indices where symbols[i].kind == .undefined || (symbols[i].kind == .lazy && symbols[i].weakAlias >= 0) {
            var target = symbols[i].weakAlias
            var steps = 0
            while target >= 0 && symbols[Int(target)].kind == .undefined && symbols[Int(target)].weakAlias >= 0 && steps < 64 {
                target = symbols[Int(target)].weakAlias
                steps += 1
            }
            if steps == 64 && symbols[Int(target)].kind == .undefined && symbols[i].isReferenced {
                reportWeakCycle(through: target, reported: &reportedCycles)
                continue
            }
            if target >= 0 && symbols[Int(target)].kind != .undefined && symbols[Int(target)].kind != .lazy {
                adoptDefinition(of: target, into: Int32(i))
            }
        }
    }

    /// Makes `alias` stand for what `target` is (weak defaults, /alternatename, plain names of
    /// C++ functions); references to either then reach the same place.
    private func adoptDefinition(of target: Int32, into alias: Int32) {
        let definition = symbols[Int(target)]
        symbols[Int(alias)].kind = definition.kind
        symbols[Int(alias)].file = definition.file
        symbols[Int(alias)].section = definition.section
        symbols[Int(alias)].value = definition.value
        symbols[Int(alias)].isFunction = definition.isFunction
    }

    /// Weak externals whose defaults lead back to themselves: no definition can ever be found.
    private func reportWeakCycle(through start: Int32, reported: inout Set<[Int32]>) {
        var cycle: [Int32] = [start]
        var next = symbols[Int(start)].weakAlias
        while next >= 0 && next != start && cycle.count < 64 {
            cycle.append(next)
            next = symbols[Int(next)].weakAlias
        }
        guard reported.insert(cycle.sorted()).inserted else { return }
        let chain = (cycle + [start]).map { names[Int($0)].string }.joined(separator: " -> ")
        let files = Set(cycle.compactMap { weakOwner[$0] }).sorted().joined(separator: ", ")
        diagnostics.error("weak externals form a cycle, so none of them can be resolved: \(chain)\(files.isEmpty ? "" : " (declared in \(files))")")
    }

    /// `/entry:main` or `/export:f` naming a C++ function by its plain name: when the name stays
    /// undefined and a defined global function `?name@@Y...` exists (MSVC mangling), the name
    /// becomes an alias of it, as link.exe and lld-link resolve it. The smallest such name wins,
    /// so the choice does not depend on input order.
    func resolveMangledNames(_ plainNames: [String], target: Target) {
        // Most names are defined as given: they are looked up in parallel (lookups only read).
        let undefined = ParallelResults<Int32>(count: plainNames.count)
        let symbols = self.symbols
        parallelFor(plainNames.count, threads: options.threads) { i in
            if let g = self.find(plainNames[i]), symbols[Int(g)].kind == .undefined { undefined.set(i, g) }
        }
        var pending: [(symbol: Int32, prefixes: [String])] = []
        for (i, name) in plainNames.enumerated() {
            guard let g = undefined.peek(i) else { continue }
            let prefixes = target.decoratedCandidatePrefixes(of: name)
            if !prefixes.isEmpty { pending.append((g, prefixes)) }
        }
        if pending.isEmpty { return }
        // The defined names in order, once: each prefix is then found by a binary search (the
        // names that start with it follow it), not by a pass over every symbol per name.
        let names = self.names
        let defined = symbols.indices.filter { symbols[$0].kind == .defined }.sorted { names[$0] < names[$1] }
        for (g, prefixes) in pending {
            var found: Int32?
            // The first kind of decoration that matches wins; among its names, the smallest.
            for prefix in prefixes where found == nil {
                let prefixName = arena.intern(prefix)
                var low = 0, high = defined.count
                while low < high {
                    let middle = (low + high) / 2
                    if names[defined[middle]] < prefixName { low = middle + 1 } else { high = middle }
                }
                while low < defined.count {
                    let name = names[defined[low]]
                    guard name.count >= prefixName.count, memcmp(name.base!, prefixName.base!, prefixName.count) == 0 else { break }
                    // The prefix alone is no decorated name of it.
                    if name.count > prefixName.count {
                        found = Int32(defined[low])
                        break
                    }
                    low += 1
                }
            }
            guard let m = found else { continue }
            adoptDefinition(of: m, into: g)
            decoratedNames[names[Int(g)].string] = names[Int(m)].string
            if options.verbose { diagnostics.note("\(names[Int(g)].string) aliased to \(displayName(of: m))") }
        }
    }

    /// GNU ld's stdcall fixup (x86): a reference to `_f` still undefined resolves to a defined
    /// `_f@N`, and one to `_f@N` to a defined `_f`, since C code without prototypes or .def
    /// files lose the decoration. Each fixup is a warning unless --enable-stdcall-fixup asked for it.
    func resolveStdcallFixups(quietly: Bool) {
        var pending: [Int32] = []
        for g in symbols.indices where symbols[g].kind == .undefined && symbols[g].isReferenced && symbols[g].weakAlias < 0 {
            let name = names[g]
            if name.hasPrefix("_") && !name.hasPrefix("__imp_") { pending.append(Int32(g)) }
        }
        for g in pending {
            let name = names[Int(g)].string
            var found: Int32?
            if let at = name.lastIndex(of: "@"), at > name.startIndex, name[name.index(after: at)...].allSatisfy(\.isNumber) {
                if let plain = find(String(name[..<at])), symbols[Int(plain)].kind == .defined { found = plain }
            } else if !name.utf8.contains(0x40) {
                let prefix = arena.intern(name + "@")
                for candidate in symbols.indices where symbols[candidate].kind == .defined {
                    let other = names[candidate]
                    guard other.count > prefix.count, memcmp(other.base!, prefix.base!, prefix.count) == 0 else { continue }
                    let suffix = other.string.dropFirst(prefix.count)
                    guard suffix.allSatisfy(\.isNumber) else { continue }
                    if let f = found, !(other < names[Int(f)]) { continue }
                    found = Int32(candidate)
                }
            }
            guard let target = found else { continue }
            adoptDefinition(of: target, into: g)
            if !quietly { diagnostics.warning("resolving \(name) by linking to \(names[Int(target)].string) (stdcall fixup; --enable-stdcall-fixup silences this, --disable-stdcall-fixup turns it off)") }
        }
    }

    /// Local imports: `__imp_X` still undefined while X is defined in the link (code compiled
    /// with dllimport, then linked statically). link.exe and lld-link make a pointer slot that
    /// holds X's address and warn (LNK4217), naming each object that imports it.
    func resolveLocalImports() {
        var candidates: [(slot: Int32, target: Int32)] = []
        for g in symbols.indices where symbols[g].kind == .undefined && symbols[g].isReferenced && symbols[g].weakAlias < 0 {
            let name = names[g]
            guard name.hasPrefix("__imp_"), name.count > 6 else { continue }
            let target = Name(UnsafeRawBufferPointer(rebasing: name.bytes[6...]))
            guard let x = table.find(target) else { continue }
            // A definition an archive offers is loaded, as for any reference.
            reference(x)
            candidates.append((Int32(g), x))
        }
        if candidates.isEmpty { return }
        drainQueues()
        var localImports: [(slot: Int32, target: Int32)] = []
        for (slot, x) in candidates where symbols[Int(slot)].kind == .undefined {
            switch symbols[Int(x)].kind {
            case .defined, .absolute, .common, .linkerDefined:
                localImports.append((slot, x))
            default:
                continue
            }
        }
        if localImports.isEmpty { return }
        for (k, (slot, x)) in localImports.enumerated() {
            symbols[Int(slot)].kind = .localImport
            symbols[Int(slot)].member = x
            symbols[Int(slot)].value = UInt64(k)
        }
        localImportTargets = localImports.map(\.target)
        if options.ignoredWarnings.isSuperset(of: [4217, 4286]) { return }
        let slots = Set(localImports.map(\.slot))
        for object in objects {
            var warned = Set<Int32>()
            for recordIndex in object.targets.indices {
                guard case .global(let g) = object.targets[recordIndex].decoded, slots.contains(g), warned.insert(g).inserted else { continue }
                let x = symbols[Int(g)]
                // link.exe's numbers: 4286 when the definition came from a library, else 4217.
                let definer = symbols[Int(x.member)]
                let fromLibrary = definer.kind == .defined && objects[Int(definer.file)].archivePath != nil
                let code = fromLibrary ? 4286 : 4217
                if options.ignoredWarnings.contains(code) { continue }
                diagnostics.warning("\(object.displayName): locally defined symbol imported: \(displayName(of: x.member)) (defined in \(definerName(definer))) [LNK\(code)]")
            }
        }
    }

    /// MinGW auto-import: a symbol still undefined whose `__imp_` twin an import library offers
    /// is reached through the import address table (see `SymbolKind.autoImported`).
    func resolveAutoImports() {
        var candidates: [(symbol: Int32, slot: Int32)] = []
        for g in symbols.indices where symbols[g].kind == .undefined && symbols[g].isReferenced && symbols[g].weakAlias < 0 {
            let name = names[g]
            guard let slot = find("__imp_" + name.string) else { continue }
            candidates.append((Int32(g), slot))
            reference(slot)
        }
        if candidates.isEmpty { return }
        drainQueues()
        for (g, slot) in candidates where symbols[Int(g)].kind == .undefined {
            let kind = symbols[Int(slot)].kind
            guard kind == .importAddress || kind == .defined else { continue }
            symbols[Int(g)].kind = .autoImported
            symbols[Int(g)].member = slot
            if options.verbose { diagnostics.note("Automatically importing \(names[Int(g)].string) from \(names[Int(slot)].string)") }
        }
    }

    /// Propagates COMDAT discards to associative sections: each section follows the root of its
    /// chain (parsing rejected cycles), whatever the order of the sections in the object.
    func finishComdats() {
        // Objects are independent: each one's sections are settled by one worker.
        let objects = self.objects
        parallelFor(objects.count, threads: options.threads) { o in
            let object = objects[o]
            guard object.sections.contains(where: { $0.associatedWith >= 0 }) else { return }
            // 0 unknown, 1 live, 2 discarded: each section's verdict is found once.
            var verdict = [UInt8](repeating: 0, count: object.sections.count)
            var chain: [Int] = []
            for first in object.sections.indices where object.sections[first].associatedWith >= 0 && verdict[first] == 0 {
                // The usual chain: one section whose leader is no one's associate (such a leader
                // has no verdict of its own). A section already dropped has nothing to pass on.
                guard object.sections[first].isLive else { continue }
                let leader = Int(object.sections[first].associatedWith)
                if object.sections[leader].associatedWith < 0 {
                    let live = object.sections[leader].isLive
                    verdict[first] = live ? 1 : 2
                    if !live { object.sections[first].isLive = false }
                    continue
                }
                chain.removeAll(keepingCapacity: true)
                var s = first
                while object.sections[s].associatedWith >= 0 && verdict[s] == 0 && object.sections[s].isLive {
                    chain.append(s)
                    s = Int(object.sections[s].associatedWith)
                }
                let live: Bool
                if verdict[s] != 0 { live = verdict[s] == 1 } else { live = object.sections[s].isLive }
                for c in chain {
                    verdict[c] = live ? 1 : 2
                    if !live { object.sections[c].isLive = false }
                }
            }
        }
    }

    /// After layout the name index is not needed: free it before the output is written, when
    /// memory use peaks.
    func releaseResolutionTables() {
        table.dropIndex()
    }

    /// Once no member can be loaded any more: the archives' symbol directories (their entries,
    /// and the linker members' pages mapped while reading them) are not needed by later passes,
    /// whose peak memory they would add to. Names of symbols an archive offered but never
    /// loaded still point into those pages, which are read again from the file if asked.
    func releaseArchiveSymbolTables() {
        for archive in archives {
            archive.archive.symbolTable = []
            for member in archive.archive.linkerMembers {
                member.file.releaseResidentPages(member.offset..<member.offset + member.count)
            }
        }
    }

    /// Once symbols are resolved: the objects' symbol records, a quarter of a typical object, are
    /// read again only by reports (/map, /why, undefined symbols) and by the few objects with
    /// COMMON symbols, so their pages leave the link's resident memory before the pass with the
    /// largest tables (folding). Names in them (8 characters or fewer) are read again from the
    /// file if asked.
    func releaseObjectSymbolRecords() {
        let objects = self.objects
        parallelFor(objects.count, threads: options.threads) { o in
            let coff = objects[o].coff
            let start = coff.view.offset + coff.symbolOffset(0)
            coff.view.file.releaseResidentPages(start..<start + coff.symbolCount * coff.symbolRecordSize)
        }
    }

    /// Reports every symbol still undefined, with every object that refers to it.
    func reportUndefined(entry: String?) {
        if hadUnreadableInput { return }
        // The common case, nothing undefined, costs one pass over the symbols.
        let anyUndefined = symbols.contains { ($0.kind == .undefined || $0.kind == .lazy) && $0.isReferenced }
        if !anyUndefined { return }
        var undefinedReferences: [Int32: [String]] = [:]
        var order: [Int32] = []
        // Each reference as lld-link lists it, "file:(function)", in section and relocation order;
        // an object whose symbol table names the symbol but no relocation uses it, as "file".
        for object in objects {
            var undefinedRecords: [Int: Int32] = [:]
            for recordIndex in object.targets.indices {
                guard case .global(let g) = object.targets[recordIndex].decoded else { continue }
                let kind = symbols[Int(g)].kind
                guard kind == .undefined || kind == .lazy else { continue }
                let record = object.coff.symbol(Int(recordIndex))
                guard record.sectionNumber == 0 && record.value == 0 else { continue }
                undefinedRecords[recordIndex] = g
            }
            if undefinedRecords.isEmpty { continue }
            var referenced = Set<Int32>()
            func add(_ g: Int32, _ referrer: String) {
                if undefinedReferences[g] == nil { order.append(g) }
                undefinedReferences[g, default: []].append(referrer)
            }
            for (s, section) in object.sections.enumerated() where section.isLive && section.relocationCount > 0 {
                for r in 0..<section.relocationCount {
                    let relocation = object.relocation(section, r)
                    guard let g = undefinedRecords[Int(relocation.symbolTableIndex)] else { continue }
                    referenced.insert(g)
                    guard (undefinedReferences[g]?.count ?? 0) <= 10 else { add(g, ""); continue }
                    let function = object.symbolContaining(sectionIndex: s, offset: Int(relocation.virtualAddress))?.name
                    add(g, object.displayName + (function.map { ":(\(symbolDisplayName($0, machine: options.machine, demangle: options.demangle)))" } ?? ""))
                }
            }
            for g in Set(undefinedRecords.values).subtracting(referenced).sorted() { add(g, object.displayName) }
        }
        let fromObjects = Set(undefinedReferences.keys)
        if let entry, let g = find(entry), symbols[Int(g)].kind == .undefined || symbols[Int(g)].kind == .lazy {
            if undefinedReferences[g] == nil { order.append(g) }
            let reason = options.entry != nil ? "/entry:\(entry)"
                : (options.isDLL ? "the default entry point of a DLL (use /entry:name or /noentry)"
                   : "the entry point of an EXE, chosen by its main function (use /entry:name)")
            undefinedReferences[g, default: []].append(reason)
        }
        for name in options.includes {
            if let g = find(name), symbols[Int(g)].kind == .undefined || symbols[Int(g)].kind == .lazy {
                if undefinedReferences[g] == nil { order.append(g) }
                undefinedReferences[g, default: []].append("/include:\(name)")
            }
        }
        if !options.delayLoadDLLs.isEmpty, let g = find(Target(options.machine).delayLoadHelperName),
           symbols[Int(g)].kind == .undefined || symbols[Int(g)].kind == .lazy {
            if undefinedReferences[g] == nil { order.append(g) }
            undefinedReferences[g, default: []].append("the delay-load code of /delayload:\(options.delayLoadDLLs.joined(separator: ", /delayload:")) (link delayimp.lib, or an object that defines the helper)")
        }
        // Beyond what lld-link says: libraries in /libpath: that define a missing symbol but
        // were not linked, and defined symbols whose names differ only in decoration, mangling or case.
        let outside = librariesOutsideTheLink(defining: Set(order.map { names[Int($0)].string }))
        for (i, g) in order.enumerated() {
            let referrers = undefinedReferences[g]!
            // "<root>:" as lld-link says it: only the command line (entry point, /include:) asks.
            var message = (fromObjects.contains(g) ? "" : "<root>: ") + "undefined symbol: \(displayName(of: g))"
            for r in referrers.prefix(10) { message += "\n>>> referenced by \(r)" }
            if referrers.count > 10 { message += "\n>>> referenced \(referrers.count - 10) more times" }
            let name = names[Int(g)].string
            if let library = outside[name] {
                message += "\n>>> defined in \(library), which is in a /libpath: folder but not in the link: add \((library as NSString).lastPathComponent) to the command line"
            }
            for candidate in suggestions(for: name) {
                let origin = origin(ofSymbolNamed: candidate)
                message += "\n>>> did you mean: \(displayName(ofName: candidate))\(origin.isEmpty ? "" : " (defined in \(origin))")"
                message += "\n>>>   \(NameSuggestions.hint(undefined: name, candidate: candidate))"
            }
            // A blank line between the reports of several symbols, as lld-link separates them.
            if i + 1 < order.count { message += "\n" }
            if options.forceUnresolved {
                // /force:unresolved: link anyway (link.exe's LNK4088 image), the symbol at the image
                // base, which every reference in the image reaches.
                diagnostics.warning(message + "\n>>> /force:unresolved: linked to the image base")
                symbols[Int(g)].kind = .linkerDefined
                symbols[Int(g)].value = 0
            } else {
                diagnostics.error(message)
            }
        }
    }
}

/// A file's device and inode: two paths to one file compare equal.
struct FileIdentity: Hashable {
    let device: UInt64
    let inode: UInt64

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}

/// A member name without the folders some librarians keep in it (llvm-lib, thin archives).
func memberFileName(_ name: String) -> String {
    // By bytes: every loaded member's name is made with it.
    guard let separator = name.utf8.lastIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") }) else { return name }
    return String(decoding: name.utf8[name.utf8.index(after: separator)...], as: UTF8.self)
}

/// A thin archive's member whose file cannot be read.
struct ThinMemberMissing: Error {
    var archive: String
    var member: String
    var reason: String
}
