import PEFormat

/// What differs between the machines pelink links (x64, x86, ARM64): pointer width and header
/// format, how C names are decorated, which relocation needs a base relocation, the code of
/// import and range-extension thunks, and the size of an exception-table entry. The linker core
/// asks this and tests no machine itself; how each machine's relocations are applied is in
/// Relocator.swift (`applyAMD64`, `applyI386`, `applyARM64`), and ARM64's range-extension thunks
/// in RangeThunks.swift.
struct Target: Sendable {
    let machine: Machine

    init(_ machine: Machine) { self.machine = machine }

    var is64Bit: Bool { machine != .i386 }
    /// Bytes of an address slot: IAT and lookup-table entries, local import slots.
    var pointerSize: Int { is64Bit ? 8 : 4 }
    /// The ordinal flag of an import lookup entry (pe-format.md, "Import Lookup Table").
    var importByOrdinalFlag: UInt64 { is64Bit ? 1 << 63 : 1 << 31 }

    /// link.exe's default bases: 32-bit images below 2 GiB, 64-bit ones above 4 GiB.
    func defaultImageBase(isDLL: Bool) -> UInt64 {
        if is64Bit { return isDLL ? 0x1_8000_0000 : 0x1_4000_0000 }
        return isDLL ? 0x1000_0000 : 0x40_0000
    }

    // MARK: Names

    /// x86 decorates C names (`_f`, `_f@8`, `@f@8`); x64 and ARM64 use them as written.
    var decoratesCNames: Bool { machine == .i386 }
    /// x86 registers its exception handlers in a SAFESEH table (`SafeSEH.swift`).
    var hasSafeSEHTable: Bool { machine == .i386 }
    /// ARM64 branches can fall short of their target (`RangeThunks.swift`).
    var needsRangeExtensionThunks: Bool { machine == .arm64 }

    /// The symbol a C name becomes: x86 prefixes an underscore (`f` → `_f`), other machines
    /// use the name as it is.
    func mangle(_ name: String) -> String { decoratesCNames ? "_" + name : name }

    /// A name that already carries an x86 decoration and must not get another underscore:
    /// fastcall `@f@8`, vectorcall `f@@8`, C++ `?f@@YAXXZ`, and (except in GNU mode, where `f@8`
    /// is a plain name to decorate) stdcall `f@8` (lld-link's and link.exe's rule).
    static func isDecorated(_ name: String, gnu: Bool) -> Bool {
        name.hasPrefix("@") || name.hasPrefix("?") || hasDoubleAt(name) || (!gnu && name.utf8.contains(0x40))
    }

    /// "@@" somewhere in `name` (a byte scan: Foundation's `contains` is far slower per name).
    private static func hasDoubleAt(_ name: String) -> Bool {
        var previous: UInt8 = 0
        for byte in name.utf8 {
            if byte == 0x40 && previous == 0x40 { return true }
            previous = byte
        }
        return false
    }

    /// The symbol a name given by the user (/export:, .def EXPORTS, /include:, /entry:) stands for.
    func symbolName(ofUserName name: String, gnu: Bool) -> String {
        machine == .i386 && !Target.isDecorated(name, gnu: gnu) ? "_" + name : name
    }

    /// The name an x86 symbol is exported under: the leading underscore of a C name goes, but a
    /// fully decorated stdcall name keeps it in MSVC mode (`_f@8`), as link.exe exports it.
    func exportName(ofSymbol name: String, gnu: Bool) -> String {
        guard machine == .i386, name.hasPrefix("_") else { return name }
        if gnu || !name.utf8.contains(0x40) { return String(name.dropFirst()) }
        return name
    }

    /// Symbols a plain x86 name can stand for when it is not defined itself, in the order
    /// link.exe tries them: stdcall `_f@N`, fastcall `@f@N`, vectorcall `f@@N`, then a C++
    /// function `?f@@Y...`. As prefixes of the candidate names.
    func decoratedCandidatePrefixes(of name: String) -> [String] {
        guard machine == .i386 else { return name.hasPrefix("?") ? [] : ["?" + name + "@@Y"] }
        guard name.hasPrefix("_") else { return [] }
        let plain = String(name.dropFirst())
        return [name + "@", "@" + plain + "@", plain + "@@", "?" + plain + "@@Y"]
    }

