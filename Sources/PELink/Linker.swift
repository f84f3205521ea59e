import Foundation
import PEFormat

/// A failed link: every error of the pass that stopped it, as printed.
public struct LinkError: Error, CustomStringConvertible {
    /// Printed on standard error.
    public var diagnostics: [String]
    /// Printed on standard output (the /time report of the passes that ran).
    public var output: [String] = []
    public var description: String { diagnostics.joined(separator: "\n") }
}

/// What a successful link printed: warnings and /verbose notes (standard error), and the /time
/// report (standard output).
public struct LinkMessages: Sendable {
    public var diagnostics: [String]
    public var output: [String]
}

/// Links a DLL (or EXE) as the options say. Returns the warnings and notes; throws `LinkError`
/// with all errors of the failing pass. Outputs are written atomically: a failed link leaves
/// existing files untouched.
public func link(_ options: LinkOptions) throws -> LinkMessages {
    var linker = Linker(options: options)
    return try linker.run()
}

struct Linker {
    var options: LinkOptions
    var diagnostics = Diagnostics()
    var moduleDefinition: ModuleDefinition?
    var layoutDetails = ""
    /// /time's detail line of identical-code folding.
    var foldingDetails = ""
    /// /time's detail of /opt:ref: how long each step took.
    var garbageDetails = ""
    var dllName = ""
    /// An EXE's entry point chosen from its main function (`inferSubsystemAndEntry`).
    var inferredEntry: String?
    /// `userExportRequests()`, made once when resolution starts (decorating thousands of names costs).
    var decoratedUserExports: (commandLine: [ExportRequest], moduleDefinition: [ExportRequest])?
    /// The symbol numbers of `decoratedUserExports`' requests (-1 for forwarders), the command
    /// line's then the .def's.
    var userExportSymbols: [[Int32]]?
    /// The hash of the written image (build id / PDB GUID, content time stamp), for the PDB.
    let imageIdentity = ImageIdentity()
    /// The manifest written beside the image (/manifest without :embed).
    var sideBySideManifest: (path: String, bytes: [UInt8])?
    /// Sections /opt:icf folded (global section numbers): each has the address of the one kept.
    var foldedSections: [(section: Int32, into: Int32)] = []
    /// COMDAT sections /opt:ref removed (global section numbers, in input order); recorded only
    /// when a report lists them (`reportsRemovedSections`).
    var unreferencedSections: [Int32] = []
    /// The files the PDB carries (/sourcelink, /pdbstream, /natvis), read when the link starts.
    var pdbNamedStreams: [PDBNamedStream] = []
    var pdbInjectedSources: [PDBInjectedSource] = []

    init(options: LinkOptions) {
        self.options = options
        diagnostics.warningsAreErrors = options.warningsAreErrors
    }

    mutating func checkpoint() throws {
        if diagnostics.hasErrors { throw LinkError(diagnostics: diagnostics.lines, output: diagnostics.output) }
    }


    // The passes, in order.
    mutating func run() throws -> LinkMessages {
        let total = DispatchTime.now().uptimeNanoseconds
        var clock = PassClock()
        try clock.timed("Read .def") { try readModuleDefinition() }
        try checkpoint()
        if options.inputFiles.isEmpty { return try writeImportLibraryOnly() }
        if options.writesPDB && !(options.natvisFiles.isEmpty && options.pdbStreamFiles.isEmpty) {
            // Read first, so that a missing file fails the link before any work.
            clock.timed("Read the PDB's files (/natvis, /sourcelink)") { readPDBFiles() }
            try checkpoint()
        }
        let resolver = clock.timed("Read inputs and resolve symbols") { resolveSymbols() }
        try checkpoint()
        // Types depend on no address: merge them while the image is laid out and written.
        let typeMerge = options.writesPDB ? TypeMergeJob(objects: resolver.objects) : nil
        typeMerge?.start()
        let stats = resolver.statistics
        if options.printTimes {
            clock.detail(String(format: "read archives and parse objects %.3f s, insert their symbols %.3f s", stats.parseObjects, stats.insertObjects))
            clock.detail(String(format: "archive members: %d in %d batches, parse %.3f s, insert %.3f s", stats.membersLoaded, stats.memberBatches, stats.parseMembers, stats.insertMembers))
            clock.detail("symbols entered by shards in \(stats.shardedBatches) of \(stats.batches) batches of inputs")
        }
        let exports = clock.timed("Collect exports") { collectExports(resolver) }
        try checkpoint()
        // Before any work that writes: a break of the locked exports fails the link here.
        let abiLockFile = options.abiLockPath == nil ? nil : clock.timed("Check exports against the ABI lock") { checkABILock(exports, resolver) }
        try checkpoint()
        clock.timed("Remove unreferenced sections (/opt:ref)") { collectGarbage(resolver, exports: exports) }
        if options.printTimes && !garbageDetails.isEmpty { clock.detail(garbageDetails) }
        clock.timed("Fold identical sections (/opt:icf)") { foldIdenticalSections(resolver, exports: exports) }
        if options.printTimes && !foldingDetails.isEmpty { clock.detail(foldingDetails) }
        // The import library depends only on the exports: build its bytes while the image is laid
        // out and written (layout leaves a core free), and put it on disk only once the image is,
        // so a failed link replaces neither file. Not earlier: its tables would add to the peak
        // memory of folding.
        let importLibrary = ImportLibraryJob(path: importLibraryPath(exports), dllName: dllName,
                                             machine: resolver.options.machine, exports: exports,
                                             importerSymbols: importerSymbols(exports, resolver))
        if importLibrary.path != nil { importLibrary.start() }
        // A failed link waits for the job, whose temporary file then goes with it.
        defer { importLibrary.abandon() }
        var image = clock.timed("Lay out") { layOut(resolver, exports: exports) }
        if options.printTimes { clock.detail(layoutDetails) }
        try checkpoint()
        let outputPath = self.outputPath
        // What the PDB needs of the symbols, which writing the image releases.
        let pdbPublics = options.writesPDB ? clock.timed("Collect the PDB's public symbols") { PDBBuilder.publicSymbols(resolver, image: image) } : []
        if options.whyJSON && options.whyQueries.isEmpty {
            diagnostics.warning("/json has no effect without /why: (it makes the /why report JSON); to dump a file as JSON, use pelink /dump /json FILE")
        }
        if !options.whyQueries.isEmpty {
            let report = whyReport(resolver, image: image, exports: exports)
            let text = options.whyJSON ? report.json : report.text
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty { diagnostics.report(String(line)) }
        }
        let pdbBuilder = PDBBuilder(resolver: resolver, image: image, relocator: Relocator(resolver: resolver, image: image))
        let pdbImageParts = options.writesPDB ? PDBImagePartsJob(builder: pdbBuilder, publics: pdbPublics) : nil
        pdbImageParts?.start()
        resolver.releaseResolutionTables()
        // Every output is staged in a temporary file and renamed into place only when all were
        // written: a failure in any leaves every previous output as it was.
        var staged: [StagedOutput] = []
        // The map reads the symbols, which writing the image releases: make its text first.
        let mapPath = options.mapPath ?? (options.mapNextToOutput ? (outputPath as NSString).deletingPathExtension + ".map" : nil)
        let mapText = mapPath.map { _ in clock.timed("Make map file") { MapFile.text(resolver, image: image, outputPath: outputPath, options: options, unreferenced: unreferencedSections, folded: foldedSections) } }
        if let output = clock.timed("Write image", { writeImage(&image, resolver: resolver, to: outputPath) }) {
            staged.append(output)
        }
        try checkpoint()
        if let mapPath, let mapText {
            if mapPath == "-" {
                // /map:- (lld-link's): the map on standard output.
                for line in mapText.split(separator: "\n", omittingEmptySubsequences: false).dropLast() { diagnostics.report(String(line)) }
            } else {
                do { staged.append(try StagedOutput(path: mapPath, bytes: Array(mapText.utf8))) } catch { diagnostics.error("\(error)") }
            }
        }
        if let typeMerge {
            if let file = clock.timed("Make PDB", { makePDB(pdbBuilder, typeMerge: typeMerge, imageParts: pdbImageParts!) }) {
                clock.timed("Write PDB") {
                    do {
                        staged.append(try StagedOutput(path: DebugDirectoryPlan.pdbPath(options: options, outputPath: outputPath), size: file.size, writeInOrder: { try file.write($0) }))
                    } catch { diagnostics.error("\(error)") }
                }
            }
        }
        if let manifest = sideBySideManifest {
            do { staged.append(try StagedOutput(path: manifest.path, bytes: manifest.bytes)) } catch { diagnostics.error("\(error)") }
        }
        if let path = options.outputDefinitionPath {
            do { staged.append(try StagedOutput(path: path, bytes: Array(moduleDefinitionText(exports).utf8))) } catch { diagnostics.error("\(error)") }
        }
        if let abiLockFile {
            do { staged.append(try StagedOutput(path: abiLockFile.path, bytes: abiLockFile.bytes)) } catch { diagnostics.error("\(error)") }
        }
        if importLibrary.path != nil {
            clock.timed("Write import library (after waiting for it)") {
                switch importLibrary.finish() {
                case .success(let output?): staged.append(output)
                case .success(nil): break
                case .failure(let error): diagnostics.error("\(error)")
                }
            }
        }
        try checkpoint()
        for output in staged {
            do { try output.commit() } catch { diagnostics.error("\(error)") }
        }
        try checkpoint()
        if options.printTimes {
            let sum = Double(DispatchTime.now().uptimeNanoseconds - total) / 1e9
            for (name, seconds) in clock.timings {
                if seconds < 0 {
                    diagnostics.report("      " + name)
                } else {
                    diagnostics.report(String(format: "  %-62@ %8.3f s", name as NSString, seconds))
                }
            }
            diagnostics.report(String(format: "  %-62@ %8.3f s", "Total" as NSString, sum))
        }
        if Driver.leavesTablesForExit {
            _ = Unmanaged.passRetained(resolver)
            // The laid-out image and the exports too: freeing their tables took a large link 25 ms.
            _ = Unmanaged.passRetained(LeftForExit((image, exports)))
        }
        return LinkMessages(diagnostics: diagnostics.lines, output: diagnostics.output)
    }

    /// `/def:` without objects: only the import library, the way build systems call
    /// `lld-link /def:x.def /machine:x64 /out:x.lib` (no image is linked).
    mutating func writeImportLibraryOnly() throws -> LinkMessages {
        guard options.machine != .unknown else {
            diagnostics.error("/def: without object files writes only an import library, and needs /machine: (x64, x86 or arm64)")
            try checkpoint()
            return LinkMessages(diagnostics: diagnostics.lines, output: diagnostics.output)
        }
        let defExports = moduleDefinitionRequests()
        let merged = ExportBuilder.mergeRequests(commandLine: options.exports, moduleDefinition: defExports,
                                                 directives: [], threads: options.threads, diagnostics: &diagnostics).requests
        let exports = ExportBuilder.assignOrdinals(merged, threads: options.threads, symbolOf: { _ in -1 }, diagnostics: &diagnostics)
        try checkpoint()
        if moduleDefinition?.outputName.map({ $0.isEmpty }) ?? true {
            dllName = ((outputPath as NSString).lastPathComponent as NSString).deletingPathExtension + ".dll"
        }
        let abiLockFile = checkABILock(exports, nil)
        try checkpoint()
        let path = options.importLibraryPath ?? (outputPath as NSString).deletingPathExtension + ".lib"
        let job = ImportLibraryJob(path: path, dllName: dllName, machine: options.machine, exports: exports)
        job.start()
        var staged: [StagedOutput] = []
        switch job.finish() {
        case .success(let output?): staged.append(output)
        case .success(nil): break
        case .failure(let error): diagnostics.error("\(error)")
        }
        if let abiLockFile {
            do { staged.append(try StagedOutput(path: abiLockFile.path, bytes: abiLockFile.bytes)) } catch { diagnostics.error("\(error)") }
        }
        try checkpoint()
        for output in staged {
            do { try output.commit() } catch { diagnostics.error("\(error)") }
        }
        try checkpoint()
        return LinkMessages(diagnostics: diagnostics.lines, output: diagnostics.output)
    }

