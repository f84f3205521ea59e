// CodeView type merging (PEFormat/CodeViewTypes.swift): type index discovery in type and symbol
// records, the TPI hash (hashStringV1, JamCRC, LLVM's hashTypeRecord), TypeMerger's merging and
// its TPI and IPI streams, and its errors.
//
// Against lld-link: C and C++ objects from clang -g -gcodeview (classes with virtual methods and a
// base class, virtual bases, a template instantiated with three types, enums with wide values, a
// union, anonymous members, member pointers, a struct and a function pointer type shared by all
// files) are merged here and linked by lld-link with /debug (global hashes, its default) and
// /debug:noghash. The merged type and item counts must be lld-link's (as llvm-pdbutil counts
// them), the hash of every record must be the one llvm-pdbutil prints, and the TPI and IPI streams
// and their hash streams must be lld-link's byte for byte (but for the hash stream's number).

import Foundation
import PEFormat
import Testing

@Suite("CodeView type merging")
struct CodeViewTypesTests {
    // MARK: Hashes

    @Test("hashStringV1 is LHashPbCb: known values, 0 to 3 tail bytes, bytes ≥ 0x80, the same as PDBHash.stringV1")
    func stringHash() {
        // From llvm-pdbutil's -type-extras of lld-link's PDBs (hash % 0x3FFFF of a struct's name).
        let known: [(String, UInt32)] = [
            ("Point", 0xE806), ("Color", 0x209B5), ("Matrix", 0x22277), ("Palette", 0x116DF),
            ("Vec2", 0x12818), ("aß", 0xCFCF), ("Größ", 0x1B4E9),
        ]
        for (name, hash) in known {
            #expect(Array(name.utf8).withUnsafeBytes { PDBHash.stringV1($0) } % 0x3FFFF == hash, "\(name)")
        }
        #expect(PDBHash.stringV1(UnsafeRawBufferPointer(start: nil, count: 0)) == 0x2024_0400)
        for text in ["", "a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "Größ", "?f@@YAHXZ", "\u{FF}\u{FE}"] {
            let bytes = Array(text.utf8)
            #expect(bytes.withUnsafeBytes { PDBHash.stringV1($0) } == PDBHash.stringV1(bytes), "\(text)")
        }
        // Unsigned tail bytes: 0xFF as the odd byte.
        let odd: [UInt8] = [0x41, 0x42, 0x43, 0x44, 0xFF]
        var expected: UInt32 = 0x4443_4241 ^ 0xFF
        expected |= 0x2020_2020
        expected ^= expected >> 11
        expected ^= expected >> 16
        #expect(odd.withUnsafeBytes { PDBHash.stringV1($0) } == expected)
    }

    @Test("jamCRC is LLVM's JamCRC with initial value 0 (the CRC-32 register, not inverted)")
    func crc() {
        // ~zlib.crc32(data, 0xFFFFFFFF)
        #expect(Array("123456789".utf8).withUnsafeBytes { CodeView.jamCRC($0) } == 0x2DFD_2D88)
        #expect(Array("a".utf8).withUnsafeBytes { CodeView.jamCRC($0) } == 0x3AB5_51CE)
        #expect(CodeView.jamCRC(UnsafeRawBufferPointer(start: nil, count: 0)) == 0)
    }

    @Test("recordHash: UDTs by name, by unique name when scoped, by CRC when forward or anonymous; UDT source lines by the UDT's index")
    func recordHashes() {
        func udt(_ kind: UInt16, options: UInt16, name: String, unique: String?) -> [UInt8] {
            var body = le16(1) + le16(options) + le32(0x1005) + le32(0) + le32(0) + le16(24)
            if kind == CodeView.Leaf.union { body = le16(1) + le16(options) + le32(0x1005) + le16(24) }
            body += Array(name.utf8) + [0]
            if let unique { body += Array(unique.utf8) + [0] }
            return cvRecord(kind, body)
        }
        func hash(_ record: [UInt8]) -> UInt32 { record.withUnsafeBytes { CodeView.recordHash($0) } }
        func stringHash(_ s: String) -> UInt32 { Array(s.utf8).withUnsafeBytes { PDBHash.stringV1($0) } }
        func crc(_ record: [UInt8]) -> UInt32 { record.withUnsafeBytes { CodeView.jamCRC($0) } }

        let plain = udt(CodeView.Leaf.structure, options: 0x200, name: "S", unique: ".?AUS@@")
        #expect(hash(plain) == stringHash("S"))
        let forward = udt(CodeView.Leaf.structure, options: 0x280, name: "S", unique: ".?AUS@@")
        #expect(hash(forward) == crc(forward))
        let scoped = udt(CodeView.Leaf.class, options: 0x300, name: "f::L", unique: ".?AVL@?1??f@@YAXXZ@")
        #expect(hash(scoped) == stringHash(".?AVL@?1??f@@YAXXZ@"))
        let scopedNoUnique = udt(CodeView.Leaf.class, options: 0x100, name: "f::L", unique: nil)
        #expect(hash(scopedNoUnique) == crc(scopedNoUnique))
        for name in ["<unnamed-tag>", "__unnamed", "ns::<unnamed-tag>", "A::__unnamed"] {
            let anonymous = udt(CodeView.Leaf.union, options: 0x200, name: name, unique: ".?AT<unnamed-tag>@@")
            #expect(hash(anonymous) == crc(anonymous), "\(name)")
            // Anonymous only counts with a unique name.
            let noUnique = udt(CodeView.Leaf.union, options: 0, name: name, unique: nil)
            #expect(hash(noUnique) == stringHash(name), "\(name)")
        }
        let enumRecord = cvRecord(CodeView.Leaf.enum, le16(2) + le16(0x200) + le32(0x74) + le32(0x1003) + Array("E\0.?AW4E@@\0".utf8))
        #expect(hash(enumRecord) == stringHash("E"))
        let alias = cvRecord(CodeView.Leaf.alias, le32(0x74) + Array("myint\0".utf8))
        #expect(hash(alias) == stringHash("myint"))
        let sourceLine = cvRecord(CodeView.Leaf.udtSourceLine, le32(0x1005) + le32(0x1000) + le32(7))
        #expect(hash(sourceLine) == le32(0x1005).withUnsafeBytes { PDBHash.stringV1($0) })
        let pointer = cvRecord(CodeView.Leaf.pointer, le32(0x74) + le32(0x1000C))
        #expect(hash(pointer) == crc(pointer))
        // A UDT whose name is not NUL-terminated: by CRC rather than a trap.
        var broken = udt(CodeView.Leaf.structure, options: 0, name: "S", unique: nil)
        broken.removeLast()
        broken[0] = UInt8(broken.count - 2)
        #expect(hash(broken) == crc(broken))
    }

    // MARK: Type indices in type records

