// A PDB 7.0 file: an MSF container (4 KiB blocks, two free block maps, a stream directory) and
// its streams: the PDB info stream (GUID, age, the named stream map), TPI and IPI with their hash
// streams, DBI (one module per object with its symbols and C13 line tables, section
// contributions, the section map, the file info, the image's section headers), the publics,
// globals and symbol record streams, /names, and the named streams a link adds: files given by
// name (/sourcelink's "sourcelink$1", lld-link's /pdbstream) and injected sources (/natvis: the
// /src/headerblock stream and one /src/files/<name> stream per file).
//
// The streams' contents are made by the linker (types by `TypeMerger`, global and public symbols
// by `PDBSymbolTables`); this file lays them out in the container.

/// One section contribution: an input section's place in the image (DBI "SC" entries).
public struct PDBSectionContribution: Sendable, Equatable {
    public var section: UInt16          // 1-based output section
    public var offset: UInt32
    public var size: UInt32
    public var characteristics: UInt32
    public var module: UInt16
    public var dataCRC: UInt32
    public var relocationCRC: UInt32
    public init(section: UInt16, offset: UInt32, size: UInt32, characteristics: UInt32, module: UInt16, dataCRC: UInt32, relocationCRC: UInt32 = 0) {
        self.section = section
        self.offset = offset
        self.size = size
        self.characteristics = characteristics
        self.module = module
        self.dataCRC = dataCRC
        self.relocationCRC = relocationCRC
    }
    /// What DBI records for a module with no section in the image.
    static let none = PDBSectionContribution(section: 0xFFFF, offset: 0, size: 0xFFFF_FFFF, characteristics: 0, module: 0xFFFF, dataCRC: 0)
}

public struct PDBModule: Sendable {
    /// The object's name as the link saw it; for an archive member, the member's name, with the
    /// library as `objectName`.
    public var moduleName: String
    public var objectName: String
    /// The module's symbol records (each 4-byte aligned), without the leading C13 signature.
    public var symbols: [UInt8] = []
    /// The module's C13 debug subsections (lines, file checksums, inlinee lines), each aligned.
    public var c13Lines: [UInt8] = []
    /// Source files in the order of the module's file checksums.
    public var sourceFiles: [String] = []
    public var firstContribution: PDBSectionContribution?
    public init(moduleName: String, objectName: String) {
        self.moduleName = moduleName
        self.objectName = objectName
    }
}

/// A named stream of the PDB that holds a file's bytes as they are (/sourcelink's
/// "sourcelink$1").
public struct PDBNamedStream: Sendable, Equatable {
    public var name: String
    public var bytes: [UInt8]
    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }
}

/// A file the PDB carries as an injected source (/natvis): its bytes in the named stream
/// "/src/files/<virtual name>", and an entry in /src/headerblock that gives its name, its
/// virtual name (both in /names), its size and a CRC of its bytes.
public struct PDBInjectedSource: Sendable, Equatable {
    /// The path as the command line gave it.
    public var name: String
    public var content: [UInt8]
    public init(name: String, content: [UInt8]) {
        self.name = name
        self.content = content
    }

    /// The name the PDB files the source under: the path in ASCII lower case with every `/`
    /// made `\`, as link.exe and lld-link record it (readers look the stream up by this name).
    public var virtualName: String {
        String(decoding: name.utf8.map { byte -> UInt8 in
            if byte == UInt8(ascii: "/") { return UInt8(ascii: "\\") }
            return byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
        }, as: UTF8.self)
    }

    /// The name of the stream that holds the bytes.
    public var streamName: String { "/src/files/" + virtualName }
}

/// Everything a PDB holds, as the linker made it.
public struct PDBContents: Sendable {
    public var guid: [UInt8]
    public var age: UInt32
    /// The image's time stamp.
    public var signature: UInt32
    public var machine: Machine
    public var modules: [PDBModule] = []
    public var contributions: [PDBSectionContribution] = []
    /// The image's section headers, 40 bytes each, as written in the image.
    public var sectionHeaders: [UInt8] = []
    public var types: TypeMerger = TypeMerger()
    public var names: PDBStringTable = PDBStringTable(withEmptyString: true)
    /// The symbol record stream, in pieces written one after another (the publics' records,
    /// then the globals').
    public var symbolRecords: [[UInt8]] = []
    public var publicsStream: [UInt8] = []
    public var globalsStream: [UInt8] = []
    /// Named streams of files, in order (their names distinct, and none of /names or the
    /// injected sources').
    public var namedStreams: [PDBNamedStream] = []
    /// Injected sources, in order (their virtual names distinct).
    public var injectedSources: [PDBInjectedSource] = []
    public init(guid: [UInt8], age: UInt32, signature: UInt32, machine: Machine) {
        self.guid = guid
        self.age = age
        self.signature = signature
        self.machine = machine
    }
}

