// The PDB's hash tables (PDBSymbolTables.swift) against lld-link: the V1 string hash, the
// "/names" stream, and the publics, globals and symbol record streams. lld-link links four
// clang objects with /debug; a small MSF reader below takes its streams apart, the public
// symbols and global records go through `PDBSymbolTables.build` again, and the result must be
// lld-link's streams byte for byte. /names must be lld-link's but for the order in which
// colliding strings take their hash slots (see `PDBStringTable`).

import Foundation
import PEFormat
import Testing

@Suite("PDB hash tables: the V1 hash, /names, publics and globals, against lld-link")
struct PDBSymbolTablesTests {
    // MARK: Without oracles

    @Test("stringV1 gives LLVM's values: type hashes llvm-pdbutil printed for lld-link's PDB (hash mod 0x3FFFF), case folding, both overloads")
    func stringV1KnownValues() {
        // From `llvm-pdbutil dump -types -type-extras` of lld-link's PDB of the sources below:
        // a non-forward C struct or enum is hashed as hashStringV1(name) % 262143. The names
        // cover remainders of 0 to 3 bytes and bytes ≥ 0x80 in the 2-byte and 1-byte tails.
        let known: [(String, UInt32)] = [
            ("Point", 0xE806), ("Color", 0x209B5), ("Matrix", 0x22277), ("Palette", 0x116DF),
            ("Vec2", 0x12818), ("aß", 0xCFCF), ("Größ", 0x1B4E9),
        ]
        for (name, hash) in known {
            #expect(PDBHash.stringV1(Array(name.utf8)) % 262_143 == hash, "\(name)")
        }
        // The empty string: lld-link's /names puts it (offset 1) in bucket 1 of 7.
        #expect(PDBHash.stringV1([]) == 0x2024_0400)
        #expect(PDBHash.stringV1([]) % 7 == 1)
        // ASCII case folding: names differing only in case hash alike.
        #expect(PDBHash.stringV1(Array("MixCase".utf8)) == PDBHash.stringV1(Array("mixcase".utf8)))
        for text in ["", "a", "ab", "abc", "abcd", "abcde", "Größ", "?f@@YAHXZ"] {
            let bytes = Array(text.utf8)
            #expect(bytes.withUnsafeBytes { PDBHash.stringV1($0) } == PDBHash.stringV1(bytes))
        }
    }

    @Test("/names: the empty string at offset 0, strings once each, LLVM's bucket counts, linear probing")
    func stringTableLayout() throws {
        var table = PDBStringTable()
        #expect(table.bytes() == [0xFE, 0xEF, 0xFE, 0xEF, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        let a = table.offset(of: Array("a.c".utf8))
        let b = table.offset(of: Array("b.c".utf8))
        #expect(a == 1 && b == 5 && table.offset(of: Array("a.c".utf8)) == 1 && table.count == 2)
        #expect(table.string(at: b) == Array("b.c".utf8) && table.string(at: 0) == [])
        var linker = PDBStringTable(withEmptyString: true)
        #expect(linker.offset(of: []) == 1 && linker.offset(of: Array("a.c".utf8)) == 2 && linker.count == 2)

        // LLVM's table of (strings, buckets) pairs: the first pair with at least as many strings.
        let pairs: [(Int, Int)] = [(0, 1), (1, 2), (2, 4), (3, 7), (4, 7), (5, 11), (6, 11), (7, 17), (9, 17), (10, 26),
                                   (20482, 40963), (20483, 61445), (1_181_101, 2_362_202), (1_163_693_870, 2_327_387_740)]
        for (strings, buckets) in pairs {
            #expect(PDBStringTable.bucketCount(forStrings: strings) == buckets, "\(strings) strings")
        }

        // Many strings: every one is found by probing from its hash before an empty slot.
        var big = PDBStringTable(withEmptyString: true)
        var offsets: [[UInt8]: UInt32] = [:]
        for i in 0..<500 {
            let s = Array("file\(i * 7919 % 1000).c".utf8)
            offsets[s] = big.offset(of: s)
        }
        let decoded = try gsiDecodeNames(big.bytes())
        #expect(decoded.count == offsets.count + 1)
        for (string, offset) in offsets {
            #expect(decoded.lookup(string) == offset, "\(String(decoding: string, as: UTF8.self))")
        }
    }

