// Fuzz target: the module-definition (.def) parser, and, when it parses, the import library
// `pelink /lib /def:` would write from it (built in memory).

import PEFormat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    // Writing is linear in the exports and already exercised by a few; writing every large
    // definition would only slow the parser's fuzzing down.
    if let definition = try? ModuleDefinition.parse(text: text, path: "fuzz.def"), definition.exports.count <= 8 {
        let module = Librarian.moduleFileName(of: definition) ?? "fuzz.dll"
        let entries = Librarian.importLibraryEntries(from: definition, machine: .amd64)
        _ = try? ImportLibraryWriter.write(dllName: module, machine: .amd64, entries: entries)
    }
    return 0
}
