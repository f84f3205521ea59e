// `pelink /abi:diff OLD NEW`: what changed between two export lists, each read from a DLL (or an
// EXE with exports), an import library, a .def file or an ABI lock file. Exit status 0 when every
// change keeps importers working (or nothing changed), 1 when a change breaks them, 2 when an
// input cannot be read or the command line is wrong — so a script tells "incompatible" from
// "could not compare", as with diff(1).

import Foundation
import PEFormat

enum ABICommand {
    struct Result {
        var exitCode: Int32
        var output: String
        var diagnostics: [String]
    }

    static let usage = "usage: pelink /abi:diff OLD NEW (each a DLL, an import library, a .def file or an ABI lock file)"

    /// `subcommand` is the value of the first argument (`diff` of `/abi:diff`).
    static func run(subcommand: String?, arguments rawArguments: [String]) -> Result {
        let arguments: [String]
        do { arguments = try ResponseFiles.expand(rawArguments) } catch {
            return Result(exitCode: 2, output: "", diagnostics: ["error: \(error)"])
        }
        guard subcommand?.lowercased() == "diff" else {
            return Result(exitCode: 2, output: "", diagnostics: ["error: /abi:\(subcommand ?? ""): unknown; " + usage])
        }
        if arguments.contains(where: { ["/help", "-help", "/?", "-?", "--help"].contains($0.lowercased()) }) {
            return Result(exitCode: 0, output: helpText, diagnostics: [])
        }
        guard arguments.count == 2 else {
            return Result(exitCode: 2, output: "", diagnostics: ["error: /abi:diff takes two files, OLD and NEW; got \(arguments.count); " + usage])
        }
        let old: ExportABI, new: ExportABI
        do {
            old = try ExportABI.read(path: arguments[0])
            new = try ExportABI.read(path: arguments[1])
        } catch {
            return Result(exitCode: 2, output: "", diagnostics: ["error: \(error)"])
        }
        return report(ExportABI.diff(old: old, new: new))
    }

    /// One line per change, breaks first ("break: NAME: what"), then compatible changes
    /// ("compatible: NAME: what"), then a count.
    static func report(_ changes: [ABIChange]) -> Result {
        var output = ""
        for change in changes { output += (change.isBreaking ? "break: " : "compatible: ") + change.description + "\n" }
        let breaks = changes.count(where: \.isBreaking)
        let compatible = changes.count - breaks
        if changes.isEmpty {
            output += "no changes\n"
        } else {
            output += "\(breaks) breaking change\(breaks == 1 ? "" : "s"), \(compatible) compatible change\(compatible == 1 ? "" : "s")\n"
        }
        return Result(exitCode: breaks > 0 ? 1 : 0, output: output, diagnostics: [])
    }

    static let helpText = """
        pelink /abi:diff OLD NEW: how the exports changed from OLD to NEW
          OLD and NEW: a DLL or EXE, an import library (.lib, .dll.a), a .def file or an ABI lock file
          (told apart by content). Prints one line per change, breaks first:
            break: NAME: removed | ordinal changed from @A to @B | became NONAME (@N) |
                   changed from CODE to DATA | changed from DATA to CODE | forwarder changed from X to Y
            compatible: NAME: added | lost NONAME (@N) | now forwarded to X | no longer forwarded (...)
          Only facts both files know are compared (a DLL does not know DATA; an import library does
          not know forwarders, nor the ordinals of imports by name).
          Exit status: 0 compatible, 1 a change breaks importers, 2 an input could not be read.

        """
}
