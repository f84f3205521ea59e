import PEFormat

/// The image's debug directory (data directory 6, pe-format.md "The .debug Section"): which
/// entries pelink writes and where their data goes.
///
/// - A CodeView record (RSDS) without a PDB path: the build id (`--build-id`, `/build-id`), a
///   GUID that is a hash of the image's bytes, so the same inputs give the same id and symbol
///   stores and llvm-symbolizer can match the image with its separate debug file.
/// - The extended DLL characteristics (`/cetcompat`): CET shadow-stack compatibility.
///
/// With a build id everything goes into a `.buildid` section, as lld-link places it; otherwise
/// into `.rdata`.
struct DebugDirectoryPlan {
    enum Entry: Equatable {
        case codeView
        case extendedDLLCharacteristics
    }
    var entries: [Entry] = []

    static let entrySize = 28
    /// Offset of the GUID in the CodeView record, which is filled in once the image is written.
    static let guidOffset = 4

    var isEmpty: Bool { entries.isEmpty }
    var hasBuildID: Bool { entries.contains(.codeView) }
    /// The CodeView record names a PDB: the directory goes in .rdata, as lld-link and link.exe
    /// place it; a bare build id gets its own .buildid section, as ld.lld places it.
    var namesPDB = false
    /// The PDB path the CodeView record names (empty for a bare build id).
    var pdbPathInImage = ""

    init(options: LinkOptions, outputPath: String = "") {
        if options.writesPDB {
            entries.append(.codeView)
            namesPDB = true
            pdbPathInImage = options.pdbAltPath ?? Self.pdbPath(options: options, outputPath: outputPath)
        } else if options.buildID ?? (options.gnuCommandLine && !options.stripDebug) {
            entries.append(.codeView)
        }
        if options.cetCompatible { entries.append(.extendedDLLCharacteristics) }
    }

    /// /pdb:, else the output's name with .pdb.
    static func pdbPath(options: LinkOptions, outputPath: String) -> String {
        if let path = options.pdbPath { return path }
        let dot = outputPath.lastIndex(of: ".").flatMap { dot in outputPath[dot...].contains("/") ? nil : dot }
        return (dot.map { String(outputPath[..<$0]) } ?? outputPath) + ".pdb"
    }

    var codeViewRecordSize: Int { 4 + 16 + 4 + pdbPathInImage.utf8.count + 1 }

    func chunks() -> [(section: StaticString, chunk: Chunk)] {
        guard !isEmpty else { return [] }
        let section: StaticString = hasBuildID && !namesPDB ? ".buildid" : ".rdata"
        let flags: SectionFlags = [.initializedData, .memRead]
        func chunk(_ content: Chunk.Content, size: Int) -> (StaticString, Chunk) {
            (section, Chunk(content: content, partialName: Name(section), flags: flags, alignment: 4, size: size, hasFileData: true))
        }
        var result = [chunk(.debugDirectory, size: entries.count * Self.entrySize)]
        for entry in entries {
            switch entry {
            case .codeView: result.append(chunk(.codeViewRecord, size: codeViewRecordSize))
            case .extendedDLLCharacteristics: result.append(chunk(.extendedDLLCharacteristics, size: 4))
            }
        }
        return result
    }
}

extension Relocator {
    /// The debug directory's entries, each pointing at its data by RVA and file offset.
    func writeDebugDirectory(_ out: UnsafeMutableRawPointer) -> String? {
        for (i, entry) in image.debugDirectory.entries.enumerated() {
            let (content, type): (Chunk.Content, UInt32) = entry == .codeView ? (.codeViewRecord, 2) : (.extendedDLLCharacteristics, 20)
            guard let data = image.chunkRVA[content],
                  let section = image.sections.first(where: { data.rva >= $0.rva && data.rva < $0.rva + UInt32($0.virtualSize) }) else {
                return "internal error: the debug directory's \(content) was not placed; please report this"
            }
            let p = out + i * DebugDirectoryPlan.entrySize
            p.storeLE(UInt32(0), at: 0)                          // Characteristics
            p.storeLE(resolver.options.timestamp, at: 4)         // TimeDateStamp: the image's
            p.storeLE(UInt32(0), at: 8)                          // Major and minor version
            p.storeLE(type, at: 12)                              // IMAGE_DEBUG_TYPE_CODEVIEW or _EX_DLLCHARACTERISTICS
            p.storeLE(UInt32(data.size), at: 16)
            p.storeLE(data.rva, at: 20)
            p.storeLE(UInt32(section.fileOffset + Int(data.rva - section.rva)), at: 24)
        }
        return nil
    }

    /// "RSDS", the GUID (zero until the image is hashed), age 1, the PDB's path (empty for a build id).
    func writeCodeViewRecord(_ out: UnsafeMutableRawPointer) {
        out.storeLE(UInt32(0x5344_5352), at: 0)
        out.storeLE(UInt32(1), at: 20)
        writeCString(image.debugDirectory.pdbPathInImage, to: out + 24)
    }
}

