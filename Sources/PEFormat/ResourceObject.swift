// Resources carried by COFF objects: reading the trees cvtres, llvm-cvtres and windres put in
// objects, and writing the object llvm-cvtres makes from .res files.
//
// The object llvm-cvtres writes (WindowsResourceCOFFWriter in LLVM's WindowsResource.cpp):
//
//   COFF header     machine, 2 sections, time stamp, IMAGE_FILE_32BIT_MACHINE (even for 64-bit)
//   .rsrc$01        header at 0x14: the directory (CNT_INITIALIZED_DATA | MEM_READ, no alignment)
//   .rsrc$02        header at 0x3c: the data (same characteristics)
//   0x64            .rsrc$01 raw data:
//                     directory tables with their entries, breadth first (root, types, names)
//                     data entries (OffsetToData 0, Size, CodePage, 0), in the same breadth-first order
//                     name strings (u16 length + UTF-16, no NUL), in the order the names were first
//                       met in the input, once per directory that holds them; padded to 4
//                   .rsrc$01 relocations: one ADDR32NB per data entry, in input order, the i-th
//                     naming symbol 5+i ($R<i>)
//                   padding to 8
//                   .rsrc$02 raw data: each resource's bytes in input order, each padded to 8
//                   padding to 8
//   symbol table    @feat.00 (absolute, 0x11), .rsrc$01 + section aux, .rsrc$02 + section aux,
//                   $R000000, $R000001, … (static, in .rsrc$02, value = offset of the data)
//   string table    four zero bytes (a size field of 0)
//
// At each level a directory lists named entries first (by code point, see ResourceName's
// Comparable), then IDs ascending. "Input order" is the order of first appearance of each
// (type, name, language) in `entries`: for .res files, the order of the files, then of the entries.

public enum ResourceObject {
    // MARK: - Reading

    /// The resources a COFF object carries: a directory tree in `.rsrc$01` (llvm-cvtres, cvtres.exe)
    /// or `.rsrc` (windres -O coff), whose data entries' OffsetToData fields have ADDR32NB
    /// relocations to the data (symbols in `.rsrc$02`, or the `.rsrc` section symbol plus the
    /// field's value). Entries come in tree order. An object with neither section has none.
    public static func entries(of object: COFFObject, path: String) throws -> [ResourceEntry] {
        var entries: [ResourceEntry] = []
        for index in 0..<object.sectionCount {
            let header = try object.sectionHeader(index)
            let name = header.name
            guard name == ".rsrc$01" || name == ".rsrc" else { continue }
            let data = try object.sectionData(header)
            if data.count == 0 { continue }
            var reader = try TreeReader(object: object, section: header, data: data, path: path)
            try reader.read(into: &entries)
        }
        return entries
    }

    /// The relocation type cvtres uses for OffsetToData on `machine` (an image-relative address).
    public static func addr32NBType(for machine: Machine) -> UInt16? {
        switch machine {
        case .amd64: return AMD64Relocation.addr32NB
        case .i386: return I386Relocation.dir32NB
        case .arm64: return ARM64Relocation.addr32NB
        case .armnt: return 0x000A  // IMAGE_REL_ARM_ADDR32NB
        case .unknown: return nil
        }
    }

    private static func relocationName(_ type: UInt16, _ machine: Machine) -> String {
        switch machine {
        case .amd64: return AMD64Relocation.name(type)
        case .i386: return I386Relocation.name(type)
        case .arm64: return ARM64Relocation.name(type)
        case .armnt: return type == 0x000A ? "IMAGE_REL_ARM_ADDR32NB" : "type 0x\(String(type, radix: 16))"
        case .unknown: return "type 0x\(String(type, radix: 16))"
        }
    }

    /// Walks one directory section. Each table and data entry may be reached once: that stops
    /// cycles and shared subtrees (which could make a small file describe billions of entries);
    /// and the data copied may not add up to more than the object's size (entries pointing at the
    /// same bytes could otherwise ask for gigabytes).
    private struct TreeReader {
        let object: COFFObject
        let section: COFFSectionHeader
        let data: ByteView
        let path: String
        /// Relocations of the section by the offset they patch.
        var relocations: [Int: COFFRelocation] = [:]
        var visited: Set<Int> = []
        var dataBytes = 0