    /// The output's extension when no name gives one: a driver is a .sys (link.exe's default).
    var defaultExtension: String { options.isDLL ? ".dll" : (options.driver ? ".sys" : ".exe") }

    var outputPath: String {
        if let out = options.outputPath { return out }
        let ext = defaultExtension
        if let name = moduleDefinition?.outputName {
            return (name as NSString).pathExtension.isEmpty ? name + ext : name
        }
        // The first input that is not a library or resource names the output, whatever its
        // extension (or none), in the current folder: link.exe's and lld-link's rule.
        let notObjects = ["lib", "a", "res", "def"]
        let first = options.inputFiles.first { !notObjects.contains(($0 as NSString).pathExtension.lowercased()) }
            ?? options.inputFiles.first ?? "a"
        return ((first as NSString).lastPathComponent as NSString).deletingPathExtension + ext
    }

    // MARK: .def

    mutating func readModuleDefinition() throws {
        // A .def given as an input file is the module definition, as link.exe treats it.
        if let index = options.inputFiles.firstIndex(where: { $0.lowercased().hasSuffix(".def") }) {
            if options.moduleDefinitionPath == nil { options.moduleDefinitionPath = options.inputFiles[index] }
            options.inputFiles.remove(at: index)
        }
        guard let path = options.moduleDefinitionPath else {
            dllName = (outputPath as NSString).lastPathComponent
            return
        }
        let definition: ModuleDefinition
        do { definition = try ModuleDefinition.parse(path: path) } catch {
            diagnostics.error("\(error)")
            return
        }
        for warning in definition.warnings { diagnostics.warning("\(warning)") }
        moduleDefinition = definition
        if definition.isLibrary { options.isDLL = true }
        if options.imageBase == nil, let base = definition.imageBase { options.imageBase = base }
        if options.stackReserve == nil { options.stackReserve = definition.stackReserve; options.stackCommit = definition.stackCommit }
        if options.heapReserve == nil { options.heapReserve = definition.heapReserve; options.heapCommit = definition.heapCommit }
        if let major = definition.majorImageVersion, options.majorImageVersion == 0 && options.minorImageVersion == 0 {
            options.majorImageVersion = major
            options.minorImageVersion = definition.minorImageVersion ?? 0
        }
        if let stub = definition.stub, options.dosStub == nil {
            do { options.dosStub = try ImageHeaders.readStub(path: stub) } catch { diagnostics.error("\(error) (STUB in \(path))") }
        }
        for section in definition.sections {
            let letters = section.attributes.map { String($0.uppercased().first ?? "R") }.joined()
            options.sectionAttributes.append((section.name, letters))
        }
        // The DLL name in the export table and the import library: LIBRARY (or NAME), else the output name.
        if let name = definition.outputName, !name.isEmpty {
            let ext = defaultExtension
            dllName = (name as NSString).pathExtension.isEmpty ? name + ext : name
        } else {
            dllName = (outputPath as NSString).lastPathComponent
        }
    }

    // MARK: Resolution

    mutating func resolveSymbols() -> SymbolResolver {
        // Names the user gives (/export:, .def, /include:, /entry:) are C names that x86 decorates,
        // so the machine must be known before they become symbols: from /machine: or the inputs.
        if options.machine == .unknown, let machine = machineOfInputs(options.inputFiles) { options.machine = machine }
        options.includes = options.includes.map { target.mangle($0) }
        options.optionalIncludes = options.optionalIncludes.map { target.mangle($0) }
        let resolver = SymbolResolver(options: options, diagnostics: diagnostics)
        var roots: [String] = []
        // An EXE's entry point, when not given, depends on which main function the inputs define.
        if !entryIsInferred, let entry = entrySymbolName { roots.append(entry) }
        roots += options.includes + options.optionalIncludes
        let (commandLineExports, definitionExports) = userExportRequests()
        decoratedUserExports = (commandLineExports, definitionExports)
        let firstExportRoot = roots.count
        for requests in [commandLineExports, definitionExports] {
            for i in requests.indices where requests[i].forwardTo == nil { roots.append(requests[i].symbolName) }
        }
        let rootIndices = resolver.loadAll(inputs: options.inputFiles, roots: roots)
        // The exports' symbols, numbered as roots: collecting the exports need not look them up again.
        var next = firstExportRoot
        userExportSymbols = [commandLineExports, definitionExports].map { requests in
            requests.map { request in
                guard request.forwardTo == nil else { return -1 }
                defer { next += 1 }
                return rootIndices[next]
            }
        }
        adoptDirectiveOptions(resolver)
        if resolver.options.machine == .unknown { resolver.options.machine = .amd64 }
        options.machine = resolver.options.machine
        inferSubsystemAndEntry(resolver)
        if resolver.options.machine == .armnt && !options.dynamicBase {
            // Windows runs 32-bit ARM images only relocated (lld-link's and link.exe's check).
            resolver.diagnostics.error("/dynamicbase:no is not compatible with arm: Windows loads 32-bit ARM images only at a relocated address")
        }
        if ![Machine.amd64, .i386, .arm64].contains(resolver.options.machine) {
            resolver.diagnostics.error("linking for machine \(resolver.options.machine.optionName) is not supported (pelink links x64, x86 and arm64)")
        } else if resolver.options.machine != options.machine && options.machine != .unknown {
            // The first input named another machine than the one the names were decorated for.
            options.machine = resolver.options.machine
        }
        options.machine = resolver.options.machine
        // Exports asked by .drectve pull in what they name; loading may add more directives.
        var handled = 0
        while handled < resolver.directiveExports.count {
            // Read in place: copying a request retains each of its strings.
            let requests = resolver.directiveExports
            var batch: [String] = []
            for i in handled..<requests.count where requests[i].forwardTo == nil { batch.append(requests[i].symbolName) }
            handled = requests.count
            resolver.addRoots(batch)
        }
        resolver.resolveAliases()
        // Members loaded since may have brought .drectve options of their own.
        adoptDirectiveOptions(resolver)
        // The entry point and the exports the user named (not .drectve ones) may name C++ functions plainly.
        // Names only: joining the request lists first would copy every request.
        resolver.resolveMangledNames((entrySymbolName.map { [$0] } ?? []) + commandLineExports.map(\.symbolName) + definitionExports.map(\.symbolName),
                                     target: target)
        // The tail merge of every delay-loaded DLL calls the helper (delayimp.lib's, or the user's).
        if !resolver.options.delayLoadDLLs.isEmpty { resolver.addRoots([target.delayLoadHelperName]) }
        if options.isGNUFlavor && target.decoratesCNames && options.stdcallFixup != false {
            resolver.resolveStdcallFixups(quietly: options.stdcallFixup == true)
        }
        resolver.resolveLocalImports()
        if options.isGNUFlavor && options.autoImport { resolver.resolveAutoImports() }
        defineLinkerSymbols(resolver)
        resolver.mergeResources(adding: embeddedManifest(resolver))
        resolver.finishComdats()
        resolver.reportUndefined(entry: entrySymbolName)
        resolver.releaseArchiveSymbolTables()
        // Only before folding, whose tables make the link's peak memory: each object's release is
        // a madvise(2) whose TLB flush interrupts the other cores, 4,000 of them cost a large link
        // 70 ms of CPU time.
        if foldingLevel != .none { resolver.releaseObjectSymbolRecords() }
        diagnostics = resolver.diagnostics
        options.machine = resolver.options.machine
        options.delayLoadDLLs = resolver.options.delayLoadDLLs
        return resolver
    }

    /// Header options and the entry point that objects ask for in .drectve, where the command
    /// line (and the .def) did not set them.
    mutating func adoptDirectiveOptions(_ resolver: SymbolResolver) {
        let asked = resolver.directiveOptions
        if options.subsystem == nil, let subsystem = asked.subsystem {
            options.subsystem = subsystem
            options.subsystemMajor = options.subsystemMajor ?? asked.subsystemMajor
            options.subsystemMinor = options.subsystemMinor ?? asked.subsystemMinor
        }
        if options.stackReserve == nil, let reserve = asked.stackReserve { (options.stackReserve, options.stackCommit) = (reserve, asked.stackCommit) }
        if options.heapReserve == nil, let reserve = asked.heapReserve { (options.heapReserve, options.heapCommit) = (reserve, asked.heapCommit) }
        if asked.setChecksum { options.setChecksum = true }
        if options.entry == nil && !options.noEntry, let entry = asked.entry {
            options.entry = entry
            resolver.addRoots([target.mangle(entry)])
        }
        resolver.options.subsystem = options.subsystem
        resolver.options.entry = options.entry
    }

    /// The entry point's symbol: /entry: names a C function, which x86 decorates (`DllMain` is
    /// `_DllMain`, found as `_DllMain@12` like any plain name).
    var entrySymbolName: String? {
        if options.noEntry { return nil }
        if let entry = options.entry ?? inferredEntry { return target.mangle(entry) }
        return target.defaultEntry(isDLL: options.isDLL, subsystem: options.subsystem)
    }

    /// An EXE without /entry: its entry point comes from the main function its inputs define.
    var entryIsInferred: Bool { !options.isDLL && options.entry == nil && !options.noEntry }

    /// link.exe's (and lld-link's) rules for an EXE: without /subsystem, `main` or `wmain` makes a
    /// console program and `WinMain` or `wWinMain` a GUI one; without /entry, the CRT startup
    /// function that calls the main function found (`wmainCRTStartup` only when there is no
    /// `main`, and so on). A function counts when an object or a library defines it.
    mutating func inferSubsystemAndEntry(_ resolver: SymbolResolver) {
        guard !options.isDLL else { return }
        let target = self.target
        func provides(_ cName: String) -> Bool {
            let name = target.mangle(cName)
            if let g = resolver.find(name), resolver.symbols[Int(g)].kind != .undefined { return true }
            // Decorated forms: x86 stdcall `_WinMain@16`, and a C++ `?main@@YAHXZ`.
            let prefixes = target.decoratedCandidatePrefixes(of: name)
            return resolver.symbols.indices.contains { g in
                resolver.symbols[g].kind != .undefined && prefixes.contains { resolver.names[g].string.hasPrefix($0) }
            }
        }
        let hasMain = provides("main"), hasWMain = provides("wmain"), hasWinMain = provides("WinMain"), hasWWinMain = provides("wWinMain")
        if options.subsystem == nil {
            if options.isGNUFlavor {
                options.subsystem = .windowsCUI
            } else if hasMain || hasWMain {
                if hasWinMain || hasWWinMain {
                    resolver.diagnostics.warning("found \(hasMain ? "main" : "wmain") and \(hasWinMain ? "WinMain" : "wWinMain"); defaulting to /subsystem:console")
                }
                options.subsystem = .windowsCUI
            } else if hasWinMain || hasWWinMain {
                options.subsystem = .windowsGUI
            } else {
                // An input that could not be read may be what defines main: that error says enough.
                if resolver.diagnostics.hasErrors { return }
                resolver.diagnostics.error("the subsystem of the EXE cannot be inferred: no main, wmain, WinMain or wWinMain is defined; give /subsystem:console or /subsystem:windows")
                return
            }
            resolver.options.subsystem = options.subsystem
        }
        guard entryIsInferred else { return }
        let gui = options.subsystem == .windowsGUI
        var entry = gui ? "WinMainCRTStartup" : "mainCRTStartup"
        if !options.isGNUFlavor {
            if gui && hasWWinMain {
                if hasWinMain { resolver.diagnostics.warning("found both wWinMain and WinMain; using latter (WinMain, as link.exe and lld-link choose)") } else { entry = "wWinMainCRTStartup" }
            } else if !gui && hasWMain {
                if hasMain { resolver.diagnostics.warning("found both wmain and main; using latter (main, as link.exe and lld-link choose)") } else { entry = "wmainCRTStartup" }
            }
        }
        if options.verbose { resolver.diagnostics.note("Entry name inferred: \(target.mangle(entry))") }
        inferredEntry = entry
        resolver.addRoots([target.mangle(entry)])
    }

