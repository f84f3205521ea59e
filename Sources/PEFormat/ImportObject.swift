// Short import objects (pe-format.md, "Import Library Format"): a 20-byte IMPORT_OBJECT_HEADER
// followed by the NUL-terminated symbol name, the NUL-terminated DLL name and, for the EXPORTAS
// name type, a third NUL-terminated string naming the export.

public struct ImportObject: Sendable, Equatable {
    public static let headerSize = 20

    public var machine: Machine
    public var type: ImportType
    public var nameType: ImportNameType
    /// The ordinal when `nameType == .ordinal`, else a hint into the DLL's export name table.
    public var ordinalOrHint: UInt16
    /// The public symbol this object defines (the linker also defines `__imp_` + it).
    public var symbolName: String
    public var dllName: String
    /// The name the DLL exports, when `nameType == .exportAs`.
    public var exportAsName: String?
    /// Version field of the header; 0 in everything current tools write.
    public var version: UInt16 = 0

    public init(machine: Machine, type: ImportType, nameType: ImportNameType, ordinalOrHint: UInt16,
                symbolName: String, dllName: String, exportAsName: String? = nil) {
        self.machine = machine
        self.type = type
        self.nameType = nameType
        self.ordinalOrHint = ordinalOrHint
        self.symbolName = symbolName
        self.dllName = dllName
        self.exportAsName = exportAsName
    }

    /// True when the data starts with the Sig1 = 0, Sig2 = 0xFFFF pair that marks an import object.
    /// (Anonymous/bigobj COFF headers share the signature but have Version >= 1 with a class id;
    /// short import objects are told apart by Version 0.)
    public static func isImportObject(_ view: ByteView) -> Bool {
        guard view.count >= headerSize else { return false }
        return view.u16(0) == 0 && view.u16(2) == 0xFFFF && view.u16(4) == 0
    }

    public init(view: ByteView) throws {
        try view.check(0, ImportObject.headerSize, "import object header")
        guard view.u16(0) == 0, view.u16(2) == 0xFFFF else {
            throw view.error(at: 0, "not an import object: signature is 0x\(String(view.u16(0), radix: 16))/0x\(String(view.u16(2), radix: 16)), expected 0x0/0xffff")
        }
        version = view.u16(4)
        if version != 0 {
            throw view.error(at: 4, "import object version \(version) is not supported (expected 0)")
        }
        let machineValue = view.u16(6)
        guard let machine = Machine(rawValue: machineValue), machine != .unknown else {
            throw view.error(at: 6, "import object has unsupported machine 0x\(String(machineValue, radix: 16))")
        }
        self.machine = machine
        let dataSize = Int(view.u32(12))
        try view.check(ImportObject.headerSize, dataSize, "import object strings (SizeOfData \(dataSize))")
        ordinalOrHint = view.u16(16)
        let typeBits = view.u16(18)
        guard let type = ImportType(rawValue: UInt8(typeBits & 0x3)) else {
            throw view.error(at: 18, "import object has unknown import type \(typeBits & 0x3)")
        }
        guard let nameType = ImportNameType(rawValue: UInt8((typeBits >> 2) & 0x7)) else {
            throw view.error(at: 18, "import object has unknown name type \((typeBits >> 2) & 0x7)")
        }
        self.type = type
        self.nameType = nameType

        // The strings must lie inside SizeOfData, not merely inside the member.
        let strings = try view.slice(ImportObject.headerSize, dataSize, "import object strings")
        let symbolLength = try ImportObject.stringLength(strings, at: 0, what: "import object symbol name")
        symbolName = strings.string(0, symbolLength)
        let dllStart = symbolLength + 1
        let dllLength = try ImportObject.stringLength(strings, at: dllStart, what: "import object DLL name")
        dllName = strings.string(dllStart, dllLength)
        if nameType == .exportAs {
            let exportStart = dllStart + dllLength + 1
            let exportLength = try ImportObject.stringLength(strings, at: exportStart, what: "import object EXPORTAS name")
            exportAsName = strings.string(exportStart, exportLength)
        }
        if symbolName.isEmpty {
            throw view.error(at: ImportObject.headerSize, "import object has an empty symbol name")
        }
    }

    private static func stringLength(_ strings: ByteView, at start: Int, what: String) throws -> Int {
        guard start < strings.count, let length = strings.cStringLength(at: start) else {
            throw strings.error(at: min(start, strings.count), "\(what) is missing or not NUL-terminated within SizeOfData")
        }
        return length
    }

    /// The name the DLL exports, derived from `symbolName` per `nameType`; nil for ordinal imports.
    public var importName: String? {
        switch nameType {
        case .ordinal:
            return nil
        case .name:
            return symbolName
        case .noPrefix:
            return ImportObject.withoutPrefix(symbolName)
        case .undecorate:
            let stripped = ImportObject.withoutPrefix(symbolName)
            if let at = stripped.firstIndex(of: "@") { return String(stripped[..<at]) }
            return stripped
        case .exportAs:
            return exportAsName
        }
    }

    /// Drops one leading '?', '@' or '_' (the spec's "optionally _" is taken on every machine, as
    /// lld-link and link.exe do; only x86 libraries use these name types).
    private static func withoutPrefix(_ name: String) -> String {
        guard let first = name.first else { return name }
        if first == "?" || first == "@" || first == "_" {
            return String(name.dropFirst())
        }
        return name
    }

    /// The public symbols a linker member lists for this object, in the order lld-link lists
    /// them: `__imp_X` always, then `X` unless the import is DATA (CONSTANT imports keep `X`).
    public var definedSymbols: [String] {
        type == .data ? ["__imp_" + symbolName] : ["__imp_" + symbolName, symbolName]
    }

    public func write() -> [UInt8] {
        var out = ByteWriter()
        write(into: &out)
        return out.bytes
    }

    /// Appends the object's bytes to `out`.
    public func write(into out: inout ByteWriter) {
        let stringsSize = symbolName.utf8.count + 1 + dllName.utf8.count + 1
            + (nameType == .exportAs ? (exportAsName ?? "").utf8.count + 1 : 0)
        out.u16(0)
        out.u16(0xFFFF)
        out.u16(version)
        out.u16(machine.rawValue)
        out.u32(0)  // TimeDateStamp: 0 keeps libraries reproducible.
        out.u32(UInt32(stringsSize))
        out.u16(ordinalOrHint)
        out.u16(UInt16(type.rawValue) | UInt16(nameType.rawValue) << 2)
        out.cString(symbolName)
        out.cString(dllName)
        if nameType == .exportAs { out.cString(exportAsName ?? "") }
    }
}
