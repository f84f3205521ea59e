// The export ABI guard: `pelink /abi:diff OLD NEW` on each kind of change (the .def pairs under
// Inputs/abi-diff-<kind>/, their reports in Golden/abi-diff-<kind>/output.txt, which
// PELINK_UPDATE_GOLDEN=1 rewrites), on DLLs and import libraries linked here, and `/abilock`
// (--abi-lock) in links: a break fails the link and leaves the outputs as they were, /abilock:warn
// makes it a warning, /abilock:update rewrites the lock file.

import Foundation
import PEFormat
@testable import PELink
import Testing

@Suite("ABI guard: /abi:diff and /abilock")
struct ABIGuardTests {
    static let object = GoldenCase.inputsFolder.appendingPathComponent("def-ordinals/impl.obj").path

    /// One .def pair per kind of change: its exit status and the line that names the export.
    static let definitionCases: [(name: String, exitCode: Int32, line: String)] = [
        ("removed", 1, "break: widget_close: removed"),
        ("added", 0, "compatible: widget_reset: added (@3)"),
        ("ordinal-changed", 1, "break: widget_close: ordinal changed from @2 to @5"),
        ("became-noname", 1, "break: widget_close: became NONAME (@2)"),
        ("lost-noname", 0, "compatible: widget_internal: lost NONAME (@9)"),
        ("code-to-data", 1, "break: widget_version: changed from CODE to DATA"),
        ("data-to-code", 1, "break: widget_table: changed from DATA to CODE"),
        ("forwarder-changed", 1, "break: widget_sleep: forwarder changed from kernel32.Sleep to kernelbase.Sleep"),
        ("unchanged", 0, "no changes"),
    ]

    static func diff(_ old: String, _ new: String) -> DriverResult {
        Driver.run(arguments: ["/abi:diff", old, new], environment: [:])
    }

    @Test(".def pairs: each kind of change, its exit status and its line (golden: Golden/abi-diff-*/output.txt)",
          arguments: definitionCases.map(\.name))
    func abiDiffOfDefinitionFiles(_ name: String) throws {
        let expected = try #require(Self.definitionCases.first { $0.name == name })
        let folder = GoldenCase.inputsFolder.appendingPathComponent("abi-diff-" + name)
        let result = Self.diff(folder.appendingPathComponent("old.def").path, folder.appendingPathComponent("new.def").path)
        #expect(result.exitCode == expected.exitCode, "\(name): exit \(result.exitCode)\n\(result.output)\(result.diagnostics)")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.contains(expected.line), "\(name): no line \"\(expected.line)\" in:\n\(result.output)")
        // Breaks come first and every line but the count names an export.
        let kinds = lines.dropLast().map { $0.hasPrefix("break: ") }
        #expect(kinds == kinds.sorted { $0 && !$1 }, "breaks must come first:\n\(result.output)")
        try goldenCheck("$ pelink /abi:diff old.def new.def\n" + result.output + "exit status: \(result.exitCode)\n",
                        case: "abi-diff-" + name, file: "output.txt")
    }