    /// The machine of the first input that says one: an object, an import object, or the first
    /// such member of an archive. Nil when no input does (the resolver then reports it).
    func machineOfInputs(_ inputs: [String]) -> Machine? {
        for path in inputs {
            guard let file = try? MappedFile(path: path) else { continue }
            if let machine = machineOf(file.view) { return machine }
            if FileKind.identify(file.view) == .archive, let archive = try? Archive(view: file.view) {
                for member in archive.members.prefix(64) {
                    if let machine = machineOf(member.data) { return machine }
                }
            }
        }
        return nil
    }

    private func machineOf(_ view: ByteView) -> Machine? {
        let machine: Machine?
        switch FileKind.identify(view) {
        case .coffObject: machine = view.count >= 2 ? Machine(rawValue: view.u16(0)) : nil
        case .bigObject, .importObject: machine = view.count >= 8 ? Machine(rawValue: view.u16(6)) : nil
        default: machine = nil
        }
        return machine == .unknown ? nil : machine
    }

    /// The .def file's exports as requests, made by every worker (tens of thousands in a large DLL's).
    func moduleDefinitionRequests() -> [ExportRequest] {
        let path = options.moduleDefinitionPath ?? "", exports = moduleDefinition?.exports ?? []
        return [ExportRequest](count: exports.count, threads: options.threads) { ExportRequest(exports[$0], path: path) }
    }

    /// The exports asked on the command line and in the .def, with x86 decoration applied: the
    /// symbol is the decorated C name, and the export name loses the underscore again (link.exe's
    /// rules, in `Target`).
    func userExportRequests() -> (commandLine: [ExportRequest], moduleDefinition: [ExportRequest]) {
        let definition = moduleDefinitionRequests()
        guard target.decoratesCNames else { return (options.exports, definition) }
        return (options.exports.map { decorated($0, userGiven: true) }, definition.map { decorated($0, userGiven: true) })
    }

    /// An export request as x86 needs it. Names the user wrote are C names; .drectve exports name
    /// symbols already, except GNU ones (`-export:f`, which compilers write undecorated).
    func decorated(_ request: ExportRequest, userGiven: Bool) -> ExportRequest {
        guard target.decoratesCNames else { return request }
        var r = request
        let gnu = options.isGNUFlavor
        let decorate = userGiven || gnu
        if r.forwardTo == nil && decorate { r.symbolName = target.symbolName(ofUserName: r.symbolName, gnu: gnu) }
        let external = decorate ? target.symbolName(ofUserName: r.name, gnu: gnu) : r.name
        r.name = target.exportName(ofSymbol: external, gnu: gnu)
        return r
    }

    /// Symbols the linker provides when something asks for them.
    func defineLinkerSymbols(_ resolver: SymbolResolver) {
        // The image base: __ImageBase (MSVC), __image_base__ (MinGW; its x86 CRT names it without
        // the C underscore).
        for name in Set(["__ImageBase", "__image_base__"].flatMap { [target.mangle($0), $0] }).sorted() {
            if let g = resolver.find(name), resolver.symbols[Int(g)].kind == .undefined || resolver.symbols[Int(g)].kind == .lazy {
                resolver.symbols[Int(g)].kind = .linkerDefined
                resolver.symbols[Int(g)].value = 0
            }
        }
        // x86: the SAFESEH table's place and size, set once layout has made it (0 without a table).
        if target.hasSafeSEHTable {
            for name in [SafeSEHPlan.tableSymbol, SafeSEHPlan.countSymbol] {
                if let g = resolver.find(name), resolver.symbols[Int(g)].kind == .undefined || resolver.symbols[Int(g)].kind == .lazy {
                    resolver.symbols[Int(g)].kind = .absolute
                    resolver.symbols[Int(g)].value = 0
                }
            }
        }
        // MinGW: the constructor and destructor lists, which layout brackets and points these at.
        if options.isGNUFlavor {
            for name in mingwListNames.joined() {
                if let g = resolver.find(name), resolver.symbols[Int(g)].kind == .undefined || resolver.symbols[Int(g)].kind == .lazy {
                    resolver.symbols[Int(g)].kind = .linkerDefined
                    resolver.symbols[Int(g)].value = 0
                }
            }
        }
        // Control-flow-guard tables the CRT's load configuration refers to; pelink writes none.
        for name in ["__guard_fids_count", "__guard_fids_table", "__guard_flags", "__guard_iat_count", "__guard_iat_table",
                     "__guard_longjmp_count", "__guard_longjmp_table", "__guard_eh_cont_count", "__guard_eh_cont_table"].map(target.mangle) {
            if let g = resolver.find(name), resolver.symbols[Int(g)].kind == .undefined {
                resolver.symbols[Int(g)].kind = .absolute
                resolver.symbols[Int(g)].value = 0
            }
        }
    }

    // MARK: Exports

    mutating func collectExports(_ resolver: SymbolResolver) -> [ExportEntry] {
        let (commandLineExports, defExports) = decoratedUserExports ?? userExportRequests()
        // Shared, not copied, where nothing is decorated (each request is a dozen references).
        var directiveExports = target.decoratesCNames ? resolver.directiveExports.map { decorated($0, userGiven: false) } : resolver.directiveExports
        // An object's own .edata (an export table written by hand, as MinGW code sometimes carries)
        // is the image's export table, as GNU ld and lld-link use it; exports asked otherwise yield.
        if hasLiteralExportTable(resolver) {
            if !commandLineExports.isEmpty || !defExports.isEmpty || !directiveExports.isEmpty {
                diagnostics.warning("literal .edata sections override exports: the export table is the objects' .edata; /export:, .def and dllexport exports are not added")
            }
            return []
        }
        if options.isGNUFlavor && options.isDLL && !options.excludeAllSymbols
            && (options.exportAllSymbols || (defExports.isEmpty && commandLineExports.isEmpty && directiveExports.isEmpty)) {
            directiveExports += AutoExport.requests(resolver, excluded: options.excludedSymbols.union(resolver.directiveExcludedSymbols)).map {
                var r = $0
                r.name = target.exportName(ofSymbol: r.name, gnu: true)
                return r
            }
        }
        var (merged, knownSymbols) = ExportBuilder.mergeRequests(commandLine: commandLineExports, moduleDefinition: defExports,
                                                                 directives: directiveExports, knownSymbols: userExportSymbols,
                                                                 threads: options.threads, diagnostics: &diagnostics)
        if !options.isDLL && merged.isEmpty { return [] }
        if options.killAt {
            // GNU ld --kill-at: stdcall symbols (f@8) are exported without their @N suffix; the
            // export still points at the decorated symbol.
            for i in merged.indices where merged[i].forwardTo == nil {
                merged[i].name = ExportBuilder.killAt(merged[i].name)
            }
        }
        if options.addStdcallAlias {
            // GNU ld --add-stdcall-alias: `f@8` is exported as `f` too, from the same symbol.
            let taken = Set(merged.map(\.name))
            var aliases: [ExportRequest] = []
            for request in merged where request.forwardTo == nil {
                let plain = ExportBuilder.killAt(request.name)
                guard plain != request.name, !taken.contains(plain) else { continue }
                var alias = request
                alias.name = plain
                alias.ordinal = nil
                aliases.append(alias)
            }
            merged += aliases
            knownSymbols += aliases.map { _ in -1 }
        }
        let entries = ExportBuilder.assignOrdinals(merged, knownSymbols: knownSymbols, threads: options.threads, symbolOf: { symbolName in
            resolver.find(symbolName) ?? -1
        }, diagnostics: &diagnostics)
        // Each export's symbol is looked at in parallel (reads scattered over the symbols, the
        // objects and their sections); what needs a message or an import thunk is then handled
        // in export order.
        var findings = [ExportFinding](repeating: .fine, count: entries.count)
        let symbols = resolver.symbols, objects = resolver.objects, checksData = !options.isGNUFlavor
        findings.withUnsafeMutableBufferPointer { findings in
            nonisolated(unsafe) let findings = findings
            let chunk = 1 << 10
            parallelFor((entries.count + chunk - 1) / chunk, threads: options.threads) { k in
                for i in k * chunk..<min(entries.count, (k + 1) * chunk) where entries[i].request.forwardTo == nil {
                    let s = entries[i].symbol
                    let kind = s >= 0 ? symbols[Int(s)].kind : .undefined
                    if s < 0 || kind == .undefined || kind == .lazy {
                        findings[i] = .undefined
                    } else if kind == .importThunk {
                        findings[i] = .importThunk
                    } else if kind == .defined && checksData && !entries[i].request.isData
                                && Linker.isDataSymbol(symbols[Int(s)], objects: objects) {
                        findings[i] = .dataExportedAsCode
                    }
                }
            }
        }
        for i in entries.indices where findings[i] != .fine {
            let r = entries[i].request
            switch findings[i] {
            case .undefined:
                diagnostics.error("export of undefined symbol: \(r.symbolName)\(demangledSuffix(r.symbolName)) (asked by \(r.source))")
            case .importThunk:
                resolver.imports[Int(symbols[Int(entries[i].symbol)].file)].needsThunk = true
            case .dataExportedAsCode:
                warnDataExportedAsCode(r, symbol: symbols[Int(entries[i].symbol)], resolver)
            case .fine:
                break
            }
        }
        return entries
    }

    /// What the export checks found for one export.
    private enum ExportFinding {
        case fine
        case undefined
        /// An import, exported again: its thunk is made.
        case importThunk
        /// Data exported without DATA (`warnDataExportedAsCode`).
        case dataExportedAsCode
    }

    /// A symbol defined in a section that is not code and not marked a function.
    private static func isDataSymbol(_ symbol: Symbol, objects: [ObjectFile]) -> Bool {
        guard symbol.section >= 0, symbol.file >= 0, Int(symbol.file) < objects.count, !symbol.isFunction else { return false }
        return !objects[Int(symbol.file)].sections[Int(symbol.section)].flags.contains(.memExecute)
    }

    /// An export of data without DATA: the import library then offers importers a code thunk
    /// (a jump through the import address table) under the name, and code that calls or reads
    /// it through that thunk gets the thunk's bytes, not the variable. (GNU flavor aside: MinGW
    /// reaches data through auto-import, and its .def files leave DATA out.)
    private mutating func warnDataExportedAsCode(_ request: ExportRequest, symbol: Symbol, _ resolver: SymbolResolver) {
        let object = resolver.objects[Int(symbol.file)]
        let section = object.sections[Int(symbol.section)]
        let name = object.name(of: section).string
        let fix: String
        switch request.source {
        case .moduleDefinition(let path, let line): fix = "add DATA to its line (\(path):\(line))"
        case .commandLine: fix = "write /export:\(request.name),DATA"
        default: fix = "mark it DATA where it is exported (\(request.source))"
        }
        diagnostics.warning("export \(request.name) is data (\(request.symbolName) is in section \(name) of \(object.displayName)) but is not marked DATA: the import library would give importers a code thunk for it; \(fix)")
    }

    // MARK: Layout