public enum PDBWriter {
    public static let blockSize = 4096
    static let magic: [UInt8] = Array("Microsoft C/C++ MSF 7.00\r\n".utf8) + [0x1A, 0x44, 0x53, 0, 0, 0]

    /// Fixed stream numbers; module symbol streams follow from `firstModuleStream`.
    enum Stream {
        static let info: UInt16 = 1, tpi: UInt16 = 2, dbi: UInt16 = 3, ipi: UInt16 = 4, names: UInt16 = 5
        static let tpiHash: UInt16 = 6, ipiHash: UInt16 = 7, globals: UInt16 = 8, publics: UInt16 = 9
        static let symbolRecords: UInt16 = 10, sectionHeaders: UInt16 = 11, firstModuleStream: UInt16 = 12
    }

    /// The file laid out in blocks, ready to be written in order (`Layout.write`) with no copy of
    /// the whole: a big PDB is tens of megabytes.
    public static func layOut(_ contents: PDBContents) -> Layout {
        precondition(contents.guid.count == 16)
        let tpi = contents.types.typeStream(hashStreamIndex: Stream.tpiHash)
        let ipi = contents.types.itemStream(hashStreamIndex: Stream.ipiHash)
        var streams: [[[UInt8]]] = []
        streams.append([])                                                      // 0: the old directory
        streams.append([])                                                      // 1: the info stream, made last
        streams.append([tpi.stream])
        streams.append([dbiStream(contents)])
        streams.append([ipi.stream])
        streams.append([])                                                      // 5: /names, made last
        streams.append([tpi.hashStream])
        streams.append([ipi.hashStream])
        streams.append([contents.globalsStream])
        streams.append([contents.publicsStream])
        streams.append(contents.symbolRecords)
        streams.append([contents.sectionHeaders])
        let signature: [UInt8] = [4, 0, 0, 0]         // CV_SIGNATURE_C13
        let noGlobalReferences: [UInt8] = [0, 0, 0, 0]
        for module in contents.modules {
            streams.append([signature, module.symbols, module.c13Lines, noGlobalReferences])
        }

        // The named streams follow the modules': the files given by name, then the injected
        // sources' header block and files. Their names (and the injected sources' in /names)
        // are entered in that order, after everything the modules entered.
        var map = NamedStreamMap()
        map.add("/names", stream: UInt32(Stream.names))
        for named in contents.namedStreams where !map.contains(named.name) {
            map.add(named.name, stream: UInt32(streams.count))
            streams.append([named.bytes])
        }
        var names = contents.names
        var sources: [(source: PDBInjectedSource, name: UInt32, virtualName: UInt32)] = []
        var sourceStreams: Set<String> = []
        for source in contents.injectedSources where !map.contains(source.streamName) && sourceStreams.insert(source.streamName).inserted {
            sources.append((source, names.offset(of: Array(source.name.utf8)), names.offset(of: Array(source.virtualName.utf8))))
        }
        if !sources.isEmpty {
            // No object file: the empty string's offset, as lld-link records it.
            let header = sourceHeaderBlock(sources.map { ($0.source.content, $0.name, $0.virtualName) }, objectName: names.offset(of: []))
            map.add("/src/headerblock", stream: UInt32(streams.count))
            streams.append([header])
            for entry in sources {
                map.add(entry.source.streamName, stream: UInt32(streams.count))
                streams.append([entry.source.content])
            }
        }
        streams[Int(Stream.names)] = [names.bytes()]
        streams[Int(Stream.info)] = [infoStream(guid: contents.guid, age: contents.age, signature: contents.signature, namedStreams: map)]
        return Layout(streams: streams)
    }

    // MARK: The MSF container

