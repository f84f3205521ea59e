import Foundation
import PEFormat

/// The MinGW flavor of the command line: what GNU ld (and lld in MinGW mode, `ld.lld -m i386pep`)
/// accepts, mapped onto the same link options. clang's MinGW driver runs this as `ld.lld`.
enum GNUCommandLine {
    /// Is this a GNU ld style invocation? By program name (`ld.lld`, `ld`, `*-ld`) or by `-m <emulation>`.
    static func applies(programName: String, arguments: [String]) -> Bool {
        let name = (programName as NSString).lastPathComponent
        if name == "ld.lld" || name == "ld" || name.hasSuffix("-ld") || name.hasSuffix("-ld.lld") { return true }
        for (i, argument) in arguments.enumerated() where argument == "-m" && i + 1 < arguments.count {
            if emulations[arguments[i + 1]] != nil { return true }
        }
        return false
    }

    static let emulations: [String: Machine] = ["i386pep": .amd64, "i386pe": .i386, "arm64pe": .arm64, "thumb2pe": .armnt]

    /// Options that take a value, written `--opt value` or `--opt=value`.
    private static let valueOptions: Set<String> = [
        "-o", "--output", "-e", "--entry", "-L", "--library-path", "-l", "--library", "-m", "--out-implib", "--output-def", "--abi-lock",
        "--exclude-symbols", "--image-base", "--subsystem", "--major-os-version", "--minor-os-version",
        "--major-image-version", "--minor-image-version", "--major-subsystem-version", "--minor-subsystem-version",
        "--stack", "--heap", "--sysroot", "-plugin", "--plugin", "--file-alignment", "--section-alignment",
        "--exclude-libs", "-u", "--undefined", "--require-defined", "--defsym", "--wrap", "--icf", "--why",
    ]

    /// Accepted so that the command lines compilers generate work; they change nothing in pelink's output.
    static let acceptedWithoutEffect: Set<String> = [
        "--enable-auto-image-base", "--disable-auto-image-base",
        "--enable-runtime-pseudo-reloc", "--disable-runtime-pseudo-reloc",
        "--as-needed", "--no-as-needed",
        "--allow-multiple-definition", "--no-allow-multiple-definition", "--demangle", "--no-demangle",
        "--color-diagnostics", "--no-color-diagnostics", "-static", "-dynamic",
        "--tsaware", "--no-tsaware", "--Bsymbolic", "-Bsymbolic", "--disable-reloc-section", "--enable-reloc-section",
        "--no-undefined", "--fatal-warnings", "--no-fatal-warnings",
        // Archives are searched again whenever a new undefined symbol appears (as lld-link does),
        // so a group adds nothing; clang's MinGW driver passes one with -static.
        "--start-group", "--end-group", "-(", "-)",
    ]