    struct Image {
        var sections: [OutputSection] = []
        var imports = ImportTables()
        var exports: ExportTables
        var exportEntries: [ExportEntry]
        var imageBase: UInt64
        var sizeOfHeaders = 0
        var sizeOfImage = 0
        var fileSize = 0
        var baseRelocationTable: [UInt8] = []
        /// Chunk locations of the linker's tables, for data directories and for writing them.
        var chunkRVA: [Chunk.Content: (rva: UInt32, size: Int)] = [:]
        var addresses = SymbolAddressTable()
        var pseudoRelocations: [(slot: UInt32, site: UInt32, bits: UInt32)] = []
        /// Where each input section landed, indexed by `object.firstSection + section`;
        /// output section -1 when it is not in the image.
        var sectionRVA: [UInt32] = []
        var sectionOutput: [Int32] = []
        /// `firstSection` of each object, as a plain array.
        var firstSectionOf: [Int] = []
        var commonRVA: [Int32: UInt32] = [:]
        var entryRVA: UInt32 = 0
        var longSectionNames = LongSectionNames()
        var target: Target
        /// ARM64 branches that reach their target through a range-extension thunk: the thunk's
        /// index in `rangeThunkTargets`.
        var rangeThunks: [RangeThunkKey: Int32] = [:]
        /// What each range-extension thunk jumps to (`Chunk.Content.rangeExtensionThunk`).
        var rangeThunkTargets: [RangeThunkTarget] = []
        /// x86 /SAFESEH: the registered handlers' RVAs, sorted, without repeats.
        var safeSEHHandlers: [UInt32] = []
        /// IMAGE_DLLCHARACTERISTICS_NO_SEH: asked, or a SAFESEH image with no handler the loader
        /// could find (none registered, or no load configuration to point at them), as lld-link sets it.
        var hasNoSEH = false
        /// /delayload: the delay import tables, and where the helper their code calls landed.
        var delayImports = DelayImportTables()
        /// The debug directory's entries (build id, /cetcompat).
        var debugDirectory = DebugDirectoryPlan(options: LinkOptions())
        var delayLoadHelperRVA: UInt32?
    }

    /// The machine's description; fixed once the inputs are read.
    var target: Target { Target(options.machine) }