    /// An MSF container's layout: its streams (each in pieces, written one after another) and
    /// the blocks each takes.
    public struct Layout: Sendable {
        let streams: [[[UInt8]]]
        let streamBlocks: [[UInt32]]
        let directory: [UInt8]
        let directoryBlocks: [UInt32]
        let blockMap: [UInt8]
        let blockMapBlocks: [UInt32]
        let blockCount: Int
        public var size: Int { blockCount * blockSize }

        init(streams: [[[UInt8]]]) {
            self.streams = streams
            // Block 0 is the superblock; blocks 1 and 2 of every interval of `blockSize` blocks
            // hold the two free block maps. The streams' blocks, the directory's and the block
            // holding the directory's block list take the others in order.
            var next = 3
            func allocate() -> UInt32 {
                while next % blockSize == 1 || next % blockSize == 2 { next += 1 }
                defer { next += 1 }
                return UInt32(next)
            }
            let sizes = streams.map { $0.reduce(0) { $0 + $1.count } }
            var streamBlocks: [[UInt32]] = []
            for size in sizes {
                let count = (size + blockSize - 1) / blockSize
                streamBlocks.append((0..<count).map { _ in allocate() })
            }
            var directory = ByteWriter()
            directory.u32(UInt32(streams.count))
            for size in sizes { directory.u32(UInt32(size)) }
            for blocks in streamBlocks { for b in blocks { directory.u32(b) } }
            let directoryBlockCount = (directory.count + blockSize - 1) / blockSize
            let directoryBlocks = (0..<directoryBlockCount).map { _ in allocate() }
            var blockMap = ByteWriter()
            for block in directoryBlocks { blockMap.u32(block) }
            let blockMapBlocks = (0..<max(1, (blockMap.count + blockSize - 1) / blockSize)).map { _ in allocate() }
            self.streamBlocks = streamBlocks
            self.directory = directory.bytes
            self.directoryBlocks = directoryBlocks
            self.blockMap = blockMap.bytes
            self.blockMapBlocks = blockMapBlocks
            // The free block maps cover every interval up to the last block.
            // An interval the last block opens also gets its free block maps.
            blockCount = next % blockSize == 1 ? next + 2 : next
        }

