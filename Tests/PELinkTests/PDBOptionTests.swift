// The options that add to the PDB or decide what /debug writes, each held to what lld-link 21 does
// with it (issue 13):
//
//   /natvis:file       injected sources: /src/headerblock (a hash table of entries: name and
//                      virtual name in /names, size, CRC) and a /src/files/<virtual name> stream per
//                      file; llvm-pdbutil must show the same injected sources as for lld-link's PDB.
//   /sourcelink:file   the file's bytes in the named stream sourcelink$1 (link.exe's option; lld-link
//                      21 has none, and writes the same with /pdbstream:sourcelink$1=file, which
//                      pelink takes too). Many named streams make the info stream's named stream map
//                      grow; llvm-pdbutil must find each by name, as for lld-link's PDB.
//   missing files      an error naming the option and the file (lld-link only warns and writes a PDB
//                      without the file: pelink does not drop what was asked for).
//   /pdbstripped       lld-link warns that it writes no stripped PDB, and so does pelink.
//   /debugtype         lld-link accepts cv, pdata and fixup and changes nothing; so does pelink, and
//                      both warn about an unknown kind.
//   /profile           with /debug, /opt:ref stays on: the same sections as lld-link's.
//
// lld-link writes an empty /LinkInfo stream that pelink does not (nothing reads it); the named
// streams are compared without it.

import Foundation
import PEFormat
import PELink
import Testing

@Suite("PDB options: /natvis, /sourcelink, /pdbstream, /pdbstripped, /debugtype, /profile, compared with lld-link")
struct PDBOptionTests {
    /// The two links of one comparison: pelink's (in-process) and lld-link's, each in a folder of
    /// its own with the same file names.
    struct Links {
        var pelink: DriverResult
        var lld: ProcessResult
        var pelinkPDB: URL, lldPDB: URL
        var pelinkDLL: URL, lldDLL: URL
    }