    /// The chunks of the input sections in the image, with their section names, in input order:
    /// an object's plain sections before its COMDAT sections, in section order each (the order
    /// lld-link and link.exe lay out an object's contributions to one section). Empty sections
    /// take part too: they mark places (GNU import libraries bracket their tables with them) and
    /// their alignment counts, as in lld-link. Each object's are counted, then made in parallel
    /// into their places; room is left for the linker's own chunks.
    mutating func layOut(_ resolver: SymbolResolver, exports: [ExportEntry]) -> Image {
        let target = self.target
        let imageBase = options.imageBase ?? target.defaultImageBase(isDLL: options.isDLL)
        var watch = Stopwatch()
        defer { if options.printTimes { layoutDetails = watch.summary } }
        var image = Image(exports: ExportTables(dllName: dllName, entries: exports), exportEntries: exports, imageBase: imageBase, target: target)
        if imageBase % 0x10000 != 0 {
            diagnostics.error("/base:0x\(String(imageBase, radix: 16)) is not a multiple of 64 KiB")
        }
        if !target.is64Bit && imageBase > 0xFFFF_0000 {
            diagnostics.error("/base:0x\(String(imageBase, radix: 16)) is beyond 4 GiB; a 32-bit (\(target.machine.optionName)) image must load below it")
        }
        // Import thunks are made only for imports called without __declspec(dllimport) (by kept
        // code, with /opt:ref).
        if collectsGarbage {
            for i in resolver.imports.indices where resolver.imports[i].thunkIsLive { resolver.imports[i].needsThunk = true }
        } else {
            for i in resolver.symbols.indices where resolver.symbols[i].kind == .importThunk && resolver.symbols[i].isReferenced {
                resolver.imports[Int(resolver.symbols[i].file)].needsThunk = true
            }
        }
        let importSymbolNames = resolver.imports.map { resolver.names[Int($0.addressSymbol)].string }
        let isDelayLoaded = delayLoadedImports(resolver)
        image.imports = ImportTables(imports: &resolver.imports, thunkStride: target.importThunkStride,
                                     isDelayLoaded: { isDelayLoaded[$0] }, symbolName: { importSymbolNames[$0] })
        image.delayImports = DelayImportTables(imports: resolver.imports, isDelayLoaded: { isDelayLoaded[$0] },
                                               symbolName: { importSymbolNames[$0] }, target: target, options: options)
        let safeSEH = SafeSEHPlan.plan(resolver, options: options, diagnostics: &diagnostics)
        if let safeSEH {
            image.hasNoSEH = safeSEH.handlers.isEmpty || resolver.find(target.mangle("_load_config_used")) == nil
        }
        if options.noSEH { image.hasNoSEH = true }

        // dlltool --output-delaylib libraries keep their delay IAT slots in .idata$5, which the
        // delay-load helper writes: mingw-w64's (before 2024) writes them without VirtualProtect,
        // so the import data stays a writable section of its own, as GNU ld makes .idata.
        let writableImportData = options.isGNUFlavor && definesDelayImportDescriptor(resolver)
        let importDataFlags: SectionFlags = writableImportData ? [.initializedData, .memRead, .memWrite] : [.initializedData, .memRead]
        let inputs = InputChunkGroups(objects: resolver.objects, importDataFlags: importDataFlags,
                                      isGNUFlavor: options.isGNUFlavor, threads: options.threads)
        let hasInputImportData = inputs.hasImportData
        // The linker's own chunks, each after the input sections of its group.
        var linkerChunks: [(name: Name, chunk: Chunk)] = []
        func add(_ name: Name, _ chunk: Chunk) { linkerChunks.append((name, chunk)) }
        // COMMON symbols in the order of their winning definitions: by object, then by the
        // object's symbol table (lld-link's order), not by when the name was first seen.
        var commons: [Int] = []
        var placedCommons = Set<Int32>()
        let commonFiles = Set(resolver.symbols.lazy.filter { $0.kind == .common }.map(\.file))
        for o in commonFiles.sorted() {
            let object = resolver.objects[Int(o)]
            var record = 0
            while record < object.coff.symbolCount {
                let symbol = object.coff.symbol(record)
                if symbol.isExternal && symbol.sectionNumber == 0 && symbol.value > 0, record < object.targets.count,
                   case .global(let g) = object.targets[record].decoded, resolver.symbols[Int(g)].kind == .common,
                   resolver.symbols[Int(g)].file == o, placedCommons.insert(g).inserted {
                    commons.append(Int(g))
                }
                record += 1 + symbol.auxiliaryCount
            }
        }
        for i in commons {
            let size = Int(resolver.symbols[i].value)
            var alignment = 1
            while alignment < size && alignment < 32 { alignment <<= 1 }
            if let asked = resolver.commonAlignments[resolver.names[i].string] { alignment = max(alignment, asked) }
            add(Name(".bss"), Chunk(content: .common(symbol: Int32(i)), partialName: Name(".bss"),
                                flags: [.uninitializedData, .memRead, .memWrite], alignment: alignment, size: size, hasFileData: false))
        }
        let readOnly: SectionFlags = [.initializedData, .memRead]
        if image.imports.isEmpty && hasInputImportData {
            // Only GNU import libraries: their directory entries still need the null terminator.
            add(Name(".idata$2"), Chunk(content: .importDirectory, partialName: Name(".idata$2"), flags: importDataFlags, alignment: 4, size: 20, hasFileData: true))
        }
        if !image.imports.isEmpty {
            let t = image.imports
            let slotBytes = t.entryCount * target.pointerSize
            add(Name(".idata$2"), Chunk(content: .importDirectory, partialName: Name(".idata$2"), flags: importDataFlags, alignment: 4, size: (t.dlls.count + 1) * 20, hasFileData: true))
            add(Name(".idata$4"), Chunk(content: .importLookupTable, partialName: Name(".idata$4"), flags: importDataFlags, alignment: target.pointerSize, size: slotBytes, hasFileData: true))
            add(Name(".idata$5"), Chunk(content: .importAddressTable, partialName: Name(".idata$5"), flags: importDataFlags, alignment: target.pointerSize, size: slotBytes, hasFileData: true))
            if t.hintNamesSize > 0 {
                add(Name(".idata$6"), Chunk(content: .importHintNames, partialName: Name(".idata$6"), flags: importDataFlags, alignment: 2, size: t.hintNamesSize, hasFileData: true))
            }
            add(Name(".idata$7"), Chunk(content: .importDLLNames, partialName: Name(".idata$7"), flags: importDataFlags, alignment: 2, size: t.dllNamesSize, hasFileData: true))
        }
        for (section, chunk) in image.delayImports.chunks(target: target) { add(Name(section), chunk) }
        image.debugDirectory = DebugDirectoryPlan(options: options, outputPath: outputPath)
        for (section, chunk) in image.debugDirectory.chunks() { add(Name(section), chunk) }
        if !resolver.localImportTargets.isEmpty {
            add(Name(".rdata"), Chunk(content: .localImportSlots, partialName: Name(".rdata"), flags: readOnly, alignment: target.pointerSize,
                                      size: target.pointerSize * resolver.localImportTargets.count, hasFileData: true))
        }
        if let safeSEH, !safeSEH.handlers.isEmpty {
            add(Name(".rdata"), Chunk(content: .safeSEHTable, partialName: Name(".rdata"), flags: readOnly, alignment: 4,
                                      size: 4 * safeSEH.handlers.count, hasFileData: true))
        }
        // MinGW auto-import: every reference to an auto-imported symbol becomes a runtime pseudo-relocation.
        let pseudoRelocationCount = countPseudoRelocations(resolver)
        if pseudoRelocationCount > 0 {
            add(Name(".rdata"), Chunk(content: .pseudoRelocations, partialName: Name(".rdata"), flags: readOnly, alignment: 4,
                                      size: 12 + 12 * pseudoRelocationCount, hasFileData: true))
        }
        if options.isDLL || !exports.isEmpty, !exports.isEmpty || options.isDLL {
            let e = image.exports
            if !exports.isEmpty {
                add(Name(".edata"), Chunk(content: .exportDirectory, partialName: Name(".edata"), flags: readOnly, alignment: 1, size: 40, hasFileData: true))
                add(Name(".edata"), Chunk(content: .exportDLLName, partialName: Name(".edata"), flags: readOnly, alignment: 1, size: e.dllName.utf8.count + 1, hasFileData: true))
                add(Name(".edata"), Chunk(content: .exportAddressTable, partialName: Name(".edata"), flags: readOnly, alignment: 1, size: e.addressCount * 4, hasFileData: true))
                add(Name(".edata"), Chunk(content: .exportNamePointers, partialName: Name(".edata"), flags: readOnly, alignment: 1, size: e.named.count * 4, hasFileData: true))
                add(Name(".edata"), Chunk(content: .exportOrdinals, partialName: Name(".edata"), flags: readOnly, alignment: 1, size: e.named.count * 2, hasFileData: true))
                add(Name(".edata"), Chunk(content: .exportNames, partialName: Name(".edata"), flags: readOnly, alignment: 1, size: e.namesSize, hasFileData: true))
            }
        }
        watch.lap("make chunks")
        // MinGW: constructor and destructor lists live in .rdata, bracketed by -1 and 0 (GNU ld's script does the same).
        var brackets: [String: SectionBrackets] = [:]
        if options.isGNUFlavor {
            // Always, as GNU ld's script and lld-link in MinGW mode make them: the CRT walks them.
            for (list, name) in [(UInt8(0), ".ctors"), (UInt8(1), ".dtors")] {
                let flags: SectionFlags = [.initializedData, .memRead, .memWrite, .align8Bytes]
                let size = target.pointerSize
                brackets[name] = SectionBrackets(
                    head: Chunk(content: .listSentinel(list: list, isHead: true), partialName: Name(".ctors"), flags: flags, alignment: size, size: size, hasFileData: true),
                    tail: Chunk(content: .listSentinel(list: list, isHead: false), partialName: Name(".ctors"), flags: flags, alignment: size, size: size, hasFileData: true))
            }
        }
        let objects = resolver.objects
        // Thunks go after all code, as lld-link places them.
        let thunks = image.imports.thunkCount == 0 ? nil
            : Chunk(content: .importThunks, partialName: Name(".text"), flags: [.code, .memRead, .memExecute], alignment: target.importThunkAlignment,
                    size: (image.imports.thunkCount - 1) * target.importThunkStride + target.importThunkSize, hasFileData: true)
        var sections = buildOutputSections(inputs: inputs, linkerChunks: linkerChunks, merges: options.merges + resolver.directiveMerges,
                                           extraMerges: options.isGNUFlavor ? [(".ctors", ".rdata"), (".dtors", ".rdata"), (".CRT", ".rdata")] : [],
                                           brackets: brackets, keepImportDataApart: writableImportData,
                                           orderPriority: orderPriorities(resolver),
                                           importObjectKey: { o in
            let object = objects[o]
            return (object.archivePath ?? "") + "/" + (object.memberName ?? object.displayName)
        }, trailingCode: thunks, threads: options.threads, diagnostics: &diagnostics)
        applySectionAttributes(&sections, options.sectionAttributes + resolver.directiveSectionAttributes, diagnostics: &diagnostics)

        watch.lap("group into sections")
        let hasBaseRelocations = !options.fixed && containsAbsoluteRelocations(resolver)
        let headerCount = sections.count + (hasBaseRelocations ? 1 : 0)
        let dosSize = ImageHeaders.dosPart(stub: options.dosStub).count
        image.sizeOfHeaders = alignUp(dosSize + 4 + 20 + target.optionalHeaderSize + 40 * headerCount, options.fileAlignment)
        if headerCount > 0xFFFE {
            diagnostics.error("the image would have \(headerCount) sections; a PE image has at most 65534 (NumberOfSections is 16-bit)")
            return image
        }
        // ARM64 branches reach ±128 MiB at most: where one cannot reach its target, a thunk goes
        // beside it, which moves what follows, so placement repeats until every branch reaches.
        var endRVA = 0, endFile = 0
        while true {
            guard let placed = assignAddresses(&sections, firstRVA: alignUp(image.sizeOfHeaders, options.sectionAlignment),
                                                          firstFileOffset: image.sizeOfHeaders,
                                                          sectionAlignment: options.sectionAlignment, fileAlignment: options.fileAlignment) else {
                diagnostics.error(imageTooLargeMessage(sections, resolver))
                return image
            }
            (endRVA, endFile) = placed
            watch.lap("assign addresses")
            // Record where every section and linker table landed.
            image.firstSectionOf = resolver.objects.map(\.firstSection)
            image.sectionRVA = Array(repeating: 0, count: resolver.totalSections, threads: options.threads)
            image.sectionOutput = Array(repeating: -1, count: resolver.totalSections, threads: options.threads)
            image.chunkRVA = [:]
            image.commonRVA = [:]
            // Input sections' places are written by every worker, a stretch of chunks each (each
            // input section is one chunk); the few other chunks are listed, and recorded after in
            // layout order. Then a folded section is where the section it was folded into is.
            let stretch = 1 << 12
            let stretches = sections.indices.flatMap { s in
                stride(from: 0, to: sections[s].chunks.count, by: stretch).map { (section: s, chunks: $0..<min($0 + stretch, sections[s].chunks.count)) }
            }
            let otherChunks = ParallelResults<[Chunk]>(count: stretches.count)
            let firstSectionOf = image.firstSectionOf, folded = foldedSections
            image.sectionRVA.withUnsafeMutableBufferPointer { sectionRVA in
                image.sectionOutput.withUnsafeMutableBufferPointer { sectionOutput in
                    nonisolated(unsafe) let sectionRVA = sectionRVA, sectionOutput = sectionOutput
                    parallelFor(stretches.count, threads: options.threads) { k in
                        let (s, range) = stretches[k]
                        var others: [Chunk] = []
                        for chunk in sections[s].chunks[range] {
                            if case let .inputSection(object, section) = chunk.content {
                                let global = firstSectionOf[Int(object)] + Int(section)
                                sectionRVA[global] = chunk.rva
                                sectionOutput[global] = Int32(s)
                            } else {
                                others.append(chunk)
                            }
                        }
                        if !others.isEmpty { otherChunks.set(k, others) }
                    }
                    let chunk = 1 << 14
                    parallelFor((folded.count + chunk - 1) / chunk, threads: options.threads) { k in
                        for (section, into) in folded[k * chunk..<min(folded.count, (k + 1) * chunk)] {
                            sectionRVA[Int(section)] = sectionRVA[Int(into)]
                            sectionOutput[Int(section)] = sectionOutput[Int(into)]
                        }
                    }
                }
            }
            for k in stretches.indices {
                for chunk in otherChunks.take(k) ?? [] {
                    if case let .common(symbol) = chunk.content {
                        image.commonRVA[symbol] = chunk.rva
                    } else if image.chunkRVA[chunk.content] == nil {
                        image.chunkRVA[chunk.content] = (chunk.rva, chunk.size)
                    }
                }
            }
            if let iat = image.chunkRVA[.importAddressTable] {
                var slot = Int(iat.rva)
                for dll in image.imports.dlls {
                    for i in dll.entries {
                        resolver.imports[i].iatRVA = UInt32(slot)
                        slot += target.pointerSize
                    }
                    slot += target.pointerSize
                }
            }
            if let iat = image.chunkRVA[.delayImportAddressTable] {
                image.delayImports.assignAddresses(&resolver.imports, iatRVA: iat.rva, pointerSize: target.pointerSize)
            }
            if let thunks = image.chunkRVA[.importThunks] {
                for i in resolver.imports.indices where image.imports.thunkOffsets[i] >= 0 {
                    resolver.imports[i].thunkRVA = thunks.rva + UInt32(image.imports.thunkOffsets[i])
                }
            }
            image.sections = sections
            // The list symbols point at the heads, whoever else defined them (libgcc has fallbacks).
            for (list, names) in mingwListNames.enumerated() {
                guard let head = image.chunkRVA[.listSentinel(list: UInt8(list), isHead: true)] else { continue }
                for name in names {
                    guard let g = resolver.find(name) else { continue }
                    resolver.symbols[Int(g)] = Symbol(kind: .linkerDefined, value: UInt64(head.rva), isReferenced: true)
                }
            }
            if let table = image.chunkRVA[.pseudoRelocations] {
                // The C runtime's relocator walks from __RUNTIME_PSEUDO_RELOC_LIST__ to ..._END__.
                for (name, rva) in [("__RUNTIME_PSEUDO_RELOC_LIST__", table.rva), ("__RUNTIME_PSEUDO_RELOC_LIST_END__", table.rva + UInt32(table.size))] {
                    guard let g = resolver.find(target.mangle(name)) else { continue }
                    resolver.symbols[Int(g)] = Symbol(kind: .linkerDefined, value: UInt64(rva), isReferenced: true)
                }
            }
            if let safeSEH {
                if let g = resolver.find(SafeSEHPlan.tableSymbol), let table = image.chunkRVA[.safeSEHTable] {
                    resolver.symbols[Int(g)] = Symbol(kind: .linkerDefined, value: UInt64(table.rva), isReferenced: true)
                }
                if let g = resolver.find(SafeSEHPlan.countSymbol) {
                    resolver.symbols[Int(g)] = Symbol(kind: .absolute, value: UInt64(safeSEH.handlers.count), isReferenced: true)
                }
            }
            watch.lap("record addresses")
            image.addresses = buildSymbolAddresses(resolver, image: image)
            if !image.delayImports.isEmpty, let g = resolver.find(target.delayLoadHelperName),
               let rva = image.addresses.rva(of: Int(g)) {
                image.delayLoadHelperRVA = rva
            }
            if pseudoRelocationCount > 0 { image.pseudoRelocations = collectPseudoRelocations(resolver, image: image) }
            if let safeSEH { image.safeSEHHandlers = safeSEH.handlerRVAs(resolver, image: image) }
            watch.lap("symbol address table")
            guard target.needsRangeExtensionThunks else { break }
            let added = addRangeExtensionThunks(&sections, &image, resolver)
            watch.lap("range-extension thunks")
            if !added { break }
        }
        watch.lap("after placement")
        // Base relocations: every ADDR64 whose target moves with the image.
        if hasBaseRelocations {
            let sites = collectBaseRelocationSites(resolver, image: image)
            image.baseRelocationTable = buildBaseRelocationTable(sites, type: target.baseRelocationType)
            var reloc = OutputSection(name: ".reloc", flags: [.initializedData, .memRead, .memDiscardable])
            reloc.chunks = [Chunk(content: .baseRelocations, partialName: Name(".reloc"), flags: reloc.flags, alignment: 4,
                                  size: image.baseRelocationTable.count, hasFileData: true)]
            var tail = [reloc]
            guard let end = assignAddresses(&tail, firstRVA: endRVA, firstFileOffset: endFile,
                                            sectionAlignment: options.sectionAlignment, fileAlignment: options.fileAlignment) else {
                diagnostics.error(imageTooLargeMessage(image.sections + tail, resolver))
                return image
            }
            (endRVA, endFile) = end
            if tail[0].virtualSize > 0 {
                image.chunkRVA[.baseRelocations] = (tail[0].rva, tail[0].virtualSize)
                image.sections.append(tail[0])
            }
        }
        watch.lap("base relocations")
        image.sizeOfImage = alignUp(endRVA, options.sectionAlignment)
        image.fileSize = endFile
        image.longSectionNames = LongSectionNames(sections: image.sections, symbols: options.writesSymbolTable ? imageSymbols(resolver, image: image) : [],
                                                  at: endFile)
        image.fileSize += image.longSectionNames.table.count
        if image.sizeOfImage >= maximumImageSize {
            diagnostics.error(imageTooLargeMessage(image.sections, resolver))
        } else if !target.is64Bit && imageBase <= 0xFFFF_0000 && imageBase + UInt64(image.sizeOfImage) > 0x1_0000_0000 {
            diagnostics.error("the image of 0x\(String(image.sizeOfImage, radix: 16)) bytes at /base:0x\(String(imageBase, radix: 16)) would end beyond 4 GiB, which a 32-bit (\(target.machine.optionName)) image cannot reach; choose a lower /base")
        }
        if let entry = entrySymbolName, let g = resolver.find(entry) {
            if let rva = symbolRVA(resolver, image: image, symbol: g) { image.entryRVA = rva }
        }
        return image
    }

    /// `.text` for a GCC COMDAT section `.text$NAME` (and .data, .rdata, .pdata, .xdata, .eh_frame).
    static func gnuComdatSectionBase(_ name: Name) -> Name? {
        guard name.count > 1, name.bytes.contains(UInt8(ascii: "$")) else { return nil }
        if name.hasPrefix(".text$") { return Name(".text") }
        if name.hasPrefix(".data$") { return Name(".data") }
        if name.hasPrefix(".rdata$") { return Name(".rdata") }
        if name.hasPrefix(".pdata$") { return Name(".pdata") }
        if name.hasPrefix(".xdata$") { return Name(".xdata") }
        if name.hasPrefix(".eh_frame$") { return Name(".eh_frame") }
        return nil
    }

