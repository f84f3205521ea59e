// Compiled resource files (.res), as rc.exe, llvm-rc and windres -O res write them.
//
// A .res file is a series of entries, each starting on a 4-byte boundary:
//
//   +0  DataSize        u32    bytes of data after the header
//   +4  HeaderSize      u32    bytes from +0 to the data, names and padding included
//   +8  TYPE            0xFFFF + u16 ID, or a NUL-terminated UTF-16 name
//       NAME            the same
//       (padding to 4)
//       DataVersion     u32
//       MemoryFlags     u16
//       LanguageId      u16
//       Version         u32
//       Characteristics u32
//       data            DataSize bytes, then padding to 4
//
// The first entry is empty (DataSize 0, HeaderSize 32, type 0, name 0): it marks a 32-bit .res
// file, and FileKind identifies .res files by it.

public enum ResourceFile {
    /// The 16 bytes a .res file starts with: DataSize 0, HeaderSize 0x20, type ID 0, name ID 0.
    public static let signature: [UInt8] = [0, 0, 0, 0, 0x20, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0xFF, 0xFF, 0, 0]

    /// Size of an entry header with numeric type and name: the smallest a header can be.
    static let minimumHeaderSize = 32

    /// Reads a compiled .res file: every entry after the empty first one, in file order. The
    /// DataVersion, MemoryFlags, Version and Characteristics fields are read but not kept (cvtres
    /// drops them too); the code page is 0. Every malformed input is an error naming the offset.
    public static func parse(_ view: ByteView, path: String) throws -> [ResourceEntry] {
        guard view.count >= minimumHeaderSize else {
            throw view.error(at: nil, "is too small for a compiled resource file (\(view.count) bytes): a .res file starts with a 32-byte empty entry")
        }
        for (i, byte) in signature.enumerated() where view.u8(i) != byte {
            throw view.error(at: i, "does not start with the empty entry of a .res file (DataSize 0, HeaderSize 0x20, type 0, name 0)")
        }
        // The signature fixes the empty entry's DataSize (0) and HeaderSize (32).
        var at = minimumHeaderSize
        var entries: [ResourceEntry] = []
        while at < view.count {
            entries.append(try parseEntry(view, at: &at, path: path))
        }
        return entries
    }

    /// Reads the entry at `at` and moves `at` to the next one.
    private static func parseEntry(_ view: ByteView, at: inout Int, path: String) throws -> ResourceEntry {
        let start = at
        let left = view.count - start
        guard left >= 8 else {
            throw view.error(at: start, "truncated resource entry: \(left) bytes left where the 8 bytes of DataSize and HeaderSize should be")
        }
        let dataSize = Int(view.u32(start))
        let headerSize = Int(view.u32(start + 4))
        guard headerSize >= minimumHeaderSize else {
            throw view.error(at: start + 4, "resource entry has HeaderSize \(headerSize), less than the \(minimumHeaderSize) bytes of its fixed fields")
        }
        guard headerSize <= left else {
            throw view.error(at: start + 4, "resource entry's HeaderSize \(headerSize) extends past the end of the file (\(left) bytes left)")
        }
        let headerEnd = start + headerSize
        var cursor = start + 8
        let type = try readName(view, at: &cursor, headerEnd: headerEnd, what: "type")
        let name = try readName(view, at: &cursor, headerEnd: headerEnd, what: "name")
        cursor = alignUp(cursor, 4)
        guard cursor <= headerEnd - 16 else {
            throw view.error(at: start + 4, "resource entry's HeaderSize \(headerSize) leaves no room for its fixed fields (16 bytes at 0x\(String(cursor + view.offset, radix: 16))) after the type and name")
        }
        let language = view.u16(cursor + 6)
        guard dataSize <= view.count - headerEnd else {
            throw view.error(at: start, "resource data (DataSize \(dataSize)) extends past the end of the file (\(view.count - headerEnd) bytes left after the header)")
        }
        let data = Array(view.bytes(headerEnd, dataSize))
        at = alignUp(headerEnd + dataSize, 4)
        return ResourceEntry(type: type, name: name, language: language, data: data, codePage: 0, source: path)
    }

    /// A TYPE or NAME field: 0xFFFF and an ID, or UTF-16 up to a NUL, all inside the header.
    private static func readName(_ view: ByteView, at cursor: inout Int, headerEnd: Int, what: String) throws -> ResourceName {
        let start = cursor
        guard headerEnd - start >= 2 else {
            throw view.error(at: start, "resource entry's header ends before its \(what)")
        }
        if view.u16(start) == 0xFFFF {
            guard headerEnd - start >= 4 else {
                throw view.error(at: start, "resource entry's header ends inside its numeric \(what)")
            }
            cursor = start + 4
            return .id(view.u16(start + 2))
        }
        var units: [UInt16] = []
        var p = start
        while true {
            guard headerEnd - p >= 2 else {
                throw view.error(at: start, "resource \(what) is not NUL-terminated inside the entry's header (which ends at 0x\(String(headerEnd + view.offset, radix: 16)))")
            }
            let unit = view.u16(p)
            p += 2
            if unit == 0 { break }
            units.append(unit)
        }
        cursor = p
        return .name(units)
    }
}
