// CodeView type records: where the type indices are in type and symbol records, the hashes a PDB's
// TPI and IPI hash streams hold, and the merging of every object's `.debug$T` into one TPI stream
// (types) and one IPI stream (items: function ids, string ids, build info, UDT source lines).
//
// Merging is what lld-link does without global hashes (LLVM's TypeStreamMerger into a
// MergingTypeTableBuilder): records are read in order; each one's type index fields are rewritten
// through the object's map built so far; the record is padded to 4 bytes (LF_PAD3, LF_PAD2,
// LF_PAD1, its length updated) and looked up by its exact bytes among the records already merged
// into its stream: equal bytes reuse that record's index, otherwise the record is appended. With
// global hashes (/debug:ghash, lld-link's default since LLVM 18) lld-link arrives at the same set
// of records in the same first-occurrence order.
//
// The record layouts follow Microsoft's cvinfo.h and LLVM's TypeIndexDiscovery (which fields are
// type indices and which are item indices); LF_CLASS2 and friends (MSVC 16.8+) as Microsoft's
// pdb-rs reads them. The TPI hash of a record is LLVM's `hashTypeRecord`: user-defined types by
// name (`hashStringV1`, Microsoft's LHashPbCb), everything else by a CRC-32 of the record bytes
// (`hashBufferV8`, LLVM's JamCRC with initial value 0).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a type index sits in a record, and whether it names an item (IPI: LF_FUNC_ID, LF_MFUNC_ID,
/// LF_STRING_ID, LF_SUBSTR_LIST, LF_BUILDINFO, LF_UDT_SRC_LINE, LF_UDT_MOD_SRC_LINE) or a type (TPI).
public struct TypeIndexReference: Sendable, Equatable {
    /// From the record's first byte (its 2-byte length field).
    public var offset: Int
    public var isItem: Bool
    public init(offset: Int, isItem: Bool) {
        self.offset = offset
        self.isItem = isItem
    }
}

public enum CodeView {
    /// Type record leaf kinds (LF_*).
    public enum Leaf {
        public static let vtShape: UInt16 = 0x000A
        public static let label: UInt16 = 0x000E
        public static let endPrecomp: UInt16 = 0x0014
        public static let modifier: UInt16 = 0x1001
        public static let pointer: UInt16 = 0x1002
        public static let procedure: UInt16 = 0x1008
        public static let memberFunction: UInt16 = 0x1009
        public static let vftPath: UInt16 = 0x100D
        public static let argumentList: UInt16 = 0x1201
        public static let fieldList: UInt16 = 0x1203
        public static let derived: UInt16 = 0x1204
        public static let bitField: UInt16 = 0x1205
        public static let methodList: UInt16 = 0x1206
        public static let baseClass: UInt16 = 0x1400
        public static let virtualBaseClass: UInt16 = 0x1401
        public static let indirectVirtualBaseClass: UInt16 = 0x1402
        public static let index: UInt16 = 0x1404
        public static let vfuncTab: UInt16 = 0x1409
        public static let friendClass: UInt16 = 0x140A
        public static let vfuncOffset: UInt16 = 0x140C
        public static let enumerate: UInt16 = 0x1502
        public static let array: UInt16 = 0x1503
        public static let `class`: UInt16 = 0x1504
        public static let structure: UInt16 = 0x1505
        public static let union: UInt16 = 0x1506
        public static let `enum`: UInt16 = 0x1507
        public static let precomp: UInt16 = 0x1509
        public static let alias: UInt16 = 0x150A
        public static let friendFunction: UInt16 = 0x150C
        public static let member: UInt16 = 0x150D
        public static let staticMember: UInt16 = 0x150E
        public static let method: UInt16 = 0x150F
        public static let nestedType: UInt16 = 0x1510
        public static let oneMethod: UInt16 = 0x1511
        public static let nestedTypeEx: UInt16 = 0x1512
        public static let memberModify: UInt16 = 0x1513
        public static let typeServer2: UInt16 = 0x1515
        public static let interface: UInt16 = 0x1519
        public static let baseInterface: UInt16 = 0x151A
        public static let vftable: UInt16 = 0x151D
        public static let funcID: UInt16 = 0x1601
        public static let memberFuncID: UInt16 = 0x1602
        public static let buildInfo: UInt16 = 0x1603
        public static let substringList: UInt16 = 0x1604
        public static let stringID: UInt16 = 0x1605
        public static let udtSourceLine: UInt16 = 0x1606
        public static let udtModuleSourceLine: UInt16 = 0x1607
        public static let class2: UInt16 = 0x1608
        public static let structure2: UInt16 = 0x1609
        public static let union2: UInt16 = 0x160A
        public static let interface2: UInt16 = 0x160B
    }

    /// The first type index that names a record rather than a simple (built-in) type.
    public static let firstNonSimpleIndex: UInt32 = 0x1000
    /// CV_SIGNATURE_C13, the first 4 bytes of `.debug$T` and `.debug$S`.
    public static let signatureC13: UInt32 = 4
    /// The TPI and IPI hash streams' bucket count (LLVM's MaxTpiHashBuckets - 1).
    public static let hashBucketCount: UInt32 = 0x3FFFF

    /// True for the leaf kinds that belong in the IPI stream.
    public static func isItemRecord(kind: UInt16) -> Bool {
        kind >= Leaf.funcID && kind <= Leaf.udtModuleSourceLine
    }

