import PEFormat

/// Where an export request came from; every export diagnostic names it.
public enum ExportSource: Sendable, Equatable, CustomStringConvertible {
    case commandLine
    case moduleDefinition(path: String, line: Int)
    case directive(object: String)
    /// GNU ld's automatic export of every global symbol (--export-all-symbols or nothing exported).
    case exportAll

    public var description: String {
        switch self {
        case .commandLine: return "/export: on the command line"
        case let .moduleDefinition(path, line): return "\(path):\(line)"
        case let .directive(object): return ".drectve of \(object)"
        case .exportAll: return "--export-all-symbols"
        }
    }
    /// lld-link's precedence: command line, then .def, then .drectve.
    var precedence: Int {
        switch self {
        case .commandLine: return 0
        case .moduleDefinition: return 1
        case .directive, .exportAll: return 2
        }
    }
}

/// One export request, from any source, before it is matched against the symbol table.
public struct ExportRequest: Sendable, Equatable {
    /// The name in the export table.
    public var name: String
    /// The symbol that provides it (same as `name` unless `name=internal`).
    public var symbolName: String
    /// "dll.func" or "dll.#12" for a forwarder.
    public var forwardTo: String?
    public var ordinal: UInt16?
    public var noName = false
    public var isPrivate = false
    public var isData = false
    public var isConstant = false
    public var exportAs: String?
    /// `name == importname` in a .def: the name importers look up, written to the import library.
    public var importName: String?
    public var source: ExportSource

    public init(name: String, symbolName: String? = nil, forwardTo: String? = nil, source: ExportSource) {
        self.name = name
        self.symbolName = symbolName ?? name
        self.forwardTo = forwardTo
        self.source = source
    }
}

/// What `/abilock` does when the exports differ from the lock file.
public enum ABILockMode: Sendable, Equatable {
    /// A break fails the link; additions are notes.
    case enforce
    /// A break is a warning.
    case warn
    /// The lock file is rewritten with the link's exports (when the link succeeds).
    case update
}

