// Fuzz target: the PE image reader behind the dumper and the tests (headers, sections, exports,
// imports, delay imports, base relocations, TLS, exception and debug directories).

import PEFormat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let view = inputView(data, size, path: "fuzz.dll")
    if let image = try? PEImage(view: view) {
        _ = PEDump.dumpImage(image)
    }
    return 0
}
