import Foundation
import PEFormat
@testable import PELink
import Testing

/// Limits of the PE format that inputs can exceed; golden cases cover the 2 GiB image size
/// (err-obj-huge-bss, err-obj-common-huge), this the section count, whose input is too large
/// to commit.
@Suite struct LimitsTests {
    /// An x64 object of `count` one-byte uninitialized sections named `prefix` + number (no file
    /// bytes, so the file is little more than its section table).
    static func manySectionObject(count: Int, prefix: String) -> [UInt8] {
        var writer = ByteWriter()
        writer.u16(Machine.amd64.rawValue)
        writer.u16(UInt16(count))
        writer.u32(0)                                   // time stamp
        writer.u32(UInt32(20 + 40 * count))             // symbol table right after the sections
        writer.u32(0)                                   // no symbols
        writer.u16(0)
        writer.u16(0)
        for i in 0..<count {
            writer.field(prefix + String(i, radix: 36), width: 8, pad: 0)
            writer.u32(0); writer.u32(0)
            writer.u32(1)                               // SizeOfRawData: 1 byte of .bss-like data
            writer.u32(0); writer.u32(0); writer.u32(0)
            writer.u16(0); writer.u16(0)
            writer.u32(0xC010_0080)                     // uninitialized data, align 1, read/write
        }
        writer.u32(4)                                   // empty string table
        return writer.bytes
    }

    @Test func moreThan65534OutputSectionsIsAnError() throws {
        let folder = try makeTemporaryDirectory("many-sections")
        defer { try? FileManager.default.removeItem(at: folder) }
        var inputs: [String] = []
        for (n, prefix) in ["a", "b"].enumerated() {
            let path = folder.appendingPathComponent("many\(n).obj").path
            try Data(Self.manySectionObject(count: 33_000, prefix: prefix)).write(to: URL(fileURLWithPath: path))
            inputs.append(path)
        }
        let out = folder.appendingPathComponent("x.dll").path
        let result = Driver.run(arguments: ["/dll", "/noentry", "/machine:x64", "/out:" + out] + inputs, environment: [:])
        #expect(result.exitCode == 1)
        #expect(result.diagnostics == "pelink: error: the image would have 66000 sections; a PE image has at most 65534 (NumberOfSections is 16-bit)\n")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
