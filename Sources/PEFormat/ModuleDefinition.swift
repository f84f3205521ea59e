// Module-definition (.def) files: NAME, LIBRARY, EXPORTS, HEAPSIZE, STACKSIZE, VERSION,
// SECTIONS/SEGMENTS, STUB and DESCRIPTION, as documented in reference/def/*.md.
//
// Like link.exe and lld-link, keywords are case-sensitive (upper case): a lower-case "data" or
// "version" in an EXPORTS list is an export name, not a keyword. A reserved word used as a name
// must be quoted. Line breaks separate nothing by themselves: an export entry ends where the next
// token cannot continue it, which is how lld-link reads `f1 @1 NONAME f2` on one line.

public struct ModuleDefinitionExport: Sendable, Equatable {
    /// The exported name.
    public var name: String
    /// `name=internal`: the symbol that implements the export (the target has no '.').
    public var internalName: String?
    /// `name=other.func` or `name=other.#12`: a forwarder (the target contains '.').
    public var forwardTo: String?
    /// `name == importname`: the name import-library users bind to the export by.
    public var importName: String?
    public var ordinal: UInt16?
    public var noName = false
    public var isPrivate = false
    public var isData = false
    public var isConstant = false
    /// `EXPORTAS name`: the name the DLL exports, for an import library entry.
    public var exportAs: String?
    /// Where the entry starts, for diagnostics.
    public var line: Int
    public var column: Int

    public init(name: String, internalName: String? = nil, forwardTo: String? = nil, importName: String? = nil,
                ordinal: UInt16? = nil, noName: Bool = false, isPrivate: Bool = false, isData: Bool = false,
                isConstant: Bool = false, exportAs: String? = nil, line: Int, column: Int) {
        self.name = name
        self.internalName = internalName
        self.forwardTo = forwardTo
        self.importName = importName
        self.ordinal = ordinal
        self.noName = noName
        self.isPrivate = isPrivate
        self.isData = isData
        self.isConstant = isConstant
        self.exportAs = exportAs
        self.line = line
        self.column = column
    }
}

public struct ModuleDefinition: Sendable {
    public var path: String
    /// The name from NAME or LIBRARY, as written (it may lack an extension).
    public var outputName: String?
    /// True when a LIBRARY statement was seen (the output is a DLL).
    public var isLibrary: Bool = false
    /// True when a NAME statement was seen (the output is an executable).
    public var isName: Bool = false
    /// `BASE=` of NAME or LIBRARY.
    public var imageBase: UInt64?
    public var exports: [ModuleDefinitionExport] = []
    public var heapReserve: UInt64?
    public var heapCommit: UInt64?
    public var stackReserve: UInt64?
    public var stackCommit: UInt64?
    public var majorImageVersion: UInt16?
    public var minorImageVersion: UInt16?
    /// SECTIONS/SEGMENTS entries: a section name and its access attributes (READ, WRITE, EXECUTE, SHARED).
    public var sections: [(name: String, attributes: [String], line: Int)] = []
    /// STUB:file, the MS-DOS stub to use.
    public var stub: String?
    /// DESCRIPTION "text".
    public var description: String?
    /// Accepted but questionable input (obsolete keywords, repeated statements).
    public var warnings: [FormatError] = []

    public init(path: String) {
        self.path = path
    }

    /// Parses a whole .def file; errors are `FormatError(file:line:column:)` naming what was expected.
    public static func parse(text: String, path: String) throws -> ModuleDefinition {
        try parse(bytes: Array(text.utf8), path: path)
    }

    private static func parse(bytes: [UInt8], path: String) throws -> ModuleDefinition {
        var parser = ModuleDefinitionParser(lexer: ModuleDefinitionLexer(bytes: bytes, path: path), path: path)
        return try parser.parse()
    }

    /// Reads and parses a .def file from disk.
    public static func parse(path: String) throws -> ModuleDefinition {
        let file = try MappedFile(path: path)
        return try parse(bytes: Array(file.bytes), path: path)
    }

    /// The access attributes SECTIONS accepts.
    public static let sectionAttributes: Set<String> = ["READ", "WRITE", "EXECUTE", "SHARED"]
}

// MARK: - Lexer

private struct DefToken {
    enum Kind: Equatable {
        /// An unquoted run of characters; may be a keyword.
        case word
        /// A "quoted" string; never a keyword.
        case quoted
        case equal
        case equalEqual
        case comma
        case endOfFile
    }
    var kind: Kind
    var text: String
    var line: Int
    var column: Int

