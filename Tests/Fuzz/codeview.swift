// Fuzz target: CodeView debug information through a whole /debug link (type merging into TPI and
// IPI, module symbol streams, line tables, publics and globals, the PDB writer). The input is one
// object's .debug$T and .debug$S section bytes with the relocations of the .debug$S; the harness
// wraps them into a COFF object in memory with a fixed skeleton (.text with two functions, .data
// with one variable) and links it with /debug into a scratch folder. Any outcome but a crash, hang
// or leak is fine.
//
// Input layout (little-endian; scripts/fuzz makes seeds of it from clang -g -gcodeview objects):
//   u16 T            size of the .debug$T bytes
//   u16 R            number of relocation entries
//   R x 4 bytes      u16 offset into .debug$S, u8 target symbol (mod 3: fuzz_function,
//                    fuzz_other, fuzz_data), u8 kind (0: SECREL at offset + SECTION at offset+4,
//                    1: SECREL alone, 2: SECTION alone, else as 0)
//   T bytes          .debug$T (clamped to what is there)
//   the rest         .debug$S
// A relocation that does not fit in the .debug$S bytes is dropped, so that mutated section bytes
// still reach the CodeView readers rather than stopping at the relocation bounds check (the `link`
// target covers that).

@testable import PELink
import PEFormat

private struct Writer {
    var bytes: [UInt8] = []
    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { bytes.append(UInt8(v & 0xFF)); bytes.append(UInt8(v >> 8)) }
    mutating func u32(_ v: UInt32) { for i in 0..<4 { bytes.append(UInt8((v >> (8 * UInt32(i))) & 0xFF)) } }
    mutating func name8(_ s: String) {
        let b = Array(s.utf8.prefix(8))
        bytes += b + [UInt8](repeating: 0, count: 8 - b.count)
    }
}

private let imageRelAMD64Section: UInt16 = 0x000A
private let imageRelAMD64SecRel: UInt16 = 0x000B

/// `fuzz_function` at .text+0 (xor eax, eax; ret), `fuzz_other` at .text+16 (mov eax, 1; ret).
private let textBytes: [UInt8] = [0x31, 0xC0, 0xC3] + [UInt8](repeating: 0xCC, count: 13)
    + [0xB8, 0x01, 0x00, 0x00, 0x00, 0xC3] + [UInt8](repeating: 0xCC, count: 10)

