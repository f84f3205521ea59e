import Foundation
import PEFormat

/// The side-by-side manifest (/manifest and the options around it): made from the UAC level,
/// the dependencies the command line and .drectve ask for, and /manifestinput files merged in;
/// embedded as an RT_MANIFEST resource or written beside the image.
extension Linker {
    static let manifestResourceType: UInt16 = 24     // RT_MANIFEST
    static let manifestLanguage: UInt16 = 1033       // en-US, as link.exe and lld-link embed it

    /// What /manifest asks, with link.exe's default: a side-by-side manifest only when some
    /// dependency is asked for.
    func manifestKind(dependencies: [String]) -> LinkOptions.ManifestKind {
        options.manifest ?? (dependencies.isEmpty ? .no : .sideBySide)
    }

    /// The manifest as a resource entry when it is to be embedded (and, for a side-by-side one,
    /// sets `sideBySideManifest`); errors go to `diagnostics`.
    mutating func embeddedManifest(_ resolver: SymbolResolver) -> [ResourceEntry] {
        var dependencies = options.manifestDependencies
        for d in resolver.directiveManifestDependencies where !dependencies.contains(d) { dependencies.append(d) }
        let kind = manifestKind(dependencies: dependencies)
        if !options.manifestInputs.isEmpty {
            guard case .embed = kind else {
                resolver.diagnostics.error("/manifestinput: needs /manifest:embed (the files are merged into the embedded manifest)")
                return []
            }
        }
        guard kind != .no else { return [] }
        let text: String
        do {
            text = try manifestDocument(dependencies: dependencies)
        } catch {
            resolver.diagnostics.error("\(error)")
            return []
        }
        switch kind {
        case .embed(let id):
            let resourceID = id ?? (options.isDLL ? 2 : 1)
            return [ResourceEntry(type: .id(Self.manifestResourceType), name: .id(resourceID), language: Self.manifestLanguage,
                                  data: Array(text.utf8), source: "the manifest")]
        default:
            sideBySideManifest = (options.manifestFile ?? outputPath + ".manifest", Array(text.utf8))
            return []
        }
    }

    /// The manifest's XML: pelink's own part, then each /manifestinput merged in.
    func manifestDocument(dependencies: [String]) throws -> String {
        var root = ManifestElement("assembly", [ManifestAttribute(name: "xmlns", value: "urn:schemas-microsoft-com:asm.v1"),
                                                ManifestAttribute(name: "manifestVersion", value: "1.0")])
        // An EXE states its UAC level unless told not to; a DLL only when /manifestuac: gives one.
        var uac: [ManifestAttribute]?
        switch options.manifestUAC {
        case nil: uac = options.isDLL ? nil : []
        case ""?: uac = nil
        case let fragment?: uac = try Manifest.parseAttributes(fragment, file: "/manifestuac")
        }
        if var level = uac {
            if !level.contains(where: { $0.name == "level" }) { level.insert(ManifestAttribute(name: "level", value: "asInvoker"), at: 0) }
            if !level.contains(where: { $0.name == "uiAccess" }) { level.append(ManifestAttribute(name: "uiAccess", value: "false")) }
            root.children.append(ManifestElement("trustInfo", [ManifestAttribute(name: "xmlns", value: "urn:schemas-microsoft-com:asm.v3")], children: [
                ManifestElement("security", children: [
                    ManifestElement("requestedPrivileges", children: [ManifestElement("requestedExecutionLevel", level)]),
                ]),
            ]))
        }
        for dependency in dependencies {
            let identity = try Manifest.parseAttributes(dependency, file: "/manifestdependency:\(dependency)")
            root.children.append(ManifestElement("dependency", children: [
                ManifestElement("dependentAssembly", children: [ManifestElement("assemblyIdentity", identity)]),
            ]))
        }
        for path in options.manifestInputs {
            let bytes: [UInt8]
            do { bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path))) } catch {
                throw ManifestError(file: path, message: "cannot read the manifest input: \(error.localizedDescription)")
            }
            do {
                try Manifest.merge(try Manifest.parse(bytes, file: path), into: &root, otherSource: path,
                                   baseSource: "the manifest made from the command line and earlier inputs")
            } catch var error as ManifestError where error.message.contains("<requestedExecutionLevel>") {
                error.message += " (or give /manifestuac:no to take the input's UAC level)"
                throw error
            }
        }
        return root.document()
    }
}
