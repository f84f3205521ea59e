import Foundation
import Testing
@testable import PEFormat

/// Helpers shared by the archive, import-library and .def tests (a test target cannot import
/// PELinkTests' Oracles.swift, so these are small local equivalents).
enum LibraryTestSupport {
    static let oraclesRequired = ProcessInfo.processInfo.environment["PELINK_REQUIRE_ORACLES"] == "1"

    static func findTool(_ name: String) -> String? {
        var folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        folders += ["/opt/swift/usr/bin", "/usr/bin", "/usr/local/bin"]
        for folder in folders {
            let candidate = folder + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// The tool's path; nil (after noting the skip, or recording a failure under
    /// PELINK_REQUIRE_ORACLES=1) when it is not installed.
    static func requireTool(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        if let path = findTool(name) { return path }
        if oraclesRequired {
            Issue.record("required oracle '\(name)' is missing", sourceLocation: sourceLocation)
        } else {
            print("note: skipping, oracle '\(name)' is not installed")
        }
        return nil
    }

    struct ToolFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs a tool to completion and throws with its stderr when it fails.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], in directory: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        if process.terminationStatus != 0 {
            throw ToolFailed(description: "\(executable) \(arguments.joined(separator: " ")) failed (\(process.terminationStatus)):\n\(text)")
        }
        return text
    }

    static func temporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pelink-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func bytes(of url: URL) throws -> [UInt8] {
        Array(try Data(contentsOf: url))
    }

    static func view(_ bytes: [UInt8], path: String = "test.lib") -> ByteView {
        MappedFile(path: path, contents: bytes).view
    }

    /// Two C files compiled for x64: a.obj defines foo and a long-named variable; the second
    /// object (given a long file name) defines baz.
    static func compileObjects(in directory: URL, clang: String) throws -> (short: String, long: String) {
        try "int foo(void){return 1;}\nint bar_with_a_really_long_name_here = 3;\n"
            .write(to: directory.appendingPathComponent("a.c"), atomically: true, encoding: .utf8)
        try "int baz(void){return 2;}\n"
            .write(to: directory.appendingPathComponent("b.c"), atomically: true, encoding: .utf8)
        let longName = "this_is_a_long_member_name.obj"
        try run(clang, ["--target=x86_64-pc-windows-msvc", "-c", "a.c", "-o", "a.obj"], in: directory)
        try run(clang, ["--target=x86_64-pc-windows-msvc", "-c", "b.c", "-o", longName], in: directory)
        return ("a.obj", longName)
    }
}

/// A hand-built archive member header: name, date, uid, gid, mode, size, end marker.
private func memberHeader(name: String, size: String, end: String = "`\n") -> [UInt8] {
    var writer = ByteWriter()
    writer.field(name, width: 16)
    writer.field("0", width: 12)
    writer.field("0", width: 6)
    writer.field("0", width: 6)
    writer.field("644", width: 8)
    writer.field(size, width: 10)
    writer.append(end)
    return writer.bytes
}

