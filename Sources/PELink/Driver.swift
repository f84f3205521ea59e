import Foundation
import PEFormat

/// What a pelink run produced: its exit status and the diagnostics a user sees.
public struct DriverResult: Sendable {
    public var exitCode: Int32
    /// Errors and warnings, as printed on standard error.
    public var diagnostics: String
    /// Normal output (/help, /time), as printed on standard output.
    public var output: String
}

public enum Driver {
    /// Set by a program that exits right after its link (the pelink command): the link's tables
    /// are then left for the exit to reclaim instead of being freed one by one, which costs a
    /// small link a tenth of its time. Callers that link again in the same process leave it off.
    nonisolated(unsafe) public static var leavesTablesForExit = false

    /// Runs pelink as the command line would, in-process. `arguments` excludes the program name.
    public static func run(arguments commandLine: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
                           programName: String = "pelink") -> DriverResult {
        var notes: [String] = []
        do {
            let isGNU = GNUCommandLine.applies(programName: programName, arguments: commandLine)
            let isLibrarian = commandLine.first.flatMap(splitOption).map { $0.0 == "lib" } ?? false
            if !isGNU, let first = commandLine.first, let (name, value) = splitOption(first), name == "abi" {
                let result = ABICommand.run(subcommand: value, arguments: Array(commandLine.dropFirst()))
                return DriverResult(exitCode: result.exitCode, diagnostics: format(result.diagnostics, programName: programName), output: result.output)
            }
            if !isGNU, let first = commandLine.first, let (name, _) = splitOption(first), name == "dump" {
                let result = DumpCommand.run(arguments: Array(commandLine.dropFirst()))
                return DriverResult(exitCode: result.exitCode, diagnostics: format(result.diagnostics, programName: programName), output: result.output)
            }
            // link.exe's LINK and _LINK_ variables add options to its own command line only.
            let ignoresEnvironment = commandLine.contains { splitOption($0)?.0 == "lldignoreenv" }
            let arguments = isGNU || isLibrarian || ignoresEnvironment ? commandLine : try withLinkEnvironment(commandLine, environment)
            if let first = arguments.first, let (name, _) = splitOption(first), name == "lib" {
                if arguments.dropFirst().contains(where: { if let (n, _) = splitOption($0) { return n == "help" || n == "?" } else { return false } }) {
                    return DriverResult(exitCode: 0, diagnostics: "", output: LibrarianCommand.librarianHelp + "\n")
                }
                let messages = try LibrarianCommand.run(arguments: Array(arguments.dropFirst()))
                return DriverResult(exitCode: 0, diagnostics: format(messages, programName: programName), output: "")
            }
            if arguments.contains(where: { if let (n, _) = splitOption($0) { return n == "help" || n == "?" } else { return false } }) {
                return DriverResult(exitCode: 0, diagnostics: "", output: OptionTable.helpText)
            }
            if arguments.isEmpty {
                return DriverResult(exitCode: 1, diagnostics: "pelink: error: no input files (see /help)\n", output: OptionTable.helpText)
            }
            let options: LinkOptions
            if GNUCommandLine.applies(programName: programName, arguments: arguments) {
                options = try GNUCommandLine.parse(arguments, environment: environment, notes: &notes)
                if options.versionOnly || (options.inputFiles.isEmpty && !notes.isEmpty) {
                    return DriverResult(exitCode: 0, diagnostics: "", output: notes.map { $0 + "\n" }.joined())
                }
            } else {
                // /lldignoreenv: LIB is not read either.
                options = try parseCommandLine(arguments, environment: ignoresEnvironment ? [:] : environment, notes: &notes)
                if options.versionOnly {
                    return DriverResult(exitCode: 0, diagnostics: "", output: notes.map { $0 + "\n" }.joined())
                }
            }
            if options.inputFiles.isEmpty && options.moduleDefinitionPath == nil {
                throw UsageError("no input files (see /help)")
            }
            let messages = try link(options)
            return DriverResult(exitCode: 0, diagnostics: format(notes + messages.diagnostics, programName: programName), output: messages.output.map { $0 + "\n" }.joined())
        } catch let error as LinkError {
            return DriverResult(exitCode: 1, diagnostics: format(notes + error.diagnostics, programName: programName), output: error.output.map { $0 + "\n" }.joined())
        } catch {
            return DriverResult(exitCode: 1, diagnostics: format(notes + ["error: \(error)"], programName: programName), output: "")
        }
    }

    /// Messages start with the name pelink was invoked under when it stands in for another
    /// linker (`lld-link: error: …`, `ld.lld: warning: …`, as build logs and tools expect from
    /// them), and with "pelink" otherwise.
    private static func format(_ lines: [String], programName: String) -> String {
        var name = (programName as NSString).lastPathComponent
        if name.lowercased().hasSuffix(".exe") { name = String(name.dropLast(4)) }
        let prefix = ["lld-link", "ld.lld", "link"].contains(name.lowercased()) ? name : "pelink"
        return lines.map { prefix + ": " + $0 + "\n" }.joined()
    }
}