    static func parse(_ rawArguments: [String], environment: [String: String], notes: inout [String]) throws -> LinkOptions {
        let arguments = try ResponseFiles.expand(rawArguments)
        var options = LinkOptions()
        options.isGNUFlavor = true
        options.gnuCommandLine = true
        options.timestampIsContentHash = false
        var searchPaths: [String] = []
        var pendingLibraries: [(index: Int, name: String, isStatic: Bool)] = []
        var linkStatically = false
        var wholeArchive = false
        var i = 0
        func value(_ option: String, inline: String?) throws -> String {
            if let inline { return inline }
            i += 1
            guard i < arguments.count else { throw UsageError("option \(option) needs a value") }
            return arguments[i]
        }
        func number(_ option: String, _ text: String) throws -> UInt64 {
            guard let n = parseNumber(text) else { throw UsageError("option \(option): '\(text)' is not a number (decimal or 0x hex)") }
            return n
        }
        func version16(_ option: String, _ text: String) throws -> UInt16 {
            guard let n = UInt16(text) else { throw UsageError("option \(option): '\(text)' is not a number from 0 to 65535") }
            return n
        }
        while i < arguments.count {
            let argument = arguments[i]
            defer { i += 1 }
            guard argument.hasPrefix("-"), argument.count > 1 else {
                if argument.lowercased().hasSuffix(".def") {
                    options.moduleDefinitionPath = argument
                } else {
                    options.inputFiles.append(argument)
                    if wholeArchive { options.wholeArchiveInputs.insert(argument) }
                }
                continue
            }
            // Split "--opt=value", and attached short forms "-Lpath", "-lname", "-ofile", "-eentry".
            var name = argument
            var inline: String?
            if argument.hasPrefix("--"), let eq = argument.firstIndex(of: "=") {
                name = String(argument[..<eq])
                inline = String(argument[argument.index(after: eq)...])
            } else if !argument.hasPrefix("--"), argument.count > 2 {
                let short = String(argument.prefix(2))
                if ["-L", "-l", "-o", "-e", "-m", "-u"].contains(short) && !valueOptions.contains(argument)
                    && !acceptedWithoutEffect.contains(argument) && !argument.hasPrefix("-plugin") {
                    name = short
                    inline = String(argument.dropFirst(2))
                }
            }
            // GNU ld accepts single-dash long options too.
            if name.hasPrefix("-") && !name.hasPrefix("--") && name.count > 2 && valueOptions.contains("-" + name) { name = "-" + name }
            switch name {
            case "-o", "--output": options.outputPath = try value(name, inline: inline)
            case "--shared", "-shared", "--dll": options.isDLL = true
            case "-e", "--entry":
                let entry = try value(name, inline: inline)
                if entry.isEmpty { options.noEntry = true } else { options.entry = entry }
            case "-L", "--library-path": searchPaths.append(try value(name, inline: inline))
            case "-l", "--library":
                pendingLibraries.append((options.inputFiles.count, try value(name, inline: inline), linkStatically))
                options.inputFiles.append("")  // placeholder, resolved once every -L is known
                if wholeArchive { options.wholeArchivePlaceholders.insert(options.inputFiles.count - 1) }
            case "-Bstatic", "-dn", "-non_shared": linkStatically = true
            case "-Bdynamic", "-dy", "-call_shared": linkStatically = false
            case "--whole-archive": wholeArchive = true
            case "--no-whole-archive": wholeArchive = false
            case "-m":
                let emulation = try value(name, inline: inline)
                guard let machine = emulations[emulation] else {
                    throw UsageError("-m \(emulation): unknown emulation (pelink knows i386pep, i386pe, arm64pe, thumb2pe)")
                }
                options.machine = machine
            case "--out-implib": options.importLibraryPath = try value(name, inline: inline)
            case "--output-def": options.outputDefinitionPath = try value(name, inline: inline)
            case "--abi-lock": options.abiLockPath = try value(name, inline: inline)
            case "--abi-lock-warn": options.abiLockMode = .warn
            case "--abi-lock-update": options.abiLockMode = .update
            case "--export-all-symbols": options.exportAllSymbols = true
            case "--exclude-all-symbols": options.excludeAllSymbols = true
            case "--exclude-symbols":
                for symbol in try value(name, inline: inline).split(whereSeparator: { $0 == "," || $0 == ":" }) {
                    options.excludedSymbols.insert(String(symbol))
                }
            case "--exclude-libs": _ = try value(name, inline: inline)
            case "--kill-at": options.killAt = true
            case "--add-stdcall-alias": options.addStdcallAlias = true
            case "--enable-stdcall-fixup": options.stdcallFixup = true
            case "--disable-stdcall-fixup": options.stdcallFixup = false
            case "--large-address-aware": options.largeAddressAware = true
            case "--no-seh": options.noSEH = true
            case "--image-base": options.imageBase = try number(name, try value(name, inline: inline))
            case "--subsystem":
                let text = try value(name, inline: inline)
                let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                guard let subsystem = Subsystem.fromOption(parts[0]) else { throw UsageError("--subsystem \(text): unknown subsystem '\(parts[0])'") }
                options.subsystem = subsystem
                if parts.count == 2 {
                    let version = parts[1].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                    options.subsystemMajor = try version16(name, version[0])
                    options.subsystemMinor = version.count == 2 ? try version16(name, version[1]) : 0
                }
            case "--major-subsystem-version": options.subsystemMajor = try version16(name, try value(name, inline: inline))
            case "--minor-subsystem-version": options.subsystemMinor = try version16(name, try value(name, inline: inline))
            case "--major-image-version": options.majorImageVersion = try version16(name, try value(name, inline: inline))
            case "--minor-image-version": options.minorImageVersion = try version16(name, try value(name, inline: inline))
            case "--major-os-version", "--minor-os-version": _ = try version16(name, try value(name, inline: inline))
            case "--stack", "--heap":
                let text = try value(name, inline: inline)
                let parts = text.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let reserve = try number(name, parts[0])
                let commit = parts.count == 2 ? try number(name, parts[1]) : nil
                if name == "--stack" { options.stackReserve = reserve; options.stackCommit = commit } else { options.heapReserve = reserve; options.heapCommit = commit }
            case "--file-alignment":
                let n = try number(name, try value(name, inline: inline))
                guard n >= 512, n <= 65536, n & (n - 1) == 0 else { throw UsageError("\(name) \(n): expected a power of two from 512 to 65536") }
                options.fileAlignment = Int(n)
            case "--section-alignment":
                let n = try number(name, try value(name, inline: inline))
                guard n >= 1, n <= 0x1000_0000, n & (n - 1) == 0 else { throw UsageError("\(name) \(n): expected a power of two up to 0x10000000") }
                options.sectionAlignment = Int(n)
            case "--dynamicbase": options.dynamicBase = true
            case "--disable-dynamicbase", "--no-dynamicbase": options.dynamicBase = false
            case "--nxcompat": options.nxCompat = true
            case "--disable-nxcompat", "--no-nxcompat": options.nxCompat = false
            case "--high-entropy-va": options.highEntropyVA = true
            case "--disable-high-entropy-va", "--no-high-entropy-va": options.highEntropyVA = false
            case "--enable-auto-import": options.autoImport = true
            case "--disable-auto-import": options.autoImport = false
            case "--no-insert-timestamp": options.timestamp = 0
            case "--insert-timestamp": options.timestamp = UInt32(truncatingIfNeeded: Int(Date().timeIntervalSince1970))
            case "--build-id-timestamp", "--reproducible-timestamp": options.timestampIsContentHash = true
            case "-u", "--undefined", "--require-defined": options.includes.append(try value(name, inline: inline))
            case "--why": options.whyQueries.append(try value(name, inline: inline))
            case "--why-json": options.whyJSON = true
            case "--sysroot", "--defsym", "--wrap":
                if name == "--sysroot" { _ = try value(name, inline: inline) } else {
                    throw UsageError("\(name) is not supported yet")
                }
            case "-v", "--version":
                notes.append(versionText + " (GNU ld's command line, as ld.lld takes it)")
                options.versionOnly = arguments.count == 1 || (arguments.count == 2 && arguments.contains("-m") == false)
            case "--verbose": options.verbose = true
            case "--gc-sections": options.optRef = true
            case "--no-gc-sections": options.optRef = false
            case "--icf":
                switch try value(name, inline: inline) {
                case "all": options.icf = .all
                case "safe": options.icf = .safe
                case "none": options.icf = FoldingLevel.none
                case let other: throw UsageError("--icf=\(other): expected all, safe or none")
                }
            case "--build-id":
                // --build-id or --build-id=STYLE (a CodeView GUID whatever the style); =none turns it off.
                options.buildID = inline?.lowercased() != "none"
            case "--no-build-id": options.buildID = false
            case "-s", "--strip-all", "-S", "--strip-debug":
                // No DWARF in the image (pelink writes no COFF symbol table to strip either).
                options.stripDebug = true
            case "--help", "-help":
                notes.append(helpText)
                options.versionOnly = true
            case "--time-trace", "--Map", "-Map": throw UsageError("\(name) is not supported yet")
            default:
                if name.hasPrefix("-plugin") || name.hasPrefix("--plugin") {
                    // LTO plugins do not apply to COFF objects; GNU drivers pass them by habit.
                    notes.append("note: ignoring \(argument)")
                    if (name == "-plugin" || name == "--plugin") && inline == nil { i += 1 }
                } else if name.hasPrefix("-O") && name.count <= 3 {
                    break
                } else if acceptedWithoutEffect.contains(name) {
                    break
                } else {
                    throw UsageError("unknown option: \(argument)")
                }
            }
        }
        if options.abiLockMode != .enforce && options.abiLockPath == nil {
            throw UsageError("--abi-lock-\(options.abiLockMode == .warn ? "warn" : "update") needs the lock file too: --abi-lock=FILE")
        }
        options.libraryPaths = searchPaths
        for library in pendingLibraries {
            guard let path = findGNULibrary(library.name, in: searchPaths, isStatic: library.isStatic) else {
                throw UsageError("unable to find library -l\(library.name) (searched \(searchPaths.isEmpty ? "no -L folders" : searchPaths.joined(separator: ", ")))")
            }
            options.inputFiles[library.index] = path
            if options.wholeArchivePlaceholders.contains(library.index) { options.wholeArchiveInputs.insert(path) }
        }
        if options.isDLL && options.entry == nil && !options.noEntry {
            // GNU ld's default for DLLs; clang's driver passes -e DllMainCRTStartup explicitly.
            options.entry = Target(options.machine).decoratesCNames ? "DllMainCRTStartup@12" : "DllMainCRTStartup"
        } else if Target(options.machine).decoratesCNames, let entry = options.entry, entry.hasPrefix("_") {
            // GNU ld takes -e as a symbol name (`_DllMainCRTStartup@12`); the link works with
            // C names, which it decorates again.
            options.entry = String(entry.dropFirst())
        }
        return options
    }