private func expectArchiveError(_ bytes: [UInt8], contains fragment: String, offset: Int? = nil,
                                sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        _ = try Archive(view: LibraryTestSupport.view(bytes))
        Issue.record("expected an error containing \"\(fragment)\"", sourceLocation: sourceLocation)
    } catch let error as FormatError {
        #expect(error.description.contains(fragment), "\(error)", sourceLocation: sourceLocation)
        #expect(error.file == "test.lib", sourceLocation: sourceLocation)
        if let offset { #expect(error.offset == offset, "\(error)", sourceLocation: sourceLocation) }
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
}

@Suite struct ArchiveReaderTests {
    let magic = Array("!<arch>\n".utf8)

    @Test func emptyArchiveHasNoMembers() throws {
        let archive = try Archive(view: LibraryTestSupport.view(magic))
        #expect(archive.members.isEmpty)
        #expect(archive.symbols.isEmpty)
        #expect(archive.layout == .noSymbolTable)
    }

    @Test func recognizesSignatures() {
        #expect(Archive.isArchive(LibraryTestSupport.view(magic + [1, 2])))
        #expect(!Archive.isArchive(LibraryTestSupport.view(Array("!<arch>".utf8))))
        #expect(!Archive.isArchive(LibraryTestSupport.view(Array("!<thin>\n".utf8))))
    }

    @Test func plainMembersWithOddSizesArePadded() throws {
        var bytes = magic
        bytes += memberHeader(name: "one.obj/", size: "3") + [1, 2, 3, 0x0A]
        bytes += memberHeader(name: "two.obj/", size: "2") + [4, 5]
        let archive = try Archive(view: LibraryTestSupport.view(bytes))
        #expect(archive.members.map(\.name) == ["one.obj", "two.obj"])
        #expect(archive.members.map(\.headerOffset) == [8, 8 + 60 + 4])
        #expect(archive.members[0].data.toArray() == [1, 2, 3])
        #expect(archive.members[1].data.toArray() == [4, 5])
    }

    @Test func finalMemberMayOmitItsPaddingByte() throws {
        let bytes = magic + memberHeader(name: "one.obj/", size: "3") + [1, 2, 3]
        let archive = try Archive(view: LibraryTestSupport.view(bytes))
        #expect(archive.members.count == 1)
    }

    @Test func rejectsBadMagic() {
        expectArchiveError(Array("!<arhc>\nxxxxxxxx".utf8), contains: "not an archive", offset: 0)
    }

    /// A thin archive holds the symbol table and the members' names (paths), not their bytes.
    @Test func readsThinArchives() throws {
        let bytes = try ArchiveWriter.write(members: [(name: "sub/a.obj", data: [1, 2, 3], symbols: ["f"]),
                                                      (name: "b.obj", data: [4, 5], symbols: ["g"])], thin: true)
        #expect(bytes.starts(with: Array("!<thin>\n".utf8)))
        let archive = try Archive(view: LibraryTestSupport.view(bytes))
        #expect(archive.isThin && archive.members.map(\.name) == ["sub/a.obj", "b.obj"])
        #expect(archive.members.map(\.externalSize) == [3, 2] && archive.members.allSatisfy { $0.data.count == 0 })
        #expect(archive.symbolTable.count == 2)
    }

    @Test func rejectsSizeFieldThatIsNotDecimal() {
        expectArchiveError(magic + memberHeader(name: "a.obj/", size: "12x") + Array(repeating: 0, count: 12),
                           contains: "member size field \"12x       \" is not a decimal number", offset: 8 + 48)
        expectArchiveError(magic + memberHeader(name: "a.obj/", size: " 12") + Array(repeating: 0, count: 12),
                           contains: "is not a decimal number")
        expectArchiveError(magic + memberHeader(name: "a.obj/", size: "") ,
                           contains: "is not a decimal number")
        expectArchiveError(magic + memberHeader(name: "a.obj/", size: "-1"), contains: "is not a decimal number")
    }

    @Test func rejectsMemberPastEnd() {
        expectArchiveError(magic + memberHeader(name: "a.obj/", size: "100") + [1, 2, 3],
                           contains: "archive member whose header at 0x8 gives size 100", offset: 68)
    }

    @Test func rejectsTruncatedHeader() {
        expectArchiveError(magic + Array(memberHeader(name: "a.obj/", size: "1").prefix(30)),
                           contains: "archive member header", offset: 8)
    }

    @Test func rejectsGarbledEndMarker() {
        expectArchiveError(magic + memberHeader(name: "a.obj/", size: "2", end: "xx") + [0, 0],
                           contains: "does not end with", offset: 8 + 58)
    }

    @Test func rejectsUnsupportedDialects() {
        expectArchiveError(magic + memberHeader(name: "#1/20", size: "20") + Array(repeating: 0, count: 20),
                           contains: "BSD-style")
        expectArchiveError(magic + memberHeader(name: "/SYM64/", size: "8") + Array(repeating: 0, count: 8),
                           contains: "/SYM64/")
    }

    @Test func rejectsBadLongNameReferences() {
        expectArchiveError(magic + memberHeader(name: "/4", size: "0"), contains: "no longnames member")
        let longNames = Array("abc/\n".utf8) + [0x0A]
        expectArchiveError(magic + memberHeader(name: "//", size: "6") + longNames + memberHeader(name: "/40", size: "0"),
                           contains: "past the end of the longnames member")
        expectArchiveError(magic + memberHeader(name: "//", size: "6") + longNames + memberHeader(name: "/x", size: "0"),
                           contains: "neither \"name/\" nor")
        expectArchiveError(magic + memberHeader(name: "//", size: "2") + Array("ab".utf8) + memberHeader(name: "/0", size: "0"),
                           contains: "not terminated")
    }

    @Test func rejectsLinkerMemberCountPastEnd() {
        // The first linker member claims 1000 symbols in 8 bytes.
        var bytes = magic + memberHeader(name: "/", size: "8") + [0, 0, 0x03, 0xE8, 0, 0, 0, 0]
        bytes += memberHeader(name: "a.obj/", size: "0")
        expectArchiveError(bytes, contains: "claims 1000 symbols")

        // The second linker member claims 0x10000 members.
        var second = magic + memberHeader(name: "/", size: "4") + [0, 0, 0, 0]
        second += memberHeader(name: "/", size: "8") + [0, 0, 1, 0, 0, 0, 0, 0]
        expectArchiveError(second, contains: "claims 65536 members")
    }

    @Test func rejectsLinkerMemberPointingAtNothing() {
        // One symbol "s" whose offset (0x40) is not a member header.
        var bytes = magic + memberHeader(name: "/", size: "10") + [0, 0, 0, 1, 0, 0, 0, 0x40, UInt8(ascii: "s"), 0]
        bytes += memberHeader(name: "a.obj/", size: "0")
        expectArchiveError(bytes, contains: "not the header of a regular archive member")
    }

    @Test func rejectsUnterminatedSymbolName() {
        let memberOffset = 8 + 60 + 10
        var bytes = magic + memberHeader(name: "/", size: "10")
        bytes += [0, 0, 0, 1, 0, 0, 0, UInt8(memberOffset), UInt8(ascii: "s"), UInt8(ascii: "t")]
        bytes += memberHeader(name: "a.obj/", size: "0")
        expectArchiveError(bytes, contains: "symbol name 0 of 1 runs past the end")
    }

    @Test func rejectsSecondLinkerMemberIndexOutOfRange() {
        let firstMember = 8 + 60 + 4 + 60 + 16
        var bytes = magic + memberHeader(name: "/", size: "4") + [0, 0, 0, 0]
        var second = ByteWriter()
        second.u32(1)
        second.u32(UInt32(firstMember))
        second.u32(1)
        second.u16(2)  // only one member
        second.cString("s")
        bytes += memberHeader(name: "/", size: "\(second.count)") + second.bytes
        bytes += memberHeader(name: "a.obj/", size: "0")
        expectArchiveError(bytes, contains: "member index 2, outside 1...1")
    }

    // MARK: - Archives made by real tools

    /// Checks what every tool's archive of a.obj + the long-named object must contain.
    private func checkTwoObjectArchive(_ archive: Archive, longName: String, directory: URL) throws {
        #expect(Set(archive.members.map(\.name)) == ["a.obj", longName])
        for member in archive.members {
            let original = try LibraryTestSupport.bytes(of: directory.appendingPathComponent(member.name))
            #expect(member.data.toArray() == original, "member \(member.name)")
        }
        let byName = Dictionary(archive.symbols.map { ($0.name, archive.members[$0.memberIndex].name) },
                                uniquingKeysWith: { first, _ in first })
        #expect(byName == ["foo": "a.obj", "bar_with_a_really_long_name_here": "a.obj", "baz": longName])
    }

    @Test func readsLLVMArGNUArchive() throws {
        guard let clang = LibraryTestSupport.requireTool("clang"), let llvmAr = LibraryTestSupport.requireTool("llvm-ar") else { return }
        let directory = try LibraryTestSupport.temporaryDirectory("archive-gnu")
        defer { try? FileManager.default.removeItem(at: directory) }
        let objects = try LibraryTestSupport.compileObjects(in: directory, clang: clang)
        try LibraryTestSupport.run(llvmAr, ["rc", "--format=gnu", "gnu.a", objects.short, objects.long], in: directory)
        let archive = try Archive(view: MappedFile(path: directory.appendingPathComponent("gnu.a").path).view)
        #expect(archive.layout == .gnu)
        #expect(archive.members.map(\.name) == [objects.short, objects.long])
        try checkTwoObjectArchive(archive, longName: objects.long, directory: directory)
    }

    @Test func readsBinutilsArArchive() throws {
        guard let clang = LibraryTestSupport.requireTool("clang"), let ar = LibraryTestSupport.requireTool("ar") else { return }
        let directory = try LibraryTestSupport.temporaryDirectory("archive-binutils")
        defer { try? FileManager.default.removeItem(at: directory) }
        let objects = try LibraryTestSupport.compileObjects(in: directory, clang: clang)
        // binutils ar only writes a symbol table for formats it understands; ask for one anyway.
        try LibraryTestSupport.run(ar, ["rcs", "bin.a", objects.short, objects.long], in: directory)
        let archive = try Archive(view: MappedFile(path: directory.appendingPathComponent("bin.a").path).view)
        #expect(archive.members.map(\.name) == [objects.short, objects.long])
        if archive.layout == .gnu {
            try checkTwoObjectArchive(archive, longName: objects.long, directory: directory)
        }
    }

    /// binutils dlltool writes a GNU archive with "/n" long names ending in "/\n".
    @Test func readsMinGWDlltoolImportLibrary() throws {
        guard let dlltool = LibraryTestSupport.requireTool("x86_64-w64-mingw32-dlltool") else { return }
        let directory = try LibraryTestSupport.temporaryDirectory("archive-dlltool")
        defer { try? FileManager.default.removeItem(at: directory) }
        try "LIBRARY foo.dll\nEXPORTS\n  alpha\n  beta DATA\n  gamma @5 NONAME\n"
            .write(to: directory.appendingPathComponent("foo.def"), atomically: true, encoding: .utf8)
        try LibraryTestSupport.run(dlltool, ["-d", "foo.def", "-l", "libfoo.a", "-D", "foo.dll"], in: directory)
        let archive = try Archive(view: MappedFile(path: directory.appendingPathComponent("libfoo.a").path).view)
        #expect(archive.layout == .gnu)
        #expect(archive.members.count == 5)
        #expect(archive.members.allSatisfy { $0.name.hasSuffix(".o") && !$0.name.contains("/") })
        let symbols = Set(archive.symbols.map(\.name))
        #expect(symbols.isSuperset(of: ["alpha", "__imp_alpha", "__imp_beta", "gamma", "__imp_gamma"]))
        #expect(archive.symbols.allSatisfy { $0.memberIndex < archive.members.count })
    }

    /// A large real GNU archive, when the MinGW runtime is installed.
    @Test func readsMinGWKernel32() throws {
        let path = "/usr/x86_64-w64-mingw32/lib/libkernel32.a"
        guard FileManager.default.fileExists(atPath: path) else {
            print("note: skipping, \(path) is not installed")
            return
        }
        let archive = try Archive(view: MappedFile(path: path).view)
        #expect(archive.members.count > 1000)
        let byName = Dictionary(archive.symbols.map { ($0.name, $0.memberIndex) }, uniquingKeysWith: { first, _ in first })
        let index = try #require(byName["__imp_GetProcAddress"])
        #expect(archive.members[index].data.count > 0)
    }

    /// A linker gives back the pages of an archive's symbol directory once symbols are resolved
    /// (`MappedFile.releaseResidentPages`); names that still point there must read the same
    /// afterwards, and so must the members next to the directory.
    @Test func releasedSymbolDirectoryPagesStillReadTheFile() throws {
        let members = (0..<40).map { m in
            (name: "m\(m).obj", data: [UInt8](repeating: UInt8(m), count: 3000 + m),
             symbols: (0..<60).map { "a_rather_long_exported_function_name_\(m)_\($0)" })
        }
        let bytes = try ArchiveWriter.write(members: members)
        let directory = try LibraryTestSupport.temporaryDirectory("release-pages")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("big.lib").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let file = try MappedFile(path: path)
        let archive = try Archive(view: file.view, readsMembers: false)
        #expect(archive.linkerMembers.count == 2)
        // The directory spans several pages, so whole pages are given back.
        #expect(archive.linkerMembers.allSatisfy { $0.count > 3 * 4096 })
        let namesBefore = archive.symbolTable.map { archive.symbolName($0) }
        let membersBefore = try (0..<archive.memberCount).map { try Array(archive.member($0).data.bytes(0, archive.member($0).data.count)) }
        for member in archive.linkerMembers { file.releaseResidentPages(member.offset..<member.offset + member.count) }
        #expect(archive.symbolTable.map { archive.symbolName($0) } == namesBefore)
        #expect(namesBefore.count == 40 * 60 && namesBefore.first == "a_rather_long_exported_function_name_0_0")
        let membersAfter = try (0..<archive.memberCount).map { try Array(archive.member($0).data.bytes(0, archive.member($0).data.count)) }
        #expect(membersAfter == membersBefore)
        #expect(membersAfter[39] == [UInt8](repeating: 39, count: 3039))
    }

    /// A linker reads archives without their members (`readsMembers: false`) and asks for each
    /// member it loads: every member must read the same as the eager reading gives it, and a bad
    /// name is still an error, when the member is asked for.
    @Test func membersReadOnDemandEqualEagerOnes() throws {
        var archives: [(label: String, view: ByteView)] = []
        let plain = try ArchiveWriter.write(members: [(name: "a.obj", data: [1, 2, 3], symbols: ["f"]),
                                                      (name: "a-member-with-a-long-name.obj", data: [4, 5], symbols: ["g", "h"])])
        archives.append(("msvc", try LibraryTestSupport.view(plain)))
        let thin = try ArchiveWriter.write(members: [(name: "sub/a.obj", data: [1, 2, 3], symbols: ["f"]),
                                                     (name: "b.obj", data: [4, 5], symbols: ["g"])], thin: true)
        archives.append(("thin", try LibraryTestSupport.view(thin)))
        for path in ["/usr/x86_64-w64-mingw32/lib/libkernel32.a", "/usr/x86_64-w64-mingw32/lib/libmingwex.a"]
        where FileManager.default.fileExists(atPath: path) {
            archives.append((path, try MappedFile(path: path).view))
        }
        for (label, view) in archives {
            let eager = try Archive(view: view)
            let lazy = try Archive(view: view, readsMembers: false)
            #expect(lazy.members.isEmpty, "\(label)")
            #expect(lazy.memberCount == eager.members.count && lazy.memberHeaderOffsets == eager.members.map(\.headerOffset), "\(label)")
            #expect(lazy.symbolTable.map(\.memberIndex) == eager.symbolTable.map(\.memberIndex), "\(label)")
            for index in eager.members.indices {
                let member = try lazy.member(index)
                let expected = eager.members[index]
                #expect(member.name == expected.name && member.headerOffset == expected.headerOffset
                        && member.data.offset == expected.data.offset && member.data.count == expected.data.count
                        && member.externalSize == expected.externalSize, "\(label) member \(index)")
                #expect(lazy.memberName(index) == expected.name)
            }
        }
        // A long-name reference past the longnames member: found when the member is read.
        let longNames = Array("abc/\n".utf8) + [0x0A]
        let bad = try LibraryTestSupport.view(magic + memberHeader(name: "//", size: "6") + longNames + memberHeader(name: "/40", size: "0"))
        let lazy = try Archive(view: bad, readsMembers: false)
        #expect(lazy.memberCount == 1)
        #expect(throws: FormatError.self) { try lazy.member(0) }
        #expect(lazy.memberName(0).hasPrefix("member at 0x"))
        // A linker member after a regular one is an error either way.
        let lateTable = magic + memberHeader(name: "a.obj/", size: "2") + [1, 2] + memberHeader(name: "/", size: "4") + [0, 0, 0, 0]
        #expect(throws: FormatError.self) { try Archive(view: LibraryTestSupport.view(lateTable)) }
        #expect(throws: FormatError.self) { try Archive(view: LibraryTestSupport.view(lateTable), readsMembers: false) }
        // A long name used before the longnames member is an error either way, on demand when read.
        let early = magic + memberHeader(name: "/0", size: "0") + memberHeader(name: "//", size: "6") + longNames
        #expect(throws: FormatError.self) { try Archive(view: LibraryTestSupport.view(early)) }
        let earlyLazy = try Archive(view: LibraryTestSupport.view(early), readsMembers: false)
        #expect(throws: FormatError.self) { try earlyLazy.member(0) }
    }

    @Test func readsLLDLinkStaticLibrary() throws {
        guard let clang = LibraryTestSupport.requireTool("clang"), let lldLink = LibraryTestSupport.requireTool("lld-link") else { return }
        let directory = try LibraryTestSupport.temporaryDirectory("archive-msvc")
        defer { try? FileManager.default.removeItem(at: directory) }
        let objects = try LibraryTestSupport.compileObjects(in: directory, clang: clang)
        try LibraryTestSupport.run(lldLink, ["/lib", "/out:msvc.lib", objects.short, objects.long], in: directory)
        let archive = try Archive(view: MappedFile(path: directory.appendingPathComponent("msvc.lib").path).view)
        #expect(archive.layout == .msvc)
        try checkTwoObjectArchive(archive, longName: objects.long, directory: directory)
        // The second linker member lists names sorted.
        let names = archive.symbols.map(\.name)
        #expect(names == names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
    }
}

