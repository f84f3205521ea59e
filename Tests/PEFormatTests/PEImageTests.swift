import Foundation
import Testing
@testable import PEFormat

// PEImage is checked two ways: against llvm-readobj on DLLs that clang and lld-link build at test
// time, and against small images assembled byte by byte here, which also serve as the base for the
// malformed-image cases (each must throw a FormatError, never trap or hang).

// MARK: - Oracle-built DLLs

@Suite struct PEImageOracleTests {
    /// A DLL with named, NONAME, DATA, forwarded and aliased exports, an ordinal gap, imports by name
    /// and by ordinal from kernel32, and a pointer in .data that needs a DIR64 base relocation.
    static let source = """
        __declspec(dllimport) unsigned long __stdcall GetTickCount(void);
        __declspec(dllimport) void __stdcall Sleep(unsigned long);
        __declspec(dllimport) void __stdcall ExitProcess(unsigned);
        int counter = 5;
        int *pointer = &counter;
        int add(int a, int b) { return a + b + *pointer; }
        int hidden(void) { return 42; }
        unsigned long ticks(void) { Sleep(1); return GetTickCount(); }
        void quit(void) { ExitProcess(3); }
        """
    static let definition = """
        LIBRARY sample.dll
        EXPORTS
          add
          hidden @7 NONAME
          ticks @3
          counter DATA
          fwd=kernel32.GetTickCount
          plus=add
        """
    static let kernel32Definition = """
        LIBRARY kernel32.dll
        EXPORTS
          GetTickCount
          Sleep
          ExitProcess @5 NONAME
        """

    /// Builds sample.dll and kernel32.lib in a fresh folder; nil when an oracle is missing (skip).
    static func buildSample() throws -> (folder: URL, dll: String, kernel32: String)? {
        guard let clang = OracleTools.require("clang"), let lld = OracleTools.require("lld-link") else { return nil }
        let folder = try OracleTools.temporaryFolder("peimage")
        let path = { (name: String) in folder.appendingPathComponent(name).path }
        try source.write(toFile: path("sample.c"), atomically: true, encoding: .utf8)
        try definition.write(toFile: path("sample.def"), atomically: true, encoding: .utf8)
        try kernel32Definition.write(toFile: path("k32.def"), atomically: true, encoding: .utf8)
        try OracleTools.run(clang, ["--target=x86_64-pc-windows-msvc", "-c", path("sample.c"), "-o", path("sample.obj")])
        try OracleTools.run(lld, ["/lib", "/def:" + path("k32.def"), "/out:" + path("kernel32.lib"), "/machine:x64"])
        // /release makes lld-link write the image checksum, which PEImage.computeChecksum must reproduce.
        try OracleTools.run(lld, ["/dll", "/noentry", "/nodefaultlib", "/release", "/def:" + path("sample.def"), "/out:" + path("sample.dll"),
                                  path("sample.obj"), path("kernel32.lib")])
        return (folder, path("sample.dll"), path("kernel32.lib"))
    }

    @Test func exportsImportsAndRelocationsAgreeWithReadobj() throws {
        guard let readobjTool = OracleTools.require("llvm-readobj"), let sample = try Self.buildSample() else { return }
        defer { try? FileManager.default.removeItem(at: sample.folder) }
        let image = try PEImage(view: try MappedFile(path: sample.dll).view)
        let readobj = ReadobjReport(try OracleTools.run(readobjTool, ["--coff-exports", "--coff-imports", "--coff-basereloc", sample.dll]))

        let exports = try #require(image.exports)
        #expect(exports.dllName == "sample.dll")
        #expect(exports.entries.map(\.ordinal) == readobj.exports.map(\.ordinal))
        for (entry, expected) in zip(exports.entries, readobj.exports) {
            #expect(entry.rva == expected.rva, "ordinal \(entry.ordinal)")
            // llvm-readobj names one name per slot, or none.
            if expected.name.isEmpty {
                #expect(entry.names.isEmpty, "ordinal \(entry.ordinal)")
            } else {
                #expect(entry.names.contains(expected.name), "ordinal \(entry.ordinal)")
            }
        }
        let hidden = try #require(exports.entries.first { $0.ordinal == 7 })
        #expect(hidden.names.isEmpty && hidden.rva != 0, "NONAME export keeps its address")
        let forwarded = try #require(exports.entries.first { $0.names == ["fwd"] })
        #expect(forwarded.forwarder == "kernel32.GetTickCount")
        #expect(exports.entries.first { $0.names == ["add"] }?.forwarder == nil)
        #expect(exports.entries.count(where: \.isUnused) == 3, "ordinals 4-6 are gaps")
        #expect(exports.namesAreSorted)

        #expect(image.imports.map(\.name) == readobj.imports.map(\.name))
        for (dll, expected) in zip(image.imports, readobj.imports) {
            #expect(dll.lookupTableRVA == expected.lookupTableRVA)
            #expect(dll.addressTableRVA == expected.addressTableRVA)
            let symbols = dll.entries.map { entry -> ReadobjReport.ImportedSymbol in
                switch entry.reference {
                case .name(let hint, let name): return .init(name: name, number: Int(hint))
                case .ordinal(let ordinal): return .init(name: "", number: Int(ordinal))
                }
            }
            #expect(symbols == expected.symbols)
            for (index, entry) in dll.entries.enumerated() {
                #expect(entry.iatRVA == dll.addressTableRVA + UInt32(8 * index))
            }
        }
        let kernel32 = try #require(image.imports.first)
        #expect(kernel32.entries.contains { $0.ordinal == 5 }, "ExitProcess is imported by ordinal 5")
        #expect(kernel32.entries.contains { $0.name == "GetTickCount" })

        let allRelocations = image.baseRelocationBlocks.flatMap(\.entries)
        #expect(allRelocations.map { ReadobjReport.Relocation(type: Self.readobjTypeName($0.type), address: $0.rva) } == readobj.relocations)
        #expect(image.baseRelocations.map(\.type) == [BaseRelocationType.dir64])
        #expect(image.baseRelocationPaddingCount == readobj.relocations.count(where: { $0.type == "ABSOLUTE" }))
        #expect(!image.exceptionEntries.isEmpty, "functions that call others get RUNTIME_FUNCTION entries")
        #expect(image.optionalHeader.checkSum != 0)
        #expect(image.computeChecksum() == image.optionalHeader.checkSum)
    }