        init(object: COFFObject, section: COFFSectionHeader, data: ByteView, path: String) throws {
            self.object = object
            self.section = section
            self.data = data
            self.path = path
            let table = try object.relocations(section)
            for index in 0..<table.count {
                let relocation = table.view.relocation(index)
                let offset = Int(relocation.virtualAddress)
                if relocations[offset] == nil { relocations[offset] = relocation }
            }
        }

        var sectionName: String { section.name }

        mutating func read(into entries: inout [ResourceEntry]) throws {
            try readTable(at: 0, level: 0, path: [], into: &entries)
        }

        /// Level 0 lists types, 1 names, 2 languages (whose entries point at data entries).
        private mutating func readTable(at offset: Int, level: Int, path names: [ResourceName], into entries: inout [ResourceEntry]) throws {
            let what = ["type", "name", "language"][level]
            try data.check(offset, 16, "resource directory table (\(what) level) in \(sectionName)")
            if !visited.insert(offset).inserted {
                throw data.error(at: offset, "resource directory table in \(sectionName) is reached twice: the tree has a cycle or a shared subtree")
            }
            let nameCount = Int(data.u16(offset + 12))
            let idCount = Int(data.u16(offset + 14))
            let entriesOffset = offset + 16
            try data.check(entriesOffset, (nameCount + idCount) * 8, "\(nameCount + idCount) resource directory entries (\(what) level) in \(sectionName)")
            for index in 0..<(nameCount + idCount) {
                let at = entriesOffset + index * 8
                let nameField = data.u32(at)
                let target = data.u32(at + 4)
                let isNamed = index < nameCount
                let name: ResourceName
                if isNamed {
                    guard nameField & 0x8000_0000 != 0 else {
                        throw data.error(at: at, "resource directory entry \(index) (\(what) level) in \(sectionName) is counted among the named entries but has an ID (0x\(String(nameField, radix: 16)))")
                    }
                    name = .name(try readString(at: Int(nameField & 0x7FFF_FFFF), entryOffset: at))
                } else {
                    guard nameField & 0x8000_0000 == 0 else {
                        throw data.error(at: at, "resource directory entry \(index) (\(what) level) in \(sectionName) is counted among the ID entries but names a string")
                    }
                    guard nameField <= 0xFFFF else {
                        throw data.error(at: at, "resource \(what) ID 0x\(String(nameField, radix: 16)) in \(sectionName) does not fit in 16 bits")
                    }
                    name = .id(UInt16(nameField))
                }
                let isSubdirectory = target & 0x8000_0000 != 0
                let targetOffset = Int(target & 0x7FFF_FFFF)
                if level < 2 {
                    guard isSubdirectory else {
                        throw data.error(at: at + 4, "resource directory entry \(index) at the \(what) level of \(sectionName) points at data, not at a table of \(level == 0 ? "names" : "languages"): resources have three levels (type, name, language)")
                    }
                    try readTable(at: targetOffset, level: level + 1, path: names + [name], into: &entries)
                } else {
                    guard !isSubdirectory else {
                        throw data.error(at: at + 4, "resource directory entry \(index) at the language level of \(sectionName) points at another table: resources have three levels (type, name, language)")
                    }
                    guard case .id(let language) = name else {
                        throw data.error(at: at, "resource language in \(sectionName) is a name; languages are numeric IDs")
                    }
                    entries.append(try readDataEntry(at: targetOffset, type: names[0], name: names[1], language: language))
                }
            }
        }