    @Test("typeIndexOffsets(inTypeRecord:) finds the type and item indices of every leaf kind")
    func typeRecordOffsets() throws {
        func offsets(_ record: [UInt8]) throws -> [TypeIndexReference] {
            try record.withUnsafeBytes { (buffer) throws(FormatError) in try CodeView.typeIndexOffsets(inTypeRecord: buffer) }
        }
        func t(_ offsets: Int...) -> [TypeIndexReference] { offsets.map { TypeIndexReference(offset: $0, isItem: false) } }
        func i(_ offsets: Int...) -> [TypeIndexReference] { offsets.map { TypeIndexReference(offset: $0, isItem: true) } }
        let L = CodeView.Leaf.self

        #expect(try offsets(cvRecord(L.modifier, le32(0x74) + le16(1) + le16(0))) == t(4))
        #expect(try offsets(cvRecord(L.pointer, le32(0x74) + le32(0x1000C))) == t(4))
        // Pointer to data member (mode 2) and to member function (mode 3): the containing class too.
        #expect(try offsets(cvRecord(L.pointer, le32(0x1001) + le32(0x1000C | 2 << 5) + le32(0x1002) + le16(1) + le16(0))) == t(4, 12))
        #expect(try offsets(cvRecord(L.pointer, le32(0x1001) + le32(0x1000C | 3 << 5) + le32(0x1002) + le16(8) + le16(0))) == t(4, 12))
        #expect(try offsets(cvRecord(L.procedure, le32(0x74) + [0, 0] + le16(2) + le32(0x1003))) == t(4, 12))
        #expect(try offsets(cvRecord(L.memberFunction, le32(3) + le32(0x1001) + le32(0x1002) + [0, 0] + le16(0) + le32(0x1003) + le32(0))) == t(4, 8, 12, 20))
        #expect(try offsets(cvRecord(L.argumentList, le32(3) + le32(0x74) + le32(0x1001) + le32(0x1002))) == t(8, 12, 16))
        #expect(try offsets(cvRecord(L.argumentList, le32(0))) == [])
        #expect(try offsets(cvRecord(L.array, le32(0x74) + le32(0x23) + le16(16) + [0, 0xF1])) == t(4, 8))
        let classBody = le16(3) + le16(0x200) + le32(0x1004) + le32(0) + le32(0x1005) + [0x02, 0x80, 0x00, 0x01] + Array("C\0.?AVC@@\0".utf8)
        #expect(try offsets(cvRecord(L.class, classBody)) == t(8, 12, 16))
        #expect(try offsets(cvRecord(L.structure, classBody)) == t(8, 12, 16))
        #expect(try offsets(cvRecord(L.interface, classBody)) == t(8, 12, 16))
        #expect(try offsets(cvRecord(L.structure2, le32(0x200) + le32(0x1004) + le32(0) + le32(0) + le16(1) + le16(4) + Array("S\0".utf8))) == t(8, 12, 16))
        #expect(try offsets(cvRecord(L.union, le16(2) + le16(0) + le32(0x1004) + le16(8) + Array("U\0".utf8))) == t(8))
        #expect(try offsets(cvRecord(L.enum, le16(2) + le16(0) + le32(0x74) + le32(0x1004) + Array("E\0".utf8))) == t(8, 12))
        #expect(try offsets(cvRecord(L.alias, le32(0x74) + Array("A\0".utf8))) == t(4))
        #expect(try offsets(cvRecord(L.bitField, le32(0x75) + [3, 5, 0xF2, 0xF1])) == t(4))
        #expect(try offsets(cvRecord(L.vftable, le32(0x1001) + le32(0) + le32(0) + le32(2) + Array("a\0".utf8))) == t(4, 8))
        #expect(try offsets(cvRecord(L.vtShape, le16(1) + [0, 0xF1])) == [])
        #expect(try offsets(cvRecord(L.label, le16(0) + [0xF2, 0xF1])) == [])
        // LF_METHODLIST: 8-byte entries, 12 for an introducing virtual method (kind 4 or 6).
        let methods = le16(3) + le16(0) + le32(0x1001) + le16(4 << 2 | 3) + le16(0) + le32(0x1002) + le32(8)
            + le16(6 << 2 | 3) + le16(0) + le32(0x1003) + le32(16) + le16(1 << 2 | 3) + le16(0) + le32(0x1004)
        #expect(try offsets(cvRecord(L.methodList, methods)) == t(8, 16, 28, 40))
        // Items.
        #expect(try offsets(cvRecord(L.funcID, le32(0x1002) + le32(0x1001) + Array("f\0".utf8))) == i(4) + t(8))
        #expect(try offsets(cvRecord(L.memberFuncID, le32(0x1002) + le32(0x1001) + Array("f\0".utf8))) == t(4, 8))
        #expect(try offsets(cvRecord(L.stringID, le32(0x1003) + Array("s\0".utf8))) == i(4))
        #expect(try offsets(cvRecord(L.substringList, le32(2) + le32(0x1000) + le32(0x1001))) == i(8, 12))
        #expect(try offsets(cvRecord(L.buildInfo, le16(3) + le32(0x1000) + le32(0x1001) + le32(0) + [0xF2, 0xF1])) == i(6, 10, 14))
        #expect(try offsets(cvRecord(L.udtSourceLine, le32(0x1005) + le32(0x1000) + le32(12))) == t(4) + i(8))
        #expect(try offsets(cvRecord(L.udtModuleSourceLine, le32(0x1005) + le32(0x44) + le32(12) + le16(1) + [0xF2, 0xF1])) == t(4))
        // Refused by merge(), but no type index fields.
        #expect(try offsets(cvRecord(L.typeServer2, [UInt8](repeating: 1, count: 16) + le32(1) + Array("x.pdb\0".utf8))) == [])
        #expect(try offsets(cvRecord(L.precomp, le32(0x1000) + le32(3) + le32(0) + Array("p.obj\0".utf8))) == [])
        #expect(try offsets(cvRecord(L.endPrecomp, le32(0))) == [])
        // Bytes past the record's length are not read.
        #expect(try offsets(cvRecord(L.modifier, le32(0x74) + le16(1) + le16(0)) + [0xFF, 0xFF, 0xFF, 0xFF]) == t(4))
    }

