// A PDB 7.0 file: an MSF container (4 KiB blocks, two free block maps, a stream directory) and the
// streams a debugger and llvm-pdbutil read first: the PDB info stream (GUID, age, the named stream
// map with /names), TPI and IPI (headers of empty type streams), DBI (one module per object,
// section contributions, the file info and the EC names table), and /names.
//
// What it does not hold yet: types, symbols and line tables (the modules have no symbol streams).

public struct PDBModule: Sendable {
    /// The object's name as the link saw it ("a.obj", "lib.lib(b.obj)" is given as module "b.obj", object "lib.lib").
    public var moduleName: String
    public var objectName: String
    public init(moduleName: String, objectName: String) {
        self.moduleName = moduleName
        self.objectName = objectName
    }
}

public enum PDBWriter {
    public static let blockSize = 4096
    static let magic: [UInt8] = Array("Microsoft C/C++ MSF 7.00\r\n".utf8) + [0x1A, 0x44, 0x53, 0, 0, 0]

    /// The whole file. `guid` and `age` must equal the image's CodeView record; `signature` is
    /// the image's time stamp.
    public static func write(guid: [UInt8], age: UInt32, signature: UInt32, machine: Machine, modules: [PDBModule]) -> [UInt8] {
        precondition(guid.count == 16)
        let names = stringTable([])
        var streams: [[UInt8]] = []
        streams.append([])                                                      // 0: the old directory
        streams.append(infoStream(guid: guid, age: age, signature: signature, namesStream: 5))
        streams.append(typeStreamHeader())                                      // 2: TPI
        streams.append(dbiStream(age: age, machine: machine, modules: modules)) // 3: DBI
        streams.append(typeStreamHeader())                                      // 4: IPI
        streams.append(names)                                                   // 5: /names
        return container(streams)
    }

    // MARK: The MSF container

    static func container(_ streams: [[UInt8]]) -> [UInt8] {
        // Blocks 0 (superblock), 1 and 2 (free block maps); then each stream's blocks, the
        // directory's, and the block holding the directory's block list.
        var next = 3
        var streamBlocks: [[UInt32]] = []
        for stream in streams {
            let count = (stream.count + blockSize - 1) / blockSize
            streamBlocks.append((0..<count).map { UInt32(next + $0) })
            next += count
        }
        var directory = ByteWriter()
        directory.u32(UInt32(streams.count))
        for stream in streams { directory.u32(UInt32(stream.count)) }
        for blocks in streamBlocks { for b in blocks { directory.u32(b) } }
        let directoryBlockCount = (directory.count + blockSize - 1) / blockSize
        let directoryBlocks = (0..<directoryBlockCount).map { UInt32(next + $0) }
        next += directoryBlockCount
        let blockMapBlock = next
        next += 1
        let blockCount = next

        var file = [UInt8](repeating: 0, count: blockCount * blockSize)
        func put(_ bytes: [UInt8], at block: Int, offset: Int = 0) {
            file.replaceSubrange(block * blockSize + offset..<block * blockSize + offset + bytes.count, with: bytes)
        }
        var superblock = ByteWriter()
        superblock.append(magic)
        superblock.u32(UInt32(blockSize))
        superblock.u32(1)                           // the free block map in use
        superblock.u32(UInt32(blockCount))
        superblock.u32(UInt32(directory.count))
        superblock.u32(0)
        superblock.u32(UInt32(blockMapBlock))
        put(superblock.bytes, at: 0)
        // Free block maps: a set bit is a free block; every block up to blockCount is used.
        var fpm = [UInt8](repeating: 0xFF, count: blockSize)
        for b in 0..<min(blockCount, blockSize * 8) { fpm[b / 8] &= ~UInt8(1 << (b % 8)) }
        put(fpm, at: 1)
        put(fpm, at: 2)
        for (stream, blocks) in zip(streams, streamBlocks) {
            for (i, block) in blocks.enumerated() {
                put(Array(stream[(i * blockSize)..<min(stream.count, (i + 1) * blockSize)]), at: Int(block))
            }
        }
        let directoryBytes = directory.bytes
        for (i, block) in directoryBlocks.enumerated() {
            put(Array(directoryBytes[(i * blockSize)..<min(directoryBytes.count, (i + 1) * blockSize)]), at: Int(block))
        }
        var blockMap = ByteWriter()
        for block in directoryBlocks { blockMap.u32(block) }
        put(blockMap.bytes, at: blockMapBlock)
        return file
    }

    // MARK: Streams