        /// A directory string: u16 length, then that many UTF-16 units.
        private func readString(at offset: Int, entryOffset: Int) throws -> [UInt16] {
            guard offset <= data.count - 2 else {
                throw data.error(at: entryOffset, "resource name string at offset 0x\(String(offset, radix: 16)) lies outside \(sectionName) (\(data.count) bytes)")
            }
            let length = Int(data.u16(offset))
            try data.check(offset + 2, length * 2, "resource name string (\(length) UTF-16 units) in \(sectionName)")
            return (0..<length).map { data.u16(offset + 2 + $0 * 2) }
        }

        /// A data entry (OffsetToData, Size, CodePage, Reserved) and the bytes its relocation points at.
        private mutating func readDataEntry(at offset: Int, type: ResourceName, name: ResourceName, language: UInt16) throws -> ResourceEntry {
            try data.check(offset, 16, "resource data entry in \(sectionName)")
            if !visited.insert(offset).inserted {
                throw data.error(at: offset, "resource data entry in \(sectionName) is reached twice (or overlaps a directory table)")
            }
            let addend = Int(data.u32(offset))
            let size = Int(data.u32(offset + 4))
            let codePage = data.u32(offset + 8)
            let identity = "type \(type.typeText)/name \(name.nameText)/language \(language)"
            guard let relocation = relocations[offset] else {
                throw data.error(at: offset, "resource data entry (\(identity)) in \(sectionName) has no relocation for its OffsetToData field, so its data cannot be found")
            }
            guard let expected = ResourceObject.addr32NBType(for: object.machine), relocation.type == expected else {
                throw data.error(at: offset, "resource data entry (\(identity)) in \(sectionName) is relocated by \(ResourceObject.relocationName(relocation.type, object.machine)); cvtres uses \(ResourceObject.addr32NBType(for: object.machine).map { ResourceObject.relocationName($0, object.machine) } ?? "an ADDR32NB relocation")")
            }
            let symbolIndex = Int(relocation.symbolTableIndex)
            guard symbolIndex < object.symbolCount else {
                throw data.error(at: offset, "relocation of resource data entry (\(identity)) in \(sectionName) names symbol \(symbolIndex), past the \(object.symbolCount)-record symbol table")
            }
            let symbol = object.symbol(symbolIndex)
            guard symbol.sectionNumber >= 1, Int(symbol.sectionNumber) <= object.sectionCount else {
                throw object.view.error(at: object.symbolOffset(symbolIndex), "symbol \(symbolIndex), which locates the data of resource \(identity), is not defined in a section (section number \(symbol.sectionNumber))")
            }
            let targetSection = try object.sectionHeader(Int(symbol.sectionNumber) - 1)
            let targetData = try object.sectionData(targetSection)
            let start = Int(symbol.value) + addend
            guard start <= targetData.count, size <= targetData.count - start else {
                throw data.error(at: offset, "data of resource \(identity) (\(size) bytes at offset 0x\(String(start, radix: 16)) of \(targetSection.name)) extends past the end of that section (\(targetData.count) bytes)")
            }
            dataBytes += size
            if dataBytes > object.view.count {
                throw data.error(at: offset, "resource data entries in \(sectionName) claim more bytes (\(dataBytes) so far) than the object holds (\(object.view.count)): their data overlap")
            }
            return ResourceEntry(type: type, name: name, language: language, data: Array(targetData.bytes(start, size)),
                                 codePage: codePage, source: path)
        }
    }

    // MARK: - Writing

    /// The COFF object llvm-cvtres writes for `entries` (`llvm-cvtres /machine:X /timestamp:0`),
    /// byte for byte; the data entries' CodePage is each entry's `codePage` (0 for .res input, as
    /// cvtres writes it). Two entries with the same type, name and language throw
    /// `ResourceDuplicateError` naming both sources, unless `allowDuplicates` (/force), where the
    /// first wins; `duplicates(in:)` lists them for warnings.
    public static func write(entries: [ResourceEntry], machine: Machine, allowDuplicates: Bool = false) throws -> [UInt8] {
        guard let relocationType = addr32NBType(for: machine) else {
            throw FormatError(file: entries.first?.source ?? "resources", "cannot write resources for machine \(machine.optionName)")
        }
        let tree = ResourceTree(entries)
        if !allowDuplicates && !tree.duplicates.isEmpty {
            throw ResourceDuplicateError(duplicates: tree.duplicates)
        }
        return try ObjectWriter(tree: tree, entries: entries, machine: machine, relocationType: relocationType).write()
    }