        /// Hands the file's `size` bytes to `emit` in order, block by block.
        public func write(_ emit: (UnsafeRawBufferPointer) throws -> Void) rethrows {
            // What each block holds: a stream's block, or one of the container's own.
            enum Content { case superblock, freeBlockMap, stream(Int, Int), directory(Int), blockMap(Int) }
            var contents = [Content](repeating: .freeBlockMap, count: blockCount)
            contents[0] = .superblock
            for (s, blocks) in streamBlocks.enumerated() {
                for (i, block) in blocks.enumerated() { contents[Int(block)] = .stream(s, i) }
            }
            for (i, block) in directoryBlocks.enumerated() { contents[Int(block)] = .directory(i) }
            for (i, block) in blockMapBlocks.enumerated() { contents[Int(block)] = .blockMap(i) }

            var superblock = ByteWriter()
            superblock.append(magic)
            superblock.u32(UInt32(blockSize))
            superblock.u32(1)                           // the free block map in use
            superblock.u32(UInt32(blockCount))
            superblock.u32(UInt32(directory.count))
            superblock.u32(0)
            superblock.u32(blockMapBlocks[0])
            let zeros = [UInt8](repeating: 0, count: blockSize)
            // One block's bytes from `bytes` (block `index` of them), zero-padded.
            func emitBlock(_ bytes: [UInt8], _ index: Int) throws {
                let start = min(index * blockSize, bytes.count)
                let end = min(start + blockSize, bytes.count)
                try bytes.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
                try zeros.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[0..<blockSize - (end - start)])) }
            }
            // A stream's pieces are emitted as they come, crossing blocks: a stream's blocks
            // follow one another in the file (only free block maps come between), so where the
            // previous block of the stream ended is where the next begins.
            var pieceIndex = 0, pieceOffset = 0
            for block in 0..<blockCount {
                switch contents[block] {
                case .superblock: try emitBlock(superblock.bytes, 0)
                case .directory(let i): try emitBlock(directory, i)
                case .blockMap(let i): try emitBlock(blockMap, i)
                case .freeBlockMap:
                    // A set bit is a free block; every block up to blockCount is used. Interval
                    // k's map blocks describe blocks [k × 8 × blockSize, (k + 1) × 8 × blockSize).
                    var fpm = [UInt8](repeating: 0xFF, count: blockSize)
                    let first = (block / blockSize) * blockSize * 8
                    if first < blockCount {
                        for b in first..<min(blockCount, first + blockSize * 8) { fpm[(b - first) / 8] &= ~UInt8(1 << ((b - first) % 8)) }
                    }
                    try emitBlock(fpm, 0)
                case .stream(let s, let i):
                    let pieces = streams[s]
                    if i == 0 { pieceIndex = 0; pieceOffset = 0 }
                    var remaining = blockSize
                    while remaining > 0 && pieceIndex < pieces.count {
                        let piece = pieces[pieceIndex]
                        let length = min(remaining, piece.count - pieceOffset)
                        try piece.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[pieceOffset..<pieceOffset + length])) }
                        remaining -= length
                        pieceOffset += length
                        if pieceOffset == piece.count { pieceIndex += 1; pieceOffset = 0 }
                    }
                    try zeros.withUnsafeBytes { try emit(UnsafeRawBufferPointer(rebasing: $0[0..<remaining])) }
                }
            }
        }
    }

    // MARK: Streams

    /// Version VC70, the signature, age and GUID, the named stream map, and the VC140 feature.
    static func infoStream(guid: [UInt8], age: UInt32, signature: UInt32, namedStreams: NamedStreamMap) -> [UInt8] {
        var w = ByteWriter()
        w.u32(20000404)
        w.u32(signature)
        w.u32(age)
        w.append(guid)
        namedStreams.write(to: &w)
        w.u32(0)            // no more named streams (the niMac field)
        w.u32(20140508)     // feature: VC140
        return w.bytes
    }

    /// The named stream map: a buffer of the names (each NUL-terminated, in order of entry), then
    /// a hash table from a name's offset in the buffer to its stream number, hashed by the low 16
    /// bits of the name's `PDBHash.stringV1` (the reference implementation's hash is 16-bit).
    struct NamedStreamMap {
        private var buffer: [UInt8] = []
        private var table = PDBHashTable()
        private var entered: Set<String> = []

        func contains(_ name: String) -> Bool { entered.contains(name) }

        mutating func add(_ name: String, stream: UInt32) {
            guard entered.insert(name).inserted else { return }
            let bytes = Array(name.utf8)
            let offset = UInt32(truncatingIfNeeded: buffer.count)
            buffer += bytes
            buffer.append(0)
            var value = ByteWriter()
            value.u32(stream)
            table.insert(key: offset, hash: UInt32(UInt16(truncatingIfNeeded: PDBHash.stringV1(bytes))), value: value.bytes)
        }

        func write(to w: inout ByteWriter) {
            w.u32(UInt32(truncatingIfNeeded: buffer.count))
            w.append(buffer)
            table.write(to: &w)
        }
    }

    /// /src/headerblock: a 64-byte header (version 19980827, the stream's size, no file time or
    /// age), then a hash table from each source's virtual name (its /names offset, which is also
    /// its hash) to a 40-byte entry: the entry's size, the version, the CRC of the bytes (CRC-32
    /// started at 0, not inverted: `CodeView.jamCRC`), their size, the /names offsets of the
    /// name, the object (`objectName`) and the virtual name, no compression, not virtual.
    static func sourceHeaderBlock(_ sources: [(content: [UInt8], name: UInt32, virtualName: UInt32)], objectName: UInt32) -> [UInt8] {
        let version: UInt32 = 19980827
        var table = PDBHashTable()
        for source in sources {
            var entry = ByteWriter()
            entry.u32(40)
            entry.u32(version)
            entry.u32(source.content.withUnsafeBytes { CodeView.jamCRC($0) })
            entry.u32(UInt32(truncatingIfNeeded: source.content.count))
            entry.u32(source.name)
            entry.u32(objectName)
            entry.u32(source.virtualName)
            entry.u8(0)             // compression: none
            entry.u8(0)             // not a virtual file
            entry.u16(0)
            entry.zeros(8)
            table.insert(key: source.virtualName, hash: source.virtualName, value: entry.bytes)
        }
        var body = ByteWriter()
        table.write(to: &body)
        var w = ByteWriter()
        w.u32(version)
        w.u32(UInt32(truncatingIfNeeded: 64 + body.count))
        w.u64(0)                    // file time
        w.u32(0)                    // age
        w.zeros(44)
        w.append(body.bytes)
        return w.bytes
    }

    static func dbiStream(_ contents: PDBContents) -> [UInt8] {
        let modules = contents.modules
        var modInfo = ByteWriter()
        func contribution(_ c: PDBSectionContribution, to w: inout ByteWriter) {
            w.u16(c.section); w.u16(0); w.u32(c.offset); w.u32(c.size); w.u32(c.characteristics)
            w.u16(c.module); w.u16(0); w.u32(c.dataCRC); w.u32(c.relocationCRC)
        }
        for (index, module) in modules.enumerated() {
            modInfo.u32(0)                  // unused
            contribution(module.firstContribution ?? .none, to: &modInfo)
            modInfo.u16(0)                  // flags
            modInfo.u16(Stream.firstModuleStream &+ UInt16(truncatingIfNeeded: index))
            modInfo.u32(UInt32(4 + module.symbols.count))
            modInfo.u32(0)                  // C11 lines: none
            modInfo.u32(UInt32(module.c13Lines.count))
            modInfo.u16(UInt16(truncatingIfNeeded: module.sourceFiles.count))
            modInfo.u16(0)
            modInfo.u32(0); modInfo.u32(0); modInfo.u32(0)
            modInfo.cString(module.moduleName)
            modInfo.cString(module.objectName)
            modInfo.align(4, fill: 0)
        }
        // 10^5 contributions in a big link: stored in place rather than appended field by field.
        var contributions = [UInt8](repeating: 0, count: 4 + 28 * contents.contributions.count)
        contributions.withUnsafeMutableBytes { out in
            out.storeBytes(of: UInt32(0xF12E_BA2D).littleEndian, as: UInt32.self)       // version 60
            for (i, c) in contents.contributions.enumerated() {
                let at = 4 + 28 * i
                out.storeBytes(of: c.section.littleEndian, toByteOffset: at, as: UInt16.self)
                out.storeBytes(of: c.offset.littleEndian, toByteOffset: at + 4, as: UInt32.self)
                out.storeBytes(of: c.size.littleEndian, toByteOffset: at + 8, as: UInt32.self)
                out.storeBytes(of: c.characteristics.littleEndian, toByteOffset: at + 12, as: UInt32.self)
                out.storeBytes(of: c.module.littleEndian, toByteOffset: at + 16, as: UInt16.self)
                out.storeBytes(of: c.dataCRC.littleEndian, toByteOffset: at + 20, as: UInt32.self)
                out.storeBytes(of: c.relocationCRC.littleEndian, toByteOffset: at + 24, as: UInt32.self)
            }
        }

        // The section map: one entry per image section, then the absolute "section".
        let sectionCount = contents.sectionHeaders.count / 40
        var sectionMap = ByteWriter()
        sectionMap.u16(UInt16(truncatingIfNeeded: sectionCount + 1)); sectionMap.u16(UInt16(truncatingIfNeeded: sectionCount + 1))
        for s in 0..<sectionCount {
            let header = s * 40
            func u32(_ at: Int) -> UInt32 { (0..<4).reduce(UInt32(0)) { $0 | UInt32(contents.sectionHeaders[header + at + $1]) << (8 * UInt32($1)) } }
            let characteristics = u32(36)
            var flags: UInt16 = 0x0108      // selector, 32-bit address
            if characteristics & 0x4000_0000 != 0 { flags |= 1 }
            if characteristics & 0x8000_0000 != 0 { flags |= 2 }
            if characteristics & 0x2000_0000 != 0 { flags |= 4 }
            sectionMap.u16(flags); sectionMap.u16(0); sectionMap.u16(0)
            sectionMap.u16(UInt16(truncatingIfNeeded: s + 1))
            sectionMap.u16(0xFFFF); sectionMap.u16(0xFFFF)
            sectionMap.u32(0); sectionMap.u32(u32(8))
        }
        sectionMap.u16(0x0208); sectionMap.u16(0); sectionMap.u16(0)
        sectionMap.u16(UInt16(truncatingIfNeeded: sectionCount + 1))
        sectionMap.u16(0xFFFF); sectionMap.u16(0xFFFF)
        sectionMap.u32(0); sectionMap.u32(0xFFFF_FFFF)

        // File info: per module the first index and count of its files, their name offsets, and
        // the names, each once.
        var fileInfo = ByteWriter()
        fileInfo.u16(UInt16(truncatingIfNeeded: modules.count))
        let totalFiles = modules.reduce(0) { $0 + $1.sourceFiles.count }
        fileInfo.u16(UInt16(truncatingIfNeeded: totalFiles))
        var first = 0
        for module in modules { fileInfo.u16(UInt16(truncatingIfNeeded: first)); first += module.sourceFiles.count }
        for module in modules { fileInfo.u16(UInt16(truncatingIfNeeded: module.sourceFiles.count)) }
        var nameOffsets: [String: UInt32] = [:]
        var nameBuffer = ByteWriter()
        for module in modules {
            for file in module.sourceFiles {
                if let offset = nameOffsets[file] { fileInfo.u32(offset); continue }
                let offset = UInt32(nameBuffer.count)
                nameOffsets[file] = offset
                nameBuffer.cString(file)
                fileInfo.u32(offset)
            }
        }
        fileInfo.append(nameBuffer.bytes)
        fileInfo.align(4, fill: 0)
        let ecNames = PDBStringTable().bytes()
        var optionalHeader = ByteWriter()
        for i in 0..<11 { optionalHeader.u16(i == 5 ? Stream.sectionHeaders : 0xFFFF) }

        var w = ByteWriter()
        w.u32(0xFFFF_FFFF)          // version signature -1
        w.u32(19990903)             // version V70
        w.u32(contents.age)
        w.u16(Stream.globals)
        w.u16(0x8E00)               // build number: new format, 14.0
        w.u16(Stream.publics)
        w.u16(0)                    // mspdb version
        w.u16(Stream.symbolRecords)
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
        w.u16(contents.machine.rawValue)
        w.u32(0)
        w.append(modInfo.bytes)
        w.append(contributions)
        w.append(sectionMap.bytes)
        w.append(fileInfo.bytes)
        w.append(ecNames)
        w.append(optionalHeader.bytes)
        return w.bytes
    }
}