    @Test("build: records, header fields, address map and bucket order; the same input gives the same bytes")
    func buildStructure() throws {
        let publics = [
            PDBPublicSymbol(name: Array("zeta".utf8), section: 1, offset: 0x10, isFunction: true),
            PDBPublicSymbol(name: Array("Alpha".utf8), section: 2, offset: 0, isFunction: false),
            PDBPublicSymbol(name: Array("alpha".utf8), section: 1, offset: 0x10, isFunction: true),
        ]
        // S_UDT `ALPHA` (type 0x74), S_CONSTANT `k` (LF_LONG 100000), S_GDATA32 `alpha`.
        let udt: [UInt8] = [0x0E, 0x00, 0x08, 0x11, 0x74, 0, 0, 0] + Array("ALPHA".utf8) + [0, 0, 0]
        let constant: [UInt8] = [0x0E, 0x00, 0x07, 0x11, 0x74, 0, 0, 0, 0x03, 0x80, 0xA0, 0x86, 0x01, 0x00, Character("k").asciiValue ?? 0, 0]
        let data: [UInt8] = [0x12, 0x00, 0x0D, 0x11, 0x74, 0, 0, 0, 4, 0, 0, 0, 3, 0] + Array("alpha".utf8) + [0]
        let result = PDBSymbolTables.build(publics: publics, globals: [udt, constant, data])
        let again = PDBSymbolTables.build(publics: publics, globals: [udt, constant, data])
        #expect(result.symbolRecords == again.symbolRecords && result.publicsStream == again.publicsStream && result.globalsStream == again.globalsStream)
        #expect(PDBSymbolTables.symbolName(udt) == ArraySlice("ALPHA".utf8))
        #expect(PDBSymbolTables.symbolName(constant) == ArraySlice("k".utf8))
        #expect(PDBSymbolTables.symbolName(data) == ArraySlice("alpha".utf8))

        // Publics by name: "Alpha" (0), "alpha" (20), "zeta" (40); then the globals (60...).
        let records = result.symbolRecords
        #expect(records.count == 60 + udt.count + constant.count + data.count)
        #expect(Array(records[0..<14]) == [18, 0, 0x0E, 0x11, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0])
        #expect(Array(records[14..<20]) == Array("Alpha".utf8) + [0])
        #expect(Array(records[20..<24]) == [18, 0, 0x0E, 0x11] && Array(records[24..<28]) == [2, 0, 0, 0])
        #expect(Array(records[60...]) == udt + constant + data)

        let pub = try GSITestTable(result.publicsStream, at: 28)
        #expect(gsiLE32(result.publicsStream, 0) == UInt32(pub.size) && gsiLE32(result.publicsStream, 4) == 12)
        #expect(result.publicsStream.count == 28 + pub.size + 12)
        // Address map: (1, 0x10) "alpha" before "zeta", then (2, 0) "Alpha".
        let map = (0..<3).map { gsiLE32(result.publicsStream, 28 + pub.size + 4 * $0) }
        #expect(map == [20, 40, 0])
        // "Alpha" and "alpha" share a bucket; equal case-insensitively, the lower record first.
        let alphaBucket = Int(PDBHash.stringV1(Array("alpha".utf8)) % 4096)
        #expect(pub.buckets[alphaBucket] == [1, 21])

        let glob = try GSITestTable(result.globalsStream, at: 0)
        #expect(glob.size == result.globalsStream.count)
        // `ALPHA` and `alpha`: same hash, equal case-insensitively, so by record offset.
        #expect(glob.buckets[alphaBucket] == [61, UInt32(61 + udt.count + constant.count)])
        #expect(glob.buckets[Int(PDBHash.stringV1(Array("k".utf8)) % 4096)] == [UInt32(61 + udt.count)])
    }

    // MARK: Against lld-link