    /// Every (type, name, language) given more than once, in input order, each against its first.
    public static func duplicates(in entries: [ResourceEntry]) -> [ResourceDuplicate] {
        ResourceTree(entries).duplicates
    }

    /// The tree as llvm-cvtres builds it: nodes created in input order, each new name added to the
    /// string list (once per directory), each new leaf's data added to the data list.
    private struct ResourceTree {
        final class Node {
            var named: [[UInt16]: Node] = [:]
            var numbered: [UInt16: Node] = [:]
            /// Index in `strings` of this node's name, when it is a named child.
            var stringIndex = -1
            /// Index in `data` (and of its $R symbol and relocation) when this node is a leaf.
            var dataIndex = -1
            var isLeaf: Bool { dataIndex >= 0 }

            func child(_ name: ResourceName, strings: inout [[UInt16]]) -> Node {
                switch name {
                case .id(let id):
                    if let node = numbered[id] { return node }
                    let node = Node()
                    numbered[id] = node
                    return node
                case .name(let units):
                    if let node = named[units] { return node }
                    let node = Node()
                    node.stringIndex = strings.count
                    strings.append(units)
                    named[units] = node
                    return node
                }
            }

            /// Children in directory order: names by code point, then IDs ascending.
            var orderedChildren: [(ResourceName, Node)] {
                named.keys.sorted(by: ResourceName.codePointLess).map { (ResourceName.name($0), named[$0]!) }
                    + numbered.keys.sorted().map { (ResourceName.id($0), numbered[$0]!) }
            }
        }

        let root = Node()
        var strings: [[UInt16]] = []
        /// Index into the entries of each leaf, in input order.
        var data: [Int] = []
        var duplicates: [ResourceDuplicate] = []

        init(_ entries: [ResourceEntry]) {
            for (index, entry) in entries.enumerated() {
                let typeNode = root.child(entry.type, strings: &strings)
                let nameNode = typeNode.child(entry.name, strings: &strings)
                if let existing = nameNode.numbered[entry.language] {
                    let first = entries[data[existing.dataIndex]]
                    duplicates.append(ResourceDuplicate(type: entry.type, name: entry.name, language: entry.language,
                                                        firstSource: first.source, secondSource: entry.source))
                    continue
                }
                let leaf = Node()
                leaf.dataIndex = data.count
                data.append(index)
                nameNode.numbered[entry.language] = leaf
            }
        }
    }

    private struct ObjectWriter {
        let tree: ResourceTree
        let entries: [ResourceEntry]
        let machine: Machine
        let relocationType: UInt16

        static let fileHeaderSize = 20
        static let sectionHeaderSize = 40
        static let symbolSize = 18

