// Fuzz target: the PE image reader behind the dumper and the tests (headers, sections, exports,
// imports, delay imports, base relocations, TLS, exception and debug directories).

import PEFormat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let view = inputView(data, size, path: "fuzz.dll")
    if let image = try? PEImage(view: view) {
        _ = PEDump.dumpImage(image)
        // pelink /dump's parts the text above leaves out: resources, and the JSON document.
        _ = try? image.resources()
        _ = try? PEDumpJSON.document(view)
    }
    return 0
}
