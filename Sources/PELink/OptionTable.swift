// Every option pelink knows, with what it does: the one table that `/help`, the README's options
// table, the option names the command line recognises and the "did you mean" suggestions come
// from. Tests/PELinkTests/OptionTableTests.swift holds it to link.exe's documented option list
// (../shared/reference/link/linker-options.md), to the parser and to the tests it names.

/// One option of pelink's link.exe-style command line.
struct OptionEntry: Sendable {
    /// What pelink does with the option.
    enum Status: Sendable {
        /// pelink does what link.exe does; the named tests (Swift test functions, `@Test`
        /// display names, or golden case folders under Inputs/) exercise it.
        case implemented(tests: [String])
        /// Accepted; it cannot change pelink's output, for the reason given.
        case noEffect(String)
        /// Accepted with a warning that says what pelink does instead.
        case warns(String)
        /// An error: pelink cannot do what the option asks.
        case rejected(String)
        /// A later issue of the project implements it; until then pelink warns or fails.
        case laterIssue(Int, Interim, String)
    }

    /// What an option that a later issue implements does until then.
    enum Interim: Sendable {
        case warns, fails
    }

    /// Lower-cased, without the slash and the value: the name `parseCommandLine` switches on.
    var name: String
    /// How it is written, for /help and the README (`/machine:{x64|x86|arm64}`).
    var syntax: String
    /// What the option asks for, in a few words.
    var summary: String
    var status: Status
    /// One argument that uses the option, parsed by the tests (`$INPUTS/` is the Inputs folder).
    var example: String
    /// Other spellings that pelink accepts without a word although the option as a whole is not
    /// implemented (`/guard:no`, `/opt:noref`), checked by the tests too.
    var quietlyAccepted: [String] = []
    /// An option of `pelink /lib` (the librarian), not of a link.
    var librarianOnly = false

    /// The explanation of a status other than `.implemented`.
    var reason: String? {
        switch status {
        case .implemented: return nil
        case let .noEffect(why), let .warns(why), let .rejected(why), let .laterIssue(_, _, why): return why
        }
    }

    /// An option pelink refuses today (rejected, or planned but failing until then).
    var fails: Bool {
        switch status {
        case .rejected, .laterIssue(_, .fails, _): return true
        default: return false
        }
    }

    /// An option pelink accepts with a warning today.
    var warns: Bool {
        switch status {
        case .warns, .laterIssue(_, .warns, _): return true
        default: return false
        }
    }
}

enum OptionTable {
    private typealias Status = OptionEntry.Status

    /// An entry; the name is the syntax's first word (`/machine:{…}` → `machine`), the example
    /// the bare option unless given.
    private static func option(_ syntax: String, _ summary: String, _ status: Status, example: String? = nil,
                               quietlyAccepted: [String] = [], librarianOnly: Bool = false) -> OptionEntry {
        let name: String
        if syntax.hasPrefix("@") {
            name = "@"
        } else {
            name = String(syntax.dropFirst().prefix { !":[{ ,".contains($0) }).lowercased()
        }
        return OptionEntry(name: name, syntax: syntax, summary: summary, status: status, example: example ?? "/" + name,
                           quietlyAccepted: quietlyAccepted, librarianOnly: librarianOnly)
    }

    private static func tested(_ tests: String...) -> Status { .implemented(tests: tests) }

    // Reasons that several options share.
    private static let managedCode = "pelink links native code only; .NET assemblies and C++/CLI (/clr) images are not supported"
    private static let profileGuided = "profile-guided optimization needs link-time code generation, which pelink does not do; link without it"
    private static let sampleProfiles = "sample profile-guided optimization (SPGO) needs link-time code generation, which pelink does not do; link without it"
    private static let windowsMetadata = "pelink does not generate Windows Runtime metadata (.winmd); make it with another tool"
    private static let embeddedIDL = "pelink does not turn the IDL attributes of attributed C++ objects into a type library; this only configures that step"