    @Test("lld-link's type hashes and GSI buckets agree with stringV1 for every name")
    func stringV1AgainstLLD() async throws {
        guard let pdb = try await Self.lldPDB() else { return }
        // Every non-forward struct/enum whose hash llvm-pdbutil prints.
        var typeHashes = 0
        let lines = pdb.typesDump.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (i, line) in lines.enumerated() where line.contains("LF_STRUCTURE [") || line.contains("LF_ENUM [") {
            guard let hashRange = line.range(of: "hash = 0x"), let open = line.firstIndex(of: "`"), let close = line.lastIndex(of: "`"), open < close else { continue }
            let hashText = line[hashRange.upperBound...].prefix { $0.isHexDigit }
            let options = lines[(i + 1)..<min(lines.count, i + 4)].first { $0.contains("options:") } ?? ""
            if options.contains("forward ref") || options.contains("unique name") || options.contains("scoped") { continue }
            let name = Array(line[line.index(after: open)..<close].utf8)
            #expect(UInt32(hashText, radix: 16) == PDBHash.stringV1(name) % 262_143, "\(line)")
            typeHashes += 1
        }
        #expect(typeHashes == 7, "\(pdb.typesDump)")
        // Every hash record of lld-link's publics and globals sits in the bucket of its name.
        for (stream, start) in [(pdb.publics, 28), (pdb.globals, 0)] {
            let table = try GSITestTable(stream, at: start)
            var records = 0
            for (bucket, offsets) in table.buckets {
                for offset in offsets {
                    let record = try gsiRecord(pdb.symbolRecords, Int(offset) - 1)
                    #expect(Int(PDBHash.stringV1(Array(PDBSymbolTables.symbolName(record))) % 4096) == bucket)
                    records += 1
                }
            }
            #expect(records > 10)
        }
    }

    @Test("the publics, globals and symbol record streams of lld-link's public symbols and global records are lld-link's, byte for byte")
    func gsiStreamsMatchLLD() async throws {
        guard let pdb = try await Self.lldPDB() else { return }
        var publics: [PDBPublicSymbol] = []
        var globals: [[UInt8]] = []
        var at = 0
        while at < pdb.symbolRecords.count {
            let record = try gsiRecord(pdb.symbolRecords, at)
            let kind = gsiLE16(record, 2)
            if kind == 0x110E {
                let flags = gsiLE32(record, 4)
                #expect(flags == 0 || flags == 2, "lld-link sets flags \(flags)")
                let name = record[14...].prefix { $0 != 0 }
                publics.append(PDBPublicSymbol(name: Array(name), section: gsiLE16(record, 12), offset: gsiLE32(record, 8), isFunction: flags & 2 != 0))
            } else {
                globals.append(record)
            }
            at += record.count
        }
        #expect(publics.count >= 15 && globals.count >= 30, "\(publics.count) publics, \(globals.count) globals")
        // lld-link before LLVM's fix of the public symbol hash (llvm/llvm-project#190133, after
        // LLVM 21) hashes a public's name up to a NUL: a COFF short name of exactly 8 bytes
        // is not NUL-terminated, so lld-link hashes the bytes of the symbol's value after it
        // too, and puts the name in a bucket no reader looks in. The sources have no such name.
        #expect(!publics.contains { $0.name.count == 8 }, "a public of 8 bytes: lld-link may hash it wrongly")
        #expect(globals.contains { gsiLE16($0, 2) == 0x1107 } && globals.contains { gsiLE16($0, 2) == 0x1108 } && globals.contains { gsiLE16($0, 2) == 0x110C })

        // lld-link's input order is lost; its publics come sorted by name. Shuffle to show the
        // result does not depend on the order publics are given in.
        let shuffled = publics.enumerated().sorted { ($0.offset * 7) % publics.count < ($1.offset * 7) % publics.count }.map(\.element)
        let ours = PDBSymbolTables.build(publics: shuffled, globals: globals)
        #expect(ours.symbolRecords == pdb.symbolRecords, "symbol records differ at \(gsiFirstDifference(ours.symbolRecords, pdb.symbolRecords))")
        #expect(ours.publicsStream == pdb.publics, "publics differ at \(gsiFirstDifference(ours.publicsStream, pdb.publics))")
        #expect(ours.globalsStream == pdb.globals, "globals differ at \(gsiFirstDifference(ours.globalsStream, pdb.globals))")
    }

