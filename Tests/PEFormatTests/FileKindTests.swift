import PEFormat
import Testing

/// FileKind decides which inputs the linker reads and how it names the others; the golden
/// err-foreign-* cases cover whole links, these the kinds no case has a file for.
@Suite struct FileKindTests {
    private func kind(_ bytes: [UInt8]) -> FileKind {
        FileKind.identify(MappedFile(path: "x", contents: bytes).view)
    }

    @Test func recognizesTheFormatsPelinkRejects() {
        #expect(kind([]) == .empty)
        #expect(kind([0x00, 0x61, 0x73, 0x6D, 1, 0, 0, 0]) == .webAssembly)
        #expect(kind(Array("Microsoft C/C++ MSF 7.00\r\n".utf8)) == .pdb)
        #expect(kind([0, 0, 0, 0, 0x20, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0xFF, 0xFF, 0, 0, 0, 0]) == .resource)
        #expect(kind([0xCA, 0xFE, 0xBA, 0xBE, 0, 0, 0, 2]) == .machOUniversal)
        #expect(kind(Array("!<ar".utf8)) == .truncatedArchiveSignature(length: 4))
        #expect(kind(Array("EXPORTS\n  f\n".utf8)) == .text(firstLine: "EXPORTS"))
        #expect(kind([0x01, 0x02, 0xFE, 0x00]) == .unknown(firstBytes: [0x01, 0x02, 0xFE, 0x00]))
        for rejected: [UInt8] in [[0x00, 0x61, 0x73, 0x6D], [0xCA, 0xFE, 0xBA, 0xBE]] {
            #expect(kind(rejected).rejection != nil)
        }
    }

    @Test func recognizesWhatItLinks() {
        // An x64 object header (machine 0x8664, no sections), an import object header, an archive.
        #expect(kind([0x64, 0x86] + [UInt8](repeating: 0, count: 18)) == .coffObject)
        #expect(kind([0, 0, 0xFF, 0xFF, 0, 0, 0x64, 0x86] + [UInt8](repeating: 0, count: 12)) == .importObject)
        #expect(kind(Array("!<arch>\n".utf8)) == .archive)
        #expect(kind(Array("!<arch>\n".utf8)).rejection == nil)
        // Version 2 with the /bigobj class ID; version 1 with an unknown one.
        let bigObjID: [UInt8] = [0xC7, 0xA1, 0xBA, 0xD1, 0xEE, 0xBA, 0xA9, 0x4B, 0xAF, 0x20, 0xFA, 0xF6, 0x6A, 0xA4, 0xDC, 0xB8]
        #expect(kind([0, 0, 0xFF, 0xFF, 2, 0, 0x64, 0x86, 0, 0, 0, 0] + bigObjID) == .bigObject)
        let other = [UInt8](repeating: 7, count: 16)
        #expect(kind([0, 0, 0xFF, 0xFF, 1, 0, 0x64, 0x86, 0, 0, 0, 0] + other) == .anonymousObject(version: 1, classID: other))
    }
}
