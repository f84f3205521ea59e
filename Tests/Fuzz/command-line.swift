// Fuzz target: the response-file tokenizer and both command-line parsers (link.exe flavor and
// the MinGW ld flavor). Inputs that start like UTF-16 go through a real response file, so the
// reading and decoding is covered too; the rest are tokenized in memory, which is much faster.

@testable import PELink
import PEFormat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let arguments: [String]
    if size >= 1 && data[0] == 0xFF {
        let path = writeScratchFile("args.rsp", data, size)
        guard let expanded = try? ResponseFiles.expand(["@" + path]) else { return 0 }
        arguments = expanded
    } else {
        let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
        guard let tokens = try? ResponseFiles.tokenize(text) else { return 0 }
        arguments = tokens
    }
    var notes: [String] = []
    _ = try? parseCommandLine(arguments, environment: [:], notes: &notes)
    notes.removeAll()
    _ = try? GNUCommandLine.parse(arguments, environment: [:], notes: &notes)
    return 0
}