    @Test("/names of lld-link's strings: lld-link's header, buffer, bucket count and count; every string found where a reader probes")
    func namesMatchLLD() async throws {
        guard let pdb = try await Self.lldPDB() else { return }
        let theirs = try gsiDecodeNames(pdb.names)
        // lld-link, like link.exe, enters the empty string first (offset 1).
        #expect(theirs.buffer.count > 1 && theirs.buffer[1] == 0)
        var table = PDBStringTable()
        var linker = PDBStringTable(withEmptyString: true)
        var strings: [([UInt8], UInt32)] = []
        var offset = 1
        while offset < theirs.buffer.count {
            let string = Array(theirs.buffer[offset...].prefix { $0 != 0 })
            #expect(table.offset(of: string) == UInt32(offset))
            #expect(linker.offset(of: string) == UInt32(offset))
            strings.append((string, UInt32(offset)))
            offset += string.count + 1
        }
        #expect(strings.count > 60 && table.count == theirs.count)
        let bytes = table.bytes()
        #expect(linker.bytes() == bytes)
        let ours = try gsiDecodeNames(bytes)
        #expect(ours.buffer == theirs.buffer && ours.buckets.count == theirs.buckets.count && ours.count == theirs.count)
        #expect(bytes.count == pdb.names.count && Array(bytes.prefix(12)) == Array(pdb.names.prefix(12)))
        // The slots: the same offsets, each string reached by linear probing from its hash in
        // both tables. Where strings collide, which one takes a slot first follows the order
        // they are entered in: pelink enters them in offset order, lld-link in the iteration
        // order of its StringMap (an xxh3 hash of the string), so the arrays may differ there.
        #expect(Set(ours.buckets.filter { $0 != 0 }) == Set(theirs.buckets.filter { $0 != 0 }))
        for (string, offset) in strings {
            #expect(ours.lookup(string) == offset && theirs.lookup(string) == offset, "\(String(decoding: string, as: UTF8.self))")
        }
        #expect(ours.lookup(Array("not a name".utf8)) == nil)
    }

    // MARK: lld-link's PDB

    static let sources: [(String, String)] = [
        ("a.c", """
            typedef struct Point { int x, y; } Point;
            typedef unsigned long Counter;
            struct Matrix { int m; }; struct Palette { int p; }; struct Vec2 { int v; };
            struct aß { int s; }; struct Größ { int g; };
            __declspec(dllexport) int counter_a = 5;
            static int hidden = 7;
            static int helper(int v) { return v + hidden; }
            __declspec(dllexport) int alpha(Point *p, struct Matrix *m, struct Palette *q, struct Vec2 *v, struct aß *s, struct Größ *g) {
                Counter c = 1; return helper(p->x) + (int)c + m->m + q->p + v->v + s->s + g->g;
            }
            __declspec(dllexport) int abcd(void) { return 1; }
            __declspec(dllexport) int abcdefghefgh(void) { return 2; }
            __declspec(dllexport) int ijklabcdefgh = 3;
            __declspec(dllexport) int mixcase(void) { return 4; }
            __declspec(dllexport) int MIXCASE = 5;
            __declspec(thread) int tls_a = 3;
            """),
        ("b.c", """
            typedef struct Point { int x, y; } Point;
            enum Color { RED = 1, GREEN = 40000, BLUE = -3 };
            int shared_arr[16];
            static int hidden = 8;
            static const int table_b[4] = {1,2,3,4};
            static int helper(int v) { return v * 2 + hidden; }
            __declspec(dllexport) int beta(Point p, enum Color c) { return helper(p.y) + table_b[c & 3] + shared_arr[1]; }
            int gamma_(void) { static int local_static = 9; return local_static++; }
            __declspec(dllexport) int abcdefghijkl(void) { return 6; }
            __declspec(dllexport) int MixCase(void) { return 7; }
            static __declspec(thread) int tls_b = 1;
            int use_tls(void) { return tls_b; }
            unsigned int _tls_index;
            """),
        // S_CONSTANT with numeric leaves of every size.
        ("c.cpp", """
            namespace k {
            constexpr int small = 5;
            constexpr int wide = 40000;
            constexpr int negative = -3;
            constexpr long long big = 1LL << 40;
            constexpr unsigned long long huge = 0xFFFFFFFFFFFFFFF0ull;
            constexpr short tiny = -200;
            constexpr unsigned int large = 3000000000u;
            }
            extern "C" __declspec(dllexport) long long use_k(void) {
                return k::small + k::wide + k::negative + k::big + (long long)k::huge + k::tiny + k::large;
            }
            """),
        // Sixty more source file names in /names (enough that some collide in its hash table).
        ("d.c", (1...60).map { "#line 1 \"generated_\($0).c\"\nint g\($0)(void) { return \($0); }\n" }.joined()),
    ]