    /// llvm-objdump (LLVM 21) prints forwarder strings, which llvm-readobj 14 does not.
    @Test func forwarderAgreesWithObjdump() throws {
        guard let objdump = OracleTools.require("llvm-objdump"), let sample = try Self.buildSample() else { return }
        defer { try? FileManager.default.removeItem(at: sample.folder) }
        let image = try PEImage(view: try MappedFile(path: sample.dll).view)
        let text = try OracleTools.run(objdump, ["-p", sample.dll])
        #expect(text.contains("fwd (forwarded to kernel32.GetTickCount)"))
        let forwarders = image.exports?.entries.compactMap(\.forwarder) ?? []
        #expect(forwarders == ["kernel32.GetTickCount"])
    }

    @Test func corruptedCopiesOfTheSampleNeverTrap() throws {
        guard let sample = try Self.buildSample() else { return }
        defer { try? FileManager.default.removeItem(at: sample.folder) }
        let bytes = try MappedFile(path: sample.dll).view.toArray()
        let parsed = PEImageReaderTests.corruptAndParse(bytes, seed: 0x1234_5678_9ABC_DEF1, hotRegion: bytes.count, rounds: 3000)
        #expect(parsed > 0)
    }

    /// A 32-bit DLL: PE32 optional header and HIGHLOW base relocations.
    @Test func pe32DLLAgreesWithReadobj() throws {
        guard let clang = OracleTools.require("clang"), let lld = OracleTools.require("lld-link"),
              let readobjTool = OracleTools.require("llvm-readobj") else { return }
        let folder = try OracleTools.temporaryFolder("peimage32")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = { (name: String) in folder.appendingPathComponent(name).path }
        try """
            int table[2] = {1, 2};
            int *first = &table[0], *second = &table[1];
            int sum(void) { return *first + *second; }
            """.write(toFile: path("x.c"), atomically: true, encoding: .utf8)
        try "LIBRARY x86.dll\nEXPORTS\n  sum\n  first DATA\n".write(toFile: path("x.def"), atomically: true, encoding: .utf8)
        try OracleTools.run(clang, ["--target=i686-pc-windows-msvc", "-c", path("x.c"), "-o", path("x.obj")])
        try OracleTools.run(lld, ["/dll", "/noentry", "/nodefaultlib", "/machine:x86", "/def:" + path("x.def"),
                                  "/out:" + path("x86.dll"), path("x.obj")])
        let image = try PEImage(view: try MappedFile(path: path("x86.dll")).view)
        #expect(!image.optionalHeader.isPE32Plus)
        #expect(image.optionalHeader.baseOfData != nil)
        #expect(image.machine == .i386)
        let readobj = ReadobjReport(try OracleTools.run(readobjTool, ["--coff-exports", "--coff-imports", "--coff-basereloc", path("x86.dll")]))
        #expect(image.exports?.entries.map(\.rva) == readobj.exports.map(\.rva))
        #expect(image.exports?.entries.map { $0.names.first ?? "" } == readobj.exports.map(\.name))
        let allRelocations = image.baseRelocationBlocks.flatMap(\.entries)
        #expect(allRelocations.map { ReadobjReport.Relocation(type: Self.readobjTypeName($0.type), address: $0.rva) } == readobj.relocations)
        #expect(image.baseRelocations.count >= 2, "the two pointers in .data, plus absolute addresses in code")
        #expect(image.baseRelocations.allSatisfy { $0.type == BaseRelocationType.highLow })
    }