    /// `decorated` (the symbol the plain x86 name `plain` resolved to) with the C name replaced
    /// by `newName`: `_f@8` → `_g@8`, `@f@8` → `@g@8`, `f@@8` → `g@@8`. Nil for C++ names.
    static func redecorate(_ decorated: String, plain: String, as newName: String) -> String? {
        guard plain.hasPrefix("_") else { return nil }
        let c = plain.dropFirst()
        for (prefix, start) in [("_" + c + "@", "_"), ("@" + c + "@", "@"), (c + "@@", "")] where decorated.hasPrefix(prefix) {
            return start + newName + decorated.dropFirst(start.count + c.count)
        }
        return nil
    }

    /// The entry point when /entry: does not name one: the CRT's startup functions.
    func defaultEntry(isDLL: Bool, subsystem: Subsystem?) -> String {
        if isDLL { return machine == .i386 ? "__DllMainCRTStartup@12" : "_DllMainCRTStartup" }
        return mangle(subsystem == .windowsGUI ? "WinMainCRTStartup" : "mainCRTStartup")
    }

    // MARK: Relocations

    /// The relocation type that stores a full pointer, whose site moves with the image.
    var pointerRelocation: UInt16 {
        switch machine {
        case .i386: return I386Relocation.dir32
        case .arm64: return ARM64Relocation.addr64
        default: return AMD64Relocation.addr64
        }
    }

    /// IMAGE_REL_BASED_* of a pointer site.
    var baseRelocationType: UInt16 { is64Bit ? BaseRelocationType.dir64 : BaseRelocationType.highLow }

    /// Display name of a relocation type of this machine.
    func relocationName(_ type: UInt16) -> String {
        switch machine {
        case .i386: return I386Relocation.name(type)
        case .arm64: return ARM64Relocation.name(type)
        default: return AMD64Relocation.name(type)
        }
    }

    // MARK: Thunks

    /// An import thunk: the code a call to an imported function lands on when the caller did
    /// not use `__declspec(dllimport)`. It jumps through the IAT slot.
    var importThunkSize: Int { machine == .arm64 ? 12 : 6 }
    /// Distance between consecutive import thunks, as lld-link lays them out: x64 thunks start
    /// 16-byte aligned, x86 ones are packed, ARM64 ones are instruction aligned.
    var importThunkStride: Int {
        switch machine {
        case .i386: return 6
        case .arm64: return 12
        default: return 16
        }
    }
    var importThunkAlignment: Int {
        switch machine {
        case .i386: return 1
        case .arm64: return 4
        default: return 16
        }
    }

    /// The byte that fills gaps in code sections: int3 on x86 and x64, so a stray jump traps;
    /// zero on ARM64 (a permanently undefined instruction), as lld-link fills them.
    var codeFill: Int32 { machine == .arm64 ? 0 : 0xCC }
    /// The CPU a CodeView S_COMPILE3 record names (CV_CPU_TYPE_e): the PDB's linker module.
    var codeViewMachine: UInt16 {
        switch machine {
        case .arm64: return 0xF6
        case .i386: return 0x07
        default: return 0xD0
        }
    }

    /// Where, inside an x86 import thunk, the absolute address of the IAT slot is: a site for a
    /// HIGHLOW base relocation. Nil on machines whose thunks are PC-relative.
    var importThunkAbsoluteField: Int? { machine == .i386 ? 2 : nil }