    /// Lengths first: the token after each export is usually the next export's name, and
    /// comparing it whole with every modifier keyword cost a .def of many exports a third of its parse.
    func isKeyword(_ keyword: String) -> Bool { kind == .word && text.utf8.count == keyword.utf8.count && text == keyword }
    /// A name: any quoted string, or a word that is not a keyword.
    var isName: Bool { kind == .quoted || (kind == .word && !ModuleDefinitionParser.isKeyword(text)) }

    /// How the token is named in "expected X, found Y" messages.
    var described: String {
        switch kind {
        case .endOfFile: return "end of file"
        case .equal: return "'='"
        case .equalEqual: return "'=='"
        case .comma: return "','"
        case .quoted: return "\"\(text)\""
        case .word: return ModuleDefinitionParser.isKeyword(text) ? "keyword '\(text)'" : "'\(text)'"
        }
    }
}

private struct ModuleDefinitionLexer {
    private let bytes: [UInt8]
    let path: String
    private var index: Int
    private var line = 1
    private var lineStart: Int
    /// The error that stopped the lexer (an unterminated quoted string), and where; it has
    /// returned end of file, at that place, since.
    private(set) var failure: (error: FormatError, line: Int, column: Int)?

    init(bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
        // A UTF-8 byte order mark, as Windows editors write, is not part of the first word.
        index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        lineStart = index
    }

    /// How many lines the text has: a bound on its EXPORTS entries.
    var lineCount: Int { bytes.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) } }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    /// Characters that end an unquoted word.
    private static func endsWord(_ byte: UInt8) -> Bool {
        isSpace(byte) || byte == UInt8(ascii: "=") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";")
            || byte == UInt8(ascii: "\"")
    }

    /// The next token. Tokens are made as the parser asks for them: a .def of tens of thousands
    /// of exports held as a list of tokens cost more in fresh memory than in lexing.
    mutating func nextToken() -> DefToken {
        guard failure == nil else { return DefToken(kind: .endOfFile, text: "", line: line, column: index - lineStart + 1) }
        // Whitespace and ';' comments (to the end of the line).
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A {
                index += 1
                line += 1
                lineStart = index
            } else if ModuleDefinitionLexer.isSpace(byte) {
                index += 1
            } else if byte == UInt8(ascii: ";") {
                while index < bytes.count, bytes[index] != 0x0A { index += 1 }
            } else {
                break
            }
        }
        let column = index - lineStart + 1
        guard index < bytes.count else { return DefToken(kind: .endOfFile, text: "", line: line, column: column) }
        switch bytes[index] {
        case UInt8(ascii: "="):
            if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "=") {
                index += 2
                return DefToken(kind: .equalEqual, text: "==", line: line, column: column)
            }
            index += 1
            return DefToken(kind: .equal, text: "=", line: line, column: column)
        case UInt8(ascii: ","):
            index += 1
            return DefToken(kind: .comma, text: ",", line: line, column: column)
        case UInt8(ascii: "\""):
            var end = index + 1
            while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != 0x0A { end += 1 }
            guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else {
                failure = (FormatError(file: path, line: line, column: column,
                                       "unterminated quoted string (the closing '\"' must be on the same line)"), line, column)
                return DefToken(kind: .endOfFile, text: "", line: line, column: column)
            }
            let text = String(decoding: bytes[(index + 1)..<end], as: UTF8.self)
            index = end + 1
            return DefToken(kind: .quoted, text: text, line: line, column: column)
        default:
            var end = index
            while end < bytes.count, !ModuleDefinitionLexer.endsWord(bytes[end]) { end += 1 }
            let text = String(decoding: bytes[index..<end], as: UTF8.self)
            index = end
            return DefToken(kind: .word, text: text, line: line, column: column)
        }
    }
}

// MARK: - Parser

private struct ModuleDefinitionParser {
    static let statementKeywords: Set<String> = ["NAME", "LIBRARY", "EXPORTS", "HEAPSIZE", "STACKSIZE", "VERSION",
                                                 "SECTIONS", "SEGMENTS", "STUB", "DESCRIPTION"]
    /// Words that are never names unless quoted.
    static let keywords: Set<String> = statementKeywords.union(["BASE", "NONAME", "PRIVATE", "DATA", "CONSTANT", "EXPORTAS"])