/// Everything that decides a link, after the command line, response files and the .def are read.
public struct LinkOptions: Sendable {
    public var inputFiles: [String] = []
    public var outputPath: String?
    public var isDLL = false
    public var moduleDefinitionPath: String?
    public var importLibraryPath: String?
    public var machine: Machine = .unknown
    public var entry: String?
    public var noEntry = false
    public var imageBase: UInt64?
    public var exports: [ExportRequest] = []
    public var includes: [String] = []
    /// /why:SYMBOL and /why:export:NAME (patterns with * and ?): explain these symbols.
    public var whyQueries: [String] = []
    /// /json: the /why report as JSON.
    public var whyJSON = false
    /// /order:@file: the file listing symbols whose sections come first, in that order.
    public var orderFile: String?
    /// /build-id[:no], --build-id[=none]: nil is the default (on for GNU ld's command line unless stripped, as ld.lld does).
    public var buildID: Bool?
    /// Set when the command line was GNU ld's (not lld-link's /lldmingw).
    public var gnuCommandLine = false
    /// /cetcompat: the image is compatible with CET shadow stacks (an extended DLL characteristics debug entry).
    public var cetCompatible = false
    /// /dependentloadflag:N, written into the load configuration's DependentLoadFlags.
    public var dependentLoadFlags: UInt16?
    /// /debug (full, fastlink, ghash): a PDB, and the image's CodeView record naming it.
    public var writesPDB = false
    /// /pdb:path (default: the output's name with .pdb) and /pdbaltpath:path (what the image records).
    public var pdbPath: String?
    public var pdbAltPath: String?
    /// /debug:dwarf, or GNU ld's command line: DWARF (.debug_*) goes into the image.
    public var debugDWARF = false
    /// -s/--strip-all, -S/--strip-debug: no DWARF in the image.
    public var stripDebug = false
    public var keepsDWARF: Bool { (gnuCommandLine || debugDWARF) && !stripDebug }
    /// /debug:symtab: the COFF symbol table alone (it comes with DWARF too).
    public var debugSymtab = false
    public var writesSymbolTable: Bool { keepsDWARF || (debugSymtab && !stripDebug) }
    /// /profile: keeps /opt:ref on with /debug, as lld-link does (and would keep identical
    /// sections unfolded, but pelink folds none).
    public var profile = false
    /// /natvis:file, in order: debugger visualizers the PDB carries as injected sources.
    public var natvisFiles: [String] = []
    /// /sourcelink:file (the stream "sourcelink$1") and lld-link's /pdbstream:name=file: files
    /// the PDB holds as named streams, in order of first mention; a later file of the same name
    /// takes the earlier one's place. `option` is the argument that named it, for messages.
    public var pdbStreamFiles: [(name: String, path: String, option: String)] = []
    /// /opt:ref (true) or /opt:noref (false); nil: link.exe's default, on unless /debug.
    public var optRef: Bool?
    /// /opt:icf, /opt:safeicf, /opt:noicf (GNU: --icf=); nil: link.exe's default, on with /opt:ref.
    public var icf: FoldingLevel?
    /// /demangle[:no]: diagnostics show C++ names demangled (the default) or only as written.
    public var demangle = true
    /// /includeoptional: symbols loaded from libraries when some member defines them; no error otherwise.
    public var optionalIncludes: [String] = []
    public var alternateNames: [(from: String, to: String)] = []
    public var defaultLibraries: [String] = []
    public var noDefaultLibraries: Set<String> = []
    public var noDefaultLibrariesAll = false
    public var libraryPaths: [String] = []
    public var subsystem: Subsystem?
    public var subsystemMajor: UInt16?
    public var subsystemMinor: UInt16?
    public var stackReserve: UInt64?
    public var stackCommit: UInt64?
    public var heapReserve: UInt64?
    public var heapCommit: UInt64?
    public var majorImageVersion: UInt16 = 0
    public var minorImageVersion: UInt16 = 0
    public var dynamicBase = true
    public var highEntropyVA = true
    public var nxCompat = true
    public var largeAddressAware: Bool?
    /// x86 /SAFESEH: true requires every object with code to register its handlers, false makes
    /// no table; nil is link.exe's default (a table when every object allows one; none for GNU ld).
    public var safeSEH: Bool?
    /// /noseh, GNU --no-seh: the image says it has no SEH handlers (IMAGE_DLLCHARACTERISTICS_NO_SEH).
    public var noSEH = false
    /// GNU ld --enable-stdcall-fixup (true), --disable-stdcall-fixup (false): x86 undefined `_f`
    /// resolved to a defined `_f@N` (and back); nil fixes up with a warning, as GNU ld does.
    public var stdcallFixup: Bool?
    /// GNU ld --add-stdcall-alias: every exported `f@N` is also exported as `f`.
    public var addStdcallAlias = false
    public var merges: [(from: String, to: String)] = []
    public var sectionAttributes: [(name: String, attributes: String)] = []
    public var timestamp: UInt32 = 0
    /// The file header's TimeDateStamp (and the debug directory's) is a hash of the image's
    /// content, as /brepro makes it in link.exe and lld-link: pelink's default in the link.exe
    /// flavor. /timestamp:N sets it instead; GNU ld's command line writes 0 as ld.lld does.
    public var timestampIsContentHash = true
    /// /map[:file]: where to write the link.exe-style map file (nil: none).
    public var mapPath: String?
    /// /map with no file name: the output's name with .map.
    public var mapNextToOutput = false
    /// /mapinfo:exports: list the exports in the map file.
    public var mapListsExports = false
    /// /brepro was given: the map says "Repro mode" instead of a date, as link.exe's does.
    public var reproducibleMode = false
    public var verbose = false
    /// /release: write the image checksum the loader verifies for drivers and boot images.
    public var setChecksum = false
    public var warningsAreErrors = false
    /// /ignore:N: link.exe warning numbers not to report (4217, 4286: locally defined symbol imported).
    public var ignoredWarnings: Set<Int> = []
    /// /FAILIFMISMATCH:key=value given on the command line.
    public var failIfMismatch: [String] = []
    public var printTimes = false
    public var threads: Int?
    /// The fewest names a batch of inputs has for its symbols to be entered by shards
    /// (`SymbolResolver.enterByShards`); below it, workers would cost more than they save.
    /// Tests lower it to take that path on small inputs.
    var shardedEntryMinimum = 1 << 15
    /// Symbols go to the workers in blocks of 2^shift (64: no two workers write one cache line
    /// of the table). Tests make it 1, so that a small link's symbols alternate between workers.
    var shardedEntryBlockShift = 6
    // MinGW (GNU ld) flavor.
    public var isGNUFlavor = false
    /// Export every eligible global symbol (--export-all-symbols, or GNU ld's default when nothing is exported).
    public var exportAllSymbols = false
    public var excludeAllSymbols = false
    public var excludedSymbols: Set<String> = []
    public var killAt = false
    /// MinGW auto-import of DLL data referred to without dllimport (GNU ld's default).
    public var autoImport = true
    /// --output-def: a .def file listing what was exported.
    public var outputDefinitionPath: String?
    /// /abilock:FILE, --abi-lock=FILE: the export list the image's exports are checked against.
    public var abiLockPath: String?
    /// /abilock:warn, /abilock:update (--abi-lock-warn, --abi-lock-update): what a difference does.
    public var abiLockMode: ABILockMode = .enforce
    /// Archives whose every member is loaded (--whole-archive).
    public var wholeArchiveInputs: Set<String> = []
    /// /wholearchive (every library) and /wholearchive:lib (file names, lowercased).
    public var wholeArchiveAll = false
    public var wholeArchiveNames: Set<String> = []
    /// /manifest: nil when not given (a side-by-side manifest only if a dependency is asked).
    public enum ManifestKind: Sendable, Equatable { case no, sideBySide, embed(id: UInt16?) }
    public var manifest: ManifestKind?
    /// /manifestuac: nil for the default (asInvoker for an EXE, nothing for a DLL), "" for :no,
    /// else the attributes of requestedExecutionLevel as given.
    public var manifestUAC: String?
    public var manifestDependencies: [String] = []
    public var manifestFile: String?
    public var manifestInputs: [String] = []
    /// /delayload: DLLs (lowercased) whose imports are delay-loaded, in the order given.
    public var delayLoadDLLs: [String] = []
    /// /delay:unload (the unload copy of each delay IAT) and /delay:nobind (no bound IAT).
    public var delayUnload = false
    public var delayNoBind = false
    /// /fixed: no base relocations; the image loads only at its base.
    public var fixed = false
    /// /tsaware[:no]; nil is link.exe's default (on for EXEs, off for DLLs).
    public var terminalServerAware: Bool?
    /// /swaprun:cd and /swaprun:net.
    public var swapRunFromCD = false
    public var swapRunFromNet = false
    /// /allowbind:no and /allowisolation:no.
    public var allowBind = true
    public var allowIsolation = true
    /// /appcontainer: the image runs only in an app container (IMAGE_DLLCHARACTERISTICS_APPCONTAINER).
    public var appContainer = false
    /// /integritycheck: the loader checks the signature (IMAGE_DLLCHARACTERISTICS_FORCE_INTEGRITY).
    public var integrityCheck = false
    /// /driver: a kernel-mode driver (subsystem native unless given); /driver:uponly sets
    /// IMAGE_FILE_UP_SYSTEM_ONLY, /driver:wdm IMAGE_DLLCHARACTERISTICS_WDM_DRIVER.
    public var driver = false
    public var driverUpOnly = false
    public var driverWDM = false
    /// /osversion:major[.minor] (default 6.0).
    public var osVersion: (major: UInt16, minor: UInt16)?
    /// /force, /force:multiple, /force:unresolved: these errors become warnings.
    public var forceMultiple = false
    public var forceUnresolved = false
    var wholeArchivePlaceholders: Set<Int> = []
    /// -v alone: print the version and link nothing.
    public var versionOnly = false
    /// The MS-DOS program placed before the PE headers (/STUB: or STUB in the .def).
    public var dosStub: [UInt8]?
    public var fileAlignment = 0x200
    public var sectionAlignment = 0x1000

    public init() {}
}
