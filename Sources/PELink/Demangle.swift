// Demanglers for the two C++ name-mangling schemes a PE linker meets: Microsoft's decorated names
// (`?get@Counter@app@@QEAAHXZ`, from MSVC and clang-cl objects) and the Itanium C++ ABI scheme
// (`_ZNK3app7Counter3getEv`, from mingw objects; i386 mingw adds one more leading underscore).
//
// Both are written from the published grammars and aim to print the same text as `llvm-undname`
// and `llvm-cxxfilt`. They are total: any input that is not fully understood yields nil, input
// length, recursion depth and output size are bounded, and every loop consumes input.

/// Limits shared by both demanglers.
private enum DemangleLimits {
    static let maxInputLength = 8192
    static let maxDepth = 96
    static let maxOutputLength = 16384
}

private struct DemangleFailure: Error {}

// MARK: - Microsoft

/// The readable form of an MSVC decorated name (`?name@scope@@...`), as `llvm-undname` prints it,
/// or nil when the name is not a decorated name or uses a construct this demangler does not know.
func demangleMicrosoft(_ name: String) -> String? {
    let bytes = Array(name.utf8)
    guard bytes.count >= 2, bytes.count <= DemangleLimits.maxInputLength, bytes[0] == UInt8(ascii: "?") else { return nil }
    var parser = MSParser(bytes)
    guard let text = try? parser.parseTopLevel(), parser.atEnd else { return nil }
    return text
}

/// A type in a Microsoft decorated name, kept as a tree so declarators (function pointers, arrays)
/// can be printed around a name the way C declarations are written.
private indirect enum MSType {
    /// A builtin, class, enum or other named type; `cv` bit 0 is const, bit 1 volatile.
    case simple(String, cv: Int, unaligned: Bool)
    /// `*`, `&` or `&&`: the pointer's own qualifiers, and the class of a pointer to member.
    case pointer(sigil: String, pointee: MSType, cv: Int, restrict: Bool, member: String?)
    case function(MSFunction)
    case array(dims: [UInt64], element: MSType)

    /// The type with extra const/volatile applied where C++ would put it.
    func qualified(_ cv: Int, unaligned: Bool = false) -> MSType {
        switch self {
        case let .simple(name, old, oldUnaligned): return .simple(name, cv: old | cv, unaligned: oldUnaligned || unaligned)
        case let .array(dims, element): return .array(dims: dims, element: element.qualified(cv, unaligned: unaligned))
        case let .pointer(sigil, pointee, old, restrict, member):
            return .pointer(sigil: sigil, pointee: pointee, cv: old | cv, restrict: restrict, member: member)
        case .function: return self
        }
    }

    /// Roughly how long the type prints; bounds the work of back-references that repeat big types.
    var weight: Int {
        switch self {
        case let .simple(name, _, _): return name.utf8.count + 16
        case let .pointer(_, pointee, _, _, member): return pointee.weight + 16 + (member?.utf8.count ?? 0)
        case let .function(function): return function.weight
        case let .array(dims, element): return element.weight + 24 * dims.count
        }
    }
}

private struct MSFunction {
    var callingConvention: String
    var returnType: MSType?
    var parameters: [MSType]
    var isVariadic: Bool
    /// Text after the parameter list: ` const`, ` volatile`, ` &`, ...
    var qualifiers: String
    var weight = 0

    var parameterText: String {
        var parts = parameters.map { msPrint($0) }
        if isVariadic { parts.append("...") }
        return parts.isEmpty ? "void" : parts.joined(separator: ", ")
    }
}

private func msCVText(_ cv: Int) -> String {
    switch cv & 3 {
    case 1: return "const"
    case 2: return "volatile"
    case 3: return "const volatile"
    default: return ""
    }
}

/// llvm-undname puts a space between a type and what follows only after a word or a template.
private func msSpaced(_ text: String) -> String {
    guard let last = text.utf8.last else { return text }
    let isWordEnd = (last >= 0x30 && last <= 0x39) || (last >= 0x41 && last <= 0x5A) || (last >= 0x61 && last <= 0x7A)
        || last == UInt8(ascii: "_") || last == UInt8(ascii: ">") || last == UInt8(ascii: "$") || last == UInt8(ascii: "'")
    return isWordEnd ? text + " " : text
}

/// The part of a declaration left of the declared name.
private func msLeft(_ type: MSType) -> String {
    switch type {
    case let .simple(name, cv, unaligned):
        var text = name
        if cv & 3 != 0 { text += " " + msCVText(cv) }
        if unaligned { text += " __unaligned" }
        return text
    case let .pointer(sigil, pointee, cv, restrict, member):
        var ownQualifiers = sigil
        if cv & 3 != 0 { ownQualifiers += msCVText(cv) }
        if restrict { ownQualifiers += "__restrict" }
        let memberPrefix = member.map { $0 + "::" } ?? ""
        switch pointee {
        case let .function(function):
            let returnText = function.returnType.map { msLeft($0) + " " } ?? ""
            return returnText + "(" + function.callingConvention + " " + memberPrefix + ownQualifiers
        case let .array(_, element):
            return msSpaced(msLeft(element)) + "(" + memberPrefix + ownQualifiers
        default:
            return msSpaced(msLeft(pointee)) + memberPrefix + ownQualifiers
        }
    case let .function(function):
        let returnText = function.returnType.map { msLeft($0) + " " } ?? ""
        return returnText + function.callingConvention
    case let .array(_, element):
        return msLeft(element)
    }
}

/// The part of a declaration right of the declared name.
private func msRight(_ type: MSType) -> String {
    switch type {
    case .simple:
        return ""
    case let .pointer(_, pointee, _, _, _):
        switch pointee {
        case .function, .array: return ")" + msRight(pointee)
        default: return msRight(pointee)
        }
    case let .function(function):
        return "(" + function.parameterText + ")" + function.qualifiers + (function.returnType.map { msRight($0) } ?? "")
    case let .array(dims, element):
        return dims.map { "[\($0)]" }.joined() + msRight(element)
    }
}

private func msPrint(_ type: MSType) -> String { msLeft(type) + msRight(type) }

/// What the innermost component of a symbol's name is.
private enum MSNameKind {
    case plain
    case constructor
    case destructor
    case conversion
    case vftableLike
    case rttiTerminated       // RTTI records that end in `8`
    case localStaticGuard
}

private struct MSParser {
    let s: [UInt8]
    var i = 0
    /// Back-referenced name fragments (`0`..`9` in a name) and parameter types (`0`..`9` as a type).
    var names: [String] = []
    var types: [MSType] = []
    var depth = 0

    init(_ bytes: [UInt8]) { s = bytes }

    var atEnd: Bool { i == s.count }

    func peek(_ offset: Int = 0) -> UInt8? { i + offset < s.count ? s[i + offset] : nil }

    func starts(with text: String) -> Bool {
        var k = i
        for b in text.utf8 {
            guard k < s.count, s[k] == b else { return false }
            k += 1
        }
        return true
    }

    mutating func eat(_ text: String) -> Bool {
        guard starts(with: text) else { return false }
        i += text.utf8.count
        return true
    }

    mutating func expect(_ text: String) throws {
        guard eat(text) else { throw DemangleFailure() }
    }

    mutating func next() throws -> UInt8 {
        guard i < s.count else { throw DemangleFailure() }
        defer { i += 1 }
        return s[i]
    }

    mutating func enter() throws {
        depth += 1
        guard depth <= DemangleLimits.maxDepth else { throw DemangleFailure() }
    }

    mutating func leave() { depth -= 1 }

    func checked(_ text: String) throws -> String {
        guard text.utf8.count <= DemangleLimits.maxOutputLength else { throw DemangleFailure() }
        return text
    }

    mutating func memorize(_ name: String) {
        if names.count < 10, !names.contains(name) { names.append(name) }
    }

    // MARK: Numbers

    /// `?`-prefixed negative; a digit is 1...10; otherwise hex digits `A`..`P` ended by `@`.
    mutating func parseNumber() throws -> (value: UInt64, negative: Bool) {
        let negative = eat("?")
        let c = try next()
        if c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") { return (UInt64(c - UInt8(ascii: "0")) + 1, negative) }
        var value: UInt64 = 0
        var digits = 0
        var d = c
        while d != UInt8(ascii: "@") {
            guard d >= UInt8(ascii: "A"), d <= UInt8(ascii: "P"), digits < 16 else { throw DemangleFailure() }
            value = value << 4 | UInt64(d - UInt8(ascii: "A"))
            digits += 1
            d = try next()
        }
        guard digits > 0 else { throw DemangleFailure() }
        return (value, negative)
    }

    mutating func parseSignedText() throws -> String {
        let (value, negative) = try parseNumber()
        return negative ? "-\(value)" : "\(value)"
    }

    // MARK: Symbols

    mutating func parseTopLevel() throws -> String {
        if starts(with: "??_C@_") { return try parseStringLiteral() }
        return try parseSymbol()
    }

    /// A whole decorated name starting at `?`.
    mutating func parseSymbol() throws -> String {
        try enter()
        defer { leave() }
        try expect("?")
        if starts(with: "?$") {
            // A template function or variable: `??$name@args@scopes@@encoding`; the name is not memorized.
            i += 2
            let (name, kind) = try parseTemplateInstance(allowSpecial: true)
            let scopes = try parseScopes()
            var innermost = name
            if kind == .constructor || kind == .destructor {
                // `A::A<int>`: the class's name with the constructor template's arguments.
                guard let cls = scopes.first else { throw DemangleFailure() }
                innermost = (kind == .destructor ? "~" : "") + cls + name
            }
            return try parseEncoding(kind: kind, innermost: innermost, scopes: scopes)
        }
        if eat("?") { return try parseSpecialSymbol() }
        let name = try parseSimpleOrBackrefName(memorize: true)
        let scopes = try parseScopes()
        return try parseEncoding(kind: .plain, innermost: name, scopes: scopes)
    }