        func write() throws -> [UInt8] {
            // Layout of .rsrc$01: tables breadth first, then data entries, then strings.
            var tables: [ResourceTree.Node] = [tree.root]
            var leaves: [ResourceTree.Node] = []
            var cursor = 0
            while cursor < tables.count {
                for (_, child) in tables[cursor].orderedChildren {
                    if child.isLeaf { leaves.append(child) } else { tables.append(child) }
                }
                cursor += 1
            }
            var tableOffsets: [ObjectIdentifier: Int] = [:]
            var offset = 0
            for table in tables {
                // A directory table counts its named and its numbered entries in 16 bits each
                // (65536 IDs would not fit).
                if table.named.count > 0xFFFF || table.numbered.count > 0xFFFF {
                    throw FormatError(file: entries.first?.source ?? "resources", "a resource directory would list \(max(table.named.count, table.numbered.count)) entries of one kind; a directory table holds at most 65535")
                }
                tableOffsets[ObjectIdentifier(table)] = offset
                offset += 16 + 8 * (table.named.count + table.numbered.count)
            }
            var dataEntryOffsets: [ObjectIdentifier: Int] = [:]
            var relocationAddresses = [Int](repeating: 0, count: tree.data.count)
            for leaf in leaves {
                dataEntryOffsets[ObjectIdentifier(leaf)] = offset
                relocationAddresses[leaf.dataIndex] = offset
                offset += 16
            }
            var stringOffsets: [Int] = []
            let stringsStart = offset
            for string in tree.strings {
                guard string.count <= 0xFFFF else {
                    throw FormatError(file: sourceOfString(string), "resource name of \(string.count) UTF-16 units is longer than a resource directory string can be (65535)")
                }
                stringOffsets.append(offset)
                offset += 2 + 2 * string.count
            }
            let sectionOneSize = stringsStart + alignUp(offset - stringsStart, 4)

            // File layout.
            let relocationCount = tree.data.count
            let relocationOverflow = relocationCount > 0xFFFF
            let sectionOneOffset = Self.fileHeaderSize + 2 * Self.sectionHeaderSize
            let relocationsOffset = sectionOneOffset + sectionOneSize
            let sectionTwoOffset = alignUp(relocationsOffset + 10 * (relocationCount + (relocationOverflow ? 1 : 0)), 8)
            var dataOffsets: [Int] = []
            var sectionTwoSize = 0
            for entryIndex in tree.data {
                let size = entries[entryIndex].data.count
                guard size <= Int(UInt32.max) else {
                    throw FormatError(file: entries[entryIndex].source, "resource \(entries[entryIndex].identityText) has \(size) bytes, more than a resource data entry can describe")
                }
                dataOffsets.append(sectionTwoSize)
                sectionTwoSize += alignUp(size, 8)
            }
            let symbolTableOffset = alignUp(sectionTwoOffset + sectionTwoSize, 8)
            let symbolCount = 5 + relocationCount
            let fileSize = symbolTableOffset + symbolCount * Self.symbolSize + 4
            guard sectionOneSize < 0x8000_0000, fileSize <= Int(UInt32.max) else {
                throw FormatError(file: entries.first?.source ?? "resources", "the resources add up to \(fileSize) bytes, more than a COFF object can hold")
            }

            var out = ByteWriter(capacity: fileSize)
            // COFF file header.
            out.u16(machine.rawValue)
            out.u16(2)
            out.u32(0)  // TimeDateStamp: pelink output is reproducible (llvm-cvtres /timestamp:0)
            out.u32(UInt32(symbolTableOffset))
            out.u32(UInt32(symbolCount))
            out.u16(0)
            out.u16(FileCharacteristics.machine32Bit)  // cvtres sets it for every machine
            // Section headers.
            let dataFlags = SectionFlags.initializedData.rawValue | SectionFlags.memRead.rawValue
            sectionHeader(&out, name: ".rsrc$01", rawSize: sectionOneSize, rawPointer: sectionOneOffset,
                          relocationPointer: relocationsOffset, relocationCount: relocationOverflow ? 0xFFFF : relocationCount,
                          flags: dataFlags | (relocationOverflow ? SectionFlags.lnkNRelocOverflow.rawValue : 0))
            sectionHeader(&out, name: ".rsrc$02", rawSize: sectionTwoSize, rawPointer: sectionTwoOffset,
                          relocationPointer: 0, relocationCount: 0, flags: dataFlags)

            // .rsrc$01: directory tables and their entries.
            for table in tables {
                out.u32(0)  // Characteristics
                out.u32(0)  // TimeDateStamp
                out.u16(0)  // MajorVersion
                out.u16(0)  // MinorVersion
                out.u16(UInt16(table.named.count))
                out.u16(UInt16(table.numbered.count))
                for (name, child) in table.orderedChildren {
                    switch name {
                    case .name: out.u32(UInt32(stringOffsets[child.stringIndex]) | 0x8000_0000)
                    case .id(let id): out.u32(UInt32(id))
                    }
                    if child.isLeaf {
                        out.u32(UInt32(dataEntryOffsets[ObjectIdentifier(child)]!))
                    } else {
                        out.u32(UInt32(tableOffsets[ObjectIdentifier(child)]!) | 0x8000_0000)
                    }
                }
            }
            // Data entries: OffsetToData is left 0 for the relocation to fill.
            for leaf in leaves {
                let entry = entries[tree.data[leaf.dataIndex]]
                out.u32(0)
                out.u32(UInt32(entry.data.count))
                out.u32(entry.codePage)
                out.u32(0)
            }
            // Strings, then padding to 4.
            for string in tree.strings {
                out.u16(UInt16(string.count))
                for unit in string { out.u16(unit) }
            }
            out.zeros(sectionOneOffset + sectionOneSize - out.count)
            // Relocations of .rsrc$01, in data order; symbol 5 + i is $R<i>.
            if relocationOverflow {
                // IMAGE_SCN_LNK_NRELOC_OVFL: the first record's VirtualAddress holds the count, itself included.
                out.u32(UInt32(relocationCount + 1))
                out.u32(0)
                out.u16(0)
            }
            for (index, address) in relocationAddresses.enumerated() {
                out.u32(UInt32(address))
                out.u32(UInt32(5 + index))
                out.u16(relocationType)
            }
            out.zeros(sectionTwoOffset - out.count)
            // .rsrc$02: the data, each piece padded to 8.
            for entryIndex in tree.data {
                out.append(entries[entryIndex].data)
                out.align(8)
            }
            out.zeros(symbolTableOffset - out.count)
            // Symbols.
            symbol(&out, name: "@feat.00", value: 0x11, section: -1, auxiliaryCount: 0)
            symbol(&out, name: ".rsrc$01", value: 0, section: 1, auxiliaryCount: 1)
            sectionDefinition(&out, length: sectionOneSize, relocationCount: min(relocationCount, 0xFFFF))
            symbol(&out, name: ".rsrc$02", value: 0, section: 2, auxiliaryCount: 1)
            sectionDefinition(&out, length: sectionTwoSize, relocationCount: 0)
            for index in 0..<relocationCount {
                symbol(&out, name: "$R" + hexDigits(index & 0xFF_FFFF, width: 6).uppercased(), value: UInt32(dataOffsets[index]),
                       section: 2, auxiliaryCount: 0)
            }
            // String table: llvm-cvtres writes a size field of 0.
            out.u32(0)
            return out.bytes
        }

