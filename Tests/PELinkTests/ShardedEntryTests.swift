import Foundation
import PEFormat
@testable import PELink
import Testing

/// Entering a batch of inputs' symbols by shards of the symbols, one worker per shard, must give
/// what entering the inputs one by one gives: the same image and import library, and the same
/// messages in the same order. Large links take that path; here the threshold is lowered so that
/// a few dozen small objects do.
@Suite("Symbols entered by shards")
struct ShardedEntryTests {
    /// Objects that meet on shared COMDATs (ANY), commons, references to an archive's members
    /// (which refer to each other) and /EXPORT directives, or, with `conflicts`, that also define
    /// symbols twice in the ways that are errors: plainly, as NODUPLICATES COMDATs, and as
    /// SAME_SIZE COMDATs of different sizes.
    private static func inputs(in dir: URL, conflicts: Bool) throws -> [String]? {
        var paths: [String] = []
        for i in 0..<24 {
            var source = ".text\n.globl f\(i)\nf\(i):\n"
            for k in [i % 5, (i * 7) % 5, 5 + i % 3] { source += "    call inl\(k)\n" }
            source += "    call lib\(i % 6)\n    ret\n"
            for k in Set([i % 5, (i * 7) % 5, 5 + i % 3]).sorted() {
                source += ".section .text$inl\(k),\"xr\",discard,inl\(k)\n.globl inl\(k)\ninl\(k):\n    movl $\(k), %eax\n    ret\n"
            }
            source += ".comm shared\(i % 4),\(8 * (1 + i % 3))\n"
            source += ".section .drectve,\"yn\"\n.ascii \" /EXPORT:f\(i)\"\n"
            if conflicts && i % 7 == 3 {
                source += ".text\n.globl plain\(i % 2)\nplain\(i % 2):\n    ret\n"
                source += ".section .text$only,\"xr\",one_only,only\n.globl only\nonly:\n    ret\n"
                source += ".section .data$sized,\"dw\",same_size,sized\n.globl sized\nsized:\n    .zero \(4 + i)\n"
            }
            guard let path = try LinkerBehaviourTests.assemble(source, "m\(i).obj", in: dir) else { return nil }
            paths.append(path)
        }
        var members: [String] = []
        for j in 0..<6 {
            let source = ".text\n.globl lib\(j)\nlib\(j):\n    call lib\((j + 1) % 6)\n    ret\n.globl spare\(j)\nspare\(j):\n    ret\n"
            guard let path = try LinkerBehaviourTests.assemble(source, "lib\(j).obj", in: dir) else { return nil }
            members.append(path)
        }
        let library = dir.appendingPathComponent("lib.lib").path
        let made = Driver.run(arguments: ["/lib", "/out:" + library] + members, environment: [:])
        #expect(made.exitCode == 0, "\(made.diagnostics)")
        return paths + [library]
    }

    /// Links `inputs`; with `sharded`, on two workers entering every batch by shards, otherwise
    /// on one. Returns the messages and the /time report, or the error messages.
    private static func link(_ inputs: [String], out: String, sharded: Bool) throws -> Result<(messages: [String], times: [String]), LinkError> {
        var notes: [String] = []
        // Without /opt:ref, a COMDAT copy that should have been dropped would stay in the image.
        var options = try parseCommandLine(["/dll", "/noentry", "/machine:x64", "/opt:noref", "/out:" + out, "/time"] + inputs, environment: [:], notes: &notes)
        options.threads = sharded ? 2 : 1
        options.shardedEntryMinimum = sharded ? 0 : Int.max
        options.shardedEntryBlockShift = 1
        do {
            let messages = try PELink.link(options)
            return .success((messages.diagnostics, messages.output))
        } catch let error as LinkError {
            return .failure(error)
        }
    }

    @Test func imageAndImportLibraryAreTheOnesEnteringOneByOneGives() throws {
        let dir = try makeTemporaryDirectory("sharded-entry")
        defer { try? FileManager.default.removeItem(at: dir) }
        guard let inputs = try Self.inputs(in: dir, conflicts: false) else { return }
        // Same names in two folders: the DLL's name is in its export table and import library.
        for folder in ["one", "shards"] { try FileManager.default.createDirectory(at: dir.appendingPathComponent(folder), withIntermediateDirectories: true) }
        let one = dir.appendingPathComponent("one/x.dll").path, shards = dir.appendingPathComponent("shards/x.dll").path
        let byOne = try Self.link(inputs, out: one, sharded: false).get()
        let byShards = try Self.link(inputs, out: shards, sharded: true).get()
        // The path under test was taken for every batch (the objects with the archive, then the
        // members they pull in), and the control took it for none.
        func shardedBatches(_ times: [String]) -> (Int, Int)? {
            guard let line = times.first(where: { $0.contains("symbols entered by shards in") }) else { return nil }
            let numbers = line.split(separator: " ").compactMap { Int($0) }
            return numbers.count == 2 ? (numbers[0], numbers[1]) : nil
        }
        let sharded = shardedBatches(byShards.times), control = shardedBatches(byOne.times)
        #expect(sharded.map { $0.0 == $0.1 && $0.1 >= 2 } ?? false, "\(byShards.times)")
        #expect(control.map { $0.0 == 0 && $0.1 >= 2 } ?? false, "\(byOne.times)")
        #expect(byShards.messages == byOne.messages)
        for ext in ["dll", "lib"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: (one as NSString).deletingPathExtension + "." + ext))
            let b = try Data(contentsOf: URL(fileURLWithPath: (shards as NSString).deletingPathExtension + "." + ext))
            #expect(a == b, "the .\(ext) differs")
        }
        // Every object's export, and the members the references pulled in, are in the image.
        let exports = try LinkerBehaviourTests.exports(of: shards).map(\.name)
        #expect(exports.count == 24 && exports.contains("f23"))
    }

    @Test func errorsAreTheOnesEnteringOneByOneGivesInTheSameOrder() throws {
        let dir = try makeTemporaryDirectory("sharded-entry-errors")
        defer { try? FileManager.default.removeItem(at: dir) }
        guard let inputs = try Self.inputs(in: dir, conflicts: true) else { return }
        let byOne = try Self.link(inputs, out: dir.appendingPathComponent("one.dll").path, sharded: false)
        let byShards = try Self.link(inputs, out: dir.appendingPathComponent("shards.dll").path, sharded: true)
        guard case .failure(let one) = byOne, case .failure(let shards) = byShards else {
            Issue.record("both links must fail")
            return
        }
        let kinds = ["duplicate symbol: plain1", "duplicate symbol: only (COMDAT selection NODUPLICATES)", "duplicate symbol: sized (COMDAT selection SAME_SIZE"]
        for kind in kinds { #expect(one.diagnostics.contains { $0.contains(kind) }, "\(kind): \(one.diagnostics)") }
        #expect(shards.diagnostics == one.diagnostics)
    }
}