    /// Symbols whose name is an operator or compiler-generated entity: `??0`, `??_7`, `??__E`, ...
    mutating func parseSpecialSymbol() throws -> String {
        let c = try next()
        var code = String(UnicodeScalar(c))
        if c == UInt8(ascii: "_") {
            let d = try next()
            code.append(Character(UnicodeScalar(d)))
            if d == UInt8(ascii: "_") || d == UInt8(ascii: "R") { code.append(Character(UnicodeScalar(try next()))) }
        }
        switch code {
        case "0": return try finishSpecial(kind: .constructor, text: "")
        case "1": return try finishSpecial(kind: .destructor, text: "")
        case "B": return try finishSpecial(kind: .conversion, text: "")
        case "_7": return try finishSpecial(kind: .vftableLike, text: "`vftable'")
        case "_8": return try finishSpecial(kind: .vftableLike, text: "`vbtable'")
        case "_B": return try finishSpecial(kind: .localStaticGuard, text: "`local static guard'")
        case "_R0": return try parseTypeDescriptor()
        case "_R1":
            var numbers: [String] = []
            for _ in 0..<4 { numbers.append(try parseSignedText()) }
            return try finishSpecial(kind: .rttiTerminated, text: "`RTTI Base Class Descriptor at (\(numbers.joined(separator: ", ")))'")
        case "_R2": return try finishSpecial(kind: .rttiTerminated, text: "`RTTI Base Class Array'")
        case "_R3": return try finishSpecial(kind: .rttiTerminated, text: "`RTTI Class Hierarchy Descriptor'")
        case "_R4": return try finishSpecial(kind: .vftableLike, text: "`RTTI Complete Object Locator'")
        case "__E", "__F":
            let what = code == "__E" ? "dynamic initializer for " : "dynamic atexit destructor for "
            if peek() == UInt8(ascii: "?") {
                let inner = try parseSymbol()
                try expect("@")
                return try finishSpecial(kind: .plain, text: "`" + what + "`" + inner + "''")
            }
            let target = try parseQualifiedName()
            return try parseEncoding(kind: .plain, innermost: "`" + what + "'" + target + "''", scopes: [])
        default:
            guard let op = msOperatorNames[code] else { throw DemangleFailure() }
            return try finishSpecial(kind: .plain, text: op)
        }
    }

    mutating func finishSpecial(kind: MSNameKind, text: String) throws -> String {
        let scopes = try parseScopes()
        var innermost = text
        switch kind {
        case .constructor, .destructor:
            guard let cls = scopes.first else { throw DemangleFailure() }
            innermost = (kind == .destructor ? "~" : "") + cls
        default: break
        }
        return try parseEncoding(kind: kind, innermost: innermost, scopes: scopes)
    }

    /// `??_R0` + type + `@8`: the RTTI type descriptor of a type.
    mutating func parseTypeDescriptor() throws -> String {
        let type: MSType
        if eat("?") {
            let cv = try parseCVLetter()
            type = try parseType().qualified(cv)
        } else {
            type = try parseType()
        }
        try expect("@8")
        return try checked(msPrint(type) + " `RTTI Type Descriptor'")
    }

    /// The scopes after the innermost name, outermost last, up to the terminating `@`.
    mutating func parseScopes() throws -> [String] {
        var scopes: [String] = []
        while true {
            guard let c = peek() else { throw DemangleFailure() }
            if c == UInt8(ascii: "@") { i += 1; return scopes }
            guard scopes.count < 64 else { throw DemangleFailure() }
            scopes.append(contentsOf: try parseScope())
        }
    }

