import Foundation
import PEFormat

/// A problem with the command line, a response file or a directive; the message names the option.
public struct UsageError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

enum ResponseFiles {
    /// A `"` that opens a quoted stretch no later `"` closes; `offset` is its byte offset in the text.
    struct UnclosedQuote: Error {
        var offset: Int
    }

    /// Splits a response file's text as the Windows command line does: white space separates,
    /// double quotes group, `\"` is a literal quote. A quote left open is an error rather than a
    /// quoted stretch running to the end: it almost always means a lost quote, and silently
    /// swallowing the rest of the file into one argument hides that.
    static func tokenize(_ text: String) throws(UnclosedQuote) -> [String] {
        var result: [String] = []
        var current: [UInt8] = []
        var openQuote: Int?
        var hasToken = false
        var bytes = Array(text.utf8)
        var skipped = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3); skipped = 3 }
        let backslash = UInt8(ascii: "\\"), quote = UInt8(ascii: "\"")
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == backslash {
                var slashes = 0
                while i < bytes.count && bytes[i] == backslash { slashes += 1; i += 1 }
                if i < bytes.count && bytes[i] == quote {
                    current += repeatElement(backslash, count: slashes / 2)
                    if slashes % 2 == 1 { current.append(quote); i += 1 }
                } else {
                    current += repeatElement(backslash, count: slashes)
                }
                hasToken = true
                continue
            }
            if c == quote {
                openQuote = openQuote == nil ? i + skipped : nil
                hasToken = true
            } else if openQuote == nil && (c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D) {
                if hasToken {
                    result.append(String(decoding: current, as: UTF8.self))
                    current.removeAll(keepingCapacity: true)
                    hasToken = false
                }
            } else {
                current.append(c)
                hasToken = true
            }
            i += 1
        }
        if let openQuote { throw UnclosedQuote(offset: openQuote) }
        if hasToken { result.append(String(decoding: current, as: UTF8.self)) }
        return result
    }

    /// 1-based line and column of a byte offset in `text`.
    static func lineAndColumn(of offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for byte in text.utf8.prefix(offset) {
            if byte == 0x0A { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }

    /// At most this many arguments in all: response files that include each other several times
    /// over would otherwise multiply without bound.
    static let argumentLimit = 1 << 22
    /// At most this many response files read (counting repeats), for the same reason.
    static let readLimit = 4096

    /// Replaces every `@file` argument by the arguments the file holds, recursively. A nested
    /// `@file` is looked up in the current folder, then beside the response file naming it.
    static func expand(_ arguments: [String]) throws -> [String] {
        var result: [String] = []
        var reads = 0
        try expand(arguments, depth: 0, including: nil, into: &result, reads: &reads)
        return result
    }

    private static func expand(_ arguments: [String], depth: Int, including: String?, into result: inout [String], reads: inout Int) throws {
        for argument in arguments {
            guard argument.hasPrefix("@"), argument.count > 1 else {
                result.append(argument)
                if result.count > argumentLimit {
                    throw UsageError("response file \(including ?? argument): the response files expand to more than \(argumentLimit) arguments (do they include each other repeatedly?)")
                }
                continue
            }
            var path = String(argument.dropFirst())
            if let including, !path.hasPrefix("/"), !FileManager.default.fileExists(atPath: path),
               let slash = including.lastIndex(of: "/") {
                let besideIncluding = String(including[...slash]) + path
                if FileManager.default.fileExists(atPath: besideIncluding) { path = besideIncluding }
            }
            if depth >= 20 {
                throw UsageError("response file \(including ?? path): response files nest more than 20 deep; does \(path) include itself?")
            }
            reads += 1
            if reads > readLimit {
                throw UsageError("response file \(including ?? path): more than \(readLimit) response files read in all (do they include each other repeatedly?)")
            }
            let file: MappedFile
            do {
                file = try MappedFile(path: path)
            } catch let error as FormatError {
                throw UsageError("response file \(error)\(including.map { " (named in \($0))" } ?? "")")
            }
            let bytes = file.bytes
            let text: String
            if bytes.count >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE {
                let units = stride(from: 2, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8 }
                text = String(decoding: units, as: UTF16.self)
            } else {
                text = String(decoding: bytes, as: UTF8.self)
            }
            let tokens: [String]
            do {
                tokens = try tokenize(text)
            } catch let error {
                let (line, column) = lineAndColumn(of: error.offset, in: text)
                throw UsageError("\(path):\(line):\(column): this quote is never closed; add the closing \" (or write \\\" for a literal quote)")
            }
            try expand(tokens, depth: depth + 1, including: path, into: &result, reads: &reads)
        }
    }
}

enum OptionTable {
    /// Every option name /help lists, lowercased, without the slash and the value part.
    static let knownNames: [String] = (supported.map(\.0) + acceptedWithoutEffect).map { spelling in
        String(spelling.dropFirst().prefix { $0 != ":" && $0 != "[" && $0 != " " }).lowercased()
    }

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

    static let supported: [(String, String)] = [
        ("/dll", "build a DLL"),
        ("/out:file", "output file"),
        ("/def:file", "module-definition (.def) file"),
        ("/implib:file", "import library to write (default: output name with .lib)"),
        ("/machine:{x64|x86|arm64}", "target machine (x64 links; all three for /lib /def:)"),
        ("/entry:symbol", "entry point"),
        ("/noentry", "no entry point (resource-only or no-CRT DLL)"),
        ("/base:address", "preferred image base"),
        ("/export:name[=internal][,@N[,NONAME]][,DATA][,PRIVATE]", "export a symbol"),
        ("/include:symbol", "force a symbol reference"),
        ("/alternatename:from=to", "resolve 'from' as 'to' when undefined"),
        ("/defaultlib:lib", "add a default library"),
        ("/nodefaultlib[:lib]", "ignore all or one default library"),
        ("/libpath:dir", "library search folder (also the LIB environment variable)"),
        ("/subsystem:name[,major[.minor]]", "subsystem"),
        ("/stack:reserve[,commit]", "stack sizes"),
        ("/heap:reserve[,commit]", "heap sizes"),
        ("/version:major[.minor]", "image version"),
        ("/dynamicbase[:no]", "ASLR (default on)"),
        ("/highentropyva[:no]", "64-bit ASLR (default on)"),
        ("/nxcompat[:no]", "DEP compatible (default on)"),
        ("/largeaddressaware[:no]", "large address aware"),
        ("/merge:from=to", "merge sections"),
        ("/section:name,[R][W][E][S][D][K][P]", "section attributes"),
        ("/timestamp:N", "file header time stamp (default 0: reproducible)"),
        ("/map[:file]", "write a map file (link.exe format; default name: the output's with .map)"),
        ("/mapinfo:exports", "list the exports in the map file"),
        ("/stub:file", "MS-DOS stub program placed before the PE headers"),
        ("/brepro", "reproducible output (the default)"),
        ("/threads:N", "worker threads"),
        ("/time", "print the time of each pass"),
        ("/verbose", "print what the link does"),
        ("/wx", "treat warnings as errors"),
        ("/ignore:4217[,4286]", "do not warn about locally defined symbols imported through __imp_"),
        ("/release", "write the image checksum"),
        ("/safeseh[:no]", "x86: table of safe exception handlers (default: made when every object has one)"),
        ("/noseh", "x86: the image has no SEH handlers"),
        ("/lldmingw", "MinGW rules, as lld-link's option (automatic export and import, GNU decoration)"),
        ("/kill-at", "export stdcall functions without their @N suffix (GNU ld --kill-at)"),
        ("/failifmismatch:key=value", "fail the link when objects (.drectve) or the command line give key another value"),
        ("/nologo", "accepted"),
        ("/help", "this list"),
        ("/lib", "as the first argument: the librarian (pelink /lib /def:x.def /out:x.lib, or /out:x.lib a.obj ...)"),
    ]
    /// Accepted so that existing build scripts work; they change nothing in pelink's output.
    static let acceptedWithoutEffect: [String] = [
        "/incremental[:no]", "/manifest[:no]", "/manifestuac:...", "/manifestfile:...", "/debug[:...]" ,
        "/pdb:...", "/pdbaltpath:...", "/opt:{ref|noref|icf|noicf|lbr|nolbr}", "/errorreport:...", "/tlbid:...",
        "/guard:no", "/cetcompat[:no]", "/natvis:...", "/functionpadmin[:N]",
        "/force[:...]", "/fastfail", "/ltcg[:...]", "/profile", "/osversion:...", "/emittoolversioninfo:no",
        "/dependentloadflag:...", "/allowbind[:no]", "/allowisolation[:no]", "/tsaware[:no]", "/fixed:no",
        "/nocoffgrpinfo", "/wholearchive (not yet: error)",
    ]

    static var helpText: String {
        var text = "pelink: a PE/COFF linker (link.exe / lld-link compatible)\n\nUsage: pelink [options] files... ; pelink /lib [options] files...\n\nOptions:\n"
        for (name, help) in supported {
            text += "  " + name.padding(toLength: 50, withPad: " ", startingAt: 0) + " " + help + "\n"
        }
        text += "\nAccepted without effect:\n"
        for name in acceptedWithoutEffect { text += "  \(name)\n" }
        return text
    }
}

/// Parses numbers the way link.exe does: decimal, or hexadecimal with 0x.
func parseNumber(_ s: String) -> UInt64? {
    let t = s.trimmingCharacters(in: .whitespaces)
    if t.lowercased().hasPrefix("0x") { return UInt64(t.dropFirst(2), radix: 16) }
    return UInt64(t)
}

/// Parses `/export:` values: `name[=internal|=dll.func][,@N[,NONAME]][,DATA][,PRIVATE][,EXPORTAS,name]`.
func parseExportOption(_ value: String, source: ExportSource) throws -> ExportRequest {
    var parts = value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    guard let first = parts.first, !first.isEmpty else { throw UsageError("/export: needs a symbol name") }
    parts.removeFirst()
    var request: ExportRequest
    if let eq = first.firstIndex(of: "=") {
        let name = String(first[..<eq])
        let target = String(first[first.index(after: eq)...])
        guard !name.isEmpty, !target.isEmpty else { throw UsageError("/export:\(value): expected name=symbol") }
        if target.contains(".") && !target.hasPrefix("?") {
            request = ExportRequest(name: name, symbolName: name, forwardTo: target, source: source)
        } else {
            request = ExportRequest(name: name, symbolName: target, source: source)
        }
    } else {
        request = ExportRequest(name: first, source: source)
    }
    var i = 0
    while i < parts.count {
        let part = parts[i]
        let lower = part.lowercased()
        if part.hasPrefix("@") {
            guard let n = UInt64(part.dropFirst()), n >= 1, n <= 65535 else {
                throw UsageError("/export:\(value): '\(part)' is not an ordinal from 1 to 65535")
            }
            request.ordinal = UInt16(n)
        } else if lower == "noname" {
            request.noName = true
        } else if lower == "data" {
            request.isData = true
        } else if lower == "private" {
            request.isPrivate = true
        } else if lower == "constant" {
            request.isConstant = true
        } else if lower == "exportas" {
            guard i + 1 < parts.count, !parts[i + 1].isEmpty else { throw UsageError("/export:\(value): EXPORTAS needs a name") }
            request.exportAs = parts[i + 1]
            i += 1
        } else {
            throw UsageError("/export:\(value): unknown export attribute '\(part)' (expected @ordinal, NONAME, DATA, PRIVATE or EXPORTAS)")
        }
        i += 1
    }
    if request.noName && request.ordinal == nil {
        throw UsageError("/export:\(value): NONAME needs an ordinal (name,@N,NONAME)")
    }
    return request
}

/// The option name (lower-cased, without the leading / or -) and its value after ':'.
func splitOption(_ argument: String) -> (name: String, value: String?)? {
    guard let first = argument.first, first == "/" || first == "-" else { return nil }
    let body = argument.dropFirst()
    if let colon = body.firstIndex(of: ":") {
        return (body[..<colon].lowercased(), String(body[body.index(after: colon)...]))
    }
    return (body.lowercased(), nil)
}

/// Does `argument` name an existing file rather than an option? Unix paths start with '/', so a
/// '/'-argument that is an existing file (and not a known option) is an input, as lld-link does.
/// An argument that names an existing file or folder is an input, not an option (Unix paths
/// start with '/'); a folder is then reported as one, rather than as an unknown option.
private func isExistingFile(_ path: String) -> Bool {
    FileManager.default.fileExists(atPath: path)
}

private let knownOptionNames: Set<String> = [
    "dll", "out", "def", "implib", "machine", "entry", "noentry", "base", "export", "include", "alternatename",
    "defaultlib", "nodefaultlib", "libpath", "subsystem", "stack", "heap", "version", "dynamicbase", "highentropyva",
    "nxcompat", "merge", "section", "timestamp", "brepro", "nologo", "verbose", "wx", "help", "?", "threads", "time",
    "largeaddressaware", "incremental", "manifest", "manifestuac", "manifestfile", "manifestinput", "debug", "pdb",
    "pdbaltpath", "opt", "errorreport", "tlbid", "guard", "cetcompat", "release", "natvis", "ignore", "functionpadmin",
    "force", "fastfail", "ltcg", "profile", "osversion", "emittoolversioninfo", "dependentloadflag", "allowbind",
    "allowisolation", "tsaware", "fixed", "nocoffgrpinfo", "map", "wholearchive", "filealign", "align", "lib", "name",
    "mllvm", "lldmingw", "kill-at", "failifmismatch", "swaprun", "lldignoreenv", "stub", "mapinfo", "safeseh", "noseh",
]

/// Applies one parsed option to `options`. Shared by the command line; `.drectve` has its own subset.
/// link.exe takes options from the LINK environment variable before the command line and from
/// _LINK_ after it.
func withLinkEnvironment(_ arguments: [String], _ environment: [String: String]) throws -> [String] {
    var given = arguments
    for (variable, atEnd) in [("LINK", false), ("_LINK_", true)] {
        guard let text = environment[variable], !text.isEmpty else { continue }
        let words: [String]
        do { words = try ResponseFiles.tokenize(text) } catch {
            throw UsageError("the \(variable) environment variable has an unclosed quote: \(text)")
        }
        given = atEnd ? given + words : words + given
    }
    return given
}

func parseCommandLine(_ rawArguments: [String], environment: [String: String], notes: inout [String]) throws -> LinkOptions {
    let arguments = try ResponseFiles.expand(rawArguments)
    var options = LinkOptions()
    for argument in arguments {
        guard let (name, value) = splitOption(argument), knownOptionNames.contains(name) || !isExistingFile(argument) else {
            options.inputFiles.append(argument)
            continue
        }
        func requireValue() throws -> String {
            guard let value, !value.isEmpty else { throw UsageError("option /\(name) needs a value: /\(name):<value>") }
            return value
        }
        func yesNo() throws -> Bool {
            guard let value else { return true }
            switch value.lowercased() {
            case "no": return false
            case "yes", "": return true
            default: throw UsageError("option /\(name):\(value): expected /\(name) or /\(name):no")
            }
        }
        func sizePair() throws -> (UInt64, UInt64?) {
            let v = try requireValue()
            let parts = v.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard parts.count <= 2, let reserve = parseNumber(parts[0]) else {
                throw UsageError("option /\(name):\(v): expected reserve[,commit] as numbers")
            }
            var commit: UInt64?
            if parts.count == 2 {
                guard let c = parseNumber(parts[1]) else { throw UsageError("option /\(name):\(v): commit size is not a number") }
                commit = c
            }
            return (reserve, commit)
        }
        func version(_ v: String) throws -> (UInt16, UInt16) {
            let parts = v.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count <= 2, let major = UInt16(parts[0]), parts.count == 1 || UInt16(parts[1]) != nil else {
                throw UsageError("option /\(name):\(v): expected major[.minor] (numbers up to 65535)")
            }
            return (major, parts.count == 2 ? UInt16(parts[1])! : 0)
        }
        switch name {
        case "dll": options.isDLL = true
        case "out": options.outputPath = try requireValue()
        case "def": options.moduleDefinitionPath = try requireValue()
        case "implib": options.importLibraryPath = try requireValue()
        case "machine":
            let v = try requireValue()
            guard let machine = Machine.fromOption(v) else { throw UsageError("/machine:\(v): unknown machine (expected x64, x86 or arm64)") }
            options.machine = machine
        case "entry": options.entry = try requireValue()
        case "noentry": options.noEntry = true
        case "base":
            let v = try requireValue()
            guard let base = parseNumber(v) else { throw UsageError("/base:\(v): not a number (decimal or 0x hex)") }
            options.imageBase = base
        case "export": options.exports.append(try parseExportOption(try requireValue(), source: .commandLine))
        case "include": options.includes.append(try requireValue())
        case "alternatename":
            let v = try requireValue()
            let parts = v.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw UsageError("/alternatename:\(v): expected from=to") }
            options.alternateNames.append((parts[0], parts[1]))
        case "defaultlib": options.defaultLibraries.append(try requireValue())
        case "nodefaultlib":
            if let value, !value.isEmpty { options.noDefaultLibraries.insert(normalizedLibraryName(value)) } else { options.noDefaultLibrariesAll = true }
        case "libpath": options.libraryPaths.append(try requireValue())
        case "subsystem":
            let v = try requireValue()
            let parts = v.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard let subsystem = Subsystem.fromOption(parts[0]) else { throw UsageError("/subsystem:\(v): unknown subsystem '\(parts[0])'") }
            options.subsystem = subsystem
            if parts.count == 2 {
                let (major, minor) = try version(parts[1])
                options.subsystemMajor = major
                options.subsystemMinor = minor
            }
        case "stack": (options.stackReserve, options.stackCommit) = try sizePair()
        case "heap": (options.heapReserve, options.heapCommit) = try sizePair()
        case "version": (options.majorImageVersion, options.minorImageVersion) = try version(try requireValue())
        case "dynamicbase": options.dynamicBase = try yesNo()
        case "highentropyva": options.highEntropyVA = try yesNo()
        case "nxcompat": options.nxCompat = try yesNo()
        case "largeaddressaware": options.largeAddressAware = try yesNo()
        case "merge":
            let v = try requireValue()
            let parts = v.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw UsageError("/merge:\(v): expected from=to") }
            options.merges.append((parts[0], parts[1]))
        case "section":
            let v = try requireValue()
            guard let comma = v.lastIndex(of: ","), comma != v.startIndex else { throw UsageError("/section:\(v): expected name,attributes") }
            let attributes = String(v[v.index(after: comma)...])
            try validateSectionAttributes(attributes, context: "/section:\(v)")
            options.sectionAttributes.append((String(v[..<comma]), attributes))
        case "timestamp":
            let v = try requireValue()
            guard let t = parseNumber(v), t <= UInt64(UInt32.max) else { throw UsageError("/timestamp:\(v): expected a number from 0 to 4294967295") }
            options.timestamp = UInt32(t)
        case "brepro":
            options.timestamp = 0
            options.reproducibleMode = true
        case "threads":
            let v = try requireValue()
            guard let n = Int(v), n >= 1 else { throw UsageError("/threads:\(v): expected a positive number") }
            options.threads = n
        case "time": options.printTimes = true
        case "verbose": options.verbose = true
        case "wx": options.warningsAreErrors = try yesNo()
        case "nologo": break
        case "stub":
            options.dosStub = try ImageHeaders.readStub(path: try requireValue())
        case "filealign":
            let v = try requireValue()
            guard let n = parseNumber(v), n >= 512, n <= 65536, n & (n - 1) == 0 else { throw UsageError("/filealign:\(v): expected a power of two from 512 to 65536") }
            options.fileAlignment = Int(n)
        case "align":
            let v = try requireValue()
            guard let n = parseNumber(v), n >= 1, n <= 0x1000_0000, n & (n - 1) == 0 else { throw UsageError("/align:\(v): expected a power of two up to 0x10000000") }
            options.sectionAlignment = Int(n)
        case "map":
            if let value, !value.isEmpty { options.mapPath = value } else { options.mapNextToOutput = true }
        case "mapinfo":
            let v = try requireValue()
            guard v.lowercased() == "exports" else { throw UsageError("/mapinfo:\(v): expected /mapinfo:exports") }
            options.mapListsExports = true
        case "release": options.setChecksum = true
        case "safeseh": options.safeSEH = try yesNo()
        case "noseh": options.noSEH = true
        case "ignore":
            for part in try requireValue().split(separator: ",") {
                guard let number = Int(part) else { throw UsageError("/ignore:\(part): expected a warning number such as 4217") }
                options.ignoredWarnings.insert(number)
            }
        case "incremental", "errorreport", "emittoolversioninfo", "nocoffgrpinfo", "lldignoreenv", "fastfail":
            // They change how a linker runs or reports, never the output.
            break
        case "manifest", "manifestuac", "manifestfile", "manifestinput", "opt", "tlbid", "mllvm":
            break
        case "debug", "pdb", "pdbaltpath", "natvis":
            if !notes.contains(where: { $0.contains("debug information") }) {
                notes.append("warning: /\(name) asks for debug information, which pelink does not write yet: the image has no debug directory and no PDB is written")
            }
        case "profile":
            notes.append("warning: /profile: pelink writes no debug information for profilers yet; the image is linked as without it")
        case "wholearchive":
            if let value, !value.isEmpty {
                options.wholeArchiveNames.insert(((value as NSString).lastPathComponent).lowercased())
            } else {
                options.wholeArchiveAll = true
            }
        case "force":
            switch value?.lowercased() {
            case nil, "": options.forceMultiple = true; options.forceUnresolved = true
            case "multiple": options.forceMultiple = true
            case "unresolved": options.forceUnresolved = true
            case let other?: throw UsageError("/force:\(other): expected /force, /force:multiple or /force:unresolved")
            }
        case "fixed": options.fixed = try yesNo()
        case "tsaware": options.terminalServerAware = try yesNo()
        case "allowbind": options.allowBind = try yesNo()
        case "allowisolation": options.allowIsolation = try yesNo()
        case "swaprun":
            for part in try requireValue().lowercased().split(separator: ",") {
                switch part {
                case "cd": options.swapRunFromCD = true
                case "net": options.swapRunFromNet = true
                default: throw UsageError("/swaprun:\(part): expected cd or net")
                }
            }
        case "osversion":
            let parts = try requireValue().split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            guard let major = UInt16(parts[0]), parts.count == 1 || UInt16(parts[1]) != nil else {
                throw UsageError("/osversion:\(value ?? ""): expected major[.minor]")
            }
            options.osVersion = (major, parts.count == 2 ? UInt16(parts[1])! : 0)
        case "guard":
            guard value?.lowercased() == "no" else {
                throw UsageError("/guard:\(value ?? ""): control flow guard tables are not written by pelink yet; link without /guard or with /guard:no")
            }
        case "ltcg":
            throw UsageError("/ltcg: pelink does not do link-time code generation; compile without /GL (-flto)")
        case "functionpadmin", "dependentloadflag", "cetcompat":
            throw UsageError("/\(name) is not supported by pelink yet (it would change the image, and pelink does not make that change)")
        case "failifmismatch": options.failIfMismatch.append(try requireValue())
        case "kill-at":
            // lld-link's spelling of GNU ld --kill-at: stdcall exports without their @N suffix.
            options.killAt = true
        case "lldmingw":
            // lld-link's switch to MinGW rules (what clang's MinGW driver gets through ld.lld):
            // automatic export and import, GNU name decoration, no default SAFESEH.
            options.isGNUFlavor = true
        case "lib":
            throw UsageError("/lib must be the first argument (pelink /lib ... is the librarian)")
        default:
            if let known = OptionTable.closestOption(to: name) {
                throw UsageError("unknown option: \(argument); did you mean /\(known)? (see /help)")
            }
            throw UsageError("unknown option: \(argument) (see /help)")
        }
    }
    if let libEnv = environment["LIB"] {
        options.libraryPaths += libEnv.split(separator: ";").map(String.init).filter { !$0.isEmpty }
    }
    return options
}

func validateSectionAttributes(_ attributes: String, context: String) throws {
    for c in attributes.lowercased() where !"rwesdkpn!".contains(c) {
        throw UsageError("\(context): unknown section attribute '\(c)' (expected R, W, E, S, D, K, P)")
    }
}

/// `foo.lib`, `FOO`, `foo.LIB` all name the same default library.
func normalizedLibraryName(_ name: String) -> String {
    var n = name.lowercased()
    if let slash = n.lastIndex(where: { $0 == "/" || $0 == "\\" }) { n = String(n[n.index(after: slash)...]) }
    if !n.hasSuffix(".lib") && !n.hasSuffix(".a") && !n.contains(".") { n += ".lib" }
    return n
}
