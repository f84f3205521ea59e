import Foundation
import Testing

/// Where the repository lives, found from this file's path so tests run from any directory.
let repositoryRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    fatalError("Package.swift not found above \(#filePath)")
}()

/// Under PELINK_REQUIRE_ORACLES=1 (CI) a missing oracle fails the test instead of skipping it.
let oraclesRequired = ProcessInfo.processInfo.environment["PELINK_REQUIRE_ORACLES"] == "1"

/// Full path of an external tool, searching PATH then a few known folders; nil when absent.
func findTool(_ name: String) -> String? {
    var folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
    folders += ["/opt/swift/usr/bin", "/usr/bin", "/usr/local/bin", "/usr/lib/wine"]
    for folder in folders {
        let candidate = folder + "/" + name
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

/// The pelink executable next to this test bundle (the test target depends on it).
var pelinkExecutable: String? {
    let bundleFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for candidate in [bundleFolder, bundleFolder.deletingLastPathComponent()] {
        let path = candidate.appendingPathComponent("pelink").path
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

struct OracleMissing: Error, CustomStringConvertible {
    var tool: String
    var description: String { "oracle '\(tool)' is not installed (run .ci/run, or apt-get install it)" }
}

/// The oracle's path, or nil when absent and not required (the caller then returns early, after
/// recording the skip). Under PELINK_REQUIRE_ORACLES=1 a missing tool is a test failure.
func requireTool(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
    if let path = findTool(name) { return path }
    if oraclesRequired {
        Issue.record("required oracle '\(name)' is missing", sourceLocation: sourceLocation)
    } else {
        print("note: skipping, oracle '\(name)' is not installed")
    }
    return nil
}

struct ProcessResult {
    var exitCode: Int32
    var stdout: String
    var stderr: String
}

/// Runs a program to completion, capturing its output.
@discardableResult
func runProcess(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                currentDirectory: String? = nil) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment {
        var merged = ProcessInfo.processInfo.environment
        for (k, v) in environment { merged[k] = v }
        process.environment = merged
    }
    if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
    let outPipe = Pipe(), errPipe = Pipe()
    process.standardOutput = outPipe
    process.standardError = errPipe
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Read both pipes concurrently so a chatty child never blocks on a full pipe.
    let group = DispatchGroup()
    nonisolated(unsafe) var errData = Data()
    DispatchQueue.global().async(group: group) { errData = errPipe.fileHandleForReading.readDataToEndOfFile() }
    let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ProcessResult(exitCode: process.terminationStatus,
                         stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}

/// A fresh temporary directory for one test.
func makeTemporaryDirectory(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("pelink-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs an expensive, blocking piece of test work once, however many tests ask for its result
/// (they run in parallel); the work runs off the cooperative thread pool.
actor RunOnce<Value: Sendable> {
    private var running: Task<Value, Never>?

    func value(_ work: @escaping @Sendable () -> Value) async -> Value {
        if let running { return await running.value }
        let task = Task<Value, Never> {
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async { continuation.resume(returning: work()) }
            }
        }
        running = task
        return await task.value
    }
}
