// Manifests and resources in linked images, compared with lld-link's: the resource tree that
// `llvm-readobj --coff-resources` lists, and each manifest's XML (compared as elements and
// attributes: the two linkers lay the text out differently). Side-by-side manifests on disk.
// And under Wine: an EXE's embedded manifest is what the loader uses (Common Controls 6).

import Foundation
import PEFormat
import PELink
import Testing

@Suite("Manifests and resources against lld-link and Wine")
struct ManifestTests {
    /// One resource as `llvm-readobj --coff-resources` lists it.
    struct Leaf: Equatable, CustomStringConvertible {
        var type = "", name = "", language = ""
        var rva: UInt32 = 0
        var size = 0
        var description: String { "\(type)/\(name)/\(language) (\(size) bytes)" }
        var isManifest: Bool { type == "MANIFEST (ID 24)" }
    }

    static func leaves(_ image: URL, readobj: String) throws -> [Leaf] {
        let run = try runProcess(readobj, ["--coff-resources", image.path])
        guard run.exitCode == 0 else { throw OracleDifference("llvm-readobj --coff-resources \(image.path): \(run.stderr)") }
        var leaves: [Leaf] = []
        var current = Leaf()
        for rawLine in run.stdout.split(separator: "\n") {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            func value(_ key: String) -> String? {
                line.hasPrefix(key) ? String(line.dropFirst(key.count).trimmingCharacters(in: CharacterSet(charactersIn: " ["))) : nil
            }
            if let v = value("Type:") { current.type = v }
            else if let v = value("Name:") { current.name = v }
            else if let v = value("Language:") { current.language = v }
            else if let v = value("DataRVA:"), let rva = UInt32(v.dropFirst(2), radix: 16) { current.rva = rva }
            else if let v = value("DataSize:"), let size = Int(v) {
                current.size = size
                leaves.append(current)
            }
        }
        return leaves
    }

    /// The manifest bytes of an image's RT_MANIFEST resource, parsed.
    static func manifest(of leaf: Leaf, in image: URL) throws -> ManifestElement {
        let file = try MappedFile(path: image.path)
        let pe = try PEImage(view: file.view)
        let bytes = try pe.bytes(atRVA: leaf.rva, count: leaf.size, what: "manifest")
        return try Manifest.parse((0..<bytes.count).map { bytes.u8($0) }, file: image.lastPathComponent)
    }

    /// The same elements and attributes, whatever the quotes, indentation and attribute order.
    /// An element repeated word for word among its siblings counts once: when two inputs name the
    /// same dependency or supportedOS, pelink keeps one (as mt.exe does) and lld-link keeps both.
    static func canonical(_ element: ManifestElement) -> String {
        let attributes = element.attributes.map { "\($0.name)=\($0.value)" }.sorted().joined(separator: " ")
        var children: [String] = []
        for child in element.children.map(canonical) where !children.contains(child) { children.append(child) }
        return "<\(element.name) \(attributes)>\(element.text)" + children.joined() + "</\(element.name)>"
    }

    static let cases = GoldenCase.okNames.filter { $0.contains("manifest") || $0.hasPrefix("resources") }