    @Test("LF_FIELDLIST: every member kind, numeric leaves of every size, LF_PAD bytes between members")
    func fieldListOffsets() throws {
        var body: [UInt8] = []
        var expected: [Int] = []
        /// Appends a member; `references` are offsets within the member.
        func member(_ bytes: [UInt8], _ references: Int...) {
            for r in references { expected.append(4 + body.count + r) }
            body += bytes
            while body.count % 4 != 0 { body.append(UInt8(0xF0 + 4 - body.count % 4)) }
        }
        let L = CodeView.Leaf.self
        member(le16(L.baseClass) + le16(3) + le32(0x1001) + le16(0x8002) + le16(0x9000), 4)              // LF_USHORT offset
        member(le16(L.virtualBaseClass) + le16(3) + le32(0x1002) + le32(0x1003) + le16(0x8000) + [8] + le16(0x8003) + le32(0x7000_0000), 4, 8)   // LF_CHAR, LF_LONG
        member(le16(L.indirectVirtualBaseClass) + le16(3) + le32(0x1004) + le32(0x1003) + le16(0) + le16(1), 4, 8)
        member(le16(L.vfuncTab) + le16(0) + le32(0x1005), 4)
        member(le16(L.member) + le16(3) + le32(0x74) + le16(0x8009) + [1, 2, 3, 4, 5, 6, 7, 8] + Array("quad\0".utf8), 4)   // LF_QUADWORD
        member(le16(L.member) + le16(3) + le32(0x1006) + le16(0x800A) + [UInt8](repeating: 0xFF, count: 8) + Array("uquad\0".utf8), 4)
        member(le16(L.member) + le16(3) + le32(0x1006) + le16(0x8001) + le16(0xFFFF) + Array("short\0".utf8), 4)
        member(le16(L.member) + le16(3) + le32(0x1006) + le16(0x8004) + le32(0xFFFF_FFFF) + Array("ulong\0".utf8), 4)
        member(le16(L.member) + le16(3) + le32(0x1006) + le16(0x8010) + le16(3) + Array("abc".utf8) + Array("varstring\0".utf8), 4)
        member(le16(L.staticMember) + le16(3) + le32(0x1007) + Array("count\0".utf8), 4)
        member(le16(L.method) + le16(2) + le32(0x1008) + Array("scale\0".utf8), 4)
        member(le16(L.oneMethod) + le16(4 << 2 | 3) + le32(0x1009) + le32(8) + Array("area\0".utf8), 4)      // introducing virtual
        member(le16(L.oneMethod) + le16(6 << 2 | 3) + le32(0x100A) + le32(16) + Array("pure\0".utf8), 4)     // pure introducing virtual
        member(le16(L.oneMethod) + le16(1 << 2 | 3) + le32(0x100B) + Array("virt\0".utf8), 4)                // virtual, not introducing
        member(le16(L.oneMethod) + le16(3) + le32(0x100B) + Array("plain\0".utf8), 4)
        member(le16(L.nestedType) + le16(0) + le32(0x100C) + Array("Tag\0".utf8), 4)
        member(le16(L.nestedTypeEx) + le16(3) + le32(0x100C) + Array("Tag2\0".utf8), 4)
        member(le16(L.friendClass) + le16(0) + le32(0x100D), 4)
        member(le16(L.friendFunction) + le16(0) + le32(0x100E) + Array("fr\0".utf8), 4)
        member(le16(L.vfuncOffset) + le16(0) + le32(0x100F) + le32(8), 4)
        member(le16(L.baseInterface) + le16(3) + le32(0x1010) + le16(0), 4)
        member(le16(L.enumerate) + le16(3) + le16(5) + Array("small\0".utf8))
        member(le16(L.enumerate) + le16(3) + le16(0x800A) + [0x90, 0x78, 0x56, 0x34, 0x12, 0, 0, 0] + Array("huge\0".utf8))
        member(le16(L.enumerate) + le16(3) + le16(0x8000) + [0xFD] + Array("neg\0".utf8))
        member(le16(L.enumerate) + le16(3) + le16(0x801B) + Array("utf8\0".utf8) + Array("u\0".utf8))
        member(le16(L.index) + le16(0) + le32(0x1011), 4)
        let record = cvRecord(L.fieldList, body)
        let found = try record.withUnsafeBytes { (buffer) throws(FormatError) in try CodeView.typeIndexOffsets(inTypeRecord: buffer) }
        #expect(found.map(\.offset) == expected)
        #expect(found.allSatisfy { !$0.isItem })
        // Each found offset holds one of the indices written above.
        for reference in found {
            let value = UInt32(record[reference.offset]) | UInt32(record[reference.offset + 1]) << 8 | UInt32(record[reference.offset + 2]) << 16
            #expect(value == 0x74 || (value >= 0x1001 && value <= 0x1011), "offset \(reference.offset)")
        }
    }

    @Test("typeIndexOffsets(inTypeRecord:) throws for unknown kinds and short records, naming the kind in hex")
    func typeRecordErrors() {
        func message(_ record: [UInt8]) -> String? {
            do {
                _ = try record.withUnsafeBytes { (buffer) throws(FormatError) in try CodeView.typeIndexOffsets(inTypeRecord: buffer) }
                return nil
            } catch {
                return (error as? FormatError)?.message ?? "\(error)"
            }
        }
        let L = CodeView.Leaf.self
        #expect(message(cvRecord(0x1234, le32(0))) == "type record of unknown kind 0x1234")
        #expect(message(cvRecord(L.pointer, le32(0x74))) == "type record of kind LF_POINTER (0x1002) is too short for its fields (8 bytes, at least 12 needed)")
        #expect(message(cvRecord(L.pointer, le32(0x74) + le32(0x1000C | 2 << 5)))?.contains("at least 16 needed") == true)
        #expect(message(cvRecord(L.argumentList, le32(0x4000_0000) + le32(0x74)))?.contains("LF_ARGLIST (0x1201) is too short") == true)
        #expect(message(cvRecord(L.buildInfo, le16(5) + le32(0x1000)))?.contains("LF_BUILDINFO (0x1603)") == true)
        #expect(message(cvRecord(L.methodList, le16(4 << 2) + le16(0) + le32(0x1001)))?.contains("LF_METHODLIST (0x1206) is too short") == true)
        #expect(message([2, 0]) == "a type record of 2 bytes is too short for its length and kind fields")
        #expect(message(le16(20) + le16(L.modifier) + le32(0x74)) == "type record of kind LF_MODIFIER (0x1001) says it has 20 bytes, but only 6 follow its length field")
        // Field lists: an unknown member, a cut-off member, an unterminated name, an unknown numeric leaf, padding past the end.
        #expect(message(cvRecord(L.fieldList, le16(0x1499) + le16(0) + le32(0x74))) == "type record of kind LF_FIELDLIST (0x1203): member of unknown kind 0x1499 at offset 4 of the record (12 bytes)")
        #expect(message(cvRecord(L.fieldList, le16(L.member) + le16(3) + le16(0x74)))?.contains("member of kind LF_MEMBER (0x150d) is cut off") == true)
        #expect(message(cvRecord(L.fieldList, le16(L.member) + le16(3) + le32(0x74) + le16(0) + Array("abc".utf8)))?.contains("is not NUL-terminated") == true)
        #expect(message(cvRecord(L.fieldList, le16(L.member) + le16(3) + le32(0x74) + le16(0x8077) + Array("abc\0".utf8)))?.contains("the numeric field (leaf 0x8077) of a member of kind LF_MEMBER (0x150d) is unknown or cut off") == true)
        #expect(message(cvRecord(L.fieldList, le16(L.member) + le16(3) + le32(0x74) + le16(0x8009) + [1, 2, 3] + Array("abc\0".utf8)))?.contains("unknown or cut off") == true)
        #expect(message(cvRecord(L.fieldList, le16(L.index) + le16(0) + le32(0x1000) + [0xF3, 0xF2]))?.contains("padding byte 0xf3 runs past the end") == true)
    }

    // MARK: Type indices in symbol records