/// `pelink /lib`: import libraries from a .def, and static libraries from objects.
enum LibrarianCommand {
    static func run(arguments rawArguments: [String]) throws -> [String] {
        let arguments = try ResponseFiles.expand(rawArguments)
        var defPath: String?
        var outPath: String?
        var machine: Machine?
        var dllName: String?
        var inputs: [String] = []
        var libraryPaths: [String] = []
        var messages: [String] = []
        var thin = false
        for argument in arguments {
            guard let (name, value) = splitOption(argument), !FileManager.default.fileExists(atPath: argument) || name == "def" || name == "out" else {
                inputs.append(argument)
                continue
            }
            switch name {
            case "def": defPath = value
            case "out": outPath = value
            case "name": dllName = value
            case "machine":
                guard let v = value, let m = Machine.fromOption(v) else { throw UsageError("/machine:\(value ?? ""): unknown machine (expected x64, x86 or arm64)") }
                machine = m
            case "libpath": if let v = value { libraryPaths.append(v) }
            case "nologo", "ignore", "wx", "verbose", "ltcg":
                // No effect on what is written: banners, warnings pelink /lib does not give, and
                // link-time code generation, which concerns the link, not the library.
                break
            case "subsystem":
                messages.append("warning: /lib \(argument): a library has no subsystem; give /subsystem to the link")
            case "llvmlibthin": thin = true
            case "help", "?":
                break   // Driver.run prints librarianHelp
            default: throw UsageError("/lib: unknown option: \(argument)")
            }
        }
        if let defPath {
            let definition = try ModuleDefinition.parse(path: defPath)
            messages += definition.warnings.map { "warning: \($0)" }
            guard let machine else { throw UsageError("/lib /def: needs /machine:x64, /machine:x86 or /machine:arm64") }
            let module = dllName ?? PEFormat.Librarian.moduleFileName(of: definition)
                ?? ((defPath as NSString).lastPathComponent as NSString).deletingPathExtension + ".dll"
            let output = outPath ?? ((defPath as NSString).deletingPathExtension + ".lib")
            let entries = PEFormat.Librarian.importLibraryEntries(from: definition, machine: machine)
            let bytes = try ImportLibraryWriter.write(dllName: module, machine: machine, entries: entries)
            try writeFileAtomically(path: output, bytes: bytes)
            if !inputs.isEmpty { messages.append("warning: /lib /def: ignores the input files \(inputs.joined(separator: " "))") }
            return messages
        }
        guard !inputs.isEmpty else { throw UsageError("/lib: no input files and no /def:") }
        let output = outPath ?? ((inputs[0] as NSString).deletingPathExtension + ".lib")
        // A thin library names its members by their path from the library's folder: the objects stay where they are.
        let folder = URL(fileURLWithPath: output).deletingLastPathComponent().standardizedFileURL.path
        var members = ArchiveMembers()
        for path in inputs {
            let file = try MappedFile(path: path)
            let view = file.view
            if Archive.isArchive(view) {
                if thin {
                    throw UsageError("/lib /llvmlibthin: a thin library names object files; copy members of another library into a full one instead")
                }
                // Members of an input library are copied into the new one.
                let archive = try Archive(view: view)
                for member in archive.members {
                    members.append(name: member.name, data: member.data.toArray(), symbols: try publicSymbols(of: member.data, name: "\(path)(\(member.name))"))
                }
            } else {
                var name = (path as NSString).lastPathComponent
                if thin {
                    let full = URL(fileURLWithPath: path).standardizedFileURL.path
                    name = full.hasPrefix(folder + "/") ? String(full.dropFirst(folder.count + 1)) : full
                }
                members.append(name: name, data: view.toArray(), symbols: try publicSymbols(of: view, name: path))
            }
        }
        try writeFileAtomically(path: output, bytes: try ArchiveWriter.write(members, alwaysWriteLongNames: !thin, thin: thin))
        return messages
    }

    static let librarianHelp = """
        pelink /lib: the librarian (lib.exe / llvm-lib command line)
          pelink /lib /out:x.lib a.obj b.obj c.lib   a static library of objects (libraries' members copied)
          pelink /lib /def:x.def /machine:x64        an import library from a .def (/out:, /name: optional)
        Options: /out:file /def:file /machine:{x64|x86|arm64} /name:dll /libpath:dir; accepted without
        effect: /nologo /ignore:N /wx /verbose /ltcg; /subsystem warns; /llvmlibthin writes a thin library.
        """

    /// The symbols a member offers to the linker: external definitions and common symbols.
    static func publicSymbols(of view: ByteView, name: String) throws -> [String] {
        switch FileKind.identify(view) {
        case .importObject:
            return ArchiveWriter.symbolsForImportObject(try ImportObject(view: view))
        case .coffObject, .bigObject:
            break
        case let kind:
            throw FormatError(file: name, (kind.rejection ?? "is not an object") + "; only objects and import objects go into a library")
        }
        let coff = try COFFObject(view: view)
        var result: [String] = []
        var i = 0
        while i < coff.symbolCount {
            let record = coff.symbol(i)
            try coff.checkAuxiliary(i, record)
            if record.storageClass == StorageClass.external && (record.sectionNumber != 0 || record.value != 0) {
                result.append(try coff.symbolName(i))
            }
            i += 1 + record.auxiliaryCount
        }
        return result
    }
}
