// What an input file is, judged from its first bytes, so that the linker can take the files it
// links and name precisely the ones it cannot: a user who passes an LTO object, an ELF file or a
// DLL by mistake needs to hear what the file is, not that a COFF header looks corrupt.

public enum FileKind: Sendable, Equatable {
    case coffObject
    /// An ANON_OBJECT_HEADER_BIGOBJ object (/bigobj, -mbig-obj).
    case bigObject
    /// A short import object (IMPORT_OBJECT_HEADER, version 0).
    case importObject
    case archive
    case thinArchive
    /// A linked PE image: a DLL or an EXE.
    case peImage
    case llvmBitcode
    /// An anonymous object whose class ID is MSVC's link-time code generation (cl /GL) format.
    case msvcLTCGObject
    /// Any other anonymous object (Sig1 = 0, Sig2 = 0xFFFF, version >= 1) pelink does not know.
    case anonymousObject(version: UInt16, classID: [UInt8])
    case elf
    case machO
    /// A Mach-O universal binary (0xCAFEBABE, which Java class files share).
    case machOUniversal
    case webAssembly
    /// A compiled resource file (.res), as rc.exe and llvm-rc write it.
    case resource
    /// A program database (.pdb).
    case pdb
    /// Printable text, e.g. a source or .def file given where an object was expected.
    case text(firstLine: String)
    /// The first bytes of "!<arch>\n" and nothing more.
    case truncatedArchiveSignature(length: Int)
    case empty
    case unknown(firstBytes: [UInt8])

    static let ltcgClassID: [UInt8] = [0x38, 0xFE, 0xB3, 0x0C, 0xA5, 0xD9, 0xAB, 0x4D,
                                       0xAC, 0x9B, 0xD6, 0xB6, 0x22, 0x26, 0x53, 0xC2]

    public static func identify(_ view: ByteView) -> FileKind {
        let startsWith = view.hasPrefix
        if view.count == 0 { return .empty }
        if startsWith(Archive.signature) { return .archive }
        if startsWith(Archive.thinSignature) { return .thinArchive }
        if startsWith([0x42, 0x43, 0xC0, 0xDE]) || startsWith([0xDE, 0xC0, 0x17, 0x0B]) { return .llvmBitcode }
        if startsWith([0x7F, 0x45, 0x4C, 0x46]) { return .elf }
        if startsWith([0xFE, 0xED, 0xFA, 0xCE]) || startsWith([0xFE, 0xED, 0xFA, 0xCF])
            || startsWith([0xCE, 0xFA, 0xED, 0xFE]) || startsWith([0xCF, 0xFA, 0xED, 0xFE]) { return .machO }
        if startsWith([0xCA, 0xFE, 0xBA, 0xBE]) { return .machOUniversal }
        if startsWith([0x00, 0x61, 0x73, 0x6D]) { return .webAssembly }
        if startsWith(Array("Microsoft C/C++ MSF 7.00".utf8)) || startsWith(Array("Microsoft C/C++ program database".utf8)) { return .pdb }
        if startsWith([0, 0, 0, 0, 0x20, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0xFF, 0xFF, 0, 0]) { return .resource }
        if startsWith([0x4D, 0x5A]) && PEImage.isImage(view) { return .peImage }
        if view.count >= 6 && view.u16(0) == 0 && view.u16(2) == 0xFFFF {
            // Anonymous and import objects share Sig1/Sig2; the version tells them apart, and for
            // anonymous objects the class ID says which format follows.
            if view.u16(4) == 0 { return .importObject }
            guard view.count >= 28 else { return .anonymousObject(version: view.u16(4), classID: []) }
            let classID = (0..<16).map { view.u8(12 + $0) }
            if classID == COFFObject.bigObjClassID { return .bigObject }
            if classID == ltcgClassID { return .msvcLTCGObject }
            return .anonymousObject(version: view.u16(4), classID: classID)
        }
        if view.count >= 2, let machine = Machine(rawValue: view.u16(0)), machine != .unknown { return .coffObject }
        // An object with no machine (IMAGE_FILE_MACHINE_UNKNOWN) holds only data; it must still
        // have a section count, or it is something else.
        if view.count >= 20 && view.u16(0) == 0 && view.u16(2) > 0 && view.u16(16) == 0 { return .coffObject }
        if view.count >= 2 && view.count < Archive.signature.count && startsWith(Array(Archive.signature.prefix(view.count))) {
            return .truncatedArchiveSignature(length: view.count)
        }
        if let line = printableFirstLine(view) { return .text(firstLine: line) }
        return .unknown(firstBytes: (0..<min(view.count, 8)).map { view.u8($0) })
    }

