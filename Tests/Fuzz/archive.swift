// Fuzz target: the archive reader (MSVC and GNU layouts, linker members, long names), then every
// member as the linker would take it: a short import object or a COFF object. The archive is also
// read as a link reads it (members on demand), which must agree with the whole reading.

@testable import PELink
import PEFormat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let view = inputView(data, size, path: "fuzz.lib")
    let onDemand = try? Archive(view: view, readsMembers: false)
    if let onDemand {
        for index in 0..<onDemand.memberCount {
            _ = onDemand.memberName(index)
            _ = try? onDemand.member(index)
        }
        for symbol in onDemand.symbolTable { precondition(symbol.memberIndex < onDemand.memberCount) }
    }
    guard let archive = try? Archive(view: view) else { return 0 }
    // What reads whole also reads on demand, member for member.
    guard let onDemand else { preconditionFailure("the archive reads whole but not on demand") }
    precondition(onDemand.memberHeaderOffsets == archive.members.map(\.headerOffset))
    for (index, member) in archive.members.enumerated() {
        let read = try? onDemand.member(index)
        precondition(read?.name == member.name && read?.data.offset == member.data.offset && read?.data.count == member.data.count)
    }
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