    /// Every option, in alphabetical order of name.
    static let entries: [OptionEntry] = [
        option("--version", "print pelink's version (\"LLD x.y\" included, for the build systems that look for it) and exit",
               tested("versionIsPrinted")),
        option("@file", "read more arguments from a response file (Windows quoting; nested response files)",
               tested("responseFilesNestAndOptionsAreCaseInsensitive", "err-rsp-self-include", "err-rsp-unclosed-quote"),
               example: "@$INPUTS/err-rsp-empty/empty.rsp"),
        option("/abi:diff OLD NEW", "as the first argument: how the exports changed between two DLLs, import libraries, .def files or ABI lock files; exit status 0 compatible, 1 breaking, 2 unreadable",
               tested("abiDiffOfDefinitionFiles", "abiDiffOfLinkedDLLsAndImportLibraries")),
        option("/abilock:{file|warn|update}", "check the exports against an ABI lock file: a change that breaks importers fails the link (a warning with /abilock:warn), additions are notes, /abilock:update rewrites the file (GNU ld flavor: --abi-lock=FILE, --abi-lock-warn, --abi-lock-update)",
               tested("abiLockFailsTheLinkOnABreak", "abiLockWarnAndUpdate"), example: "/abilock:exports.abilock"),
        option("/align:N", "section alignment in memory (a power of two; a warning without /driver, as lld-link gives)",
               tested("alignmentOptionsSetTheHeaderFields"), example: "/align:0x2000"),
        option("/allowbind[:no]", "/allowbind:no: the image must not be bound (NO_BIND)", tested("headerOptionsTakeEffect")),
        option("/allowisolation[:no]", "/allowisolation:no: the loader looks for no manifest (NO_ISOLATION)", tested("headerOptionsTakeEffect")),
        option("/alternatename:from=to", "resolve 'from' as 'to' when 'from' stays undefined", tested("alternatename"), example: "/alternatename:a=b"),
        option("/appcontainer[:no]", "the image must run in an app container (APPCONTAINER)", tested("headerFlagOptions")),
        option("/arm64xfunctionpadminx64:N", "padding between x64 functions of ARM64X images",
               .rejected("pelink does not make ARM64X images (ARM64 and x64 code in one image)"), example: "/arm64xfunctionpadminx64:8"),
        option("/assemblydebug[:disable]", "add the DebuggableAttribute to a managed image", .rejected(managedCode)),
        option("/assemblylinkresource:file", "link a .NET resource to an assembly", .rejected(managedCode), example: "/assemblylinkresource:x.resources"),
        option("/assemblymodule:file", "import an MSIL module into the assembly", .rejected(managedCode), example: "/assemblymodule:x.netmodule"),
        option("/assemblyresource:file", "embed a .NET resource in an assembly", .rejected(managedCode), example: "/assemblyresource:x.resources"),
        option("/base:address", "preferred image base", tested("header-options", "x86-imagebase"), example: "/base:0x10000000"),
        option("/brepro", "reproducible output (the default): the time stamp a hash of the content, \"Repro mode\" in the map file", tested("brepro", "timestampIsAContentHash")),
        option("/build-id[:no]", "a build id: a debug directory CodeView record whose GUID hashes the image (GNU ld's --build-id; on by default there)",
               tested("buildID")),
        option("/cetcompat[:no]", "mark the image compatible with CET shadow stacks",
               tested("cetcompatAndDependentLoadFlag")),
        option("/cgthreads:N", "threads for link-time code generation",
               .noEffect("pelink does no link-time code generation (and rejects /ltcg)"), example: "/cgthreads:4"),
        option("/clrimagetype:{ijw|pure|safe|safe32bitpreferred}", "type of a CLR image", .rejected(managedCode), example: "/clrimagetype:ijw"),
        option("/clrsupportlasterror[:no|:systemdll]", "keep the last error code of P/Invoke calls", .rejected(managedCode)),
        option("/clrthreadattribute:{sta|mta|none}", "threading attribute of a CLR program's entry point", .rejected(managedCode), example: "/clrthreadattribute:sta"),
        option("/clrunmanagedcodecheck[:no]", "SuppressUnmanagedCodeSecurity on P/Invoke stubs", .rejected(managedCode)),
        option("/debug[:{full|fastlink|ghash|dwarf|symtab|none}]", "write debug information: a PDB (types, symbols, line tables, publics, globals) and the image's CodeView record; :fastlink and :ghash write the same full PDB; /debug:dwarf keeps the objects' DWARF and /debug:symtab writes the COFF symbol table instead",
               tested("pdbMatchesTheImage", "pdb-c", "pdb-cpp"), quietlyAccepted: ["/debug:none"]),
        option("/debugtype:{cv|pdata|fixup}[,...]", "which debug information to write",
               .noEffect("pelink, like lld-link, writes the CodeView debug entry whenever /debug writes a PDB (cv) and no pdata or fixup debug entries (link.exe writes those for its profiling tools), so the kinds change neither the image nor the PDB; an unknown kind is a warning, as in lld-link"),
               example: "/debugtype:cv,fixup"),
        option("/def:file", "module-definition file (NAME, LIBRARY, EXPORTS, HEAPSIZE, STACKSIZE, VERSION, SECTIONS, STUB, DESCRIPTION)",
               tested("def-basic", "def-ordinals", "x86-def-ordinals-data"), example: "/def:x.def"),
        option("/defaultlib:lib", "search this library too", tested("defaultlib-libpath"), example: "/defaultlib:cubes"),
        option("/delay:{unload|nobind}", "delay-loaded DLLs: an unload copy of the IAT (unload); no bound IAT (nobind)",
               tested("delayload-unload", "delayload-nobind"), example: "/delay:unload"),
        option("/delayload:dll", "load a DLL at its first call instead of at startup", tested("delayload", "x86-delayload", "arm64-delayload"),
               example: "/delayload:user32.dll"),
        option("/delaysign[:no]", "partially sign an assembly", .rejected(managedCode)),
        option("/demangle[:no]", "C++ names in diagnostics demangled (the default) or as written", tested("undefinedSymbolReports")),
        option("/dependentloadflag:N", "default flags of the image's dependent DLL loads (the load configuration's DependentLoadFlags)",
               tested("cetcompatAndDependentLoadFlag"), example: "/dependentloadflag:0x800"),
        option("/dll", "build a DLL", tested("def-basic", "cmd-export-forms")),
        option("/driver[:uponly|:wdm]", "kernel-mode driver: subsystem native unless /subsystem says otherwise; :uponly sets UP_SYSTEM_ONLY, :wdm WDM_DRIVER",
               tested("headerFlagOptions"), example: "/driver:wdm"),
        option("/dump [/headers /sections /exports /imports /relocations /resources /symbols /all] [/json] FILE...",
               "as the first argument: a stable dump of DLLs, EXEs, objects, static and import libraries, as text or JSON (schema pelink-dump/1)",
               tested("selectors", "objectsAndLibraries", "goldenJSONFollowsTheSchema")),
        option("/dynamicbase[:no]", "ASLR: the image may be loaded anywhere (DYNAMIC_BASE; on by default)", tested("header-options")),
        option("/dynamicdeopt[:...]", "C++ dynamic debugging (on-demand deoptimized functions)",
               .rejected("pelink does not link the deoptimized function copies that C++ dynamic debugging needs")),
        option("/emittoolversioninfo[:no]", "the record of tool versions (\"Rich\" header) that link.exe writes",
               .noEffect("pelink, like lld-link, writes no tool version record")),
        option("/entry:symbol", "entry point", tested("header-options", "x86-entry-dllmain"), example: "/entry:DllMain"),
        option("/errorreport:{none|prompt|queue|send}", "how link.exe reports its own crashes",
               .noEffect("it concerns link.exe's crash reports, not the output"), example: "/errorreport:none"),
        option("/exclude-all-symbols", "lld-link's spelling of GNU ld --exclude-all-symbols: no automatic export (MinGW)",
               tested("lldLinkSpellings")),
        option("/export:name[=internal|=dll.func][,@N[,NONAME]][,DATA][,PRIVATE]", "export a symbol",
               tested("cmd-export-forms", "x86-cmd-exports"), example: "/export:f,@3,NONAME"),
        option("/export-all-symbols", "lld-link's spelling of GNU ld --export-all-symbols: export every global (MinGW)",
               tested("lldLinkSpellings")),
        option("/failifmismatch:key=value", "fail when an object's #pragma detect_mismatch (or the command line) gives key another value",
               tested("failIfMismatchOnTheCommandLine"), example: "/failifmismatch:runtime=static"),
        option("/fastfail", "link.exe's fast failure reporting", .noEffect("it concerns how link.exe reports failures, not the output")),
        option("/fastgenprofile[:...]", "instrument the image for profile-guided optimization", .rejected(profileGuided)),
        option("/filealign:N", "alignment of sections in the file (a power of two from 512 to 65536)",
               tested("alignmentOptionsSetTheHeaderFields"), example: "/filealign:0x1000"),
        option("/fixed[:no]", "no base relocations: the image loads only at its base (RELOCS_STRIPPED)", tested("headerOptionsTakeEffect")),
        option("/force[:multiple|:unresolved]", "link despite duplicate or undefined symbols (they become warnings)", tested("forceAndWholeArchive")),
        option("/functionpadmin[:N]", "padding before functions, for hot patching",
               .rejected("pelink does not pad functions for hot patching; link without /functionpadmin")),
        option("/genprofile[:...]", "instrument the image for profile-guided optimization", .rejected(profileGuided)),
        option("/guard:{cf|ehcont|no|...}", "control flow guard tables",
               .rejected("control flow guard tables are not written by pelink yet; link without /guard or with /guard:no"),
               example: "/guard:cf", quietlyAccepted: ["/guard:no"]),
        option("/heap:reserve[,commit]", "heap sizes", tested("header-options"), example: "/heap:0x300000,0x3000"),
        option("/help, /?", "print this list", tested("helpListsSupportedAndAcceptedOptions")),
        option("/highentropyva[:no]", "64-bit ASLR (HIGH_ENTROPY_VA; on by default for 64-bit images)", tested("header-options", "x86-base-laa")),
        option("/idlout:file", "name of the .idl file made from attributed C++ objects", .noEffect(embeddedIDL), example: "/idlout:x.idl"),
        option("/ignore:N[,N]", "do not print these warnings: 4217 and 4286 (a symbol defined in the link but imported as if from a DLL)",
               tested("ignoreSilencesLocallyDefinedImports"), example: "/ignore:4217,4286"),
        option("/ignoreidl", "do not make a type library from IDL attributes", .noEffect(embeddedIDL)),
        option("/ilk:file", "name of the incremental link database",
               .noEffect("pelink never links incrementally and writes no .ilk"), example: "/ilk:x.ilk"),
        option("/implib:file", "import library to write (default: the output's name with .lib)",
               tested("implibAndOutNameTheOutputs"), example: "/implib:x.lib"),
        option("/include:symbol", "force a symbol reference (pulls its library member in)", tested("include-member"), example: "/include:f"),
        option("/includeoptional:symbol", "lld-link's: load the library member defining the symbol, if any; no error when none does",
               tested("lldLinkSpellings"), example: "/includeoptional:f"),
        option("/incremental[:no]", "incremental linking",
               .noEffect("pelink always links in full, as /incremental:no does, and writes no .ilk")),
        option("/inferasanlibs[:no]", "add the AddressSanitizer runtime libraries that objects ask for",
               .warns("pelink adds no sanitizer runtime libraries; name them on the command line"),
               quietlyAccepted: ["/inferasanlibs:no"]),
        option("/integritycheck[:no]", "the loader must check the image's signature (FORCE_INTEGRITY)", tested("headerFlagOptions")),
        option("/json", "pelink's: the /why report as JSON (schema pelink-why/1; GNU flavor --why-json)", tested("why-json")),
        option("/kernel", "check that every object was compiled for kernel mode",
               .noEffect("link.exe only warns about objects compiled without /kernel; the image is the same")),
        option("/keycontainer:name", "key container to sign an assembly", .rejected(managedCode), example: "/keycontainer:x"),
        option("/keyfile:file", "key file to sign an assembly", .rejected(managedCode), example: "/keyfile:x.snk"),
        option("/kill-at", "lld-link's spelling of GNU ld --kill-at: x86 stdcall exports without their @N suffix",
               tested("killAtAndLLDMinGW")),
        option("/largeaddressaware[:no]", "the image handles addresses above 2 GiB (LARGE_ADDRESS_AWARE; on by default for 64-bit images)",
               tested("x86-base-laa")),
        option("/lib", "as the first argument: the librarian (pelink /lib /def:x.def /machine:x64 /out:x.lib, or pelink /lib /out:x.lib a.obj b.obj)",
               tested("staticLibraryRoundTrip", "pelink /lib with x86 and ARM64 objects")),
        option("/libpath:dir", "library search folder (after the current folder; before the LIB environment variable)",
               tested("defaultlib-libpath", "libEnvironmentVariableAddsSearchFolders"), example: "/libpath:libs"),
        option("/linkrepro:dir", "write the link's inputs to a folder for a bug report",
               .rejected("pelink does not write link repro artifacts"), example: "/linkrepro:repro"),
        option("/linkreprofullpathrsp:file", "write a response file with the absolute path of every input",
               .rejected("pelink does not write link repro artifacts"), example: "/linkreprofullpathrsp:x.rsp"),
        option("/linkreprotarget:file", "make the /linkrepro artifacts only for this output",
               .noEffect("it only limits /linkrepro, which pelink rejects"), example: "/linkreprotarget:x.dll"),
        option("/lldignoreenv", "ignore the LINK, _LINK_ and LIB environment variables (lld-link)",
               tested("linkEnvironmentVariablesAddOptions")),
        option("/lldmap[:file]", "lld-link's map option: the same link.exe-style map as /map", tested("lldLinkSpellings")),
        option("/lldmingw", "MinGW rules, as lld-link's option: automatic export and import, GNU name decoration, no default SAFESEH",
               tested("killAtAndLLDMinGW")),
        option("/ltcg[:...]", "link-time code generation",
               .rejected("pelink does not do link-time code generation; compile without /GL (-flto)")),
        option("/machine:{x64|x86|arm64}", "target machine (default: that of the first object)",
               tested("x86-imagebase", "arm64-def-exports", "err-machine-foo"), example: "/machine:x64"),
        option("/manifest[:embed[,id=N]|:no]", "write a side-by-side manifest next to the image (:embed: as resource 1 of an EXE, 2 of a DLL)",
               tested("manifest-embed-exe", "manifest-embed-dll", "manifestSideBySide")),
        option("/manifestdependency:text", "a dependentAssembly element of the manifest (also from .drectve)",
               tested("manifest-embed-exe", "manifestSideBySide"), example: "/manifestdependency:type='win32'"),
        option("/manifestfile:file", "name of the side-by-side manifest", tested("manifestSideBySide"), example: "/manifestfile:x.manifest"),
        option("/manifestinput:file", "a manifest to merge into the embedded one (with /manifest:embed)", tested("manifest-input"),
               example: "/manifestinput:$INPUTS/manifest-input/app.manifest"),
        option("/manifestuac[:no|:fragment]", "User Account Control information in the manifest (an EXE's default: level='asInvoker' uiAccess='false')",
               tested("manifest-embed-dll", "manifest-input"), example: "/manifestuac:level='asInvoker'"),
        option("/map[:file]", "write a map file in link.exe's layout (default name: the output's with .map), ending with the sections /opt:ref removed and /opt:icf folded",
               tested("map files match lld-link's", "entryAndSubsystemInferred")),
        option("/mapinfo:exports", "list the exports in the map file", tested("map files match lld-link's"), example: "/mapinfo:exports"),
        option("/merge:from=to", "merge section 'from' into 'to'", tested("merge-rdata", "merge-code-data"), example: "/merge:.rdata=.text"),
        option("/midl:@file", "options for MIDL when it makes a type library", .noEffect(embeddedIDL), example: "/midl:@midl.rsp"),
        option("/mllvm:option", "an option for LLVM's code generator (lld-link, for LTO)",
               .noEffect("pelink has no code generator: it links no LLVM bitcode"), example: "/mllvm:-enable-foo"),
        option("/name:file", "pelink /lib /def: only: the DLL name the import library refers to (default: the .def's LIBRARY)",
               tested("librarianNameSetsTheDLLName"), example: "/name:x.dll", librarianOnly: true),
        option("/natvis:file", "add a debugger visualizer file to the PDB (an injected source: /src/headerblock and /src/files/<name>, as lld-link writes it)",
               tested("natvisFilesAreInjectedSources", "missingPDBFilesAreErrors"), example: "/natvis:x.natvis"),
        option("/noassembly", "make an MSIL module instead of an assembly", .rejected(managedCode)),
        option("/nocoffgrpinfo", "leave COFF group information out of the debug information",
               .noEffect("pelink writes no COFF group information")),
        option("/nodefaultlib[:lib]", "ignore all default libraries, or one", tested("defaultlib-libpath"), example: "/nodefaultlib:libcmt"),
        option("/noentry", "no entry point (resource-only or no-CRT DLL)", tested("def-basic", "cmd-export-forms")),
        option("/nofunctionpadsection:name", "no hot-patch padding for the functions of this section",
               .noEffect("pelink pads no functions (and rejects /functionpadmin)"), example: "/nofunctionpadsection:.text"),
        option("/nologo", "no startup banner", .noEffect("pelink prints no banner")),
        option("/noseh", "x86: the image says it has no SEH handlers (NO_SEH)", tested("noSEHMarksTheImage")),
        option("/nxcompat[:no]", "compatible with data execution prevention (NX_COMPAT; on by default)", tested("header-options")),
        option("/opt:{ref|noref|icf[=N]|safeicf|noicf|lbr|nolbr}[,...]", "remove unreferenced sections (ref) and fold identical ones (icf; safeicf: only those whose address is insignificant); both the default unless /debug",
               tested("opt-noref", "icf-safe", "icf-off"), example: "/opt:ref,icf", quietlyAccepted: ["/opt:lbr,nolbr"]),
        option("/order:@file", "lay out functions (COMDATs) in the order a file gives",
               tested("order-file"), example: "/order:@$INPUTS/order-file/order.txt"),
        option("/osversion:major[.minor]", "operating system version in the optional header (default 6.0)",
               tested("headerOptionsTakeEffect"), example: "/osversion:10.0"),
        option("/out:file", "output file (default: named after the first object)",
               tested("implibAndOutNameTheOutputs", "err-out-missing-folder"), example: "/out:x.dll"),
        option("/output-def:file", "lld-link's spelling of GNU ld --output-def: a .def listing the exports", tested("lldLinkSpellings"),
               example: "/output-def:x.def"),
        option("/pdb:file", "name of the PDB /debug writes (default: the output's name with .pdb)", tested("pdbMatchesTheImage"), example: "/pdb:x.pdb"),
        option("/pdbaltpath:path", "the PDB path recorded in the image (default: the /pdb path)", tested("pdbMatchesTheImage"), example: "/pdbaltpath:x.pdb"),
        option("/pdbstream:name=file", "lld-link's: a file's bytes in a named stream of the PDB",
               tested("sourceLinkAndPDBStreamsAreNamedStreams"), example: "/pdbstream:x=y.json"),
        option("/pdbstripped:file", "a second PDB without private symbols",
               .warns("pelink writes no stripped PDB, as lld-link writes none: nothing is written at that path, only the full PDB (/pdb); to publish a PDB without private symbols, make one from the full PDB with pdbcopy (pdbcopy full.pdb public.pdb -p)"),
               example: "/pdbstripped:x.pdb"),
        option("/pgd:file", "the database of profile-guided optimization", .rejected(profileGuided), example: "/pgd:x.pgd"),
        option("/pogosafemode", "thread-safe profile instrumentation (obsolete)", .rejected(profileGuided)),
        option("/profile", "an image for the Performance Tools profiler: with /debug, unreferenced sections are still removed (/opt:ref) and none folded, as lld-link does",
               tested("profileKeepsOptRefWithDebug")),
        option("/release", "write the image checksum", tested("releaseChecksumMatchesLLDLink")),
        option("/safeseh[:no]", "x86: the table of safe exception handlers (default: made when every object has one)",
               tested("x86-safeseh", "x86-err-safeseh-no-feat", "x86-dir32nb")),
        option("/section:name,[R][W][E][S][D][K][P]", "section attributes", tested("section-attrs", "section-chars-section"), example: "/section:.data,RWS"),
        option("/sourcelink:file", "a Source Link file for the PDB (its bytes in the named stream sourcelink$1, where debuggers look)",
               tested("sourceLinkAndPDBStreamsAreNamedStreams", "missingPDBFilesAreErrors"), example: "/sourcelink:x.json"),
        option("/spd:file", "the sample profile database", .rejected(sampleProfiles), example: "/spd:x.spd"),
        option("/spdembed", "embed the sample profile database in the PDB", .rejected(sampleProfiles)),
        option("/spdin:file", "optimize with a sample profile database", .rejected(sampleProfiles), example: "/spdin:x.spd"),
        option("/spgo", "sample profile-guided optimization", .rejected(sampleProfiles)),
        option("/stack:reserve[,commit]", "stack sizes", tested("header-options"), example: "/stack:0x200000,0x2000"),
        option("/stub:file", "MS-DOS stub program placed before the PE headers", tested("stub-option"),
               example: "/stub:$INPUTS/stub-option/stub.bin"),
        option("/subsystem:name[,major[.minor]]", "subsystem (console, windows, native, efi_*, boot_application, posix) and its version",
               tested("header-options"), example: "/subsystem:console,6.1"),
        option("/swaprun:{cd|net}[,...]", "run the image from the swap file (REMOVABLE_RUN_FROM_SWAP, NET_RUN_FROM_SWAP)",
               tested("headerOptionsTakeEffect"), example: "/swaprun:cd,net"),
        option("/threads:N", "worker threads (the output is the same for any N)", tested("Golden case"), example: "/threads:2"),
        option("/time", "print the time of each pass (on standard output)", tested("verboseGoesToStandardErrorAndTimeToStandardOutput")),
        option("/timestamp:N", "file header time stamp (default: a hash of the content, reproducible)", tested("header-options", "timestampIsAContentHash"), example: "/timestamp:1234"),
        option("/tlbid:N", "resource ID of the type library", .noEffect(embeddedIDL), example: "/tlbid:1"),
        option("/tlbout:file", "name of the type library", .noEffect(embeddedIDL), example: "/tlbout:x.tlb"),
        option("/tsaware[:no]", "terminal server aware (TERMINAL_SERVER_AWARE; default on for EXEs)", tested("headerOptionsTakeEffect")),
        option("/useprofile[:...]", "optimize with profile-guided optimization data", .rejected(profileGuided)),
        option("/verbose", "print what the link does (on standard error)", tested("verboseGoesToStandardErrorAndTimeToStandardOutput")),
        option("/version:major[.minor]", "image version", tested("header-options"), example: "/version:2.5"),
        option("/wholearchive[:lib]", "load every member of every library, or of one", tested("forceAndWholeArchive")),
        option("/why:symbol, /why:export:name", "pelink's: print (on standard output) why a symbol is in the image or is not: the chain of references that keeps it, the library member it came from, the export that asks for it, or that /opt:ref removed it or /opt:icf folded it; * and ? match names; GNU flavor --why=",
               tested("why", "why-json"), example: "/why:f"),
        option("/winmd[:no|:only]", "generate Windows Runtime metadata", .rejected(windowsMetadata), quietlyAccepted: ["/winmd:no"]),
        option("/winmddelaysign[:no]", "partially sign the .winmd file", .rejected(windowsMetadata)),
        option("/winmdfile:file", "name of the .winmd file", .rejected(windowsMetadata), example: "/winmdfile:x.winmd"),
        option("/winmdkeycontainer:name", "key container to sign the .winmd file", .rejected(windowsMetadata), example: "/winmdkeycontainer:x"),
        option("/winmdkeyfile:file", "key file to sign the .winmd file", .rejected(windowsMetadata), example: "/winmdkeyfile:x.snk"),
        option("/wx[:no]", "treat warnings as errors", tested("err-wx")),
    ]