    @Test func diffIsSymmetricInWhatItMatches() {
        // The same change seen from both sides: a removal one way is an addition the other way.
        let old = ExportABI(kind: .moduleDefinition, entries: [ExportABIEntry(name: "a", isData: false), ExportABIEntry(name: "b", isData: false)])
        let new = ExportABI(kind: .moduleDefinition, entries: [ExportABIEntry(name: "a", isData: false)])
        #expect(ExportABI.diff(old: old, new: new).map(\.description) == ["b: removed"])
        #expect(ExportABI.diff(old: new, new: old).map(\.description) == ["b: added"])
        // A DLL knows no DATA: nothing to compare there.
        let image = ExportABI(kind: .image, entries: [ExportABIEntry(name: "a", ordinal: 1), ExportABIEntry(name: "b", ordinal: 2)])
        let data = ExportABI(kind: .moduleDefinition, entries: [ExportABIEntry(name: "a", isData: true), ExportABIEntry(name: "b", isData: false)])
        #expect(ExportABI.diff(old: data, new: image).isEmpty)
        // A DLL's NONAME slot is matched by ordinal to a .def's NONAME export, and to a name that became NONAME.
        let nameless = ExportABI(kind: .image, entries: [ExportABIEntry(name: nil, ordinal: 7, isNoName: true)])
        let defNoName = ExportABI(kind: .moduleDefinition, entries: [ExportABIEntry(name: "f", ordinal: 7, isNoName: true, isData: false)])
        #expect(ExportABI.diff(old: defNoName, new: nameless).isEmpty)
        #expect(ExportABI.diff(old: nameless, new: defNoName).isEmpty)
        let named = ExportABI(kind: .image, entries: [ExportABIEntry(name: "f", ordinal: 7)])
        #expect(ExportABI.diff(old: named, new: nameless).map(\.description) == ["f: became NONAME (@7)"])
        #expect(ExportABI.diff(old: nameless, new: named).map(\.description) == ["@7: lost NONAME (exported as f now)"])
        // An import library knows no forwarders.
        let library = ExportABI(kind: .importLibrary, entries: [ExportABIEntry(name: "f", isData: false)])
        let forwarded = ExportABI(kind: .moduleDefinition, entries: [ExportABIEntry(name: "f", isData: false, forwarder: "k.g")])
        #expect(ExportABI.diff(old: forwarded, new: library).isEmpty)
    }

    // MARK: Linked DLLs and import libraries

    /// The exports of def-ordinals' object before and after a release that moves an ordinal,
    /// names a NONAME export, makes a DATA export code, drops one, forwards elsewhere and adds one.
    static let oldDefinition = """
        LIBRARY abi.dll
        EXPORTS
            first @1
            second @2 NONAME
            shared_value @4 DATA
            late
            third
            fwd = kernel32.Sleep

        """
    static let newDefinition = """
        LIBRARY abi.dll
        EXPORTS
            first @3
            second @2
            shared_value @4
            late
            fwd = kernelbase.Sleep
            by_ordinal_only

        """

    /// Links `definition` with def-ordinals' object into `folder/name.dll` and `name.lib`.
    static func linkDLL(_ definition: String, _ name: String, in folder: URL, extra: [String] = []) throws -> DriverResult {
        let def = folder.appendingPathComponent(name + ".def")
        try definition.write(to: def, atomically: true, encoding: .utf8)
        return Driver.run(arguments: ["/dll", "/noentry", "/machine:x64", "/def:" + def.path, object,
                                      "/out:" + folder.appendingPathComponent(name + ".dll").path] + extra, environment: [:])
    }