    /// The first line when the first bytes are all printable text (UTF-8 or ASCII), else nil.
    private static func printableFirstLine(_ view: ByteView) -> String? {
        let limit = min(view.count, 512)
        guard limit > 0 else { return nil }
        var bytes: [UInt8] = []
        for i in 0..<limit {
            let byte = view.u8(i)
            if byte == 0x0A || byte == 0x0D { break }
            if byte < 0x20 && byte != 0x09 { return nil }
            if byte == 0x7F { return nil }
            bytes.append(byte)
        }
        let line = String(decoding: bytes.prefix(80), as: UTF8.self)
        return line.contains("\u{FFFD}") ? nil : line
    }

    /// Why the linker cannot take a file of this kind, and what to do instead; nil for the kinds
    /// it links (objects, archives, import objects).
    public var rejection: String? {
        switch self {
        case .coffObject, .bigObject, .importObject, .archive:
            return nil
        case .thinArchive:
            return "is a thin archive (its members live in separate files), which pelink does not read; rebuild the library without --thin"
        case .peImage:
            return "bad file type. Did you specify a DLL instead of an import library? This is a linked PE image (a DLL or EXE), not an object file; link against its import library (.lib) instead, which `pelink /lib /def:` can make from a .def"
        case .llvmBitcode:
            return "is LLVM bitcode (compiled with -flto), not a COFF object; pelink does not do link-time optimization: rebuild it without -flto"
        case .msvcLTCGObject:
            return "is an MSVC link-time code generation object (compiled with cl /GL), whose contents only link.exe can read; rebuild it without /GL"
        case .anonymousObject(let version, let classID):
            let id = classID.isEmpty ? "a truncated header" : "class ID " + classID.map { hexDigits($0, width: 2) }.joined()
            return "starts with the signature of short import objects and anonymous objects (0x0000 0xFFFF) but has version \(version): it is neither an import object (version 0) nor a /bigobj or /GL object, but an anonymous object with \(id), a format pelink does not know"
        case .truncatedArchiveSignature(let length):
            return "is a truncated library: its \(length) bytes are only the start of the 8-byte archive signature \"!<arch>\\n\""
        case .elf:
            return "is an ELF file (built for Linux or another Unix), not a COFF object; compile it for Windows, e.g. clang --target=x86_64-pc-windows-msvc"
        case .machO:
            return "is a Mach-O file (built for macOS or iOS), not a COFF object; compile it for Windows, e.g. clang --target=x86_64-pc-windows-msvc"
        case .machOUniversal:
            return "is a Mach-O universal binary (or a Java class file), not a COFF object"
        case .webAssembly:
            return "is a WebAssembly module, not a COFF object"
        case .resource:
            return "is a compiled resource file (.res), which only a link takes (not a librarian)"
        case .pdb:
            return "is a program database (.pdb), which a linker writes but never reads as an input"
        case .text(let firstLine):
            return "is a text file (it starts with \"\(firstLine)\"), not an object file; compile sources first, and pass a .def file as /def:file"
        case .empty:
            return "is empty (0 bytes); an object file or library was expected here"
        case .unknown(let firstBytes):
            return "is not a COFF object, a library or an import object: its first bytes (\(firstBytes.map { hexDigits($0, width: 2) }.joined(separator: " "))) are none of theirs"
        }
    }
}