    /// The name of a type record or member leaf kind ("LF_POINTER"), nil for one not known here.
    public static func leafName(_ kind: UInt16) -> String? {
        switch kind {
        case Leaf.vtShape: return "LF_VTSHAPE"
        case Leaf.label: return "LF_LABEL"
        case Leaf.endPrecomp: return "LF_ENDPRECOMP"
        case Leaf.modifier: return "LF_MODIFIER"
        case Leaf.pointer: return "LF_POINTER"
        case Leaf.procedure: return "LF_PROCEDURE"
        case Leaf.memberFunction: return "LF_MFUNCTION"
        case Leaf.vftPath: return "LF_VFTPATH"
        case Leaf.argumentList: return "LF_ARGLIST"
        case Leaf.fieldList: return "LF_FIELDLIST"
        case Leaf.derived: return "LF_DERIVED"
        case Leaf.bitField: return "LF_BITFIELD"
        case Leaf.methodList: return "LF_METHODLIST"
        case Leaf.baseClass: return "LF_BCLASS"
        case Leaf.virtualBaseClass: return "LF_VBCLASS"
        case Leaf.indirectVirtualBaseClass: return "LF_IVBCLASS"
        case Leaf.index: return "LF_INDEX"
        case Leaf.vfuncTab: return "LF_VFUNCTAB"
        case Leaf.friendClass: return "LF_FRIENDCLS"
        case Leaf.vfuncOffset: return "LF_VFUNCOFF"
        case Leaf.enumerate: return "LF_ENUMERATE"
        case Leaf.array: return "LF_ARRAY"
        case Leaf.class: return "LF_CLASS"
        case Leaf.structure: return "LF_STRUCTURE"
        case Leaf.union: return "LF_UNION"
        case Leaf.enum: return "LF_ENUM"
        case Leaf.precomp: return "LF_PRECOMP"
        case Leaf.alias: return "LF_ALIAS"
        case Leaf.friendFunction: return "LF_FRIENDFCN"
        case Leaf.member: return "LF_MEMBER"
        case Leaf.staticMember: return "LF_STMEMBER"
        case Leaf.method: return "LF_METHOD"
        case Leaf.nestedType: return "LF_NESTTYPE"
        case Leaf.oneMethod: return "LF_ONEMETHOD"
        case Leaf.nestedTypeEx: return "LF_NESTTYPEEX"
        case Leaf.memberModify: return "LF_MEMBERMODIFY"
        case Leaf.typeServer2: return "LF_TYPESERVER2"
        case Leaf.interface: return "LF_INTERFACE"
        case Leaf.baseInterface: return "LF_BINTERFACE"
        case Leaf.vftable: return "LF_VFTABLE"
        case Leaf.funcID: return "LF_FUNC_ID"
        case Leaf.memberFuncID: return "LF_MFUNC_ID"
        case Leaf.buildInfo: return "LF_BUILDINFO"
        case Leaf.substringList: return "LF_SUBSTR_LIST"
        case Leaf.stringID: return "LF_STRING_ID"
        case Leaf.udtSourceLine: return "LF_UDT_SRC_LINE"
        case Leaf.udtModuleSourceLine: return "LF_UDT_MOD_SRC_LINE"
        case Leaf.class2: return "LF_CLASS2"
        case Leaf.structure2: return "LF_STRUCTURE2"
        case Leaf.union2: return "LF_UNION2"
        case Leaf.interface2: return "LF_INTERFACE2"
        default: return nil
        }
    }

    /// "LF_POINTER (0x1002)", or "0x1234" for a kind not known here.
    static func describe(_ kind: UInt16) -> String {
        let hex = "0x" + hexDigits(kind, width: 4)
        if let name = leafName(kind) { return "\(name) (\(hex))" }
        return hex
    }

    // MARK: Type indices in type records