    /// Version VC70, the signature, age and GUID, the named stream map ("/names" → its stream),
    /// and the VC140 feature.
    static func infoStream(guid: [UInt8], age: UInt32, signature: UInt32, namesStream: UInt32) -> [UInt8] {
        var w = ByteWriter()
        w.u32(20000404)
        w.u32(signature)
        w.u32(age)
        w.append(guid)
        let name = Array("/names".utf8) + [0]
        w.u32(UInt32(name.count))
        w.append(name)
        w.u32(1)            // entries
        w.u32(1)            // capacity: one bucket
        w.u32(1); w.u32(1)  // present buckets: bucket 0
        w.u32(0)            // deleted buckets: none
        w.u32(0)            // key: "/names" at offset 0 of the string buffer
        w.u32(namesStream)
        w.u32(0)            // no more named streams (the niMac field)
        w.u32(20140508)     // feature: VC140
        return w.bytes
    }

    /// An empty TPI or IPI stream: the 56-byte header, type indices from 0x1000, no hash stream.
    static func typeStreamHeader() -> [UInt8] {
        var w = ByteWriter()
        w.u32(20040203)     // version V80
        w.u32(56)           // header size
        w.u32(0x1000); w.u32(0x1000)
        w.u32(0)            // type record bytes
        w.u16(0xFFFF); w.u16(0xFFFF)
        w.u32(4)            // hash key size
        w.u32(0x3FFFF)      // hash buckets
        for _ in 0..<6 { w.u32(0) }
        return w.bytes
    }

    /// "/names" and the DBI stream's EC table: signature, version 1, the strings (first the empty
    /// one), a one-bucket hash table and the count of names.
    static func stringTable(_ strings: [String]) -> [UInt8] {
        var buffer: [UInt8] = [0]
        for s in strings { buffer += Array(s.utf8) + [0] }
        var w = ByteWriter()
        w.u32(0xEFFE_EFFE)
        w.u32(1)
        w.u32(UInt32(buffer.count))
        w.append(buffer)
        w.u32(1)            // buckets
        w.u32(0)
        w.u32(UInt32(strings.count))
        return w.bytes
    }

    static func dbiStream(age: UInt32, machine: Machine, modules: [PDBModule]) -> [UInt8] {
        var modInfo = ByteWriter()
        for (index, module) in modules.enumerated() {
            modInfo.u32(0)                  // unused
            // The module's first section contribution: none known.
            modInfo.u16(0xFFFF); modInfo.u16(0); modInfo.u32(0); modInfo.u32(0xFFFF_FFFF); modInfo.u32(0)
            modInfo.u16(UInt16(truncatingIfNeeded: index)); modInfo.u16(0); modInfo.u32(0); modInfo.u32(0)
            modInfo.u16(0)                  // flags
            modInfo.u16(0xFFFF)             // no symbol stream
            modInfo.u32(0); modInfo.u32(0); modInfo.u32(0)   // symbol, C11 and C13 bytes
            modInfo.u16(0); modInfo.u16(0)  // source files, padding
            modInfo.u32(0); modInfo.u32(0); modInfo.u32(0)
            modInfo.cString(module.moduleName)
            modInfo.cString(module.objectName)
            modInfo.align(4, fill: 0)
        }
        var contributions = ByteWriter()
        contributions.u32(0xF12E_BA2D)      // version 60, no entries
        var sectionMap = ByteWriter()
        sectionMap.u16(0); sectionMap.u16(0)
        var fileInfo = ByteWriter()
        fileInfo.u16(UInt16(truncatingIfNeeded: modules.count))
        fileInfo.u16(0)
        for _ in modules { fileInfo.u16(0) }    // first file index of each module
        for _ in modules { fileInfo.u16(0) }    // files of each module
        fileInfo.u8(0)                          // the (empty) names buffer
        fileInfo.align(4, fill: 0)
        let ecNames = stringTable([])
        var optionalHeader = ByteWriter()
        for _ in 0..<11 { optionalHeader.u16(0xFFFF) }

        var w = ByteWriter()
        w.u32(0xFFFF_FFFF)          // version signature -1
        w.u32(19990903)             // version V70
        w.u32(age)
        w.u16(0xFFFF)               // globals stream: none
        w.u16(0x8E00)               // build number: new format, 14.0
        w.u16(0xFFFF)               // publics stream: none
        w.u16(0)                    // mspdb version
        w.u16(0xFFFF)               // symbol records stream: none
        w.u16(0)
        w.u32(UInt32(modInfo.count))
        w.u32(UInt32(contributions.count))
        w.u32(UInt32(sectionMap.count))
        w.u32(UInt32(fileInfo.count))
        w.u32(0)                    // type server map
        w.u32(0)                    // MFC type server
        w.u32(UInt32(optionalHeader.count))
        w.u32(UInt32(ecNames.count))
        w.u16(0)                    // flags
        w.u16(machine.rawValue)
        w.u32(0)
        w.append(modInfo.bytes)
        w.append(contributions.bytes)
        w.append(sectionMap.bytes)
        w.append(fileInfo.bytes)
        w.append(ecNames)
        w.append(optionalHeader.bytes)
        return w.bytes
    }
}