extension Linker.Image {
    /// Where each debug directory entry's TimeDateStamp lies in the file.
    var debugDirectoryTimestampOffsets: [Int] {
        guard let directory = chunkRVA[.debugDirectory],
              let section = sections.first(where: { directory.rva >= $0.rva && directory.rva < $0.rva + UInt32($0.virtualSize) }) else { return [] }
        let start = section.fileOffset + Int(directory.rva - section.rva)
        return debugDirectory.entries.indices.map { start + $0 * DebugDirectoryPlan.entrySize + 4 }
    }

    /// Where the build id's GUID lies in the file, if the image has one.
    var buildIDFileOffset: Int? {
        guard let record = chunkRVA[.codeViewRecord],
              let section = sections.first(where: { record.rva >= $0.rva && record.rva < $0.rva + UInt32($0.virtualSize) }) else { return nil }
        return section.fileOffset + Int(record.rva - section.rva) + DebugDirectoryPlan.guidOffset
    }
}

/// A 128-bit hash of a buffer, the same whatever the thread count: blocks are hashed in
/// parallel and their hashes combined in order. Not cryptographic; an identifier of content.
enum ContentHash {
    /// The hash is of 1 MiB blocks, combined in order.
    static let blockSize = 1 << 20

    static func hash128(_ bytes: UnsafeRawBufferPointer, threads: Int?) -> (UInt64, UInt64) {
        let blockCount = max(1, (bytes.count + blockSize - 1) / blockSize)
        var hashes = [(UInt64, UInt64)](repeating: (0, 0), count: blockCount)
        hashes.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let results = out.baseAddress!
            nonisolated(unsafe) let base = bytes.baseAddress
            let count = bytes.count
            parallelFor(blockCount, threads: threads) { b in
                let start = b * blockSize
                let length = min(blockSize, count - start)
                results[b] = length > 0 ? block(UnsafeRawBufferPointer(start: base! + start, count: length)) : (0, 0)
            }
        }
        return combine(hashes, count: bytes.count)
    }

    /// The same hash of the first `count` bytes of an output file, read back block by block
    /// (`blockSize` is a multiple of any page size).
    static func hash128(_ file: OutputFileAccess, count: Int, threads: Int?) throws -> (UInt64, UInt64) {
        let blockCount = max(1, (count + blockSize - 1) / blockSize)
        let results = ParallelResults<Result<(UInt64, UInt64), Error>>(count: blockCount)
        parallelFor(blockCount, threads: threads) { b in
            let start = b * blockSize
            let length = min(blockSize, count - start)
            guard length > 0 else { return results.set(b, .success((0, 0))) }
            // Read back in pieces through a small buffer. (Mapping each block instead made the
            // workers take turns: every mapping and unmapping locks the process's address space.)
            let pieceSize = 1 << 16
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: min(pieceSize, length), alignment: 16)
            defer { buffer.deallocate() }
            results.set(b, Result {
                var lanes = Lanes()
                var done = 0
                while done < length {
                    let piece = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(pieceSize, length - done)])
                    try file.read(into: piece, at: start + done)
                    lanes.add(UnsafeRawBufferPointer(piece))
                    done += piece.count
                }
                return lanes.value
            })
        }
        return combine(try (0..<blockCount).map { try results.take($0)!.get() }, count: count)
    }

    private static func combine(_ hashes: [(UInt64, UInt64)], count: Int) -> (UInt64, UInt64) {
        var a: UInt64 = 0x9E37_79B9_7F4A_7C15, c: UInt64 = 0xC2B2_AE3D_27D4_EB4F
        for (x, y) in hashes {
            a = mix(a ^ x); c = mix(c ^ y)
        }
        return (mix(a ^ UInt64(count)), mix(c ^ UInt64(count) &* 0x1656_67B1_9E37_79F9))
    }

    private static func block(_ bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        var lanes = Lanes()
        lanes.add(bytes)
        return lanes.value
    }

    /// A block's hash: two lanes over 8-byte words with different seeds and multipliers, then
    /// the bytes after the last whole word. Fed in pieces, all but the last a multiple of 8 bytes.
    private struct Lanes {
        var a: UInt64 = 0x243F_6A88_85A3_08D3, c: UInt64 = 0x1319_8A2E_0370_7344

        mutating func add(_ bytes: UnsafeRawBufferPointer) {
            var i = 0
            while i + 8 <= bytes.count {
                let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                a = (a ^ word) &* 0x9E37_79B9_7F4A_7C15
                a ^= a >> 29
                c = (c ^ (word &+ 0x632B_E59B_D9B4_E019)) &* 0xBF58_476D_1CE4_E5B9
                c ^= c >> 31
                i += 8
            }
            while i < bytes.count {
                let byte = UInt64(bytes[i])
                a = (a ^ byte) &* 0x100_0000_01B3
                c = (c ^ byte) &* 0xFF51_AFD7_ED55_8CCD
                i += 1
            }
        }

        var value: (UInt64, UInt64) { (ContentHash.mix(a), ContentHash.mix(c)) }
    }

    /// SplitMix64's finalizer.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Set once the image is written: the content hash its build id or PDB GUID (and its default
/// time stamp) came from.
final class ImageIdentity: @unchecked Sendable {
    var contentHash: (UInt64, UInt64) = (0, 0)
}
