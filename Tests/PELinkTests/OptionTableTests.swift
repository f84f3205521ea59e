// The option table (Sources/PELink/OptionTable.swift) against everything it must agree with:
// link.exe's documented options, /help, the parser, the README's options table and the tests it
// names; then tests for the options that no other test exercises.

import Foundation
import PEFormat
@testable import PELink
import Testing

@Suite("Option table")
struct OptionTableTests {
    /// link.exe's option list (MicrosoftDocs' linker-options.md), beside the repository.
    static let referencePath: String? = [
        repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/reference/link/linker-options.md").path,
        "/work/shared/reference/link/linker-options.md",
    ].first { FileManager.default.fileExists(atPath: $0) }

    /// The option names of the reference's table rows: "| [`/ALIGN`](…) |", and rows naming two
    /// options ("[`/GENPROFILE`, `/FASTGENPROFILE`]").
    static func documentedNames(_ text: String) -> [String] {
        var names: [String] = []
        for line in text.split(separator: "\n") where line.hasPrefix("| [`/") {
            guard let close = line.range(of: "](") else { continue }
            for piece in line[line.index(line.startIndex, offsetBy: 3)..<close.lowerBound].split(separator: ",") {
                let name = piece.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "`/"))
                if !name.isEmpty { names.append(name.lowercased()) }
            }
        }
        return names
    }

    @Test func everyDocumentedLinkOptionHasAnEntry() throws {
        guard let path = Self.referencePath else {
            if oraclesRequired { Issue.record("../shared/reference/link/linker-options.md is missing") }
            return
        }
        let documented = Self.documentedNames(try String(contentsOfFile: path, encoding: .utf8))
        #expect(documented.count > 90, "the reference's table was not read: \(documented)")
        let missing = documented.filter { OptionTable.entry(named: $0) == nil }
        #expect(missing.isEmpty, "link.exe options without an entry in OptionTable.entries: \(missing.map { "/" + $0 })")
    }

    @Test func entriesAreUniqueAndComplete() {
        var seen: Set<String> = []
        for entry in OptionTable.entries {
            #expect(seen.insert(entry.name).inserted, "two entries for /\(entry.name)")
            #expect(!entry.summary.isEmpty && !entry.syntax.isEmpty, "/\(entry.name) has no syntax or summary")
            if let reason = entry.reason { #expect(!reason.isEmpty, "/\(entry.name) gives no reason") }
            if case let .implemented(tests) = entry.status { #expect(!tests.isEmpty, "/\(entry.name) is implemented but names no test") }
        }
        #expect(OptionTable.entries.map(\.name) == OptionTable.entries.map(\.name).sorted(), "keep the table in alphabetical order")
    }

    /// The option names of /help's lines ("  /machine:{…}   target machine").
    static func helpNames(_ help: String) -> [String] {
        help.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  /") || line.hasPrefix("  @") || line.hasPrefix("  --") else { return nil }
            let word = line.dropFirst(2)
            if word.hasPrefix("@") { return "@" }
            return String(word.dropFirst().prefix { !":[{ ,".contains($0) }).lowercased()
        }
    }

    @Test func helpListsEveryEntryAndNothingElse() {
        let help = Driver.run(arguments: ["/help"], environment: [:])
        #expect(help.exitCode == 0)
        let listed = Self.helpNames(help.output)
        let unknown = listed.filter { OptionTable.entry(named: $0) == nil }
        #expect(unknown.isEmpty, "/help lists options that have no entry: \(unknown)")
        let absent = OptionTable.entries.map(\.name).filter { !listed.contains($0) }
        #expect(absent.isEmpty, "entries missing from /help: \(absent)")
        #expect(Set(listed).count == listed.count, "/help lists an option twice")
        #expect(!help.output.contains("not yet:"), "stale text in /help")
    }

    // MARK: The tests an implemented option names

    /// Every Swift source under Tests/, by path.
    static let testSources: [(path: String, text: String)] = {
        let folder = repositoryRoot.appendingPathComponent("Tests")
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        var result: [(String, String)] = []
        while let relative = enumerator?.nextObject() as? String {
            guard relative.hasSuffix(".swift") else { continue }
            let path = folder.appendingPathComponent(relative).path
            if let text = try? String(contentsOfFile: path, encoding: .utf8) { result.append((path, text)) }
        }
        return result.sorted { $0.0 < $1.0 }
    }()

    /// The text of the test `name` (a function name or an @Test display name), from its @Test
    /// attribute to the next one; nil when no test has that name.
    static func testText(_ name: String) -> String? {
        for (_, text) in testSources {
            let start: String.Index
            if let display = text.range(of: "@Test(\"\(name)\"") {
                start = display.lowerBound
            } else if let function = text.range(of: "func \(name)(") {
                guard let attribute = text[..<function.lowerBound].range(of: "@Test", options: .backwards) else { continue }
                start = attribute.lowerBound
            } else {
                continue
            }
            let afterStart = text.index(start, offsetBy: 5)
            let end = text[afterStart...].range(of: "@Test")?.lowerBound ?? text.endIndex
            return String(text[start..<end])
        }
        return nil
    }

    /// Each implemented option names tests, and each named test exists and uses the option: a
    /// golden case whose ARGS give it, or a Swift test whose text spells it.
    @Test func implementedOptionsNameTestsThatExist() throws {
        for entry in OptionTable.entries {
            guard case let .implemented(tests) = entry.status else { continue }
            let spelling = entry.name == "@" ? "@" : "/" + entry.name
            for test in tests {
                let args = GoldenCase.inputsFolder.appendingPathComponent(test).appendingPathComponent("ARGS").path
                if FileManager.default.fileExists(atPath: args) {
                    let uses = try String(contentsOfFile: args, encoding: .utf8).lowercased().contains(spelling)
                    #expect(uses, "/\(entry.name): golden case Inputs/\(test) does not use \(spelling)")
                } else if let body = Self.testText(test) {
                    let writes = body.lowercased().contains(entry.name == "@" ? "\"@" : spelling)
                    #expect(writes, "/\(entry.name): the test '\(test)' never writes \(spelling)")
                } else {
                    Issue.record("/\(entry.name) names the test '\(test)', which is neither a golden case (Inputs/\(test)/ARGS) nor a Swift test (func \(test)( or @Test(\"\(test)\"))")
                }
            }
        }
    }

    // MARK: The parser decides every option by the table

    /// An entry's example argument, with `$INPUTS/` made the Inputs folder.
    static func argument(_ example: String) -> String {
        example.replacingOccurrences(of: "$INPUTS/", with: GoldenCase.inputsFolder.path + "/")
    }

    static func parse(_ arguments: [String]) -> (options: LinkOptions?, notes: [String], error: String?) {
        var notes: [String] = []
        do {
            return (try parseCommandLine(arguments.map(argument) + ["a.obj"], environment: [:], notes: &notes), notes, nil)
        } catch {
            return (nil, notes, "\(error)")
        }
    }

    @Test func parserFollowsTheTable() {
        let baseline = Self.parse([])
        let baselineDump = String(describing: baseline.options)
        #expect(baseline.error == nil && baseline.notes.isEmpty)
        for entry in OptionTable.entries {
            let (options, notes, error) = Self.parse([entry.example])
            let label = "/\(entry.name) (\(entry.example))"
            if entry.name == "lib" || entry.name == "abi" || entry.name == "dump" {
                #expect(error?.contains("first argument") == true, "\(label): \(error ?? "accepted")")
                continue
            }
            if entry.librarianOnly {
                #expect(error?.contains("pelink /lib") == true, "\(label) in a link: \(error ?? "accepted")")
                continue
            }
            switch entry.status {
            case .implemented:
                #expect(error == nil, "\(label) is implemented but the parser refuses it: \(error ?? "")")
            case .noEffect:
                #expect(error == nil && notes.isEmpty, "\(label) has no effect but the parser says: \(error ?? "") \(notes)")
                #expect(String(describing: options) == baselineDump, "\(label) has no effect but changes the link options")
            case .warns, .laterIssue(_, .warns, _):
                #expect(error == nil, "\(label) must be accepted with a warning: \(error ?? "")")
                #expect(notes.contains { $0.hasPrefix("warning: ") && $0.lowercased().contains("/" + entry.name) },
                        "\(label) must warn: \(notes)")
                #expect(notes.contains { $0.contains(entry.reason ?? "") }, "\(label): the warning must give the table's reason: \(notes)")
            case .rejected, .laterIssue(_, .fails, _):
                #expect(error?.contains(entry.reason ?? "") == true, "\(label) must fail with the table's reason; got: \(error ?? "no error")")
                #expect(error?.lowercased().contains("/" + entry.name) == true, "\(label): the error must name the option: \(error ?? "")")
            }
            for quiet in entry.quietlyAccepted {
                let (quietOptions, quietNotes, quietError) = Self.parse([quiet])
                #expect(quietError == nil && quietNotes.isEmpty, "\(quiet) must be accepted silently: \(quietError ?? "") \(quietNotes)")
                #expect(String(describing: quietOptions) == baselineDump, "\(quiet) must change nothing")
            }
        }
    }

    /// The parser's own `case` labels name options of the table, so that no option is handled
    /// without an entry (and so without /help, the README and a decision).
    @Test func everyOptionTheParserHandlesHasAnEntry() throws {
        let source = try String(contentsOf: repositoryRoot.appendingPathComponent("Sources/PELink/CommandLineParser.swift"), encoding: .utf8)
        guard let start = source.range(of: "func parseCommandLine("),
              let end = source[start.upperBound...].range(of: "\nfunc ") else {
            Issue.record("parseCommandLine not found in CommandLineParser.swift")
            return
        }
        var names: [String] = []
        for line in source[start.lowerBound..<end.lowerBound].split(separator: "\n") where line.hasPrefix("        case \"") {
            // The top-level switch on the option name: `case "a", "b":` at its indentation.
            var rest = line.dropFirst(14)
            while let close = rest.firstIndex(of: "\"") {
                names.append(String(rest[..<close]))
                rest = rest[rest.index(after: close)...]
                guard let open = rest.firstIndex(of: "\""), !rest[..<open].contains(":") else { break }
                rest = rest[rest.index(after: open)...]
            }
        }
        #expect(names.count > 50, "the parser's cases were not found: \(names)")
        let unlisted = names.filter { $0 != "?" && OptionTable.entry(named: $0) == nil }
        #expect(unlisted.isEmpty, "the parser handles options that have no entry in OptionTable.entries: \(unlisted)")
    }

    /// Unknown options are warnings, as link.exe (LNK4044) and lld-link make them, and errors
    /// under /wx wherever it stands; a path that merely looks like an option stays an input.
    @Test func unknownOptionsStayUnknown() {
        let (options, notes, error) = Self.parse(["/frobnicate:3", "a.obj"])
        #expect(error == nil && notes.contains { $0.contains("warning: ignoring unknown argument '/frobnicate:3'") }, "\(notes) \(error ?? "")")
        #expect(options?.inputFiles.contains("a.obj") == true && options?.inputFiles.contains("/frobnicate:3") == false)
        #expect(Self.parse(["/@"]).notes.contains { $0.contains("ignoring unknown argument") })
        #expect(Self.parse(["/frobnicate", "/wx"]).error?.contains("ignoring unknown argument '/frobnicate'") == true)
        #expect(Self.parse(["/frobnicate", "/wx", "/wx:no"]).error == nil)
        #expect(Self.parse(["/no/such/dir/x.obj"]).options?.inputFiles.contains("/no/such/dir/x.obj") == true)
    }

    // MARK: README

    static let readmeStart = "<!-- options table: generated from Sources/PELink/OptionTable.swift -->"
    static let readmeEnd = "<!-- end of the options table -->"

    /// README.md's options table is OptionTable.markdownTable, byte for byte.
    /// `PELINK_UPDATE_README=1 swift test --filter OptionTable` rewrites it.
    @Test func readmeTableIsTheGeneratedOne() throws {
        let readmeURL = repositoryRoot.appendingPathComponent("README.md")
        let readme = try String(contentsOf: readmeURL, encoding: .utf8)
        guard let start = readme.range(of: Self.readmeStart + "\n"), let end = readme.range(of: Self.readmeEnd) else {
            Issue.record("README.md lacks the markers \(Self.readmeStart) and \(Self.readmeEnd) around the options table")
            return
        }
        let current = String(readme[start.upperBound..<end.lowerBound])
        let generated = OptionTable.markdownTable
        if current == generated { return }
        if ProcessInfo.processInfo.environment["PELINK_UPDATE_README"] == "1" {
            try (readme[..<start.upperBound] + generated + readme[end.lowerBound...]).write(to: readmeURL, atomically: true, encoding: .utf8)
            return
        }
        let currentLines = current.split(separator: "\n", omittingEmptySubsequences: false)
        let generatedLines = generated.split(separator: "\n", omittingEmptySubsequences: false)
        let first = Array(zip(currentLines, generatedLines)).firstIndex { $0.0 != $0.1 } ?? min(currentLines.count, generatedLines.count)
        Issue.record("""
            README.md's options table differs from the one generated from Sources/PELink/OptionTable.swift; \
            regenerate it with `PELINK_UPDATE_README=1 swift test --scratch-path .build-opt --filter OptionTable` and review the diff. \
            First difference at table line \(first + 1):
              README:    \(first < currentLines.count ? currentLines[first] : "<end>")
              generated: \(first < generatedLines.count ? generatedLines[first] : "<end>")
            """)
    }
}

