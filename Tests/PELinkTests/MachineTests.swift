import Foundation
import Testing
import PEFormat
@testable import PELink

/// x86 and ARM64 links beyond the golden cases: compiler drivers calling pelink as their linker,
/// the GNU flavor's x86 options, the SAFESEH default, the librarian, and links that mix machines.
@Suite("x86 and ARM64")
struct MachineTests {
    /// Compiles `source` for `target` into `folder/name`; nil (with an issue) when clang fails.
    static func compile(_ clang: String, target: String, _ source: String, in folder: URL, name: String,
                        extra: [String] = []) throws -> String? {
        let sourcePath = folder.appendingPathComponent(name + ".c")
        try source.write(to: sourcePath, atomically: true, encoding: .utf8)
        let objectPath = folder.appendingPathComponent(name + ".obj").path
        let run = try runProcess(clang, ["--target=" + target, "-c", "-O1", sourcePath.path, "-o", objectPath] + extra)
        guard run.exitCode == 0 else {
            Issue.record("clang --target=\(target) failed: \(run.stderr)")
            return nil
        }
        return objectPath
    }

    static func image(_ path: URL) throws -> PEImage {
        try PEImage(view: try MappedFile(path: path.path).view)
    }

    static func exportNames(_ image: PEImage) -> Set<String> {
        Set((image.exports?.entries ?? []).flatMap(\.names))
    }