        private func sourceOfString(_ string: [UInt16]) -> String {
            entries.first { $0.type == .name(string) || $0.name == .name(string) }?.source ?? "resources"
        }

        private func sectionHeader(_ out: inout ByteWriter, name: String, rawSize: Int, rawPointer: Int,
                                   relocationPointer: Int, relocationCount: Int, flags: UInt32) {
            out.field(name, width: 8, pad: 0)
            out.u32(0)  // VirtualSize
            out.u32(0)  // VirtualAddress
            out.u32(UInt32(rawSize))
            out.u32(UInt32(rawPointer))
            out.u32(UInt32(relocationPointer))
            out.u32(0)  // PointerToLinenumbers
            out.u16(UInt16(relocationCount))
            out.u16(0)  // NumberOfLinenumbers
            out.u32(flags)
        }

        private func symbol(_ out: inout ByteWriter, name: String, value: UInt32, section: Int16, auxiliaryCount: UInt8) {
            out.field(name, width: 8, pad: 0)
            out.u32(value)
            out.u16(UInt16(bitPattern: section))
            out.u16(0)  // Type
            out.u8(StorageClass.static)
            out.u8(auxiliaryCount)
        }

        private func sectionDefinition(_ out: inout ByteWriter, length: Int, relocationCount: Int) {
            out.u32(UInt32(length))
            out.u16(UInt16(relocationCount))
            out.u16(0)  // NumberOfLinenumbers
            out.u32(0)  // CheckSum
            out.u16(0)  // Number
            out.u8(0)   // Selection
            out.zeros(3)
        }
    }
}