    /// Keywords are upper-case words of 4 to 11 letters: most export names (a .def may list tens
    /// of thousands) are told apart without hashing them.
    static func isKeyword(_ text: String) -> Bool {
        let count = text.utf8.count
        guard count >= 4, count <= 11, let first = text.utf8.first, first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z") else { return false }
        return keywords.contains(text)
    }

    private var lexer: ModuleDefinitionLexer
    let path: String
    /// The token the parser looks at; end of file stays there once reached.
    private var current: DefToken
    var definition: ModuleDefinition

    init(lexer: ModuleDefinitionLexer, path: String) {
        self.lexer = lexer
        self.path = path
        self.definition = ModuleDefinition(path: path)
        current = self.lexer.nextToken()
    }

    @discardableResult
    private mutating func advance() -> DefToken {
        let token = current
        if token.kind != .endOfFile { current = lexer.nextToken() }
        return token
    }

    /// An error at `token`, unless the lexer failed before it: the parser reads a token ahead,
    /// and sees end of file where the text could not be read. The first error in the file is
    /// the one reported.
    private func error(_ token: DefToken, _ message: String) -> FormatError {
        if let failure = lexer.failure, (failure.line, failure.column) <= (token.line, token.column) { return failure.error }
        return FormatError(file: path, line: token.line, column: token.column, message)
    }

    private func warning(_ token: DefToken, _ message: String) -> FormatError {
        FormatError(file: path, line: token.line, column: token.column, message)
    }

    mutating func parse() throws -> ModuleDefinition {
        while current.kind != .endOfFile {
            let token = advance()
            guard token.kind == .word else {
                throw error(token, "expected a statement (NAME, LIBRARY, EXPORTS, HEAPSIZE, STACKSIZE, VERSION, SECTIONS, STUB or DESCRIPTION), found \(token.described)")
            }
            switch token.text {
            case "NAME", "LIBRARY":
                try parseModuleName(keyword: token)
            case "EXPORTS":
                if definition.exports.isEmpty { definition.exports.reserveCapacity(lexer.lineCount) }
                while current.isName { try parseExport() }
            case "HEAPSIZE":
                let sizes = try parseSizes(keyword: token)
                definition.heapReserve = sizes.reserve
                definition.heapCommit = sizes.commit
            case "STACKSIZE":
                let sizes = try parseSizes(keyword: token)
                definition.stackReserve = sizes.reserve
                definition.stackCommit = sizes.commit
            case "VERSION":
                try parseVersion(keyword: token)
            case "SECTIONS", "SEGMENTS":
                try parseSections(keyword: token)
            case "DESCRIPTION":
                let text = advance()
                guard text.isName else {
                    throw error(text, "expected a quoted string after DESCRIPTION, found \(text.described)")
                }
                definition.description = text.text
            default:
                if token.text == "STUB" || token.text.hasPrefix("STUB:") {
                    try parseStub(keyword: token)
                } else {
                    throw error(token, "expected a statement (NAME, LIBRARY, EXPORTS, HEAPSIZE, STACKSIZE, VERSION, SECTIONS, STUB or DESCRIPTION), found \(token.described)")
                }
            }
        }
        if let failure = lexer.failure { throw failure.error }
        return definition
    }

    /// NAME [name] [BASE=address] and LIBRARY [name] [BASE=address].
    private mutating func parseModuleName(keyword: DefToken) throws {
        if definition.isLibrary || definition.isName {
            definition.warnings.append(warning(keyword, "\(keyword.text) repeats an earlier NAME or LIBRARY statement; the last one is used"))
        }
        definition.isLibrary = keyword.text == "LIBRARY"
        definition.isName = keyword.text == "NAME"
        definition.outputName = nil
        if current.isName {
            let name = advance()
            if name.text.isEmpty {
                throw error(name, "the \(keyword.text) name must not be empty")
            }
            definition.outputName = name.text
        }
        if current.isKeyword("BASE") {
            advance()
            let equal = advance()
            guard equal.kind == .equal else {
                throw error(equal, "expected '=' after BASE, found \(equal.described)")
            }
            definition.imageBase = try parseNumber(advance(), expected: "a base address after 'BASE='")
        }
    }

    /// HEAPSIZE/STACKSIZE reserve[,commit].
    private mutating func parseSizes(keyword: DefToken) throws -> (reserve: UInt64, commit: UInt64?) {
        let reserve = try parseNumber(advance(), expected: "a reserve size after \(keyword.text)")
        var commit: UInt64?
        if current.kind == .comma {
            advance()
            commit = try parseNumber(advance(), expected: "a commit size after ','")
        }
        return (reserve, commit)
    }