    /// Writes the thunk at `thunkRVA` that jumps through the IAT slot at `slotRVA`.
    func writeImportThunk(_ p: UnsafeMutableRawPointer, thunkRVA: UInt32, slotRVA: UInt32, imageBase: UInt64) {
        switch machine {
        case .arm64:
            // adrp x16, slot; ldr x16, [x16, :lo12:slot]; br x16
            p.storeLE(ARM64Encoding.adrp(register: 16, from: thunkRVA, to: slotRVA), at: 0)
            p.storeLE(ARM64Encoding.withLow12(0xF940_0210, slotRVA, scale: 3), at: 4)
            p.storeLE(UInt32(0xD61F_0200), at: 8)
        case .i386:
            // jmp dword ptr [slot]: an absolute address.
            p.storeBytes(of: 0xFF, toByteOffset: 0, as: UInt8.self)
            p.storeBytes(of: 0x25, toByteOffset: 1, as: UInt8.self)
            p.storeLE(UInt32(truncatingIfNeeded: imageBase &+ UInt64(slotRVA)), at: 2)
        default:
            // jmp qword ptr [rip+disp32]
            p.storeBytes(of: 0xFF, toByteOffset: 0, as: UInt8.self)
            p.storeBytes(of: 0x25, toByteOffset: 1, as: UInt8.self)
            p.storeLE(UInt32(truncatingIfNeeded: Int64(slotRVA) - (Int64(thunkRVA) + 6)), at: 2)
        }
    }

    /// ARM64 range-extension thunk: `adrp x16, target; add x16, x16, :lo12:target; br x16`,
    /// reaching ±4 GiB where a branch reaches ±128 MiB (BRANCH26), ±1 MiB (BRANCH19) or ±32 KiB
    /// (BRANCH14).
    static let rangeExtensionThunkSize = 12

    static func writeRangeExtensionThunk(_ p: UnsafeMutableRawPointer, thunkRVA: UInt32, targetRVA: UInt32) {
        p.storeLE(ARM64Encoding.adrp(register: 16, from: thunkRVA, to: targetRVA), at: 0)
        p.storeLE(ARM64Encoding.withLow12(0x9100_0210, targetRVA, scale: 0), at: 4)
        p.storeLE(UInt32(0xD61F_0200), at: 8)
    }

    // MARK: Delay-load code (DelayLoad.swift)

    /// The helper the tail-merge code calls: `__delayLoadHelper2(descriptor, slot)`, stdcall on x86.
    var delayLoadHelperName: String { machine == .i386 ? "___delayLoadHelper2@8" : "__delayLoadHelper2" }

    /// Per import: put the IAT slot's address in a scratch register, jump to the DLL's tail merge.
    var delayLoadThunkSize: Int {
        switch machine {
        case .i386: return 10    // mov eax, slot; jmp tailMerge
        case .arm64: return 12   // adrp x16, slot; add x16, x16, :lo12:slot; b tailMerge
        default: return 12       // lea rax, [rip+slot]; jmp tailMerge
        }
    }

    /// The offset of an absolute address (the slot's) in a delay-load thunk, which needs a base relocation.
    var delayLoadThunkAbsoluteField: Int? { machine == .i386 ? 1 : nil }

    func writeDelayLoadThunk(_ p: UnsafeMutableRawPointer, thunkRVA: UInt32, slotRVA: UInt32, tailMergeRVA: UInt32, imageBase: UInt64) {
        switch machine {
        case .i386:
            p.storeBytes(of: 0xB8, toByteOffset: 0, as: UInt8.self)
            p.storeLE(UInt32(truncatingIfNeeded: imageBase &+ UInt64(slotRVA)), at: 1)
            p.storeBytes(of: 0xE9, toByteOffset: 5, as: UInt8.self)
            p.storeLE(UInt32(truncatingIfNeeded: Int64(tailMergeRVA) - Int64(thunkRVA + 10)), at: 6)
        case .arm64:
            p.storeLE(ARM64Encoding.adrp(register: 16, from: thunkRVA, to: slotRVA), at: 0)
            p.storeLE(ARM64Encoding.withLow12(0x9100_0210, slotRVA, scale: 0), at: 4)
            p.storeLE(ARM64Encoding.branch26(from: thunkRVA + 8, to: tailMergeRVA), at: 8)
        default:
            p.storeBytes(of: 0x48, toByteOffset: 0, as: UInt8.self)
            p.storeBytes(of: 0x8D, toByteOffset: 1, as: UInt8.self)
            p.storeBytes(of: 0x05, toByteOffset: 2, as: UInt8.self)
            p.storeLE(UInt32(truncatingIfNeeded: Int64(slotRVA) - Int64(thunkRVA + 7)), at: 3)
            p.storeBytes(of: 0xE9, toByteOffset: 7, as: UInt8.self)
            p.storeLE(UInt32(truncatingIfNeeded: Int64(tailMergeRVA) - Int64(thunkRVA + 12)), at: 8)
        }
    }