/// Options that no other test exercised: each link has a control without the option.
@Suite("Option effects")
struct OptionTableEffectTests {
    static let object = CommandLineTests.linkableObject

    static func link(_ arguments: [String], in folder: URL, name: String) throws -> (DriverResult, PEImage?) {
        let out = folder.appendingPathComponent(name).path
        let run = Driver.run(arguments: arguments + ["/out:" + out], environment: [:])
        return (run, run.exitCode == 0 ? try PEImage(view: try MappedFile(path: out).view) : nil)
    }

    /// The bits of /appcontainer, /integritycheck and /driver[:uponly|:wdm], as lld-link sets them;
    /// /driver makes the subsystem native unless /subsystem says otherwise.
    @Test func headerFlagOptions() throws {
        let folder = try makeTemporaryDirectory("header-flags")
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = ["/dll", "/noentry", Self.object]
        let (_, plain) = try Self.link(base, in: folder, name: "plain.dll")
        #expect(plain?.optionalHeader.dllCharacteristics == DLLCharacteristics.dynamicBase | DLLCharacteristics.highEntropyVA | DLLCharacteristics.nxCompat)
        #expect(plain?.optionalHeader.subsystem == Subsystem.windowsGUI.rawValue)
        let cases: [(options: [String], file: UInt16, dll: UInt16)] = [
            (["/appcontainer"], 0, DLLCharacteristics.appContainer),
            (["/appcontainer", "/appcontainer:no"], 0, 0),
            (["/integritycheck"], 0, DLLCharacteristics.forceIntegrity),
            (["/driver"], 0, 0),
            (["/driver:uponly"], 0x4000, 0),
            (["/driver:wdm"], 0, DLLCharacteristics.wdmDriver),
            (["/driver:uponly,wdm", "/integritycheck"], 0x4000, DLLCharacteristics.wdmDriver | DLLCharacteristics.forceIntegrity),
        ]
        let lldLink = requireTool("lld-link")
        for (index, testCase) in cases.enumerated() {
            let (run, image) = try Self.link(base + testCase.options, in: folder, name: "flags\(index).dll")
            #expect(run.exitCode == 0 && run.diagnostics.isEmpty, "\(testCase.options): \(run.diagnostics)")
            guard let image, let plain else { continue }
            #expect(image.fileHeader.characteristics == plain.fileHeader.characteristics | testCase.file, "\(testCase.options)")
            #expect(image.optionalHeader.dllCharacteristics == plain.optionalHeader.dllCharacteristics | testCase.dll, "\(testCase.options)")
            let isDriver = testCase.options.contains { $0.hasPrefix("/driver") }
            #expect(image.optionalHeader.subsystem == (isDriver ? Subsystem.native : Subsystem.windowsGUI).rawValue, "\(testCase.options)")
            guard let lldLink else { continue }
            // lld-link wants /subsystem with /driver; both then write the same headers.
            let theirs = folder.appendingPathComponent("lld\(index).dll").path
            let extra = isDriver ? ["/subsystem:native"] : []
            let lld = try runProcess(lldLink, base + testCase.options + extra + ["/out:" + theirs])
            #expect(lld.exitCode == 0, "lld-link \(testCase.options): \(lld.stderr)")
            guard lld.exitCode == 0 else { continue }
            let reference = try PEImage(view: try MappedFile(path: theirs).view)
            #expect(reference.fileHeader.characteristics == image.fileHeader.characteristics, "\(testCase.options): file characteristics differ from lld-link's")
            #expect(reference.optionalHeader.dllCharacteristics == image.optionalHeader.dllCharacteristics, "\(testCase.options): DLL characteristics differ from lld-link's")
            #expect(reference.optionalHeader.subsystem == image.optionalHeader.subsystem, "\(testCase.options)")
        }
        let (explicit, windows) = try Self.link(base + ["/driver", "/subsystem:windows"], in: folder, name: "windows.dll")
        #expect(explicit.exitCode == 0 && windows?.optionalHeader.subsystem == Subsystem.windowsGUI.rawValue, "/subsystem wins over /driver's default")
        let (bad, _) = try Self.link(base + ["/driver:bogus"], in: folder, name: "bad.dll")
        #expect(bad.exitCode == 1 && bad.diagnostics.contains("/driver:bogus"), "\(bad.diagnostics)")
    }