    /// One scope fragment; a locally scoped name expands to two (`` `f(void)'::`2' ``).
    mutating func parseScope() throws -> [String] {
        guard let c = peek() else { throw DemangleFailure() }
        if c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
            i += 1
            let index = Int(c - UInt8(ascii: "0"))
            guard index < names.count else { throw DemangleFailure() }
            return [names[index]]
        }
        if c == UInt8(ascii: "?") {
            if eat("?$") {
                let name = try parseTemplateInstance().0
                memorize(name)
                return [name]
            }
            if eat("?A") {
                // `?A0x1234abcd@`: an anonymous namespace.
                while try next() != UInt8(ascii: "@") {}
                let name = "`anonymous namespace'"
                memorize(name)
                return [name]
            }
            // `?<number>?<symbol>`: a scope inside a function body.
            i += 1
            let (number, negative) = try parseNumber()
            guard !negative else { throw DemangleFailure() }
            try expect("?")
            guard peek() == UInt8(ascii: "?") else { throw DemangleFailure() }
            // The function's own name fragments stay in (and use) the enclosing tables.
            let function = try parseSymbol()
            return ["`\(number)'", "`" + function + "'"]
        }
        return [try parseSimpleName(memorize: true)]
    }

    mutating func parseSimpleName(memorize shouldMemorize: Bool) throws -> String {
        let start = i
        while try next() != UInt8(ascii: "@") {}
        guard i - 1 > start else { throw DemangleFailure() }
        let bytes = s[start..<(i - 1)]
        guard bytes.allSatisfy({ $0 > 0x20 && $0 != UInt8(ascii: "?") }) else { throw DemangleFailure() }
        let name = String(decoding: bytes, as: UTF8.self)
        if shouldMemorize { memorize(name) }
        return name
    }

    mutating func parseSimpleOrBackrefName(memorize shouldMemorize: Bool) throws -> String {
        guard let c = peek() else { throw DemangleFailure() }
        if c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
            i += 1
            let index = Int(c - UInt8(ascii: "0"))
            guard index < names.count else { throw DemangleFailure() }
            return names[index]
        }
        return try parseSimpleName(memorize: shouldMemorize)
    }

    /// `name@args@` after `?$`; arguments get their own back-reference tables. For constructor
    /// and destructor templates the text is the arguments alone, for conversion operators
    /// `operator<args>` (the target type follows the name).
    mutating func parseTemplateInstance(allowSpecial: Bool = false) throws -> (String, MSNameKind) {
        try enter()
        defer { leave() }
        let saved = (names, types)
        names = []
        types = []
        defer { (names, types) = saved }
        var base: String
        var kind = MSNameKind.plain
        if eat("?") {
            // An operator template such as `??$?6H@` (operator<< <int>).
            let c = try next()
            var code = String(UnicodeScalar(c))
            if c == UInt8(ascii: "_") { code.append(Character(UnicodeScalar(try next()))) }
            switch code {
            case "0" where allowSpecial: kind = .constructor; base = ""
            case "1" where allowSpecial: kind = .destructor; base = ""
            case "B" where allowSpecial: kind = .conversion; base = "operator"
            default:
                guard let op = msOperatorNames[code] else { throw DemangleFailure() }
                base = op
            }
        } else {
            base = try parseSimpleName(memorize: true)
        }
        var args: [String] = []
        while !eat("@") {
            guard args.count < 64 else { throw DemangleFailure() }
            if let arg = try parseTemplateArgument() { args.append(arg) }
        }
        return (try checked(base + "<" + args.joined(separator: ", ") + ">"), kind)
    }

    /// One template argument, or nil for an empty pack.
    mutating func parseTemplateArgument() throws -> String? {
        if eat("$$V") || eat("$$Z") || eat("$$$V") || eat("$S") { return nil }
        if eat("$0") { return try parseSignedText() }
        if eat("$1") {
            guard peek() == UInt8(ascii: "?") else { throw DemangleFailure() }
            return "&" + (try parseSymbol())
        }
        if eat("$$Y") {
            // An alias template named by its qualified name.
            return try parseQualifiedName()
        }
        let start = i
        let type = try parseType()
        if i - start > 1, types.count < 10 { types.append(type) }
        return try checked(msPrint(type))
    }

    /// A qualified name ending in `@` (after the last scope), printed outermost first.
    mutating func parseQualifiedName() throws -> String {
        let innermost: String
        if eat("?$") {
            innermost = try parseTemplateInstance().0
            memorize(innermost)
        } else {
            innermost = try parseSimpleOrBackrefName(memorize: true)
        }
        let scopes = try parseScopes()
        return try checked((scopes.reversed() + [innermost]).joined(separator: "::"))
    }

    // MARK: Encodings

    mutating func parseEncoding(kind: MSNameKind, innermost: String, scopes: [String]) throws -> String {
        let qualified = try checked((scopes.reversed() + [innermost]).joined(separator: "::"))
        guard let c = peek() else { throw DemangleFailure() }
        switch kind {
        case .vftableLike:
            // `6` or `7`, the table's qualifiers, then the base classes it is for, ended by `@`.
            guard c == UInt8(ascii: "6") || c == UInt8(ascii: "7") else { throw DemangleFailure() }
            i += 1
            let cv = try parseCVLetter()
            var bases: [String] = []
            while !eat("@") {
                guard bases.count < 16 else { throw DemangleFailure() }
                bases.append(try parseQualifiedName())
            }
            var text = msCVText(cv)
            if !text.isEmpty { text += " " }
            text += qualified
            if !bases.isEmpty { text += "{for `" + bases.joined(separator: "'s `") + "'}" }
            return try checked(text)
        case .rttiTerminated:
            try expect("8")
            return qualified
        case .localStaticGuard:
            guard eat("5") else { throw DemangleFailure() }
            if atEnd { return qualified }
            let (number, _) = try parseNumber()
            return qualified + "{\(number)}"
        default:
            break
        }
        if c >= UInt8(ascii: "0"), c <= UInt8(ascii: "4") {
            i += 1
            return try parseVariable(storage: c, qualified: qualified)
        }
        return try parseFunctionSymbol(kind: kind, innermost: innermost, scopes: scopes, qualified: qualified)
    }

    mutating func parseVariable(storage: UInt8, qualified: String) throws -> String {
        var type = try parseType()
        if case let .pointer(sigil, pointee, ownCV, restrict, member) = type {
            // Pointer variables repeat the pointer's `__ptr64`/`__restrict` and give the pointee's
            // qualifiers (and, for pointers to members, the class again).
            try skipPointerExtendedQualifiers()
            let cv: Int
            if member != nil {
                let c = try next()
                guard c >= UInt8(ascii: "Q"), c <= UInt8(ascii: "T") else { throw DemangleFailure() }
                cv = Int(c - UInt8(ascii: "Q"))
                _ = try parseQualifiedName()
            } else {
                cv = try parseCVLetter()
            }
            if case .function = pointee {} else {
                type = .pointer(sigil: sigil, pointee: pointee.qualified(cv), cv: ownCV, restrict: restrict, member: member)
            }
        } else {
            let cv = try parseCVLetter()
            type = type.qualified(cv)
        }
        var prefix = ""
        switch storage {
        case UInt8(ascii: "0"): prefix = "private: static "
        case UInt8(ascii: "1"): prefix = "protected: static "
        case UInt8(ascii: "2"): prefix = "public: static "
        default: break
        }
        return try checked(prefix + msSpaced(msLeft(type)) + qualified + msRight(type))
    }

    mutating func skipPointerExtendedQualifiers() throws {
        while let c = peek(), c == UInt8(ascii: "E") || c == UInt8(ascii: "I") || c == UInt8(ascii: "F") { i += 1 }
    }

    /// `A` none, `B` const, `C` volatile, `D` const volatile.
    mutating func parseCVLetter() throws -> Int {
        let c = try next()
        guard c >= UInt8(ascii: "A"), c <= UInt8(ascii: "D") else { throw DemangleFailure() }
        return Int(c - UInt8(ascii: "A"))
    }

    mutating func parseFunctionSymbol(kind: MSNameKind, innermost: String, scopes: [String], qualified: String) throws -> String {
        var prefix = ""
        var isMember = false
        var adjustor: String? = nil
        if eat("$B") {
            // A vcall thunk: `$B` offset `A` calling-convention.
            let (offset, _) = try parseNumber()
            try expect("A")
            let cc = try parseCallingConvention()
            return try checked("[thunk]: " + cc + " " + qualified + "{\(offset), {flat}}")
        }
        let c = try next()
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "X"):
            let index = Int(c - UInt8(ascii: "A"))
            let access = ["private: ", "protected: ", "public: "][index / 8]
            let role = (index % 8) / 2
            switch role {
            case 0: prefix = access; isMember = true
            case 1: prefix = access + "static "
            case 2: prefix = access + "virtual "; isMember = true
            default:
                // An adjustor thunk (llvm-undname does not call the private ones virtual).
                prefix = "[thunk]: " + access + (index < 8 ? "" : "virtual ")
                isMember = true
                let (offset, negative) = try parseNumber()
                adjustor = "`adjustor{" + (negative ? "-" : "") + "\(offset)}'"
            }
        case UInt8(ascii: "Y"), UInt8(ascii: "Z"):
            break
        default:
            throw DemangleFailure()
        }
        var qualifiers = ""
        if isMember {
            var restrict = false, unaligned = false, refQualifier = ""
            while let q = peek() {
                if q == UInt8(ascii: "E") { i += 1 }
                else if q == UInt8(ascii: "I") { restrict = true; i += 1 }
                else if q == UInt8(ascii: "F") { unaligned = true; i += 1 }
                else if q == UInt8(ascii: "G") { refQualifier = " &"; i += 1 }
                else if q == UInt8(ascii: "H") { refQualifier = " &&"; i += 1 }
                else { break }
            }
            let cv = try parseCVLetter()
            if cv & 1 != 0 { qualifiers += " const" }
            if cv & 2 != 0 { qualifiers += " volatile" }
            if unaligned { qualifiers += " __unaligned" }
            if restrict { qualifiers += " __restrict" }
            qualifiers += refQualifier
        }
        var function = try parseFunctionType(allowNoReturn: true)
        function.qualifiers = qualifiers
        var name = qualified
        if kind == .conversion {
            // `operator int *`, or `operator<int> int *` for a conversion operator template.
            guard let ret = function.returnType else { throw DemangleFailure() }
            name += (innermost.isEmpty ? "operator " : " ") + msPrint(ret)
        }
        if let adjustor { name += adjustor }
        var text = prefix
        if let ret = function.returnType { text += msLeft(ret) + " " }
        text += function.callingConvention + " " + name + "(" + function.parameterText + ")" + function.qualifiers
        if let ret = function.returnType { text += msRight(ret) }
        return try checked(text)
    }

    mutating func parseCallingConvention() throws -> String {
        switch try next() {
        case UInt8(ascii: "A"), UInt8(ascii: "B"): return "__cdecl"
        case UInt8(ascii: "C"), UInt8(ascii: "D"): return "__pascal"
        case UInt8(ascii: "E"), UInt8(ascii: "F"): return "__thiscall"
        case UInt8(ascii: "G"), UInt8(ascii: "H"): return "__stdcall"
        case UInt8(ascii: "I"), UInt8(ascii: "J"): return "__fastcall"
        case UInt8(ascii: "M"), UInt8(ascii: "N"): return "__clrcall"
        case UInt8(ascii: "O"), UInt8(ascii: "P"): return "__eabi"
        case UInt8(ascii: "Q"): return "__vectorcall"
        default: throw DemangleFailure()
        }
    }

    /// Calling convention, return type, parameters and exception specification.
    mutating func parseFunctionType(allowNoReturn: Bool) throws -> MSFunction {
        try enter()
        defer { leave() }
        let cc = try parseCallingConvention()
        var returnType: MSType? = nil
        if eat("@") {
            guard allowNoReturn else { throw DemangleFailure() }
        } else if eat("?") {
            let cv = try parseCVLetter()
            returnType = try parseType().qualified(cv)
        } else {
            returnType = try parseType()
        }
        var parameters: [MSType] = []
        var variadic = false
        if eat("X") {
            // (void)
        } else {
            while true {
                if eat("@") { break }
                if eat("Z") { variadic = true; break }
                guard parameters.count < 256 else { throw DemangleFailure() }
                guard let c = peek() else { throw DemangleFailure() }
                if c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                    i += 1
                    let index = Int(c - UInt8(ascii: "0"))
                    guard index < types.count else { throw DemangleFailure() }
                    parameters.append(types[index])
                    continue
                }
                let start = i
                let type = try parseType()
                if i - start > 1, types.count < 10 { types.append(type) }
                parameters.append(type)
            }
        }
        try expect("Z")  // no exception specification
        var function = MSFunction(callingConvention: cc, returnType: returnType, parameters: parameters, isVariadic: variadic, qualifiers: "")
        function.weight = parameters.reduce(64 + (returnType?.weight ?? 0)) { $0 + $1.weight }
        guard function.weight <= DemangleLimits.maxOutputLength else { throw DemangleFailure() }
        return function
    }

    // MARK: Types

    mutating func parseType() throws -> MSType {
        try enter()
        defer { leave() }
        let c = try next()
        switch c {
        case UInt8(ascii: "C"): return .simple("signed char", cv: 0, unaligned: false)
        case UInt8(ascii: "D"): return .simple("char", cv: 0, unaligned: false)
        case UInt8(ascii: "E"): return .simple("unsigned char", cv: 0, unaligned: false)
        case UInt8(ascii: "F"): return .simple("short", cv: 0, unaligned: false)
        case UInt8(ascii: "G"): return .simple("unsigned short", cv: 0, unaligned: false)
        case UInt8(ascii: "H"): return .simple("int", cv: 0, unaligned: false)
        case UInt8(ascii: "I"): return .simple("unsigned int", cv: 0, unaligned: false)
        case UInt8(ascii: "J"): return .simple("long", cv: 0, unaligned: false)
        case UInt8(ascii: "K"): return .simple("unsigned long", cv: 0, unaligned: false)
        case UInt8(ascii: "M"): return .simple("float", cv: 0, unaligned: false)
        case UInt8(ascii: "N"): return .simple("double", cv: 0, unaligned: false)
        case UInt8(ascii: "O"): return .simple("long double", cv: 0, unaligned: false)
        case UInt8(ascii: "X"): return .simple("void", cv: 0, unaligned: false)
        case UInt8(ascii: "_"):
            let names: [UInt8: String] = [
                UInt8(ascii: "J"): "__int64", UInt8(ascii: "K"): "unsigned __int64", UInt8(ascii: "N"): "bool",
                UInt8(ascii: "W"): "wchar_t", UInt8(ascii: "S"): "char16_t", UInt8(ascii: "U"): "char32_t",
            ]
            guard let name = names[try next()] else { throw DemangleFailure() }
            return .simple(name, cv: 0, unaligned: false)
        case UInt8(ascii: "T"): return .simple("union " + (try parseQualifiedName()), cv: 0, unaligned: false)
        case UInt8(ascii: "U"): return .simple("struct " + (try parseQualifiedName()), cv: 0, unaligned: false)
        case UInt8(ascii: "V"): return .simple("class " + (try parseQualifiedName()), cv: 0, unaligned: false)
        case UInt8(ascii: "W"):
            let underlying = try next()
            guard underlying >= UInt8(ascii: "0"), underlying <= UInt8(ascii: "7") else { throw DemangleFailure() }
            return .simple("enum " + (try parseQualifiedName()), cv: 0, unaligned: false)
        case UInt8(ascii: "P"), UInt8(ascii: "Q"), UInt8(ascii: "R"), UInt8(ascii: "S"):
            return try parsePointer(sigil: "*", cv: Int(c - UInt8(ascii: "P")))
        case UInt8(ascii: "A"): return try parsePointer(sigil: "&", cv: 0)
        case UInt8(ascii: "B"): return try parsePointer(sigil: "&", cv: 2)
        case UInt8(ascii: "Y"): return try parseArray()
        case UInt8(ascii: "?"):
            // A type only known by name, such as the `<auto>` return type of a lambda.
            return .simple(try parseQualifiedName(), cv: 0, unaligned: false)
        case UInt8(ascii: "$"):
            if eat("$T") { return .simple("std::nullptr_t", cv: 0, unaligned: false) }
            if eat("$Q") { return try parsePointer(sigil: "&&", cv: 0) }
            if eat("$R") { return try parsePointer(sigil: "&&", cv: 2) }
            if eat("$A6") { return .function(try parseFunctionType(allowNoReturn: false)) }
            if eat("$BY") { return try parseArray() }
            if eat("$C") {
                let cv = try parseCVLetter()
                return try parseType().qualified(cv)
            }
            throw DemangleFailure()
        default:
            throw DemangleFailure()
        }
    }

    mutating func parsePointer(sigil: String, cv: Int) throws -> MSType {
        if eat("6") {
            let function = try parseFunctionType(allowNoReturn: false)
            return .pointer(sigil: sigil, pointee: .function(function), cv: cv, restrict: false, member: nil)
        }
        if eat("8") {
            let cls = try parseQualifiedName()
            var qualifiers = ""
            try skipPointerExtendedQualifiers()
            let thisCV = try parseCVLetter()
            if thisCV & 1 != 0 { qualifiers += " const" }
            if thisCV & 2 != 0 { qualifiers += " volatile" }
            var function = try parseFunctionType(allowNoReturn: false)
            function.qualifiers = qualifiers
            return .pointer(sigil: sigil, pointee: .function(function), cv: cv, restrict: false, member: cls)
        }
        var restrict = false, unaligned = false
        while let q = peek() {
            if q == UInt8(ascii: "E") { i += 1 }
            else if q == UInt8(ascii: "I") { restrict = true; i += 1 }
            else if q == UInt8(ascii: "F") { unaligned = true; i += 1 }
            else { break }
        }
        let q = try next()
        var member: String? = nil
        let pointeeCV: Int
        switch q {
        case UInt8(ascii: "A")...UInt8(ascii: "D"):
            pointeeCV = Int(q - UInt8(ascii: "A"))
        case UInt8(ascii: "Q")...UInt8(ascii: "T"):
            pointeeCV = Int(q - UInt8(ascii: "Q"))
            member = try parseQualifiedName()
        default:
            throw DemangleFailure()
        }
        let pointee = try parseType()
        let qualifiedPointee = pointee.qualified(pointeeCV, unaligned: unaligned)
        return .pointer(sigil: sigil, pointee: qualifiedPointee, cv: cv, restrict: restrict, member: member)
    }

    /// `Y` count dims... element: an array type (only ever seen behind a pointer or reference).
    mutating func parseArray() throws -> MSType {
        let (count, negative) = try parseNumber()
        guard !negative, count > 0, count <= 32 else { throw DemangleFailure() }
        var dims: [UInt64] = []
        for _ in 0..<count {
            let (dim, negativeDim) = try parseNumber()
            guard !negativeDim else { throw DemangleFailure() }
            dims.append(dim)
        }
        return .array(dims: dims, element: try parseType())
    }

    // MARK: String literals

    /// `??_C@_` width length checksum `@` bytes `@`: printed as the literal, truncated literals with `...`.
    mutating func parseStringLiteral() throws -> String {
        try expect("??_C@_")
        let width = try next()
        guard width == UInt8(ascii: "0") || width == UInt8(ascii: "1") else { throw DemangleFailure() }
        let (length, negative) = try parseNumber()
        guard !negative, length > 0, length < 1 << 24 else { throw DemangleFailure() }
        _ = try parseNumber()  // checksum
        var bytes: [UInt8] = []
        while true {
            let c = try next()
            if c == UInt8(ascii: "@") { break }
            guard bytes.count < 64 else { throw DemangleFailure() }
            if c != UInt8(ascii: "?") { bytes.append(c); continue }
            let d = try next()
            if d == UInt8(ascii: "$") {
                let hi = try next(), lo = try next()
                guard hi >= UInt8(ascii: "A"), hi <= UInt8(ascii: "P"), lo >= UInt8(ascii: "A"), lo <= UInt8(ascii: "P") else { throw DemangleFailure() }
                bytes.append((hi - UInt8(ascii: "A")) << 4 | (lo - UInt8(ascii: "A")))
            } else if d >= UInt8(ascii: "0"), d <= UInt8(ascii: "9") {
                bytes.append(Array(",/\\:. \n\t'-".utf8)[Int(d - UInt8(ascii: "0"))])
            } else if d >= UInt8(ascii: "a"), d <= UInt8(ascii: "z") {
                bytes.append(d - UInt8(ascii: "a") + 0xE1)
            } else if d >= UInt8(ascii: "A"), d <= UInt8(ascii: "Z") {
                bytes.append(d - UInt8(ascii: "A") + 0xC1)
            } else {
                throw DemangleFailure()
            }
        }
        let complete = UInt64(bytes.count) == length
        guard UInt64(bytes.count) <= length, complete || bytes.count == 32 else { throw DemangleFailure() }
        var charSize = 1
        var prefix = ""
        var units: [UInt32] = []
        if width == UInt8(ascii: "1") {
            guard length % 2 == 0, bytes.count % 2 == 0 else { throw DemangleFailure() }
            charSize = 2
            prefix = "L"
            for k in stride(from: 0, to: bytes.count, by: 2) { units.append(UInt32(bytes[k]) << 8 | UInt32(bytes[k + 1])) }
        } else {
            charSize = msGuessCharSize(bytes, length: length, complete: complete)
            prefix = charSize == 4 ? "U" : charSize == 2 ? "u" : ""
            for k in stride(from: 0, to: bytes.count - bytes.count % charSize, by: charSize) {
                var unit: UInt32 = 0
                for b in (0..<charSize).reversed() { unit = unit << 8 | UInt32(bytes[k + b]) }
                units.append(unit)
            }
        }
        if complete {
            // Drop the terminating NUL the literal always ends with.
            guard let last = units.last, last == 0 else { throw DemangleFailure() }
            units.removeLast()
        }
        var text = prefix + "\""
        for unit in units { text += msEscape(unit) }
        text += "\""
        if !complete { text += "..." }
        return text
    }
}