    /// Per DLL: keep the caller's argument registers (and ARM64's x8, the address of a returned
    /// structure) across the helper call, then jump to the function it returns.
    private var delayLoadTailMergeTemplate: (code: [UInt8], descriptorField: Int, helperCallField: Int) {
        switch machine {
        case .i386:
            return ([0x51,                          // push ecx
                     0x52,                          // push edx
                     0x50,                          // push eax            (the slot)
                     0x68, 0, 0, 0, 0,              // push descriptor     (absolute)
                     0xE8, 0, 0, 0, 0,              // call helper         (pops both arguments)
                     0x5A,                          // pop edx
                     0x59,                          // pop ecx
                     0xFF, 0xE0],                   // jmp eax
                    4, 9)
        case .arm64:
            let words: [UInt32] = [
                0xA9B2_7BFD,    // stp x29, x30, [sp, #-224]!
                0x9100_03FD,    // mov x29, sp
                0xA901_07E0, 0xA902_0FE2, 0xA903_17E4, 0xA904_1FE6,    // stp x0..x7, [sp, #16..#64]
                0xAD02_87E0, 0xAD03_8FE2, 0xAD04_97E4, 0xAD05_9FE6,    // stp q0..q7, [sp, #80..#176]
                0xF900_6BE8,    // str x8, [sp, #208]
                0xAA10_03E1,    // mov x1, x16          (the slot)
                0x9000_0000,    // adrp x0, descriptor
                0x9100_0000,    // add x0, x0, :lo12:descriptor
                0x9400_0000,    // bl helper
                0xAA00_03F0,    // mov x16, x0
                0xF940_6BE8,    // ldr x8, [sp, #208]
                0xAD45_9FE6, 0xAD44_97E4, 0xAD43_8FE2, 0xAD42_87E0,    // ldp q6..q0
                0xA944_1FE6, 0xA943_17E4, 0xA942_0FE2, 0xA941_07E0,    // ldp x6..x0
                0xA8CE_7BFD,    // ldp x29, x30, [sp], #224
                0xD61F_0200,    // br x16
            ]
            return (words.flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> (8 * $0)) } }, 48, 56)
        default:
            return ([0x48, 0x89, 0x4C, 0x24, 0x08,            // mov [rsp+8], rcx     (the caller's home space)
                     0x48, 0x89, 0x54, 0x24, 0x10,            // mov [rsp+16], rdx
                     0x4C, 0x89, 0x44, 0x24, 0x18,            // mov [rsp+24], r8
                     0x4C, 0x89, 0x4C, 0x24, 0x20,            // mov [rsp+32], r9
                     0x48, 0x83, 0xEC, 0x68,                  // sub rsp, 104         (end of prolog)
                     0x66, 0x0F, 0x7F, 0x44, 0x24, 0x20,      // movdqa [rsp+32], xmm0
                     0x66, 0x0F, 0x7F, 0x4C, 0x24, 0x30,      // movdqa [rsp+48], xmm1
                     0x66, 0x0F, 0x7F, 0x54, 0x24, 0x40,      // movdqa [rsp+64], xmm2
                     0x66, 0x0F, 0x7F, 0x5C, 0x24, 0x50,      // movdqa [rsp+80], xmm3
                     0x48, 0x8B, 0xD0,                        // mov rdx, rax         (the slot)
                     0x48, 0x8D, 0x0D, 0, 0, 0, 0,            // lea rcx, [rip+descriptor]
                     0xE8, 0, 0, 0, 0,                        // call helper
                     0x66, 0x0F, 0x6F, 0x44, 0x24, 0x20,      // movdqa xmm0, [rsp+32]
                     0x66, 0x0F, 0x6F, 0x4C, 0x24, 0x30,      // movdqa xmm1, [rsp+48]
                     0x66, 0x0F, 0x6F, 0x54, 0x24, 0x40,      // movdqa xmm2, [rsp+64]
                     0x66, 0x0F, 0x6F, 0x5C, 0x24, 0x50,      // movdqa xmm3, [rsp+80]
                     0x48, 0x8B, 0x4C, 0x24, 0x70,            // mov rcx, [rsp+112]
                     0x48, 0x8B, 0x54, 0x24, 0x78,            // mov rdx, [rsp+120]
                     0x4C, 0x8B, 0x84, 0x24, 0x80, 0, 0, 0,   // mov r8, [rsp+128]
                     0x4C, 0x8B, 0x8C, 0x24, 0x88, 0, 0, 0,   // mov r9, [rsp+136]
                     0x48, 0x83, 0xC4, 0x68,                  // add rsp, 104
                     0xFF, 0xE0],                             // jmp rax
                    54, 59)
        }
    }

    var delayLoadTailMergeSize: Int { delayLoadTailMergeTemplate.code.count }

    /// x86 pushes the descriptor's absolute address, which needs a base relocation.
    var delayLoadTailMergeAbsoluteField: Int? { machine == .i386 ? delayLoadTailMergeTemplate.descriptorField : nil }

    func writeDelayLoadTailMerge(_ p: UnsafeMutableRawPointer, rva: UInt32, descriptorRVA: UInt32, helperRVA: UInt32, imageBase: UInt64) {
        let template = delayLoadTailMergeTemplate
        template.code.withUnsafeBytes { p.copyMemory(from: $0.baseAddress!, byteCount: template.code.count) }
        let d = template.descriptorField, h = template.helperCallField
        switch machine {
        case .i386:
            p.storeLE(UInt32(truncatingIfNeeded: imageBase &+ UInt64(descriptorRVA)), at: d)
            p.storeLE(UInt32(truncatingIfNeeded: Int64(helperRVA) - Int64(rva) - Int64(h + 4)), at: h)
        case .arm64:
            p.storeLE(ARM64Encoding.adrp(register: 0, from: rva + UInt32(d), to: descriptorRVA), at: d)
            p.storeLE(ARM64Encoding.withLow12(0x9100_0000, descriptorRVA, scale: 0), at: d + 4)
            p.storeLE(ARM64Encoding.branch26(from: rva + UInt32(h), to: helperRVA) | 0x8000_0000, at: h)
        default:
            p.storeLE(UInt32(truncatingIfNeeded: Int64(descriptorRVA) - Int64(rva) - Int64(d + 4)), at: d)
            p.storeLE(UInt32(truncatingIfNeeded: Int64(helperRVA) - Int64(rva) - Int64(h + 4)), at: h)
        }
    }

    /// x64 unwind information of the tail merge: its 24-byte prolog allocates 104 bytes
    /// (UWOP_ALLOC_SMALL); the stores before it go to the caller's home space and need no code.
    var delayLoadTailMergeUnwindInfo: [UInt8]? {
        machine == .amd64 ? [0x01, 0x18, 0x01, 0x00, 0x18, 0xC2, 0x00, 0x00] : nil
    }

    /// The exception-table entry of a tail merge. ARM64 uses packed unwind data: a frame of
    /// 224 bytes set up by `stp x29, x30, [sp, #-224]!; mov x29, sp` (CR=3), no other saved register.
    func writeDelayLoadExceptionEntry(_ p: UnsafeMutableRawPointer, tailMergeRVA: UInt32, unwindInfoRVA: UInt32?) {
        switch machine {
        case .arm64:
            let length = UInt32(delayLoadTailMergeSize / 4)
            p.storeLE(tailMergeRVA, at: 0)
            p.storeLE(1 | length << 2 | 3 << 21 | (224 / 16) << 23, at: 4)
        default:
            p.storeLE(tailMergeRVA, at: 0)
            p.storeLE(tailMergeRVA + UInt32(delayLoadTailMergeSize), at: 4)
            p.storeLE(unwindInfoRVA ?? 0, at: 8)
        }
    }

    // MARK: Exception table

    /// Bytes of one exception-table entry (RUNTIME_FUNCTION), which the loader binary-searches
    /// so the linker sorts them: x64 BeginAddress/EndAddress/UnwindInfo, ARM64
    /// BeginAddress/UnwindData. x86 has no such table (its SEH is the SAFESEH handler list).
    var exceptionEntrySize: Int? {
        switch machine {
        case .amd64: return 12
        case .arm64: return 8
        default: return nil
        }
    }

    // MARK: Headers

    /// IMAGE_FILE_LARGE_ADDRESS_AWARE by default on 64-bit machines only, as link.exe does.
    var largeAddressAwareByDefault: Bool { is64Bit }
    /// Size of the optional header: PE32+ (64-bit) or PE32.
    var optionalHeaderSize: Int { is64Bit ? 240 : 224 }
    /// Size of IMAGE_TLS_DIRECTORY, and where its Characteristics field is.
    var tlsDirectorySize: UInt32 { is64Bit ? 40 : 24 }
    var tlsCharacteristicsOffset: Int { is64Bit ? 36 : 20 }
    /// Where DependentLoadFlags is in IMAGE_LOAD_CONFIG_DIRECTORY (after the fields whose width
    /// follows the pointer size; the 32-bit one orders ProcessHeapFlags before ProcessAffinityMask).
    var loadConfigDependentLoadFlagsOffset: Int { is64Bit ? 78 : 54 }
}