    @Test func dumpsOfTheSampleAreStableAndReadable() throws {
        guard let sample = try Self.buildSample() else { return }
        defer { try? FileManager.default.removeItem(at: sample.folder) }
        let dump = try PEDump.dumpImage(path: sample.dll)
        #expect(dump == (try PEDump.dumpImage(path: sample.dll)))
        #expect(dump.contains("0x8664 (AMD64)"))
        #expect(dump.contains("(EXECUTABLE_IMAGE | LARGE_ADDRESS_AWARE | DLL)"))
        #expect(dump.contains(" fwd -> kernel32.GetTickCount"))
        #expect(dump.contains("        7  0x00001020  NONAME"))
        #expect(dump.contains("         #5"))
        #expect(dump.contains(": DIR64 0x"))
        #expect(dump.contains("Section contents (FNV-1a 64 of the raw data)"))
        #expect(!dump.contains(sample.folder.path), "no paths in golden dumps")

        let library = try PEDump.dumpLibrary(path: sample.kernel32)
        #expect(library == (try PEDump.dumpLibrary(path: sample.kernel32)))
        #expect(library.contains("import  x64 code name hint 0  GetTickCount  kernel32.dll"))
        #expect(library.contains("import  x64 code ordinal #5  ExitProcess  kernel32.dll"))
        #expect(library.contains("defined   __IMPORT_DESCRIPTOR_kernel32"))
        #expect(library.contains("__imp_Sleep"))
        #expect(library.contains("IMAGE_REL_AMD64_ADDR32NB  .idata$6"))
        #expect(try PEDump.dumpFile(path: sample.kernel32) == library)
        #expect(try PEDump.dumpFile(path: sample.dll) == dump)
    }

    /// TLS directory (with a callback), load configuration and a CodeView debug entry, against llvm-readobj.
    @Test func tlsLoadConfigAndDebugDirectoriesAgreeWithReadobj() throws {
        guard let clang = OracleTools.require("clang"), let lld = OracleTools.require("lld-link"),
              let readobjTool = OracleTools.require("llvm-readobj") else { return }
        let folder = try OracleTools.temporaryFolder("peimage-tls")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = { (name: String) in folder.appendingPathComponent(name).path }
        // No CRT: the object supplies _tls_used and _load_config_used itself, which is all lld-link needs.
        try """
            typedef unsigned long long u64;
            typedef struct { u64 start, end, index, callbacks; unsigned zeroFill, characteristics; } TLSDirectory;
            __declspec(allocate(".tls")) char _tls_start = 0;
            __declspec(allocate(".tls$ZZZ")) char _tls_end = 0;
            unsigned _tls_index = 0;
            void callback(void *module, unsigned long reason, void *reserved) {}
            typedef void (*Callback)(void *, unsigned long, void *);
            __declspec(allocate(".CRT$XLB")) const Callback callbacks[2] = {callback, 0};
            const TLSDirectory _tls_used = {(u64)&_tls_start, (u64)&_tls_end, (u64)&_tls_index, (u64)&callbacks, 0, 0};
            __declspec(thread) int counter = 7;
            int bump(void) { return ++counter; }
            typedef struct { unsigned size; unsigned rest[70]; } LoadConfig;
            const LoadConfig _load_config_used = {sizeof(LoadConfig)};
            """.write(toFile: path("tls.c"), atomically: true, encoding: .utf8)
        try OracleTools.run(clang, ["--target=x86_64-pc-windows-msvc", "-c", path("tls.c"), "-o", path("tls.obj")])
        try OracleTools.run(lld, ["/dll", "/noentry", "/nodefaultlib", "/debug", "/export:bump", "/out:" + path("tls.dll"), path("tls.obj")])
        let image = try PEImage(view: try MappedFile(path: path("tls.dll")).view)
        let text = try OracleTools.run(readobjTool, ["--coff-tls-directory", "--coff-debug-directory", "--coff-load-config", path("tls.dll")])
        /// The first "Key: 0x…" value llvm-readobj printed.
        func field(_ key: String) -> UInt64? {
            for line in text.split(separator: "\n") {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                guard trimmed.hasPrefix(key + ": "), let hexStart = trimmed.range(of: "0x") else { continue }
                return UInt64(trimmed[hexStart.upperBound...].prefix { $0.isHexDigit }, radix: 16)
            }
            return nil
        }

        let tls = try #require(image.tls)
        #expect(tls.rawDataStartVA == field("StartAddressOfRawData"))
        #expect(tls.rawDataEndVA == field("EndAddressOfRawData"))
        #expect(tls.addressOfIndex == field("AddressOfIndex"))
        #expect(tls.addressOfCallbacks == field("AddressOfCallBacks"))
        #expect(UInt64(tls.sizeOfZeroFill) == field("SizeOfZeroFill"))
        #expect(tls.callbacks.count == 1)
        #expect(tls.callbacks.first.flatMap { image.rva(fromVA: $0) }.flatMap { image.section(containing: $0)?.name } == ".text")

        let loadConfig = try #require(image.loadConfig)
        #expect(UInt64(loadConfig.structureSize) == field("Size"))
        #expect(loadConfig.structureSize == 284)

        let debug = try #require(image.debugEntries.first)
        #expect(image.debugEntries.count == 1)
        #expect(debug.type == 2)
        #expect(UInt64(debug.sizeOfData) == field("SizeOfData"))
        #expect(UInt64(debug.addressOfRawData) == field("AddressOfRawData"))
        #expect(UInt64(debug.pointerToRawData) == field("PointerToRawData"))

        let dump = PEDump.dumpImage(image)
        #expect(dump.contains("TLS directory"))
        #expect(dump.contains("Load configuration"))
        #expect(dump.contains("type 2 (CODEVIEW)"))
    }