/// The COFF object: .text, .data, .debug$T, .debug$S (with `relocations`: offset, type, symbol).
private func makeObject(types: ArraySlice<UInt8>, symbols: ArraySlice<UInt8>,
                        relocations: [(offset: UInt32, type: UInt16, symbol: UInt32)]) -> [UInt8] {
    let dataBytes: [UInt8] = [1, 0, 0, 0, 2, 0, 0, 0]
    let sectionCount = 4
    let headersEnd = 20 + 40 * sectionCount
    var offset = headersEnd
    func place(_ count: Int) -> UInt32 {
        guard count > 0 else { return 0 }
        defer { offset += count }
        return UInt32(offset)
    }
    let textAt = place(textBytes.count)
    let dataAt = place(dataBytes.count)
    let typesAt = place(types.count)
    let symbolsAt = place(symbols.count)
    let relocationsAt = place(10 * relocations.count)
    let symbolTableAt = UInt32(offset)

    // Symbols: long names go to the string table (its size field counts itself).
    let names = ["fuzz_function", "fuzz_other", "fuzz_data"]
    var strings: [UInt8] = []
    var w = Writer()
    w.u16(0x8664)                       // AMD64
    w.u16(UInt16(sectionCount))
    w.u32(0)                            // time stamp
    w.u32(symbolTableAt)
    w.u32(UInt32(names.count))
    w.u16(0)                            // no optional header
    w.u16(0)
    func section(_ name: String, _ size: Int, _ at: UInt32, relocationsAt: UInt32 = 0, count: Int = 0, _ flags: UInt32) {
        w.name8(name)
        w.u32(0); w.u32(0)              // virtual size, address
        w.u32(UInt32(size)); w.u32(at)
        w.u32(relocationsAt); w.u32(0)  // relocations, line numbers
        w.u16(UInt16(count)); w.u16(0)
        w.u32(flags)
    }
    section(".text", textBytes.count, textAt, 0x6050_0020)      // code, align 16, execute, read
    section(".data", dataBytes.count, dataAt, 0xC030_0040)      // initialized data, align 4, read, write
    section(".debug$T", types.count, typesAt, 0x4210_0040)      // initialized data, align 1, discardable, read
    section(".debug$S", symbols.count, symbolsAt, relocationsAt: relocations.isEmpty ? 0 : relocationsAt,
            count: relocations.count, 0x4210_0040)
    w.bytes += textBytes
    w.bytes += dataBytes
    w.bytes += types
    w.bytes += symbols
    for r in relocations {
        w.u32(r.offset); w.u32(r.symbol); w.u16(r.type)
    }
    precondition(w.bytes.count == Int(symbolTableAt))
    let symbolDefinitions: [(value: UInt32, section: Int16, type: UInt16)] = [(0, 1, 0x20), (16, 1, 0x20), (0, 2, 0)]
    for (name, d) in zip(names, symbolDefinitions) {
        w.u32(0)                        // long name: zeroes, then the string table offset
        w.u32(UInt32(4 + strings.count))
        strings += Array(name.utf8) + [0]
        w.u32(d.value)
        w.u16(UInt16(bitPattern: d.section))
        w.u16(d.type)
        w.u8(2)                         // IMAGE_SYM_CLASS_EXTERNAL
        w.u8(0)                         // no auxiliary records
    }
    w.u32(UInt32(4 + strings.count))
    w.bytes += strings
    return w.bytes
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    func u16(_ at: Int) -> Int { at + 2 <= size ? Int(input[at]) | Int(input[at + 1]) << 8 : 0 }
    let typesCount = u16(0)
    let entryCount = min(u16(2), max(0, size - 4) / 4)
    let typesStart = min(size, 4 + 4 * entryCount)
    let typesEnd = min(size, typesStart + typesCount)
    let types = Array(input[typesStart..<typesEnd])[...]
    let symbols = Array(input[typesEnd..<size])[...]

    var relocations: [(offset: UInt32, type: UInt16, symbol: UInt32)] = []
    for e in 0..<entryCount {
        let at = 4 + 4 * e
        let offset = u16(at)
        let symbol = UInt32(input[at + 2] % 3)
        switch input[at + 3] {
        case 1:
            if offset + 4 <= symbols.count { relocations.append((UInt32(offset), imageRelAMD64SecRel, symbol)) }
        case 2:
            if offset + 2 <= symbols.count { relocations.append((UInt32(offset), imageRelAMD64Section, symbol)) }
        default:
            if offset + 6 <= symbols.count {
                relocations.append((UInt32(offset), imageRelAMD64SecRel, symbol))
                relocations.append((UInt32(offset + 4), imageRelAMD64Section, symbol))
            }
        }
    }

    if relocations.count > 0xFFFF { relocations.removeLast(relocations.count - 0xFFFF) }
    let object = makeObject(types: types, symbols: symbols, relocations: relocations)
    let objectPath = object.withUnsafeBufferPointer { writeScratchFile("codeview.obj", $0.baseAddress!, $0.count) }
    _ = Driver.run(arguments: ["/dll", "/noentry", "/machine:x64", "/debug", "/export:fuzz_function",
                               "/export:fuzz_data,DATA", objectPath, "/out:" + scratchFolder + "/codeview.dll",
                               "/pdb:" + scratchFolder + "/codeview.pdb", "/threads:1"],
                   environment: [:])
    return 0
}