/// Literals of `char16_t` and `char32_t` are mangled as bytes too; tell them apart by where the
/// zero bytes fall (a complete literal always ends in one NUL character).
private func msGuessCharSize(_ bytes: [UInt8], length: UInt64, complete: Bool) -> Int {
    if length % 2 != 0 { return 1 }
    if complete {
        if length % 4 == 0, bytes.count >= 8, bytes.suffix(4).allSatisfy({ $0 == 0 }) { return 4 }
        if length == 4, bytes.allSatisfy({ $0 == 0 }) { return 4 }
        if bytes.count >= 2, bytes.suffix(2).allSatisfy({ $0 == 0 }) { return 2 }
        return 1
    }
    if length % 4 == 0, stride(from: 0, to: bytes.count, by: 4).allSatisfy({ bytes[$0 + 2] == 0 && bytes[$0 + 3] == 0 }) { return 4 }
    let oddZeros = stride(from: 1, to: bytes.count, by: 2).filter { bytes[$0] == 0 }.count
    return oddZeros * 2 >= bytes.count / 2 ? 2 : 1
}

private func msEscape(_ unit: UInt32) -> String {
    switch unit {
    case 0: return "\\0"
    case 7: return "\\a"
    case 8: return "\\b"
    case 9: return "\\t"
    case 10: return "\\n"
    case 11: return "\\v"
    case 12: return "\\f"
    case 13: return "\\r"
    case 0x22: return "\\\""
    case 0x27: return "\\'"
    case 0x5C: return "\\\\"
    case 0x20...0x7E: return String(UnicodeScalar(UInt8(unit)))
    default:
        let hex = String(unit, radix: 16, uppercase: true)
        return "\\x" + (hex.count < 2 ? "0" + hex : hex)
    }
}

