// Shared by every fuzz target (scripts/fuzz compiles it with one target file). Not part of a
// SwiftPM target: these files are built only with -sanitize=fuzzer, where libFuzzer owns main.

import Foundation
import PEFormat

/// The fuzzer's bytes as an in-memory input file, the form every reader takes.
func inputView(_ data: UnsafePointer<UInt8>, _ size: Int, path: String) -> ByteView {
    MappedFile(path: path, contents: Array(UnsafeBufferPointer(start: data, count: size))).view
}

/// A private scratch folder for targets that must go through the file system (response files,
/// a whole link). Made once per process; libFuzzer runs one input at a time.
let scratchFolder: String = {
    var template = Array("/tmp/pelink-fuzz-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    precondition(made != nil, "cannot make a scratch folder in /tmp")
    return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}()

func writeScratchFile(_ name: String, _ data: UnsafePointer<UInt8>, _ size: Int) -> String {
    let path = scratchFolder + "/" + name
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    precondition(fd >= 0, "cannot write \(path)")
    var written = 0
    while written < size {
        let n = write(fd, data + written, size - written)
        precondition(n > 0, "cannot write \(path)")
        written += n
    }
    close(fd)
    return path
}