    static func readobjTypeName(_ type: UInt16) -> String {
        switch type {
        case BaseRelocationType.absolute: return "ABSOLUTE"
        case BaseRelocationType.highLow: return "HIGHLOW"
        case BaseRelocationType.dir64: return "DIR64"
        default: return "type \(type)"
        }
    }
}

/// The parts of `llvm-readobj --coff-exports --coff-imports --coff-basereloc` the tests compare.
struct ReadobjReport {
    struct Export: Equatable { var ordinal: UInt32 = 0, name = "", rva: UInt32 = 0 }
    struct ImportedSymbol: Equatable { var name: String, number: Int }
    struct ImportedDLL { var name = "", lookupTableRVA: UInt32 = 0, addressTableRVA: UInt32 = 0, symbols: [ImportedSymbol] = [] }
    struct Relocation: Equatable { var type: String, address: UInt32 }

    var exports: [Export] = []
    var imports: [ImportedDLL] = []
    var relocations: [Relocation] = []

    init(_ text: String) {
        enum Block { case none, export, `import`, relocation }
        var block = Block.none
        var relocationType = ""
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            func value(_ key: String) -> String? {
                line.hasPrefix(key + ":") ? String(line.dropFirst(key.count + 1)).trimmingCharacters(in: .whitespaces) : nil
            }
            func number(_ text: String) -> UInt32 {
                text.hasPrefix("0x") ? UInt32(text.dropFirst(2), radix: 16) ?? 0 : UInt32(text) ?? 0
            }
            switch line {
            case "Export {": block = .export; exports.append(Export()); continue
            case "Import {": block = .import; imports.append(ImportedDLL()); continue
            case "BaseReloc [": block = .relocation; continue
            default: break
            }
            switch block {
            case .export:
                if let v = value("Ordinal") { exports[exports.count - 1].ordinal = number(v) }
                if let v = value("Name") { exports[exports.count - 1].name = v }
                if let v = value("RVA") { exports[exports.count - 1].rva = number(v) }
            case .import:
                if let v = value("Name") { imports[imports.count - 1].name = v }
                if let v = value("ImportLookupTableRVA") { imports[imports.count - 1].lookupTableRVA = number(v) }
                if let v = value("ImportAddressTableRVA") { imports[imports.count - 1].addressTableRVA = number(v) }
                // "Symbol: Name (hint)", or "Symbol:  (ordinal)" for an import by ordinal.
                if line.hasPrefix("Symbol:"), let open = line.lastIndex(of: "(") {
                    let name = line[line.index(line.startIndex, offsetBy: 7)..<open].trimmingCharacters(in: .whitespaces)
                    let digits = line[line.index(after: open)...].dropLast()
                    imports[imports.count - 1].symbols.append(ImportedSymbol(name: name, number: Int(digits) ?? -1))
                }
            case .relocation:
                if let v = value("Type") { relocationType = v }
                if let v = value("Address") { relocations.append(Relocation(type: relocationType, address: number(v))) }
            case .none:
                break
            }
        }
    }
}

// MARK: - Hand-assembled images

/// Assembles a minimal PE image: headers, then each section at a 0x200 file boundary.
struct TinyImage {
    struct Section { var name: String, rva: UInt32, data: [UInt8], flags: UInt32 }
    var is64Bit = true
    var sections: [Section] = []
    var directories: [DataDirectory: (rva: UInt32, size: UInt32)] = [:]

    static let fileAlignment = 0x200
    static let peOffset = 0x40

    var optionalHeaderSize: Int { (is64Bit ? 112 : 96) + 16 * 8 }
    /// File offset of a section's raw data.
    func fileOffset(ofSection index: Int) -> Int {
        var offset = TinyImage.fileAlignment
        for section in sections[..<index] { offset += alignUp(max(section.data.count, 1), TinyImage.fileAlignment) }
        return offset
    }

