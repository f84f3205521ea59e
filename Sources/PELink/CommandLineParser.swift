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
        var bytes = Array(text.utf8)
        var skipped = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3); skipped = 3 }
        // A token is made straight from its run of the text until a quote or a backslash makes
        // it differ from the text; from there its bytes are gathered in `current`. Most tokens
        // are plain (an object's .drectve holds an option per export), and clearing `current`
        // after each would cost more than the rest of the split.
        var plainStart: Int?
        var current: [UInt8] = []
        var gathering = false
        var openQuote: Int?
        let backslash = UInt8(ascii: "\\"), quote = UInt8(ascii: "\"")
        var i = 0
        func startGathering() {
            if gathering { return }
            if let start = plainStart { current.append(contentsOf: bytes[start..<i]) }
            plainStart = nil
            gathering = true
        }
        func endToken() {
            if gathering {
                result.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
                gathering = false
            } else if let start = plainStart {
                result.append(String(decoding: bytes[start..<i], as: UTF8.self))
                plainStart = nil
            }
        }
        while i < bytes.count {
            let c = bytes[i]
            if c == backslash {
                startGathering()
                var slashes = 0
                while i < bytes.count && bytes[i] == backslash { slashes += 1; i += 1 }
                if i < bytes.count && bytes[i] == quote {
                    current += repeatElement(backslash, count: slashes / 2)
                    if slashes % 2 == 1 { current.append(quote); i += 1 }
                } else {
                    current += repeatElement(backslash, count: slashes)
                }
                continue
            }
            if c == quote {
                startGathering()
                openQuote = openQuote == nil ? i + skipped : nil
            } else if openQuote == nil && (c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D) {
                endToken()
            } else if gathering {
                current.append(c)
            } else if plainStart == nil {
                plainStart = i
            }
            i += 1
        }
        if let openQuote { throw UnclosedQuote(offset: openQuote) }
        endToken()
        return result
    }

    /// --rsp-quoting=: how response files are split.
    enum Quoting: Sendable { case windows, posix }

    /// Splits a response file's text as a POSIX shell would (--rsp-quoting=posix, how clang and
    /// lld read response files on Unix): white space separates, single quotes take everything
    /// literally, double quotes group, a backslash outside single quotes escapes the next character.
    static func tokenizePOSIX(_ text: String) throws(UnclosedQuote) -> [String] {
        var result: [String] = []
        var current: [UInt8] = []
        var hasToken = false
        var openQuote: (byte: UInt8, offset: Int)?
        let bytes = Array(text.utf8)
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while i < bytes.count {
            let c = bytes[i]
            if let quote = openQuote {
                if c == quote.byte {
                    openQuote = nil
                } else if c == UInt8(ascii: "\\") && quote.byte == UInt8(ascii: "\"") && i + 1 < bytes.count {
                    i += 1
                    current.append(bytes[i])
                } else {
                    current.append(c)
                }
            } else if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") {
                openQuote = (c, i)
                hasToken = true
            } else if c == UInt8(ascii: "\\") && i + 1 < bytes.count {
                i += 1
                current.append(bytes[i])
                hasToken = true
            } else if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D {
                if hasToken { result.append(String(decoding: current, as: UTF8.self)) }
                current.removeAll(keepingCapacity: true)
                hasToken = false
            } else {
                current.append(c)
                hasToken = true
            }
            i += 1
        }
        if let openQuote { throw UnclosedQuote(offset: openQuote.offset) }
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
    static func expand(_ arguments: [String], quoting: Quoting = .windows) throws -> [String] {
        var result: [String] = []
        var reads = 0
        try expand(arguments, quoting: quoting, depth: 0, including: nil, into: &result, reads: &reads)
        return result
    }

    private static func expand(_ arguments: [String], quoting: Quoting, depth: Int, including: String?, into result: inout [String], reads: inout Int) throws {
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
                throw UsageError("response file: \(error)\(including.map { " (named in \($0))" } ?? "")")
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
                tokens = quoting == .posix ? try tokenizePOSIX(text) : try tokenize(text)
            } catch let error {
                let (line, column) = lineAndColumn(of: error.offset, in: text)
                throw UsageError("\(path):\(line):\(column): this quote is never closed; add the closing \" (or write \\\" for a literal quote)")
            }
            try expand(tokens, quoting: quoting, depth: depth + 1, including: path, into: &result, reads: &reads)
        }
    }
}

