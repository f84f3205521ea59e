// The resources of a linked image: the directory tree the resource data directory points at
// (pe-format.md, "The .rsrc Section"), read into the entries .res files and resource objects give.

extension PEImage {
    /// The image's resources in tree order (type, name, language), none when it has no resource
    /// directory. Entries past the image, loops in the tree and trees deeper than three levels
    /// are errors naming the offset.
    public func resources() throws -> [ResourceEntry] {
        guard let directory = directory(.resource), directory.size > 0 else { return [] }
        let tree = try bytes(atRVA: directory.rva, count: Int(directory.size), what: "resource directory")
        var entries: [ResourceEntry] = []
        var visitedTables = Set<Int>()
        // Every table read at most once: a tree whose offsets loop cannot keep the reader busy.
        func readTable(at offset: Int, level: Int, names: [ResourceName]) throws {
            guard visitedTables.insert(offset).inserted else {
                throw tree.error(at: offset, "resource directory table at offset 0x\(String(offset, radix: 16)) is reached twice; the tree loops")
            }
            try tree.check(offset, 16, "resource directory table")
            let count = Int(tree.u16(offset + 12)) + Int(tree.u16(offset + 14))
            try tree.check(offset + 16, count * 8, "resource directory entries")
            for index in 0..<count {
                let entry = offset + 16 + index * 8
                let nameField = tree.u32(entry), target = tree.u32(entry + 4)
                let name: ResourceName
                if nameField & 0x8000_0000 != 0 {
                    let at = Int(nameField & 0x7FFF_FFFF)
                    try tree.check(at, 2, "resource name")
                    let length = Int(tree.u16(at))
                    try tree.check(at + 2, length * 2, "resource name")
                    name = .name((0..<length).map { tree.u16(at + 2 + $0 * 2) })
                } else {
                    name = .id(UInt16(truncatingIfNeeded: nameField))
                }
                let child = Int(target & 0x7FFF_FFFF)
                if target & 0x8000_0000 != 0 {
                    guard level < 2 else { throw tree.error(at: entry, "resource directory is deeper than type, name and language") }
                    try readTable(at: child, level: level + 1, names: names + [name])
                } else {
                    guard level == 2, names.count == 2 else { throw tree.error(at: entry, "resource data entry above the language level") }
                    try tree.check(child, 16, "resource data entry")
                    let dataRVA = tree.u32(child), size = Int(tree.u32(child + 4)), codePage = tree.u32(child + 8)
                    let data = try bytes(atRVA: dataRVA, count: size, what: "resource data")
                    let language: UInt16
                    if case .id(let id) = name { language = id } else { language = 0 }
                    entries.append(ResourceEntry(type: names[0], name: names[1], language: language, data: data.toArray(), codePage: codePage, source: "image"))
                }
            }
        }
        try readTable(at: 0, level: 0, names: [])
        return entries
    }
}