    func build() -> [UInt8] {
        var w = ByteWriter()
        w.append([0x4D, 0x5A])
        w.zeros(0x3a)
        w.u32(UInt32(TinyImage.peOffset))
        w.append(Array("PE".utf8)); w.u16(0)
        w.u16(is64Bit ? Machine.amd64.rawValue : Machine.i386.rawValue)
        w.u16(UInt16(sections.count))
        w.u32(0); w.u32(0); w.u32(0)
        w.u16(UInt16(optionalHeaderSize))
        w.u16(is64Bit ? 0x2022 : 0x2102)
        let lastEnd = sections.map { alignUp(Int($0.rva) + max($0.data.count, 1), 0x1000) }.max() ?? 0x1000
        w.u16(is64Bit ? 0x20b : 0x10b)
        w.u8(14); w.u8(0)
        w.u32(0); w.u32(0); w.u32(0)            // sizes of code and data
        w.u32(0); w.u32(0x1000)                  // entry, base of code
        if is64Bit { w.u64(0x1_8000_0000) } else { w.u32(0); w.u32(0x1000_0000) }
        w.u32(0x1000); w.u32(UInt32(TinyImage.fileAlignment))
        w.u16(6); w.u16(0); w.u16(0); w.u16(0); w.u16(6); w.u16(0)
        w.u32(0)
        w.u32(UInt32(lastEnd)); w.u32(UInt32(TinyImage.fileAlignment)); w.u32(0)
        w.u16(3); w.u16(0x160)
        for value: UInt64 in [0x100000, 0x1000, 0x100000, 0x1000] {
            if is64Bit { w.u64(value) } else { w.u32(UInt32(value)) }
        }
        w.u32(0); w.u32(16)
        for index in 0..<16 {
            let entry = DataDirectory(rawValue: index).flatMap { directories[$0] } ?? (0, 0)
            w.u32(entry.rva); w.u32(entry.size)
        }
        for (index, section) in sections.enumerated() {
            w.field(section.name, width: 8, pad: 0)
            w.u32(UInt32(section.data.count)); w.u32(section.rva)
            w.u32(UInt32(alignUp(max(section.data.count, 1), TinyImage.fileAlignment)))
            w.u32(UInt32(fileOffset(ofSection: index)))
            w.u32(0); w.u32(0); w.u16(0); w.u16(0)
            w.u32(section.flags)
        }
        w.align(TinyImage.fileAlignment)
        for section in sections {
            w.append(section.data)
            w.align(TinyImage.fileAlignment)
            if section.data.isEmpty { w.zeros(TinyImage.fileAlignment) }
        }
        return w.bytes
    }

    /// .edata at 0x1000: three slots (ordinal base 1): slot 0 named "a" and "b", slot 1 "f" forwarded
    /// to other.Func, slot 2 NONAME. .text at 0x2000, .idata at 0x3000 importing k.dll!Sleep (hint 7)
    /// and k.dll!#5, .reloc at 0x4000 with one block for page 0x2000.
    static func sample(is64Bit: Bool = true) -> TinyImage {
        var edata = ByteWriter()
        edata.u32(0); edata.u32(0x1234); edata.u16(1); edata.u16(2)
        edata.u32(0x1060)                                        // DLL name
        edata.u32(1); edata.u32(3); edata.u32(3)                 // base, slots, names
        edata.u32(0x1028); edata.u32(0x1034); edata.u32(0x1040)  // tables
        edata.u32(0x2000); edata.u32(0x1070); edata.u32(0x2010)  // 0x28: address table
        edata.u32(0x1050); edata.u32(0x1052); edata.u32(0x1054)  // 0x34: name pointers
        edata.u16(0); edata.u16(0); edata.u16(1)                 // 0x40: ordinal table
        edata.zeros(0x50 - edata.count)
        edata.cString("a"); edata.cString("b"); edata.cString("f")
        edata.zeros(0x60 - edata.count)
        edata.cString("t.dll")
        edata.zeros(0x70 - edata.count)
        edata.cString("other.Func")
        edata.zeros(0x80 - edata.count)

        var text = ByteWriter()
        text.zeros(0x20)

        let thunk = is64Bit ? 8 : 4
        var idata = ByteWriter()
        idata.u32(0x3030); idata.u32(0); idata.u32(0); idata.u32(0x3070); idata.u32(UInt32(0x3030 + 3 * thunk))
        idata.zeros(0x30 - idata.count)
        for _ in 0..<2 {
            if is64Bit {
                idata.u64(0x3060); idata.u64(0x8000_0000_0000_0005); idata.u64(0)
            } else {
                idata.u32(0x3060); idata.u32(0x8000_0005); idata.u32(0)
            }
        }
        idata.zeros(0x60 - idata.count)
        idata.u16(7); idata.cString("Sleep")
        idata.zeros(0x70 - idata.count)
        idata.cString("k.dll")
        idata.zeros(0x80 - idata.count)

        var reloc = ByteWriter()
        reloc.u32(0x2000); reloc.u32(12)
        reloc.u16((is64Bit ? BaseRelocationType.dir64 : BaseRelocationType.highLow) << 12 | 0x008)
        reloc.u16(0)

        var image = TinyImage()
        image.is64Bit = is64Bit
        image.sections = [
            Section(name: ".edata", rva: 0x1000, data: edata.bytes, flags: 0x4000_0040),
            Section(name: ".text", rva: 0x2000, data: text.bytes, flags: 0x6000_0020),
            Section(name: ".idata", rva: 0x3000, data: idata.bytes, flags: 0xC000_0040),
            Section(name: ".reloc", rva: 0x4000, data: reloc.bytes, flags: 0x4200_0040),
        ]
        image.directories = [.export: (0x1000, 0x80), .import: (0x3000, 0x28), .baseRelocation: (0x4000, 12)]
        return image
    }
}