private let msOperatorNames: [String: String] = [
    "2": "operator new", "3": "operator delete", "4": "operator=", "5": "operator>>", "6": "operator<<",
    "7": "operator!", "8": "operator==", "9": "operator!=", "A": "operator[]", "C": "operator->",
    "D": "operator*", "E": "operator++", "F": "operator--", "G": "operator-", "H": "operator+",
    "I": "operator&", "J": "operator->*", "K": "operator/", "L": "operator%", "M": "operator<",
    "N": "operator<=", "O": "operator>", "P": "operator>=", "Q": "operator,", "R": "operator()",
    "S": "operator~", "T": "operator^", "U": "operator|", "V": "operator&&", "W": "operator||",
    "X": "operator*=", "Y": "operator+=", "Z": "operator-=",
    "_0": "operator/=", "_1": "operator%=", "_2": "operator>>=", "_3": "operator<<=", "_4": "operator&=",
    "_5": "operator|=", "_6": "operator^=", "_9": "`vcall'", "_A": "`typeof'",
    "_D": "`vbase dtor'", "_E": "`vector deleting dtor'", "_F": "`default ctor closure'",
    "_G": "`scalar deleting dtor'", "_H": "`vector ctor iterator'", "_I": "`vector dtor iterator'",
    "_J": "`vector vbase ctor iterator'", "_K": "`virtual displacement map'",
    "_L": "`eh vector ctor iterator'", "_M": "`eh vector dtor iterator'",
    "_N": "`eh vector vbase ctor iterator'", "_O": "`copy ctor closure'",
    "_S": "`local vftable'", "_T": "`local vftable ctor closure'",
    "_U": "operator new[]", "_V": "operator delete[]",
    "_X": "`placement delete closure'", "_Y": "`placement delete[] closure'",
    "__A": "`managed vector ctor iterator'", "__B": "`managed vector dtor iterator'",
    "__C": "`eh vector copy ctor iterator'", "__D": "`eh vector vbase copy ctor iterator'",
    "__G": "`vector copy ctor iterator'", "__H": "`vector vbase copy ctor iterator'",
    "__I": "`managed vector copy ctor iterator'", "__J": "`local static thread guard'",
    "__L": "operator co_await", "__M": "operator<=>",
]

// MARK: - Itanium

/// The readable form of an Itanium C++ ABI mangled name (`_Z...`, or `__Z...` with the extra
/// underscore i386 mingw adds), as `llvm-cxxfilt` prints it, or nil when the name is not mangled
/// or uses a construct this demangler does not know. A stdcall `@N` suffix is kept as is.
func demangleItanium(_ name: String) -> String? {
    var bytes = Array(name.utf8)
    guard bytes.count >= 3, bytes.count <= DemangleLimits.maxInputLength else { return nil }
    var lead = ""
    var trail = ""
    // `@N` (stdcall) and `@...@N` (fastcall) decorations, kept around the demangled text.
    if let at = bytes.lastIndex(of: UInt8(ascii: "@")), at > 0, at + 1 < bytes.count,
       bytes[(at + 1)...].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
        trail = String(decoding: bytes[at...], as: UTF8.self)
        bytes.removeSubrange(at...)
        if bytes.first == UInt8(ascii: "@") { lead = "@"; bytes.removeFirst() }
    }
    var start = 0
    if bytes.starts(with: Array("__Z".utf8)) { start = 3 }
    else if bytes.starts(with: Array("_Z".utf8)) { start = 2 }
    else { return nil }
    var parser = IParser(bytes, start: start)
    guard let node = try? parser.parseEncoding() else { return nil }
    var suffix = ""
    if parser.i < bytes.count {
        // A vendor suffix such as `.cold` or `.constprop.0`.
        guard bytes[parser.i] == UInt8(ascii: "."),
              bytes[parser.i...].allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x2E || $0 == 0x5F || $0 == 0x24 })
        else { return nil }
        suffix = " (" + String(decoding: bytes[parser.i...], as: UTF8.self) + ")"
    }
    var printer = IPrinter()
    guard (try? printer.print(node)) != nil else { return nil }
    return lead + String(decoding: printer.out, as: UTF8.self) + suffix + trail
}

private struct IFunctionType {
    var returnType: INode?
    var parameters: [INode]
    var cv: Int = 0            // 1 const, 2 volatile, 4 restrict
    var refQualifier = ""      // "", " &", " &&"
    var exceptionSpec = ""     // "" or " noexcept"
}

private indirect enum INode {
    /// A builtin type or a name fragment printed as is.
    case name(String)
    case nested(INode, INode)
    case template(INode, [INode])
    case qualified(INode, cv: Int)
    case pointer(INode)
    case reference(INode, rvalue: Bool)
    case function(IFunctionType)
    case array(INode, dimension: INode?)
    case memberPointer(cls: INode, member: INode)
    /// A template argument pack, and a pack expansion (`Dp`) whose pattern mentions a pack.
    case pack([INode])
    case packExpansion(INode)
    case abiTag(INode, String)
    /// `U` vendor qualifiers (`int foo`) and `Dv` vector types (`float vector[4]`).
    case vendorQualified(INode, String)
    case conversion(INode)
    case lambda([INode], number: String)
    /// `(type)value` template argument literals.
    case cast(INode, String)
    case prefixOperator(String, INode)
    /// A function: its name and signature (the return type only for template functions).
    case encoding(name: INode, function: IFunctionType)
    case local(INode, INode)
    case special(String, INode)
    case constructionVtable(INode, INode)
}

private struct INameInfo {
    var node: INode
    var endsWithTemplateArgs = false
    var isCtorDtorOrConversion = false
    var cv = 0
    var refQualifier = ""
}

private let itaniumBuiltins: [UInt8: String] = [
    UInt8(ascii: "v"): "void", UInt8(ascii: "w"): "wchar_t", UInt8(ascii: "b"): "bool", UInt8(ascii: "c"): "char",
    UInt8(ascii: "a"): "signed char", UInt8(ascii: "h"): "unsigned char", UInt8(ascii: "s"): "short",
    UInt8(ascii: "t"): "unsigned short", UInt8(ascii: "i"): "int", UInt8(ascii: "j"): "unsigned int",
    UInt8(ascii: "l"): "long", UInt8(ascii: "m"): "unsigned long", UInt8(ascii: "x"): "long long",
    UInt8(ascii: "y"): "unsigned long long", UInt8(ascii: "n"): "__int128", UInt8(ascii: "o"): "unsigned __int128",
    UInt8(ascii: "f"): "float", UInt8(ascii: "d"): "double", UInt8(ascii: "e"): "long double",
    UInt8(ascii: "g"): "__float128", UInt8(ascii: "z"): "...",
]

private let itaniumDBuiltins: [UInt8: String] = [
    UInt8(ascii: "d"): "decimal64", UInt8(ascii: "e"): "decimal128", UInt8(ascii: "f"): "decimal32",
    UInt8(ascii: "h"): "half", UInt8(ascii: "i"): "char32_t", UInt8(ascii: "s"): "char16_t",
    UInt8(ascii: "u"): "char8_t", UInt8(ascii: "a"): "auto", UInt8(ascii: "c"): "decltype(auto)",
    UInt8(ascii: "n"): "std::nullptr_t",
]

private let itaniumOperators: [String: String] = [
    "nw": "operator new", "na": "operator new[]", "dl": "operator delete", "da": "operator delete[]",
    "aw": "operator co_await", "ps": "operator+", "ng": "operator-", "ad": "operator&", "de": "operator*",
    "co": "operator~", "pl": "operator+", "mi": "operator-", "ml": "operator*", "dv": "operator/",
    "rm": "operator%", "an": "operator&", "or": "operator|", "eo": "operator^", "aS": "operator=",
    "pL": "operator+=", "mI": "operator-=", "mL": "operator*=", "dV": "operator/=", "rM": "operator%=",
    "aN": "operator&=", "oR": "operator|=", "eO": "operator^=", "ls": "operator<<", "rs": "operator>>",
    "lS": "operator<<=", "rS": "operator>>=", "eq": "operator==", "ne": "operator!=", "lt": "operator<",
    "gt": "operator>", "le": "operator<=", "ge": "operator>=", "ss": "operator<=>", "nt": "operator!",
    "aa": "operator&&", "oo": "operator||", "pp": "operator++", "mm": "operator--", "cm": "operator,",
    "pm": "operator->*", "pt": "operator->", "cl": "operator()", "ix": "operator[]", "qu": "operator?",
]

private struct IParser {
    let s: [UInt8]
    var i: Int
    var subs: [INode] = []
    var templateParams: [INode] = []
    var depth = 0

    init(_ bytes: [UInt8], start: Int) {
        s = bytes
        i = start
    }

    func peek(_ offset: Int = 0) -> UInt8? { i + offset < s.count ? s[i + offset] : nil }

    func peekIs(_ c: Character, _ offset: Int = 0) -> Bool { peek(offset) == c.asciiValue }

    mutating func eat(_ c: Character) -> Bool {
        guard peekIs(c) else { return false }
        i += 1
        return true
    }

    mutating func expect(_ c: Character) throws {
        guard eat(c) else { throw DemangleFailure() }
    }

    mutating func next() throws -> UInt8 {
        guard i < s.count else { throw DemangleFailure() }
        defer { i += 1 }
        return s[i]
    }

    mutating func enter() throws {
        depth += 1
        guard depth <= DemangleLimits.maxDepth else { throw DemangleFailure() }
    }

    mutating func leave() { depth -= 1 }

    mutating func addSubstitution(_ node: INode) throws {
        guard subs.count < 4096 else { throw DemangleFailure() }
        subs.append(node)
    }

    static func isDigit(_ c: UInt8?) -> Bool { c.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }

    /// A decimal number, optionally negative (`n` prefix); returns its text.
    mutating func parseNumberText(allowNegative: Bool = true) throws -> String {
        var text = ""
        if allowNegative, eat("n") { text = "-" }
        let start = i
        while IParser.isDigit(peek()) { i += 1 }
        guard i > start, i - start <= 40 else { throw DemangleFailure() }
        return text + String(decoding: s[start..<i], as: UTF8.self)
    }

    mutating func parseCount() throws -> Int {
        let start = i
        while IParser.isDigit(peek()) { i += 1 }
        guard i > start, i - start <= 6 else { throw DemangleFailure() }
        return Int(String(decoding: s[start..<i], as: UTF8.self))!
    }

    /// At the end of an encoding: the input, an enclosing local name's `E`, or a suffix.
    var atEncodingEnd: Bool {
        guard let c = peek() else { return true }
        return c == UInt8(ascii: "E") || c == UInt8(ascii: ".")
    }

    // MARK: Encodings and names

