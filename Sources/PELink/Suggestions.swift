import Foundation
import PEFormat

/// "Did you mean" for a name no input defines: the defined symbols that differ from it only in
/// what a compiler adds around a name, so that the likely mistakes are found:
/// - x86 decoration: `f` against `_f`, `_f@8` (stdcall), `@f@8` (fastcall), `f@@8` (vectorcall);
/// - C against C++: a C declaration of a function compiled as C++ (`f` against `?f@@YAHH@Z` or
///   `_Z1fi`), and a missing `extern "C"` the other way round;
/// - an import's `__imp_` prefix, and letter case.
enum NameSuggestions {
    /// The identifier a decorated or mangled name is built around, lowercased: the key under
    /// which names that may mean the same thing meet.
    static func key(_ name: String) -> String {
        var body = Substring(name)
        if body.hasPrefix("__imp_") { body = body.dropFirst(6) }
        if body.hasPrefix("?") {
            // Microsoft C++: `?name@scope@@...`; operators and special names (`??_7`) have no plain key.
            let identifier = body.dropFirst().prefix { $0 != "@" }
            return identifier.isEmpty || identifier.hasPrefix("?") ? String(body).lowercased() : identifier.lowercased()
        }
        if body.hasPrefix("__Z") { body = body.dropFirst() }
        if body.hasPrefix("_Z"), let identifier = itaniumIdentifier(body.dropFirst(2)) { return identifier.lowercased() }
        if body.hasPrefix("_") || body.hasPrefix("@") { body = body.dropFirst() }
        // stdcall/fastcall/vectorcall suffixes: `@8`, `@@8`.
        if let at = body.lastIndex(of: "@"), at != body.startIndex, body[body.index(after: at)...].allSatisfy(\.isNumber),
           body.index(after: at) != body.endIndex {
            body = body[..<at]
            if body.hasSuffix("@") { body = body.dropLast() }
        }
        return body.lowercased()
    }

    /// The last name of an Itanium-mangled function's (possibly nested) name: `N3foo3barE` → bar, `3bar` → bar.
    private static func itaniumIdentifier(_ mangled: Substring) -> String? {
        var rest = mangled
        let nested = rest.hasPrefix("N")
        if nested { rest = rest.dropFirst(); while let c = rest.first, "KVrR".contains(c) { rest = rest.dropFirst() } }
        var last: String?
        while let c = rest.first, c.isNumber {
            let digits = rest.prefix { $0.isNumber }
            guard let length = Int(digits), length > 0 else { return last }
            rest = rest.dropFirst(digits.count)
            guard rest.count >= length else { return last }
            last = String(rest.prefix(length))
            rest = rest.dropFirst(length)
            if !nested { break }
        }
        return last
    }
}

extension SymbolResolver {
    /// Defined (or importable, or offered by a library) symbols that `name` may have meant, at
    /// most five, in name order; never `name` itself.
    func suggestions(for name: String) -> [String] {
        let wanted = NameSuggestions.key(name)
        guard !wanted.isEmpty else { return [] }
        if suggestionIndex == nil {
            // Every name's key, once: asking for many names costs one pass over the symbols.
            var index: [String: [String]] = [:]
            let names = self.names
            for (g, symbol) in symbols.enumerated() where symbol.kind != .undefined {
                let candidate = names[g]
                // Names the linker makes for itself start with \u{1}.
                guard candidate.count > 0, candidate.bytes.first != 1 else { continue }
                let text = candidate.string
                index[NameSuggestions.key(text), default: []].append(text)
            }
            suggestionIndex = index
        }
        return Array(Set(suggestionIndex?[wanted] ?? []).subtracting([name]).sorted().prefix(5))
    }
}

extension NameSuggestions {
    /// Why `candidate` may be what `undefined` meant, in words a user can act on.
    static func hint(undefined: String, candidate: String) -> String {
        func isCPlusPlus(_ name: String) -> Bool {
            let body = name.hasPrefix("__imp_") ? String(name.dropFirst(6)) : name
            return body.hasPrefix("?") || body.hasPrefix("_Z") || body.hasPrefix("__Z")
        }
        switch (isCPlusPlus(undefined), isCPlusPlus(candidate)) {
        case (false, true):
            return "a C++ function: the code that uses it declares it as C; declare it extern \"C\" where it is defined, or use its C++ declaration"
        case (true, false):
            return "a C function: the C++ code that uses it lacks extern \"C\" around its declaration"
        case (true, true):
            return "the same name with other parameter types, qualifiers or scope: check the declaration against the definition"
        case (false, false):
            if undefined.hasPrefix("__imp_") != candidate.hasPrefix("__imp_") {
                return undefined.hasPrefix("__imp_")
                    ? "declared __declspec(dllimport) where it is used, but defined in the link (not imported from a DLL)"
                    : "only imported from a DLL (its import library's __imp_ symbol); link that DLL's import library or define it"
            }
            if undefined.lowercased() == candidate.lowercased() { return "names are case-sensitive" }
            return "another calling convention or parameter size (x86 decoration: _f is __cdecl, _f@8 __stdcall with 8 bytes of parameters, @f@8 __fastcall)"
        }
    }
}

extension SymbolResolver {
    /// Where a suggested symbol comes from: an object, a library member, or a DLL.
    func origin(ofSymbolNamed name: String) -> String {
        guard let g = find(name) else { return "" }
        let symbol = symbols[Int(g)]
        switch symbol.kind {
        case .defined, .common, .absolute:
            return symbol.file >= 0 && Int(symbol.file) < objects.count ? objects[Int(symbol.file)].displayName : ""
        case .lazy:
            let archive = archives[Int(symbol.file)]
            return "\(archive.path)(\(memberFileName(archive.archive.memberName(Int(symbol.member)))))"
        case .importAddress, .importThunk:
            return "\(imports[Int(symbol.file)].dllName), through \(imports[Int(symbol.file)].sourcePath)"
        default:
            return ""
        }
    }

    /// Libraries in the /libpath: (and LIB) folders that were not part of the link but define
    /// some of `wanted`: name → library path. Read only when a link fails on undefined symbols.
    func librariesOutsideTheLink(defining wanted: Set<String>) -> [String: String] {
        guard !wanted.isEmpty else { return [:] }
        let linked = Set(archives.compactMap { FileIdentity(path: $0.path) })
        var found: [String: String] = [:]
        var examined = 0
        for folder in options.libraryPaths {
            let entries = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
            for entry in entries where entry.lowercased().hasSuffix(".lib") || entry.lowercased().hasSuffix(".a") {
                // A folder of thousands of libraries is not read whole for a hint.
                examined += 1
                if examined > 2000 { return found }
                let path = (folder as NSString).appendingPathComponent(entry)
                guard let identity = FileIdentity(path: path), !linked.contains(identity),
                      let file = try? MappedFile(path: path), Archive.isArchive(file.view),
                      let archive = try? Archive(view: file.view) else { continue }
                for symbol in archive.symbolTable {
                    let name = String(decoding: archive.symbolNameBytes(symbol), as: UTF8.self)
                    if wanted.contains(name) && found[name] == nil { found[name] = path }
                }
            }
        }
        return found
    }
}