    /// A folder with `name` → pelink, for a compiler driver's -B.
    static func linkerFolder(_ base: URL, as name: String) throws -> String? {
        guard let pelink = pelinkExecutable else {
            Issue.record("the pelink executable was not found beside \(CommandLine.arguments[0])")
            return nil
        }
        let folder = base.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent(name).path, withDestinationPath: pelink)
        return folder.path
    }

    /// `clang --target=i686-pc-windows-msvc` and `aarch64-pc-windows-msvc` with `-fuse-ld=lld`
    /// run `lld-link`: with pelink in its place they get a DLL for their machine.
    @Test("clang's MSVC drivers for x86 and ARM64 link with pelink as lld-link", arguments: [
        ("i686-pc-windows-msvc", Machine.i386, ["_sa@4", "counter"]),
        ("aarch64-pc-windows-msvc", Machine.arm64, ["sa", "counter"]),
    ])
    func msvcDriverLinks(_ target: String, _ machine: Machine, _ expectedExports: [String]) throws {
        guard let clang = requireTool("clang") else { return }
        let folder = try makeTemporaryDirectory("msvc-driver-\(machine.optionName)")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard let bin = try Self.linkerFolder(folder, as: "lld-link") else { return }
        let source = folder.appendingPathComponent("d.c")
        try "__declspec(dllexport) int __stdcall sa(int a) { return a + 1; }\n__declspec(dllexport) int counter = 7;\n"
            .write(to: source, atomically: true, encoding: .utf8)
        let run = try runProcess(clang, ["--target=" + target, "-fuse-ld=lld", "-B", bin, "-nostdlib", "-shared", "-Wl,/noentry",
                                         source.path, "-o", "d.dll"], currentDirectory: folder.path)
        #expect(run.exitCode == 0, "clang failed:\n\(run.stderr)")
        guard run.exitCode == 0 else { return }
        let dll = try Self.image(folder.appendingPathComponent("d.dll"))
        #expect(dll.machine == machine)
        #expect(dll.is64Bit == (machine != .i386))
        #expect(Self.exportNames(dll) == Set(expectedExports))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("d.lib").path), "no import library")
    }

    /// The GNU flavor for ARM64 (`-m arm64pe`), as clang's aarch64-w64-mingw32 driver calls
    /// ld.lld: GNU export names (no decoration) and the ARM64 machine.
    @Test("GNU ld flavor with -m arm64pe")
    func gnuARM64() throws {
        guard let clang = requireTool("clang") else { return }
        let folder = try makeTemporaryDirectory("gnu-arm64")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard let object = try Self.compile(clang, target: "aarch64-w64-mingw32", """
            __declspec(dllexport) int twice(int x) { return 2 * x; }
            int helper(int x) { return x + 1; }
            int (*pointer)(int) = helper;
            """, in: folder, name: "a") else { return }
        let dll = folder.appendingPathComponent("a.dll")
        let result = Driver.run(arguments: ["-m", "arm64pe", "--shared", "-e", "", "-o", dll.path, "--out-implib",
                                            folder.appendingPathComponent("liba.dll.a").path, object], programName: "ld.lld")
        #expect(result.exitCode == 0, "\(result.diagnostics)")
        guard result.exitCode == 0 else { return }
        let image = try Self.image(dll)
        #expect(image.machine == .arm64)
        #expect(Self.exportNames(image) == ["twice"])
        // The function pointer in .data moves with the image: one DIR64 base relocation.
        #expect(image.baseRelocations.contains { $0.type == BaseRelocationType.dir64 })
    }

    /// GNU ld's x86 export options: --kill-at, --add-stdcall-alias, and the stdcall fixup that
    /// resolves an undecorated reference to a decorated definition (warned unless enabled).
    @Test("GNU ld x86: --kill-at, --add-stdcall-alias and stdcall fixup")
    func gnuStdcallOptions() throws {
        guard let clang = requireTool("clang") else { return }
        let folder = try makeTemporaryDirectory("gnu-stdcall")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard let object = try Self.compile(clang, target: "i686-w64-mingw32", """
            __declspec(dllexport) int __stdcall add2(int a, int b) { return a + b; }
            __declspec(dllexport) int plain(int a) { return a; }
            """, in: folder, name: "s"),
            // Calls `_add2` without its decoration, as code without a prototype does.
            let caller = try Self.compile(clang, target: "i686-w64-mingw32", """
            extern int add2(int, int);
            __declspec(dllexport) int call_add2(void) { return add2(1, 2); }
            """, in: folder, name: "c") else { return }
        func link(_ extra: [String], _ name: String) throws -> (DriverResult, PEImage?) {
            let dll = folder.appendingPathComponent(name + ".dll")
            let result = Driver.run(arguments: ["-m", "i386pe", "--shared", "-e", "", "-o", dll.path] + extra + [object, caller],
                                    programName: "ld.lld")
            return (result, result.exitCode == 0 ? try Self.image(dll) : nil)
        }
        let (plainRun, plain) = try link([], "plain")
        #expect(plainRun.exitCode == 0, "\(plainRun.diagnostics)")
        #expect(plain.map(Self.exportNames) == ["add2@8", "plain", "call_add2"])
        #expect(plainRun.diagnostics.contains("resolving _add2 by linking to _add2@8"), "\(plainRun.diagnostics)")

        let (quietRun, _) = try link(["--enable-stdcall-fixup"], "quiet")
        #expect(quietRun.exitCode == 0 && !quietRun.diagnostics.contains("resolving"), "\(quietRun.diagnostics)")

        let (strictRun, _) = try link(["--disable-stdcall-fixup"], "strict")
        #expect(strictRun.exitCode != 0 && strictRun.diagnostics.contains("undefined symbol: _add2"), "\(strictRun.diagnostics)")

        let (killRun, killed) = try link(["--kill-at", "--enable-stdcall-fixup"], "killed")
        #expect(killRun.exitCode == 0, "\(killRun.diagnostics)")
        #expect(killed.map(Self.exportNames) == ["add2", "plain", "call_add2"])

        let (aliasRun, aliased) = try link(["--add-stdcall-alias", "--enable-stdcall-fixup"], "aliased")
        #expect(aliasRun.exitCode == 0, "\(aliasRun.diagnostics)")
        let aliasedExports = aliased?.exports?.entries ?? []
        #expect(Set(aliasedExports.flatMap(\.names)) == ["add2@8", "add2", "plain", "call_add2"])
        // Both names are one function.
        let rvas = Set(aliasedExports.filter { $0.names.contains("add2") || $0.names.contains("add2@8") }.map(\.rva))
        #expect(rvas.count == 1)
    }

    /// link.exe's SAFESEH default: a handler table when every object with code has one, no table
    /// (and no error) otherwise; /safeseh:no never makes one.
    @Test("x86 SAFESEH: the default table, /safeseh:no, and objects without handler information")
    func safeSEHDefault() throws {
        let folder = GoldenCase.inputsFolder.appendingPathComponent("x86-safeseh")
        let arguments = try GoldenCase(name: "x86-safeseh").arguments.filter { $0.lowercased() != "/safeseh" }
        let output = try makeTemporaryDirectory("safeseh-default")
        defer { try? FileManager.default.removeItem(at: output) }
        func link(_ extra: [String], _ name: String) throws -> PEImage? {
            let dll = output.appendingPathComponent(name + ".dll")
            let result = Driver.run(arguments: arguments.map { $0.hasSuffix(".obj") || $0.hasSuffix(".lib") ? folder.appendingPathComponent($0).path : $0 }
                                    + extra + ["/out:" + dll.path], environment: [:])
            #expect(result.exitCode == 0, "\(result.diagnostics)")
            return result.exitCode == 0 ? try Self.image(dll) : nil
        }
        let byDefault = try link([], "default")
        let handlers = byDefault?.loadConfig?.seHandlerCount ?? 0
        #expect(handlers > 0, "the default link has no SAFESEH table")
        // The same table as lld-link's for the same objects (same layout, so the same RVAs).
        if let lldLink = requireTool("lld-link") {
            let lldDLL = output.appendingPathComponent("lld.dll")
            let run = try runProcess(lldLink, try GoldenCase(name: "x86-safeseh").arguments + ["/out:" + lldDLL.path],
                                     environment: ["LIB": "", "LINK": "", "_LINK_": ""], currentDirectory: folder.path)
            #expect(run.exitCode == 0, "\(run.stderr)")
            let explicit = try link(["/safeseh"], "explicit")
            if run.exitCode == 0 {
                let theirs = try Self.image(lldDLL).loadConfig
                #expect(explicit?.loadConfig?.seHandlers == theirs?.seHandlers)
                #expect(explicit?.loadConfig?.seHandlerTable == theirs?.seHandlerTable)
                #expect(byDefault?.loadConfig?.seHandlers == theirs?.seHandlers)
            }
        }
        let without = try link(["/safeseh:no"], "without")
        #expect(without?.loadConfig?.seHandlerCount == 0)
        #expect(without?.loadConfig?.seHandlerTable == 0)
    }

    /// Every object must be for the machine of the link: a clear error naming the object.
    @Test("an x86 object in an ARM64 link is an error naming it", arguments: [("i686-pc-windows-msvc", "aarch64-pc-windows-msvc")])
    func mixedMachines(_ first: String, _ second: String) throws {
        guard let clang = requireTool("clang") else { return }
        let folder = try makeTemporaryDirectory("mixed")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard let a = try Self.compile(clang, target: second, "int a(void) { return 1; }", in: folder, name: "a"),
              let b = try Self.compile(clang, target: first, "int b(void) { return 2; }", in: folder, name: "b") else { return }
        let out = folder.appendingPathComponent("m.dll")
        let result = Driver.run(arguments: ["/dll", "/noentry", a, b, "/out:" + out.path], environment: [:])
        #expect(result.exitCode != 0)
        #expect(result.diagnostics.contains("b.obj") && result.diagnostics.contains("machine type x86 conflicts with arm64"),
                "\(result.diagnostics)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    /// A 32-bit image lies below 4 GiB: a base beyond it (the x64 default, say) is an error, not a
    /// truncated header field.
    @Test("an x86 image based beyond 4 GiB is an error")
    func x86BaseBeyond4GiB() throws {
        guard let clang = requireTool("clang") else { return }
        let folder = try makeTemporaryDirectory("x86-base")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard let object = try Self.compile(clang, target: "i686-pc-windows-msvc", "int f(void) { return 1; }", in: folder, name: "f") else { return }
        let out = folder.appendingPathComponent("f.dll")
        let result = Driver.run(arguments: ["/dll", "/noentry", "/base:0x180000000", object, "/out:" + out.path], environment: [:])
        #expect(result.exitCode != 0)
        #expect(result.diagnostics.contains("/base:0x180000000 is beyond 4 GiB"), "\(result.diagnostics)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    /// The librarian takes x86 and ARM64 objects: the archive's symbol index lists their
    /// (decorated) symbols, as llvm-nm reads them.
    @Test("pelink /lib with x86 and ARM64 objects", arguments: [("i686-pc-windows-msvc", "_sa@4"), ("aarch64-pc-windows-msvc", "sa")])
    func librarian(_ target: String, _ symbol: String) throws {
        guard let clang = requireTool("clang"), let nm = requireTool("llvm-nm") else { return }
        let folder = try makeTemporaryDirectory("lib-\(target)")
        defer { try? FileManager.default.removeItem(at: folder) }
        guard let object = try Self.compile(clang, target: target, "int __stdcall sa(int a) { return a + 1; }", in: folder, name: "o") else { return }
        let library = folder.appendingPathComponent("o.lib").path
        let result = Driver.run(arguments: ["/lib", "/out:" + library, object], environment: [:])
        #expect(result.exitCode == 0, "\(result.diagnostics)")
        let listing = try runProcess(nm, ["--print-armap", library])
        #expect(listing.exitCode == 0)
        #expect(listing.stdout.contains(symbol), "\(listing.stdout)")
    }
}