    @Test func abiDiffOfLinkedDLLsAndImportLibraries() throws {
        let folder = try makeTemporaryDirectory("abi-diff-linked")
        defer { try? FileManager.default.removeItem(at: folder) }
        for (definition, name) in [(Self.oldDefinition, "old"), (Self.newDefinition, "new")] {
            let link = try Self.linkDLL(definition, name, in: folder)
            #expect(link.exitCode == 0, "\(link.diagnostics)")
        }
        func path(_ file: String) -> String { folder.appendingPathComponent(file).path }

        // DLLs know ordinals, names and forwarders, not DATA; and they cannot tell an ordinal the
        // .def gave from one the linker assigned, so the ones assigned after `first` moved show too.
        let dlls = Driver.run(arguments: ["/abi:diff", path("old.dll"), path("new.dll")], environment: [:])
        #expect(dlls.exitCode == 1)
        #expect(dlls.output == """
            break: first: ordinal changed from @1 to @3
            break: fwd: forwarder changed from kernel32.Sleep to kernelbase.Sleep
            break: fwd: ordinal changed from @5 to @6
            break: late: ordinal changed from @6 to @7
            break: third: removed (@7)
            compatible: by_ordinal_only: added (@5)
            compatible: @2: lost NONAME (exported as second now)
            5 breaking changes, 2 compatible changes

            """, "\(dlls.output)")

        // Import libraries know DATA and the ordinals of imports by ordinal (NONAME), not forwarders.
        let libraries = Self.diff(path("old.lib"), path("new.lib"))
        #expect(libraries.exitCode == 1)
        #expect(libraries.output == """
            break: shared_value: changed from DATA to CODE
            break: third: removed
            compatible: by_ordinal_only: added
            compatible: second: lost NONAME (@2)
            2 breaking changes, 2 compatible changes

            """, "\(libraries.output)")

        // Each kind against the .def it was linked from: nothing changed; and any two of one link agree.
        for (a, b) in [("old.def", "old.dll"), ("old.dll", "old.def"), ("old.def", "old.lib"), ("old.lib", "old.dll"), ("new.lib", "new.def")] {
            let same = Self.diff(path(a), path(b))
            #expect(same.exitCode == 0 && same.output == "no changes\n", "\(a) vs \(b): \(same.output)\(same.diagnostics)")
        }
        // Additions alone are compatible.
        let grown = try Self.linkDLL(Self.oldDefinition + "    by_ordinal_only\n", "grown", in: folder)
        #expect(grown.exitCode == 0)
        let added = Self.diff(path("old.lib"), path("grown.lib"))
        #expect(added.exitCode == 0 && added.output == "compatible: by_ordinal_only: added\n0 breaking changes, 1 compatible change\n", "\(added.output)")
    }

    /// GNU import libraries (binutils' dlltool writes the same members as GNU ld --out-implib):
    /// the same facts as from short import objects.
    @Test func abiDiffOfGNUImportLibraries() throws {
        guard let dlltool = requireTool("x86_64-w64-mingw32-dlltool") else { return }
        let folder = try makeTemporaryDirectory("abi-diff-gnu")
        defer { try? FileManager.default.removeItem(at: folder) }
        func path(_ file: String) -> String { folder.appendingPathComponent(file).path }
        for (definition, name) in [(Self.oldDefinition, "old"), (Self.newDefinition, "new")] {
            try definition.write(toFile: path(name + ".def"), atomically: true, encoding: .utf8)
            let run = try runProcess(dlltool, ["-d", path(name + ".def"), "-l", path("lib\(name).dll.a")])
            #expect(run.exitCode == 0, "dlltool: \(run.stderr)")
        }
        let result = Self.diff(path("libold.dll.a"), path("libnew.dll.a"))
        #expect(result.exitCode == 1)
        #expect(result.output == """
            break: shared_value: changed from DATA to CODE
            break: third: removed
            compatible: by_ordinal_only: added
            compatible: second: lost NONAME (@2)
            2 breaking changes, 2 compatible changes

            """, "\(result.output)\(result.diagnostics)")
        let same = Self.diff(path("old.def"), path("libold.dll.a"))
        #expect(same.exitCode == 0 && same.output == "no changes\n", "\(same.output)\(same.diagnostics)")
        // mingw-w64's zlib: the shipped DLL and its import library agree.
        let zlib = "/usr/x86_64-w64-mingw32/lib/"
        if FileManager.default.fileExists(atPath: zlib + "zlib1.dll") && FileManager.default.fileExists(atPath: zlib + "libz.dll.a") {
            let shipped = Self.diff(zlib + "zlib1.dll", zlib + "libz.dll.a")
            #expect(shipped.exitCode == 0 && shipped.output == "no changes\n", "\(shipped.output)\(shipped.diagnostics)")
        }
    }

    @Test func abiDiffOfUnreadableInputsIsExitStatus2() throws {
        let folder = try makeTemporaryDirectory("abi-diff-bad")
        defer { try? FileManager.default.removeItem(at: folder) }
        func path(_ file: String) -> String { folder.appendingPathComponent(file).path }
        let link = try Self.linkDLL(Self.oldDefinition, "old", in: folder)
        #expect(link.exitCode == 0)
        // A DLL cut short: the error names the file and the offset.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path("old.dll")))
        try bytes.prefix(0x300).write(to: URL(fileURLWithPath: path("cut.dll")))
        let cut = Self.diff(path("old.def"), path("cut.dll"))
        #expect(cut.exitCode == 2 && cut.output.isEmpty)
        #expect(cut.diagnostics.hasPrefix("pelink: error: \(path("cut.dll")): at offset 0x"), "\(cut.diagnostics)")
        // A .def with a syntax error: file, line and column.
        try "EXPORTS\n    f @\n".write(toFile: path("bad.def"), atomically: true, encoding: .utf8)
        let def = Self.diff(path("bad.def"), path("old.def"))
        #expect(def.exitCode == 2 && def.diagnostics.contains("\(path("bad.def")):2:"), "\(def.diagnostics)")
        // An object is none of the kinds.
        let object = Self.diff(Self.object, path("old.def"))
        #expect(object.exitCode == 2 && object.diagnostics.contains("expected a DLL, an import library, a .def file or an ABI lock file"), "\(object.diagnostics)")
        let missing = Self.diff(path("absent.dll"), path("old.def"))
        #expect(missing.exitCode == 2 && missing.diagnostics.contains("absent.dll"), "\(missing.diagnostics)")
        let usage = Driver.run(arguments: ["/abi:diff", path("old.def")], environment: [:])
        #expect(usage.exitCode == 2 && usage.diagnostics.contains("usage: pelink /abi:diff OLD NEW"), "\(usage.diagnostics)")
        // Not the first argument: a usage error of the link.
        let late = Driver.run(arguments: ["/dll", "/abi:diff", path("old.def"), path("old.def")], environment: [:])
        #expect(late.exitCode == 1 && late.diagnostics.contains("must be the first argument"), "\(late.diagnostics)")
    }

    // MARK: /abilock

    /// The lock file of `oldDefinition`: sorted by name, ordinals only where given or NONAME.
    static let oldLock = """
        # pelink abilock 1
        # one export per line: NAME [@ORDINAL] [NONAME] [DATA] [PRIVATE] [-> FORWARDER]
        first @1
        fwd -> kernel32.Sleep
        late
        second @2 NONAME
        shared_value @4 DATA
        third

        """

    @Test func abiLockFailsTheLinkOnABreak() throws {
        let folder = try makeTemporaryDirectory("abilock-error")
        defer { try? FileManager.default.removeItem(at: folder) }
        func path(_ file: String) -> String { folder.appendingPathComponent(file).path }
        let lock = path("abi.abilock")
        // No lock file yet: an error that says how to make one.
        let missing = try Self.linkDLL(Self.oldDefinition, "abi", in: folder, extra: ["/abilock:" + lock])
        #expect(missing.exitCode == 1 && missing.diagnostics.contains("error: ABI lock \(lock) does not exist; link once with /abilock:update"), "\(missing.diagnostics)")
        #expect(!FileManager.default.fileExists(atPath: path("abi.dll")) && !FileManager.default.fileExists(atPath: lock))

        let created = try Self.linkDLL(Self.oldDefinition, "abi", in: folder, extra: ["/abilock:" + lock, "/abilock:update"])
        #expect(created.exitCode == 0, "\(created.diagnostics)")
        #expect(try String(contentsOfFile: lock, encoding: .utf8) == Self.oldLock)
        let unchanged = try Self.linkDLL(Self.oldDefinition, "abi", in: folder, extra: ["/abilock:" + lock])
        #expect(unchanged.exitCode == 0 && unchanged.diagnostics.isEmpty, "\(unchanged.diagnostics)")

        // The new exports break the lock: the link fails, naming each break, and the DLL, the
        // import library and the lock stay byte for byte as they were.
        let before = try [path("abi.dll"), path("abi.lib"), lock].map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        let broken = try Self.linkDLL(Self.newDefinition, "abi", in: folder, extra: ["/abilock:" + lock])
        #expect(broken.exitCode == 1)
        #expect(broken.diagnostics.contains("warning: export shared_value is data"), "the new .def exports data as code; pelink warns")
        #expect(Self.withoutDataWarning(broken.diagnostics) == """
            pelink: error: ABI lock \(lock): first: ordinal changed from @1 to @3
            pelink: error: ABI lock \(lock): fwd: forwarder changed from kernel32.Sleep to kernelbase.Sleep
            pelink: error: ABI lock \(lock): shared_value: changed from DATA to CODE
            pelink: error: ABI lock \(lock): third: removed
            pelink: note: ABI lock \(lock): by_ordinal_only: added (@5)
            pelink: note: ABI lock \(lock): second: lost NONAME (@2)
            pelink: note: ABI lock \(lock): 4 changes would break importers; if intended, link with /abilock:update to accept them

            """, "\(broken.diagnostics)")
        let after = try [path("abi.dll"), path("abi.lib"), lock].map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        #expect(after == before, "a failed link must leave its outputs and the lock file untouched")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["abi.abilock", "abi.def", "abi.dll", "abi.lib"])

        // A lock file with an error: file, line and column.
        try (Self.oldLock + "late @3 DATTA\n").write(toFile: path("bad.abilock"), atomically: true, encoding: .utf8)
        let bad = try Self.linkDLL(Self.oldDefinition, "abi", in: folder, extra: ["/abilock:" + path("bad.abilock")])
        #expect(bad.exitCode == 1 && bad.diagnostics.contains("error: \(path("bad.abilock")):9:9: unexpected \"DATTA\""), "\(bad.diagnostics)")
        // /abilock:update replaces a lock file it cannot read.
        let replaced = try Self.linkDLL(Self.oldDefinition, "abi", in: folder, extra: ["/abilock:" + path("bad.abilock"), "/abilock:update"])
        #expect(replaced.exitCode == 0 && replaced.diagnostics.contains("note: ABI lock \(path("bad.abilock")): replaced; the old file could not be read: \(path("bad.abilock")):9:9"),
                "\(replaced.diagnostics)")
        #expect(try String(contentsOfFile: path("bad.abilock"), encoding: .utf8) == Self.oldLock)
        // /abilock:warn alone names no file.
        let alone = try Self.linkDLL(Self.oldDefinition, "abi", in: folder, extra: ["/abilock:warn"])
        #expect(alone.exitCode == 1 && alone.diagnostics.contains("/abilock:warn needs the lock file too"), "\(alone.diagnostics)")
    }

    /// The diagnostics without pelink's warning about data exported without DATA, which the new
    /// definition's `shared_value` (DATA dropped on purpose, a break) draws; the golden case
    /// export-data-without-data shows that warning.
    static func withoutDataWarning(_ diagnostics: String) -> String {
        diagnostics.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.contains("warning: export shared_value is data") }.joined(separator: "\n")
    }

    @Test func abiLockWarnAndUpdate() throws {
        let folder = try makeTemporaryDirectory("abilock-warn")
        defer { try? FileManager.default.removeItem(at: folder) }
        func path(_ file: String) -> String { folder.appendingPathComponent(file).path }
        let lock = path("abi.abilock")
        try Self.oldLock.write(toFile: lock, atomically: true, encoding: .utf8)

        // Additions alone: the link succeeds and reports them.
        let grown = try Self.linkDLL(Self.oldDefinition + "    by_ordinal_only\n", "abi", in: folder, extra: ["/abilock:" + lock])
        #expect(grown.exitCode == 0 && grown.diagnostics == "pelink: note: ABI lock \(lock): by_ordinal_only: added (@5)\n", "\(grown.diagnostics)")

        // /abilock:warn: the breaks are warnings (and errors again under /wx).
        let warned = try Self.linkDLL(Self.newDefinition, "abi", in: folder, extra: ["/abilock:warn", "/abilock:" + lock])
        #expect(warned.exitCode == 0)
        #expect(warned.diagnostics.contains("pelink: warning: ABI lock \(lock): third: removed\n"), "\(warned.diagnostics)")
        #expect(warned.diagnostics.contains("pelink: note: ABI lock \(lock): by_ordinal_only: added (@5)\n"), "\(warned.diagnostics)")
        #expect(try String(contentsOfFile: lock, encoding: .utf8) == Self.oldLock, "/abilock:warn must not rewrite the lock")
        let strict = try Self.linkDLL(Self.newDefinition, "abi", in: folder, extra: ["/abilock:" + lock, "/abilock:warn", "/wx"])
        #expect(strict.exitCode == 1)

        // /abilock:update: the link succeeds, says what it records, and the lock is the new list.
        let updated = try Self.linkDLL(Self.newDefinition, "abi", in: folder, extra: ["/abilock:" + lock, "/abilock:update"])
        #expect(updated.exitCode == 0, "\(updated.diagnostics)")
        #expect(updated.diagnostics.contains("pelink: note: ABI lock \(lock): third: removed (recorded by /abilock:update)\n"), "\(updated.diagnostics)")
        #expect(try String(contentsOfFile: lock, encoding: .utf8) == """
            # pelink abilock 1
            # one export per line: NAME [@ORDINAL] [NONAME] [DATA] [PRIVATE] [-> FORWARDER]
            by_ordinal_only
            first @3
            fwd -> kernelbase.Sleep
            late
            second @2
            shared_value @4

            """)
        let clean = try Self.linkDLL(Self.newDefinition, "abi", in: folder, extra: ["/abilock:" + lock])
        #expect(clean.exitCode == 0 && Self.withoutDataWarning(clean.diagnostics).isEmpty, "\(clean.diagnostics)")
        // The lock file is an export list /abi:diff reads too.
        let fromLock = Self.diff(lock, path("abi.dll"))
        #expect(fromLock.exitCode == 0 && fromLock.output == "no changes\n", "\(fromLock.output)\(fromLock.diagnostics)")
    }

    /// A .def without objects writes only the import library (`/def:x.def /machine:x64
    /// /out:x.lib`, as build systems call lld-link); the lock guards it the same way.
    @Test func abiLockGuardsAnImportLibraryFromADefinitionAlone() throws {
        let folder = try makeTemporaryDirectory("abilock-def-only")
        defer { try? FileManager.default.removeItem(at: folder) }
        func path(_ file: String) -> String { folder.appendingPathComponent(file).path }
        func library(_ definition: String, _ extra: [String]) throws -> DriverResult {
            try definition.write(toFile: path("abi.def"), atomically: true, encoding: .utf8)
            return Driver.run(arguments: ["/def:" + path("abi.def"), "/machine:x64", "/out:" + path("abi.lib")] + extra, environment: [:])
        }
        let lock = path("abi.abilock")
        let created = try library(Self.oldDefinition, ["/abilock:" + lock, "/abilock:update"])
        #expect(created.exitCode == 0, "\(created.diagnostics)")
        #expect(try String(contentsOfFile: lock, encoding: .utf8) == Self.oldLock)
        let before = try Data(contentsOf: URL(fileURLWithPath: path("abi.lib")))
        let broken = try library(Self.newDefinition, ["/abilock:" + lock])
        #expect(broken.exitCode == 1 && broken.diagnostics.contains("error: ABI lock \(lock): third: removed\n"), "\(broken.diagnostics)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path("abi.lib"))) == before, "the failed link replaced the import library")
    }

    /// An object's own .edata is the export table (literal-edata): pelink does not read it, and says so.
    @Test func abiLockLeavesALiteralExportTableUnchecked() throws {
        let folder = try makeTemporaryDirectory("abilock-edata")
        defer { try? FileManager.default.removeItem(at: folder) }
        let lock = folder.appendingPathComponent("x.abilock").path
        let run = Driver.run(arguments: ["/dll", "/lldmingw", "/noentry", "/machine:x64",
                                         GoldenCase.inputsFolder.appendingPathComponent("literal-edata/edata.obj").path,
                                         "/out:" + folder.appendingPathComponent("x.dll").path, "/abilock:" + lock], environment: [:])
        #expect(run.exitCode == 0 && run.diagnostics.contains("warning: ABI lock \(lock): the export table is the objects' own .edata"), "\(run.diagnostics)")
    }

    /// GNU ld's command line: --abi-lock=FILE, --abi-lock-update, --abi-lock-warn.
    @Test func gnuAbiLockOptions() throws {
        let folder = try makeTemporaryDirectory("abilock-gnu")
        defer { try? FileManager.default.removeItem(at: folder) }
        func path(_ file: String) -> String { folder.appendingPathComponent(file).path }
        func link(_ definition: String, _ extra: [String]) throws -> DriverResult {
            try definition.write(toFile: path("abi.def"), atomically: true, encoding: .utf8)
            return Driver.run(arguments: ["-m", "i386pep", "--shared", "-e", "", "-o", path("abi.dll"), Self.object, path("abi.def")] + extra,
                              environment: [:], programName: "ld.lld")
        }
        let lock = path("abi.abilock")
        let created = try link(Self.oldDefinition, ["--abi-lock=" + lock, "--abi-lock-update"])
        #expect(created.exitCode == 0, "\(created.diagnostics)")
        #expect(try String(contentsOfFile: lock, encoding: .utf8) == Self.oldLock)
        let broken = try link(Self.newDefinition, ["--abi-lock", lock])
        #expect(broken.exitCode == 1 && broken.diagnostics.contains("ld.lld: error: ABI lock \(lock): third: removed\n"), "\(broken.diagnostics)")
        #expect(broken.diagnostics.contains("link with --abi-lock-update to accept them"), "\(broken.diagnostics)")
        let warned = try link(Self.newDefinition, ["--abi-lock=" + lock, "--abi-lock-warn"])
        #expect(warned.exitCode == 0 && warned.diagnostics.contains("ld.lld: warning: ABI lock \(lock): third: removed\n"), "\(warned.diagnostics)")
        let alone = try link(Self.newDefinition, ["--abi-lock-warn"])
        #expect(alone.exitCode == 1 && alone.diagnostics.contains("--abi-lock-warn needs the lock file too"), "\(alone.diagnostics)")
    }

    @Test func lockFileRoundTripsAndQuotesOddNames() throws {
        let abi = ExportABI(kind: .link, entries: [
            ExportABIEntry(name: "plain", isData: false),
            ExportABIEntry(name: "with space", ordinal: 3, isData: true),
            ExportABIEntry(name: "@odd\"name\\", isData: false, forwarder: "k.#12"),
            ExportABIEntry(name: "hidden", ordinal: 9, isNoName: true, isData: false, isPrivate: true),
            ExportABIEntry(name: nil, ordinal: 12, isNoName: true, isData: false),
        ])
        let text = ABILockFile.text(abi)
        #expect(text == """
            # pelink abilock 1
            # one export per line: NAME [@ORDINAL] [NONAME] [DATA] [PRIVATE] [-> FORWARDER]
            "@odd\\"name\\\\" -> k.#12
            hidden @9 NONAME PRIVATE
            plain
            "with space" @3 DATA
            @12 NONAME

            """)
        let read = try ABILockFile.parse(text: text, path: "x.abilock")
        #expect(ExportABI.diff(old: abi, new: read).isEmpty)
        #expect(Set(read.entries.compactMap(\.name)) == Set(abi.entries.compactMap(\.name)))
        #expect(read.entries.contains { $0.name == nil && $0.ordinal == 12 && $0.isNoName })
        for (bad, message) in [("# pelink abilock 2\n", "x.abilock:1:18: ABI lock format version \"2\""),
                               ("EXPORTS\n", "x.abilock:1:1: not an ABI lock file"),
                               ("# pelink abilock 1\nf\nf\n", "x.abilock:3:1: f is listed twice (first on line 2)"),
                               ("# pelink abilock 1\nf @70000\n", "x.abilock:2:3: \"@70000\" is not an ordinal"),
                               ("# pelink abilock 1\n\"f\n", "x.abilock:2:1: the quoted name is not closed")] {
            #expect(throws: FormatError.self) { try ABILockFile.parse(text: bad, path: "x.abilock") }
            do { _ = try ABILockFile.parse(text: bad, path: "x.abilock") } catch {
                #expect("\(error)".hasPrefix(message), "\(error)")
            }
        }
    }
}

// In the MinGW suite (clang's driver with pelink as its ld.lld), where the zlib1.dll link is.
extension MinGWTests {
    @Test("zlib1.dll from Debian's libz.a with --abi-lock: one export taken out of the .def fails the link, naming it",
          arguments: WineMachine.allCases)
    func zlibABILockNamesTheRemovedExport(_ machine: WineMachine) throws {
        guard let tools = requireWineTools(machine) else { return }
        let libz = machine.mingwRoot + "/lib/libz.a", shipped = machine.mingwRoot + "/lib/zlib1.dll"
        guard FileManager.default.fileExists(atPath: libz), FileManager.default.fileExists(atPath: shipped) else {
            if oraclesRequired { Issue.record("libz-mingw-w64-dev / libz-mingw-w64 (\(machine.mingwTriple)) is not installed") }
            return
        }
        let folder = try makeTemporaryDirectory("mingw-zlib-abilock-\(machine.rawValue)")
        defer { removeBuildFolder(folder) }
        guard let bin = try tools.gnuLinkerFolder(folder) else { return }
        let names = try Self.exportNames(shipped)
        let removed = "inflateBackEnd"
        #expect(names.contains(removed), "the shipped zlib1.dll does not export \(removed)")
        func link(_ exports: [String], _ lockOptions: [String]) throws -> String? {
            try ("LIBRARY zlib1.dll\nEXPORTS\n" + exports.map { "    \($0)\n" }.joined())
                .write(to: folder.appendingPathComponent("zlib.def"), atomically: true, encoding: .utf8)
            return try tools.clangLink(bin: bin, in: folder, ["-shared"] + Self.libgccFlags(machine) + ["-o", "zlib1.dll", "-Wl,--whole-archive", libz,
                                                              "-Wl,--no-whole-archive", "zlib.def"] + lockOptions.map { "-Wl," + $0 })
        }
        // The lock made from the full export list, then a rebuild without one export.
        if let failure = try link(names, ["--abi-lock=zlib1.abilock", "--abi-lock-update"]) {
            Issue.record(Comment(rawValue: failure)); return
        }
        let lock = try String(contentsOf: folder.appendingPathComponent("zlib1.abilock"), encoding: .utf8)
        #expect(lock.split(separator: "\n").count == names.count + 2, "the lock lists \(lock.split(separator: "\n").count - 2) exports, the DLL \(names.count)")
        // (clang's driver deletes the output of a failed link itself; that pelink leaves it alone
        // is abiLockFailsTheLinkOnABreak's.)
        let failure = try link(names.filter { $0 != removed }, ["--abi-lock=zlib1.abilock"])
        #expect(failure?.contains("ld.lld: error: ABI lock zlib1.abilock: \(removed): removed\n") == true,
                "the link must fail naming \(removed): \(failure ?? "it succeeded")")
        #expect(failure?.components(separatedBy: "error: ABI lock").count == 2, "only \(removed) may be named: \(failure ?? "")")
        // The same DLL as before passes.
        #expect(try link(names, ["--abi-lock=zlib1.abilock"]) == nil)
    }
}
