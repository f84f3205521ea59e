// Fuzz target: a whole link of one mutated object with a fixed .def (Tests/Fuzz/link-seed/), to
// a DLL and an import library in a scratch folder. Any outcome but a crash, hang or leak is fine.

@testable import PELink
import PEFormat

private let definitionPath: String = {
    let text = """
    LIBRARY fuzz
    EXPORTS
        fuzz_function
        fuzz_data DATA
        renamed=fuzz_other @7
        forwarded=kernel32.Sleep

    """
    let bytes = Array(text.utf8)
    return writeScratchFile("fixed.def", bytes, bytes.count)
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let objectPath = writeScratchFile("input.obj", data, size)
    _ = Driver.run(arguments: ["/dll", "/noentry", "/machine:x64", "/def:" + definitionPath, objectPath,
                               "/out:" + scratchFolder + "/out.dll", "/threads:1"],
                   environment: [:])
    return 0
}
