// Side-by-side assembly manifests: the XML that the Windows loader reads from an image's
// RT_MANIFEST resource or from a NAME.manifest file beside it. Enough XML for manifests: elements,
// attributes, text, comments and the XML declaration; no DTDs.

/// An attribute as written, its value kept escaped as in the source.
public struct ManifestAttribute: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// An element of a manifest. Manifests do not mix text and elements, so an element has either
/// children or text (kept escaped, trimmed).
public struct ManifestElement: Sendable, Equatable {
    public var name: String
    public var attributes: [ManifestAttribute]
    public var children: [ManifestElement]
    public var text: String

    public init(_ name: String, _ attributes: [ManifestAttribute] = [], children: [ManifestElement] = [], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    public func attribute(_ name: String) -> String? { attributes.first { $0.name == name }?.value }

    /// The XML text of a whole manifest: the declaration and this element as its root.
    public func document() -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        write(into: &out, indent: "")
        return out
    }

    func write(into out: inout String, indent: String) {
        out += indent + "<" + name
        for attribute in attributes { out += " \(attribute.name)=\"\(attribute.value)\"" }
        if children.isEmpty && text.isEmpty {
            out += "/>\n"
        } else if children.isEmpty {
            out += ">" + text + "</" + name + ">\n"
        } else {
            out += ">\n"
            for child in children { child.write(into: &out, indent: indent + "  ") }
            out += indent + "</" + name + ">\n"
        }
    }

    /// One line, for comparing elements and for messages.
    var compactText: String {
        var out = ""
        write(into: &out, indent: "")
        return out.split(separator: "\n").map { $0.trimmingPrefix(while: { $0 == " " }) }.joined()
    }
}

/// A manifest that cannot be read or merged: the file, the line, and what is wrong.
public struct ManifestError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String
    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(message)" }
    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }
}

public enum Manifest {
    /// Parses a manifest's text (UTF-8, with or without a byte-order mark).
    public static func parse(_ bytes: [UInt8], file: String) throws -> ManifestElement {
        var parser = ManifestParser(bytes: bytes, file: file)
        return try parser.document()
    }

    /// Parses `type='win32' name='X' …`, the value of /manifestdependency and /manifestuac.
    /// A value may also stand unquoted up to the next space (`type=win32`), as link.exe takes it.
    public static func parseAttributes(_ text: String, file: String) throws -> [ManifestAttribute] {
        var parser = ManifestParser(bytes: Array(text.utf8), file: file)
        parser.allowsUnquotedValues = true
        let attributes = try parser.attributes()
        parser.skipSpace()
        guard parser.atEnd else { throw parser.error("expected name='value' pairs, found '\(parser.rest)'") }
        return attributes
    }

    /// Elements that a manifest may hold several of, told apart by their whole content: two
    /// inputs that name the same dependency give one, different ones are both kept.
    static let repeatable: Set<String> = [
        "dependency", "file", "supportedOS", "maxversiontested", "comClass", "typelib", "windowClass",
        "comInterfaceExternalProxyStub", "clrClass", "clrSurrogate", "assemblyIdentity",
    ]

    /// Merges `other` into `base`, as mt.exe combines manifests: elements with the same name (and
    /// namespace) are one element whose attributes and children are merged; a repeatable element
    /// is added unless the same one is there. The same attribute with two values is an error that
    /// names where each came from.
    public static func merge(_ other: ManifestElement, into base: inout ManifestElement, otherSource: String, baseSource: String) throws {
        guard other.name == base.name else {
            throw ManifestError(file: otherSource, message: "its root element is <\(other.name)>, where \(baseSource) has <\(base.name)>; a manifest's root is <assembly>")
        }
        for attribute in other.attributes {
            if let existing = base.attribute(attribute.name) {
                if existing != attribute.value {
                    throw ManifestError(file: otherSource, message: "<\(base.name)> has \(attribute.name)=\"\(attribute.value)\", but \(baseSource) has \(attribute.name)=\"\(existing)\"; make them agree")
                }
            } else {
                base.attributes.append(attribute)
            }
        }
        if !other.text.isEmpty {
            if base.text.isEmpty { base.text = other.text } else if base.text != other.text {
                throw ManifestError(file: otherSource, message: "<\(base.name)> holds \"\(other.text)\", but \(baseSource) has \"\(base.text)\"; make them agree")
            }
        }
        for child in other.children {
            if let match = base.children.firstIndex(where: { sameElement($0, child) }) {
                try merge(child, into: &base.children[match], otherSource: otherSource, baseSource: baseSource)
            } else {
                base.children.append(child)
            }
        }
    }

    static func sameElement(_ a: ManifestElement, _ b: ManifestElement) -> Bool {
        guard a.name == b.name, a.attribute("xmlns") == b.attribute("xmlns") else { return false }
        return repeatable.contains(a.name) ? a.compactText == b.compactText : true
    }
}