    /// /filealign and /align set the header fields and place every section on them; /align
    /// without /driver warns as lld-link does.
    @Test func alignmentOptionsSetTheHeaderFields() throws {
        let folder = try makeTemporaryDirectory("alignment")
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = ["/dll", "/noentry", "/def:" + GoldenCase.inputsFolder.appendingPathComponent("def-ordinals/exports.def").path, Self.object]
        let (plainRun, plain) = try Self.link(base, in: folder, name: "plain.dll")
        #expect(plainRun.exitCode == 0 && plain?.optionalHeader.fileAlignment == 0x200 && plain?.optionalHeader.sectionAlignment == 0x1000)
        let (fileRun, file) = try Self.link(base + ["/filealign:0x1000"], in: folder, name: "file.dll")
        #expect(fileRun.exitCode == 0 && fileRun.diagnostics.isEmpty, "\(fileRun.diagnostics)")
        #expect(file?.optionalHeader.fileAlignment == 0x1000)
        #expect(file?.optionalHeader.sizeOfHeaders == 0x1000)
        #expect(file?.sections.allSatisfy { $0.pointerToRawData % 0x1000 == 0 && $0.sizeOfRawData % 0x1000 == 0 } == true)
        #expect(file?.exports?.entries.flatMap(\.names) == plain?.exports?.entries.flatMap(\.names))
        let (sectionRun, section) = try Self.link(base + ["/align:0x2000"], in: folder, name: "section.dll")
        #expect(sectionRun.exitCode == 0 && sectionRun.diagnostics.contains("warning: /align specified without /driver"), "\(sectionRun.diagnostics)")
        #expect(section?.optionalHeader.sectionAlignment == 0x2000)
        #expect(section?.sections.allSatisfy { $0.virtualAddress % 0x2000 == 0 } == true)
        #expect((section?.optionalHeader.sizeOfImage ?? 1) % 0x2000 == 0)
        let (driverRun, _) = try Self.link(base + ["/align:0x2000", "/driver"], in: folder, name: "driver.dll")
        #expect(driverRun.exitCode == 0 && driverRun.diagnostics.isEmpty, "\(driverRun.diagnostics)")
        guard let lldLink = requireTool("lld-link") else { return }
        // The same layout as lld-link's. (Not compared for /align: given /align, lld-link reserves
        // 1024 bytes of headers where 512 hold them, whatever the alignment.)
        for (extra, name) in [(["/filealign:0x1000"], "file")] {
            let theirs = folder.appendingPathComponent("lld-\(name).dll").path
            let lld = try runProcess(lldLink, base + extra + ["/out:" + theirs])
            #expect(lld.exitCode == 0, "\(lld.stderr)")
            guard lld.exitCode == 0 else { continue }
            let reference = try PEImage(view: try MappedFile(path: theirs).view)
            let ours = try PEImage(view: try MappedFile(path: folder.appendingPathComponent(name + ".dll").path).view)
            func layout(_ image: PEImage) -> [String] {
                image.sections.map { "\($0.name) rva \($0.virtualAddress) raw \($0.pointerToRawData) size \($0.sizeOfRawData)" }
                    + ["headers \(image.optionalHeader.sizeOfHeaders) image \(image.optionalHeader.sizeOfImage)"]
            }
            #expect(layout(ours) == layout(reference), "\(extra)")
        }
    }

