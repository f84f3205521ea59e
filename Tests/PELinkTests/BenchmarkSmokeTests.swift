import Foundation
import Testing
import PEFormat
@testable import PELink

/// The benchmark workload's small preset, linked once by pelink and by lld-link: the exports and
/// the base relocations must agree. Timing belongs to scripts/bench, never to a test.
@Suite("Benchmark workload smoke test")
struct BenchmarkSmokeTests {
    static let generator: String? = {
        let candidates = [
            repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/bench/gen-workload.py").path,
            "/work/shared/bench/gen-workload.py",
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }()

    /// The workload folder: the bench script's cache when it has the preset, else one of our own.
    static func workload() throws -> URL? {
        let shared = URL(fileURLWithPath: "/work/bench-cache/small")
        if FileManager.default.fileExists(atPath: shared.appendingPathComponent("manifest.json").path) { return shared }
        let own = repositoryRoot.appendingPathComponent(".bench-cache/small")
        if FileManager.default.fileExists(atPath: own.appendingPathComponent("manifest.json").path) { return own }
        guard let generator, let python = findTool("python3") else {
            if oraclesRequired { Issue.record("gen-workload.py (../shared/bench) or python3 is missing") }
            return nil
        }
        let run = try runProcess(python, [generator, "--preset", "small", "--out", own.path])
        #expect(run.exitCode == 0, "gen-workload.py failed:\n\(run.stderr)")
        return run.exitCode == 0 ? own : nil
    }

    struct ExportRow: Hashable, CustomStringConvertible {
        var ordinal: UInt32
        var names: [String]
        var forwarder: String?
        var description: String { "@\(ordinal) \(names.isEmpty ? "NONAME" : names.joined(separator: ","))\(forwarder.map { " -> " + $0 } ?? "")" }
    }

    static func exports(_ path: String) throws -> (rows: Set<ExportRow>, baseRelocations: Int) {
        let image = try PEImage(view: try MappedFile(path: path).view)
        let rows = (image.exports?.entries ?? []).map { ExportRow(ordinal: UInt32($0.ordinal), names: $0.names.sorted(), forwarder: $0.forwarder) }
        return (Set(rows), image.baseRelocations.count)
    }

    @Test("small preset: pelink's exports and base relocations equal lld-link's")
    func smallPresetMatchesLLDLink() throws {
        guard let lldLink = requireTool("lld-link"), requireTool("clang") != nil else { return }
        guard let workload = try Self.workload() else { return }
        let out = try makeTemporaryDirectory("bench-small")
        defer { try? FileManager.default.removeItem(at: out) }
        let rsp = "@" + workload.appendingPathComponent("link.rsp").path
        let ours = Driver.run(arguments: [rsp, "/out:\(out.path)/pelink.dll", "/implib:\(out.path)/pelink.lib"])
        #expect(ours.exitCode == 0, "pelink failed on the small workload:\n\(ours.diagnostics)")
        let theirs = try runProcess(lldLink, [rsp, "/out:\(out.path)/lld.dll", "/implib:\(out.path)/lld.lib", "/opt:noicf"])
        #expect(theirs.exitCode == 0, "lld-link failed:\n\(theirs.stderr)")
        guard ours.exitCode == 0, theirs.exitCode == 0 else { return }
        let mine = try Self.exports(out.path + "/pelink.dll")
        let reference = try Self.exports(out.path + "/lld.dll")
        #expect(mine.rows.count > 500, "the small workload exports about a thousand symbols")
        let onlyOurs = mine.rows.subtracting(reference.rows).sorted { $0.ordinal < $1.ordinal }
        let onlyTheirs = reference.rows.subtracting(mine.rows).sorted { $0.ordinal < $1.ordinal }
        #expect(onlyOurs.isEmpty && onlyTheirs.isEmpty,
                "exports differ: only pelink \(onlyOurs.prefix(10)), only lld-link \(onlyTheirs.prefix(10))")
        #expect(mine.baseRelocations == reference.baseRelocations)
    }
}