    private static let byName: [String: OptionEntry] = Dictionary(uniqueKeysWithValues: entries.map { ($0.name, $0) })

    /// The entry of an option name as `splitOption` gives it (`?` is /help).
    static func entry(named name: String) -> OptionEntry? {
        byName[name == "?" ? "help" : name]
    }

    /// Every option name, lowercased, without the slash and the value part (not `@`).
    static let knownNames: [String] = entries.map(\.name).filter { $0 != "@" }

    /// The known option a mistyped `name` most likely meant: the nearest by edit distance, when
    /// it is near enough that the guess is useful (one edit for short names, two for longer ones).
    static func closestOption(to name: String) -> String? {
        let typed = Array(name.lowercased().utf8)
        let limit = typed.count <= 4 ? 1 : 2
        var best: (name: String, distance: Int)?
        for candidate in knownNames where abs(candidate.utf8.count - typed.count) <= limit {
            // Names whose lengths differ by more than the limit cannot be near enough: skip the
            // quadratic comparison (an argument can be long).
            let distance = editDistance(typed, Array(candidate.utf8))
            if distance <= limit && distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        return best?.name
    }

    /// Levenshtein distance, with a swap of two neighbours counted as one edit.
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previousRow = [Int](0...b.count), row = [Int](repeating: 0, count: b.count + 1)
        var rowBeforePrevious = previousRow
        for i in 1...a.count {
            row[0] = i
            for j in 1...b.count {
                var cost = min(previousRow[j] + 1, row[j - 1] + 1, previousRow[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    cost = min(cost, rowBeforePrevious[j - 2] + 1)
                }
                row[j] = cost
            }
            rowBeforePrevious = previousRow
            previousRow = row
        }
        return previousRow[b.count]
    }

    // MARK: Messages

    /// The error for an option pelink refuses, with the table's reason.
    static func rejection(_ name: String, as spelled: String? = nil) -> UsageError {
        let why = entry(named: name)?.reason ?? "not supported"
        return UsageError("\(spelled ?? "/" + name): \(why)")
    }

    /// The warning for an option pelink accepts with one, with the table's reason.
    static func warning(_ name: String) -> String {
        let why = entry(named: name)?.reason ?? "ignored"
        return "warning: /\(name): \(why)"
    }

    // MARK: Help and README

    /// The groups of /help, in order: a title and the entries with that status.
    static var groups: [(title: String, entries: [OptionEntry])] {
        func with(_ test: (OptionEntry.Status) -> Bool) -> [OptionEntry] { entries.filter { !$0.librarianOnly && test($0.status) } }
        return [
            ("Options", with { if case .implemented = $0 { return true } else { return false } }),
            ("Options of pelink /lib, besides /out, /def, /machine and /libpath", entries.filter(\.librarianOnly)),
            ("Accepted without effect (they cannot change pelink's output)", with { if case .noEffect = $0 { return true } else { return false } }),
            ("Accepted with a warning", with { if case .warns = $0 { return true } else { return false } }),
            ("Not implemented yet; accepted with a warning until they are", with { if case .laterIssue(_, .warns, _) = $0 { return true } else { return false } }),
            ("Not implemented yet; an error until they are", with { if case .laterIssue(_, .fails, _) = $0 { return true } else { return false } }),
            ("Not supported (an error)", with { if case .rejected = $0 { return true } else { return false } }),
        ]
    }

    static var helpText: String {
        var text = """
            pelink: a PE/COFF linker (link.exe / lld-link compatible)

            Usage: pelink [options] files...        link objects and libraries into a DLL or EXE
                   pelink /lib [options] files...   the librarian: a static library, or an import library from /def:
                   pelink /abi:diff OLD NEW         how the exports changed between two DLLs, import libraries or .def files
                   pelink -m i386pep [options] ...  GNU ld's options, as ld.lld in MinGW mode (also when run as ld.lld)

            Options start with / or -, names are case-insensitive, values follow ':'.

            """
        for (title, group) in groups where !group.isEmpty {
            text += "\n\(title):\n"
            for entry in group {
                var line = entry.summary
                if let why = entry.reason { line += "; " + why }
                if !entry.quietlyAccepted.isEmpty { line += "; " + entry.quietlyAccepted.joined(separator: ", ") + " accepted" }
                text += "  " + entry.syntax.padding(toLength: max(36, entry.syntax.count), withPad: " ", startingAt: 0) + " " + line + "\n"
            }
        }
        return text
    }

    /// The README's options table: every option in alphabetical order with what pelink does.
    static var markdownTable: String {
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }
        var text = "| option | what it asks for | pelink |\n|---|---|---|\n"
        for entry in entries.sorted(by: { $0.name < $1.name }) {
            let status: String
            switch entry.status {
            case .implemented: status = entry.librarianOnly ? "implemented (`pelink /lib`)" : "implemented"
            case let .noEffect(why): status = "no effect: \(why)"
            case let .warns(why): status = "warning: \(why)"
            case let .rejected(why): status = "error: \(why)"
            case let .laterIssue(issue, interim, why):
                status = "planned (issue \(issue)); until then \(interim == .warns ? "a warning" : "an error"): \(why)"
            }
            var syntax = "`\(cell(entry.syntax))`"
            if entry.name == "help" { syntax = "`/help`, `/?`" }
            let also = entry.quietlyAccepted.map { "`\(cell($0))`" }.joined(separator: ", ")
            text += "| \(syntax) | \(cell(entry.summary)) | \(cell(status))\(also.isEmpty ? "" : " (\(also) accepted)") |\n"
        }
        return text
    }
}