    /// x86 /noseh marks an image that has a SAFESEH table NO_SEH anyway.
    @Test func noSEHMarksTheImage() throws {
        let folder = try makeTemporaryDirectory("noseh")
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputs = ["seh.obj", "seh2.obj", "handler.obj", "own.obj", "loadcfg.obj"].map {
            GoldenCase.inputsFolder.appendingPathComponent("x86-safeseh").appendingPathComponent($0).path
        }
        let base = ["/dll", "/noentry", "/machine:x86", "/safeseh"] + inputs
        let (controlRun, control) = try Self.link(base, in: folder, name: "control.dll")
        #expect(controlRun.exitCode == 0, "\(controlRun.diagnostics)")
        #expect((control?.optionalHeader.dllCharacteristics ?? DLLCharacteristics.noSEH) & DLLCharacteristics.noSEH == 0)
        let (run, image) = try Self.link(base + ["/noseh"], in: folder, name: "noseh.dll")
        #expect(run.exitCode == 0, "\(run.diagnostics)")
        #expect((image?.optionalHeader.dllCharacteristics ?? 0) & DLLCharacteristics.noSEH != 0)
    }

    /// /ignore:4217 silences the warning for a symbol defined in the link and imported through __imp_.
    @Test func ignoreSilencesLocallyDefinedImports() throws {
        let folder = try makeTemporaryDirectory("ignore")
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputs = ["main.obj", "other.obj"].map { GoldenCase.inputsFolder.appendingPathComponent("local-import/" + $0).path }
        let base = ["/dll", "/noentry"] + inputs
        let (control, _) = try Self.link(base, in: folder, name: "control.dll")
        #expect(control.exitCode == 0 && control.diagnostics.contains("[LNK4217]"), "\(control.diagnostics)")
        let (ignored, _) = try Self.link(base + ["/ignore:4217"], in: folder, name: "ignored.dll")
        #expect(ignored.exitCode == 0 && ignored.diagnostics.isEmpty, "\(ignored.diagnostics)")
        let (bad, _) = try Self.link(base + ["/ignore:LNK4217"], in: folder, name: "bad.dll")
        #expect(bad.exitCode == 1 && bad.diagnostics.contains("/ignore:LNK4217"), "\(bad.diagnostics)")
    }