    @Test("typeIndexOffsets(inSymbolRecord:): procedures, data, locals, inline sites, counted lists, kinds without types, unknown kinds")
    func symbolRecordOffsets() {
        func offsets(_ kind: UInt16, _ body: [UInt8] = [UInt8](repeating: 0, count: 40)) -> [TypeIndexReference]? {
            cvRecord(kind, body).withUnsafeBytes { CodeView.typeIndexOffsets(inSymbolRecord: $0) }
        }
        func t(_ offset: Int) -> [TypeIndexReference] { [TypeIndexReference(offset: offset, isItem: false)] }
        func i(_ offset: Int) -> [TypeIndexReference] { [TypeIndexReference(offset: offset, isItem: true)] }
        for kind: UInt16 in [0x1110, 0x110F, 0x1155] { #expect(offsets(kind) == t(28), "0x\(String(kind, radix: 16))") }
        for kind: UInt16 in [0x1147, 0x1146, 0x1156] { #expect(offsets(kind) == i(28), "0x\(String(kind, radix: 16))") }
        for kind: UInt16 in [0x1108, 0x1109, 0x110D, 0x110C, 0x1113, 0x1112, 0x1107, 0x113E, 0x1106, 0x1153] {
            #expect(offsets(kind) == t(4), "0x\(String(kind, radix: 16))")
        }
        #expect(offsets(0x114C) == i(4))                       // S_BUILDINFO
        for kind: UInt16 in [0x110B, 0x1111] { #expect(offsets(kind) == t(8)) }  // S_BPREL32, S_REGREL32
        for kind: UInt16 in [0x1139, 0x115E] { #expect(offsets(kind) == t(12)) } // S_CALLSITEINFO, S_HEAPALLOCSITE
        #expect(offsets(0x114D) == i(12))                      // S_INLINESITE: the inlinee
        // S_CALLEES, S_CALLERS, S_INLINEES: a count, then that many items.
        for kind: UInt16 in [0x115A, 0x115B, 0x1168] {
            #expect(offsets(kind, le32(2) + le32(0x1001) + le32(0x1002)) == i(8) + i(12))
            #expect(offsets(kind, le32(0)) == [])
            // A count past the record: one reference past its end, for the caller's length check.
            #expect(offsets(kind, le32(0xFFFF_FFFF) + le32(0x1001)) == i(8) + i(12))
        }
        for kind: UInt16 in [0x0006, 0x114F, 0x114E, 0x1012, 0x1101, 0x113C, 0x1116, 0x113D, 0x1103, 0x1105, 0x1102, 0x1136, 0x1137,
                             0x1138, 0x112C, 0x113F, 0x1140, 0x1141, 0x1142, 0x1143, 0x1144, 0x1145, 0x113A, 0x1019, 0x1124, 0x110E,
                             0x1125, 0x1127, 0x1126, 0x1159, 0x115C, 0x112D] {
            #expect(offsets(kind) == [], "0x\(String(kind, radix: 16))")
        }
        #expect(offsets(0x9999) == nil)
        #expect([UInt8(2), 0].withUnsafeBytes { CodeView.typeIndexOffsets(inSymbolRecord: $0) } == nil)
    }

    // MARK: Merging

    @Test("merge: equal records after rewriting share an index, TPI and IPI count apart, records are padded with LF_PAD3-1, maps are per object")
    func mergeBasics() throws {
        let L = CodeView.Leaf.self
        var merger = TypeMerger()
        // Object 1: const int, pointer to it, a string id "ab" (11 bytes: padded to 12 with F1).
        let one = debugT([
            cvRecord(L.modifier, le32(0x74) + le16(1) + le16(0)),
            cvRecord(L.pointer, le32(0x1000) + le32(0x1000C)),
            cvRecord(L.stringID, le32(0) + Array("ab\0".utf8)),
        ])
        let map1 = try merge(&merger, one)
        #expect(map1 == [0x1000, 0x1001, 0x1000])
        #expect(merger.typeCount == 2 && merger.itemCount == 1)
        #expect(merger.itemRecord(0x1000) == le16(10) + le16(L.stringID) + le32(0) + Array("ab\0".utf8) + [0xF1])
        // Object 2: other strings first, then the same two types, a function id naming "ab" as its scope.
        let two = debugT([
            cvRecord(L.stringID, le32(0) + Array("a\0".utf8)),            // 10 bytes: F2 F1
            cvRecord(L.stringID, le32(0) + Array("abcd\0".utf8)),         // 13 bytes: F3 F2 F1
            cvRecord(L.stringID, le32(0) + Array("ab\0".utf8)),
            cvRecord(L.modifier, le32(0x74) + le16(1) + le16(0)),
            cvRecord(L.pointer, le32(0x1003) + le32(0x1000C)),
            cvRecord(L.argumentList, le32(1) + le32(0x1004)),
            cvRecord(L.procedure, le32(0x74) + [0, 0] + le16(1) + le32(0x1005)),
            cvRecord(L.funcID, le32(0x1002) + le32(0x1006) + Array("f\0".utf8)),
        ])
        let map2 = try merge(&merger, two)
        #expect(map2 == [0x1001, 0x1002, 0x1000, 0x1000, 0x1001, 0x1002, 0x1003, 0x1003])
        #expect(merger.typeCount == 4 && merger.itemCount == 4)
        #expect(merger.itemRecord(0x1001) == le16(10) + le16(L.stringID) + le32(0) + Array("a\0".utf8) + [0xF2, 0xF1])
        #expect(merger.itemRecord(0x1002) == le16(14) + le16(L.stringID) + le32(0) + Array("abcd\0".utf8) + [0xF3, 0xF2, 0xF1])
        #expect(merger.typeRecord(0x1002) == cvRecord(L.argumentList, le32(1) + le32(0x1001)))
        // The function id's scope and type were rewritten; its function type is found.
        #expect(merger.itemRecord(0x1003) == le16(14) + le16(L.funcID) + le32(0x1000) + le32(0x1003) + Array("f\0".utf8) + [0xF2, 0xF1])
        #expect(merger.functionType(ofItem: 0x1003) == 0x1003)
        #expect(merger.functionType(ofItem: 0x1000) == nil && merger.functionType(ofItem: 0x1004) == nil && merger.functionType(ofItem: 5) == nil)
        #expect(merger.typeRecord(0x1004) == nil && merger.itemRecord(0xFFF) == nil)
        // The same object again: nothing new.
        #expect(try merge(&merger, two) == map2)
        #expect(merger.typeCount == 4 && merger.itemCount == 4)
        // An empty section: no types.
        #expect(try merger.merge(debugT: UnsafeRawBufferPointer(start: nil, count: 0), file: "e.obj", sectionOffset: 0) == [])
        // Deterministic: the same merges give the same streams.
        var again = TypeMerger()
        _ = try merge(&again, one)
        _ = try merge(&again, two)
        _ = try merge(&again, two)
        #expect(again.typeStream(hashStreamIndex: 6) == merger.typeStream(hashStreamIndex: 6))
        #expect(again.itemStream(hashStreamIndex: 7) == merger.itemStream(hashStreamIndex: 7))
    }

    @Test("typeStream and itemStream: the 56-byte header, the records, hash values mod 0x3FFFF, an index offset per 8 KiB")
    func streamLayout() throws {
        let L = CodeView.Leaf.self
        var merger = TypeMerger()
        // 3000 distinct string ids of 16..20 bytes, and 2 types.
        var records: [[UInt8]] = []
        for n in 0..<3000 { records.append(cvRecord(L.stringID, le32(0) + Array("s\(n)\0".utf8))) }
        records.append(cvRecord(L.modifier, le32(0x74) + le16(1) + le16(0)))
        records.append(cvRecord(L.pointer, le32(0x1000 + 3000) + le32(0x1000C)))
        _ = try merge(&merger, debugT(records))
        #expect(merger.itemCount == 3000 && merger.typeCount == 2)

        let (stream, hashStream) = merger.itemStream(hashStreamIndex: 0x1234)
        func u32(_ b: [UInt8], _ at: Int) -> UInt32 { UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24 }
        let recordBytes = Int(u32(stream, 16))
        #expect(u32(stream, 0) == 20_040_203 && u32(stream, 4) == 56 && u32(stream, 8) == 0x1000 && u32(stream, 12) == 0x1000 + 3000)
        #expect(stream.count == 56 + recordBytes)
        #expect(stream[20] == 0x34 && stream[21] == 0x12 && stream[22] == 0xFF && stream[23] == 0xFF)
        #expect(u32(stream, 24) == 4 && u32(stream, 28) == 0x3FFFF)
        #expect(u32(stream, 32) == 0 && u32(stream, 36) == 4 * 3000)            // hash values
        #expect(u32(stream, 40) == 4 * 3000)                                      // index offsets
        #expect(u32(stream, 48) == 4 * 3000 && u32(stream, 52) == 0)              // no hash adjusters
        let indexOffsetBytes = Int(u32(stream, 44))
        #expect(hashStream.count == 4 * 3000 + indexOffsetBytes)
        // Walk the records: each hash, and the index offsets as LLVM's TpiStreamBuilder makes them.
        var at = 56
        var expectedOffsets: [(UInt32, UInt32)] = []
        for n in 0..<3000 {
            let size = 2 + Int(stream[at]) + Int(stream[at + 1]) << 8
            #expect(size % 4 == 0)
            let record = Array(stream[at..<at + size])
            #expect(u32(hashStream, 4 * n) == record.withUnsafeBytes { CodeView.recordHash($0) } % 0x3FFFF)
            let start = at - 56
            if n == 0 || (start + size) / 8192 > start / 8192 { expectedOffsets.append((UInt32(0x1000 + n), UInt32(start))) }
            at += size
        }
        #expect(at == stream.count)
        #expect(expectedOffsets.count > 5 && indexOffsetBytes == 8 * expectedOffsets.count)
        for (k, pair) in expectedOffsets.enumerated() {
            #expect(u32(hashStream, 4 * 3000 + 8 * k) == pair.0 && u32(hashStream, 4 * 3000 + 8 * k + 4) == pair.1)
        }
        // An empty stream.
        let (empty, emptyHash) = TypeMerger().typeStream(hashStreamIndex: 6)
        #expect(empty.count == 56 && emptyHash.isEmpty && u32(empty, 12) == 0x1000 && u32(empty, 16) == 0)
    }

    @Test("merge errors: each names the object, the offset of the bad record in the file, and what is wrong")
    func mergeErrors() {
        let L = CodeView.Leaf.self
        let modifier = cvRecord(L.modifier, le32(0x74) + le16(1) + le16(0))     // 12 bytes
        func failure(_ section: [UInt8]) -> FormatError? {
            var merger = TypeMerger()
            do {
                _ = try section.withUnsafeBytes { (buffer) throws(FormatError) in try merger.merge(debugT: buffer, file: "t.obj", sectionOffset: 0x200) }
                return nil
            } catch {
                return error as? FormatError ?? FormatError(file: "", "\(error)")
            }
        }
        func check(_ section: [UInt8], offset: Int, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
            guard let error = failure(section) else {
                Issue.record("no error for \(message)", sourceLocation: sourceLocation)
                return
            }
            #expect(error.file == "t.obj" && error.offset == offset, "\(error)", sourceLocation: sourceLocation)
            #expect(error.message == message, sourceLocation: sourceLocation)
        }
        check([4, 0], offset: 0x200, "section .debug$T (2 bytes) is too short for the CodeView signature")
        check(le32(1) + modifier, offset: 0x200, "section .debug$T does not begin with the CodeView C13 signature (4) but with 1")
        // Lengths: past the end, too small for the kind, a header cut off.
        check(debugT([modifier, le16(0x1000) + le16(L.pointer) + le32(0x1000) + le32(0x1000C)]), offset: 0x210,
              "type record 0x1001 of .debug$T (kind LF_POINTER (0x1002)) says it has 4096 bytes, which runs past the end of the section (0x1c bytes)")
        check(debugT([modifier, le16(1) + [0x02, 0, 0]]), offset: 0x210, "type record 0x1001 of .debug$T has length 1, too small to hold its kind")
        check(debugT([modifier]) + [8, 0], offset: 0x210, "type record 0x1001 of .debug$T is cut off: 2 bytes are left in the section, too few for its length and kind")
        // References: forward, to itself, past the records, to a record of the other stream.
        let forward = debugT([modifier, cvRecord(L.pointer, le32(0x1002) + le32(0x1000C)), modifier])
        check(forward, offset: 0x210, "the LF_POINTER record (type index 0x1001) of .debug$T refers to type index 0x1002, itself or a later record; CodeView records may only refer to records before them")
        check(debugT([cvRecord(L.pointer, le32(0x1000) + le32(0x1000C))]), offset: 0x204,
              "the LF_POINTER record (type index 0x1000) of .debug$T refers to type index 0x1000, itself or a later record; CodeView records may only refer to records before them")
        check(debugT([modifier, cvRecord(L.pointer, le32(0x100D) + le32(0x1000C))]), offset: 0x210,
              "the LF_POINTER record (type index 0x1001) of .debug$T refers to type index 0x100d, which the object does not define (its .debug$T has type indices 0x1000-0x1001)")
        let stringID = cvRecord(L.stringID, le32(0) + Array("ns\0".utf8))
        check(debugT([stringID, cvRecord(L.pointer, le32(0x1000) + le32(0x1000C))]), offset: 0x20F,     // after 11 bytes
              "the LF_POINTER record (type index 0x1001) of .debug$T refers to type index 0x1000, an item (IPI) record (LF_STRING_ID (0x1605)), at offset 4 of the record where a type (TPI) record is required")
        check(debugT([modifier, cvRecord(L.funcID, le32(0x1000) + le32(0x74) + Array("f\0".utf8))]), offset: 0x210,
              "the LF_FUNC_ID record (type index 0x1001) of .debug$T refers to type index 0x1000, a type (TPI) record (LF_MODIFIER (0x1001)), at offset 4 of the record where an item (IPI) record is required")
        check(debugT([modifier, cvRecord(L.memberFuncID, le32(0x1000) + le32(0x1000) + Array("f\0".utf8)), cvRecord(L.udtSourceLine, le32(0x1000) + le32(0x1000) + le32(3))]), offset: 0x21E,
              "the LF_UDT_SRC_LINE record (type index 0x1002) of .debug$T refers to type index 0x1000, a type (TPI) record (LF_MODIFIER (0x1001)), at offset 8 of the record where an item (IPI) record is required")
        // Unknown kinds and records too short for their fields, with the record's offset.
        check(debugT([modifier, cvRecord(0x1234, le32(0))]), offset: 0x210, "type record 0x1001 of .debug$T: type record of unknown kind 0x1234")
        check(debugT([modifier, cvRecord(L.pointer, le32(0x1000))]), offset: 0x210,
              "type record 0x1001 of .debug$T: type record of kind LF_POINTER (0x1002) is too short for its fields (8 bytes, at least 12 needed)")
        // Type servers and precompiled headers.
        let guid = [UInt8](repeating: 1, count: 16)
        check(debugT([cvRecord(L.typeServer2, guid + le32(1) + Array("C:\\vc140.pdb\0".utf8))]), offset: 0x204,
              ".debug$T refers to a type server PDB (LF_TYPESERVER2), which pelink does not support: the object was compiled with /Zi; compile it with /Z7")
        check(debugT([cvRecord(L.precomp, le32(0x1000) + le32(3) + le32(0) + Array("p.obj\0".utf8))]), offset: 0x204,
              ".debug$T uses the types of a precompiled header (LF_PRECOMP), which pelink does not support: the object was compiled with /Yu; compile it with /Z7 and without precompiled headers")
        check(debugT([modifier, cvRecord(L.endPrecomp, le32(0))]), offset: 0x210,
              ".debug$T holds the types of a precompiled header (LF_ENDPRECOMP), which pelink does not support: the object was compiled with /Yc; compile it with /Z7 and without precompiled headers")
        // A record that cannot be padded within a 16-bit length.
        check(debugT([le16(0xFFFF) + le16(L.stringID) + le32(0) + [UInt8](repeating: 0x61, count: 0xFFF8) + [0]]), offset: 0x204,
              "the LF_STRING_ID record (type index 0x1000) of .debug$T has 65535 bytes, too many to pad to a multiple of 4 within a record's 16-bit length")
        // Simple indices and 0 are left alone.
        #expect(failure(debugT([cvRecord(L.argumentList, le32(3) + le32(0) + le32(0x74) + le32(0xFFF))])) == nil)
    }

    // MARK: Against lld-link

    @Test("the merged type and item counts of clang's C and C++ objects are lld-link's (with and without global hashes)")
    func countsMatchLLD() async throws {
        guard let fixture = try await Self.fixture() else { return }
        let merger = try fixture.merged()
        for pdb in fixture.pdbs {
            #expect(merger.typeCount == pdb.typeCount, "types: pelink \(merger.typeCount), lld-link \(pdb.flag) \(pdb.typeCount)")
            #expect(merger.itemCount == pdb.itemCount, "items: pelink \(merger.itemCount), lld-link \(pdb.flag) \(pdb.itemCount)")
        }
        print("CodeView type merging: \(fixture.objects.count) objects, \(fixture.objects.map { $0.recordCount }.reduce(0, +)) records -> \(merger.typeCount) types, \(merger.itemCount) items; lld-link: " +
              fixture.pdbs.map { "\($0.flag) \($0.typeCount) types, \($0.itemCount) items" }.joined(separator: "; "))
        #expect(merger.typeCount > 100 && merger.itemCount > 40)
    }

    @Test("every record's hash is the one llvm-pdbutil prints for lld-link's PDB; the TPI and IPI streams and hash streams are lld-link's byte for byte")
    func streamsMatchLLD() async throws {
        guard let fixture = try await Self.fixture() else { return }
        let merger = try fixture.merged()
        let ours = [merger.typeStream(hashStreamIndex: 0), merger.itemStream(hashStreamIndex: 0)]
        for pdb in fixture.pdbs {
            for (k, name) in ["TPI", "IPI"].enumerated() {
                let (stream, hashStream) = ours[k]
                let printed = k == 0 ? pdb.printedTypeHashes : pdb.printedItemHashes
                let hashCount = (hashStream.count - (Int(cvLE32(stream, 44)))) / 4
                #expect(hashCount == printed.count, "\(name) \(pdb.flag): \(hashCount) hashes, llvm-pdbutil printed \(printed.count)")
                for (n, hash) in printed.enumerated() where n < hashCount {
                    #expect(cvLE32(hashStream, 4 * n) == hash, "\(name) \(pdb.flag) record 0x\(String(0x1000 + n, radix: 16)): hash 0x\(String(cvLE32(hashStream, 4 * n), radix: 16)), llvm-pdbutil 0x\(String(hash, radix: 16))")
                }
                // Byte for byte, with our header's hash stream number set to lld-link's.
                var patched = stream
                let lldStream = k == 0 ? pdb.tpi : pdb.ipi
                if lldStream.count >= 22 { patched[20] = lldStream[20]; patched[21] = lldStream[21] }
                #expect(patched == lldStream, "\(name) \(pdb.flag): \(cvFirstDifference(patched, lldStream))")
                let lldHash = k == 0 ? pdb.tpiHash : pdb.ipiHash
                #expect(hashStream == lldHash, "\(name) hash stream \(pdb.flag): \(cvFirstDifference(hashStream, lldHash))")
            }
        }
    }

    @Test("every symbol record of the objects' .debug$S has a known kind, and its type indices name records of the right stream")
    func symbolsOfRealObjects() async throws {
        guard let fixture = try await Self.fixture() else { return }
        var merger = TypeMerger()
        var symbols = 0
        for object in fixture.objects {
            let map = try object.debugT.withUnsafeBytes { (buffer) throws(FormatError) in try merger.merge(debugT: buffer, file: object.name, sectionOffset: object.debugTOffset) }
            // Item flags of the object's records, from their kinds.
            var kinds: [UInt16] = []
            var at = 4
            while at + 4 <= object.debugT.count {
                kinds.append(UInt16(object.debugT[at + 2]) | UInt16(object.debugT[at + 3]) << 8)
                at += 2 + Int(object.debugT[at]) + Int(object.debugT[at + 1]) << 8
            }
            #expect(kinds.count == map.count)
            for record in cvSymbolRecords(object.debugS) {
                symbols += 1
                let kind = UInt16(record[2]) | UInt16(record[3]) << 8
                guard let references = record.withUnsafeBytes({ CodeView.typeIndexOffsets(inSymbolRecord: $0) }) else {
                    Issue.record("\(object.name): symbol kind 0x\(String(kind, radix: 16)) unknown")
                    continue
                }
                for reference in references {
                    guard reference.offset + 4 <= record.count else {
                        Issue.record("\(object.name): symbol kind 0x\(String(kind, radix: 16)): reference at \(reference.offset) past the record")
                        continue
                    }
                    let index = cvLE32(record, reference.offset)
                    guard index >= 0x1000 else { continue }
                    let source = Int(index) - 0x1000
                    guard source < kinds.count else {
                        Issue.record("\(object.name): symbol kind 0x\(String(kind, radix: 16)) refers to 0x\(String(index, radix: 16)), past the types")
                        continue
                    }
                    #expect(CodeView.isItemRecord(kind: kinds[source]) == reference.isItem,
                            "\(object.name): symbol kind 0x\(String(kind, radix: 16)) at \(reference.offset) refers to a record of kind 0x\(String(kinds[source], radix: 16))")
                }
            }
        }
        #expect(symbols > 50)
    }

    // MARK: The fixture

    struct Object: Sendable {
        var name: String
        var debugT: [UInt8]
        var debugTOffset: Int
        var debugS: [UInt8]
        var recordCount: Int
    }

    struct LLDPDB: Sendable {
        var flag: String
        var typeCount: Int
        var itemCount: Int
        var printedTypeHashes: [UInt32]
        var printedItemHashes: [UInt32]
        var tpi: [UInt8]
        var ipi: [UInt8]
        var tpiHash: [UInt8]
        var ipiHash: [UInt8]
    }

    struct Fixture: Sendable {
        var objects: [Object]
        var pdbs: [LLDPDB]

        func merged() throws -> TypeMerger {
            var merger = TypeMerger()
            for object in objects {
                let map = try object.debugT.withUnsafeBytes { (buffer) throws(FormatError) in
                    try merger.merge(debugT: buffer, file: object.name, sectionOffset: object.debugTOffset)
                }
                #expect(map.count == object.recordCount)
            }
            return merger
        }
    }

    enum Outcome: Sendable {
        case skipped
        case failed(String)
        case ready(Fixture)
    }

    static let once = RunOnce<Outcome>()

    static func fixture(sourceLocation: SourceLocation = #_sourceLocation) async throws -> Fixture? {
        guard requireTool("clang", sourceLocation: sourceLocation) != nil, requireTool("lld-link", sourceLocation: sourceLocation) != nil,
              requireTool("llvm-pdbutil", sourceLocation: sourceLocation) != nil else { return nil }
        switch await once.value({ makeFixture() }) {
        case .skipped: return nil
        case .failed(let message):
            Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation)
            return nil
        case .ready(let fixture): return fixture
        }
    }

    static let sources: [(String, String)] = [
        ("shared.h", """
            struct Shared { int x; double y; struct Shared *next; unsigned flags : 3; unsigned mode : 5; char name[16]; };
            typedef int (*Callback)(struct Shared *, int);
            """),
        ("shapes.hpp", """
            #include "shared.h"
            namespace geo {
            class Base {
            public:
                virtual int area() const { return 0; }
                virtual int perimeter() const = 0;
                int id;
                static int count;
                struct Tag { int t; };
                int scale(int k) { return k * id; }
                int scale(double k) { return (int)(k * id); }
            };
            class Square : public Base {
            public:
                Square(int s) : side(s) {}
                int area() const override { return side * side; }
                int perimeter() const override { return 4 * side; }
                int side;
            };
            struct VBase { int v; };
            struct Left : virtual VBase { int l; };
            struct Right : virtual VBase { int r; };
            struct Diamond : Left, Right { int d; };
            template <typename T> struct Box { T value; T get() const { return value; } };
            enum Color : unsigned long long { Red, Green = 5, Blue = 100000, Huge = 0x1234567890ULL };
            enum class Small : signed char { Neg = -3, Pos = 100 };
            union Number { int i; float f; char c[8]; };
            }
            """),
        ("a.cpp", """
            #include "shapes.hpp"
            int geo::Base::count = 0;
            extern "C" int _fltused = 0;
            namespace geo {
            int useA(Shared *s, Callback cb) {
                Square q(3); Box<int> bi{1}; Box<double> bd{2.0}; Number n; n.i = 1; Color c = Blue; Small sm = Small::Neg;
                Diamond dm; dm.v = 1; dm.d = 2;
                int Base::*pm = &Base::id; int (Base::*pf)(int) = &Base::scale;
                Base *b = &q; int (*arr)[4] = nullptr;
                return b->area() + b->perimeter() + bi.get() + (int)bd.get() + n.i + (int)c + (int)sm + s->x + q.*pm + (q.*pf)(2)
                    + cb(s, 1) + dm.v + (arr ? 1 : 0) + b->scale(1.5);
            }
            }
            """),
        ("d.cpp", """
            #include "shapes.hpp"
            namespace geo {
            int useD(Shared *s) { Square q(4); Box<int> bi{2}; Box<char> bc{'x'}; const volatile int cv = 1; return q.area() + bi.get() + bc.get() + s->x + cv; }
            }
            """),
        ("b.c", """
            #include "shared.h"
            enum Mode { ModeA, ModeB };
            union U { int i; float f; };
            struct Anon { struct { int a; } inner; union { int b; float c; }; };
            static inline int twice(int v) { return 2 * v; }
            int useB(struct Shared *s, enum Mode m, Callback cb) {
                union U u; struct Anon an; u.i = m; an.inner.a = 1; an.b = 2;
                return s->x + u.i + an.inner.a + an.b + cb(s, 2) + twice(m);
            }
            """),
        ("c.c", """
            #include "shared.h"
            int useC(struct Shared *s) { return s->x * 2 + s->flags; }
            void _purecall(void) {}
            """),
        // A struct whose field list outgrows one record (continued with LF_INDEX), and 150 more
        // structs: TPI grows past 8 KiB several times (index offsets), many names are hashed.
        ("e.c", "struct Big {" + (0..<4000).map { " int member\($0);" }.joined() + " };\nstruct Big big;\n"
            + (0..<150).map { "struct G\($0) { int a\($0); double b; struct G\($0) *next; unsigned char c[\($0 + 1)]; } g\($0);\n" }.joined()),
    ]

    static func makeFixture() -> Outcome {
        guard let clang = findTool("clang"), let lld = findTool("lld-link"), let pdbutil = findTool("llvm-pdbutil") else { return .skipped }
        do {
            let folder = try makeTemporaryDirectory("cvtypes")
            defer { try? FileManager.default.removeItem(at: folder) }
            for (name, text) in sources {
                try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
            var objectPaths: [String] = []
            var objects: [Object] = []
            for (name, _) in sources where !name.hasSuffix(".h") && !name.hasSuffix(".hpp") {
                let object = folder.appendingPathComponent(name + ".obj").path
                // The C files optimised (inline sites, S_INLINEES), the C++ ones not (every method kept).
                let optimisation = name.hasSuffix(".c") ? "-O1" : "-O0"
                let compile = try runProcess(clang, ["--target=x86_64-pc-windows-msvc", "-g", "-gcodeview", "-fno-exceptions", "-fno-rtti", optimisation,
                                                     "-c", folder.appendingPathComponent(name).path, "-o", object])
                guard compile.exitCode == 0 else { return .failed("clang \(name): \(compile.stderr)") }
                objectPaths.append(object)
                let coff = try COFFObject(view: try MappedFile(path: object).view)
                var read = Object(name: name + ".obj", debugT: [], debugTOffset: 0, debugS: [], recordCount: 0)
                for i in 0..<coff.sectionCount {
                    let header = try coff.sectionHeader(i)
                    if header.name == ".debug$T" {
                        let data = try coff.sectionData(header)
                        read.debugT = data.toArray()
                        read.debugTOffset = data.offset
                    } else if header.name == ".debug$S" {
                        read.debugS += try coff.sectionData(header).toArray()
                    }
                }
                guard !read.debugT.isEmpty else { return .failed("\(name).obj has no .debug$T") }
                var at = 4
                while at + 4 <= read.debugT.count {
                    read.recordCount += 1
                    at += 2 + Int(read.debugT[at]) + Int(read.debugT[at + 1]) << 8
                }
                objects.append(read)
            }
            var pdbs: [LLDPDB] = []
            for flag in ["/debug", "/debug:noghash"] {
                let base = flag == "/debug" ? "ghash" : "noghash"
                let dll = folder.appendingPathComponent(base + ".dll").path
                let link = try runProcess(lld, ["/dll", "/noentry", flag, "/out:" + dll] + objectPaths)
                guard link.exitCode == 0 else { return .failed("lld-link \(flag): \(link.stderr)") }
                let pdbPath = folder.appendingPathComponent(base + ".pdb").path
                let types = try runProcess(pdbutil, ["dump", "-types", "-type-extras", pdbPath])
                let ids = try runProcess(pdbutil, ["dump", "-ids", "-id-extras", pdbPath])
                guard types.exitCode == 0, ids.exitCode == 0 else { return .failed("llvm-pdbutil: \(types.stderr) \(ids.stderr)") }
                guard let typeCount = cvShowingCount(types.stdout), let itemCount = cvShowingCount(ids.stdout) else {
                    return .failed("llvm-pdbutil printed no record count:\n\(types.stdout)\n\(ids.stdout)")
                }
                let msf = try CVTestMSF([UInt8](try Data(contentsOf: URL(fileURLWithPath: pdbPath))))
                let tpi = try msf.stream(2), ipi = try msf.stream(4)
                guard tpi.count >= 56, ipi.count >= 56 else { return .failed("lld-link's TPI or IPI stream is shorter than its header") }
                let tpiHash = try msf.stream(Int(UInt16(tpi[20]) | UInt16(tpi[21]) << 8))
                let ipiHash = try msf.stream(Int(UInt16(ipi[20]) | UInt16(ipi[21]) << 8))
                pdbs.append(LLDPDB(flag: flag, typeCount: typeCount, itemCount: itemCount,
                                   printedTypeHashes: cvPrintedHashes(types.stdout), printedItemHashes: cvPrintedHashes(ids.stdout),
                                   tpi: tpi, ipi: ipi, tpiHash: tpiHash, ipiHash: ipiHash))
            }
            return .ready(Fixture(objects: objects, pdbs: pdbs))
        } catch {
            return .failed("building the fixture: \(error)")
        }
    }
}

// MARK: - Helpers

private func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
private func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * UInt32($0))) & 0xFF) } }