    /// Offsets (from the record's first byte, i.e. counting the 2-byte length and 2-byte kind) of every
    /// type index in a type record: `record` holds one record, from its length field on (bytes past
    /// the length the record gives are ignored). Throws (message naming the leaf kind in hex) for
    /// unknown kinds, for records too short for their fields, and for field lists with unknown
    /// members or unreadable numeric leaves or names. LF_PRECOMP, LF_ENDPRECOMP, LF_TYPESERVER2,
    /// LF_VTSHAPE and LF_LABEL have none.
    public static func typeIndexOffsets(inTypeRecord record: UnsafeRawBufferPointer) throws(FormatError) -> [TypeIndexReference] {
        guard let base = record.baseAddress, record.count >= 4 else {
            throw FormatError(file: "", "a type record of \(record.count) bytes is too short for its length and kind fields")
        }
        let size = 2 + Int(UInt16(littleEndian: base.loadUnaligned(as: UInt16.self)))
        guard size <= record.count else {
            let kind = UInt16(littleEndian: base.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
            throw FormatError(file: "", "type record of kind \(describe(kind)) says it has \(size - 2) bytes, but only \(record.count - 2) follow its length field")
        }
        var references: [TypeIndexReference] = []
        try collectTypeIndices(base, size, into: &references)
        return references
    }

    /// The work of `typeIndexOffsets(inTypeRecord:)`: appends to `references` (no allocation when
    /// it has the capacity). `size` (≥ 4) is the record's size including its length field.
    static func collectTypeIndices(_ p: UnsafeRawPointer, _ size: Int, into references: inout [TypeIndexReference]) throws(FormatError) {
        @inline(__always) func u16(_ at: Int) -> UInt16 { UInt16(littleEndian: p.loadUnaligned(fromByteOffset: at, as: UInt16.self)) }
        @inline(__always) func u32(_ at: Int) -> UInt32 { UInt32(littleEndian: p.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
        let kind = u16(2)
        func tooShort(_ needed: Int) -> FormatError {
            FormatError(file: "", "type record of kind \(describe(kind)) is too short for its fields (\(size) bytes, at least \(needed) needed)")
        }
        func need(_ end: Int) throws(FormatError) { if end > size { throw tooShort(end) } }
        func type(_ at: Int) { references.append(TypeIndexReference(offset: at, isItem: false)) }
        func item(_ at: Int) { references.append(TypeIndexReference(offset: at, isItem: true)) }
        /// `count` type or item indices from `at`, the count read from a field of the record.
        func list(_ at: Int, _ count: Int, isItem: Bool) throws(FormatError) {
            // Count and size are at most 2^32 and 2^16: no overflow in Int.
            try need(at + 4 * count)
            for i in 0..<count { references.append(TypeIndexReference(offset: at + 4 * i, isItem: isItem)) }
        }

        switch kind {
        case Leaf.vtShape, Leaf.label, Leaf.precomp, Leaf.endPrecomp, Leaf.typeServer2:
            return
        case Leaf.modifier, Leaf.bitField, Leaf.alias:
            try need(8); type(4)
        case Leaf.pointer:
            try need(12); type(4)
            // Pointer mode (bits 5-7 of the attributes): 2 and 3 are pointers to data and function
            // members, followed by the containing class.
            let mode = (u32(8) >> 5) & 7
            if mode == 2 || mode == 3 { try need(16); type(12) }
        case Leaf.procedure:
            try need(16); type(4); type(12)
        case Leaf.memberFunction:
            try need(24); type(4); type(8); type(12); type(20)
        case Leaf.argumentList, Leaf.derived, Leaf.vftPath:
            try need(8); try list(8, Int(u32(4)), isItem: false)
        case Leaf.array, Leaf.vftable:
            try need(12); type(4); type(8)
        case Leaf.class, Leaf.structure, Leaf.interface, Leaf.class2, Leaf.structure2, Leaf.union2, Leaf.interface2:
            try need(20); type(8); type(12); type(16)
        case Leaf.union:
            try need(12); type(8)
        case Leaf.enum:
            try need(16); type(8); type(12)
        case Leaf.methodList:
            var at = 4
            while at < size {
                try need(at + 8)
                type(at + 4)
                at += introducesVirtual(u16(at)) ? 12 : 8
                try need(at)
            }
        case Leaf.fieldList:
            try collectFieldListIndices(p, size, into: &references)
        case Leaf.funcID:
            try need(12); item(4); type(8)
        case Leaf.memberFuncID:
            try need(12); type(4); type(8)
        case Leaf.stringID:
            try need(8); item(4)
        case Leaf.substringList:
            try need(8); try list(8, Int(u32(4)), isItem: true)
        case Leaf.buildInfo:
            try need(6); try list(6, Int(u16(4)), isItem: true)
        case Leaf.udtSourceLine:
            try need(12); type(4); item(8)
        case Leaf.udtModuleSourceLine:
            try need(8); type(4)
        default:
            throw FormatError(file: "", "type record of unknown kind 0x\(hexDigits(kind, width: 4))")
        }
    }

    /// Method kind (bits 2-4 of a method's attributes) 4 or 6: an introducing virtual method, whose
    /// entry holds its offset in the vftable.
    @inline(__always) static func introducesVirtual(_ attributes: UInt16) -> Bool {
        let methodKind = (attributes >> 2) & 7
        return methodKind == 4 || methodKind == 6
    }

    /// The members of an LF_FIELDLIST, from offset 4 to `size`.
    private static func collectFieldListIndices(_ p: UnsafeRawPointer, _ size: Int, into references: inout [TypeIndexReference]) throws(FormatError) {
        @inline(__always) func u8(_ at: Int) -> UInt8 { p.load(fromByteOffset: at, as: UInt8.self) }
        @inline(__always) func u16(_ at: Int) -> UInt16 { UInt16(littleEndian: p.loadUnaligned(fromByteOffset: at, as: UInt16.self)) }
        func type(_ at: Int) { references.append(TypeIndexReference(offset: at, isItem: false)) }
        var at = 4
        var member: UInt16 = 0
        func fail(_ what: String) -> FormatError {
            FormatError(file: "", "type record of kind LF_FIELDLIST (0x1203): \(what) at offset \(at) of the record (\(size) bytes)")
        }
        func need(_ end: Int) throws(FormatError) {
            if end > size { throw fail("member of kind \(describe(member)) is cut off") }
        }
        /// The offset just past the NUL-terminated name at `start`.
        func name(_ start: Int) throws(FormatError) -> Int {
            guard start < size, let nul = memchr(p + start, 0, size - start) else {
                throw fail("the name of a member of kind \(describe(member)) is not NUL-terminated inside the record")
            }
            return UnsafeRawPointer(nul) - p + 1
        }
        func numeric(_ start: Int) throws(FormatError) -> Int {
            guard let length = numericLeafSize(p, at: start, end: size) else {
                let value = start + 2 <= size ? " (leaf 0x\(hexDigits(u16(start), width: 4)))" : ""
                throw fail("the numeric field\(value) of a member of kind \(describe(member)) is unknown or cut off")
            }
            return start + length
        }

        while at < size {
            // Padding between members: LF_PAD0-LF_PAD15, the low 4 bits saying how many bytes to
            // skip to the next member (no member kind starts with a byte of 0xF0 or more).
            let pad = u8(at)
            if pad >= 0xF0 {
                let skip = max(1, Int(pad & 0x0F))
                guard at + skip <= size else { throw fail("padding byte 0x\(hexDigits(pad, width: 2)) runs past the end") }
                at += skip
                continue
            }
            guard at + 2 <= size else { throw fail("a member's kind is cut off") }
            member = u16(at)
            switch member {
            case Leaf.baseClass, Leaf.baseInterface:
                try need(at + 8); type(at + 4)
                at = try numeric(at + 8)
            case Leaf.virtualBaseClass, Leaf.indirectVirtualBaseClass:
                try need(at + 12); type(at + 4); type(at + 8)
                at = try numeric(numeric(at + 12))
            case Leaf.index, Leaf.vfuncTab, Leaf.friendClass:
                try need(at + 8); type(at + 4)
                at += 8
            case Leaf.vfuncOffset:
                try need(at + 12); type(at + 4)
                at += 12
            case Leaf.enumerate:
                try need(at + 4)
                at = try name(numeric(at + 4))
            case Leaf.member:
                try need(at + 8); type(at + 4)
                at = try name(numeric(at + 8))
            case Leaf.staticMember, Leaf.method, Leaf.nestedType, Leaf.nestedTypeEx, Leaf.memberModify, Leaf.friendFunction:
                try need(at + 8); type(at + 4)
                at = try name(at + 8)
            case Leaf.oneMethod:
                try need(at + 8); type(at + 4)
                if introducesVirtual(u16(at + 2)) {
                    try need(at + 12)
                    at = try name(at + 12)
                } else {
                    at = try name(at + 8)
                }
            default:
                throw fail("member of unknown kind 0x\(hexDigits(member, width: 4))")
            }
        }
    }

    /// Size in bytes (its 2-byte leaf included) of the numeric leaf at `at`, nil when the leaf is
    /// unknown or runs past `end`. Values below 0x8000 are the value itself (2 bytes).
    static func numericLeafSize(_ p: UnsafeRawPointer, at: Int, end: Int) -> Int? {
        guard at >= 0, at + 2 <= end else { return nil }
        let leaf = UInt16(littleEndian: p.loadUnaligned(fromByteOffset: at, as: UInt16.self))
        var size: Int
        switch leaf {
        case ..<0x8000: return 2
        case 0x8000: size = 1                       // LF_CHAR
        case 0x8001, 0x8002, 0x801C: size = 2       // LF_SHORT, LF_USHORT, LF_REAL16
        case 0x8003, 0x8004, 0x8005: size = 4       // LF_LONG, LF_ULONG, LF_REAL32
        case 0x8006, 0x8009, 0x800A, 0x800C, 0x801A: size = 8   // LF_REAL64, LF_(U)QUADWORD, LF_COMPLEX32, LF_DATE
        case 0x8007: size = 10                      // LF_REAL80
        case 0x800B: size = 6                       // LF_REAL48
        case 0x8008, 0x800D, 0x8017, 0x8018, 0x8019: size = 16  // LF_REAL128, LF_COMPLEX64, LF_(U)OCTWORD, LF_DECIMAL
        case 0x800E: size = 20                      // LF_COMPLEX80
        case 0x800F: size = 32                      // LF_COMPLEX128
        case 0x8010:                                // LF_VARSTRING: a 2-byte length, then the bytes
            guard at + 4 <= end else { return nil }
            size = 2 + Int(UInt16(littleEndian: p.loadUnaligned(fromByteOffset: at + 2, as: UInt16.self)))
        case 0x801B:                                // LF_UTF8STRING: NUL-terminated
            guard at + 2 < end, let nul = memchr(p + at + 2, 0, end - at - 2) else { return nil }
            size = UnsafeRawPointer(nul) - (p + at + 2) + 1
        default: return nil
        }
        return at + 2 + size <= end ? 2 + size : nil
    }

    // MARK: Type indices in symbol records

    /// The same for a symbol record (a .debug$S symbol: 2-byte length, 2-byte kind, fields). nil for
    /// a kind it does not know (and for a record too short to have a kind). The offsets are where
    /// the fields are for the kind; the caller checks that the record is long enough for them.
    /// S_CALLERS, S_CALLEES and S_INLINEES list `count` items; a count larger than the record holds
    /// gives one reference past the record's end, for the caller's length check to report.
    /// S_MANCONSTANT's field is a COM+ metadata token, not a type index: [] for it.
    public static func typeIndexOffsets(inSymbolRecord record: UnsafeRawBufferPointer) -> [TypeIndexReference]? {
        guard let fields = typeIndexFields(inSymbolRecord: record) else { return nil }
        return (0..<fields.count).map { TypeIndexReference(offset: fields.offset + 4 * $0, isItem: fields.isItem) }
    }

    /// `typeIndexOffsets(inSymbolRecord:)` without an array: a symbol record's type indices are
    /// `count` consecutive 4-byte fields from `offset`, all types or all items.
    public struct SymbolTypeIndexFields: Sendable, Equatable {
        public var offset: Int
        public var count: Int
        public var isItem: Bool
        static let none = SymbolTypeIndexFields(offset: 0, count: 0, isItem: false)
        static func type(at offset: Int) -> SymbolTypeIndexFields { SymbolTypeIndexFields(offset: offset, count: 1, isItem: false) }
        static func item(at offset: Int) -> SymbolTypeIndexFields { SymbolTypeIndexFields(offset: offset, count: 1, isItem: true) }
    }

    public static func typeIndexFields(inSymbolRecord record: UnsafeRawBufferPointer) -> SymbolTypeIndexFields? {
        guard let p = record.baseAddress, record.count >= 4 else { return nil }
        let kind = UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
        switch kind {
        case 0x110F, 0x1110, 0x1155:        // S_LPROC32, S_GPROC32, S_LPROC32_DPC: the function type
            return .type(at: 28)
        case 0x1146, 0x1147, 0x1156:        // S_LPROC32_ID, S_GPROC32_ID, S_LPROC32_DPC_ID: the LF_FUNC_ID
            return .item(at: 28)
        case 0x1106, 0x1107, 0x1108, 0x1109, 0x110C, 0x110D, 0x1112, 0x1113, 0x113E, 0x1153:
            // S_REGISTER, S_CONSTANT, S_UDT, S_COBOLUDT, S_LDATA32, S_GDATA32, S_LTHREAD32,
            // S_GTHREAD32, S_LOCAL, S_FILESTATIC
            return .type(at: 4)
        case 0x114C, 0x1169:                // S_BUILDINFO, S_HOTPATCHFUNC
            return .item(at: 4)
        case 0x110B, 0x1111, 0x1171:        // S_BPREL32, S_REGREL32, S_REGREL32_INDIR
            return .type(at: 8)
        case 0x1139, 0x115E:                // S_CALLSITEINFO, S_HEAPALLOCSITE
            return .type(at: 12)
        case 0x114D, 0x115D:                // S_INLINESITE, S_INLINESITE2: the inlinee
            return .item(at: 12)
        case 0x115A, 0x115B, 0x1168:        // S_CALLEES, S_CALLERS, S_INLINEES
            guard record.count >= 8 else { return .item(at: 4) }
            let count = Int(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
            let fitting = (record.count - 8) / 4
            return SymbolTypeIndexFields(offset: 8, count: min(count, fitting + 1), isItem: true)
        case 0x0001, 0x0005, 0x0006, 0x0007, 0x000A, 0x000D, 0x0402,
             // S_COMPILE, S_SSEARCH, S_END, S_SKIP, S_ENDARG, S_RETURN, S_ALIGN
             0x1012, 0x1019, 0x1101, 0x1102, 0x1103, 0x1104, 0x1105, 0x110E, 0x1116,
             // S_FRAMEPROC, S_ANNOTATION, S_OBJNAME, S_THUNK32, S_BLOCK32, S_WITH32, S_LABEL32, S_PUB32, S_COMPILE2
             0x1124, 0x1125, 0x1126, 0x1127, 0x1128, 0x1129, 0x112C, 0x112D,
             // S_UNAMESPACE, S_PROCREF, S_DATAREF, S_LPROCREF, S_ANNOTATIONREF, S_TOKENREF, S_TRAMPOLINE, S_MANCONSTANT
             0x1132, 0x1136, 0x1137, 0x1138, 0x113A, 0x113B, 0x113C, 0x113D,
             // S_SEPCODE, S_SECTION, S_COFFGROUP, S_EXPORT, S_FRAMECOOKIE, S_DISCARDED, S_COMPILE3, S_ENVBLOCK
             0x113F, 0x1140, 0x1141, 0x1142, 0x1143, 0x1144, 0x1145, 0x1177,
             // S_DEFRANGE, _SUBFIELD, _REGISTER, _FRAMEPOINTER_REL, _SUBFIELD_REGISTER,
             // _FRAMEPOINTER_REL_FULL_SCOPE, _REGISTER_REL, _REGISTER_REL_INDIR
             0x114E, 0x114F, 0x1159, 0x115C:
             // S_INLINESITE_END, S_PROC_ID_END, S_ARMSWITCHTABLE, S_POGODATA
            return SymbolTypeIndexFields.none
        default:
            return nil
        }
    }

    // MARK: Hashes

    /// Microsoft's `LHashPbCb` (LLVM's `hashStringV1`): `PDBHash.stringV1`.
    @inline(__always) static func hashStringV1(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        PDBHash.stringV1(bytes)
    }

    /// LLVM's `hashBufferV8` / JamCRC with initial value 0: the reflected CRC-32 (polynomial
    /// 0xEDB88320) register started at 0 and not inverted at the end.
    public static func jamCRC(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc: UInt32 = 0
        guard let base = bytes.baseAddress else { return crc }
        crcTable.withUnsafeBufferPointer { table in
            for i in 0..<bytes.count {
                let byte = base.load(fromByteOffset: i, as: UInt8.self)
                crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
            }
        }
        return crc
    }

    private static let crcTable: [UInt32] = (0..<256).map { (n: UInt32) -> UInt32 in
        var c = n
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// The hash of a type or item record as LLVM's `hashTypeRecord` computes it (before the hash
    /// stream takes it modulo `hashBucketCount`): LF_CLASS, LF_STRUCTURE, LF_INTERFACE, LF_UNION
    /// and LF_ENUM by name (`hashStringV1`) unless a forward reference, scoped or anonymous, then by
    /// unique name unless a forward reference or anonymous, else by `jamCRC` of the record; LF_ALIAS
    /// by name; LF_UDT_SRC_LINE and LF_UDT_MOD_SRC_LINE by `hashStringV1` of the UDT's 4-byte type
    /// index; every other record by `jamCRC` of its bytes (length field included, as stored).
    public static func recordHash(_ record: UnsafeRawBufferPointer) -> UInt32 {
        guard let p = record.baseAddress, record.count >= 4 else { return jamCRC(record) }
        let size = record.count
        let kind = UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
        /// The NUL-terminated string at `start` (without its NUL), nil when there is none.
        func string(_ start: Int) -> UnsafeRawBufferPointer? {
            guard start < size, let nul = memchr(p + start, 0, size - start) else { return nil }
            return UnsafeRawBufferPointer(start: p + start, count: UnsafeRawPointer(nul) - (p + start))
        }
        func udt(nameAt nameStart: Int?) -> UInt32 {
            let options = UInt16(littleEndian: p.loadUnaligned(fromByteOffset: 6, as: UInt16.self))
            let forward = options & 0x80 != 0, scoped = options & 0x100 != 0, hasUniqueName = options & 0x200 != 0
            guard let nameStart, let name = string(nameStart) else { return jamCRC(record) }
            let anonymous = hasUniqueName && isAnonymous(name)
            if !forward && !scoped && !anonymous { return hashStringV1(name) }
            if !forward && hasUniqueName && !anonymous, let unique = string(nameStart + name.count + 1) {
                return hashStringV1(unique)
            }
            return jamCRC(record)
        }
        switch kind {
        case Leaf.class, Leaf.structure, Leaf.interface:
            guard size >= 22 else { return jamCRC(record) }
            return udt(nameAt: numericLeafSize(p, at: 20, end: size).map { 20 + $0 })
        case Leaf.union:
            guard size >= 14 else { return jamCRC(record) }
            return udt(nameAt: numericLeafSize(p, at: 12, end: size).map { 12 + $0 })
        case Leaf.enum:
            guard size >= 16 else { return jamCRC(record) }
            return udt(nameAt: 16)
        case Leaf.alias:
            guard size >= 8, let name = string(8) else { return jamCRC(record) }
            return hashStringV1(name)
        case Leaf.udtSourceLine, Leaf.udtModuleSourceLine:
            guard size >= 8 else { return jamCRC(record) }
            return hashStringV1(UnsafeRawBufferPointer(start: p + 4, count: 4))
        default:
            return jamCRC(record)
        }
    }

    /// "<unnamed-tag>", "__unnamed", or a name ending in "::<unnamed-tag>" or "::__unnamed".
    static func isAnonymous(_ name: UnsafeRawBufferPointer) -> Bool {
        func hasSuffix(_ suffix: StaticString) -> Bool {
            let count = suffix.utf8CodeUnitCount
            guard name.count >= count, let base = name.baseAddress else { return false }
            return memcmp(base + (name.count - count), suffix.utf8Start, count) == 0
        }
        if hasSuffix("::<unnamed-tag>") || hasSuffix("::__unnamed") { return true }
        let tag: StaticString = "<unnamed-tag>", unnamed: StaticString = "__unnamed"
        return (name.count == tag.utf8CodeUnitCount && hasSuffix(tag)) || (name.count == unnamed.utf8CodeUnitCount && hasSuffix(unnamed))
    }
}

// MARK: - Merging

/// The merged TPI and IPI streams of a link.
public struct TypeMerger: Sendable {
    /// TPI: type records.
    private var types = RecordTable()
    /// IPI: item (id) records.
    private var items = RecordTable()

    public init() {}

    public var typeCount: Int { types.count }
    public var itemCount: Int { items.count }

    /// Merges one object's `.debug$T` section (its bytes, including the leading 4-byte signature,
    /// which must be 4 = CV_SIGNATURE_C13; an empty section has no types). `file` names the object
    /// in errors; `sectionOffset` is the section's file offset, so errors give the offset of the bad
    /// record in the file.
    /// Returns the object's map: entry i is the merged index for the object's type index 0x1000 + i
    /// (an index into TPI when that record was a type record, into IPI when it was an item record).
    /// The section's record lengths are all checked before anything is merged; an error in a later
    /// record leaves the records before it merged (and no map).
    public mutating func merge(debugT: UnsafeRawBufferPointer, file: String, sectionOffset: Int) throws(FormatError) -> [UInt32] {
        let size = debugT.count
        guard size > 0, let base = debugT.baseAddress else { return [] }
        @inline(__always) func u16(_ at: Int) -> UInt16 { UInt16(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt16.self)) }
        func error(_ at: Int, _ message: String) -> FormatError {
            FormatError(file: file, offset: sectionOffset + at, message)
        }
        guard size >= 4 else {
            throw error(0, "section .debug$T (\(size) bytes) is too short for the CodeView signature")
        }
        let signature = UInt32(littleEndian: base.loadUnaligned(as: UInt32.self))
        guard signature == CodeView.signatureC13 else {
            throw error(0, "section .debug$T does not begin with the CodeView C13 signature (4) but with \(signature)")
        }

        // The records' extents, checked before anything is merged.
        var recordCount = 0
        var at = 4
        while at < size {
            // (Messages are made only on the error path: no string work per record.)
            var name: String { "type record 0x\(hexDigits(0x1000 + recordCount, width: 4)) of .debug$T" }
            guard size - at >= 4 else {
                throw error(at, "\(name) is cut off: \(size - at) bytes are left in the section, too few for its length and kind")
            }
            let length = Int(u16(at))
            guard length >= 2 else {
                throw error(at, "\(name) has length \(length), too small to hold its kind")
            }
            guard length <= size - at - 2 else {
                throw error(at, "\(name) (kind \(CodeView.describe(u16(at + 2)))) says it has \(length) bytes, which runs past the end of the section (0x\(String(size, radix: 16)) bytes)")
            }
            at += 2 + length
            recordCount += 1
        }

        var map: [UInt32] = []
        map.reserveCapacity(recordCount)
        var isItem: [Bool] = []
        isItem.reserveCapacity(recordCount)
        var references: [TypeIndexReference] = []
        references.reserveCapacity(64)
        // One record at a time, rewritten and padded: at most 2 + 0xFFFF bytes plus 3 of padding.
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: 0x10008, alignment: 8)
        defer { scratch.deallocate() }

        at = 4
        for index in 0..<recordCount {
            let recordSize = 2 + Int(u16(at))
            let kind = u16(at + 2)
            let sourceIndex = 0x1000 + index
            var recordName: String { "the \(CodeView.leafName(kind) ?? "kind 0x" + hexDigits(kind, width: 4)) record (type index 0x\(hexDigits(sourceIndex, width: 4))) of .debug$T" }
            switch kind {
            case CodeView.Leaf.typeServer2:
                throw error(at, ".debug$T refers to a type server PDB (LF_TYPESERVER2), which pelink does not support: the object was compiled with /Zi; compile it with /Z7")
            case CodeView.Leaf.precomp:
                throw error(at, ".debug$T uses the types of a precompiled header (LF_PRECOMP), which pelink does not support: the object was compiled with /Yu; compile it with /Z7 and without precompiled headers")
            case CodeView.Leaf.endPrecomp:
                throw error(at, ".debug$T holds the types of a precompiled header (LF_ENDPRECOMP), which pelink does not support: the object was compiled with /Yc; compile it with /Z7 and without precompiled headers")
            default:
                break
            }
            scratch.copyMemory(from: base + at, byteCount: recordSize)
            references.removeAll(keepingCapacity: true)
            do {
                try CodeView.collectTypeIndices(UnsafeRawPointer(scratch), recordSize, into: &references)
            } catch {
                throw FormatError(file: file, offset: sectionOffset + at, "type record 0x\(hexDigits(sourceIndex, width: 4)) of .debug$T: \(error.message)")
            }
            let recordIsItem = CodeView.isItemRecord(kind: kind)
            for reference in references {
                let value = scratch.loadLE32(at: reference.offset)
                if value < CodeView.firstNonSimpleIndex { continue }
                let source = Int(value - CodeView.firstNonSimpleIndex)
                guard source < index else {
                    if source < recordCount {
                        throw error(at, "\(recordName) refers to type index 0x\(hexDigits(value, width: 4)), itself or a later record; CodeView records may only refer to records before them")
                    }
                    throw error(at, "\(recordName) refers to type index 0x\(hexDigits(value, width: 4)), which the object does not define (its .debug$T has type indices 0x1000-0x\(hexDigits(0x1000 + recordCount - 1, width: 4)))")
                }
                guard isItem[source] == reference.isItem else {
                    let target = base + recordStart(of: source, base, size)
                    let targetKind = UInt16(littleEndian: target.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
                    let (wanted, found) = reference.isItem ? ("an item (IPI)", "a type (TPI)") : ("a type (TPI)", "an item (IPI)")
                    throw error(at, "\(recordName) refers to type index 0x\(hexDigits(value, width: 4)), \(found) record (\(CodeView.describe(targetKind))), at offset \(reference.offset) of the record where \(wanted) record is required")
                }
                scratch.storeLE(map[source], at: reference.offset)
            }
            // Records in a PDB are 4-byte aligned: LF_PAD3, LF_PAD2, LF_PAD1 as needed.
            var stored = recordSize
            let aligned = alignUp(recordSize, 4)
            if aligned != recordSize {
                guard aligned - 2 <= 0xFFFF else {
                    throw error(at, "\(recordName) has \(recordSize - 2) bytes, too many to pad to a multiple of 4 within a record's 16-bit length")
                }
                while stored < aligned {
                    scratch.storeBytes(of: UInt8(0xF0 + aligned - stored), toByteOffset: stored, as: UInt8.self)
                    stored += 1
                }
                scratch.storeLE(UInt16(aligned - 2), at: 0)
            }
            let record = UnsafeRawBufferPointer(start: scratch, count: aligned)
            let merged: Int
            if recordIsItem {
                guard let inserted = items.insert(record) else { throw error(at, "the merged IPI stream outgrows 4 GiB or 2^32 records") }
                merged = inserted
            } else {
                guard let inserted = types.insert(record) else { throw error(at, "the merged TPI stream outgrows 4 GiB or 2^32 records") }
                merged = inserted
            }
            map.append(CodeView.firstNonSimpleIndex + UInt32(merged))
            isItem.append(recordIsItem)
            at += recordSize
        }
        return map
    }

    /// Offset in the section of record `index` (only on the error path: walks the records).
    private func recordStart(of index: Int, _ base: UnsafeRawPointer, _ size: Int) -> Int {
        var at = 4
        for _ in 0..<index {
            at += 2 + Int(UInt16(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt16.self)))
        }
        return at
    }

    /// After all objects are merged: the TPI stream (56-byte header, then the records) and its hash
    /// stream (each record's hash modulo 0x3FFFF as a u32, then the index offsets: (type index,
    /// offset in the records) for the first record and for each record that crosses an 8 KiB
    /// boundary; no hash adjusters). `hashStreamIndex` is the stream number the caller gives the
    /// hash stream.
    public func typeStream(hashStreamIndex: UInt16) -> (stream: [UInt8], hashStream: [UInt8]) {
        types.streams(hashStreamIndex: hashStreamIndex)
    }

    /// The IPI stream and its hash stream, laid out as `typeStream`'s.
    public func itemStream(hashStreamIndex: UInt16) -> (stream: [UInt8], hashStream: [UInt8]) {
        items.streams(hashStreamIndex: hashStreamIndex)
    }

    /// The bytes of merged type record `index` (0x1000 or more), nil for an index not merged.
    public func typeRecord(_ index: UInt32) -> [UInt8]? { types.record(index) }

    /// The bytes of merged item record `index` (0x1000 or more), nil for an index not merged.
    public func itemRecord(_ index: UInt32) -> [UInt8]? { items.record(index) }

    /// The function type (a TPI index) of merged item `item` when it is an LF_FUNC_ID or
    /// LF_MFUNC_ID; nil otherwise. What a PDB's S_GPROC32 names where the object's S_GPROC32_ID
    /// named the item.
    public func functionType(ofItem item: UInt32) -> UInt32? {
        items.withRecord(item) { record -> UInt32? in
            guard record.count >= 12 else { return nil }
            let kind = UInt16(littleEndian: record.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
            guard kind == CodeView.Leaf.funcID || kind == CodeView.Leaf.memberFuncID else { return nil }
            return UInt32(littleEndian: record.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        } ?? nil
    }
}

/// The records of one stream (TPI or IPI), kept in one buffer, and a hash table on their bytes.
struct RecordTable: Sendable {
    /// Every record, each 4-byte aligned, back to back (what the stream holds after its header).
    private(set) var bytes: [UInt8] = []
    /// Where each record starts in `bytes`.
    private var starts: [UInt32] = []
    /// Each record's 64-bit hash of its bytes.
    private var keys: [UInt64] = []
    /// Open addressing on `keys`: record index + 1, 0 for an empty slot; a power of two in size,
    /// at most half full.
    private var slots: [UInt32] = []

    var count: Int { starts.count }

    private func range(_ i: Int) -> Range<Int> {
        Int(starts[i])..<(i + 1 < starts.count ? Int(starts[i + 1]) : bytes.count)
    }

    /// The index (0-based) of the record with exactly these bytes, appended if there is none;
    /// nil when the stream would outgrow its 32-bit sizes.
    mutating func insert(_ record: UnsafeRawBufferPointer) -> Int? {
        guard let p = record.baseAddress else { return nil }
        let size = record.count
        let key = RecordTable.hash(p, size)
        if slots.isEmpty { slots = [UInt32](repeating: 0, count: 1024) }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: key >> 20) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            let candidate = Int(entry - 1)
            if keys[candidate] == key {
                let range = range(candidate)
                if range.count == size {
                    let equal = bytes.withUnsafeBytes { buffer -> Bool in
                        guard let start = buffer.baseAddress else { return false }
                        return memcmp(start + range.lowerBound, p, size) == 0
                    }
                    if equal { return candidate }
                }
            }
            slot = (slot + 1) & mask
        }
        let index = starts.count
        guard bytes.count + size <= Int(UInt32.max), index < Int(UInt32.max - CodeView.firstNonSimpleIndex) else { return nil }
        starts.append(UInt32(bytes.count))
        bytes.append(contentsOf: record)
        keys.append(key)
        slots[slot] = UInt32(index + 1)
        if 2 * (index + 1) > slots.count { grow() }
        return index
    }

    private mutating func grow() {
        var newSlots = [UInt32](repeating: 0, count: slots.count * 2)
        let mask = newSlots.count - 1
        for (i, key) in keys.enumerated() {
            var slot = Int(truncatingIfNeeded: key >> 20) & mask
            while newSlots[slot] != 0 { slot = (slot + 1) & mask }
            newSlots[slot] = UInt32(i + 1)
        }
        slots = newSlots
    }

    /// A 64-bit hash of a record's bytes (8 bytes at a time), for the table only.
    @inline(__always) static func hash(_ p: UnsafeRawPointer, _ size: Int) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(size)
        var at = 0
        @inline(__always) func mix(_ word: UInt64) {
            h = (h ^ word) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
        }
        while at + 8 <= size {
            mix(UInt64(littleEndian: p.loadUnaligned(fromByteOffset: at, as: UInt64.self)))
            at += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while at < size {
            tail |= UInt64(p.load(fromByteOffset: at, as: UInt8.self)) << shift
            shift += 8
            at += 1
        }
        mix(tail)
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 33)
    }

    func withRecord<T>(_ index: UInt32, _ body: (UnsafeRawBufferPointer) -> T) -> T? {
        guard index >= CodeView.firstNonSimpleIndex, Int(index - CodeView.firstNonSimpleIndex) < starts.count else { return nil }
        let range = range(Int(index - CodeView.firstNonSimpleIndex))
        return bytes.withUnsafeBytes { buffer -> T? in
            guard let base = buffer.baseAddress else { return nil }
            return body(UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count))
        }
    }

    func record(_ index: UInt32) -> [UInt8]? {
        guard index >= CodeView.firstNonSimpleIndex, Int(index - CodeView.firstNonSimpleIndex) < starts.count else { return nil }
        return Array(bytes[range(Int(index - CodeView.firstNonSimpleIndex))])
    }

    /// The stream (header and records) and its hash stream.
    func streams(hashStreamIndex: UInt16) -> (stream: [UInt8], hashStream: [UInt8]) {
        let count = starts.count
        var hashes = ByteWriter(capacity: 4 * count + 64)
        var indexOffsets = ByteWriter()
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            for i in 0..<count {
                let range = range(i)
                let record = UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count)
                hashes.u32(CodeView.recordHash(record) % CodeView.hashBucketCount)
                // An index offset for the first record and for each one that crosses 8 KiB.
                if i == 0 || range.upperBound / 8192 > range.lowerBound / 8192 {
                    indexOffsets.u32(CodeView.firstNonSimpleIndex + UInt32(i))
                    indexOffsets.u32(UInt32(range.lowerBound))
                }
            }
        }
        var w = ByteWriter(capacity: 56 + bytes.count)
        w.u32(20_040_203)                                       // version (V80)
        w.u32(56)                                               // header size
        w.u32(CodeView.firstNonSimpleIndex)                     // TypeIndexBegin
        w.u32(CodeView.firstNonSimpleIndex + UInt32(count))     // TypeIndexEnd
        w.u32(UInt32(bytes.count))                              // TypeRecordBytes
        w.u16(hashStreamIndex)
        w.u16(0xFFFF)                                           // no auxiliary hash stream
        w.u32(4)                                                // hash key size
        w.u32(CodeView.hashBucketCount)
        w.u32(0); w.u32(UInt32(hashes.count))                   // hash values
        w.u32(UInt32(hashes.count)); w.u32(UInt32(indexOffsets.count))  // index offsets
        w.u32(UInt32(hashes.count)); w.u32(0)                   // hash adjusters: none (where LLVM puts them)
        w.append(bytes)
        hashes.append(indexOffsets.bytes)
        return (w.bytes, hashes.bytes)
    }
}