@Suite struct ArchiveWriterTests {
    @Test func roundTripsThroughTheReader() throws {
        let members: [(name: String, data: [UInt8], symbols: [String])] = [
            ("short.obj", [1, 2, 3], ["zeta", "alpha"]),
            ("a_rather_long_member_name.obj", [4, 5], ["beta", "alpha"]),  // "alpha" again: listed once
            ("nosymbols.obj", [], []),
            ("dir/name.obj", [6], ["gamma"]),
        ]
        let bytes = try ArchiveWriter.write(members: members)
        let archive = try Archive(view: LibraryTestSupport.view(bytes))
        #expect(archive.layout == .msvc)
        #expect(archive.members.map(\.name) == members.map(\.name))
        #expect(archive.members.map { $0.data.toArray() } == members.map(\.data))
        #expect(archive.symbols.map(\.name) == ["alpha", "beta", "gamma", "zeta"])
        #expect(archive.symbols.map(\.memberIndex) == [0, 1, 3, 0])
        #expect(archive.members.allSatisfy { $0.headerOffset % 2 == 0 })
        for member in archive.members {
            #expect(archive.memberIndex(headerOffset: member.headerOffset).map { archive.members[$0].name } == member.name)
        }
    }

    /// Members sharing a long name share its longnames entry (LLVM's writer does the same);
    /// a thin archive names every member on its own.
    @Test func membersShareLongNames() throws {
        let long = "a_rather_long_member_name.obj"
        let members: [(name: String, data: [UInt8], symbols: [String])] = [
            (long, [1], ["f"]), ("other_long_member_name.obj", [2], ["g"]), (long, [3], ["h"]), ("x.obj", [4], []),
        ]
        let bytes = try ArchiveWriter.write(members: members)
        let archive = try Archive(view: LibraryTestSupport.view(bytes))
        #expect(archive.members.map(\.name) == members.map(\.name))
        let nameFields = archive.members.map { String(decoding: bytes[$0.headerOffset..<($0.headerOffset + 16)], as: UTF8.self) }
        #expect(nameFields == ["/0              ", "/30             ", "/0              ", "x.obj/          "])
        let thin = try Archive(view: LibraryTestSupport.view(try ArchiveWriter.write(members: members, thin: true)))
        #expect(thin.members.map(\.name) == members.map(\.name))
        #expect(Set(thin.members.map(\.headerOffset)).count == 4)
    }