private func cvLE32(_ b: [UInt8], _ at: Int) -> UInt32 {
    guard at >= 0, at + 4 <= b.count else { return 0 }
    return UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
}

/// A record: its length (kind + body), kind and body, unpadded.
private func cvRecord(_ kind: UInt16, _ body: [UInt8]) -> [UInt8] {
    le16(UInt16(2 + body.count)) + le16(kind) + body
}

/// A .debug$T section: the C13 signature, then the records.
private func debugT(_ records: [[UInt8]]) -> [UInt8] {
    le32(4) + records.flatMap { $0 }
}

private func merge(_ merger: inout TypeMerger, _ section: [UInt8], file: String = "m.obj") throws -> [UInt32] {
    try section.withUnsafeBytes { (buffer) throws(FormatError) in try merger.merge(debugT: buffer, file: file, sectionOffset: 0) }
}

/// "Showing N records" of llvm-pdbutil's -types or -ids.
private func cvShowingCount(_ text: String) -> Int? {
    for line in text.split(separator: "\n") {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("Showing "), trimmed.hasSuffix(" records") {
            return Int(trimmed.dropFirst("Showing ".count).dropLast(" records".count))
        }
    }
    return nil
}

/// The "hash = 0x…" of each record line ("  0x1000 | LF_… [size = 44, hash = 0x27B0C]"), in order.
private func cvPrintedHashes(_ text: String) -> [UInt32] {
    var hashes: [UInt32] = []
    for line in text.split(separator: "\n") where line.contains(" | LF_") {
        guard let range = line.range(of: "hash = 0x") else { continue }
        hashes.append(UInt32(line[range.upperBound...].prefix { $0.isHexDigit }, radix: 16) ?? 0xFFFF_FFFF)
    }
    return hashes
}

