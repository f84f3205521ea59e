// Win32 resources as the linker handles them: a flat list of (type, name, language) → bytes, read
// from compiled .res files (ResourceFile) or from the resource sections of COFF objects
// (ResourceObject), and written as the COFF object cvtres makes (ResourceObject.write).
// pe-format.md: "The .rsrc Section".

/// A resource's type or name: a 16-bit ID, or a UTF-16 name.
///
/// `Comparable` is the order of entries in a resource directory table as llvm-cvtres writes it:
/// names first, ordered by Unicode code point (which is the order of their UTF-8 bytes: llvm-cvtres
/// keys its tree by the UTF-8 conversion), then IDs ascending. Names are compared as stored, case
/// sensitively; rc.exe, llvm-rc and windres upper-case names already.
public enum ResourceName: Hashable, Sendable, Comparable, CustomStringConvertible {
    case id(UInt16)
    case name([UInt16])

    /// A name given as a Swift string (stored as its UTF-16 code units).
    public init(string: String) { self = .name(Array(string.utf16)) }

    public var isName: Bool { if case .name = self { return true } else { return false } }

    /// The ID in decimal, or the name (ill-formed UTF-16 shown as U+FFFD).
    public var description: String {
        switch self {
        case .id(let id): return String(id)
        case .name(let units): return String(decoding: units, as: UTF16.self)
        }
    }

    public static func < (a: ResourceName, b: ResourceName) -> Bool {
        switch (a, b) {
        case (.name(let x), .name(let y)): return codePointLess(x, y)
        case (.name, .id): return true
        case (.id, .name): return false
        case (.id(let x), .id(let y)): return x < y
        }
    }

    /// Lexicographic order of the code points of two UTF-16 strings (a lone surrogate counts as
    /// its own value). For well-formed strings this is the order of their UTF-8 encodings.
    static func codePointLess(_ a: [UInt16], _ b: [UInt16]) -> Bool {
        var i = 0, j = 0
        while i < a.count && j < b.count {
            let (x, nextI) = codePoint(a, at: i)
            let (y, nextJ) = codePoint(b, at: j)
            if x != y { return x < y }
            i = nextI
            j = nextJ
        }
        return i == a.count && j < b.count
    }

    private static func codePoint(_ units: [UInt16], at index: Int) -> (UInt32, Int) {
        let unit = units[index]
        if unit >= 0xD800 && unit < 0xDC00 && index + 1 < units.count {
            let low = units[index + 1]
            if low >= 0xDC00 && low < 0xE000 {
                return (0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00), index + 2)
            }
        }
        return (UInt32(unit), index + 1)
    }

    /// For diagnostics at the type level: "RT_VERSION (16)", "77" or "\"MYTYPE\"".
    public var typeText: String {
        switch self {
        case .id(let id):
            if let name = ResourceName.predefinedTypeNames[id] { return "\(name) (\(id))" }
            return String(id)
        case .name: return "\"\(description)\""
        }
    }

    /// For diagnostics at the name level: "1" or "\"MYDATA\"".
    public var nameText: String {
        switch self {
        case .id(let id): return String(id)
        case .name: return "\"\(description)\""
        }
    }

    /// The RT_* types of winuser.h.
    static let predefinedTypeNames: [UInt16: String] = [
        1: "RT_CURSOR", 2: "RT_BITMAP", 3: "RT_ICON", 4: "RT_MENU", 5: "RT_DIALOG", 6: "RT_STRING",
        7: "RT_FONTDIR", 8: "RT_FONT", 9: "RT_ACCELERATOR", 10: "RT_RCDATA", 11: "RT_MESSAGETABLE",
        12: "RT_GROUP_CURSOR", 14: "RT_GROUP_ICON", 16: "RT_VERSION", 17: "RT_DLGINCLUDE", 19: "RT_PLUGPLAY",
        20: "RT_VXD", 21: "RT_ANICURSOR", 22: "RT_ANIICON", 23: "RT_HTML", 24: "RT_MANIFEST",
    ]
}

/// One resource: a leaf of the type/name/language tree and its bytes.
public struct ResourceEntry: Sendable, Equatable {
    public var type: ResourceName
    public var name: ResourceName
    public var language: UInt16
    public var data: [UInt8]
    /// The data entry's CodePage (0 from .res files, as cvtres writes).
    public var codePage: UInt32
    /// Where it came from, for diagnostics: "a.res" or "b.obj".
    public var source: String

    public init(type: ResourceName, name: ResourceName, language: UInt16, data: [UInt8], codePage: UInt32 = 0, source: String) {
        self.type = type
        self.name = name
        self.language = language
        self.data = data
        self.codePage = codePage
        self.source = source
    }

    /// "type RT_VERSION (16)/name 1/language 1033".
    public var identityText: String { "type \(type.typeText)/name \(name.nameText)/language \(language)" }
}

/// Two resources with the same type, name and language.
public struct ResourceDuplicate: Sendable, Equatable, CustomStringConvertible {
    public var type: ResourceName
    public var name: ResourceName
    public var language: UInt16
    /// The source of the entry that is kept (the first), and of the one that collides with it.
    public var firstSource: String
    public var secondSource: String

    public init(type: ResourceName, name: ResourceName, language: UInt16, firstSource: String, secondSource: String) {
        self.type = type
        self.name = name
        self.language = language
        self.firstSource = firstSource
        self.secondSource = secondSource
    }

    public var description: String {
        "duplicate resource: type \(type.typeText)/name \(name.nameText)/language \(language) in \(firstSource) and \(secondSource)"
    }
}

/// Thrown by `ResourceObject.write` when resources collide and duplicates are not allowed: every
/// collision, one per line.
public struct ResourceDuplicateError: Error, Sendable, Equatable, CustomStringConvertible {
    public var duplicates: [ResourceDuplicate]
    public init(duplicates: [ResourceDuplicate]) { self.duplicates = duplicates }
    public var description: String { duplicates.map(\.description).joined(separator: "\n") }
}
