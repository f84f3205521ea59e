// Fuzz target: the short import object reader, and writing back what it read.

import PEFormat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let view = inputView(data, size, path: "fuzz.obj")
    if let object = try? ImportObject(view: view) {
        let rewritten = object.write()
        let again = try? ImportObject(view: MappedFile(path: "rewritten", contents: rewritten).view)
        precondition(again == object, "an import object does not survive writing and reading back")
    }
    return 0
}