    struct LLDStreams: Sendable {
        var symbolRecords: [UInt8]
        var publics: [UInt8]
        var globals: [UInt8]
        var names: [UInt8]
        var typesDump: String
    }

    enum Outcome: Sendable {
        case skipped
        case failed(String)
        case ready(LLDStreams)
    }

    static let once = RunOnce<Outcome>()

    /// lld-link's PDB of the sources' objects, taken apart (nil when an oracle is missing).
    static func lldPDB(sourceLocation: SourceLocation = #_sourceLocation) async throws -> LLDStreams? {
        guard requireTool("clang", sourceLocation: sourceLocation) != nil, requireTool("lld-link", sourceLocation: sourceLocation) != nil,
              requireTool("llvm-pdbutil", sourceLocation: sourceLocation) != nil else { return nil }
        switch await once.value({ makeLLDPDB() }) {
        case .skipped: return nil
        case .failed(let message):
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
            return nil
        case .ready(let streams): return streams
        }
    }

    static func makeLLDPDB() -> Outcome {
        guard let clang = findTool("clang"), let lld = findTool("lld-link"), let pdbutil = findTool("llvm-pdbutil") else { return .skipped }
        do {
            let folder = try makeTemporaryDirectory("gsi")
            defer { try? FileManager.default.removeItem(at: folder) }
            var objects: [String] = []
            for (name, text) in sources {
                let source = folder.appendingPathComponent(name)
                try text.write(to: source, atomically: true, encoding: .utf8)
                let object = folder.appendingPathComponent(name + ".obj").path
                let compile = try runProcess(clang, ["--target=x86_64-pc-windows-msvc", "-g", "-gcodeview", "-c", source.path, "-o", object])
                guard compile.exitCode == 0 else { return .failed("clang \(name): \(compile.stderr)") }
                objects.append(object)
            }
            let dll = folder.appendingPathComponent("x.dll").path
            let link = try runProcess(lld, ["/dll", "/noentry", "/debug", "/out:" + dll] + objects)
            guard link.exitCode == 0 else { return .failed("lld-link: \(link.stderr)") }
            let pdbPath = folder.appendingPathComponent("x.pdb").path
            let types = try runProcess(pdbutil, ["dump", "-types", "-type-extras", pdbPath])
            guard types.exitCode == 0 else { return .failed("llvm-pdbutil: \(types.stderr)") }
            let msf = try GSITestMSF([UInt8](try Data(contentsOf: URL(fileURLWithPath: pdbPath))))
            let dbi = try msf.stream(3)
            let globals = try msf.stream(Int(gsiLE16(dbi, 12)))
            let publics = try msf.stream(Int(gsiLE16(dbi, 16)))
            let records = try msf.stream(Int(gsiLE16(dbi, 20)))
            guard let namesIndex = try gsiNamedStream(try msf.stream(1), "/names") else { return .failed("no /names in the PDB info stream") }
            return .ready(LLDStreams(symbolRecords: records, publics: publics, globals: globals, names: try msf.stream(namesIndex), typesDump: types.stdout))
        } catch {
            return .failed("reading lld-link's PDB: \(error)")
        }
    }
}

// MARK: - Reading a PDB

fileprivate struct GSITestError: Error, CustomStringConvertible {
    var description: String
}

/// Little-endian reads that give 0 past the end (the callers check sizes where it matters).
fileprivate func gsiLE16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
    guard at >= 0, at + 2 <= bytes.count else { return 0 }
    return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
}

fileprivate func gsiLE32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
    guard at >= 0, at + 4 <= bytes.count else { return 0 }
    return (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) }
}

