// Fuzz target: the export-list readers of the ABI guard (pelink /abi:diff, /abilock), which take
// a DLL, an import library, a .def or a lock file, told apart by content; what reads is written
// as a lock file, read back and compared with itself.

@testable import PELink
import PEFormat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = writeScratchFile("input.exports", data, size)
    guard let abi = try? ExportABI.read(path: path) else { return 0 }
    let text = ABILockFile.text(abi)
    if let again = try? ABILockFile.parse(text: text, path: "fuzz.abilock") {
        // A lock file written from a list reads back as a list with no breaking change.
        precondition(!ExportABI.diff(old: again, new: again).contains { $0.isBreaking }, "a list differs from itself")
    }
    return 0
}