    static var helpText: String {
        var text = """
        pelink, GNU ld flavor (invoked as ld.lld or ld, or with -m i386pep)

        Options:
          -o FILE, --shared, -e SYMBOL (empty: no entry), -L DIR, -l NAME (libNAME.dll.a, NAME.dll.a,
          libNAME.a, NAME.lib; -l:FILE exactly), -Bstatic, -Bdynamic, --whole-archive, --no-whole-archive,
          -m i386pep, --out-implib FILE, --output-def FILE, --export-all-symbols, --exclude-symbols A,B,
          --exclude-all-symbols, --kill-at, --image-base N, --subsystem NAME[:X.Y],
          --major/minor-image-version, --major/minor-subsystem-version, --major/minor-os-version,
          --stack R[,C], --heap R[,C], --dynamicbase, --nxcompat, --high-entropy-va (and --disable-*),
          --no-insert-timestamp, --insert-timestamp, --enable-auto-import, --disable-auto-import,
          -u SYMBOL, --file-alignment N, --section-alignment N, --gc-sections, --no-gc-sections,
          --icf=all|safe|none, --verbose, -v/--version, --help;
          pelink's own: --abi-lock=FILE (check the exports against an ABI lock file), --abi-lock-warn,
          --abi-lock-update.
          A .def file among the inputs is the module definition.
        Ignored with a note: -plugin FILE, -plugin-opt=... (LTO plugins do not apply to COFF objects).
        Accepted without effect:

        """
        for option in acceptedWithoutEffect.sorted() { text += "  \(option)\n" }
        return text
    }

    /// GNU ld's search: `-l:file` exactly; else lib<name>.dll.a, <name>.dll.a, lib<name>.a, <name>.lib
    /// (only lib<name>.a and <name>.lib after -Bstatic), folder by folder.
    static func findGNULibrary(_ name: String, in folders: [String], isStatic: Bool) -> String? {
        let candidates: [String]
        if name.hasPrefix(":") {
            candidates = [String(name.dropFirst())]
        } else if isStatic {
            candidates = ["lib\(name).a", "\(name).lib"]
        } else {
            candidates = ["lib\(name).dll.a", "\(name).dll.a", "lib\(name).a", "\(name).lib"]
        }
        for folder in folders {
            for candidate in candidates {
                let path = (folder as NSString).appendingPathComponent(candidate)
                if FileManager.default.fileExists(atPath: path) { return path }
            }
        }
        return nil
    }
}
