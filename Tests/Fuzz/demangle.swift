// Fuzz target: the MSVC and Itanium demanglers, which diagnostics run on symbol names taken from
// input files. Their recursion, work and output are bounded; this checks that they stay so.

@testable import PELink
import PEFormat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let name = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = demangledSuffix(name)
    _ = demangleItanium(name)
    return 0
}