/// The hash table as the PDB format stores it (the named stream map, the injected sources'
/// table): closed, with linear probing from hash modulo capacity. It starts with one bucket and,
/// once it holds capacity × 2/3 + 1 entries, grows to twice that many buckets, entering its
/// entries again in bucket order: the reference implementation's policy, which LLVM's writer
/// follows, so the same keys entered in the same order take the same buckets as in lld-link's
/// PDB. On disk: the entry count, the capacity, the present and the deleted buckets as bit
/// vectors (a word count, then that many 32-bit words, up to the last set bit), and the key and
/// value of each present bucket in bucket order. Keys are distinct (the callers see to it).
struct PDBHashTable {
    private typealias Entry = (key: UInt32, hash: UInt32, value: [UInt8])
    private var buckets: [Entry?] = [nil]
    private(set) var count = 0

    mutating func insert(key: UInt32, hash: UInt32, value: [UInt8]) {
        Self.place((key, hash, value), in: &buckets)
        count += 1
        let maxLoad = buckets.count * 2 / 3 + 1
        guard count >= maxLoad else { return }
        var grown = [Entry?](repeating: nil, count: maxLoad * 2)
        for case let entry? in buckets { Self.place(entry, in: &grown) }
        buckets = grown
    }

    private static func place(_ entry: Entry, in buckets: inout [Entry?]) {
        var slot = Int(entry.hash % UInt32(buckets.count))
        while buckets[slot] != nil { slot = slot + 1 == buckets.count ? 0 : slot + 1 }
        buckets[slot] = entry
    }

    func write(to w: inout ByteWriter) {
        w.u32(UInt32(truncatingIfNeeded: count))
        w.u32(UInt32(truncatingIfNeeded: buckets.count))
        let words = buckets.lastIndex { $0 != nil }.map { $0 / 32 + 1 } ?? 0
        w.u32(UInt32(words))
        for word in 0..<words {
            var bits: UInt32 = 0
            for bit in 0..<32 where word * 32 + bit < buckets.count && buckets[word * 32 + bit] != nil { bits |= 1 << UInt32(bit) }
            w.u32(bits)
        }
        w.u32(0)                    // deleted buckets: none
        for case let entry? in buckets {
            w.u32(entry.key)
            w.append(entry.value)
        }
    }
}
