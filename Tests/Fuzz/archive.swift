// Fuzz target: the archive reader (MSVC and GNU layouts, linker members, long names), then every
// member as the linker would take it: a short import object or a COFF object.

@testable import PELink
import PEFormat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let view = inputView(data, size, path: "fuzz.lib")
    guard let archive = try? Archive(view: view) else { return 0 }
    for symbol in archive.symbolTable {
        _ = archive.symbolNameBytes(symbol)
        if symbol.memberIndex < archive.members.count { _ = archive.members[symbol.memberIndex].name }
    }
    for member in archive.members {
        if ImportObject.isImportObject(member.data) {
            _ = try? ImportObject(view: member.data)
        } else {
            _ = try? ObjectFile.parse(displayName: "fuzz.lib(\(member.name))", view: member.data)
        }
    }
    _ = try? PEDump.dumpLibrary(archive)
    _ = try? PEDumpJSON.document(archive.view)
    return 0
}