    /// Inputs/pdb-c (or `caseName`) linked by pelink with `extra` and by lld-link with
    /// `lldExtra` (default: the same), into `folder`/pelink and `folder`/lld. Paths in the case's
    /// arguments are made absolute for both, so both record the same names.
    static func link(_ extra: [String], lldExtra: [String]? = nil, caseName: String = "pdb-c", in folder: URL,
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> Links? {
        guard let lldLink = requireTool("lld-link", sourceLocation: sourceLocation) else { return nil }
        let testCase = try GoldenCase(name: caseName)
        var results: [URL] = []
        for who in ["pelink", "lld"] {
            let out = folder.appendingPathComponent(who)
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            results.append(out)
        }
        let arguments = { (out: URL, extra: [String]) in
            testCase.absoluteArguments + extra + ["/out:" + out.appendingPathComponent("x.dll").path,
                                                  "/implib:" + out.appendingPathComponent("x.lib").path]
        }
        let pelink = Driver.run(arguments: arguments(results[0], extra), environment: [:])
        let lld = try runProcess(lldLink, arguments(results[1], lldExtra ?? extra) + ["/timestamp:0"],
                                 environment: ["LIB": "", "LINK": "", "_LINK_": ""])
        return Links(pelink: pelink, lld: lld,
                     pelinkPDB: results[0].appendingPathComponent("x.pdb"), lldPDB: results[1].appendingPathComponent("x.pdb"),
                     pelinkDLL: results[0].appendingPathComponent("x.dll"), lldDLL: results[1].appendingPathComponent("x.dll"))
    }

    /// `llvm-pdbutil dump <flags>` of a PDB; records a failure (and gives nil) when it fails or
    /// says anything on standard error.
    static func dump(_ pdbutil: String, _ flags: [String], _ pdb: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> String? {
        let run = try runProcess(pdbutil, flags + [pdb.path])
        #expect(run.exitCode == 0 && run.stderr.isEmpty, "llvm-pdbutil \(flags.joined(separator: " ")) \(pdb.path): exit \(run.exitCode)\n\(run.stderr)",
                sourceLocation: sourceLocation)
        return run.exitCode == 0 ? run.stdout : nil
    }

    /// The named streams `dump -streams` lists, name -> size, without lld-link's empty /LinkInfo.
    static func namedStreams(_ streamsDump: String) -> [String: Int] {
        var result: [String: Int] = [:]
        for line in streamsDump.split(separator: "\n") {
            guard let open = line.range(of: "[Named Stream \""), let size = line.range(of: " bytes)"),
                  let sizeStart = line[..<size.lowerBound].lastIndex(where: { $0 == "(" }) else { continue }
            let name = String(line[open.upperBound...].dropLast(2))
            let bytes = Int(line[line.index(after: sizeStart)..<size.lowerBound].trimmingCharacters(in: .whitespaces))
            if name != "/LinkInfo", let bytes { result[name] = bytes }
        }
        return result
    }

    /// The bytes of the stream `name`, as `llvm-pdbutil export` finds it: by the name's hash in the
    /// info stream's named stream map.
    static func export(_ pdbutil: String, _ name: String, from pdb: URL, into folder: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> Data? {
        let out = folder.appendingPathComponent("exported-\(UUID().uuidString)")
        let run = try runProcess(pdbutil, ["export", "-name", "-stream=" + name, "-out=" + out.path, pdb.path])
        #expect(run.exitCode == 0, "llvm-pdbutil export -stream=\(name) \(pdb.lastPathComponent): exit \(run.exitCode)\n\(run.stderr)", sourceLocation: sourceLocation)
        return run.exitCode == 0 ? try Data(contentsOf: out) : nil
    }

    /// The lines after "---INJECTED SOURCES---" of `llvm-pdbutil pretty -native -injected-sources
    /// -injected-source-content` (each source's name, size, object, virtual name, CRC and
    /// compression, then its text).
    static func injectedSources(_ pdbutil: String, _ pdb: URL, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String]? {
        guard let text = try dump(pdbutil, ["pretty", "-native", "-injected-sources", "-injected-source-content"], pdb, sourceLocation: sourceLocation) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(of: "---INJECTED SOURCES---") else {
            Issue.record("no injected sources in \(pdb.path):\n\(text)", sourceLocation: sourceLocation)
            return nil
        }
        return Array(lines[(start + 1)...])
    }

    @Test("/natvis: the files are injected sources as in lld-link's PDB (header block, /src/files streams, names in /names); a file named twice is carried once")
    func natvisFilesAreInjectedSources() throws {
        guard let pdbutil = requireTool("llvm-pdbutil") else { return }
        let folder = try makeTemporaryDirectory("pdb-natvis")
        defer { try? FileManager.default.removeItem(at: folder) }
        // A plain name, and one with capitals in a subfolder (recorded in lower case with \).
        let shapes = folder.appendingPathComponent("shapes.natvis")
        let point = folder.appendingPathComponent("Vis/Point.NatVis")
        try FileManager.default.createDirectory(at: point.deletingLastPathComponent(), withIntermediateDirectories: true)
        try #"<?xml version="1.0" encoding="utf-8"?><AutoVisualizer><Type Name="shape"><DisplayString>{kind}</DisplayString></Type></AutoVisualizer>"#
            .write(to: shapes, atomically: true, encoding: .utf8)
        try "<AutoVisualizer><Type Name=\"point\"><DisplayString>({x}, {y})</DisplayString></Type></AutoVisualizer>\n"
            .write(to: point, atomically: true, encoding: .utf8)
        // lld-link would write the repeated file's stream twice, one of them unnamed: it gets it once.
        guard let links = try Self.link(["/natvis:" + shapes.path, "/natvis:" + point.path, "/natvis:" + shapes.path],
                                        lldExtra: ["/natvis:" + shapes.path, "/natvis:" + point.path], in: folder) else { return }
        #expect(links.pelink.exitCode == 0 && links.pelink.diagnostics.isEmpty, "pelink: \(links.pelink.diagnostics)")
        #expect(links.lld.exitCode == 0, "lld-link: \(links.lld.stderr)")
        guard links.pelink.exitCode == 0, links.lld.exitCode == 0 else { return }

        // What a debugger sees: each source's name, virtual name, size, CRC and text.
        let ours = try Self.injectedSources(pdbutil, links.pelinkPDB), theirs = try Self.injectedSources(pdbutil, links.lldPDB)
        #expect(ours == theirs, "injected sources:\npelink:\n\((ours ?? []).joined(separator: "\n"))\nlld-link:\n\((theirs ?? []).joined(separator: "\n"))")
        #expect(ours?.contains { $0.contains("vname=\(point.path.lowercased().replacingOccurrences(of: "/", with: "\\"))") } == true,
                "the virtual name is the path in lower case with \\: \(ours ?? [])")

        // The streams: the same named streams, of the same sizes; the header block byte for byte
        // (its entries give /names offsets, so /names must agree too); each file's stream, found
        // by its name, holds the file.
        guard let ourStreams = try Self.dump(pdbutil, ["dump", "-summary", "-streams", "-string-table"], links.pelinkPDB),
              let theirStreams = try Self.dump(pdbutil, ["dump", "-summary", "-streams", "-string-table"], links.lldPDB) else { return }
        let named = Self.namedStreams(ourStreams)
        #expect(named == Self.namedStreams(theirStreams), "named streams: pelink \(named), lld-link \(Self.namedStreams(theirStreams))")
        #expect(Set(named.keys) == ["/names", "/src/headerblock", "/src/files/" + shapes.path.lowercased().replacingOccurrences(of: "/", with: "\\"),
                                    "/src/files/" + point.path.lowercased().replacingOccurrences(of: "/", with: "\\")], "\(named)")
        #expect(try Self.export(pdbutil, "/src/headerblock", from: links.pelinkPDB, into: folder)
                == Self.export(pdbutil, "/src/headerblock", from: links.lldPDB, into: folder), "/src/headerblock differs from lld-link's")
        for file in [shapes, point] {
            let stream = "/src/files/" + file.path.lowercased().replacingOccurrences(of: "/", with: "\\")
            #expect(try Self.export(pdbutil, stream, from: links.pelinkPDB, into: folder) == Data(contentsOf: file), "\(stream) does not hold the file")
        }
        let ourDump = PDBUtilDump(ourStreams), theirDump = PDBUtilDump(theirStreams)
        #expect(ourDump.sections["String Table"] == theirDump.sections["String Table"], "/names differs from lld-link's")
        // No feature or flag of the info stream says there are injected sources: the same summary.
        func summary(_ dump: PDBUtilDump) -> [String] {
            (dump.sections["Summary"] ?? []).filter { !$0.contains("GUID") && !$0.contains("Signature") && !$0.contains("Number of") }
        }
        #expect(summary(ourDump) == summary(theirDump), "summary: pelink \(summary(ourDump)), lld-link \(summary(theirDump))")

        // pdb2yaml reads the PDB; the same link elsewhere gives the same PDB.
        let yaml = try runProcess(pdbutil, ["pdb2yaml", "-all", links.pelinkPDB.path])
        #expect(yaml.exitCode == 0 && yaml.stderr.isEmpty, "pdb2yaml: \(yaml.stderr)")
        let again = folder.appendingPathComponent("again")
        try FileManager.default.createDirectory(at: again, withIntermediateDirectories: true)
        let testCase = try GoldenCase(name: "pdb-c")
        let rerun = Driver.run(arguments: testCase.absoluteArguments + ["/natvis:" + shapes.path, "/natvis:" + point.path,
                                                                       "/out:" + again.appendingPathComponent("x.dll").path,
                                                                       "/implib:" + again.appendingPathComponent("x.lib").path], environment: [:])
        #expect(rerun.exitCode == 0)
        #expect(try Data(contentsOf: again.appendingPathComponent("x.pdb")) == Data(contentsOf: links.pelinkPDB), "the PDB differs between two equal links")
    }

    @Test("/sourcelink and /pdbstream: each file in its named stream (sourcelink$1 for /sourcelink), as lld-link's /pdbstream writes it; the named stream map finds them all")
    func sourceLinkAndPDBStreamsAreNamedStreams() throws {
        guard let pdbutil = requireTool("llvm-pdbutil") else { return }
        let folder = try makeTemporaryDirectory("pdb-sourcelink")
        defer { try? FileManager.default.removeItem(at: folder) }
        let sourceLink = folder.appendingPathComponent("sourcelink.json")
        try #"{"documents":{"/pelink/pdb-c/*":"https://example.invalid/pdb-c/*"}}"#.write(to: sourceLink, atomically: true, encoding: .utf8)
        let stale = folder.appendingPathComponent("stale.json")
        try "{}".write(to: stale, atomically: true, encoding: .utf8)
        // Enough streams that the named stream map grows several times over.
        var files: [(name: String, url: URL)] = [("sourcelink$1", sourceLink)]
        for i in 1...9 {
            let url = folder.appendingPathComponent("extra\(i).bin")
            try Data((0..<(i * 37)).map { UInt8(truncatingIfNeeded: $0 &* i) }).write(to: url)
            files.append(("extra\(i)", url))
        }
        let streams = files.dropFirst().map { "/pdbstream:\($0.name)=\($0.url.path)" }
        // The later /sourcelink takes the earlier one's place.
        guard let links = try Self.link(["/sourcelink:" + stale.path, "/sourcelink:" + sourceLink.path] + streams,
                                        lldExtra: ["/pdbstream:sourcelink$1=" + sourceLink.path] + streams, in: folder) else { return }
        #expect(links.pelink.exitCode == 0 && links.pelink.diagnostics.isEmpty, "pelink: \(links.pelink.diagnostics)")
        #expect(links.lld.exitCode == 0 && links.lld.stderr.isEmpty, "lld-link: \(links.lld.stderr)")
        guard links.pelink.exitCode == 0, links.lld.exitCode == 0 else { return }

        guard let ours = try Self.dump(pdbutil, ["dump", "-summary", "-streams", "-named-streams"], links.pelinkPDB),
              let theirs = try Self.dump(pdbutil, ["dump", "-summary", "-streams", "-named-streams"], links.lldPDB) else { return }
        let named = Self.namedStreams(ours)
        #expect(named == Self.namedStreams(theirs), "named streams: pelink \(named), lld-link \(Self.namedStreams(theirs))")
        #expect(Set(named.keys) == Set(files.map(\.name) + ["/names"]), "\(named)")
        for (name, url) in files {
            #expect(try Self.export(pdbutil, name, from: links.pelinkPDB, into: folder) == Data(contentsOf: url), "stream \(name) does not hold \(url.lastPathComponent)")
        }
        // -named-streams lists every entry of the map (pelink's has no /LinkInfo).
        let listed = ours.split(separator: "\n").filter { $0.hasPrefix("  ") && !$0.hasPrefix("    ") && !$0.contains(":") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(Set(listed) == Set(named.keys), "dump -named-streams: \(listed)")
        let yaml = try runProcess(pdbutil, ["pdb2yaml", "-all", links.pelinkPDB.path])
        #expect(yaml.exitCode == 0 && yaml.stderr.isEmpty, "pdb2yaml: \(yaml.stderr)")

        // pelink's own streams are not names a file can take.
        let testCase = try GoldenCase(name: "pdb-c")
        let reserved = Driver.run(arguments: testCase.absoluteArguments + ["/pdbstream:/names=" + sourceLink.path,
                                                                          "/out:" + folder.appendingPathComponent("r.dll").path], environment: [:])
        #expect(reserved.exitCode == 1 && reserved.diagnostics.contains("/pdbstream:/names="), "\(reserved.diagnostics)")
    }

    @Test("a /natvis or /sourcelink file that cannot be read is an error naming the option and the file, and nothing is written")
    func missingPDBFilesAreErrors() throws {
        let folder = try makeTemporaryDirectory("pdb-missing")
        defer { try? FileManager.default.removeItem(at: folder) }
        let testCase = try GoldenCase(name: "pdb-c")
        for option in ["/natvis:", "/sourcelink:", "/pdbstream:x="] {
            let missing = folder.appendingPathComponent("missing-\(option.filter(\.isLetter)).txt").path
            let out = folder.appendingPathComponent("x.dll")
            let run = Driver.run(arguments: testCase.absoluteArguments + [option + missing, "/out:" + out.path], environment: [:])
            #expect(run.exitCode == 1, "\(option): \(run.diagnostics)")
            #expect(run.diagnostics.contains("error: \(option)\(missing): could not open '\(missing)': No such file or directory"), "\(option): \(run.diagnostics)")
            #expect(!FileManager.default.fileExists(atPath: out.path) && !FileManager.default.fileExists(atPath: folder.appendingPathComponent("x.pdb").path),
                    "\(option): a failed link wrote its outputs")
        }
        // A folder is no file either; two /natvis paths the PDB would file under one name clash.
        let folderRun = Driver.run(arguments: testCase.absoluteArguments + ["/natvis:" + folder.path, "/out:" + folder.appendingPathComponent("y.dll").path], environment: [:])
        #expect(folderRun.exitCode == 1 && folderRun.diagnostics.contains("/natvis:\(folder.path)"), "\(folderRun.diagnostics)")
        let clash = Driver.run(arguments: testCase.absoluteArguments + ["/natvis:" + folder.appendingPathComponent("a.natvis").path,
                                                                       "/natvis:" + folder.appendingPathComponent("A.natvis").path,
                                                                       "/out:" + folder.appendingPathComponent("z.dll").path], environment: [:])
        #expect(clash.exitCode == 1 && clash.diagnostics.contains("the same name"), "\(clash.diagnostics)")
    }

    @Test("/pdbstripped: a warning, as lld-link gives; no file at that path, and the same PDB as without it")
    func pdbStrippedWarnsAsLLDLinkDoes() throws {
        let folder = try makeTemporaryDirectory("pdb-stripped")
        defer { try? FileManager.default.removeItem(at: folder) }
        let stripped = folder.appendingPathComponent("stripped.pdb")
        guard let links = try Self.link(["/pdbstripped:" + stripped.path], in: folder),
              let plain = try Self.link([], in: folder.appendingPathComponent("plain")) else { return }
        #expect(links.lld.exitCode == 0 && links.lld.stderr.contains("ignoring /pdbstripped flag"), "lld-link: \(links.lld.stderr)")
        #expect(links.pelink.exitCode == 0 && links.pelink.diagnostics.contains("warning: /pdbstripped:")
                && links.pelink.diagnostics.contains("pdbcopy"), "pelink: \(links.pelink.diagnostics)")
        #expect(!FileManager.default.fileExists(atPath: stripped.path), "a stripped PDB was written")
        #expect(try Data(contentsOf: links.pelinkPDB) == Data(contentsOf: plain.pelinkPDB), "/pdbstripped changed the PDB")
    }

    @Test("/debugtype: cv, pdata and fixup change nothing, in pelink as in lld-link; an unknown kind is a warning in both")
    func debugTypeChangesNothing() throws {
        let folder = try makeTemporaryDirectory("pdb-debugtype")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard let links = try Self.link(["/debugtype:cv,pdata,fixup"], in: folder),
              let plain = try Self.link([], in: folder.appendingPathComponent("plain")),
              let bogus = try Self.link(["/debugtype:cv,bogus"], in: folder.appendingPathComponent("bogus")) else { return }
        #expect(links.lld.exitCode == 0 && links.lld.stderr.isEmpty, "lld-link: \(links.lld.stderr)")
        #expect(links.pelink.exitCode == 0 && links.pelink.diagnostics.isEmpty, "pelink: \(links.pelink.diagnostics)")
        #expect(try Data(contentsOf: links.pelinkDLL) == Data(contentsOf: plain.pelinkDLL), "/debugtype changed the image")
        #expect(try Data(contentsOf: links.pelinkPDB) == Data(contentsOf: plain.pelinkPDB), "/debugtype changed the PDB")
        // lld-link's image differs only in the PDB's GUID (its PDB records the command line).
        let ours = try PEImage(view: try MappedFile(path: links.lldDLL.path).view), theirs = try PEImage(view: try MappedFile(path: plain.lldDLL.path).view)
        #expect(ours.sections.map { [$0.name, String($0.virtualSize)] } == theirs.sections.map { [$0.name, String($0.virtualSize)] })
        #expect(bogus.lld.exitCode == 0 && bogus.lld.stderr.contains("bogus"), "lld-link: \(bogus.lld.stderr)")
        #expect(bogus.pelink.exitCode == 0 && bogus.pelink.diagnostics.contains("warning: /debugtype: unknown kind 'bogus'"), "pelink: \(bogus.pelink.diagnostics)")
    }

    @Test("/profile with /debug keeps /opt:ref on: the same sections and publics as lld-link's, fewer than /debug alone keeps")
    func profileKeepsOptRefWithDebug() throws {
        guard let pdbutil = requireTool("llvm-pdbutil") else { return }
        let folder = try makeTemporaryDirectory("pdb-profile")
        defer { try? FileManager.default.removeItem(at: folder) }
        // /pdbaltpath: the same PDB path in both images (their .rdata holds it).
        guard let links = try Self.link(["/debug", "/profile", "/pdbaltpath:x.pdb"], caseName: "opt-ref", in: folder),
              let debugOnly = try Self.link(["/debug"], caseName: "opt-ref", in: folder.appendingPathComponent("debug")) else { return }
        #expect(links.pelink.exitCode == 0 && links.pelink.diagnostics.isEmpty, "pelink: \(links.pelink.diagnostics)")
        #expect(links.lld.exitCode == 0 && links.lld.stderr.isEmpty, "lld-link: \(links.lld.stderr)")
        guard links.pelink.exitCode == 0, links.lld.exitCode == 0, debugOnly.pelink.exitCode == 0 else { return }
        func table(_ url: URL) throws -> [String] {
            try PEImage(view: try MappedFile(path: url.path).view).sections.map { "\($0.name) 0x\(String($0.virtualSize, radix: 16))" }
        }
        let ourTable = try table(links.pelinkDLL), theirTable = try table(links.lldDLL)
        #expect(ourTable == theirTable, "sections: pelink \(ourTable), lld-link \(theirTable)")
        guard let ours = try Self.dump(pdbutil, ["dump", "-publics"], links.pelinkPDB), let theirs = try Self.dump(pdbutil, ["dump", "-publics"], links.lldPDB),
              let kept = try Self.dump(pdbutil, ["dump", "-publics"], debugOnly.pelinkPDB) else { return }
        let ourPublics = Set(PDBUtilDump(ours).publicNames), theirPublics = Set(PDBUtilDump(theirs).publicNames)
        #expect(ourPublics == theirPublics, "publics: pelink \(ourPublics.sorted()), lld-link \(theirPublics.sorted())")
        #expect(!ourPublics.contains("unused") && !ourPublics.contains("only_user") && ourPublics.contains("kept"), "\(ourPublics.sorted())")
        // Without /profile, /debug keeps what nothing refers to.
        #expect(Set(PDBUtilDump(kept).publicNames).isSuperset(of: ["unused", "only_user"]), "\(PDBUtilDump(kept).publicNames)")
    }
}