@Suite struct PEImageReaderTests {
    static func parse(_ bytes: [UInt8], name: String = "tiny.dll") throws -> PEImage {
        try PEImage(view: MappedFile(path: name, contents: bytes).view)
    }

    @Test(arguments: [true, false])
    func readsAHandAssembledImage(is64Bit: Bool) throws {
        let image = try Self.parse(TinyImage.sample(is64Bit: is64Bit).build())
        #expect(image.is64Bit == is64Bit)
        #expect(image.sections.map(\.name) == [".edata", ".text", ".idata", ".reloc"])
        #expect(image.rvaToFileOffset(0x2004) == 0x400 + 4)
        #expect(image.rvaToFileOffset(0x10) == 0x10, "headers map at RVA 0")
        #expect(image.rvaToFileOffset(0x9000) == nil)
        #expect(try image.cString(atRVA: 0x1060) == "t.dll")

        let exports = try #require(image.exports)
        #expect(exports.dllName == "t.dll")
        #expect(exports.ordinalBase == 1)
        #expect(exports.timeDateStamp == 0x1234)
        #expect(exports.entries == [
            ExportEntry(ordinal: 1, rva: 0x2000, forwarder: nil, names: ["a", "b"]),
            ExportEntry(ordinal: 2, rva: 0x1070, forwarder: "other.Func", names: ["f"]),
            ExportEntry(ordinal: 3, rva: 0x2010, forwarder: nil, names: []),
        ])
        #expect(exports.namesAreSorted)

        let thunk = UInt32(is64Bit ? 8 : 4)
        #expect(image.imports.count == 1)
        #expect(image.imports.first?.name == "k.dll")
        #expect(image.imports.first?.entries == [
            ImportedSymbol(reference: .name(hint: 7, name: "Sleep"), iatRVA: 0x3030 + 3 * thunk, hintNameRVA: 0x3060),
            ImportedSymbol(reference: .ordinal(5), iatRVA: 0x3030 + 4 * thunk, hintNameRVA: nil),
        ])

        let type = is64Bit ? BaseRelocationType.dir64 : BaseRelocationType.highLow
        #expect(image.baseRelocations == [BaseRelocation(rva: 0x2008, type: type)])
        #expect(image.baseRelocationPaddingCount == 1)

        let dump = PEDump.dumpImage(image)
        #expect(dump.contains("        1  0x00002000  a, b"))
        #expect(dump.contains("        2  0x00001070  f -> other.Func"))
        #expect(dump.contains("        3  0x00002010  NONAME"))
        #expect(dump.contains("  page 0x00002000 (1): \(is64Bit ? "DIR64" : "HIGHLOW") 0x2008 +1 ABSOLUTE"))
        #expect(dump.contains("  k.dll"))
        #expect(dump.contains("     7  Sleep"))
    }

    // MARK: Malformed images

    /// Parses `bytes` expecting a FormatError whose message mentions `fragment`.
    static func expectFormatError(_ bytes: [UInt8], mentioning fragment: String,
                                  sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try parse(bytes)
            Issue.record("expected a FormatError mentioning \"\(fragment)\"", sourceLocation: sourceLocation)
        } catch let error as FormatError {
            #expect(error.file == "tiny.dll", sourceLocation: sourceLocation)
            #expect(error.message.contains(fragment), "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("expected a FormatError, got \(error)", sourceLocation: sourceLocation)
        }
    }

    static func patchU32(_ bytes: inout [UInt8], at offset: Int, _ value: UInt32) {
        for i in 0..<4 { bytes[offset + i] = UInt8((value >> (8 * UInt32(i))) & 0xff) }
    }

    static func patchU16(_ bytes: inout [UInt8], at offset: Int, _ value: UInt16) {
        bytes[offset] = UInt8(value & 0xff); bytes[offset + 1] = UInt8(value >> 8)
    }

    @Test func emptyAndTruncatedFilesThrow() {
        let bytes = TinyImage.sample().build()
        Self.expectFormatError([], mentioning: "MS-DOS header")
        Self.expectFormatError(Array(bytes.prefix(0x30)), mentioning: "MS-DOS header")
        Self.expectFormatError(Array(bytes.prefix(0x50)), mentioning: "COFF file header")
        Self.expectFormatError(Array(bytes.prefix(0xA0)), mentioning: "optional header")
        Self.expectFormatError(Array(bytes.prefix(0x1A0)), mentioning: "section table")
        Self.expectFormatError(Array(bytes.prefix(0x500)), mentioning: "raw data of section #2 .text")
        // Every prefix fails cleanly, wherever it cuts.
        for length in stride(from: 0, to: bytes.count, by: 7) {
            #expect(throws: FormatError.self) { _ = try Self.parse(Array(bytes.prefix(length))) }
        }
    }

    @Test func peHeaderOffsetPastTheEndThrows() {
        var bytes = TinyImage.sample().build()
        Self.patchU32(&bytes, at: 0x3c, 0x7fff_fff0)
        Self.expectFormatError(bytes, mentioning: "PE signature (e_lfanew = 0x7ffffff0)")
        var noSignature = TinyImage.sample().build()
        noSignature[0x40] = 0x4E
        Self.expectFormatError(noSignature, mentioning: "no \"PE\\0\\0\" signature")
        var notMZ = TinyImage.sample().build()
        notMZ[0] = 0
        Self.expectFormatError(notMZ, mentioning: "does not start with \"MZ\"")
    }

    @Test func sectionTablePastTheEndThrows() {
        var bytes = TinyImage.sample().build()
        Self.patchU16(&bytes, at: 0x46, 0xFFFF)
        Self.expectFormatError(bytes, mentioning: "section table (65535 headers)")
    }

    @Test func optionalHeaderInconsistenciesThrow() {
        var badMagic = TinyImage.sample().build()
        Self.patchU16(&badMagic, at: 0x58, 0x107)
        Self.expectFormatError(badMagic, mentioning: "optional header magic 0x107")
        var tooManyDirectories = TinyImage.sample().build()
        Self.patchU32(&tooManyDirectories, at: 0x58 + 108, 17)
        Self.expectFormatError(tooManyDirectories, mentioning: "NumberOfRvaAndSizes (17)")
    }

    /// File offset of byte `offset` of section `index` in the sample image.
    static func sampleOffset(section index: Int, _ offset: Int) -> Int {
        TinyImage.sample().fileOffset(ofSection: index) + offset
    }

    @Test func exportTableErrorsNameTheTable() {
        var namePointer = TinyImage.sample().build()
        Self.patchU32(&namePointer, at: Self.sampleOffset(section: 0, 0x34), 0x0009_9999)
        Self.expectFormatError(namePointer, mentioning: "export name pointer table entry 0 at RVA 0x99999 is not inside any section")

        var namePointerTable = TinyImage.sample().build()
        Self.patchU32(&namePointerTable, at: Self.sampleOffset(section: 0, 0x20), 0x1FF0)
        Self.expectFormatError(namePointerTable, mentioning: "export name pointer table (3 entries) at RVA 0x1ff0")

        var ordinal = TinyImage.sample().build()
        Self.patchU16(&ordinal, at: Self.sampleOffset(section: 0, 0x42), 9)
        Self.expectFormatError(ordinal, mentioning: "export ordinal table entry 1 (9) is past the 3-entry export address table")

        var hugeCount = TinyImage.sample().build()
        Self.patchU32(&hugeCount, at: Self.sampleOffset(section: 0, 0x14), 0xFFFF_FFFF)
        Self.expectFormatError(hugeCount, mentioning: "export address table (4294967295 entries)")

        var unterminatedForwarder = TinyImage.sample().build()
        let forwarderAt = Self.sampleOffset(section: 0, 0x70)
        for i in forwarderAt..<(Self.sampleOffset(section: 1, 0)) { unterminatedForwarder[i] = 0x41 }
        Self.expectFormatError(unterminatedForwarder, mentioning: "forwarder string of export ordinal 2")
    }

    @Test func baseRelocationBlockSizesAreChecked() {
        for (size, fragment) in [(0, "has size 0"), (4, "has size 4"), (11, "has size 11"), (0x1000, "extends past the end of the 12-byte")] {
            var bytes = TinyImage.sample().build()
            Self.patchU32(&bytes, at: Self.sampleOffset(section: 3, 4), UInt32(size))
            Self.expectFormatError(bytes, mentioning: fragment)
        }
        var pastImage = TinyImage.sample().build()
        Self.patchU32(&pastImage, at: Self.sampleOffset(section: 3, 0), 0x7000_0000)
        Self.expectFormatError(pastImage, mentioning: "past the end of the image")
    }

    @Test func unterminatedImportTablesEndAtTheSection() {
        // .idata: an empty lookup table at 0x3000, "k.dll" at 0x3008, then descriptors to the end of
        // the section with no null entry: the walk must stop at the end of the section's file data.
        var descriptors = TinyImage.sample()
        var data = [UInt8](repeating: 0, count: 0x10)
        for (i, byte) in Array("k.dll".utf8).enumerated() { data[8 + i] = byte }
        var w = ByteWriter()
        while w.count + 20 <= 0x200 - 0x10 { w.u32(0x3000); w.u32(0); w.u32(0); w.u32(0x3008); w.u32(0x3000) }
        while w.count < 0x200 - 0x10 { w.u8(1) }
        descriptors.sections[2].data = data + w.bytes
        descriptors.directories[.import] = (0x3010, 20)
        Self.expectFormatError(descriptors.build(), mentioning: "import directory entry 24 at RVA 0x31f0 (20 bytes")

        // One descriptor whose lookup table runs to the end of the section without a null entry.
        var lookup = TinyImage.sample()
        var table = ByteWriter()
        table.u32(0x3030); table.u32(0); table.u32(0); table.u32(0x3020); table.u32(0x3030)
        table.zeros(0x20 - table.count)
        table.cString("k.dll")
        table.zeros(0x30 - table.count)
        while table.count < 0x200 { table.u64(0x8000_0000_0000_0001) }
        lookup.sections[2].data = table.bytes
        Self.expectFormatError(lookup.build(), mentioning: "import lookup table of k.dll at RVA 0x3030 has no null terminator")
    }

    @Test func importTablesSharingOneLongLookupTableDoNotTakeQuadraticTime() {
        // 6552 descriptors all naming the same 16K-entry lookup table: reading every one in full
        // would take 850 MB of work for a 256 KiB file; the reader gives up early instead.
        var w = ByteWriter()
        w.cString("k.dll")
        w.zeros(0x10 - w.count)
        while w.count + 20 <= 0x20000 { w.u32(0x21000); w.u32(0); w.u32(0); w.u32(0x1000); w.u32(0x21000) }
        w.zeros(0x20000 - w.count)
        while w.count < 0x40000 - 8 { w.u64(0x8000_0000_0000_0001) }
        w.u64(0)
        var image = TinyImage()
        image.sections = [TinyImage.Section(name: ".idata", rva: 0x1000, data: w.bytes, flags: 0xC000_0040)]
        image.directories = [.import: (0x1010, 20)]
        Self.expectFormatError(image.build(), mentioning: "overlap so much")
    }

    /// Seeded byte corruption of the sample images: each variant must parse and dump, or throw a
    /// FormatError; a trap would crash the test run.
    @Test(arguments: [true, false])
    func corruptedImagesNeverTrap(is64Bit: Bool) {
        let parsed = Self.corruptAndParse(TinyImage.sample(is64Bit: is64Bit).build(), seed: is64Bit ? 0x9E37_79B9_7F4A_7C15 : 0x2545_F491_4F6C_DD1D,
                                          hotRegion: 0x880, rounds: 3000)
        #expect(parsed > 0, "some corruptions are harmless")
    }

    /// Returns how many of `rounds` corrupted copies still parsed.
    static func corruptAndParse(_ original: [UInt8], seed: UInt64, hotRegion: Int, rounds: Int,
                                sourceLocation: SourceLocation = #_sourceLocation) -> Int {
        var state = seed
        func next() -> Int {
            // xorshift64: deterministic across runs and platforms.
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Int(truncatingIfNeeded: state >> 1)
        }
        var parsed = 0
        for _ in 0..<rounds {
            var bytes = original
            // Mostly hit the headers and the tables, where the offsets and counts live.
            for _ in 0..<(1 + next() % 4) {
                let offset = next() % 3 == 0 ? next() % bytes.count : next() % min(hotRegion, bytes.count)
                bytes[offset] = next() % 2 == 0 ? UInt8(truncatingIfNeeded: next()) : 0xFF
            }
            do {
                let image = try parse(bytes)
                _ = PEDump.dumpImage(image)
                parsed += 1
            } catch is FormatError {
            } catch {
                Issue.record("unexpected error type: \(error)", sourceLocation: sourceLocation)
            }
        }
        return parsed
    }

    @Test func directoryInTheZeroFilledTailThrows() {
        var image = TinyImage.sample()
        // .idata claims 0x800 bytes in memory but carries only 0x200 in the file.
        image.directories[.import] = (0x3000 + 0x400, 0x28)
        var bytes = image.build()
        Self.patchU32(&bytes, at: 0x40 + 24 + 240 + 2 * 40 + 8, 0x800)
        Self.expectFormatError(bytes, mentioning: "zero-filled part of section .idata")
    }
}

// MARK: - Tools

enum OracleTools {
    static let required = ProcessInfo.processInfo.environment["PELINK_REQUIRE_ORACLES"] == "1"

    /// The tool's path; nil (skip) when absent, or a recorded failure under PELINK_REQUIRE_ORACLES=1.
    static func require(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        var folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        folders += ["/opt/swift/usr/bin", "/usr/bin", "/usr/local/bin"]
        for folder in folders where FileManager.default.isExecutableFile(atPath: folder + "/" + name) {
            return folder + "/" + name
        }
        if required {
            Issue.record("required oracle '\(name)' is missing", sourceLocation: sourceLocation)
        } else {
            print("note: skipping, oracle '\(name)' is not installed")
        }
        return nil
    }

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs a tool to completion and returns its standard output; a non-zero exit throws with stderr.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Drain stderr on another thread so neither pipe can fill and block the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errorData = Data()
        DispatchQueue.global().async(group: group) { errorData = errors.fileHandleForReading.readDataToEndOfFile() }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failed(description: "\(executable) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus): "
                + String(decoding: errorData, as: UTF8.self))
        }
        return String(decoding: outputData, as: UTF8.self)
    }

    static func temporaryFolder(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pelink-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
