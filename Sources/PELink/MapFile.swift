import Foundation
import PEFormat

// The /map file, in the layout link.exe writes and lld-link reproduces, so that tools and people
// used to reading those maps read pelink's: the output sections' input contributions, the public
// symbols by address, the entry point, the static (file-local) symbols and, with
// /mapinfo:exports, the exports. Built from the laid-out image before the symbols are released.

enum MapFile {
    static func text(_ resolver: SymbolResolver, image: Linker.Image, outputPath: String, options: LinkOptions,
                     unreferenced: [Int32] = [], folded: [(section: Int32, into: Int32)] = []) -> String {
        var out = ""
        let base = ((outputPath as NSString).lastPathComponent as NSString).deletingPathExtension
        out += " \(base)\n\n"
        out += " Timestamp is \(hexDigits(UInt64(options.timestamp), width: 8)) (\(options.reproducibleMode ? "Repro mode" : utcDateText(options.timestamp)))\n\n"
        out += " Preferred load address is \(hexDigits(image.imageBase, width: 16))\n\n"
        out += " Start         Length     Name                   Class\n"
        for line in contributionLines(resolver, image: image) { out += line }
        out += "\n  Address         Publics by Value              Rva+Base               Lib:Object\n\n"
        for line in symbolLines(publicSymbols(resolver, image: image), image: image) { out += line }
        let entry = image.entryRVA == 0 ? (section: 0, offset: UInt32(0)) : sectionAndOffset(image.entryRVA, image: image)
        out += "\n entry point at         \(hexDigits(UInt64(entry.section), width: 4)):\(hexDigits(UInt64(entry.offset), width: 8))\n\n"
        out += " Static symbols\n\n"
        for line in symbolLines(staticSymbols(resolver, image: image), image: image) { out += line }
        if options.mapListsExports {
            out += "\n Exports\n\n  ordinal    name\n\n"
            // In export-name order; the symbol that implements an export comes first, and its
            // exported name follows when that differs.
            for export in image.exportEntries.sorted(by: { $0.request.name.utf8.lexicographicallyPrecedes($1.request.name.utf8) }) {
                let ordinal = String(export.ordinal)
                let request = export.request
                // A forwarder has no symbol; x86 lists it under its decorated name, as lld-link does.
                let implementation = request.forwardTo == nil ? request.symbolName
                    : (image.target.decoratesCNames ? image.target.symbolName(ofUserName: request.name, gnu: options.isGNUFlavor) : request.name)
                out += String(repeating: " ", count: max(0, 9 - ordinal.count)) + ordinal + "    " + implementation + "\n"
                // x86: the name column is the decorated symbol, and a renamed export shows its
                // external name decorated as well (`ext=int` in a .def), as lld-link lists them.
                let target = image.target
                if target.decoratesCNames {
                    if request.forwardTo == nil && target.exportName(ofSymbol: implementation, gnu: options.isGNUFlavor) != request.name {
                        out += "               exported name: \(target.symbolName(ofUserName: request.name, gnu: options.isGNUFlavor))\n"
                    }
                } else if implementation != request.name {
                    out += "               exported name: \(request.name)\n"
                }
            }
        }
        out += removalLines(resolver, unreferenced: unreferenced, folded: folded)
        return out
    }

    // MARK: Removed and folded sections