    @Test func emptyArchiveHasEmptyLinkerMembers() throws {
        let bytes = try ArchiveWriter.write(members: [])
        let archive = try Archive(view: LibraryTestSupport.view(bytes))
        #expect(archive.members.isEmpty && archive.symbols.isEmpty)
    }

    @Test func rejectsUnrepresentableArchives() {
        #expect(throws: FormatError.self) { try ArchiveWriter.write(members: [("", [], [])]) }
        #expect(throws: FormatError.self) { try ArchiveWriter.write(members: [("a.obj", [], ["bad\u{0}name"])]) }
    }

    /// lld-link /lib writes its members in the reverse of the command-line order; given the same
    /// order and symbol lists, the archives must be identical, including the longnames member,
    /// its odd-length padding and a symbol defined twice.
    @Test func staticLibraryMatchesLLDLink() throws {
        guard let clang = LibraryTestSupport.requireTool("clang"), let lldLink = LibraryTestSupport.requireTool("lld-link"),
              let nm = LibraryTestSupport.requireTool("llvm-nm") else { return }
        let directory = try LibraryTestSupport.temporaryDirectory("archive-writer")
        defer { try? FileManager.default.removeItem(at: directory) }
        let objects = try LibraryTestSupport.compileObjects(in: directory, clang: clang)
        try FileManager.default.copyItem(at: directory.appendingPathComponent(objects.short),
                                         to: directory.appendingPathComponent("duplicate.obj"))
        try FileManager.default.copyItem(at: directory.appendingPathComponent(objects.long),
                                         to: directory.appendingPathComponent("exactly16chars.o"))
        let inputs = [objects.long, "duplicate.obj", objects.short, "exactly16chars.o"]
        try LibraryTestSupport.run(lldLink, ["/lib", "/out:ref.lib"] + inputs, in: directory)
        let reference = try LibraryTestSupport.bytes(of: directory.appendingPathComponent("ref.lib"))

        var members: [(name: String, data: [UInt8], symbols: [String])] = []
        for input in inputs.reversed() {
            let symbols = try LibraryTestSupport.run(nm, ["-p", "-j", "--defined-only", "--extern-only", input], in: directory)
                .split(separator: "\n").map(String.init)
            members.append((input, try LibraryTestSupport.bytes(of: directory.appendingPathComponent(input)), symbols))
        }
        let ours = try ArchiveWriter.write(members: members)
        #expect(ours.count == reference.count)
        #expect(ours == reference)
    }
}