    /// /failifmismatch:key=value on the command line is checked against the objects' values.
    @Test func failIfMismatchOnTheCommandLine() throws {
        let folder = try makeTemporaryDirectory("failifmismatch")
        defer { try? FileManager.default.removeItem(at: folder) }
        // a.obj says pelink_runtime=static (#pragma detect_mismatch).
        let base = ["/dll", "/noentry", "/export:a", GoldenCase.inputsFolder.appendingPathComponent("err-failifmismatch/a.obj").path]
        let (same, _) = try Self.link(base + ["/failifmismatch:pelink_runtime=static"], in: folder, name: "same.dll")
        #expect(same.exitCode == 0, "\(same.diagnostics)")
        let (other, _) = try Self.link(base + ["/failifmismatch:pelink_runtime=dynamic"], in: folder, name: "other.dll")
        #expect(other.exitCode == 1 && other.diagnostics.contains("pelink_runtime") && other.diagnostics.contains("cmd-line has value dynamic"),
                "\(other.diagnostics)")
    }

    /// lld-link's /kill-at drops the @N of x86 stdcall exports; /lldmingw exports every global
    /// of a DLL that exports nothing, as lld-link does.
    @Test func killAtAndLLDMinGW() throws {
        let folder = try makeTemporaryDirectory("kill-at-lldmingw")
        defer { try? FileManager.default.removeItem(at: folder) }
        let decorated = GoldenCase.inputsFolder.appendingPathComponent("x86-dllexport-decorated/dec.obj").path
        let x86 = ["/dll", "/noentry", "/machine:x86", decorated]
        let (_, control) = try Self.link(x86, in: folder, name: "control.dll")
        let (killRun, killed) = try Self.link(x86 + ["/kill-at"], in: folder, name: "killed.dll")
        #expect(killRun.exitCode == 0, "\(killRun.diagnostics)")
        let before = control.map(MachineTests.exportNames) ?? []
        let after = killed.map(MachineTests.exportNames) ?? []
        #expect(before.isSuperset(of: ["_std_f@8", "_std_noargs@0", "cdecl_f"]), "\(before)")
        #expect(after.isSuperset(of: ["_std_f", "_std_noargs", "cdecl_f"]) && !after.contains("_std_f@8"), "\(after)")

        let (plainRun, plain) = try Self.link(["/dll", "/noentry", Self.object], in: folder, name: "plain.dll")
        #expect(plainRun.exitCode == 0 && plain?.exports == nil, "without exports a DLL exports nothing")
        let (mingwRun, mingw) = try Self.link(["/dll", "/noentry", "/lldmingw", Self.object], in: folder, name: "mingw.dll")
        #expect(mingwRun.exitCode == 0, "\(mingwRun.diagnostics)")
        let exported = mingw.map(MachineTests.exportNames) ?? []
        #expect(exported.isSuperset(of: ["first", "second", "late"]), "\(exported)")
        guard let lldLink = requireTool("lld-link") else { return }
        let theirs = folder.appendingPathComponent("lld-mingw.dll").path
        let lld = try runProcess(lldLink, ["/dll", "/noentry", "/lldmingw", Self.object, "/out:" + theirs])
        #expect(lld.exitCode == 0, "\(lld.stderr)")
        if lld.exitCode == 0 {
            #expect(MachineTests.exportNames(try PEImage(view: try MappedFile(path: theirs).view)) == exported)
        }
    }

    /// An undefined symbol is reported as lld-link reports it: the demangled name (then the name
    /// as written), one ">>> referenced by file:(function)" line per reference, a blank line
    /// between symbols, "<root>:" when only the command line asks for it; /demangle:no shows the
    /// names as written.
    @Test func undefinedSymbolReports() throws {
        guard let clang = requireTool("clang") else { return }
        let folder = try makeTemporaryDirectory("undefined-reports")
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("refs.cpp")
        try """
            int foo();
            __declspec(dllimport) int baz();
            extern "C" int first() { return foo() + foo(); }
            extern "C" int second() { return foo() + baz(); }
            """.write(to: source, atomically: true, encoding: .utf8)
        let object = folder.appendingPathComponent("refs.obj").path
        let compile = try runProcess(clang, ["--target=x86_64-pc-windows-msvc", "-c", "-O0", source.path, "-o", object])
        guard compile.exitCode == 0 else { Issue.record("clang: \(compile.stderr)"); return }
        let (run, _) = try Self.link(["/dll", "/noentry", object, "/include:never_defined"], in: folder, name: "refs.dll")
        let lines = run.diagnostics.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let fooAt = lines.firstIndex { $0.hasSuffix("error: undefined symbol: int __cdecl foo(void) (?foo@@YAHXZ)") }
        #expect(fooAt != nil, "\(run.diagnostics)")
        if let fooAt {
            #expect(Array(lines[(fooAt + 1)...].prefix(4)) == [
                ">>> referenced by \(object):(first)", ">>> referenced by \(object):(first)",
                ">>> referenced by \(object):(second)", "",
            ], "\(run.diagnostics)")
        }
        #expect(lines.contains { $0.hasSuffix("error: undefined symbol: __declspec(dllimport) int __cdecl baz(void) (__imp_?baz@@YAHXZ)") }, "\(run.diagnostics)")
        #expect(lines.contains { $0.hasSuffix("error: <root>: undefined symbol: never_defined") }, "\(run.diagnostics)")
        let (raw, _) = try Self.link(["/dll", "/noentry", object, "/demangle:no"], in: folder, name: "raw.dll")
        #expect(raw.diagnostics.contains("error: undefined symbol: ?foo@@YAHXZ\n") && !raw.diagnostics.contains("__cdecl"), "\(raw.diagnostics)")
    }

    /// /cetcompat writes the extended DLL characteristics debug entry (CET_COMPAT) and
    /// /dependentloadflag the load configuration's DependentLoadFlags, as llvm-readobj reads them
    /// from lld-link's image too; without a load configuration, /dependentloadflag warns.
    @Test func cetcompatAndDependentLoadFlag() throws {
        guard let clang = requireTool("clang"), let readobj = requireTool("llvm-readobj"), let lldLink = requireTool("lld-link") else { return }
        let folder = try makeTemporaryDirectory("cet-loadflags")
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("lc.c")
        // The load configuration a CRT provides: its first field is its size (up to DependentLoadFlags and beyond).
        try """
            struct load_config { unsigned int size; unsigned int rest[70]; };
            const struct load_config _load_config_used = { sizeof(struct load_config) };
            __declspec(dllexport) int f(void) { return 1; }
            """.write(to: source, atomically: true, encoding: .utf8)
        let object = folder.appendingPathComponent("lc.obj").path
        let compile = try runProcess(clang, ["--target=x86_64-pc-windows-msvc", "-c", source.path, "-o", object])
        guard compile.exitCode == 0 else { Issue.record("clang: \(compile.stderr)"); return }
        let arguments = ["/dll", "/noentry", object, "/cetcompat", "/dependentloadflag:0x800"]
        let ours = folder.appendingPathComponent("ours.dll").path, theirs = folder.appendingPathComponent("theirs.dll").path
        let run = Driver.run(arguments: arguments + ["/out:" + ours], environment: [:])
        #expect(run.exitCode == 0, "\(run.diagnostics)")
        let lld = try runProcess(lldLink, arguments + ["/out:" + theirs])
        #expect(lld.exitCode == 0, "\(lld.stderr)")
        func facts(_ dll: String) throws -> [String] {
            let text = try runProcess(readobj, ["--coff-load-config", "--coff-debug-directory", dll]).stdout
            return text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { $0.hasPrefix("DependentLoadFlags:") || $0.hasPrefix("Type:") || $0.contains("CET_COMPAT") || $0.hasPrefix("SizeOfData:") }
        }
        let mine = try facts(ours)
        #expect(mine.contains("DependentLoadFlags: 0x800") && mine.contains { $0.contains("CET_COMPAT") }, "\(mine)")
        let other = try facts(theirs)
        #expect(mine == other, "lld-link's image says \(other)")
        let noConfig = Driver.run(arguments: ["/dll", "/noentry", GoldenCase.inputsFolder.appendingPathComponent("order-file/funcs.obj").path,
                                              "/dependentloadflag:0x800", "/out:" + folder.appendingPathComponent("none.dll").path], environment: [:])
        #expect(noConfig.exitCode == 0 && noConfig.diagnostics.contains("warning: /dependentloadflag"), "\(noConfig.diagnostics)")
    }

    /// The file header's TimeDateStamp is a hash of the content by default (as /brepro makes it),
    /// the same in the debug directory; /timestamp:N sets it; GNU ld's command line writes 0.
    @Test func timestampIsAContentHash() throws {
        let folder = try makeTemporaryDirectory("content-timestamp")
        defer { try? FileManager.default.removeItem(at: folder) }
        func stamp(_ arguments: [String], _ name: String) throws -> (header: UInt32, debug: [UInt32])? {
            let (run, image) = try Self.link(arguments + [Self.object], in: folder, name: name)
            #expect(run.exitCode == 0, "\(run.diagnostics)")
            guard let image else { return nil }
            var debug: [UInt32] = []
            if let directory = image.directory(.debug) {
                for i in 0..<Int(directory.size) / 28 { debug.append(try image.bytes(atRVA: directory.rva + UInt32(i * 28), count: 28).u32(4)) }
            }
            return (image.fileHeader.timeDateStamp, debug)
        }
        let first = try stamp(["/dll", "/noentry", "/cetcompat"], "a.dll")
        let again = try stamp(["/dll", "/noentry", "/cetcompat"], "a.dll")
        let other = try stamp(["/dll", "/noentry", "/cetcompat", "/base:0x20000000"], "a.dll")
        #expect(first != nil && first!.header != 0, "a content hash, not 0")
        #expect(first?.debug == [first?.header ?? 1], "the debug directory entry carries the same time stamp")
        #expect(again?.header == first?.header, "the same inputs, the same stamp")
        #expect(other?.header != first?.header, "another image, another stamp")
        #expect(try stamp(["/dll", "/noentry", "/timestamp:1234"], "b.dll")?.header == 1234)
        #expect(try stamp(["/dll", "/noentry", "/timestamp:1234", "/brepro", "/cetcompat"], "a.dll")?.header == first?.header, "/brepro after /timestamp: the hash again")
        let gnu = Driver.run(arguments: ["-m", "i386pep", "--shared", "-e", "first", Self.object, "-o", folder.appendingPathComponent("g.dll").path], environment: [:], programName: "ld.lld")
        #expect(gnu.exitCode == 0, "\(gnu.diagnostics)")
        #expect(try PEImage(view: try MappedFile(path: folder.appendingPathComponent("g.dll").path).view).fileHeader.timeDateStamp == 0)
    }

    /// lld-link's spellings of GNU ld's MinGW options, and its /includeoptional and /lldmap.
    @Test func lldLinkSpellings() throws {
        let folder = try makeTemporaryDirectory("lld-spellings")
        defer { try? FileManager.default.removeItem(at: folder) }
        let mingw = ["/dll", "/noentry", "/lldmingw", Self.object]
        let (allRun, all) = try Self.link(mingw + ["/export-all-symbols", "/output-def:" + folder.appendingPathComponent("all.def").path], in: folder, name: "all.dll")
        #expect(allRun.exitCode == 0, "\(allRun.diagnostics)")
        #expect((all.map(MachineTests.exportNames) ?? []).isSuperset(of: ["first", "second", "late"]))
        let definition = (try? String(contentsOf: folder.appendingPathComponent("all.def"), encoding: .utf8)) ?? ""
        #expect(definition.contains("EXPORTS") && definition.contains("first"), "/output-def wrote: \(definition)")
        let (noneRun, none) = try Self.link(mingw + ["/exclude-all-symbols"], in: folder, name: "none.dll")
        #expect(noneRun.exitCode == 0 && none?.exports == nil, "/exclude-all-symbols: \(noneRun.diagnostics)")

        let map = folder.appendingPathComponent("x.map").path
        let (optionalRun, _) = try Self.link(["/dll", "/noentry", Self.object, "/includeoptional:no_such_symbol", "/lldmap:" + map], in: folder, name: "optional.dll")
        #expect(optionalRun.exitCode == 0, "/includeoptional of a symbol nothing defines is no error: \(optionalRun.diagnostics)")
        #expect(FileManager.default.fileExists(atPath: map), "/lldmap: wrote no map")
        let (strictRun, _) = try Self.link(["/dll", "/noentry", Self.object, "/include:no_such_symbol"], in: folder, name: "strict.dll")
        #expect(strictRun.exitCode != 0, "/include of a symbol nothing defines stays an error")
    }

    /// /out: and /implib: name the image and the import library; nothing else is written.
    @Test func implibAndOutNameTheOutputs() throws {
        let folder = try makeTemporaryDirectory("implib")
        defer { try? FileManager.default.removeItem(at: folder) }
        let dll = folder.appendingPathComponent("renamed.bin"), lib = folder.appendingPathComponent("custom-name.lib")
        let run = Driver.run(arguments: ["/dll", "/noentry", "/def:" + GoldenCase.inputsFolder.appendingPathComponent("def-ordinals/exports.def").path,
                                         Self.object, "/out:" + dll.path, "/implib:" + lib.path], environment: [:])
        #expect(run.exitCode == 0, "\(run.diagnostics)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["custom-name.lib", "renamed.bin"])
        let members = try oracleImportMembers(lib)
        #expect(members.keys.contains("first") && Set(members.values.map(\.dllName)) == ["def-ordinals.dll"], "\(members.keys.sorted())")
    }

    /// pelink /lib /def: /name: gives the DLL name the import library's members refer to.
    @Test func librarianNameSetsTheDLLName() throws {
        let folder = try makeTemporaryDirectory("lib-name")
        defer { try? FileManager.default.removeItem(at: folder) }
        let def = GoldenCase.inputsFolder.appendingPathComponent("def-ordinals/exports.def").path
        let lib = folder.appendingPathComponent("x.lib")
        let run = Driver.run(arguments: ["/lib", "/def:" + def, "/machine:x64", "/name:other.dll", "/out:" + lib.path], environment: [:])
        #expect(run.exitCode == 0, "\(run.diagnostics)")
        let members = try oracleImportMembers(lib)
        #expect(!members.isEmpty && Set(members.values.map(\.dllName)) == ["other.dll"])
        let link = Driver.run(arguments: ["/dll", "/noentry", "/name:other.dll", Self.object], environment: [:])
        #expect(link.exitCode == 1 && link.diagnostics.contains("pelink /lib"), "\(link.diagnostics)")
    }
}