private func cvFirstDifference(_ a: [UInt8], _ b: [UInt8]) -> String {
    let common = min(a.count, b.count)
    if let at = (0..<common).first(where: { a[$0] != b[$0] }) {
        return "first difference at byte \(at) (0x\(String(a[at], radix: 16)) vs 0x\(String(b[at], radix: 16))) of \(a.count) and \(b.count) bytes"
    }
    return a.count == b.count ? "equal" : "\(a.count) bytes vs \(b.count) bytes"
}

/// The symbol records of the DEBUG_S_SYMBOLS (0xF1) subsections of .debug$S sections (each section
/// begins with the signature 4; sections are concatenated in `bytes` as read, so the walk restarts
/// at each signature).
private func cvSymbolRecords(_ bytes: [UInt8]) -> [[UInt8]] {
    var records: [[UInt8]] = []
    var at = 0
    while at + 4 <= bytes.count {
        if cvLE32(bytes, at) == 4 { at += 4; continue }
        guard at + 8 <= bytes.count else { break }
        let kind = cvLE32(bytes, at), length = Int(cvLE32(bytes, at + 4))
        let start = at + 8, end = min(bytes.count, start + length)
        if kind == 0xF1 {
            var r = start
            while r + 4 <= end {
                let size = 2 + Int(bytes[r]) + Int(bytes[r + 1]) << 8
                guard r + size <= end else { break }
                records.append(Array(bytes[r..<r + size]))
                r += size
            }
        }
        at = start + (length + 3) / 4 * 4
    }
    return records
}