    /// The image's COFF symbols when it keeps DWARF: every named symbol of the objects' sections
    /// in the image (external and static; not section, file or feature records), by object and
    /// record order, relative to its output section.
    func imageSymbols(_ resolver: SymbolResolver, image: Image) -> [LongSectionNames.Symbol] {
        var symbols: [LongSectionNames.Symbol] = []
        for object in resolver.objects {
            let coff = object.coff
            var i = 0
            while i < coff.symbolCount {
                let record = coff.symbol(i)
                defer { i += 1 + record.auxiliaryCount }
                // Absolute externals, and weak externals as they resolved, as ld.lld lists them.
                if record.storageClass == StorageClass.external && record.sectionNumber == SectionNumber.absolute,
                   let name = try? coff.symbolName(i), !name.hasPrefix("@") {
                    symbols.append(.init(name: name, value: record.value, section: -1, type: record.type, storageClass: record.storageClass))
                    continue
                }
                if record.storageClass == StorageClass.weakExternal, i < object.targets.count, case .global(let g) = object.targets[i].decoded,
                   let name = try? coff.symbolName(i) {
                    switch image.addresses.address(of: Int(g)) {
                    case .absolute(let value):
                        symbols.append(.init(name: name, value: UInt32(truncatingIfNeeded: value), section: -1, type: record.type, storageClass: StorageClass.external))
                    case .rva(let rva, let output) where output >= 0:
                        symbols.append(.init(name: name, value: rva &- image.sections[Int(output)].rva,
                                             section: Int16(truncatingIfNeeded: output + 1), type: record.type, storageClass: StorageClass.external))
                    default: break
                    }
                    continue
                }
                guard record.sectionNumber > 0, Int(record.sectionNumber) <= object.sections.count,
                      record.storageClass == StorageClass.external || record.storageClass == StorageClass.static else { continue }
                let global = object.firstSection + Int(record.sectionNumber) - 1
                let output = Int(image.sectionOutput[global])
                guard output >= 0, let name = try? coff.symbolName(i), !name.isEmpty else { continue }
                // A section's own symbol (static, with its definition record) names no code or data.
                if record.storageClass == StorageClass.static && record.auxiliaryCount > 0 && record.value == 0 { continue }
                let rva = image.sectionRVA[global] &+ record.value
                symbols.append(.init(name: name, value: rva &- image.sections[output].rva, section: Int16(truncatingIfNeeded: output + 1),
                                     type: record.type, storageClass: record.storageClass))
            }
        }
        return symbols
    }

    /// Names the largest sections, since one oversized input (a huge .bss or COMMON symbol) is
    /// the usual cause.
    func imageTooLargeMessage(_ sections: [OutputSection], _ resolver: SymbolResolver) -> String {
        var largest: Chunk?
        for section in sections {
            for chunk in section.chunks where chunk.size > (largest?.size ?? -1) { largest = chunk }
        }
        var culprit = ""
        if let largest {
            switch largest.content {
            case .inputSection(let o, let s):
                let object = resolver.objects[Int(o)]
                culprit = "; the largest part is section \(object.name(of: object.sections[Int(s)]).string) of \(object.displayName), \(largest.size) bytes"
            case .common(let g):
                culprit = "; the largest part is the COMMON symbol \(resolver.displayName(of: g)), \(largest.size) bytes"
            default:
                culprit = "; the largest part is a table the linker makes, \(largest.size) bytes"
            }
        }
        // A section's size is a 32-bit field: past 4 GiB, say that first, as lld-link does.
        for section in sections where section.chunks.reduce(0, { $0 + $1.size }) > Int(UInt32.max) {
            return "section larger than 4 GiB: \(section.name); the image would be 2 GiB or larger, the most a PE image can be\(culprit)"
        }
        return "the image would be 2 GiB or larger, the most a PE image can be\(culprit)"
    }

    /// How many relocations refer to auto-imported symbols (none in most links: one cheap check).
    func countPseudoRelocations(_ resolver: SymbolResolver) -> Int {
        guard resolver.symbols.contains(where: { $0.kind == .autoImported }) else { return 0 }
        var count = 0
        for object in resolver.objects {
            for section in object.sections where section.isLive {
                for r in 0..<section.relocationCount where isAutoImportTarget(resolver, object, Int(object.relocation(section, r).symbolTableIndex)) {
                    count += 1
                }
            }
        }
        return count
    }

    func isAutoImportTarget(_ resolver: SymbolResolver, _ object: ObjectFile, _ index: Int) -> Bool {
        guard index < object.targets.count, case .global(let g) = object.targets[index].decoded else { return false }
        return resolver.symbols[Int(g)].kind == .autoImported
    }

    /// The runtime pseudo-relocations (version 2, as mingw-w64's pseudo-reloc.c reads them):
    /// IAT slot RVA, site RVA and width in bits, sorted by site.
    func collectPseudoRelocations(_ resolver: SymbolResolver, image: Image) -> [(slot: UInt32, site: UInt32, bits: UInt32)] {
        var entries: [(slot: UInt32, site: UInt32, bits: UInt32)] = []
        for object in resolver.objects {
            for (s, section) in object.sections.enumerated() where section.isLive {
                let global = object.firstSection + s
                guard image.sectionOutput[global] >= 0 else { continue }
                for r in 0..<section.relocationCount {
                    let relocation = object.relocation(section, r)
                    guard case .global(let g)? = Int(relocation.symbolTableIndex) < object.targets.count ? object.targets[Int(relocation.symbolTableIndex)].decoded : nil,
                          resolver.symbols[Int(g)].kind == .autoImported else { continue }
                    let bits: UInt32 = relocation.type == target.pointerRelocation && target.is64Bit ? 64 : 32
                    entries.append((image.addresses.rva(of: Int(g)) ?? 0, image.sectionRVA[global] &+ relocation.virtualAddress, bits))
                }
            }
        }
        return entries.sorted { $0.site < $1.site }
    }

    func containsAbsoluteRelocations(_ resolver: SymbolResolver) -> Bool {
        if !resolver.localImportTargets.isEmpty { return true }
        let pointerRelocation = target.pointerRelocation
        if target.importThunkAbsoluteField != nil && resolver.imports.contains(where: \.needsThunk) { return true }
        if !options.delayLoadDLLs.isEmpty && !resolver.imports.isEmpty { return true }
        for object in resolver.objects {
            for section in object.sections where section.isLive && section.relocationCount > 0 && !section.isDWARF {
                for r in 0..<section.relocationCount where object.relocation(section, r).type == pointerRelocation {
                    return true
                }
            }
        }
        return false
    }

    func collectBaseRelocationSites(_ resolver: SymbolResolver, image: Image) -> [UInt32] {
        var perObject = [[UInt32]](repeating: [], count: resolver.objects.count)
        perObject.withUnsafeMutableBufferPointer { buffer in
            guard let bufferBase = buffer.baseAddress else { return }
            nonisolated(unsafe) let out = bufferBase
            let objects = resolver.objects
            let addresses = image.addresses
            let sectionRVA = image.sectionRVA, sectionOutput = image.sectionOutput
            let pointerRelocation = target.pointerRelocation
            parallelFor(objects.count, threads: options.threads) { o in
                var sites: [UInt32] = []
                let object = objects[o]
                let targets = object.targets
                // Debug sections are not loaded: their addresses are never relocated by the loader.
                for (s, section) in object.sections.enumerated()
                where section.isLive && section.relocationCount > 0 && !section.isDWARF && !section.hasNoPointerRelocations {
                    let global = object.firstSection + s
                    guard sectionOutput[global] >= 0 else { continue }
                    for r in 0..<section.relocationCount {
                        let relocation = object.relocation(section, r)
                        guard relocation.type == pointerRelocation else { continue }
                        if isAbsoluteTarget(addresses, targets: targets, symbolIndex: Int(relocation.symbolTableIndex)) { continue }
                        sites.append(sectionRVA[global] &+ relocation.virtualAddress)
                    }
                }
                out[o] = sites
            }
        }
        var linkerSites: [UInt32] = []
        // Each local import slot holds an address that moves with the image.
        if let slots = image.chunkRVA[.localImportSlots] {
            for (k, x) in resolver.localImportTargets.enumerated() where image.addresses.rva(of: Int(x)) != nil {
                linkerSites.append(slots.rva + UInt32(target.pointerSize * k))
            }
        }
        // x86 import thunks jump through the IAT slot's absolute address.
        if let field = target.importThunkAbsoluteField, let thunks = image.chunkRVA[.importThunks] {
            for offset in image.imports.thunkOffsets where offset >= 0 { linkerSites.append(thunks.rva + UInt32(offset + field)) }
        }
        linkerSites += image.delayImports.baseRelocationSites(image: image)
        // One list, each object's released as it is copied: a large image has millions of sites.
        var sites: [UInt32] = []
        sites.reserveCapacity(perObject.reduce(linkerSites.count) { $0 + $1.count })
        for o in perObject.indices {
            sites += perObject[o]
            perObject[o] = []
        }
        sites += linkerSites
        return radixSorted(consume sites)
    }

    func buildSymbolAddresses(_ resolver: SymbolResolver, image: Image) -> SymbolAddressTable {
        let symbols = resolver.symbols
        let sectionRanges: [(start: UInt32, end: UInt32)] = image.sections.map { ($0.rva, $0.rva + UInt32(max($0.virtualSize, 1))) }
        func sectionIndex(of rva: UInt32) -> Int32 {
            for (i, r) in sectionRanges.enumerated() where rva >= r.start && rva < r.end { return Int32(i) }
            return -1
        }
        return SymbolAddressTable(count: symbols.count, threads: options.threads) { g in
            let symbol = symbols[g]
            switch symbol.kind {
            case .absolute:
                return .absolute(symbol.value)
            case .defined:
                let global = image.firstSectionOf[Int(symbol.file)] + Int(symbol.section)
                guard image.sectionOutput[global] >= 0 else { return .missing }
                return .rva(image.sectionRVA[global] &+ UInt32(truncatingIfNeeded: symbol.value), outputSection: image.sectionOutput[global])
            default:
                guard let rva = symbolRVA(resolver, image: image, symbol: Int32(g)) else { return .missing }
                return .rva(rva, outputSection: sectionIndex(of: rva))
            }
        }
    }

    func isAbsoluteTarget(_ addresses: SymbolAddressTable, targets: [SymbolTarget], symbolIndex: Int) -> Bool {
        guard symbolIndex < targets.count else { return true }
        switch targets[symbolIndex].decoded {
        case .absolute, .none: return true
        case .global(let g): return !addresses.hasRVA(Int(g))
        case .local: return false
        }
    }

    // MARK: Writing

    /// The files of /sourcelink and /pdbstream (named streams) and of /natvis (injected
    /// sources). A file that cannot be read is an error naming it and the option; a /natvis file
    /// named twice is carried once, and two /natvis files the PDB would file under the same name
    /// (it keeps names in lower case, with `\` for `/`) are an error.
    mutating func readPDBFiles() {
        func read(_ path: String, option: String) -> [UInt8]? {
            do {
                let file = try MappedFile(path: path)
                return withExtendedLifetime(file) { Array(file.bytes) }
            } catch {
                diagnostics.error("\(option): \(error)")
                return nil
            }
        }
        for stream in options.pdbStreamFiles {
            if let bytes = read(stream.path, option: stream.option) { pdbNamedStreams.append(PDBNamedStream(name: stream.name, bytes: bytes)) }
        }
        var pathOfVirtualName: [String: String] = [:]
        for path in options.natvisFiles {
            let virtualName = PDBInjectedSource(name: path, content: []).virtualName
            if let earlier = pathOfVirtualName[virtualName] {
                if earlier != path {
                    diagnostics.error("/natvis:\(path): the PDB would hold it under the same name as /natvis:\(earlier) (\(virtualName), the path in lower case); name only one of them")
                }
                continue
            }
            pathOfVirtualName[virtualName] = path
            if let bytes = read(path, option: "/natvis:" + path) { pdbInjectedSources.append(PDBInjectedSource(name: path, content: bytes)) }
        }
    }

