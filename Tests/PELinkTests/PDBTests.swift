// /debug: the PDB pelink writes so far (the MSF container, the info, TPI, IPI, DBI and /names
// streams, one module per object) and the image's CodeView record that names it. Types, symbols
// and line tables are still to come (issue 13).

import Foundation
import PEFormat
import PELink
import Testing

@Suite("/debug: the PDB and the image's CodeView record")
struct PDBTests {
    @Test("llvm-pdbutil reads the PDB: the image's GUID, age and time stamp, a module per object; /pdb, /pdbaltpath, /debug:none; the same inputs give the same bytes")
    func pdbMatchesTheImage() throws {
        guard let pdbutil = requireTool("llvm-pdbutil"), let clang = requireTool("clang") else { return }
        let folder = try makeTemporaryDirectory("pdb")
        defer { try? FileManager.default.removeItem(at: folder) }
        var objects: [String] = []
        for (name, text) in [("a", "__declspec(dllexport) int a(void) { return 1; }"), ("b", "int b(void) { return 2; }")] {
            let source = folder.appendingPathComponent(name + ".c")
            try text.write(to: source, atomically: true, encoding: .utf8)
            let object = folder.appendingPathComponent(name + ".obj").path
            let compile = try runProcess(clang, ["--target=x86_64-pc-windows-msvc", "-g", "-gcodeview", "-c", source.path, "-o", object])
            guard compile.exitCode == 0 else { Issue.record("clang: \(compile.stderr)"); return }
            objects.append(object)
        }
        func link(_ extra: [String], _ dll: String) -> DriverResult {
            Driver.run(arguments: ["/dll", "/noentry"] + objects + extra + ["/out:" + folder.appendingPathComponent(dll).path], environment: [:])
        }
        let run = link(["/debug"], "x.dll")
        #expect(run.exitCode == 0 && run.diagnostics.contains("warning: /debug"), "\(run.diagnostics)")
        let pdb = folder.appendingPathComponent("x.pdb").path
        let dump = try runProcess(pdbutil, ["dump", "-summary", "-modules", pdb])
        #expect(dump.exitCode == 0, "llvm-pdbutil: \(dump.stderr)")
        #expect(dump.stdout.contains("a.obj") && dump.stdout.contains("b.obj") && dump.stdout.contains("* Linker *"), "\(dump.stdout)")

        // The image names this PDB with the same GUID and age; its time stamp is the PDB's signature.
        let image = try PEImage(view: try MappedFile(path: folder.appendingPathComponent("x.dll").path).view)
        guard let directory = image.directory(.debug) else { Issue.record("no debug directory"); return }
        let entry = try image.bytes(atRVA: directory.rva, count: 28)
        let record = try image.bytes(atRVA: entry.u32(20), count: Int(entry.u32(16)))
        let guid = (4..<20).map { record.u8($0) }
        let pathBytes = (24..<record.count - 1).map { record.u8($0) }
        #expect(record.u32(0) == 0x5344_5352 && String(decoding: pathBytes, as: UTF8.self) == folder.appendingPathComponent("x.pdb").path)
        let pdbGUID = dump.stdout.split(separator: "\n").first { $0.contains("GUID:") }.map(String.init) ?? ""
        let expectedGUID = guidText(guid)
        #expect(pdbGUID.contains(expectedGUID), "PDB \(pdbGUID), image \(expectedGUID)")
        #expect(dump.stdout.contains("Signature: \(image.fileHeader.timeDateStamp)") && dump.stdout.contains("Age: 1"), "\(dump.stdout)")
        #expect(entry.u32(4) == image.fileHeader.timeDateStamp)

        // The same inputs: the same image and PDB.
        let again = try Data(contentsOf: URL(fileURLWithPath: pdb))
        #expect(link(["/debug"], "x.dll").exitCode == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: pdb)) == again, "the PDB differs between two equal links")

        #expect(link(["/debug", "/pdb:" + folder.appendingPathComponent("named.pdb").path, "/pdbaltpath:named.pdb"], "y.dll").exitCode == 0)
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("named.pdb").path))
        let other = try PEImage(view: try MappedFile(path: folder.appendingPathComponent("y.dll").path).view)
        if let otherDirectory = other.directory(.debug) {
            let otherEntry = try other.bytes(atRVA: otherDirectory.rva, count: 28)
            let otherRecord = try other.bytes(atRVA: otherEntry.u32(20), count: Int(otherEntry.u32(16)))
            #expect(String(decoding: (24..<otherRecord.count - 1).map { otherRecord.u8($0) }, as: UTF8.self) == "named.pdb", "/pdbaltpath is what the image records")
        }
        #expect(link(["/debug", "/debug:none"], "z.dll").exitCode == 0)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("z.pdb").path), "/debug:none writes no PDB")
        // /debug:symtab: the COFF symbol table alone, no PDB; an unknown kind is an error.
        #expect(link(["/debug:symtab"], "s.dll").exitCode == 0)
        let symtab = try PEImage(view: try MappedFile(path: folder.appendingPathComponent("s.dll").path).view)
        #expect(symtab.fileHeader.numberOfSymbols > 0 && !FileManager.default.fileExists(atPath: folder.appendingPathComponent("s.pdb").path))
        let bogus = link(["/debug:bogus"], "b.dll")
        #expect(bogus.exitCode == 1 && bogus.diagnostics.contains("/debug:bogus"), "\(bogus.diagnostics)")
        // A failed link writes no PDB.
        #expect(link(["/debug", "/include:missing_symbol"], "f.dll").exitCode != 0)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("f.pdb").path))
    }

    /// The GUID as llvm-pdbutil prints it: {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}, the first three
    /// groups little-endian.
    func guidText(_ bytes: [UInt8]) -> String {
        func hex(_ slice: [UInt8]) -> String { slice.map { String(format: "%02X", $0) }.joined() }
        return "{" + hex(bytes[0..<4].reversed()) + "-" + hex(bytes[4..<6].reversed()) + "-" + hex(bytes[6..<8].reversed())
            + "-" + hex(Array(bytes[8..<10])) + "-" + hex(Array(bytes[10..<16])) + "}"
    }
}
