// DWARF kept in MinGW images (with the COFF symbol table), and the build id, against lld: a DLL from clang -g objects linked
// by pelink as ld.lld (through clang's MinGW driver) and by ld.lld itself. The kept .debug_*
// sections have lld's sizes, llvm-dwarfdump reads them, llvm-symbolizer gives the same
// function:file:line for every address asked, and gdb finds a function's line.

import Foundation
import PEFormat
import PELink
import Testing

@Suite("DWARF in MinGW images, and the build id")
struct DWARFTests {
    static let source = """
        static inline int square(int x) { return x * x; }
        __declspec(dllexport) int add_squares(int a, int b) {
            return square(a) + square(b);
        }
        __declspec(dllexport) int triple(int x) {
            int y = x * 3;
            return y;
        }
        """

    struct Build {
        var folder: URL
        var object: String
        var pelinkBin: String
        var clang: String
    }

    /// `dwarf.c` compiled with -g for `triple`, and a folder whose ld.lld is pelink.
    static func prepare(_ triple: String, _ label: String) throws -> Build? {
        // clang's MinGW driver links against the mingw-w64 CRT, which comes with its GCC.
        guard let clang = requireTool("clang"), requireTool(triple + "-gcc") != nil, let pelink = pelinkExecutable else {
            if pelinkExecutable == nil { Issue.record("the pelink executable is not built next to the tests") }
            return nil
        }
        let folder = try makeTemporaryDirectory("dwarf-\(label)")
        let bin = folder.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: bin.appendingPathComponent("ld.lld").path, withDestinationPath: pelink)
        let source = folder.appendingPathComponent("dwarf.c")
        try Self.source.write(to: source, atomically: true, encoding: .utf8)
        let object = folder.appendingPathComponent("dwarf.o").path
        let compile = try runProcess(clang, ["--target=" + triple, "-g", "-O1", "-c", source.path, "-o", object])
        guard compile.exitCode == 0 else { Issue.record("clang: \(compile.stderr)"); return nil }
        return Build(folder: folder, object: object, pelinkBin: bin.path, clang: clang)
    }

    /// Links `dll` through clang's MinGW driver, with pelink (`-B` its folder) or with ld.lld.
    static func link(_ build: Build, _ triple: String, pelink: Bool, _ extra: [String] = [], dll: String) throws -> String? {
        let out = build.folder.appendingPathComponent(dll).path
        let run = try runProcess(build.clang, ["--target=" + triple, "-fuse-ld=lld"] + (pelink ? ["-B" + build.pelinkBin] : [])
                                 + ["-shared", build.object, "-o", out] + extra)
        guard run.exitCode == 0 else { Issue.record("linking \(dll) (\(pelink ? "pelink" : "ld.lld")): \(run.stderr)"); return nil }
        return out
    }

    /// The .debug_* sections and their sizes, as llvm-objdump reads the long names.
    static func debugSections(_ dll: String) throws -> [String: String] {
        guard let objdump = requireTool("llvm-objdump") else { return [:] }
        var sizes: [String: String] = [:]
        for line in try runProcess(objdump, ["-h", dll]).stdout.split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count >= 3, words[1].hasPrefix(".debug_") { sizes[String(words[1])] = String(words[2]) }
        }
        return sizes
    }

    static func exportAddresses(_ dll: String) throws -> [String] {
        let image = try PEImage(view: try MappedFile(path: dll).view)
        let base = image.optionalHeader.imageBase
        var addresses: [String] = []
        for entry in image.exports?.entries ?? [] where !entry.names.isEmpty && entry.forwarder == nil {
            // The function's entry, and 4 bytes in (inside the inlined square in add_squares).
            addresses += [String(base + UInt64(entry.rva)), String(base + UInt64(entry.rva) + 4)]
        }
        return addresses
    }

    @Test("clang -g objects through pelink as ld.lld: lld's .debug_* sizes, llvm-dwarfdump reads them, llvm-symbolizer agrees with ld.lld's DLL, gdb finds the line",
          arguments: ["x86_64-w64-mingw32", "i686-w64-mingw32"])
    func dwarfIsKept(_ triple: String) throws {
        guard let dwarfdump = requireTool("llvm-dwarfdump"), let symbolizer = requireTool("llvm-symbolizer"),
              let gdb = requireTool("gdb"), requireTool("ld.lld") != nil,
              let build = try Self.prepare(triple, triple) else { return }
        defer { try? FileManager.default.removeItem(at: build.folder) }
        guard let ours = try Self.link(build, triple, pelink: true, dll: "ours.dll"),
              let theirs = try Self.link(build, triple, pelink: false, dll: "theirs.dll") else { return }

        let ourSections = try Self.debugSections(ours)
        #expect(ourSections.keys.contains(".debug_info") && ourSections.keys.contains(".debug_line"), "\(ourSections)")
        #expect(ourSections == (try Self.debugSections(theirs)), "the .debug_* sections differ from ld.lld's")
        let image = try PEImage(view: try MappedFile(path: ours).view)
        let discardable = image.sections.filter { $0.characteristics.contains(.memDiscardable) }.count
        #expect(discardable >= ourSections.count, "the .debug_* sections must be discardable (not loaded)")

        let dump = try runProcess(dwarfdump, ["--debug-info", "--debug-line", ours])
        #expect(dump.exitCode == 0 && !dump.stderr.contains("error") && dump.stdout.contains("DW_TAG_subprogram"), "llvm-dwarfdump: \(dump.stderr)")

        let addresses = try Self.exportAddresses(ours)
        #expect(addresses.count == 4)
        let ourLines = try runProcess(symbolizer, ["--obj=" + ours] + addresses).stdout
        let theirLines = try runProcess(symbolizer, ["--obj=" + theirs] + (try Self.exportAddresses(theirs))).stdout
        #expect(ourLines.contains("triple") && ourLines.contains("square") && ourLines.contains("dwarf.c:"), "\(ourLines)")
        #expect(ourLines == theirLines, "llvm-symbolizer:\npelink:\n\(ourLines)\nld.lld:\n\(theirLines)")

        // The COFF symbol table written with DWARF (gdb's minimal symbols): the names ld.lld writes.
        if let nm = requireTool("llvm-nm") {
            func names(_ dll: String) throws -> [String] {
                try runProcess(nm, [dll]).stdout.split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) }.sorted()
            }
            let ourNames = try names(ours)
            #expect(ourNames.contains { $0.hasSuffix("triple") } && ourNames.contains { $0.hasSuffix("add_squares") }, "\(ourNames.prefix(20))")
            #expect(ourNames == (try names(theirs)), "the symbol table's names differ from ld.lld's")
        }

        let line = try runProcess(gdb, ["-batch", "-nx", "-ex", "info line triple", ours])
        #expect(line.stdout.contains("Line ") && line.stdout.contains("dwarf.c") && line.stdout.contains("<triple>"), "gdb: \(line.stdout) \(line.stderr)")
    }

    @Test("the build id: a CodeView record without a PDB path, the same for the same inputs, another for other code; -s drops it and the DWARF; --build-id=none and /build-id")
    func buildID() throws {
        let triple = "x86_64-w64-mingw32"
        guard let build = try Self.prepare(triple, "buildid") else { return }
        defer { try? FileManager.default.removeItem(at: build.folder) }
        func guid(_ dll: String) throws -> [UInt8]? {
            let image = try PEImage(view: try MappedFile(path: dll).view)
            guard let directory = image.directory(.debug) else { return nil }
            #expect(directory.size == 28, "one debug directory entry")
            let entry = try image.bytes(atRVA: directory.rva, count: 28)
            #expect(entry.u32(12) == 2, "a CodeView entry")
            let record = try image.bytes(atRVA: entry.u32(20), count: Int(entry.u32(16)))
            #expect(record.u32(0) == 0x5344_5352 && record.u32(20) == 1 && record.u8(24) == 0, "RSDS, age 1, no PDB path")
            return (4..<20).map { record.u8($0) }
        }
        let first = build.folder.appendingPathComponent("first"), second = build.folder.appendingPathComponent("second")
        try FileManager.default.createDirectory(at: first, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: second, withIntermediateDirectories: true)
        guard let a = try Self.link(build, triple, pelink: true, dll: "first/b.dll"),
              let b = try Self.link(build, triple, pelink: true, dll: "second/b.dll") else { return }
        let idA = try guid(a), idB = try guid(b)
        #expect(idA != nil && idA == idB && idA != [UInt8](repeating: 0, count: 16), "the same inputs, the same id: \(String(describing: idA)) \(String(describing: idB))")
        #expect(try Data(contentsOf: URL(fileURLWithPath: a)) == Data(contentsOf: URL(fileURLWithPath: b)), "the same bytes")
        guard let other = try Self.link(build, triple, pelink: true, ["-Wl,--image-base=0x10000000"], dll: "other.dll") else { return }
        #expect(try guid(other) != idA, "another image, another id")
        guard let stripped = try Self.link(build, triple, pelink: true, ["-s"], dll: "stripped.dll"),
              let none = try Self.link(build, triple, pelink: true, ["-Wl,--build-id=none"], dll: "none.dll") else { return }
        #expect(try guid(stripped) == nil && Self.debugSections(stripped).isEmpty, "-s keeps no build id and no DWARF")
        #expect(try guid(none) == nil && !Self.debugSections(none).isEmpty, "--build-id=none: no build id, DWARF kept")

        // The link.exe flavor: /build-id asks for it; /debug:dwarf keeps DWARF there too.
        let msvc = build.folder.appendingPathComponent("msvc.dll").path
        let run = Driver.run(arguments: ["/dll", "/noentry", "/lldmingw", "/build-id", "/debug:dwarf", build.object, "/out:" + msvc], environment: [:])
        #expect(run.exitCode == 0, "\(run.diagnostics)")
        #expect(try guid(msvc) != nil && !Self.debugSections(msvc).isEmpty)
    }
}