    /// The PDB laid out for writing: the merged types, a module per object (made in parallel),
    /// the globals, the publics and contributions `imageParts` made meanwhile, and the GUID and
    /// time stamp the image's CodeView record and header got.
    mutating func makePDB(_ builder: PDBBuilder, typeMerge: TypeMergeJob, imageParts: PDBImagePartsJob) -> PDBWriter.Layout? {
        let (types, maps, typeErrors) = typeMerge.finish()
        for error in typeErrors { diagnostics.error(error) }
        if !typeErrors.isEmpty { return nil }
        let objectCount = builder.resolver.objects.count
        let results = ParallelResults<PDBModuleParts>(count: objectCount)
        parallelFor(objectCount, threads: options.threads) { o in
            results.set(o, builder.module(o, typeMap: o < maps.count ? maps[o] : [], types: types))
        }
        let (a, b) = imageIdentity.contentHash
        let guid = withUnsafeBytes(of: a.littleEndian, Array.init) + withUnsafeBytes(of: b.littleEndian, Array.init)
        let stamp = options.timestampIsContentHash ? UInt32(truncatingIfNeeded: a) : options.timestamp
        var contents = PDBContents(guid: guid, age: 1, signature: stamp, machine: options.machine)
        contents.types = types
        var globals: [UInt8] = []
        // Typedefs and constants many objects repeat are kept once (as lld-link and MSVC do).
        var seenGlobals = Set<ArraySlice<UInt8>>()
        for o in 0..<objectCount {
            guard var parts = results.take(o) else { continue }
            for error in parts.errors { diagnostics.error(error) }
            for warning in parts.warnings { diagnostics.warning(warning) }
            if !parts.errors.isEmpty { continue }
            for (offset, string) in parts.lineNameFixups {
                let value = contents.names.offset(of: string)
                guard offset + 4 <= parts.module.c13Lines.count else { continue }
                parts.module.c13Lines.withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self) }
            }
            for (offset, string) in parts.symbolNameFixups {
                let value = contents.names.offset(of: string)
                guard offset + 4 <= parts.module.symbols.count else { continue }
                parts.module.symbols.withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: offset, as: UInt32.self) }
            }
            var at = 0
            let moduleGlobals = parts.globals
            while at + 4 <= moduleGlobals.count {
                let end = min(at + 2 + Int(UInt16(moduleGlobals[at]) | UInt16(moduleGlobals[at + 1]) << 8), moduleGlobals.count)
                defer { at = end }
                let record = moduleGlobals[at..<end]
                let kind = UInt16(record[at + 2]) | UInt16(record[at + 3]) << 8
                if kind == CodeViewSymbol.userDefinedType || kind == CodeViewSymbol.constant {
                    if !seenGlobals.insert(record).inserted { continue }
                }
                globals += record
            }
            contents.modules.append(parts.module)
        }
        if diagnostics.hasErrors { return nil }
        let parts = imageParts.finish()
        contents.modules.append(parts.linkerModule)
        contents.contributions = parts.contributions
        for contribution in contents.contributions.reversed() where Int(contribution.module) < contents.modules.count {
            contents.modules[Int(contribution.module)].firstContribution = contribution
        }
        contents.sectionHeaders = ImageHeaders.sectionTable(builder.image)
        contents.symbolRecords = [parts.publicRecords, globals]
        contents.publicsStream = parts.publicsStream
        contents.globalsStream = PDBSymbolTables.globals(globals, after: parts.publicRecords.count)
        contents.namedStreams = pdbNamedStreams
        contents.injectedSources = pdbInjectedSources
        return PDBWriter.layOut(contents)
    }

    /// Writes the image to a staged output; nil (with the errors in `diagnostics`) on failure.
    mutating func writeImage(_ image: inout Image, resolver: SymbolResolver, to path: String) -> StagedOutput? {
        let relocator = Relocator(resolver: resolver, image: image)
        let imageCopy = image
        let headers = ImageHeaders.build(image: imageCopy, options: options, resolver: resolver, symbolRVA: { symbolRVA(resolver, image: imageCopy, symbol: $0) })
        // From here on, addresses come from the symbol address table: the symbols themselves can go.
        let tlsPatch = tlsDirectoryPatch(resolver, image: imageCopy)
        let loadFlagsPatch = dependentLoadFlagsPatch(resolver, image: imageCopy)
        let identity = imageIdentity
        resolver.symbols = []
        var errors: [String] = []
        do {
            return try StagedOutput(path: path, size: image.fileSize, executable: true) { file in
                try file.write(headers, at: 0)
                // Each chunk writes only its own bytes, so chunks are written in parallel, in
                // blocks of consecutive chunks of one section: each block is made in a buffer of
                // its own and written to the file where it goes (pwrite), so the image's pages stay
                // in the page cache instead of adding to the link's memory as a mapping would.
                // A block spans from its first chunk to the next block's (the first and last
                // blocks of a section to its start and to its raw data's end); code gaps get the
                // machine's fill, written by the chunk before each gap, other gaps are zeros.
                let fill = imageCopy.target.codeFill
                var blocks: [(section: Int, chunks: Range<Int>, bytes: Range<Int>)] = []
                for (s, section) in imageCopy.sections.enumerated() where section.rawSize > 0 {
                    func place(_ c: Int) -> Int {
                        c < section.chunks.count ? min(Int(section.chunks[c].rva - section.rva), section.rawSize) : section.rawSize
                    }
                    var c = 0
                    repeat {
                        let end = min(c + 512, section.chunks.count)
                        blocks.append((s, c..<end, (c == 0 ? 0 : place(c))..<place(end)))
                        c = end
                    } while c < section.chunks.count
                }
                let chunkErrors = ChunkErrors(count: blocks.count)
                let writeErrors = ParallelResults<Error>(count: blocks.count)
                let workBlocks = blocks
                let sections = imageCopy.sections
                // Blocks differ in cost (code with many relocations, data with none): each worker
                // takes the next block when done with one, where fixed shares left one worker
                // writing alone for tens of milliseconds at the end.
                parallelForTakingTurns(workBlocks.count, threads: options.threads) { b in
                    let (s, range, bytes) = workBlocks[b]
                    guard !bytes.isEmpty else { return }
                    let section = sections[s]
                    let isCode = section.flags.contains(.code)
                    let chunks = section.chunks
                    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 16)
                    defer { buffer.deallocate() }
                    // Offsets in the section, less the block's start.
                    let base = buffer.baseAddress! - bytes.lowerBound
                    memset(buffer.baseAddress!, 0, bytes.count)
                    if isCode && range.lowerBound == 0 {
                        memset(buffer.baseAddress!, fill, (range.isEmpty ? bytes.upperBound : min(Int(chunks[0].rva - section.rva), section.rawSize)))
                    }
                    for c in range {
                        let chunk = chunks[c]
                        let start = Int(chunk.rva - section.rva)
                        if chunk.hasFileData, let message = relocator.write(chunk, to: base + start) {
                            chunkErrors.set(b, message)
                        }
                        if isCode {
                            let end = min(start + (chunk.hasFileData ? chunk.size : 0), section.rawSize)
                            let next = min(c + 1 < chunks.count ? Int(chunks[c + 1].rva - section.rva) : section.rawSize, section.rawSize)
                            if next > end { memset(base + end, fill, next - end) }
                        }
                    }
                    do {
                        try file.write(UnsafeRawBufferPointer(buffer), at: section.fileOffset + bytes.lowerBound)
                    } catch {
                        writeErrors.set(b, error)
                    }
                }
                errors = chunkErrors.all
                if !errors.isEmpty { throw LinkFailed() }
                for b in workBlocks.indices { if let error = writeErrors.take(b) { throw error } }
                try sortExceptionTable(sections, in: file)
                let names = imageCopy.longSectionNames
                if !names.table.isEmpty { try file.write(names.table, at: names.fileOffset) }
                func store<T: FixedWidthInteger>(_ value: T, at offset: Int) throws {
                    try withUnsafeBytes(of: value.littleEndian) { try file.write($0, at: offset) }
                }
                if let (offset, flags) = loadFlagsPatch { try store(flags, at: offset) }
                let guid = imageCopy.buildIDFileOffset
                if guid != nil || options.timestampIsContentHash {
                    // One hash of every byte (the fields it fills still zero): equal inputs give an
                    // equal build id and time stamp, different images (almost surely) different ones.
                    let (a, b) = try ContentHash.hash128(file, count: imageCopy.fileSize, threads: options.threads)
                    identity.contentHash = (a, b)
                    if let guid {
                        try store(a, at: guid)
                        try store(b, at: guid + 8)
                    }
                    if options.timestampIsContentHash {
                        let stamp = UInt32(truncatingIfNeeded: a)
                        try store(stamp, at: ImageHeaders.timestampOffset(stub: options.dosStub))
                        for entry in imageCopy.debugDirectoryTimestampOffsets { try store(stamp, at: entry) }
                    }
                }
                if let tls = tlsPatch {
                    var field: UInt32 = 0
                    try withUnsafeMutableBytes(of: &field) { try file.read(into: $0, at: tls.fileOffset) }
                    try store((UInt32(littleEndian: field) & ~SectionFlags.alignMask.rawValue) | tls.alignmentBits, at: tls.fileOffset)
                }
                if options.setChecksum {
                    // Last: the checksum covers every byte of the file.
                    let offset = ImageHeaders.checksumOffset(stub: options.dosStub)
                    let whole = UnsafeMutableRawBufferPointer.allocate(byteCount: max(imageCopy.fileSize, 1), alignment: 16)
                    defer { whole.deallocate() }
                    try file.read(into: UnsafeMutableRawBufferPointer(rebasing: whole[0..<imageCopy.fileSize]), at: 0)
                    try store(peChecksum(UnsafeRawBufferPointer(rebasing: whole[0..<imageCopy.fileSize]), skipping: offset), at: offset)
                }
            }
        } catch is LinkFailed {
            // Enough to act on; the rest would only bury the first ones.
            for e in errors.prefix(20) { diagnostics.error(e) }
            if errors.count > 20 { diagnostics.error("\(errors.count - 20) more relocation errors not shown") }
        } catch {
            diagnostics.error("\(error)")
        }
        return nil
    }

    /// The loader binary-searches the exception table (RtlLookupFunctionEntry), so its
    /// RUNTIME_FUNCTION entries (BeginAddress, EndAddress, UnwindInfo: 12 bytes) must be sorted
    /// by BeginAddress. Input order is not: MSVC puts funclets in .text$x after every .text$mn
    /// while their .pdata stays beside the parent's. Sorted in the written image, after
    /// relocation, as lld-link does; .pdata holds no base relocations, so nothing else moves.
    func sortExceptionTable(_ sections: [OutputSection], in file: OutputFileAccess) throws {
        guard let entrySize = target.exceptionEntrySize else { return }
        for section in sections where section.rawSize > 0 && section.chunks.contains(where: \.isExceptionTable) {
            // Entry places chunk by chunk: alignment gaps and other chunks between them stay as they are.
            let chunks = section.chunks
            let tables = chunks.indices.filter { chunks[$0].isExceptionTable && chunks[$0].hasFileData }
            var firstPlace = [Int](repeating: 0, count: tables.count + 1)
            for (k, c) in tables.enumerated() { firstPlace[k + 1] = firstPlace[k] + chunks[c].size / entrySize }
            let count = firstPlace[tables.count]
            guard count > 1 else { continue }
            // Each worker writes the places of its own stretch of chunks.
            var places = [Int](repeating: 0, count: count, threads: options.threads)
            places.withUnsafeMutableBufferPointer { places in
                nonisolated(unsafe) let places = places
                let stretch = 1 << 12
                parallelFor((tables.count + stretch - 1) / stretch, threads: options.threads) { j in
                    for k in j * stretch..<min(tables.count, (j + 1) * stretch) {
                        let start = Int(chunks[tables[k]].rva - section.rva)
                        for i in 0..<(firstPlace[k + 1] - firstPlace[k]) { places[firstPlace[k] + i] = start + i * entrySize }
                    }
                }
            }
            let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: section.rawSize, alignment: 16)
            defer { bytes.deallocate() }
            try file.read(into: bytes, at: section.fileOffset)
            nonisolated(unsafe) let base = bytes.baseAddress!
            // Stable: equal starts keep their input order (the key's low half), so the output does
            // not depend on the sort. Sorted as plain numbers: a large DLL has a million entries.
            var keys = [UInt64](count: count, threads: options.threads) { UInt64(base.loadLE32(at: places[$0])) << 32 | UInt64($0) }
            if zip(keys, keys.dropFirst()).allSatisfy({ $0 >> 32 <= $1 >> 32 }) { continue }
            parallelRadixSort(&keys, threads: options.threads)
            // Each entry moves from its place in a copy of the section to its sorted place.
            // ARM64 entries have no EndAddress: their second word is the unwind data.
            let unsorted = UnsafeMutableRawBufferPointer.allocate(byteCount: section.rawSize, alignment: 16)
            defer { unsorted.deallocate() }
            unsorted.copyMemory(from: UnsafeRawBufferPointer(bytes))
            nonisolated(unsafe) let source = UnsafeRawPointer(unsorted.baseAddress!)
            let sortedKeys = keys, sortedPlaces = places
            let stretch = 1 << 14
            parallelFor((count + stretch - 1) / stretch, threads: options.threads) { j in
                for k in j * stretch..<min(count, (j + 1) * stretch) {
                    let from = sortedPlaces[Int(truncatingIfNeeded: sortedKeys[k] & 0xFFFF_FFFF)]
                    (base + sortedPlaces[k]).copyMemory(from: source + from, byteCount: entrySize)
                }
            }
            try file.write(UnsafeRawBufferPointer(bytes), at: section.fileOffset)
        }
    }

    /// The loader aligns each thread's copy of the TLS template as the TLS directory's
    /// Characteristics say; the compiler cannot know the final alignment, so the linker records
    /// the largest alignment of the .tls contributions there (as lld-link does).
    /// The file offset is that of the Characteristics field.
    func tlsDirectoryPatch(_ resolver: SymbolResolver, image: Image) -> (fileOffset: Int, alignmentBits: UInt32)? {
        guard let g = resolver.find(target.mangle("_tls_used")), let rva = image.addresses.rva(of: Int(g)),
              let tls = image.sections.first(where: { $0.name == ".tls" }) else { return nil }
        let size = Int(target.tlsDirectorySize)
        guard let section = image.sections.first(where: { rva >= $0.rva && Int(rva) + size <= Int($0.rva) + $0.initializedSize }) else { return nil }
        let alignment = tls.chunks.map(\.alignment).max() ?? 1
        var log2 = 0
        while (1 << log2) < alignment { log2 += 1 }
        return (section.fileOffset + Int(rva - section.rva) + target.tlsCharacteristicsOffset, UInt32(log2 + 1) << 20)
    }

    /// /dependentloadflag: where DependentLoadFlags of the load configuration lands in the file,
    /// when the structure the CRT provides (`_load_config_used`) is large enough to have it.
    mutating func dependentLoadFlagsPatch(_ resolver: SymbolResolver, image: Image) -> (fileOffset: Int, flags: UInt16)? {
        guard let flags = options.dependentLoadFlags else { return nil }
        let fieldOffset = target.loadConfigDependentLoadFlagsOffset
        guard let g = resolver.find(target.mangle("_load_config_used")), resolver.symbols[Int(g)].kind == .defined,
              let rva = image.addresses.rva(of: Int(g)) else {
            diagnostics.warning("/dependentloadflag: no load configuration (_load_config_used) in the link, so the flags have nowhere to go; link the CRT's or define one")
            return nil
        }
        let symbol = resolver.symbols[Int(g)]
        let object = resolver.objects[Int(symbol.file)]
        let data = object.data(object.sections[Int(symbol.section)])
        let start = Int(symbol.value)
        guard start + 4 <= data.count else { return nil }
        let declaredSize = Int(data.loadUnaligned(fromByteOffset: start, as: UInt32.self).littleEndian)
        guard declaredSize >= fieldOffset + 2, start + fieldOffset + 2 <= data.count,
              let section = image.sections.first(where: { rva >= $0.rva && Int(rva) + fieldOffset + 2 <= Int($0.rva) + $0.initializedSize }) else {
            diagnostics.warning("/dependentloadflag: the load configuration of \(object.displayName) is \(declaredSize) bytes, too small to hold DependentLoadFlags (at offset \(fieldOffset)); the flags are not written")
            return nil
        }
        return (section.fileOffset + Int(rva - section.rva) + fieldOffset, flags)
    }

    /// The --output-def file: what the DLL exports, in the .def language (by name order).
    func moduleDefinitionText(_ exports: [ExportEntry]) -> String {
        var text = "EXPORTS\n"
        for entry in exports {
            let r = entry.request
            text += "    " + r.name
            if let forward = r.forwardTo { text += " = " + forward }
            text += " @\(entry.ordinal)"
            if r.noName { text += " NONAME" }
            if r.isData { text += " DATA" }
            if r.isPrivate { text += " PRIVATE" }
            text += "\n"
        }
        return text
    }

    /// __CTOR_LIST__ and __DTOR_LIST__ (with the extra underscore of 32-bit names too).
    let mingwListNames = [["__CTOR_LIST__", "___CTOR_LIST__"], ["__DTOR_LIST__", "___DTOR_LIST__"]]

    /// x86: the symbol importers of each export link against. An undecorated export of a
    /// decorated function (`EXPORTS f` for `_f@8`) gives importers the decorated name, which
    /// their compiler writes, and the import name type strips it back to `f`; otherwise the
    /// export name decorated as a C name. Nil elsewhere (the export name itself).
    func importerSymbols(_ exports: [ExportEntry], _ resolver: SymbolResolver) -> [String?] {
        guard target.decoratesCNames else { return [] }
        let gnu = options.isGNUFlavor
        return exports.map { entry in
            let r = entry.request
            if r.forwardTo == nil, let decorated = resolver.decoratedNames[r.symbolName] {
                if target.exportName(ofSymbol: r.symbolName, gnu: gnu) == r.name { return decorated }
                // A renamed export (`alias=g` for `@g@8`) takes its target's decoration: `@alias@8`.
                if let renamed = Target.redecorate(decorated, plain: r.symbolName, as: r.name) { return renamed }
            }
            return target.symbolName(ofUserName: r.name, gnu: gnu)
        }
    }

    /// Where the import library goes: /implib:, else beside the output when there are exports.
    /// A DLL always gets one; an EXE only when it exports something (as link.exe and lld-link do).
    func importLibraryPath(_ exports: [ExportEntry]) -> String? {
        if !options.isDLL && exports.isEmpty { return nil }
        if let path = options.importLibraryPath { return path }
        // GNU ld writes one only when --out-implib asks.
        if options.isGNUFlavor { return nil }
        return exports.isEmpty ? nil : (outputPath as NSString).deletingPathExtension + ".lib"
    }
}

