// `/abilock:FILE` (GNU: --abi-lock=FILE): the exports of the image being linked, compared with
// the export list locked in FILE before anything is written. A change that breaks importers fails
// the link (a warning with /abilock:warn); additions and other compatible changes are notes;
// /abilock:update rewrites FILE with this link's exports, staged with the link's other outputs so
// that a failed link leaves it as it was.

import Foundation
import PEFormat

extension Linker {
    /// The export list importers see, as this link makes it. `ordinals` says which ordinals to
    /// give: `.actual`, every export's, to compare; `.promised`, only those importers may bind to
    /// (given explicitly, or NONAME), to record in the lock file, so that adding an export does
    /// not move every ordinal the linker assigned by name order.
    enum ABIOrdinals { case actual, promised }

    func exportABI(_ exports: [ExportEntry], ordinals: ABIOrdinals) -> ExportABI {
        ExportABI(kind: .link, entries: exports.map { entry in
            let r = entry.request
            let ordinal: UInt32? = ordinals == .actual || r.ordinal != nil || r.noName ? UInt32(entry.ordinal) : nil
            return ExportABIEntry(name: r.name, ordinal: ordinal, isNoName: r.noName, isData: r.isData, forwarder: r.forwardTo,
                                  isPrivate: r.isPrivate)
        })
    }

    /// Checks the link's exports against the lock file; returns the file to write when
    /// /abilock:update changes it.
    /// `resolver` is nil for a link of a .def alone (only the import library is written).
    mutating func checkABILock(_ exports: [ExportEntry], _ resolver: SymbolResolver?) -> (path: String, bytes: [UInt8])? {
        guard let path = options.abiLockPath else { return nil }
        let gnu = options.gnuCommandLine
        let updateOption = gnu ? "--abi-lock-update" : "/abilock:update"
        let label = "ABI lock \(path)"
        if let resolver, hasLiteralExportTable(resolver) {
            diagnostics.warning("\(label): the export table is the objects' own .edata, which \(gnu ? "--abi-lock" : "/abilock") does not read; not checked")
            return nil
        }
        let newText = ABILockFile.text(exportABI(exports, ordinals: .promised))
        var oldText: String?
        if FileManager.default.fileExists(atPath: path) {
            do {
                let file = try MappedFile(path: path)
                oldText = withExtendedLifetime(file) { String(decoding: file.bytes, as: UTF8.self) }
            } catch {
                diagnostics.error("\(label): \(error)")
                return nil
            }
        }
        guard let oldText else {
            if options.abiLockMode == .update {
                diagnostics.note("note: \(label): created with \(exports.count) export\(exports.count == 1 ? "" : "s")")
                return (path, Array(newText.utf8))
            }
            diagnostics.error("\(label) does not exist; link once with \(updateOption) to create it from this link's exports")
            return nil
        }
        let locked: ExportABI
        do { locked = try ABILockFile.parse(text: oldText, path: path) } catch {
            // Updating replaces the list whatever the old file held.
            if options.abiLockMode == .update {
                diagnostics.note("note: \(label): replaced; the old file could not be read: \(error)")
                return (path, Array(newText.utf8))
            }
            diagnostics.error("\(error)")
            return nil
        }
        let changes = ExportABI.diff(old: locked, new: exportABI(exports, ordinals: .actual))
        switch options.abiLockMode {
        case .update:
            for change in changes { diagnostics.note("note: \(label): \(change) (recorded by \(updateOption))") }
            return oldText == newText ? nil : (path, Array(newText.utf8))
        case .enforce, .warn:
            let breaks = changes.filter(\.isBreaking)
            for change in breaks {
                if options.abiLockMode == .warn { diagnostics.warning("\(label): \(change)") } else { diagnostics.error("\(label): \(change)") }
            }
            for change in changes where !change.isBreaking { diagnostics.note("note: \(label): \(change)") }
            if !breaks.isEmpty && options.abiLockMode == .enforce {
                diagnostics.note("note: \(label): \(breaks.count) change\(breaks.count == 1 ? "" : "s") would break importers; if intended, link with \(updateOption) to accept \(breaks.count == 1 ? "it" : "them")")
            }
            return nil
        }
    }
}