fileprivate func gsiChecked(_ bytes: [UInt8], _ at: Int, _ count: Int, _ what: String) throws -> ArraySlice<UInt8> {
    guard at >= 0, count >= 0, at <= bytes.count, count <= bytes.count - at else {
        throw GSITestError(description: "\(what): \(count) bytes at \(at) past the end (\(bytes.count))")
    }
    return bytes[at..<(at + count)]
}

/// The CodeView record at `at` (with its 2-byte length).
fileprivate func gsiRecord(_ stream: [UInt8], _ at: Int) throws -> [UInt8] {
    _ = try gsiChecked(stream, at, 4, "symbol record header")
    return Array(try gsiChecked(stream, at, Int(gsiLE16(stream, at)) + 2, "symbol record"))
}

fileprivate func gsiFirstDifference(_ a: [UInt8], _ b: [UInt8]) -> String {
    let index = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
    return "byte \(index) (sizes \(a.count) and \(b.count))"
}

/// An MSF 7.00 container: the superblock, the block map of the directory, the directory.
fileprivate struct GSITestMSF {
    var file: [UInt8]
    var blockSize: Int
    var sizes: [Int]
    var blocks: [[Int]]

    init(_ file: [UInt8]) throws {
        self.file = file
        guard file.count >= 56, Array(file[0..<24]) == Array("Microsoft C/C++ MSF 7.00".utf8) else {
            throw GSITestError(description: "not an MSF 7.00 file")
        }
        blockSize = Int(gsiLE32(file, 32))
        guard [512, 1024, 2048, 4096].contains(blockSize) else { throw GSITestError(description: "block size \(blockSize)") }
        let directorySize = Int(gsiLE32(file, 44))
        let blockMapAddress = Int(gsiLE32(file, 52))
        let directoryBlockCount = (directorySize + blockSize - 1) / blockSize
        let map = try gsiChecked(file, blockMapAddress * blockSize, 4 * directoryBlockCount, "directory block map")
        var directory: [UInt8] = []
        for i in 0..<directoryBlockCount {
            let block = Int(gsiLE32(Array(map), 4 * i))
            directory += try gsiChecked(file, block * blockSize, blockSize, "directory block")
        }
        directory = Array(directory.prefix(directorySize))
        let streamCount = Int(gsiLE32(directory, 0))
        guard streamCount >= 0, 4 + 4 * streamCount <= directory.count else { throw GSITestError(description: "directory of \(streamCount) streams") }
        sizes = (0..<streamCount).map { Int(gsiLE32(directory, 4 + 4 * $0)) }
        var at = 4 + 4 * streamCount
        blocks = []
        for i in 0..<streamCount {
            if sizes[i] == 0xFFFF_FFFF { sizes[i] = 0 }
            let count = (sizes[i] + blockSize - 1) / blockSize
            _ = try gsiChecked(directory, at, 4 * count, "stream \(i) block list")
            blocks.append((0..<count).map { Int(gsiLE32(directory, at + 4 * $0)) })
            at += 4 * count
        }
    }

    func stream(_ index: Int) throws -> [UInt8] {
        guard index >= 0, index < sizes.count else { throw GSITestError(description: "no stream \(index)") }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(sizes[index])
        for block in blocks[index] { bytes += try gsiChecked(file, block * blockSize, blockSize, "stream \(index) block") }
        return Array(bytes.prefix(sizes[index]))
    }
}

/// The stream number the PDB info stream's named stream map gives `name`.
fileprivate func gsiNamedStream(_ info: [UInt8], _ name: String) throws -> Int? {
    var at = 28                                     // version, signature, age, GUID
    let bufferSize = Int(gsiLE32(info, at)); at += 4
    let buffer = Array(try gsiChecked(info, at, bufferSize, "named stream names")); at += bufferSize
    _ = try gsiChecked(info, at, 12, "named stream map")
    let capacity = Int(gsiLE32(info, at + 4)); at += 8
    let presentWords = Int(gsiLE32(info, at)); at += 4
    _ = try gsiChecked(info, at, 4 * presentWords, "present bits")
    let presentBits = (0..<presentWords).map { gsiLE32(info, at + 4 * $0) }; at += 4 * presentWords
    let deletedWords = Int(gsiLE32(info, at)); at += 4 + 4 * deletedWords
    for bucket in 0..<capacity {
        let word = bucket / 32
        guard word < presentBits.count, presentBits[word] & (1 << UInt32(bucket % 32)) != 0 else { continue }
        _ = try gsiChecked(info, at, 8, "named stream entry")
        let key = Int(gsiLE32(info, at)), value = Int(gsiLE32(info, at + 4)); at += 8
        if key < buffer.count, Array(buffer[key...].prefix { $0 != 0 }) == Array(name.utf8) { return value }
    }
    return nil
}