    /// VERSION major[.minor], each 0...65535 in decimal.
    private mutating func parseVersion(keyword: DefToken) throws {
        let token = advance()
        guard token.kind == .word || token.kind == .quoted else {
            throw error(token, "expected a version number 'major[.minor]' after VERSION, found \(token.described)")
        }
        let parts = token.text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        func component(_ text: Substring) -> UInt16? {
            guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            return UInt16(text)
        }
        guard let major = component(parts[0]) else {
            throw error(token, "expected a version number 'major[.minor]' (decimal, 0 to 65535) after VERSION, found \(token.described)")
        }
        var minor: UInt16 = 0
        if parts.count == 2 {
            guard let value = component(parts[1]) else {
                throw error(token, "expected a version number 'major[.minor]' (decimal, 0 to 65535) after VERSION, found \(token.described)")
            }
            minor = value
        }
        definition.majorImageVersion = major
        definition.minorImageVersion = minor
    }

    /// SECTIONS (or SEGMENTS): entries of `name attribute...`, with the old `CLASS 'name'` ignored.
    private mutating func parseSections(keyword: DefToken) throws {
        while current.isName {
            let name = advance()
            var attributes: [String] = []
            var lastLine = name.line
            while true {
                if current.kind == .word, ModuleDefinition.sectionAttributes.contains(current.text) {
                    lastLine = current.line
                    attributes.append(advance().text)
                } else if current.kind == .word, current.line == lastLine, current.text != "CLASS" {
                    // Entries are one per line: a word after the attributes on the same line is a
                    // misspelt attribute, not the next section's name.
                    throw error(current, "unknown section attribute '\(current.text)' for section '\(name.text)' (expected READ, WRITE, EXECUTE or SHARED)")
                } else if current.kind == .word, current.text == "CLASS" {
                    advance()
                    let className = advance()
                    guard className.kind == .word || className.kind == .quoted else {
                        throw error(className, "expected a class name after CLASS, found \(className.described)")
                    }
                } else {
                    break
                }
            }
            if attributes.isEmpty {
                throw error(current, "expected section attributes (READ, WRITE, EXECUTE or SHARED) after section name '\(name.text)', found \(current.described)")
            }
            definition.sections.append((name: name.text, attributes: attributes, line: name.line))
        }
    }

    /// STUB:file, also written `STUB : file` or with the file quoted.
    private mutating func parseStub(keyword: DefToken) throws {
        var fileName = String(keyword.text.dropFirst("STUB".count))
        var fileToken = keyword
        if fileName.isEmpty {
            // The ':' was separated from STUB by spaces.
            guard current.kind == .word, current.text.hasPrefix(":") else {
                throw error(current, "expected ':' after STUB, found \(current.described)")
            }
            fileToken = advance()
            fileName = fileToken.text
        }
        fileName.removeFirst()  // the ':'
        if fileName.isEmpty {
            // `STUB: file` or `STUB:"file name"`.
            let token = advance()
            guard token.isName, !token.text.isEmpty else {
                throw error(token, "expected a file name after 'STUB:', found \(token.described)")
            }
            fileName = token.text
        }
        definition.stub = fileName
    }