struct ManifestParser {
    let bytes: [UInt8]
    let file: String
    var at = 0
    var allowsUnquotedValues = false

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { at = 3 }
    }

    var atEnd: Bool { at >= bytes.count }
    var rest: String { String(decoding: bytes[at...].prefix(40), as: UTF8.self) }

    func error(_ message: String) -> ManifestError {
        let line = bytes[..<min(at, bytes.count)].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        return ManifestError(file: file, line: line, message: message)
    }

    func startsWith(_ text: String) -> Bool {
        let utf8 = Array(text.utf8)
        return at + utf8.count <= bytes.count && Array(bytes[at..<at + utf8.count]) == utf8
    }

    mutating func skipSpace() {
        while at < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[at]) { at += 1 }
    }

    /// Skips `<?…?>` and `<!--…-->` between elements.
    mutating func skipMisc() throws {
        while true {
            skipSpace()
            if startsWith("<?") {
                try skip(past: "?>", what: "processing instruction")
            } else if startsWith("<!--") {
                try skip(past: "-->", what: "comment")
            } else if startsWith("<!") {
                throw error("document type declarations are not allowed in a manifest")
            } else {
                return
            }
        }
    }

    mutating func skip(past end: String, what: String) throws {
        let start = at
        while !atEnd && !startsWith(end) { at += 1 }
        guard !atEnd else {
            at = start
            throw error("unterminated \(what)")
        }
        at += end.utf8.count
    }

    mutating func document() throws -> ManifestElement {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw error("the manifest is UTF-16; save it as UTF-8")
        }
        try skipMisc()
        guard startsWith("<") else { throw error(atEnd ? "the manifest is empty" : "expected the root element, found '\(rest)'") }
        let root = try element(depth: 0)
        try skipMisc()
        guard atEnd else { throw error("text after the root element: '\(rest)'") }
        return root
    }

    mutating func name() throws -> String {
        let start = at
        while at < bytes.count {
            let c = bytes[at]
            let isNameByte = (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39)
                || c == 0x5F || c == 0x3A || c == 0x2D || c == 0x2E || c >= 0x80
            guard isNameByte else { break }
            at += 1
        }
        guard at > start else { throw error(atEnd ? "unexpected end of the manifest" : "expected a name, found '\(rest)'") }
        return String(decoding: bytes[start..<at], as: UTF8.self)
    }

    mutating func attributes() throws -> [ManifestAttribute] {
        var result: [ManifestAttribute] = []
        while true {
            skipSpace()
            guard !atEnd, bytes[at] != 0x2F, bytes[at] != 0x3E else { return result }   // '/' '>'
            let attributeName = try name()
            skipSpace()
            guard !atEnd, bytes[at] == 0x3D else { throw error("attribute \(attributeName) has no value (expected =\"…\")") }
            at += 1
            skipSpace()
            if allowsUnquotedValues, !atEnd, bytes[at] != 0x22 && bytes[at] != 0x27 {
                let start = at
                while at < bytes.count && ![0x20, 0x09, 0x0A, 0x0D, 0x3C, 0x3E, 0x26].contains(bytes[at]) { at += 1 }
                guard at > start else { throw error("attribute \(attributeName) has an empty value") }
                result.append(ManifestAttribute(name: attributeName, value: String(decoding: bytes[start..<at], as: UTF8.self)))
                continue
            }
            guard !atEnd, bytes[at] == 0x22 || bytes[at] == 0x27 else { throw error("the value of \(attributeName) is not quoted") }
            let quote = bytes[at]
            at += 1
            let start = at
            while at < bytes.count && bytes[at] != quote { at += 1 }
            guard !atEnd else {
                at = start
                throw error("the value of \(attributeName) is not terminated")
            }
            var value = String(decoding: bytes[start..<at], as: UTF8.self)
            if quote == 0x27 { value = String(value.flatMap { $0 == "\"" ? Array("&quot;") : [$0] }) }
            at += 1
            if result.contains(where: { $0.name == attributeName }) { throw error("attribute \(attributeName) is given twice") }
            result.append(ManifestAttribute(name: attributeName, value: value))
        }
    }

    mutating func element(depth: Int) throws -> ManifestElement {
        guard depth < 64 else { throw error("elements nested more than 64 deep") }
        at += 1   // '<'
        var element = ManifestElement(try name(), try attributes())
        if startsWith("/>") {
            at += 2
            return element
        }
        guard startsWith(">") else { throw error("expected > to end <\(element.name)>, found '\(rest)'") }
        at += 1
        var text = ""
        while true {
            if atEnd { throw error("<\(element.name)> is not closed") }
            if startsWith("</") {
                at += 2
                let closing = try name()
                guard closing == element.name else { throw error("</\(closing)> closes <\(element.name)>") }
                skipSpace()
                guard startsWith(">") else { throw error("expected > after </\(closing)") }
                at += 1
                break
            } else if startsWith("<!--") {
                try skip(past: "-->", what: "comment")
            } else if startsWith("<![CDATA[") {
                let start = at
                try skip(past: "]]>", what: "CDATA section")
                text += String(decoding: bytes[start..<at], as: UTF8.self)
            } else if startsWith("<?") {
                try skip(past: "?>", what: "processing instruction")
            } else if startsWith("<") {
                element.children.append(try self.element(depth: depth + 1))
            } else {
                let start = at
                while at < bytes.count && bytes[at] != 0x3C { at += 1 }
                text += String(decoding: bytes[start..<at], as: UTF8.self)
            }
        }
        let trimmed = text.trimmingCharacters(in: [" ", "\t", "\n", "\r", "\r\n"])
        if !trimmed.isEmpty && !element.children.isEmpty {
            throw error("<\(element.name)> mixes text and elements, which a manifest does not")
        }
        element.text = trimmed
        return element
    }
}

private extension String {
    func trimmingCharacters(in set: Set<Character>) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
