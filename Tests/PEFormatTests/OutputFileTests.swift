import Foundation
import PEFormat
import Testing

/// `StagedOutput(path:size:executable:access:)`: the image writer's positioned writes and reads.
/// Bytes never written read as zeros; a write or read outside the file is an error naming the
/// output, never a trap; nothing reaches the destination before `commit()`.
@Suite struct OutputFileTests {
    private func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pelink-output-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func positionedWritesAndReads() throws {
        let directory = try folder()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("out.dll").path
        let size = 3 << 20   // three blocks of the content hash
        var readBack: [UInt8] = []
        var blockSums: [Int] = []
        var errors: [String] = []
        let staged = try StagedOutput(path: path, size: size, executable: true) { file in
            try file.write([1, 2, 3], at: 0)
            try file.write(Array(repeating: 7, count: 10), at: size - 10)
            var buffer = [UInt8](repeating: 0xFF, count: 8)
            try buffer.withUnsafeMutableBytes { try file.read(into: $0, at: 0) }
            readBack = buffer
            for block in 0..<3 {
                var bytes = [UInt8](repeating: 0xFF, count: 1 << 20)
                try bytes.withUnsafeMutableBytes { try file.read(into: $0, at: block << 20) }
                blockSums.append(bytes.reduce(0) { $0 + Int($1) })
            }
            for attempt: () throws -> Void in [{ try file.write([1], at: size) },
                                               { try file.write([1, 2], at: -1) },
                                               { var one: UInt8 = 0; try withUnsafeMutableBytes(of: &one) { try file.read(into: $0, at: size) } },
                                               { var page = [UInt8](repeating: 0, count: 8192); try page.withUnsafeMutableBytes { try file.read(into: $0, at: size - 4096) } }] {
                do { try attempt(); errors.append("no error") } catch { errors.append("\(error)") }
            }
        }
        #expect(readBack == [1, 2, 3, 0, 0, 0, 0, 0])
        #expect(blockSums == [6, 0, 70])
        #expect(errors.count == 4 && errors.allSatisfy { $0.contains(path) && $0.contains("outside the output") })
        #expect(!FileManager.default.fileExists(atPath: path), "nothing at the destination before commit()")
        try staged.commit()
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(written.count == size && written.prefix(3) == [1, 2, 3] && written.suffix(10).allSatisfy { $0 == 7 })
        #expect(written[3..<(size - 10)].allSatisfy { $0 == 0 })
    }
}