    mutating func parseEncoding() throws -> INode {
        try enter()
        defer { leave() }
        if peekIs("T") || (peekIs("G") && (peekIs("V", 1) || peekIs("R", 1))) { return try parseSpecialName() }
        let info = try parseName(tagTemplates: true)
        if atEncodingEnd { return info.node }
        var function = IFunctionType(returnType: nil, parameters: [])
        if info.endsWithTemplateArgs && !info.isCtorDtorOrConversion { function.returnType = try parseType() }
        function.parameters = try parseBareParameters()
        function.cv = info.cv
        function.refQualifier = info.refQualifier
        return .encoding(name: info.node, function: function)
    }

    /// Parameter types up to the end of the encoding; a lone `v` means none.
    mutating func parseBareParameters() throws -> [INode] {
        if peekIs("v") {
            let save = i
            i += 1
            if atEncodingEnd { return [] }
            i = save
        }
        var parameters: [INode] = []
        while !atEncodingEnd {
            guard parameters.count < 256 else { throw DemangleFailure() }
            parameters.append(try parseType())
        }
        guard !parameters.isEmpty else { throw DemangleFailure() }
        return parameters
    }

    mutating func parseCallOffset() throws {
        if eat("h") {
            _ = try parseNumberText()
            try expect("_")
        } else if eat("v") {
            _ = try parseNumberText()
            try expect("_")
            _ = try parseNumberText()
            try expect("_")
        } else {
            throw DemangleFailure()
        }
    }

