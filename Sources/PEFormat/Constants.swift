// Numeric constants of the PE/COFF specification (pe-format.md), named after the spec.

public enum Machine: UInt16, Sendable, CaseIterable {
    case unknown = 0
    case i386 = 0x14c
    case amd64 = 0x8664
    case arm64 = 0xaa64
    case armnt = 0x1c4

    public var is64Bit: Bool { self == .amd64 || self == .arm64 }
    /// The name used by /machine: and in diagnostics.
    public var optionName: String {
        switch self {
        case .unknown: return "unknown"
        case .i386: return "x86"
        case .amd64: return "x64"
        case .arm64: return "arm64"
        case .armnt: return "arm"
        }
    }
    public static func fromOption(_ s: String) -> Machine? {
        switch s.lowercased() {
        case "x64", "amd64", "x86_64": return .amd64
        case "x86", "i386", "i686": return .i386
        case "arm64", "aarch64": return .arm64
        case "arm", "armnt": return .armnt
        default: return nil
        }
    }
}

public struct SectionFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let typeNoPad = SectionFlags(rawValue: 0x0000_0008)
    public static let code = SectionFlags(rawValue: 0x0000_0020)
    public static let initializedData = SectionFlags(rawValue: 0x0000_0040)
    public static let uninitializedData = SectionFlags(rawValue: 0x0000_0080)
    public static let lnkOther = SectionFlags(rawValue: 0x0000_0100)
    public static let lnkInfo = SectionFlags(rawValue: 0x0000_0200)
    public static let lnkRemove = SectionFlags(rawValue: 0x0000_0800)
    public static let lnkComdat = SectionFlags(rawValue: 0x0000_1000)
    public static let gprel = SectionFlags(rawValue: 0x0000_8000)
    public static let alignMask = SectionFlags(rawValue: 0x00F0_0000)
    public static let align8Bytes = SectionFlags(rawValue: 0x0040_0000)
    public static let lnkNRelocOverflow = SectionFlags(rawValue: 0x0100_0000)
    public static let memDiscardable = SectionFlags(rawValue: 0x0200_0000)
    public static let memNotCached = SectionFlags(rawValue: 0x0400_0000)
    public static let memNotPaged = SectionFlags(rawValue: 0x0800_0000)
    public static let memShared = SectionFlags(rawValue: 0x1000_0000)
    public static let memExecute = SectionFlags(rawValue: 0x2000_0000)
    public static let memRead = SectionFlags(rawValue: 0x4000_0000)
    public static let memWrite = SectionFlags(rawValue: 0x8000_0000)

    /// Alignment encoded in bits 20-23 (IMAGE_SCN_ALIGN_*); nil when not given.
    public var alignment: Int? {
        let code = Int((rawValue >> 20) & 0xF)
        return code == 0 || code > 14 ? nil : 1 << (code - 1)
    }
    /// The flags an image section header keeps (linker-only bits dropped).
    public var imageFlags: SectionFlags {
        SectionFlags(rawValue: rawValue & ~(SectionFlags.alignMask.rawValue | SectionFlags.lnkComdat.rawValue
            | SectionFlags.lnkInfo.rawValue | SectionFlags.lnkRemove.rawValue | SectionFlags.lnkOther.rawValue
            | SectionFlags.lnkNRelocOverflow.rawValue | SectionFlags.typeNoPad.rawValue | SectionFlags.gprel.rawValue))
    }
}

public enum StorageClass {
    public static let endOfFunction: UInt8 = 0xFF
    public static let null: UInt8 = 0
    public static let external: UInt8 = 2
    public static let `static`: UInt8 = 3
    public static let label: UInt8 = 6
    public static let function: UInt8 = 101
    public static let file: UInt8 = 103
    public static let section: UInt8 = 104
    public static let weakExternal: UInt8 = 105
    public static let clrToken: UInt8 = 107
}

public enum SectionNumber {
    public static let undefined: Int32 = 0
    public static let absolute: Int32 = -1
    public static let debug: Int32 = -2
}

/// IMAGE_COMDAT_SELECT_*.
public enum ComdatSelection: UInt8, Sendable {
    case noDuplicates = 1
    case any = 2
    case sameSize = 3
    case exactMatch = 4
    case associative = 5
    case largest = 6
    case newest = 7
}

/// IMAGE_WEAK_EXTERN_SEARCH_*.
public enum WeakSearch: UInt32, Sendable {
    case noLibrary = 1
    case library = 2
    case alias = 3
    case antiDependency = 4
}

public enum AMD64Relocation {
    public static let absolute: UInt16 = 0x0
    public static let addr64: UInt16 = 0x1
    public static let addr32: UInt16 = 0x2
    public static let addr32NB: UInt16 = 0x3
    public static let rel32: UInt16 = 0x4
    public static let rel32_1: UInt16 = 0x5
    public static let rel32_2: UInt16 = 0x6
    public static let rel32_3: UInt16 = 0x7
    public static let rel32_4: UInt16 = 0x8
    public static let rel32_5: UInt16 = 0x9
    public static let section: UInt16 = 0xA
    public static let secrel: UInt16 = 0xB
    public static let secrel7: UInt16 = 0xC
    public static let token: UInt16 = 0xD
    public static let srel32: UInt16 = 0xE
    public static let pair: UInt16 = 0xF
    public static let sspan32: UInt16 = 0x10

    public static func name(_ type: UInt16) -> String {
        let names = ["ABSOLUTE", "ADDR64", "ADDR32", "ADDR32NB", "REL32", "REL32_1", "REL32_2", "REL32_3", "REL32_4",
                     "REL32_5", "SECTION", "SECREL", "SECREL7", "TOKEN", "SREL32", "PAIR", "SSPAN32"]
        return Int(type) < names.count ? "IMAGE_REL_AMD64_\(names[Int(type)])" : "type 0x\(String(type, radix: 16))"
    }
}