/// Field encodings of the ARM64 instructions the linker patches or writes.
enum ARM64Encoding {
    /// `adrp Xd, target` at `from`: the 4 KiB page difference in immlo (bits 29-30) and immhi (5-23).
    static func adrp(register: UInt32, from: UInt32, to: UInt32) -> UInt32 {
        let pages = (Int64(to) >> 12) - (Int64(from) >> 12)
        return withImm21(0x9000_0000 | register, pages)
    }

    /// `b target` at `from` (OR 0x8000_0000 for `bl`); within ±128 MiB, as a linker-made code chunk is.
    static func branch26(from: UInt32, to: UInt32) -> UInt32 {
        0x1400_0000 | (UInt32(truncatingIfNeeded: (Int64(to) - Int64(from)) >> 2) & 0x3FF_FFFF)
    }

    /// Replaces the 21-bit immediate of an adr/adrp.
    static func withImm21(_ instruction: UInt32, _ value: Int64) -> UInt32 {
        let imm = UInt32(truncatingIfNeeded: value) & 0x1F_FFFF
        return (instruction & 0x9F00_001F) | (imm & 3) << 29 | (imm >> 2) << 5
    }

    /// The signed 21-bit immediate of an adr/adrp.
    static func imm21(_ instruction: UInt32) -> Int64 {
        let raw = (instruction >> 29 & 3) | (instruction >> 3 & 0x1F_FFFC)
        return Int64(Int32(bitPattern: raw << 11) >> 11)
    }

    /// Sets the 12-bit immediate (bits 10-21) of add/ldr/str to the low 12 bits of `value`,
    /// divided by the access size (`scale` is log2 of it) for loads and stores.
    static func withLow12(_ instruction: UInt32, _ value: UInt32, scale: UInt32) -> UInt32 {
        (instruction & ~(0xFFF << 10)) | ((value & 0xFFF) >> scale) << 10
    }

    /// log2 of the access size of a load/store (unsigned offset) instruction: bits 30-31 give it,
    /// and a 128-bit SIMD access (opc bit 23 with size 0 and V bit 26) is 4.
    static func loadStoreScale(_ instruction: UInt32) -> UInt32 {
        var scale = instruction >> 30
        if scale == 0 && instruction & 0x0480_0000 == 0x0480_0000 { scale = 4 }
        return scale
    }
}