/// Damaged libraries must produce errors, never traps or hangs.
@Suite struct ArchiveRobustnessTests {
    /// A small deterministic generator (xorshift) so failures reproduce.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    private func readEverything(_ bytes: [UInt8]) {
        guard let archive = try? Archive(view: LibraryTestSupport.view(bytes)) else { return }
        for member in archive.members where ImportObject.isImportObject(member.data) {
            if let object = try? ImportObject(view: member.data) { _ = object.importName }
        }
    }

    private func sampleLibrary() throws -> [UInt8] {
        try ImportLibraryWriter.write(dllName: "sample.dll", machine: .i386, entries: [
            ImportLibraryEntry(name: "f"), ImportLibraryEntry(name: "g@4", isData: true),
            ImportLibraryEntry(name: "h", ordinal: 3, noName: true), ImportLibraryEntry(name: "i", exportAs: "j"),
        ])
    }

    @Test func everyTruncationIsHandled() throws {
        let library = try sampleLibrary()
        for length in 0..<library.count { readEverything(Array(library.prefix(length))) }
    }

    @Test func randomByteDamageIsHandled() throws {
        let library = try sampleLibrary()
        var generator = Generator(state: 0x9E37_79B9_7F4A_7C15)
        for _ in 0..<3000 {
            var damaged = library
            for _ in 0..<(1 + Int(generator.next() % 3)) {
                let position = Int(generator.next() % UInt64(damaged.count))
                damaged[position] = UInt8(truncatingIfNeeded: generator.next())
            }
            readEverything(damaged)
        }
    }
}