    mutating func parseSpecialName() throws -> INode {
        if eat("G") {
            if eat("V") { return .special("guard variable for ", try parseName(tagTemplates: false).node) }
            try expect("R")
            let node = try parseName(tagTemplates: false).node
            // An optional sequence id, then `_`.
            while let c = peek(), c != UInt8(ascii: "_") {
                guard IParser.isDigit(c) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) else { throw DemangleFailure() }
                i += 1
            }
            try expect("_")
            return .special("reference temporary for ", node)
        }
        try expect("T")
        let c = try next()
        switch c {
        case UInt8(ascii: "V"): return .special("vtable for ", try parseType())
        case UInt8(ascii: "T"): return .special("VTT for ", try parseType())
        case UInt8(ascii: "I"): return .special("typeinfo for ", try parseType())
        case UInt8(ascii: "S"): return .special("typeinfo name for ", try parseType())
        case UInt8(ascii: "H"): return .special("thread-local initialization routine for ", try parseName(tagTemplates: false).node)
        case UInt8(ascii: "W"): return .special("thread-local wrapper routine for ", try parseName(tagTemplates: false).node)
        case UInt8(ascii: "h"):
            i -= 1
            try parseCallOffset()
            return .special("non-virtual thunk to ", try parseEncoding())
        case UInt8(ascii: "v"):
            i -= 1
            try parseCallOffset()
            return .special("virtual thunk to ", try parseEncoding())
        case UInt8(ascii: "c"):
            try parseCallOffset()
            try parseCallOffset()
            return .special("covariant return thunk to ", try parseEncoding())
        case UInt8(ascii: "C"):
            let derived = try parseType()
            _ = try parseNumberText()
            try expect("_")
            let base = try parseType()
            return .constructionVtable(base, derived)
        default:
            throw DemangleFailure()
        }
    }

    mutating func parseName(tagTemplates: Bool) throws -> INameInfo {
        try enter()
        defer { leave() }
        if peekIs("N") { return try parseNestedName(tagTemplates: tagTemplates) }
        if peekIs("Z") { return try parseLocalName(tagTemplates: tagTemplates) }
        var node: INode
        if peekIs("S") && peekIs("t", 1) {
            i += 2
            _ = eat("L")
            node = .nested(.name("std"), try parseUnqualifiedName())
        } else if peekIs("S") {
            let sub = try parseSubstitution().node
            guard peekIs("I") else { throw DemangleFailure() }
            let args = try parseTemplateArgs(tag: tagTemplates)
            return INameInfo(node: .template(sub, args), endsWithTemplateArgs: true)
        } else {
            _ = eat("L")
            node = try parseUnqualifiedName()
        }
        var info = INameInfo(node: node)
        if case .conversion = node { info.isCtorDtorOrConversion = true }
        if peekIs("I") {
            try addSubstitution(node)
            let args = try parseTemplateArgs(tag: tagTemplates)
            info.node = .template(node, args)
            info.endsWithTemplateArgs = true
        }
        return info
    }

    mutating func parseNestedName(tagTemplates: Bool) throws -> INameInfo {
        try expect("N")
        var info = INameInfo(node: .name(""))
        info.cv = parseCVQualifiers()
        if eat("R") { info.refQualifier = " &" } else if eat("O") { info.refQualifier = " &&" }
        var soFar: INode? = nil
        var expandedAbbreviation: (full: String, base: String)? = nil
        var count = 0
        while !eat("E") {
            count += 1
            guard count < 256 else { throw DemangleFailure() }
            info.endsWithTemplateArgs = false
            _ = eat("L")
            guard let c = peek() else { throw DemangleFailure() }
            if c == UInt8(ascii: "S") && soFar == nil {
                if peekIs("t", 1) {
                    i += 2
                    soFar = .name("std")
                    continue
                }
                let (sub, expanded) = try parseSubstitution()
                soFar = sub
                expandedAbbreviation = expanded
                if peekIs("E") { throw DemangleFailure() }
                continue
            }
            let component: INode
            if c == UInt8(ascii: "T") && soFar == nil {
                soFar = try parseTemplateParam()
                if !peekIs("E") { try addSubstitution(soFar!) }
                continue
            } else if c == UInt8(ascii: "I") {
                guard let prefix = soFar else { throw DemangleFailure() }
                let args = try parseTemplateArgs(tag: tagTemplates)
                soFar = .template(prefix, args)
                expandedAbbreviation = nil
                info.endsWithTemplateArgs = true
                if !peekIs("E") { try addSubstitution(soFar!) }
                continue
            } else if c == UInt8(ascii: "C") || (c == UInt8(ascii: "D") && (peekIs("0", 1) || peekIs("1", 1) || peekIs("2", 1) || peekIs("4", 1) || peekIs("5", 1))) {
                guard var prefix = soFar else { throw DemangleFailure() }
                var base: String
                if let expanded = expandedAbbreviation {
                    prefix = .name(expanded.full)
                    soFar = prefix
                    base = expanded.base
                } else {
                    guard let b = itaniumBaseName(prefix) else { throw DemangleFailure() }
                    base = b
                }
                if c == UInt8(ascii: "C") {
                    i += 1
                    if eat("I") {
                        // An inheriting constructor names the base it inherits from.
                        guard let k = peek(), k >= UInt8(ascii: "1"), k <= UInt8(ascii: "3") else { throw DemangleFailure() }
                        i += 1
                        _ = try parseType()
                    } else {
                        guard let k = peek(), k >= UInt8(ascii: "1"), k <= UInt8(ascii: "5") else { throw DemangleFailure() }
                        i += 1
                    }
                } else {
                    i += 2
                    base = "~" + base
                }
                component = try parseAbiTags(.name(base))
                info.isCtorDtorOrConversion = true
            } else {
                component = try parseUnqualifiedName()
                info.isCtorDtorOrConversion = false
                if case .conversion = component { info.isCtorDtorOrConversion = true }
            }
            expandedAbbreviation = nil
            soFar = soFar.map { .nested($0, component) } ?? component
            if !peekIs("E") { try addSubstitution(soFar!) }
        }
        guard let node = soFar else { throw DemangleFailure() }
        info.node = node
        return info
    }

    mutating func parseCVQualifiers() -> Int {
        var cv = 0
        if eat("r") { cv |= 4 }
        if eat("V") { cv |= 2 }
        if eat("K") { cv |= 1 }
        return cv
    }

    mutating func parseLocalName(tagTemplates: Bool) throws -> INameInfo {
        try expect("Z")
        let function = try parseEncoding()
        try expect("E")
        if eat("s") {
            try parseDiscriminator()
            return INameInfo(node: .local(function, .name("string literal")))
        }
        if peekIs("d") { throw DemangleFailure() }
        var entity = try parseName(tagTemplates: tagTemplates)
        try parseDiscriminator()
        entity.node = .local(function, entity.node)
        return entity
    }

    mutating func parseDiscriminator() throws {
        guard peekIs("_") else { return }
        if peekIs("_", 1) {
            i += 2
            _ = try parseCount()
            try expect("_")
        } else {
            i += 1
            guard IParser.isDigit(peek()) else { throw DemangleFailure() }
            i += 1
        }
    }

    mutating func parseSourceName() throws -> String {
        let length = try parseCount()
        guard length > 0, i + length <= s.count else { throw DemangleFailure() }
        let bytes = s[i..<(i + length)]
        i += length
        guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw DemangleFailure() }
        let text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("_GLOBAL__N") { return "(anonymous namespace)" }
        return text
    }

    mutating func parseAbiTags(_ node: INode) throws -> INode {
        var result = node
        while eat("B") { result = .abiTag(result, try parseSourceName()) }
        return result
    }

    mutating func parseUnqualifiedName() throws -> INode {
        guard let c = peek() else { throw DemangleFailure() }
        var node: INode
        if IParser.isDigit(c) {
            node = .name(try parseSourceName())
        } else if c == UInt8(ascii: "U") {
            i += 1
            if eat("t") {
                let number = IParser.isDigit(peek()) ? try parseNumberText(allowNegative: false) : ""
                try expect("_")
                node = .name("'unnamed" + number + "'")
            } else if eat("l") {
                var parameters: [INode] = []
                if peekIs("v") && peekIs("E", 1) { i += 1 }
                while !eat("E") {
                    guard parameters.count < 256 else { throw DemangleFailure() }
                    parameters.append(try parseType())
                }
                let number = IParser.isDigit(peek()) ? try parseNumberText(allowNegative: false) : ""
                try expect("_")
                node = .lambda(parameters, number: number)
            } else {
                throw DemangleFailure()
            }
        } else if c == UInt8(ascii: "D") && peekIs("C", 1) {
            i += 2
            var names: [String] = []
            while !eat("E") {
                guard names.count < 64 else { throw DemangleFailure() }
                names.append(try parseSourceName())
            }
            guard !names.isEmpty else { throw DemangleFailure() }
            node = .name("[" + names.joined(separator: ", ") + "]")
        } else if c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") {
            node = try parseOperatorName()
        } else {
            throw DemangleFailure()
        }
        return try parseAbiTags(node)
    }

    mutating func parseOperatorName() throws -> INode {
        guard i + 2 <= s.count else { throw DemangleFailure() }
        let code = String(decoding: s[i..<(i + 2)], as: UTF8.self)
        if code == "cv" {
            i += 2
            return .conversion(try parseType())
        }
        if code == "li" {
            i += 2
            return .name("operator\"\" " + (try parseSourceName()))
        }
        guard let name = itaniumOperators[code] else { throw DemangleFailure() }
        i += 2
        return .name(name)
    }

    /// `S_`, `S<seq-id>_` or a standard abbreviation; the second value is set for the
    /// abbreviations whose constructors print the full template name.
    mutating func parseSubstitution() throws -> (node: INode, expanded: (full: String, base: String)?) {
        try expect("S")
        guard let c = peek() else { throw DemangleFailure() }
        let std = INode.name("std")
        switch c {
        case UInt8(ascii: "a"): i += 1; return (.nested(std, .name("allocator")), nil)
        case UInt8(ascii: "b"): i += 1; return (.nested(std, .name("basic_string")), nil)
        case UInt8(ascii: "s"):
            i += 1
            return (.name("std::string"), ("std::basic_string<char, std::char_traits<char>, std::allocator<char> >", "basic_string"))
        case UInt8(ascii: "i"):
            i += 1
            return (.name("std::istream"), ("std::basic_istream<char, std::char_traits<char> >", "basic_istream"))
        case UInt8(ascii: "o"):
            i += 1
            return (.name("std::ostream"), ("std::basic_ostream<char, std::char_traits<char> >", "basic_ostream"))
        case UInt8(ascii: "d"):
            i += 1
            return (.name("std::iostream"), ("std::basic_iostream<char, std::char_traits<char> >", "basic_iostream"))
        case UInt8(ascii: "_"):
            i += 1
            guard !subs.isEmpty else { throw DemangleFailure() }
            return (subs[0], nil)
        default:
            var index = 0
            var digits = 0
            while let d = peek(), d != UInt8(ascii: "_") {
                let value: Int
                if IParser.isDigit(d) { value = Int(d - 0x30) }
                else if d >= UInt8(ascii: "A"), d <= UInt8(ascii: "Z") { value = Int(d - UInt8(ascii: "A")) + 10 }
                else { throw DemangleFailure() }
                index = index * 36 + value
                digits += 1
                guard digits <= 4 else { throw DemangleFailure() }
                i += 1
            }
            guard digits > 0 else { throw DemangleFailure() }
            try expect("_")
            guard index + 1 < subs.count else { throw DemangleFailure() }
            return (subs[index + 1], nil)
        }
    }

    mutating func parseTemplateParam() throws -> INode {
        try expect("T")
        var index = 0
        if !eat("_") {
            index = try parseCount() + 1
            try expect("_")
        }
        guard index < templateParams.count else { throw DemangleFailure() }
        return templateParams[index]
    }

    mutating func parseTemplateArgs(tag: Bool) throws -> [INode] {
        try enter()
        defer { leave() }
        try expect("I")
        if tag { templateParams = [] }
        var args: [INode] = []
        while !eat("E") {
            guard args.count < 256 else { throw DemangleFailure() }
            let arg = try parseTemplateArg()
            if tag { templateParams.append(arg) }
            args.append(arg)
        }
        return args
    }

    mutating func parseTemplateArg() throws -> INode {
        try enter()
        defer { leave() }
        if eat("X") {
            let node = try parseExpression()
            try expect("E")
            return node
        }
        if peekIs("L") { return try parseExprPrimary() }
        if eat("J") {
            var elements: [INode] = []
            while !eat("E") {
                guard elements.count < 256 else { throw DemangleFailure() }
                elements.append(try parseTemplateArg())
            }
            return .pack(elements)
        }
        return try parseType()
    }

    /// The few expressions seen in template arguments of ordinary code.
    mutating func parseExpression() throws -> INode {
        try enter()
        defer { leave() }
        if peekIs("T") { return try parseTemplateParam() }
        if peekIs("L") { return try parseExprPrimary() }
        if peekIs("a") && peekIs("d", 1) {
            i += 2
            return .prefixOperator("&", try parseExpression())
        }
        throw DemangleFailure()
    }

    mutating func parseExprPrimary() throws -> INode {
        try expect("L")
        if peekIs("_") && peekIs("Z", 1) {
            i += 2
            let node = try parseEncoding()
            try expect("E")
            return node
        }
        if peekIs("D") && peekIs("n", 1) && peekIs("E", 2) {
            i += 3
            return .name("nullptr")
        }
        let type = try parseType()
        let value = try parseNumberText()
        try expect("E")
        if case let .name(typeName) = type {
            switch typeName {
            case "bool":
                if value == "0" { return .name("false") }
                if value == "1" { return .name("true") }
            case "int": return .name(value)
            case "unsigned int": return .name(value + "u")
            case "long": return .name(value + "l")
            case "unsigned long": return .name(value + "ul")
            case "long long": return .name(value + "ll")
            case "unsigned long long": return .name(value + "ull")
            case "float", "double", "long double", "__float128", "half": throw DemangleFailure()
            default: break
            }
        }
        return .cast(type, value)
    }

    // MARK: Types

    mutating func parseType() throws -> INode {
        try enter()
        defer { leave() }
        guard let c = peek() else { throw DemangleFailure() }
        if let builtin = itaniumBuiltins[c] {
            i += 1
            return .name(builtin)
        }
        let node: INode
        switch c {
        case UInt8(ascii: "u"):
            i += 1
            node = .name(try parseSourceName())
        case UInt8(ascii: "D"):
            guard let d = peek(1) else { throw DemangleFailure() }
            if let builtin = itaniumDBuiltins[d] {
                i += 2
                return .name(builtin)
            }
            switch d {
            case UInt8(ascii: "F"):
                i += 2
                let bits = try parseCount()
                try expect("_")
                return .name("_Float\(bits)")
            case UInt8(ascii: "p"):
                i += 2
                node = .packExpansion(try parseType())
            case UInt8(ascii: "o"), UInt8(ascii: "x"):
                node = .function(try parseFunctionType(cv: 0))
            case UInt8(ascii: "v"):
                i += 2
                let count = try parseNumberText(allowNegative: false)
                try expect("_")
                node = .vendorQualified(try parseType(), "vector[" + count + "]")
            default:
                throw DemangleFailure()
            }
        case UInt8(ascii: "r"), UInt8(ascii: "V"), UInt8(ascii: "K"):
            let cv = parseCVQualifiers()
            if peekIs("F") || (peekIs("D") && (peekIs("o", 1) || peekIs("x", 1))) {
                node = .function(try parseFunctionType(cv: cv))
            } else {
                node = .qualified(try parseType(), cv: cv)
            }
        case UInt8(ascii: "F"):
            node = .function(try parseFunctionType(cv: 0))
        case UInt8(ascii: "U"):
            i += 1
            let qualifier = try parseSourceName()
            guard !peekIs("I") else { throw DemangleFailure() }
            node = .vendorQualified(try parseType(), qualifier)
        case UInt8(ascii: "A"):
            i += 1
            var dimension: INode? = nil
            if IParser.isDigit(peek()) {
                dimension = .name(try parseNumberText(allowNegative: false))
            } else if !peekIs("_") {
                dimension = try parseExpression()
            }
            try expect("_")
            node = .array(try parseType(), dimension: dimension)
        case UInt8(ascii: "M"):
            i += 1
            let cls = try parseType()
            let member = try parseType()
            node = .memberPointer(cls: cls, member: member)
        case UInt8(ascii: "P"):
            i += 1
            node = .pointer(try parseType())
        case UInt8(ascii: "R"):
            i += 1
            node = .reference(try parseType(), rvalue: false)
        case UInt8(ascii: "O"):
            i += 1
            node = .reference(try parseType(), rvalue: true)
        case UInt8(ascii: "T"):
            if peekIs("s", 1) || peekIs("u", 1) || peekIs("e", 1) {
                i += 2
                node = try parseName(tagTemplates: false).node
            } else {
                let param = try parseTemplateParam()
                if peekIs("I") {
                    try addSubstitution(param)
                    node = .template(param, try parseTemplateArgs(tag: false))
                } else {
                    node = param
                }
            }
        case UInt8(ascii: "S"):
            if peekIs("t", 1) {
                node = try parseName(tagTemplates: false).node
            } else {
                let sub = try parseSubstitution().node
                guard peekIs("I") else { return sub }
                node = .template(sub, try parseTemplateArgs(tag: false))
            }
        case UInt8(ascii: "N"), UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            node = try parseName(tagTemplates: false).node
        default:
            throw DemangleFailure()
        }
        try addSubstitution(node)
        return node
    }

    mutating func parseFunctionType(cv: Int) throws -> IFunctionType {
        var function = IFunctionType(returnType: nil, parameters: [])
        function.cv = cv
        if peekIs("D") && peekIs("o", 1) {
            i += 2
            function.exceptionSpec = " noexcept"
        }
        if peekIs("D") && peekIs("x", 1) { i += 2 }
        try expect("F")
        _ = eat("Y")
        function.returnType = try parseType()
        if peekIs("v") && peekIs("E", 1) { i += 1 }
        else if peekIs("v") && (peekIs("R", 1) || peekIs("O", 1)) && peekIs("E", 2) { i += 1 }
        while true {
            if eat("E") { break }
            if (peekIs("R") || peekIs("O")) && peekIs("E", 1) {
                function.refQualifier = peekIs("R") ? " &" : " &&"
                i += 2
                break
            }
            guard function.parameters.count < 256 else { throw DemangleFailure() }
            function.parameters.append(try parseType())
        }
        return function
    }
}