private struct CVTestError: Error, CustomStringConvertible { var description: String }

/// An MSF 7.00 container (a PDB): the superblock, the directory's block map, the directory.
private struct CVTestMSF {
    let file: [UInt8]
    let blockSize: Int
    var sizes: [Int] = []
    var blocks: [[Int]] = []

    init(_ file: [UInt8]) throws {
        self.file = file
        guard file.count >= 56, Array(file[0..<24]) == Array("Microsoft C/C++ MSF 7.00".utf8) else { throw CVTestError(description: "not an MSF 7.00 file") }
        blockSize = Int(cvLE32(file, 32))
        guard blockSize > 0 else { throw CVTestError(description: "block size 0") }
        let directoryBytes = Int(cvLE32(file, 44))
        let mapBlock = Int(cvLE32(file, 52))
        let directoryBlockCount = (directoryBytes + blockSize - 1) / blockSize
        var directory: [UInt8] = []
        for i in 0..<directoryBlockCount {
            let block = Int(cvLE32(file, mapBlock * blockSize + 4 * i))
            guard (block + 1) * blockSize <= file.count else { throw CVTestError(description: "directory block \(block) past the end") }
            directory += file[block * blockSize..<(block + 1) * blockSize]
        }
        let streamCount = Int(cvLE32(directory, 0))
        var at = 4 + 4 * streamCount
        for s in 0..<streamCount {
            let raw = cvLE32(directory, 4 + 4 * s)
            let size = raw == 0xFFFF_FFFF ? 0 : Int(raw)
            let count = (size + blockSize - 1) / blockSize
            sizes.append(size)
            blocks.append((0..<count).map { Int(cvLE32(directory, at + 4 * $0)) })
            at += 4 * count
        }
    }

    func stream(_ index: Int) throws -> [UInt8] {
        guard index >= 0, index < sizes.count else { throw CVTestError(description: "no stream \(index)") }
        var bytes: [UInt8] = []
        for block in blocks[index] {
            guard (block + 1) * blockSize <= file.count else { throw CVTestError(description: "stream \(index) block \(block) past the end") }
            bytes += file[block * blockSize..<(block + 1) * blockSize]
        }
        return Array(bytes.prefix(sizes[index]))
    }
}