    /// One EXPORTS entry:
    /// name[=internal|=module.export|=module.#ordinal] [@ordinal [NONAME]] [PRIVATE] [DATA] [CONSTANT]
    /// [EXPORTAS name] [== importname], the modifiers in any order.
    private mutating func parseExport() throws {
        let nameToken = advance()
        if nameToken.text.isEmpty {
            throw error(nameToken, "export name must not be empty")
        }
        if nameToken.kind == .word, ModuleDefinitionParser.isOrdinalText(nameToken.text) {
            throw error(nameToken, "ordinal '\(nameToken.text)' must follow an export name")
        }
        var entry = ModuleDefinitionExport(name: nameToken.text, line: nameToken.line, column: nameToken.column)

        if current.kind == .equal {
            advance()
            let target = advance()
            guard target.isName, !target.text.isEmpty else {
                throw error(target, "expected an internal name or 'module.export' after '=', found \(target.described)")
            }
            if target.text.utf8.contains(UInt8(ascii: ".")) {
                entry.forwardTo = target.text
            } else {
                entry.internalName = target.text
            }
        }

        while true {
            let token = current
            if token.kind == .word, token.text.utf8.first == UInt8(ascii: "@") {
                if token.text == "@" {
                    // "name @ 12"
                    advance()
                    let number = advance()
                    guard number.kind == .word, number.line == token.line, let first = number.text.utf8.first, first >= 0x30, first <= 0x39 else {
                        // Point at the '@' when the line ends there: the next line's text is another entry.
                        if number.line != token.line || number.kind == .endOfFile {
                            throw error(token, "expected an ordinal number after '@', found the end of the line")
                        }
                        throw error(number, "expected an ordinal number after '@', found \(number.described)")
                    }
                    if let first = entry.ordinal {
                        throw error(token, "export '\(entry.name)' has a second ordinal (@\(first) and @\(number.text)); give each export one")
                    }
                    entry.ordinal = try parseOrdinal(number, text: number.text)
                } else if ModuleDefinitionParser.isOrdinalText(token.text) {
                    if let first = entry.ordinal {
                        throw error(token, "export '\(entry.name)' has a second ordinal (@\(first) and \(token.text)); give each export one")
                    }
                    advance()
                    entry.ordinal = try parseOrdinal(token, text: String(token.text.dropFirst()))
                } else {
                    // "@name@8": not an ordinal but the next (fastcall) export.
                    break
                }
            } else if token.isKeyword("NONAME") {
                advance()
                entry.noName = true
            } else if token.isKeyword("PRIVATE") {
                advance()
                entry.isPrivate = true
            } else if token.isKeyword("DATA") {
                advance()
                entry.isData = true
            } else if token.isKeyword("CONSTANT") {
                advance()
                entry.isConstant = true
                definition.warnings.append(warning(token, "CONSTANT is obsolete and unsafe (importers can mistake the import address for the data); use DATA"))
            } else if token.isKeyword("EXPORTAS") {
                advance()
                let name = advance()
                guard name.isName, !name.text.isEmpty else {
                    throw error(name, "expected a name after EXPORTAS, found \(name.described)")
                }
                entry.exportAs = name.text
            } else if token.kind == .equalEqual {
                advance()
                let name = advance()
                guard name.isName, !name.text.isEmpty else {
                    throw error(name, "expected an import name after '==', found \(name.described)")
                }
                entry.importName = name.text
            } else if token.kind == .equal {
                throw error(token, "unexpected '=' after the export '\(entry.name)' (a second '=' target, or a missing name before '=')")
            } else if token.kind == .comma {
                throw error(token, "unexpected ',' in an EXPORTS entry")
            } else {
                break
            }
        }
        if entry.noName, entry.ordinal == nil {
            throw error(nameToken, "export '\(entry.name)' is NONAME but has no '@ordinal'")
        }
        definition.exports.append(entry)
    }

    /// "@" followed by a digit: an ordinal (a fastcall name starts "@" + a letter or '_').
    static func isOrdinalText(_ text: String) -> Bool {
        var bytes = text.utf8.makeIterator()
        guard bytes.next() == UInt8(ascii: "@"), let digit = bytes.next() else { return false }
        return digit >= 0x30 && digit <= 0x39
    }

    private func parseOrdinal(_ token: DefToken, text: String) throws -> UInt16 {
        guard let value = ModuleDefinitionParser.number(text) else {
            throw error(token, "expected an ordinal number after '@', found \(token.described)")
        }
        guard value >= 1, value <= 0xFFFF else {
            throw error(token, "ordinal \(value) is out of range (1 to 65535)")
        }
        return UInt16(value)
    }

    private func parseNumber(_ token: DefToken, expected: String) throws -> UInt64 {
        guard token.kind == .word, let value = ModuleDefinitionParser.number(token.text) else {
            throw error(token, "expected \(expected) (decimal or 0x hexadecimal), found \(token.described)")
        }
        return value
    }

    /// Decimal, or hexadecimal with a 0x prefix; nil when malformed or too large for 64 bits.
    static func number(_ text: String) -> UInt64? {
        let utf8 = Array(text.utf8)
        if utf8.count > 2, utf8[0] == UInt8(ascii: "0"), utf8[1] == UInt8(ascii: "x") || utf8[1] == UInt8(ascii: "X") {
            let digits = utf8[2...]
            guard digits.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x66) }) else { return nil }
            return UInt64(String(decoding: digits, as: UTF8.self), radix: 16)
        }
        guard !utf8.isEmpty, utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return UInt64(text)
    }
}
