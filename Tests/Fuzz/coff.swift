// Fuzz target: the COFF object reader, as the linker uses it (headers, sections, relocations
// ranges, .drectve, the symbol table with its auxiliary records) and as the dumper walks it.

@testable import PELink
import PEFormat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let view = inputView(data, size, path: "fuzz.obj")
    if let object = try? ObjectFile.parse(displayName: "fuzz.obj", view: view) {
        for section in object.sections {
            for r in 0..<section.relocationCount { _ = object.relocation(section, r) }
        }
    }
    _ = try? PEDump.dumpFile(view)
    _ = try? PEDumpJSON.document(view)
    return 0
}
