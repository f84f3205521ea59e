// CodeView constants of `.debug$S` sections: the subsection kinds and the symbol record kinds a
// linker reads or writes (CodeView's DEBUG_S_* and S_*).

/// Kinds of `.debug$S` subsections (CodeView's DEBUG_S_*).
public enum DebugSubsection {
    public static let symbols: UInt32 = 0xF1
    public static let lines: UInt32 = 0xF2
    public static let stringTable: UInt32 = 0xF3
    public static let fileChecksums: UInt32 = 0xF4
    public static let frameData: UInt32 = 0xF5
    public static let inlineeLines: UInt32 = 0xF6
    /// Set in a kind the producer wants the linker to skip.
    public static let ignore: UInt32 = 0x8000_0000
}

/// Symbol record kinds the PDB writer looks at (CodeView's S_*).
public enum CodeViewSymbol {
    public static let end: UInt16 = 0x0006
    public static let procIDEnd: UInt16 = 0x114F
    public static let inlineSiteEnd: UInt16 = 0x114E
    public static let thunk32: UInt16 = 0x1102
    public static let block32: UInt16 = 0x1103
    public static let with32: UInt16 = 0x1104
    public static let sepCode: UInt16 = 0x1132
    public static let inlineSite: UInt16 = 0x114D
    public static let inlineSite2: UInt16 = 0x115D
    public static let localProc: UInt16 = 0x110F
    public static let globalProc: UInt16 = 0x1110
    public static let localProcID: UInt16 = 0x1146
    public static let globalProcID: UInt16 = 0x1147
    public static let localProcDPC: UInt16 = 0x1155
    public static let localProcDPCID: UInt16 = 0x1156
    public static let globalData: UInt16 = 0x110D
    public static let localData: UInt16 = 0x110C
    public static let globalThreadData: UInt16 = 0x1113
    public static let localThreadData: UInt16 = 0x1112
    public static let userDefinedType: UInt16 = 0x1108
    public static let constant: UInt16 = 0x1107
    public static let procedureReference: UInt16 = 0x1125
    public static let localProcedureReference: UInt16 = 0x1127
    public static let fileStatic: UInt16 = 0x1153
    public static let objectName: UInt16 = 0x1101
    public static let compile3: UInt16 = 0x113C
    public static let section: UInt16 = 0x1136

    public static func isProcedure(_ kind: UInt16) -> Bool {
        kind == localProc || kind == globalProc || kind == localProcID || kind == globalProcID || kind == localProcDPC || kind == localProcDPCID
    }
    /// Records that open a scope closed by an S_END (or S_PROC_ID_END, S_INLINESITE_END), with
    /// their parent and end fields at offsets 4 and 8.
    public static func opensScope(_ kind: UInt16) -> Bool {
        isProcedure(kind) || kind == thunk32 || kind == block32 || kind == with32 || kind == sepCode || kind == inlineSite || kind == inlineSite2
    }
    public static func closesScope(_ kind: UInt16) -> Bool { kind == end || kind == procIDEnd || kind == inlineSiteEnd }
}