/// IMAGE_REL_I386_* (pe-format.md, "Intel 386 Processors").
public enum I386Relocation {
    public static let absolute: UInt16 = 0x0
    public static let dir16: UInt16 = 0x1
    public static let rel16: UInt16 = 0x2
    public static let dir32: UInt16 = 0x6
    public static let dir32NB: UInt16 = 0x7
    public static let seg12: UInt16 = 0x9
    public static let section: UInt16 = 0xA
    public static let secrel: UInt16 = 0xB
    public static let token: UInt16 = 0xC
    public static let secrel7: UInt16 = 0xD
    public static let rel32: UInt16 = 0x14

    public static func name(_ type: UInt16) -> String {
        let names: [UInt16: String] = [0: "ABSOLUTE", 1: "DIR16", 2: "REL16", 6: "DIR32", 7: "DIR32NB", 9: "SEG12",
                                       0xA: "SECTION", 0xB: "SECREL", 0xC: "TOKEN", 0xD: "SECREL7", 0x14: "REL32"]
        return names[type].map { "IMAGE_REL_I386_" + $0 } ?? "type 0x\(String(type, radix: 16))"
    }
}

/// IMAGE_REL_ARM64_* (pe-format.md, "ARM64 Processors").
public enum ARM64Relocation {
    public static let absolute: UInt16 = 0x0
    public static let addr32: UInt16 = 0x1
    public static let addr32NB: UInt16 = 0x2
    public static let branch26: UInt16 = 0x3
    public static let pageBaseRel21: UInt16 = 0x4
    public static let rel21: UInt16 = 0x5
    public static let pageOffset12A: UInt16 = 0x6
    public static let pageOffset12L: UInt16 = 0x7
    public static let secrel: UInt16 = 0x8
    public static let secrelLow12A: UInt16 = 0x9
    public static let secrelHigh12A: UInt16 = 0xA
    public static let secrelLow12L: UInt16 = 0xB
    public static let token: UInt16 = 0xC
    public static let section: UInt16 = 0xD
    public static let addr64: UInt16 = 0xE
    public static let branch19: UInt16 = 0xF
    public static let branch14: UInt16 = 0x10
    public static let rel32: UInt16 = 0x11

    public static func name(_ type: UInt16) -> String {
        let names = ["ABSOLUTE", "ADDR32", "ADDR32NB", "BRANCH26", "PAGEBASE_REL21", "REL21", "PAGEOFFSET_12A",
                     "PAGEOFFSET_12L", "SECREL", "SECREL_LOW12A", "SECREL_HIGH12A", "SECREL_LOW12L", "TOKEN",
                     "SECTION", "ADDR64", "BRANCH19", "BRANCH14", "REL32"]
        return Int(type) < names.count ? "IMAGE_REL_ARM64_\(names[Int(type)])" : "type 0x\(String(type, radix: 16))"
    }
}

/// IMAGE_DIRECTORY_ENTRY_*.
public enum DataDirectory: Int, CaseIterable, Sendable {
    case export = 0, `import`, resource, exception, security, baseRelocation, debug, architecture,
         globalPointer, tls, loadConfig, boundImport, iat, delayImport, clrRuntime, reserved
}

public enum DLLCharacteristics {
    public static let highEntropyVA: UInt16 = 0x0020
    public static let dynamicBase: UInt16 = 0x0040
    public static let forceIntegrity: UInt16 = 0x0080
    public static let nxCompat: UInt16 = 0x0100
    public static let noIsolation: UInt16 = 0x0200
    public static let noSEH: UInt16 = 0x0400
    public static let noBind: UInt16 = 0x0800
    public static let appContainer: UInt16 = 0x1000
    public static let wdmDriver: UInt16 = 0x2000
    public static let guardCF: UInt16 = 0x4000
    public static let terminalServerAware: UInt16 = 0x8000
}

public enum FileCharacteristics {
    public static let relocsStripped: UInt16 = 0x0001
    public static let executableImage: UInt16 = 0x0002
    public static let largeAddressAware: UInt16 = 0x0020
    public static let machine32Bit: UInt16 = 0x0100
    public static let dll: UInt16 = 0x2000
}

public enum Subsystem: UInt16, Sendable {
    case unknown = 0, native = 1, windowsGUI = 2, windowsCUI = 3, posixCUI = 7, windowsCEGUI = 9,
         efiApplication = 10, efiBootServiceDriver = 11, efiRuntimeDriver = 12, efiROM = 13, xbox = 14,
         windowsBootApplication = 16

    public static func fromOption(_ s: String) -> Subsystem? {
        switch s.lowercased() {
        case "native": return .native
        case "windows": return .windowsGUI
        case "console": return .windowsCUI
        case "posix": return .posixCUI
        case "efi_application": return .efiApplication
        case "efi_boot_service_driver": return .efiBootServiceDriver
        case "efi_runtime_driver": return .efiRuntimeDriver
        case "efi_rom": return .efiROM
        case "boot_application": return .windowsBootApplication
        default: return nil
        }
    }
}

/// IMAGE_REL_BASED_*.
public enum BaseRelocationType {
    public static let absolute: UInt16 = 0
    public static let highLow: UInt16 = 3
    public static let dir64: UInt16 = 10
}

/// Import object header (short import library member) fields.
public enum ImportType: UInt8, Sendable { case code = 0, data = 1, const = 2 }
public enum ImportNameType: UInt8, Sendable {
    case ordinal = 0, name = 1, noPrefix = 2, undecorate = 3, exportAs = 4
}