/// Laps inside a pass, for the detail lines of /time.
struct Stopwatch {
    private var last = DispatchTime.now().uptimeNanoseconds
    /// Each lap's name and nanoseconds; formatted only when asked (formatting costs more than a
    /// small link's lap).
    private var laps: [(name: String, nanoseconds: UInt64)] = []
    mutating func lap(_ name: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        laps.append((name, now - last))
        last = now
    }
    var summary: String { laps.map { String(format: "%@ %.3f s", $0.name, Double($0.nanoseconds) / 1e9) }.joined(separator: ", ") }
}

/// Tables kept alive until the process exits (`Driver.leavesTablesForExit`).
private final class LeftForExit {
    let tables: Any
    init(_ tables: Any) { self.tables = tables }
}

/// Wall time of each pass, for /time.
struct PassClock {
    /// Pass names and seconds; a negative time marks a detail line of the pass before.
    var timings: [(String, Double)] = []
    mutating func detail(_ text: String) { timings.append((text, -1)) }
    mutating func timed<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try body()
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        timings.append((name + " (peak RSS so far \(usage.ru_maxrss / 1024) MiB)", Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9))
        return result
    }
}

/// Builds the import library's bytes on a thread of its own, beside the image writer.
final class ImportLibraryJob: @unchecked Sendable {
    let path: String?
    private let dllName: String
    private let machine: Machine
    private let exports: [ExportEntry]
    private let importerSymbols: [String?]
    private var result: Result<StagedOutput, Error>?
    private let done = DispatchSemaphore(value: 0)
    private var started = false, waited = false

    init(path: String?, dllName: String, machine: Machine, exports: [ExportEntry], importerSymbols: [String?] = []) {
        self.path = path
        self.importerSymbols = importerSymbols
        self.dllName = dllName
        self.machine = machine
        self.exports = exports
    }

    /// Builds the bytes and stages the file (a temporary file, renamed into place only when the
    /// whole link succeeds) while the image is laid out and written.
    func start() {
        guard let path else { return }
        started = true
        Thread.detachNewThread { [self] in
            result = Result { try StagedOutput(path: path, bytes: try build()) }
            done.signal()
        }
    }

    /// By-name imports carry a hint: the name's index in the export name pointer table
    /// (pe-format.md, "Import Lookup Table"), which lets the loader skip its binary search.
    private func build() throws -> [UInt8] {
        // Export names are unique (merged by name), so a name's hint is its place among the named.
        var entries: [ImportLibraryEntry] = []
        entries.reserveCapacity(exports.count)
        var hint = 0
        for i in exports.indices {
            let noName = exports[i].request.noName
            defer { if !noName { hint += 1 } }
            guard !exports[i].request.isPrivate else { continue }
            entries.append(ImportLibraryEntry(name: exports[i].request.name, symbolName: i < importerSymbols.count ? importerSymbols[i] : nil,
                                              ordinal: noName ? exports[i].ordinal : UInt16(truncatingIfNeeded: hint), noName: noName,
                                              isData: exports[i].request.isData, isConstant: exports[i].request.isConstant,
                                              exportAs: exports[i].request.exportAs, importName: exports[i].request.importName))
        }
        return try ImportLibraryWriter.write(dllName: dllName, machine: machine, entries: entries)
    }

    /// Waits for the staged file (nil when there is no import library to write).
    func finish() -> Result<StagedOutput?, Error> {
        guard started else { return .success(nil) }
        waitOnce()
        return result!.map { $0 }
    }

    /// Waits for the job if nothing has, and drops its staged file unless a caller took it.
    func abandon() {
        guard started else { return }
        waitOnce()
        result = nil
    }

    private func waitOnce() {
        if !waited { done.wait() }
        waited = true
    }
}

/// Error messages of parallel chunk writers, one list per work item, read after they finish.
final class ChunkErrors: @unchecked Sendable {
    private var messages: [[String]]
    private let lock = NSLockish()
    init(count: Int) { messages = Array(repeating: [], count: count) }
    func set(_ i: Int, _ message: String) { lock.lock(); messages[i].append(message); lock.unlock() }
    /// Every message, in work order (so the report does not depend on thread timing).
    var all: [String] { messages.flatMap { $0 } }
}

/// The RVA a symbol stands for, or nil when it has none (absolute, undefined).
func symbolRVA(_ resolver: SymbolResolver, image: Linker.Image, symbol g: Int32) -> UInt32? {
    let symbol = resolver.symbols[Int(g)]
    switch symbol.kind {
    case .defined:
        let global = image.firstSectionOf[Int(symbol.file)] + Int(symbol.section)
        guard image.sectionOutput[global] >= 0 else { return nil }
        return image.sectionRVA[global] &+ UInt32(truncatingIfNeeded: symbol.value)
    case .common: return image.commonRVA[g]
    case .importAddress: return resolver.imports[Int(symbol.file)].iatRVA
    case .importThunk:
        let entry = resolver.imports[Int(symbol.file)]
        return entry.needsThunk ? entry.thunkRVA : nil
    case .linkerDefined: return UInt32(truncatingIfNeeded: symbol.value)
    case .localImport: return image.chunkRVA[.localImportSlots].map { $0.rva + UInt32(image.target.pointerSize) * UInt32(symbol.value) }
    case .autoImported: return symbol.member >= 0 && symbol.member != g ? symbolRVA(resolver, image: image, symbol: symbol.member) : nil
    default: return nil
    }
}