    /// The COMDAT sections left out of the image, as old link.exe maps marked unreferenced
    /// packaged functions: those /opt:ref removed, and those /opt:icf folded with the one kept
    /// in their place. (lld-link's map has neither list; they come last, after everything its
    /// map holds.) Each is named by its leader symbol, else by its section name.
    private static func removalLines(_ resolver: SymbolResolver, unreferenced: [Int32], folded: [(section: Int32, into: Int32)]) -> String {
        guard !unreferenced.isEmpty || !folded.isEmpty else { return "" }
        let objects = resolver.objects
        var objectOf: [Int32: Int] = [:]
        func objectIndex(_ global: Int32) -> Int {
            if let o = objectOf[global] { return o }
            // Objects are ordered by their first section number.
            var low = 0, high = objects.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if objects[middle].firstSection <= Int(global) { low = middle } else { high = middle - 1 }
            }
            objectOf[global] = low
            return low
        }
        var symbolNames: [Int: [Int32: String]] = [:]
        func label(_ global: Int32) -> (name: String, source: String) {
            let o = objectIndex(global)
            let object = objects[o]
            let s = Int(global) - object.firstSection
            if symbolNames[o] == nil { symbolNames[o] = object.sectionSymbolNames() }
            let name = symbolNames[o]?[Int32(s)] ?? object.name(of: object.sections[s]).string
            return (name, objectLabel(object))
        }
        var out = ""
        if !unreferenced.isEmpty {
            out += "\n Removed by /opt:ref (unreferenced COMDAT sections): \(unreferenced.count)\n\n  Name                                  Lib:Object\n\n"
            for section in unreferenced {
                let (name, source) = label(section)
                out += "  \(padded(name, 37)) \(source)\n"
            }
        }
        if !folded.isEmpty {
            out += "\n Folded by /opt:icf (identical COMDAT sections): \(folded.count)\n\n  Name                                  Lib:Object                    Folded into\n\n"
            for (section, into) in folded.sorted(by: { $0.section < $1.section }) {
                let (name, source) = label(section)
                let kept = label(into)
                out += "  \(padded(name, 37)) \(padded(source, 29)) \(kept.name) (\(kept.source))\n"
            }
        }
        return out
    }

    // MARK: Sections

    /// One line per run of consecutive input sections of the same name in an output section.
    private static func contributionLines(_ resolver: SymbolResolver, image: Linker.Image) -> [String] {
        var lines: [String] = []
        for (index, section) in image.sections.enumerated() {
            // link.exe's class follows the execute permission (code merged into a writable data
            // section is still listed as DATA).
            let className = section.flags.contains(.memExecute) ? "CODE" : "DATA"
            var run: (name: String, start: UInt32, end: UInt32)?
            func flush() {
                guard let current = run else { return }
                lines.append(" \(hexDigits(UInt64(index + 1), width: 4)):\(hexDigits(UInt64(current.start), width: 8)) \(hexDigits(UInt64(current.end - current.start), width: 8))H \(padded(current.name, 23)) \(className)\n")
                run = nil
            }
            for chunk in section.chunks {
                guard case .inputSection(let object, let inputSection) = chunk.content else { flush(); continue }
                let file = resolver.objects[Int(object)]
                let name = file.name(of: file.sections[Int(inputSection)]).string
                let start = chunk.rva - section.rva
                let end = start + UInt32(chunk.size)
                if let current = run, current.name == name {
                    run = (name, current.start, max(current.end, end))
                } else {
                    flush()
                    run = (name, start, end)
                }
            }
            flush()
        }
        return lines
    }

    // MARK: Symbols

    private struct Entry {
        var name: String
        var rva: UInt32
        /// For an absolute symbol: its value (printed in place of the address, in section 0).
        var absoluteValue: UInt64? = nil
        var source: String
        /// Made by the linker (`___ImageBase`, the SAFESEH table): listed in section 0 at its address.
        var isLinkerDefined = false
    }

    private static func publicSymbols(_ resolver: SymbolResolver, image: Linker.Image) -> [Entry] {
        var entries: [Entry] = []
        let names = resolver.names
        for (g, symbol) in resolver.symbols.enumerated() {
            let source: String
            switch symbol.kind {
            case .defined, .common:
                source = objectLabel(resolver.objects[Int(symbol.file)])
            case .importThunk, .importAddress:
                let entry = resolver.imports[Int(symbol.file)]
                // An import /opt:ref left out has no slot to list.
                if !entry.isLive { continue }
                source = libraryLabel(entry.sourcePath) + ":" + entry.dllName
            case .localImport:
                source = "" // the slot is the linker's own, as link.exe lists it
            case .linkerDefined:
                let name = names[g]
                // Plain names resolved to decorated ones (`_f` for `_f@8`) are aliases, not symbols of their own.
                if resolver.decoratedNames[name.string] != nil { continue }
                guard let rva = symbolRVA(resolver, image: image, symbol: Int32(g)) else { continue }
                entries.append(Entry(name: name.string, rva: rva, source: "<linker-defined>", isLinkerDefined: true))
                continue
            case .absolute:
                let name = names[g]
                if name.count > 0 && name.bytes.first == 1 { continue }
                entries.append(Entry(name: name.string, rva: 0, absoluteValue: symbol.value, source: "<absolute>"))
                continue
            default:
                continue
            }
            let name = names[g]
            // Names the linker makes for itself (weak defaults) start with \u{1} and are not symbols of the program.
            if name.count > 0 && name.bytes.first == 1 { continue }
            if !resolver.decoratedNames.isEmpty && resolver.decoratedNames[name.string] != nil { continue }
            guard let rva = symbolRVA(resolver, image: image, symbol: Int32(g)) else { continue }
            entries.append(Entry(name: name.string, rva: rva, source: source))
        }
        return sorted(entries)
    }

    private static func staticSymbols(_ resolver: SymbolResolver, image: Linker.Image) -> [Entry] {
        var entries: [Entry] = []
        for (objectIndex, object) in resolver.objects.enumerated() {
            let coff = object.coff
            let label = objectLabel(object)
            var i = 0
            while i < coff.symbolCount {
                let record = coff.symbol(i)
                defer { i += 1 + Int(record.auxiliaryCount) }
                // Section definition records describe sections, not program symbols.
                guard record.storageClass == StorageClass.static, record.sectionNumber > 0,
                      !(record.value == 0 && record.auxiliaryCount > 0),
                      Int(record.sectionNumber) <= object.sections.count,
                      let nameBytes = try? coff.symbolNameBytes(i), let first = nameBytes.first, first != UInt8(ascii: ".") else { continue }
                let global = image.firstSectionOf[objectIndex] + Int(record.sectionNumber) - 1
                guard image.sectionOutput[global] >= 0 else { continue }
                entries.append(Entry(name: String(decoding: nameBytes, as: UTF8.self),
                                     rva: image.sectionRVA[global] &+ record.value, source: label))
            }
        }
        return sorted(entries)
    }

    /// By address; symbols at the same address stay in the order they were gathered (symbol
    /// table order), which is the order link.exe and lld-link list them in.
    private static func sorted(_ entries: [Entry]) -> [Entry] {
        entries.enumerated().sorted { a, b in
            let (x, y) = (a.element.absoluteValue == nil ? UInt64(a.element.rva) : 0, b.element.absoluteValue == nil ? UInt64(b.element.rva) : 0)
            return x != y ? x < y : a.offset < b.offset
        }.map(\.element)
    }

    private static func symbolLines(_ entries: [Entry], image: Linker.Image) -> [String] {
        entries.map { entry in
            if let value = entry.absoluteValue {
                return " 0000:\(hexDigits(value & 0xFFFF_FFFF, width: 8))       \(padded(entry.name, 26)) \(hexDigits(value, width: 16))     \(entry.source)\n"
            }
            if entry.isLinkerDefined {
                return " 0000:00000000       \(padded(entry.name, 26)) \(hexDigits(image.imageBase &+ UInt64(entry.rva), width: 16))     \(entry.source)\n"
            }
            let place = sectionAndOffset(entry.rva, image: image)
            // A symbol of the linker's own (a local import slot) has no Lib:Object column at all.
            let source = entry.source.isEmpty ? "" : "     " + entry.source
            return " \(hexDigits(UInt64(place.section), width: 4)):\(hexDigits(UInt64(place.offset), width: 8))       \(padded(entry.name, 26)) \(hexDigits(image.imageBase &+ UInt64(entry.rva), width: 16))\(source)\n"
        }
    }

    /// The 1-based output section holding `rva` and the offset in it; section 0 when none does.
    private static func sectionAndOffset(_ rva: UInt32, image: Linker.Image) -> (section: Int, offset: UInt32) {
        for (index, section) in image.sections.enumerated()
        where rva >= section.rva && UInt64(rva) < UInt64(section.rva) + UInt64(max(section.virtualSize, 1)) {
            return (index + 1, rva - section.rva)
        }
        return (0, rva)
    }

    /// `file.obj`, or `library:member.obj` for an archive member, as link.exe names them.
    private static func objectLabel(_ object: ObjectFile) -> String {
        // A thin library's member is a file of its own, listed by its name, as lld-link lists it.
        if let archive = object.archivePath, let member = object.memberName {
            return object.isThinMember ? memberFileName(member) : libraryLabel(archive) + ":" + (member as NSString).lastPathComponent
        }
        return (object.displayName as NSString).lastPathComponent
    }

    private static func libraryLabel(_ path: String) -> String {
        ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    }

    // MARK: Text

    private static func padded(_ text: String, _ width: Int) -> String {
        let count = text.utf8.count
        return count >= width ? text : text + String(repeating: " ", count: width - count)
    }

    /// asctime-style UTC date ("Thu Jan  1 00:00:00 1970"), computed without the C library's
    /// locale- and time-zone-dependent functions.
    private static func utcDateText(_ timestamp: UInt32) -> String {
        let seconds = Int(timestamp)
        var days = seconds / 86_400
        let secondOfDay = seconds % 86_400
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days % 7]
        var year = 1970
        func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
        while days >= (isLeap(year) ? 366 : 365) {
            days -= isLeap(year) ? 366 : 365
            year += 1
        }
        let monthLengths = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        var month = 0
        while days >= monthLengths[month] {
            days -= monthLengths[month]
            month += 1
        }
        let monthName = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][month]
        let day = days + 1
        let dayText = day < 10 ? " \(day)" : "\(day)"
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(weekday) \(monthName) \(dayText) \(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)) \(year)"
    }
}