/// What --version prints: build systems (CMake, Meson, clang's driver) look for "LLD x.y" to know
/// which command line the linker takes.
let versionText = "pelink 0.13 (takes the command lines of LLD 21.0: lld-link and ld.lld)"

/// Parses numbers the way link.exe does: decimal, or hexadecimal with 0x.
func parseNumber(_ s: String) -> UInt64? {
    let t = s.trimmingCharacters(in: .whitespaces)
    if t.lowercased().hasPrefix("0x") { return UInt64(t.dropFirst(2), radix: 16) }
    return UInt64(t)
}

/// Parses `/export:` values: `name[=internal|=dll.func][,@N[,NONAME]][,DATA][,PRIVATE][,EXPORTAS,name]`.
func parseExportOption(_ value: String, source: ExportSource) throws -> ExportRequest {
    // Split on bytes, as lld-link does: an object's .drectve can hold thousands of these, and
    // a split by characters costs more than the rest of reading the object.
    var parts = value.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    guard let first = parts.first, !first.isEmpty else { throw UsageError("/export: needs a symbol name") }
    parts.removeFirst()
    var request: ExportRequest
    if let eq = first.utf8.firstIndex(of: UInt8(ascii: "=")) {
        let name = String(decoding: first.utf8[..<eq], as: UTF8.self)
        let target = String(decoding: first.utf8[first.utf8.index(after: eq)...], as: UTF8.self)
        guard !name.isEmpty, !target.isEmpty else { throw UsageError("/export:\(value): expected name=symbol") }
        if target.utf8.contains(UInt8(ascii: ".")) && !target.hasPrefix("?") {
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
    // Bytes, not characters: a command line of thousands of inputs is split in a millisecond.
    let utf8 = argument.utf8
    guard let first = utf8.first, first == UInt8(ascii: "/") || first == UInt8(ascii: "-") else { return nil }
    let body = utf8.index(after: utf8.startIndex)
    if let colon = utf8[body...].firstIndex(of: UInt8(ascii: ":")) {
        return (String(argument[body..<colon]).lowercased(), String(argument[utf8.index(after: colon)...]))
    }
    return (String(argument[body...]).lowercased(), nil)
}

/// Does `argument` name an existing file rather than an option? Unix paths start with '/', so a
/// '/'-argument that is an existing file (and not a known option) is an input, as lld-link does.
/// An argument that names an existing file or folder is an input, not an option (Unix paths
/// start with '/'); a folder is then reported as one, rather than as an unknown option.
private func isExistingFile(_ path: String) -> Bool {
    // stat(2) itself: FileManager's check costs several times more, once per input of a
    // command line of thousands.
    var info = stat()
    return stat(path, &info) == 0
}

/// Every option name the command line knows (OptionTable), and `?` for /help.
private let knownOptionNames: Set<String> = Set(OptionTable.entries.map(\.name)).union(["?"])

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
    // --rsp-quoting=windows|posix (as lld-link takes it): how the response files are split.
    var quoting = ResponseFiles.Quoting.windows
    var plainArguments: [String] = []
    for argument in rawArguments {
        guard argument.lowercased().hasPrefix("--rsp-quoting=") else { plainArguments.append(argument); continue }
        let style = argument.dropFirst("--rsp-quoting=".count).lowercased()
        if style == "windows" { quoting = .windows } else if style == "posix" { quoting = .posix } else {
            throw UsageError("invalid response file quoting: \(style) (expected --rsp-quoting=windows or --rsp-quoting=posix)")
        }
    }
    let arguments = try ResponseFiles.expand(plainArguments, quoting: quoting)
    var options = LinkOptions()
    var warnedIssues: Set<Int> = []
    var alignmentGiven = false
    var unknownArguments: [String] = []
    var wholeArchiveValues: [String] = []
    // An argument that looks like an option but is none is an input when it names a file: a
    // stat(2) each, made in parallel for a command line of thousands of '/'-paths.
    let split = arguments.map(splitOption)
    let unknown = split.indices.filter { split[$0].map { !knownOptionNames.contains($0.name) } ?? false }
    let existing = ParallelResults<Bool>(count: unknown.count)
    parallelFor(unknown.count, threads: unknown.count >= 256 ? nil : 1) { k in existing.set(k, isExistingFile(arguments[unknown[k]])) }
    var isFile = [Bool](repeating: false, count: arguments.count)
    for k in unknown.indices { isFile[unknown[k]] = existing.peek(k)! }
    for (argument, (split, isFile)) in zip(arguments, zip(split, isFile)) {
        guard let (name, value) = split, !isFile else {
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
        /// The table's warning for this option, once per planned issue (so /debug /pdb:x.pdb
        /// warns once) and once per option otherwise.
        func warn(_ name: String) {
            let message = OptionTable.warning(name)
            if case let .laterIssue(issue, _, _)? = OptionTable.entry(named: name)?.status {
                guard !warnedIssues.contains(issue) else { return }
                warnedIssues.insert(issue)
            }
            if !notes.contains(message) { notes.append(message) }
        }
        func setPDBStreamFile(_ streamName: String, _ path: String, option: String) {
            if let index = options.pdbStreamFiles.firstIndex(where: { $0.name == streamName }) {
                options.pdbStreamFiles[index] = (streamName, path, option)
            } else {
                options.pdbStreamFiles.append((streamName, path, option))
            }
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
        case "why": options.whyQueries.append(try requireValue())
        case "json": options.whyJSON = true
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
            // "default" (lld-link's) keeps the subsystem inferred from the inputs, setting only the version.
            if parts[0].lowercased() != "default" {
                guard let subsystem = Subsystem.fromOption(parts[0]) else { throw UsageError("/subsystem:\(v): unknown subsystem '\(parts[0])'") }
                options.subsystem = subsystem
            }
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
            options.timestampIsContentHash = false
        case "brepro":
            options.timestamp = 0
            options.timestampIsContentHash = true
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
            alignmentGiven = true
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
        case "lldignoreenv":
            // Read by Driver.run before the command line is parsed.
            break
        case "help", "?":
            // Driver.run prints the help when any argument asks for it.
            break
        case "delayload":
            let dll = try requireValue().lowercased()
            if !options.delayLoadDLLs.contains(dll) { options.delayLoadDLLs.append(dll) }
        case "delay":
            switch value?.lowercased() {
            case "unload": options.delayUnload = true
            case "nobind": options.delayNoBind = true
            case let other: throw UsageError("/delay:\(other ?? ""): expected /delay:unload or /delay:nobind")
            }
        case "wholearchive":
            if let value, !value.isEmpty {
                options.wholeArchiveNames.insert(((value as NSString).lastPathComponent).lowercased())
                wholeArchiveValues.append(value)
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
        case "appcontainer": options.appContainer = try yesNo()
        case "integritycheck": options.integrityCheck = try yesNo()
        case "driver":
            options.driver = true
            for part in (value ?? "").lowercased().split(separator: ",") {
                switch part {
                case "uponly": options.driverUpOnly = true
                case "wdm": options.driverWDM = true
                default: throw UsageError("/driver:\(part): expected /driver, /driver:uponly, /driver:wdm or /driver:uponly,wdm")
                }
            }
        case "swaprun":
            for part in (value ?? "").lowercased().split(separator: ",", omittingEmptySubsequences: false) {
                switch part {
                case "cd": options.swapRunFromCD = true
                case "net": options.swapRunFromNet = true
                case "": throw UsageError("/swaprun: missing argument (expected cd, net or cd,net)")
                default: throw UsageError("/swaprun: invalid argument: \(part) (expected cd or net)")
                }
            }
        case "osversion":
            let parts = try requireValue().split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            guard let major = UInt16(parts[0]), parts.count == 1 || UInt16(parts[1]) != nil else {
                throw UsageError("/osversion:\(value ?? ""): expected major[.minor]")
            }
            options.osVersion = (major, parts.count == 2 ? UInt16(parts[1])! : 0)
        case "failifmismatch": options.failIfMismatch.append(try requireValue())
        case "demangle": options.demangle = try yesNo()
        case "order":
            let v = try requireValue()
            guard v.hasPrefix("@"), v.count > 1 else { throw UsageError("/order:\(v): expected /order:@file (a file naming one symbol per line)") }
            options.orderFile = String(v.dropFirst())
        case "-version":
            // lld-link --version (build systems probe it): pelink's version, and whose command line it takes.
            notes.append(versionText)
            options.versionOnly = true
        case "exclude-all-symbols":
            // lld-link's spelling of GNU ld --exclude-all-symbols: no automatic export (MinGW).
            options.excludeAllSymbols = true
        case "export-all-symbols":
            options.exportAllSymbols = true
        case "output-def":
            // lld-link's spelling of GNU ld --output-def.
            options.outputDefinitionPath = try requireValue()
        case "includeoptional":
            // lld-link's: like /include, but a symbol no input defines is not an error.
            options.optionalIncludes.append(try requireValue())
        case "lldmap":
            // lld-link's own map option; pelink writes its link.exe-style map there.
            if let value, !value.isEmpty { options.mapPath = value } else { options.mapNextToOutput = true }
        case "kill-at":
            // lld-link's spelling of GNU ld --kill-at: stdcall exports without their @N suffix.
            options.killAt = true
        case "lldmingw":
            // lld-link's switch to MinGW rules (what clang's MinGW driver gets through ld.lld):
            // automatic export and import, GNU name decoration, no default SAFESEH.
            options.isGNUFlavor = true
        case "lib":
            throw UsageError("/lib must be the first argument (pelink /lib ... is the librarian)")
        case "abi":
            throw UsageError("/abi:\(value ?? "diff") must be the first argument (pelink /abi:diff OLD NEW compares two export lists)")
        case "dump":
            throw UsageError("/dump must be the first argument (pelink /dump [/exports ...] FILE prints a dump)")
        case "abilock":
            // /abilock:warn and /abilock:update say what a difference does; any other value is
            // the lock file (a file named "warn" is written ./warn).
            let v = try requireValue()
            switch v.lowercased() {
            case "warn": options.abiLockMode = .warn
            case "update": options.abiLockMode = .update
            default: options.abiLockPath = v
            }

        // Options that are accepted only in some forms; the table gives the reasons.
        case "guard":
            if value?.lowercased() == "no" { break }
            throw OptionTable.rejection(name, as: argument)
        case "cetcompat": options.cetCompatible = try yesNo()
        case "build-id": options.buildID = try yesNo()
        case "dependentloadflag":
            let v = try requireValue()
            guard let flags = parseNumber(v), flags <= 0xFFFF else { throw UsageError("/dependentloadflag:\(v): expected a 16-bit number (LOAD_LIBRARY_SEARCH_* flags, such as 0x800)") }
            options.dependentLoadFlags = UInt16(flags)
        case "winmd":
            if value?.lowercased() == "no" { break }
            throw OptionTable.rejection(name, as: argument)
        case "inferasanlibs":
            if value?.lowercased() == "no" { break }
            warn(name)
        case "manifest":
            let parts = (value ?? "").split(separator: ",").map { $0.lowercased() }
            switch parts.first {
            case nil: options.manifest = .sideBySide
            case "no": options.manifest = .no
            case "embed":
                var id: UInt16?
                for part in parts.dropFirst() {
                    guard part.hasPrefix("id="), let n = UInt16(part.dropFirst(3)), n > 0 else {
                        throw UsageError("/manifest:\(value ?? ""): expected /manifest:embed,id=N with N from 1 to 65535")
                    }
                    id = n
                }
                options.manifest = .embed(id: id)
            default: throw UsageError("/manifest:\(value ?? ""): expected /manifest, /manifest:embed[,id=N] or /manifest:no")
            }
        case "manifestuac":
            switch value {
            case nil: options.manifestUAC = nil
            case let v? where v.lowercased() == "no": options.manifestUAC = ""
            case let v?:
                // "level='x' uiAccess='y'", or either alone; checked now so a typo fails the link.
                let attributes = try Manifest.parseAttributes(v, file: "/manifestuac")
                for a in attributes where a.name != "level" && a.name != "uiAccess" {
                    throw UsageError("/manifestuac:\(v): unknown attribute \(a.name) (expected level='…' and uiAccess='…')")
                }
                options.manifestUAC = v
            }
        case "manifestdependency": options.manifestDependencies.append(try requireValue())
        case "manifestfile": options.manifestFile = try requireValue()
        case "manifestinput": options.manifestInputs.append(try requireValue())
        case "debug":
            // /debug:dwarf keeps the objects' DWARF in the image (lld-link's) instead of a PDB.
            let kinds = (value ?? "").lowercased().split(separator: ",").map(String.init)
            if kinds == ["none"] { options.writesPDB = false; break }
            if let unknown = kinds.first(where: { !["full", "fastlink", "ghash", "noghash", "dwarf", "symtab", "none"].contains($0) }) {
                throw UsageError("/debug:\(unknown): expected /debug, /debug:full, :fastlink, :ghash, :dwarf, :symtab or :none")
            }
            if kinds.contains("dwarf") { options.debugDWARF = true }
            if kinds.contains("symtab") { options.debugSymtab = true }
            if kinds.isEmpty || kinds.contains(where: { $0 != "dwarf" && $0 != "symtab" && $0 != "none" }) {
                options.writesPDB = true
            }
        case "pdb": options.pdbPath = try requireValue()
        case "profile":
            options.profile = true
        case "natvis": options.natvisFiles.append(try requireValue())
        case "sourcelink":
            // link.exe's: the file in the named stream "sourcelink$1", where debuggers look.
            setPDBStreamFile("sourcelink$1", try requireValue(), option: argument)
        case "pdbstream":
            // lld-link's /pdbstream:name=file.
            let v = try requireValue()
            guard let equals = v.firstIndex(of: "="), equals != v.startIndex, v.index(after: equals) != v.endIndex else {
                throw UsageError("/pdbstream:\(v): expected /pdbstream:name=file")
            }
            let streamName = String(v[..<equals])
            if streamName == "/names" || streamName == "/src/headerblock" || streamName.hasPrefix("/src/files/") {
                throw UsageError("/pdbstream:\(v): pelink writes the stream \(streamName) itself (/names holds the PDB's strings, /src/ the /natvis files); choose another name")
            }
            setPDBStreamFile(streamName, String(v[v.index(after: equals)...]), option: argument)
        case "debugtype":
            // Accepted as lld-link accepts it, changing nothing (the table says why); an unknown
            // kind is a warning there too.
            for kind in try requireValue().split(separator: ",") where !["cv", "pdata", "fixup"].contains(kind.lowercased()) {
                let message = "warning: /debugtype: unknown kind '\(kind)' ignored (expected cv, pdata or fixup)"
                if !notes.contains(message) { notes.append(message) }
            }
        case "pdbaltpath": options.pdbAltPath = try requireValue()
        case "opt":
            for part in try requireValue().lowercased().split(separator: ",") {
                switch part {
                case "ref": options.optRef = true
                case "noref": options.optRef = false
                case "noicf": options.icf = FoldingLevel.none
                case "icf": options.icf = .all
                case "safeicf": options.icf = .safe
                case _ where part.hasPrefix("icf="):
                    // The iteration count: pelink refines until nothing changes, as lld-link does.
                    guard part.dropFirst(4).allSatisfy(\.isNumber), !part.dropFirst(4).isEmpty else {
                        throw UsageError("/opt:\(part): expected icf=N with N a number of iterations")
                    }
                    options.icf = .all
                case "lbr", "nolbr", "nolldtailmerge":
                    break  // what pelink does anyway (range-extension thunks are always made)
                case "lldtailmerge":
                    let message = "warning: /opt:lldtailmerge: pelink does not merge the tails of string literals (an lld-link extension); the link is made as with /opt:nolldtailmerge"
                    if !notes.contains(message) { notes.append(message) }
                case _ where part.hasPrefix("lldlto=") || part.hasPrefix("lldltojobs=") || part.hasPrefix("lldltopartitions="):
                    break  // LTO settings: pelink links no bitcode
                default:
                    throw UsageError("/opt:\(part): expected ref, noref, icf[=N], noicf, lbr or nolbr")
                }
            }

        default:
            // Every other option the table knows is decided there: no effect, a warning or an error.
            guard let entry = OptionTable.entry(named: name), name != "@" else {
                // An absolute path that does not exist (/home/x/a.obj) is a missing input, which
                // reading reports; not an option.
                if argument.hasPrefix("/") && (argument.dropFirst().contains("/") || [".obj", ".o", ".lib", ".a", ".res", ".def"].contains { argument.lowercased().hasSuffix($0) }) {
                    options.inputFiles.append(argument)
                    continue
                }
                // As link.exe (LNK4044) and lld-link do: a warning, an error under /wx.
                let hint = OptionTable.closestOption(to: name).map { "; did you mean /\($0)?" } ?? ""
                unknownArguments.append("ignoring unknown argument '\(argument)'\(hint) (see /help)")
                continue
            }
            if entry.librarianOnly {
                throw UsageError("\(argument): an option of the librarian, pelink /lib, not of a link")
            }
            switch entry.status {
            case .noEffect: break
            case .warns, .laterIssue(_, .warns, _): warn(name)
            case .rejected, .laterIssue(_, .fails, _): throw OptionTable.rejection(name, as: argument)
            case .implemented:
                // A table entry marked implemented that this switch does not handle: a bug that
                // OptionTableTests reports; never let the option do nothing silently.
                throw UsageError("\(argument): pelink lists this option as implemented but does not handle it (a pelink bug)")
            }
        }
    }
    // /wholearchive:lib also names an input, as in link.exe and lld-link, unless the library is
    // on the command line already (then it is loaded once, whole).
    for value in wholeArchiveValues {
        let name = (value as NSString).lastPathComponent.lowercased()
        if !options.inputFiles.contains(where: { ($0 as NSString).lastPathComponent.lowercased() == name }) {
            options.inputFiles.append(value)
        }
    }
    if options.isDLL && options.terminalServerAware == true {
        notes.append("warning: /tsaware: only an EXE can be terminal-server aware; the DLL is linked without TERMINAL_SERVER_AWARE, as link.exe and lld-link link it")
    }
    if !unknownArguments.isEmpty {
        // Decided once all options are read: /wx and /wx:no may come after the unknown one.
        if options.warningsAreErrors { throw UsageError(unknownArguments.joined(separator: "\nerror: ")) }
        notes += unknownArguments.map { "warning: " + $0 }
    }
    if options.driver && options.subsystem == nil {
        // A kernel-mode driver runs in the native subsystem (link.exe's default with /driver:wdm).
        options.subsystem = .native
    }
    if alignmentGiven && !options.driver {
        // lld-link's warning: user-mode images are loaded with page-aligned sections.
        notes.append("warning: /align specified without /driver; image may not run")
    }
    if options.abiLockMode != .enforce && options.abiLockPath == nil {
        throw UsageError("/abilock:\(options.abiLockMode == .warn ? "warn" : "update") needs the lock file too: /abilock:FILE")
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