    @Test("resource trees and embedded manifests match lld-link's", arguments: cases)
    func resourcesMatchLLDLink(_ name: String) throws {
        guard let readobj = requireTool("llvm-readobj") else { return }
        let temporary = try makeTemporaryDirectory("manifest-\(name)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        guard let links = try OracleTests.linkBoth(name, in: temporary) else { return }
        let ours = try Self.leaves(links.pelinkDLL, readobj: readobj)
        let theirs = try Self.leaves(links.lldDLL, readobj: readobj)
        #expect(!ours.isEmpty, "pelink's image has no resources")
        // Sizes agree except for manifests, whose text each linker writes its own way.
        func shape(_ leaves: [Leaf]) -> [String] { leaves.map { $0.isManifest ? "\($0.type)/\($0.name)/\($0.language)" : $0.description } }
        #expect(shape(ours) == shape(theirs), "resources: pelink \(ours), lld-link \(theirs)")
        for (mine, other) in zip(ours, theirs) where mine.isManifest && other.isManifest {
            let ourXML = Self.canonical(try Self.manifest(of: mine, in: links.pelinkDLL))
            let theirXML = Self.canonical(try Self.manifest(of: other, in: links.lldDLL))
            #expect(ourXML == theirXML, "manifest \(mine.name):\n  pelink:   \(ourXML)\n  lld-link: \(theirXML)")
        }
    }

    @Test("every prefix and every single-byte change of a manifest parses or fails with a line, never traps")
    func damagedManifestsAreErrors() throws {
        let original = Array(try Data(contentsOf: GoldenCase.inputsFolder.appendingPathComponent("manifest-input/app.manifest")))
        var failures = 0
        func attempt(_ bytes: [UInt8]) {
            do { _ = try Manifest.parse(bytes, file: "m") } catch let error as ManifestError {
                failures += 1
                #expect(error.line != nil || error.message.contains("empty"), "no line in: \(error)")
            } catch {
                Issue.record("unexpected error type: \(error)")
            }
        }
        for length in 0..<original.count { attempt(Array(original[..<length])) }
        for position in stride(from: 0, to: original.count, by: 3) {
            for replacement: UInt8 in [0x00, 0x3C, 0x3E, 0x22, 0x27, 0x2F, 0xFF] {
                var damaged = original
                damaged[position] = replacement
                attempt(damaged)
            }
        }
        #expect(failures > original.count / 2, "most damaged manifests must be refused")
        let deep = Array((String(repeating: "<a>", count: 10_000) + String(repeating: "</a>", count: 10_000)).utf8)
        #expect(throws: ManifestError.self) { try Manifest.parse(deep, file: "deep") }
    }

    // MARK: Side-by-side manifests

    static func link(_ arguments: [String], in folder: URL, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let result = Driver.run(arguments: arguments, environment: [:])
        #expect(result.exitCode == 0, "pelink \(arguments.joined(separator: " ")) failed:\n\(result.diagnostics)", sourceLocation: sourceLocation)
        return result.exitCode == 0
    }

    @Test("side-by-side manifests: /manifest, /manifestfile, a .drectve dependency alone, /manifest:no, DLLs")
    func manifestSideBySide() throws {
        guard let lldLink = requireTool("lld-link") else { return }
        let folder = try makeTemporaryDirectory("manifest-side")
        defer { try? FileManager.default.removeItem(at: folder) }
        let exeObject = GoldenCase.inputsFolder.appendingPathComponent("manifest-embed-exe/app.obj").path
        let dllObject = GoldenCase.inputsFolder.appendingPathComponent("manifest-embed-dll/lib.obj").path
        let exe = ["/entry:start", "/subsystem:console", "/machine:x64", exeObject]
        let dependency = "/manifestdependency:type='win32' name='Pelink.Side' version='2.0.0.0'"
        let file = { (name: String) in folder.appendingPathComponent(name).path }
        func parsed(_ path: String) throws -> String {
            ManifestTests.canonical(try Manifest.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path))), file: path))
        }

        // /manifest: NAME.exe.manifest, the same XML as lld-link's.
        guard Self.link(exe + ["/manifest", dependency, "/out:" + file("a.exe")], in: folder) else { return }
        let lld = try runProcess(lldLink, exe + ["/manifest", dependency, "/out:" + file("lld-a.exe")])
        #expect(lld.exitCode == 0, "lld-link: \(lld.stderr)")
        #expect(try parsed(file("a.exe.manifest")) == parsed(file("lld-a.exe.manifest")))
        #expect(try parsed(file("a.exe.manifest")).contains("name='Pelink.Side'") || parsed(file("a.exe.manifest")).contains("name=Pelink.Side"))

        // /manifestfile: names it; no NAME.exe.manifest then.
        guard Self.link(exe + ["/manifest", "/manifestfile:" + file("custom.xml"), "/out:" + file("b.exe")], in: folder) else { return }
        #expect(FileManager.default.fileExists(atPath: file("custom.xml")))
        #expect(!FileManager.default.fileExists(atPath: file("b.exe.manifest")))

        // Without /manifest, the dependency the object's .drectve asks for is enough (link.exe's rule).
        guard Self.link(exe + ["/out:" + file("c.exe")], in: folder) else { return }
        #expect(try parsed(file("c.exe.manifest")).contains("Microsoft.Windows.Common-Controls"))
        // /manifest:no: none, and the image has no manifest resource either.
        guard Self.link(exe + ["/manifest:no", "/out:" + file("d.exe")], in: folder) else { return }
        #expect(!FileManager.default.fileExists(atPath: file("d.exe.manifest")))
        let image = try PEImage(view: try MappedFile(path: file("d.exe")).view)
        #expect(image.directory(.resource) == nil, "/manifest:no wrote a resource directory")

        // A DLL: no UAC part unless asked (link.exe's rule; lld-link adds asInvoker to DLLs too).
        guard Self.link(["/dll", "/noentry", "/machine:x64", dllObject, "/manifest", "/out:" + file("e.dll")], in: folder) else { return }
        let dllManifest = try parsed(file("e.dll.manifest"))
        #expect(!dllManifest.contains("trustInfo") && dllManifest.hasPrefix("<assembly "), "DLL manifest: \(dllManifest)")

        // A failed link writes no manifest.
        let failed = Driver.run(arguments: exe + ["/manifest", "/out:" + file("f.exe"), "/entry:missing"], environment: [:])
        #expect(failed.exitCode != 0)
        #expect(!FileManager.default.fileExists(atPath: file("f.exe.manifest")))
    }

    // MARK: Under Wine

    /// Finds its own manifest resource, loads comctl32.dll and says where it came from: the
    /// side-by-side store (winsxs) when the EXE's manifest activated Common Controls 6, system32
    /// otherwise. (Wine's v6 DllGetVersion still says 5, so the path is the evidence.)
    static let programSource = """
        __declspec(dllimport) void *__stdcall GetStdHandle(unsigned long);
        __declspec(dllimport) int __stdcall WriteFile(void *, const void *, unsigned long, unsigned long *, void *);
        __declspec(dllimport) void *__stdcall LoadLibraryA(const char *);
        __declspec(dllimport) unsigned long __stdcall GetModuleFileNameA(void *, char *, unsigned long);
        __declspec(dllimport) void *__stdcall FindResourceA(void *, const char *, const char *);
        __declspec(dllimport) unsigned long __stdcall SizeofResource(void *, void *);
        __declspec(dllimport) void __stdcall ExitProcess(unsigned);

        static void say(const char *text) {
            unsigned long n = 0, written;
            while (text[n]) n++;
            WriteFile(GetStdHandle((unsigned long)-11), text, n, &written, 0);
        }

        static int contains(const char *text, const char *part) {
            for (; *text; text++) {
                const char *a = text, *b = part;
                while (*b && (*a | 0x20) == (*b | 0x20)) { a++; b++; }
                if (!*b) return 1;
            }
            return 0;
        }

        void start(void) {
            char path[520];
            path[0] = 0;
            void *manifest = FindResourceA(0, (const char *)1, (const char *)24);
            say(manifest && SizeofResource(0, manifest) > 0 ? "manifest resource 1 found\\n" : "no manifest resource 1\\n");
            void *comctl = LoadLibraryA("comctl32.dll");
            if (!comctl || !GetModuleFileNameA(comctl, path, 512)) { say("comctl32.dll not loaded\\n"); ExitProcess(1); }
            say(contains(path, "winsxs") ? "comctl32 from winsxs\\n" : contains(path, "system32") ? "comctl32 from system32\\n" : path);
            ExitProcess(0);
        }
        """

    @Test("Wine uses an embedded manifest: Common Controls 6 from winsxs with it, system32's without")
    func wineUsesTheEmbeddedManifest() throws {
        guard let tools = requireWineTools(.x64) else { return }
        let folder = try makeTemporaryDirectory("manifest-wine")
        defer { removeBuildFolder(folder) }
        let source = folder.appendingPathComponent("comctl_version.c")
        try Self.programSource.write(to: source, atomically: true, encoding: .utf8)
        let object = folder.appendingPathComponent("comctl_version.obj").path
        let compile = try runProcess(tools.clang, WineMachine.x64.msvcCompileFlags + [source.path, "-o", object])
        guard compile.exitCode == 0 else { Issue.record("clang: \(compile.stderr)"); return }
        let definition = folder.appendingPathComponent("kernel32.def")
        try "LIBRARY kernel32.dll\nEXPORTS\nGetStdHandle\nWriteFile\nLoadLibraryA\nGetModuleFileNameA\nFindResourceA\nSizeofResource\nExitProcess\n"
            .write(to: definition, atomically: true, encoding: .utf8)
        let library = folder.appendingPathComponent("kernel32.lib").path
        guard Self.link(["/lib", "/def:" + definition.path, "/machine:x64", "/out:" + library], in: folder) else { return }
        let common = ["/entry:start", "/subsystem:console", "/machine:x64", object, library]
        let commonControls6 = "/manifestdependency:type='win32' name='Microsoft.Windows.Common-Controls' version='6.0.0.0' processorArchitecture='*' publicKeyToken='6595b64144ccf1df' language='*'"
        guard Self.link(common + ["/manifest:embed", commonControls6, "/out:" + folder.appendingPathComponent("with.exe").path], in: folder),
              Self.link(common + ["/manifest:no", "/out:" + folder.appendingPathComponent("without.exe").path], in: folder) else { return }
        try tools.runAndCheck("with.exe", in: folder, expected: ["manifest resource 1 found", "comctl32 from winsxs"],
                              what: "an EXE with an embedded Common Controls 6 manifest")
        try tools.runAndCheck("without.exe", in: folder, expected: ["no manifest resource 1", "comctl32 from system32"],
                              what: "the same EXE without a manifest")
    }
}
