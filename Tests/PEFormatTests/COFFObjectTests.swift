import PEFormat
import Testing

/// `COFFObject.symbolName(_:startsWith:)` reads a name's first bytes in place (folding uses it
/// to find vtables); it must agree with the full name where one can be read, and answer false,
/// never trap, where a record points outside the string table.
@Suite struct COFFObjectTests {
    /// An x64 object without sections: the given 8-byte name fields (inline names, or a zero word
    /// and a string table offset), then the string table.
    private func object(names: [[UInt8]], strings: [UInt8]) throws -> COFFObject {
        func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        var bytes: [UInt8] = [0x64, 0x86, 0, 0] + le32(0) + le32(20) + le32(names.count) + [0, 0, 0, 0]
        for name in names {
            // Name (8), value (4), section 0 (2), type (2), class EXTERNAL (1), no auxiliaries (1).
            bytes += name + le32(0) + [0, 0, 0, 0, 2, 0]
        }
        bytes += le32(4 + strings.count) + strings
        return try COFFObject(view: MappedFile(path: "names.obj", contents: bytes).view)
    }

    private func inline(_ name: String) -> [UInt8] { Array(name.utf8) + Array(repeating: 0, count: 8 - name.utf8.count) }
    private func long(at offset: Int) -> [UInt8] { [0, 0, 0, 0] + (0..<4).map { UInt8(truncatingIfNeeded: offset >> (8 * $0)) } }

    @Test func prefixesAreReadInPlace() throws {
        let strings = Array("_ZTV3Bar\0??_7Foo@@6B@\0_ZT".utf8)   // the last name has no NUL
        let coff = try object(names: [inline("??_7Foo"), inline("_ZT"), inline("_ZTV1ABC"),
                                      long(at: 4), long(at: 13), long(at: 4 + 22), long(at: 9999), long(at: 2)],
                              strings: strings)
        let expected: [(index: Int, prefix: StaticString, startsWith: Bool)] = [
            (0, "??_7", true), (0, "_ZTV", false),
            (1, "_ZTV", false),                       // shorter than the prefix: its NUL differs
            (2, "_ZTV", true),                        // eight bytes, no NUL
            (3, "_ZTV", true), (3, "??_7", false),
            (4, "??_7", true),
            (5, "_ZTV", false),                       // cut off by the end of the string table
            (6, "_ZTV", false),                       // beyond the string table
            (7, "_ZTV", false),                       // inside the string table's size field
            (8, "_ZTV", false),                       // no such symbol
        ]
        for (index, prefix, startsWith) in expected {
            #expect(coff.symbolName(index, startsWith: prefix) == startsWith, "symbol \(index), prefix \(prefix)")
            // Where the whole name can be read, the answer is that of its bytes.
            if let name = try? coff.symbolName(index) {
                #expect(name.hasPrefix(prefix.description) == startsWith, "symbol \(index) is \(name)")
            }
        }
    }
}