/// The unqualified name a constructor or destructor of this class is printed with.
private func itaniumBaseName(_ node: INode) -> String? {
    switch node {
    case let .name(text):
        let bytes = Array(text.utf8)
        var k = bytes.count - 1
        while k > 0 {
            if bytes[k] == UInt8(ascii: ":"), bytes[k - 1] == UInt8(ascii: ":") { return String(decoding: bytes[(k + 1)...], as: UTF8.self) }
            k -= 1
        }
        return text
    case let .nested(_, inner), let .template(inner, _), let .abiTag(inner, _), let .local(_, inner):
        return itaniumBaseName(inner)
    default:
        return nil
    }
}

/// Prints a demangled tree the way llvm-cxxfilt lays it out, within an output and work budget.
private struct IPrinter {
    var out: [UInt8] = []
    var steps = 0
    var depth = 0
    /// While a pack expansion is printed, which element its packs stand for.
    var packIndex: Int? = nil

    mutating func emit(_ text: String) throws {
        out.append(contentsOf: text.utf8)
        guard out.count <= DemangleLimits.maxOutputLength else { throw DemangleFailure() }
    }

    mutating func enter() throws {
        steps += 1
        depth += 1
        guard steps <= 100_000, depth <= 512 else { throw DemangleFailure() }
    }

    func isFunction(_ node: INode) -> Bool {
        if case .function = node { return true }
        return false
    }

    func isArray(_ node: INode) -> Bool {
        if case .array = node { return true }
        return false
    }

    /// Whether a type prints something right of the declarator (a parameter list or bounds).
    func hasRight(_ node: INode, _ budget: Int = 64) -> Bool {
        guard budget > 0 else { return false }
        switch node {
        case .function, .array: return true
        case let .pointer(inner), let .qualified(inner, _), let .reference(inner, _): return hasRight(inner, budget - 1)
        case let .memberPointer(_, member): return hasRight(member, budget - 1)
        default: return false
        }
    }

    mutating func print(_ node: INode) throws {
        try printLeft(node)
        try printRight(node)
    }

    /// Follows reference-to-reference to the collapsed reference (`T&& &` is `T&`).
    func collapse(_ inner: INode, rvalue: Bool) -> (INode, Bool) {
        var target = inner
        var isRvalue = rvalue
        for _ in 0..<64 {
            if case let .pack(elements) = target, let index = packIndex, index < elements.count {
                // Inside a pack expansion a pack stands for its current element.
                target = elements[index]
            } else if case let .reference(next, nextRvalue) = target {
                isRvalue = isRvalue && nextRvalue
                target = next
            } else {
                break
            }
        }
        return (target, isRvalue)
    }

    mutating func printLeft(_ node: INode) throws {
        try enter()
        defer { depth -= 1 }
        switch node {
        case let .name(text):
            try emit(text)
        case let .nested(scope, name):
            try print(scope)
            try emit("::")
            try print(name)
        case let .template(name, args):
            try print(name)
            try emit("<")
            try printList(args)
            try emit(out.last == UInt8(ascii: ">") ? " >" : ">")
        case let .qualified(inner, cv):
            try printLeft(inner)
            if cv & 1 != 0 { try emit(" const") }
            if cv & 2 != 0 { try emit(" volatile") }
            if cv & 4 != 0 { try emit(" restrict") }
        case let .pointer(inner):
            try printLeft(inner)
            if isArray(inner) { try emit(" ") }
            if isArray(inner) || isFunction(inner) { try emit("(") }
            try emit("*")
        case let .reference(inner, rvalue):
            let (target, isRvalue) = collapse(inner, rvalue: rvalue)
            try printLeft(target)
            if isArray(target) { try emit(" ") }
            if isArray(target) || isFunction(target) { try emit("(") }
            try emit(isRvalue ? "&&" : "&")
        case let .function(function):
            if let ret = function.returnType { try printLeft(ret) }
            try emit(" ")
        case let .array(element, _):
            try printLeft(element)
        case let .memberPointer(cls, member):
            try printLeft(member)
            try emit(isArray(member) || isFunction(member) ? "(" : " ")
            try print(cls)
            try emit("::*")
        case let .pack(elements):
            if let index = packIndex {
                if index < elements.count { try print(elements[index]) }
            } else {
                try printList(elements)
            }
        case let .packExpansion(pattern):
            try printExpansion(pattern)
        case let .abiTag(inner, tag):
            try print(inner)
            try emit("[abi:" + tag + "]")
        case let .vendorQualified(inner, qualifier):
            try print(inner)
            try emit(" " + qualifier)
        case let .conversion(type):
            try emit("operator ")
            try print(type)
        case let .lambda(parameters, number):
            try emit("'lambda" + number + "'(")
            try printList(parameters)
            try emit(")")
        case let .cast(type, value):
            try emit("(")
            try print(type)
            try emit(")" + value)
        case let .prefixOperator(op, operand):
            try emit(op + "(")
            try print(operand)
            try emit(")")
        case let .encoding(name, function):
            if let ret = function.returnType {
                try printLeft(ret)
                if !hasRight(ret) { try emit(" ") }
            }
            try print(name)
            try emit("(")
            try printList(function.parameters)
            try emit(")")
            try printFunctionQualifiers(function)
            if let ret = function.returnType { try printRight(ret) }
        case let .local(function, entity):
            try print(function)
            try emit("::")
            try print(entity)
        case let .special(text, inner):
            try emit(text)
            try print(inner)
        case let .constructionVtable(base, derived):
            try emit("construction vtable for ")
            try print(base)
            try emit("-in-")
            try print(derived)
        }
    }

    mutating func printRight(_ node: INode) throws {
        try enter()
        defer { depth -= 1 }
        switch node {
        case let .qualified(inner, _):
            try printRight(inner)
        case let .pointer(inner):
            if isArray(inner) || isFunction(inner) { try emit(")") }
            try printRight(inner)
        case let .reference(inner, rvalue):
            let (target, _) = collapse(inner, rvalue: rvalue)
            if isArray(target) || isFunction(target) { try emit(")") }
            try printRight(target)
        case let .function(function):
            try emit("(")
            try printList(function.parameters)
            try emit(")")
            try printFunctionQualifiers(function)
            if let ret = function.returnType { try printRight(ret) }
        case let .array(element, dimension):
            if out.last != UInt8(ascii: "]") { try emit(" ") }
            try emit("[")
            if let dimension { try print(dimension) }
            try emit("]")
            try printRight(element)
        case let .memberPointer(_, member):
            if isArray(member) || isFunction(member) { try emit(")") }
            try printRight(member)
        default:
            break
        }
    }

    mutating func printFunctionQualifiers(_ function: IFunctionType) throws {
        if function.cv & 1 != 0 { try emit(" const") }
        if function.cv & 2 != 0 { try emit(" volatile") }
        if function.cv & 4 != 0 { try emit(" restrict") }
        try emit(function.refQualifier)
        try emit(function.exceptionSpec)
    }

    /// Comma-separated, skipping elements that print nothing (empty packs).
    mutating func printList(_ nodes: [INode]) throws {
        var first = true
        for node in nodes {
            let mark = out.count
            if !first { try emit(", ") }
            let contentStart = out.count
            try print(node)
            if out.count == contentStart {
                out.removeSubrange(mark...)
            } else {
                first = false
            }
        }
    }

    /// The number of elements of the first pack a pack expansion's pattern mentions.
    func packSize(_ node: INode, _ budget: inout Int) -> Int? {
        budget -= 1
        guard budget > 0 else { return nil }
        switch node {
        case let .pack(elements): return elements.count
        case let .pointer(inner), let .qualified(inner, _), let .reference(inner, _), let .array(inner, _),
             let .vendorQualified(inner, _):
            return packSize(inner, &budget)
        case let .memberPointer(cls, member):
            return packSize(cls, &budget) ?? packSize(member, &budget)
        case let .template(name, args):
            if let size = packSize(name, &budget) { return size }
            for arg in args { if let size = packSize(arg, &budget) { return size } }
            return nil
        case let .function(function):
            if let ret = function.returnType, let size = packSize(ret, &budget) { return size }
            for parameter in function.parameters { if let size = packSize(parameter, &budget) { return size } }
            return nil
        case let .nested(scope, name):
            return packSize(scope, &budget) ?? packSize(name, &budget)
        default:
            return nil
        }
    }

    mutating func printExpansion(_ pattern: INode) throws {
        var budget = 256
        guard let size = packSize(pattern, &budget) else {
            try print(pattern)
            try emit("...")
            return
        }
        let saved = packIndex
        defer { packIndex = saved }
        for index in 0..<size {
            if index > 0 { try emit(", ") }
            packIndex = index
            try print(pattern)
        }
    }
}