/// A /names stream taken apart.
fileprivate struct GSITestNames {
    var buffer: [UInt8]
    var buckets: [UInt32]
    var count: Int

    /// The offset of `string`, found as a reader finds it: probing from its hash.
    func lookup(_ string: [UInt8]) -> UInt32? {
        guard !buckets.isEmpty else { return nil }
        var slot = Int(PDBHash.stringV1(string) % UInt32(buckets.count))
        for _ in 0..<buckets.count {
            let offset = buckets[slot]
            if offset == 0 { return nil }
            if Int(offset) < buffer.count, Array(buffer[Int(offset)...].prefix { $0 != 0 }) == string { return offset }
            slot = (slot + 1) % buckets.count
        }
        return nil
    }
}

fileprivate func gsiDecodeNames(_ stream: [UInt8]) throws -> GSITestNames {
    _ = try gsiChecked(stream, 0, 12, "/names header")
    guard gsiLE32(stream, 0) == 0xEFFE_EFFE, gsiLE32(stream, 4) == 1 else { throw GSITestError(description: "/names signature or version") }
    let size = Int(gsiLE32(stream, 8))
    let buffer = Array(try gsiChecked(stream, 12, size, "/names buffer"))
    let bucketCount = Int(gsiLE32(stream, 12 + size))
    _ = try gsiChecked(stream, 16 + size, 4 * bucketCount + 4, "/names buckets")
    let buckets = (0..<bucketCount).map { gsiLE32(stream, 16 + size + 4 * $0) }
    guard stream.count == 20 + size + 4 * bucketCount else { throw GSITestError(description: "/names size") }
    return GSITestNames(buffer: buffer, buckets: buckets, count: Int(gsiLE32(stream, 16 + size + 4 * bucketCount)))
}

/// A GSI hash table taken apart: each non-empty bucket's hash record offsets, in order.
fileprivate struct GSITestTable {
    var size: Int
    var buckets: [Int: [UInt32]] = [:]

    init(_ stream: [UInt8], at start: Int) throws {
        _ = try gsiChecked(stream, start, 16, "GSI header")
        guard gsiLE32(stream, start) == 0xFFFF_FFFF, gsiLE32(stream, start + 4) == 0xF12F_091A else { throw GSITestError(description: "GSI signature") }
        let recordBytes = Int(gsiLE32(stream, start + 8)), bucketBytes = Int(gsiLE32(stream, start + 12))
        size = 16 + recordBytes + bucketBytes
        _ = try gsiChecked(stream, start, size, "GSI table")
        let records = (0..<(recordBytes / 8)).map { gsiLE32(stream, start + 16 + 8 * $0) }
        for i in 0..<(recordBytes / 8) where gsiLE32(stream, start + 20 + 8 * i) != 1 {
            throw GSITestError(description: "hash record \(i) has a reference count other than 1")
        }
        let bitmap = start + 16 + recordBytes
        var starts: [(bucket: Int, first: Int)] = []
        var next = bitmap + 4 * 129
        for bucket in 0..<4096 where gsiLE32(stream, bitmap + 4 * (bucket / 32)) & (1 << UInt32(bucket % 32)) != 0 {
            starts.append((bucket, Int(gsiLE32(stream, next)) / 12))
            next += 4
        }
        guard next == start + size else { throw GSITestError(description: "GSI bucket count") }
        for (i, entry) in starts.enumerated() {
            let end = i + 1 < starts.count ? starts[i + 1].first : records.count
            guard entry.first <= end, end <= records.count else { throw GSITestError(description: "GSI bucket \(entry.bucket) range") }
            buckets[entry.bucket] = Array(records[entry.first..<end])
        }
    }
}
