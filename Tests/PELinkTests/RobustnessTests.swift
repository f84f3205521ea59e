// Robustness of the pelink executable, run as a real process: an interrupted link (SIGINT,
// SIGTERM) and a failed write (file-size limit, full disk, read-only folder, unreadable input)
// leave the previous outputs byte-identical and no `.pelink-*.tmp` file behind; every error case
// of Inputs/ exits with status 1, quickly, with exactly one error; and the output does not depend
// on repetition, thread count or how the input paths are spelled.

import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Running pelink as a child process

/// How a child process ended.
struct ChildOutcome: CustomStringConvertible {
    var reason: Process.TerminationReason
    var status: Int32
    var stdout: String
    var stderr: String
    var seconds: Double

    var exitedNormally: Bool { reason == .exit }
    func diedOf(_ signal: Int32) -> Bool { reason == .uncaughtSignal && status == signal }

    var description: String {
        let how = reason == .exit ? "exit status \(status)" : "signal \(status) (\(RobustnessTests.signalName(status)))"
        return "\(how) after \(String(format: "%.3f", seconds)) s; stderr:\n\(stderr)"
    }
}

/// A started child process whose output is collected in the background; `signal` it, then `wait`.
final class ChildProcess: @unchecked Sendable {
    private let process = Process()
    private let group = DispatchGroup()
    private let finished = DispatchSemaphore(value: 0)
    private var outData = Data(), errData = Data()
    private let start = DispatchTime.now()

    /// `blockedSignals`: which of SIGINT, SIGTERM and SIGHUP the child starts with blocked. The
    /// child inherits the signal mask of the thread that spawns it, and Foundation's Process
    /// does not reset it; the test's worker threads block nearly every signal. By default these
    /// three are unblocked around the spawn, as a shell, make or ninja would start pelink.
    init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
         currentDirectory: String? = nil, blockedSignals: Set<Int32> = []) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let outPipe = Pipe(), errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = FileHandle.nullDevice
        let finished = self.finished
        process.terminationHandler = { _ in finished.signal() }
        var mask = sigset_t(), previous = sigset_t()
        pthread_sigmask(SIG_SETMASK, nil, &mask)
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            if blockedSignals.contains(signal) { sigaddset(&mask, signal) } else { sigdelset(&mask, signal) }
        }
        pthread_sigmask(SIG_SETMASK, &mask, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        try process.run()
        DispatchQueue.global().async(group: group) { self.outData = outPipe.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { self.errData = errPipe.fileHandleForReading.readDataToEndOfFile() }
    }

    var isRunning: Bool { process.isRunning }
    var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }

    func send(_ signal: Int32) {
        _ = kill(process.processIdentifier, signal)
    }

    /// Waits for the end; a child still running after `timeout` seconds is killed (SIGKILL) and
    /// the test fails, so that a hung pelink cannot hang the test run.
    func wait(timeout: Double = 300, sourceLocation: SourceLocation = #_sourceLocation) -> ChildOutcome {
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            Issue.record("the child process still ran after \(Int(timeout)) s; killed it", sourceLocation: sourceLocation)
            send(SIGKILL)
            finished.wait()
        }
        let seconds = elapsed
        process.waitUntilExit()
        group.wait()
        return ChildOutcome(reason: process.terminationReason, status: process.terminationStatus,
                            stdout: String(decoding: outData, as: UTF8.self),
                            stderr: String(decoding: errData, as: UTF8.self), seconds: seconds)
    }
}

// MARK: - The tests

@Suite("Robustness: interrupted and failed links, error exits, determinism", .serialized)
struct RobustnessTests {
    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case SIGHUP: return "SIGHUP"
        case SIGKILL: return "SIGKILL"
        case SIGSEGV: return "SIGSEGV"
        case SIGBUS: return "SIGBUS"
        case SIGABRT: return "SIGABRT"
        case SIGILL: return "SIGILL"
        case SIGTRAP: return "SIGTRAP"
        case SIGXFSZ: return "SIGXFSZ"
        default: return "signal \(signal)"
        }
    }

    /// The pelink executable beside the test bundle; its absence is always a failure (the test
    /// target depends on the executable target).
    static func pelink(sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        if let path = pelinkExecutable { return path }
        Issue.record("the pelink executable was not found beside \(CommandLine.arguments[0])", sourceLocation: sourceLocation)
        return nil
    }

    /// The environment of every pelink run here: no LIB, LINK or _LINK_.
    static var environment: [String: String] { goldenLinkEnvironment }

    static func isTemporaryOutput(_ name: String) -> Bool { name.hasPrefix(".pelink-") }

    /// Recognizable previous outputs that a failed link must leave as they are.
    static func plantOldOutputs(in folder: URL, names: [String]) throws -> [String: Data] {
        var planted: [String: Data] = [:]
        for name in names {
            var bytes = Data("previous \(name), which a failed link must not touch\n".utf8)
            bytes.append(contentsOf: (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ name.count) })
            try bytes.write(to: folder.appendingPathComponent(name))
            planted[name] = bytes
        }
        return planted
    }

    /// The previous outputs are byte-identical and nothing else is in the folder (no temporary file).
    static func expectUntouched(_ folder: URL, _ planted: [String: Data], _ context: String,
                                sourceLocation: SourceLocation = #_sourceLocation) {
        for (name, bytes) in planted.sorted(by: { $0.key < $1.key }) {
            let now = try? Data(contentsOf: folder.appendingPathComponent(name))
            #expect(now == bytes, "\(context): the previous \(name) was \(now == nil ? "removed" : "changed (\(now!.count) bytes now)")",
                    sourceLocation: sourceLocation)
        }
        let listing = goldenFolderListing(folder)
        #expect(listing == planted.keys.sorted(), "\(context): the output folder holds \(listing), expected only \(planted.keys.sorted())",
                sourceLocation: sourceLocation)
        #expect(!listing.contains(where: isTemporaryOutput), "\(context): a temporary output was left behind", sourceLocation: sourceLocation)
    }

    /// Skips (or, under PELINK_REQUIRE_ORACLES=1, fails) for a missing prerequisite.
    static func missing(_ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if oraclesRequired {
            Issue.record("required prerequisite is missing: \(what)", sourceLocation: sourceLocation)
        } else {
            print("note: skipping, \(what)")
        }
    }

    // MARK: 1. Interrupted link

    /// The large benchmark workload when it exists, else the medium one (generated when missing,
    /// which takes minutes).
    static func interruptWorkload() throws -> URL? {
        let candidates = [
            URL(fileURLWithPath: "/work/bench-cache/large"),
            repositoryRoot.appendingPathComponent(".bench-cache/large"),
            URL(fileURLWithPath: "/work/bench-cache/medium"),
            repositoryRoot.appendingPathComponent(".bench-cache/medium"),
        ]
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate.appendingPathComponent("manifest.json").path) {
            return candidate
        }
        let own = repositoryRoot.appendingPathComponent(".bench-cache/medium")
        guard let generator = BenchmarkSmokeTests.generator, let python = findTool("python3") else {
            missing("gen-workload.py (../shared/bench) or python3, needed for the medium workload")
            return nil
        }
        let start = Date()
        let run = try runProcess(python, [generator, "--preset", "medium", "--out", own.path])
        print("note: generating the medium workload took \(String(format: "%.0f", Date().timeIntervalSince(start))) s")
        #expect(run.exitCode == 0, "gen-workload.py --preset medium failed:\n\(run.stderr)")
        return run.exitCode == 0 ? own : nil
    }

    enum Trigger: CustomStringConvertible {
        /// As soon as a `.pelink-*.tmp` file shows up in the output folder (polled every ~1 ms).
        case temporaryFileAppears
        /// At a fixed time after the start, before any output is written.
        case after(milliseconds: Int)

        var description: String {
            switch self {
            case .temporaryFileAppears: return "when a temporary output appeared"
            case .after(let milliseconds): return "after \(milliseconds) ms"
            }
        }
    }

    static func interrupt(with signal: Int32, _ trigger: Trigger, blockedSignals: Set<Int32> = []) throws {
        guard let pelink = pelink(), let workload = try interruptWorkload() else { return }
        let out = try makeTemporaryDirectory("interrupt")
        defer { try? FileManager.default.removeItem(at: out) }
        let planted = try plantOldOutputs(in: out, names: ["bench.dll", "bench.lib", "bench.map"])
        let context = "\(signalName(signal)) \(trigger)\(blockedSignals.isEmpty ? "" : ", signals blocked at start") (workload \(workload.lastPathComponent))"
        let child = try ChildProcess(pelink, ["@" + workload.appendingPathComponent("link.rsp").path,
                                              "/out:" + out.appendingPathComponent("bench.dll").path,
                                              "/implib:" + out.appendingPathComponent("bench.lib").path,
                                              "/map:" + out.appendingPathComponent("bench.map").path],
                                     environment: environment, blockedSignals: blockedSignals)
        switch trigger {
        case .temporaryFileAppears:
            var seen: [String] = []
            while child.isRunning && child.elapsed < 600 {
                seen = ((try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []).filter(isTemporaryOutput)
                if !seen.isEmpty { break }
                usleep(1000)
            }
            let appearedAt = child.elapsed
            #expect(!seen.isEmpty, "\(context): no .pelink-*.tmp appeared while pelink ran (\(String(format: "%.2f", appearedAt)) s)")
            guard !seen.isEmpty else { child.send(SIGKILL); _ = child.wait(); return }
            child.send(signal)
            print("note: \(context): \(seen) appeared after \(String(format: "%.2f", appearedAt)) s; signalled")
        case .after(let milliseconds):
            usleep(useconds_t(milliseconds * 1000))
            let early = ((try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? []).filter(isTemporaryOutput)
            #expect(child.isRunning, "\(context): pelink was no longer running when the signal was due")
            child.send(signal)
            print("note: \(context): signalled at \(String(format: "%.3f", child.elapsed)) s, temporary files then: \(early)")
        }
        // The handler acts at once; a pelink that ignores the signal is killed after a while.
        let outcome = child.wait(timeout: blockedSignals.isEmpty ? 300 : 20)
        #expect(outcome.diedOf(signal), "\(context): pelink must die of \(signalName(signal)); got \(outcome)")
        expectUntouched(out, planted, context)
    }

    @Test("SIGINT while the outputs are being written: old outputs intact, no temporary file, death by SIGINT")
    func interruptWhileWriting() throws {
        try Self.interrupt(with: SIGINT, .temporaryFileAppears)
    }

    @Test("SIGTERM while the outputs are being written: old outputs intact, no temporary file, death by SIGTERM")
    func terminateWhileWriting() throws {
        try Self.interrupt(with: SIGTERM, .temporaryFileAppears)
    }

    @Test("SIGINT 100 ms after the start, before writing: old outputs intact, death by SIGINT")
    func interruptEarly() throws {
        try Self.interrupt(with: SIGINT, .after(milliseconds: 100))
    }

    /// A parent may start pelink with these signals blocked (Foundation's Process does, from a
    /// Swift concurrency thread; so do JVM-based tools); pelink handles them, so it must unblock
    /// them, or an interrupted build keeps linking and replaces the outputs.
    @Test("SIGTERM 100 ms after the start, pelink started with SIGINT, SIGTERM and SIGHUP blocked: death by SIGTERM")
    func terminateWithInheritedBlockedSignals() throws {
        try Self.interrupt(with: SIGTERM, .after(milliseconds: 100), blockedSignals: [SIGINT, SIGTERM, SIGHUP])
    }

    /// A signal the parent ignores (nohup, `trap '' HUP`) stays ignored: pelink does not install
    /// its clean-up handler over it, so the link carries on and completes.
    @Test("SIGHUP ignored by the parent stays ignored: the link completes")
    func ignoredHangupIsKeptIgnored() throws {
        guard let pelink = Self.pelink(), let workload = try BenchmarkSmokeTests.workload() else { return }
        let out = try makeTemporaryDirectory("hup-ignored")
        defer { try? FileManager.default.removeItem(at: out) }
        let dll = out.appendingPathComponent("bench.dll").path
        let child = try ChildProcess("/bin/sh", ["-c", "trap '' HUP; exec \"$@\"", "sh", pelink,
                                                 "@" + workload.appendingPathComponent("link.rsp").path, "/out:" + dll, "/threads:1"],
                                     environment: Self.environment)
        usleep(50_000)
        #expect(child.isRunning, "pelink finished before the signal could be sent")
        child.send(SIGHUP)
        let outcome = child.wait()
        #expect(outcome.exitedNormally && outcome.status == 0, "pelink must ignore SIGHUP and finish; got \(outcome)")
        #expect(FileManager.default.fileExists(atPath: dll))
    }

    // MARK: 2. Write failures: file-size limit, full disk

    /// Runs the small workload's link under `sh -c 'ulimit -f BLOCKS; exec pelink ...'` into `out`
    /// (holding planted previous outputs) and checks the failure.
    static func failedWrite(pelink: String, workload: URL, out: URL, blockLimit: Int?, expectedMessage: String, context: String) throws {
        let planted = try plantOldOutputs(in: out, names: ["bench.dll", "bench.lib", "bench.map"])
        let dll = out.appendingPathComponent("bench.dll").path
        let arguments = ["@" + workload.appendingPathComponent("link.rsp").path, "/out:" + dll,
                         "/implib:" + out.appendingPathComponent("bench.lib").path, "/map:" + out.appendingPathComponent("bench.map").path]
        let child: ChildProcess
        if let blockLimit {
            // The arguments reach pelink as the shell's positional parameters, unquoted and intact.
            child = try ChildProcess("/bin/sh", ["-c", "ulimit -f \(blockLimit) && exec \"$@\"", "sh", pelink] + arguments,
                                     environment: environment)
        } else {
            child = try ChildProcess(pelink, arguments, environment: environment)
        }
        let outcome = child.wait()
        #expect(outcome.exitedNormally && outcome.status == 1, "\(context): pelink must exit with status 1; got \(outcome)")
        #expect(outcome.stderr.contains("pelink: error:"), "\(context): no error message:\n\(outcome.stderr)")
        #expect(outcome.stderr.contains(dll), "\(context): the error does not name the output \(dll):\n\(outcome.stderr)")
        #expect(outcome.stderr.contains(expectedMessage), "\(context): the error does not say '\(expectedMessage)':\n\(outcome.stderr)")
        expectUntouched(out, planted, context)
    }

    @Test("a file-size limit (ulimit -f) makes the write fail: exit 1, 'File too large', old outputs intact")
    func fileSizeLimit() throws {
        guard let pelink = Self.pelink(), let workload = try BenchmarkSmokeTests.workload() else { return }
        guard FileManager.default.isExecutableFile(atPath: "/bin/sh") else { Self.missing("/bin/sh"); return }
        let out = try makeTemporaryDirectory("fsize")
        defer { try? FileManager.default.removeItem(at: out) }
        // 200 blocks of 512 bytes: the small workload's DLL (about 1.4 MB) cannot be written.
        try Self.failedWrite(pelink: pelink, workload: workload, out: out, blockLimit: 200,
                             expectedMessage: "File too large", context: "ulimit -f 200")
    }

    @Test("a full disk (a 1 MiB tmpfs, when it can be mounted): exit 1, 'No space left on device', old outputs intact")
    func fullDisk() throws {
        // Mounting needs root with CAP_SYS_ADMIN (not given to most containers); without it this
        // check is skipped, and the file-size-limit test above still covers a failed write.
        guard geteuid() == 0 else { print("note: skipping the tmpfs check: not running as root, cannot mount"); return }
        guard let pelink = Self.pelink(), let workload = try BenchmarkSmokeTests.workload() else { return }
        guard let mount = findTool("mount"), let umount = findTool("umount") else { Self.missing("mount/umount"); return }
        let mountPoint = try makeTemporaryDirectory("tmpfs")
        defer { try? FileManager.default.removeItem(at: mountPoint) }
        let mounted = try runProcess(mount, ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint.path])
        guard mounted.exitCode == 0 else {
            print("note: skipping the tmpfs check: mount -t tmpfs failed (no CAP_SYS_ADMIN here?): \(mounted.stderr)")
            return
        }
        defer {
            let unmounted = try? runProcess(umount, [mountPoint.path])
            #expect(unmounted?.exitCode == 0, "umount \(mountPoint.path) failed: \(unmounted?.stderr ?? "")")
        }
        try Self.failedWrite(pelink: pelink, workload: workload, out: mountPoint, blockLimit: nil,
                             expectedMessage: "No space left on device", context: "1 MiB tmpfs")
    }

    // MARK: 3. Unreadable input, read-only output folder

    /// Runs pelink as an unprivileged user: as root, through setpriv as nobody (root reads and
    /// writes regardless of modes), else directly.
    struct Unprivileged {
        var executable: String
        var prefix: [String]
        var pelink: String
        var userFolderMode: Int // mode for a folder the unprivileged user must write to

        func run(_ arguments: [String], in folder: URL) throws -> ChildOutcome {
            try ChildProcess(executable, prefix + [pelink] + arguments, environment: RobustnessTests.environment,
                             currentDirectory: folder.path).wait()
        }
    }

    static func unprivileged(base: URL) throws -> Unprivileged? {
        guard let pelink = pelink() else { return nil }
        guard geteuid() == 0 else { return Unprivileged(executable: pelink, prefix: [], pelink: pelink, userFolderMode: 0o755) }
        guard let setpriv = requireTool("setpriv") else { return nil }
        // A copy of the executable in a folder that nobody can reach (the build folder may not be).
        let bin = base.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let copy = bin.appendingPathComponent("pelink")
        try FileManager.default.copyItem(atPath: pelink, toPath: copy.path)
        for (path, mode) in [(base.path, 0o755), (bin.path, 0o755), (copy.path, 0o755)] {
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        }
        return Unprivileged(executable: setpriv, prefix: ["--reuid=65534", "--regid=65534", "--clear-groups"],
                            pelink: copy.path, userFolderMode: 0o777)
    }

    @Test("an unreadable input and a read-only output folder: exit 1, the file named, nothing written")
    func permissions() throws {
        let base = try makeTemporaryDirectory("perm")
        defer { try? FileManager.default.removeItem(at: base) }
        guard let runner = try Self.unprivileged(base: base) else { return }
        let testCase = try GoldenCase(name: "def-basic")
        // The case's files, copied so that their modes can be changed.
        let inputs = base.appendingPathComponent("inputs")
        try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: testCase.folder) {
            let copy = inputs.appendingPathComponent(name)
            try FileManager.default.copyItem(atPath: testCase.folder + "/" + name, toPath: copy.path)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: copy.path)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: inputs.path)
        func folder(_ name: String, mode: Int) throws -> URL {
            let url = base.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
            return url
        }
        let objects = testCase.arguments.filter { $0.hasSuffix(".obj") }
        #expect(objects == ["lib.obj"], "Inputs/def-basic/ARGS changed; this test expects one input object, lib.obj")
        guard let object = objects.first else { return }

        // Control: the same link as the same user succeeds, so the failures below are the modes'.
        let good = try folder("good", mode: runner.userFolderMode)
        let control = try runner.run(testCase.arguments + ["/out:" + good.appendingPathComponent("out.dll").path], in: inputs)
        #expect(control.exitedNormally && control.status == 0, "the control link (readable input, writable folder) failed: \(control)")
        #expect(FileManager.default.fileExists(atPath: good.appendingPathComponent("out.dll").path), "the control link wrote no out.dll")
        guard control.exitedNormally && control.status == 0 else { return }

        // (a) An input without read permission.
        let unreadableOut = try folder("unreadable-out", mode: runner.userFolderMode)
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: inputs.appendingPathComponent(object).path)
        let unreadable = try runner.run(testCase.arguments + ["/out:" + unreadableOut.appendingPathComponent("out.dll").path], in: inputs)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: inputs.appendingPathComponent(object).path)
        #expect(unreadable.exitedNormally && unreadable.status == 1, "unreadable input: pelink must exit with status 1; got \(unreadable)")
        #expect(unreadable.stderr.contains("pelink: error:") && unreadable.stderr.contains(object),
                "unreadable input: the error does not name \(object):\n\(unreadable.stderr)")
        #expect(unreadable.stderr.lowercased().contains("permission denied"),
                "unreadable input: the error does not say 'permission denied':\n\(unreadable.stderr)")
        #expect(goldenFolderListing(unreadableOut).isEmpty, "unreadable input: files were written: \(goldenFolderListing(unreadableOut))")

        // (b) An output folder without write permission.
        let readOnly = try folder("read-only", mode: 0o555)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: readOnly.path) }
        let output = readOnly.appendingPathComponent("out.dll").path
        let denied = try runner.run(testCase.arguments + ["/out:" + output], in: inputs)
        #expect(denied.exitedNormally && denied.status == 1, "read-only folder: pelink must exit with status 1; got \(denied)")
        #expect(denied.stderr.contains("pelink: error:") && denied.stderr.contains(output),
                "read-only folder: the error does not name \(output):\n\(denied.stderr)")
        #expect(goldenFolderListing(readOnly).isEmpty, "read-only folder: files were created: \(goldenFolderListing(readOnly))")
    }

    // MARK: 4. The error corpus, as processes

    @Test("every EXPECT=error case of Inputs/: exit status 1 (no signal), fast, exactly one error, nothing written")
    func errorCorpus() throws {
        guard let pelink = Self.pelink() else { return }
        #expect(GoldenCase.errorNames.count >= 10, "found only \(GoldenCase.errorNames.count) error cases under Inputs/")
        // One second per case; three when something else keeps the machine busy (load average at
        // least half the core count), as the background fuzzer and the compiler do.
        var load = [Double](repeating: 0, count: 3)
        _ = getloadavg(&load, 3)
        let loaded = load[0] >= Double(ProcessInfo.processInfo.activeProcessorCount) / 2
        let limit = loaded ? 3.0 : 1.0
        var slowest = (name: "", seconds: 0.0)
        for name in GoldenCase.errorNames {
            let testCase = try GoldenCase(name: name)
            let out = try makeTemporaryDirectory("errcase-\(name)")
            defer { try? FileManager.default.removeItem(at: out) }
            var arguments = testCase.arguments
            let namesOutput = arguments.contains { $0.count > 5 && ["/out:", "-out:"].contains($0.prefix(5).lowercased()) }
            if !namesOutput { arguments.append("/out:" + out.appendingPathComponent("out.dll").path) }
            let outcome = try ChildProcess(pelink, arguments, environment: Self.environment, currentDirectory: testCase.folder).wait(timeout: 120)
            if outcome.seconds > slowest.seconds { slowest = (name, outcome.seconds) }
            #expect(outcome.exitedNormally, "Inputs/\(name): pelink died of a signal: \(outcome)")
            #expect(outcome.status == 1, "Inputs/\(name): exit status must be 1: \(outcome)")
            #expect(outcome.seconds < limit, "Inputs/\(name): took \(String(format: "%.2f", outcome.seconds)) s (limit \(limit) s)")
            let errors = outcome.stderr.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("pelink: error:") }
            #expect(errors.count == 1, "Inputs/\(name): expected exactly one 'pelink: error:' line, got \(errors.count):\n\(outcome.stderr)")
            let leftovers = goldenFolderListing(out)
            #expect(leftovers.isEmpty, "Inputs/\(name): the failed link left files behind: \(leftovers)")
        }
        print("note: error corpus: \(GoldenCase.errorNames.count) cases, slowest \(slowest.name) "
              + "\(String(format: "%.3f", slowest.seconds)) s (limit \(limit) s, load average \(String(format: "%.2f", load[0])))")
    }

    // MARK: 5. Determinism

    struct Outputs: Equatable {
        var dll: Data
        var lib: Data
    }

    /// Starts one link of the workload into a fresh folder; `finish` waits and reads the outputs.
    final class PendingLink {
        let child: ChildProcess
        let folder: URL
        let label: String

        init(_ pelink: String, _ arguments: [String], in directory: String?, label: String) throws {
            folder = try makeTemporaryDirectory("determinism")
            self.label = label
            child = try ChildProcess(pelink, arguments + ["/out:" + folder.appendingPathComponent("bench.dll").path,
                                                          "/implib:" + folder.appendingPathComponent("bench.lib").path],
                                     environment: RobustnessTests.environment, currentDirectory: directory)
        }

        func finish(sourceLocation: SourceLocation = #_sourceLocation) -> Outputs? {
            defer { try? FileManager.default.removeItem(at: folder) }
            let outcome = child.wait()
            #expect(outcome.exitedNormally && outcome.status == 0, "\(label): the link failed: \(outcome)", sourceLocation: sourceLocation)
            guard let dll = try? Data(contentsOf: folder.appendingPathComponent("bench.dll")),
                  let lib = try? Data(contentsOf: folder.appendingPathComponent("bench.lib")) else {
                Issue.record("\(label): bench.dll or bench.lib was not written", sourceLocation: sourceLocation)
                return nil
            }
            return Outputs(dll: dll, lib: lib)
        }
    }

    /// The response file's arguments (one per line or separated by blanks; the generator never quotes).
    static func responseFileArguments(_ workload: URL) throws -> [String] {
        let text = try String(contentsOf: workload.appendingPathComponent("link.rsp"), encoding: .utf8)
        #expect(!text.contains("\""), "link.rsp uses quoting; this test splits it at blanks")
        return text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0.isNewline }).map(String.init)
    }

    static func expectSame(_ outputs: Outputs?, _ reference: Outputs, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let outputs else { return }
        #expect(outputs.dll == reference.dll, "\(label): the DLL differs: \(goldenFirstByteDifference(reference.dll, outputs.dll))",
                sourceLocation: sourceLocation)
        #expect(outputs.lib == reference.lib, "\(label): the import library differs: \(goldenFirstByteDifference(reference.lib, outputs.lib))",
                sourceLocation: sourceLocation)
    }

    @Test("the small workload: 20 links, /threads:1/2/8 (also with /opt:ref,icf said explicitly, which folds), absolute, relative and redundant paths give identical bytes")
    func determinism() throws {
        guard let pelink = Self.pelink(), let workload = try BenchmarkSmokeTests.workload() else { return }
        let rsp = "@" + workload.appendingPathComponent("link.rsp").path

        // 20 identical links, two at a time.
        var runs: [Outputs] = []
        for round in 0..<10 {
            let pair = try (0..<2).map { try PendingLink(pelink, [rsp], in: nil, label: "run \(round * 2 + $0 + 1) of 20") }
            runs += pair.compactMap { $0.finish() }
        }
        #expect(runs.count == 20, "only \(runs.count) of the 20 links produced outputs")
        guard let reference = runs.first else { return }
        #expect(reference.dll.starts(with: Array("MZ".utf8)) && reference.dll.count > 100_000, "the DLL is not a PE image")
        #expect(reference.lib.starts(with: Array("!<arch>\n".utf8)), "the import library is not an archive")
        for (index, run) in runs.enumerated().dropFirst() { Self.expectSame(run, reference, "run \(index + 1) of 20") }

        // Thread counts.
        for threads in [1, 2, 8] {
            let link = try PendingLink(pelink, [rsp, "/threads:\(threads)"], in: nil, label: "/threads:\(threads)")
            Self.expectSame(link.finish(), reference, "/threads:\(threads)")
        }
        // These links removed and folded sections (/opt:ref,icf, the default, said explicitly
        // here at 1, 2 and 8 threads): without folding the DLL is larger.
        for threads in [1, 2, 8] {
            let link = try PendingLink(pelink, [rsp, "/opt:ref,icf", "/threads:\(threads)"], in: nil, label: "/opt:ref,icf /threads:\(threads)")
            Self.expectSame(link.finish(), reference, "/opt:ref,icf /threads:\(threads)")
        }
        let unfolded = try PendingLink(pelink, [rsp, "/opt:ref,noicf"], in: nil, label: "/opt:ref,noicf").finish()
        #expect((unfolded?.dll.count ?? 0) > reference.dll.count, "with /opt:noicf the DLL is \(unfolded?.dll.count ?? 0) bytes, folded \(reference.dll.count): the workload folds nothing, so this test checks no folding")

        // The same inputs named absolutely, relatively (from the workload folder) and with
        // redundant components (./obj/../obj/m00000.obj).
        let absolute = try Self.responseFileArguments(workload)
        let prefix = workload.path + "/"
        #expect(absolute.contains { $0.contains(prefix) }, "link.rsp names no file under \(prefix); the path variants would test nothing")
        func rewrite(_ transform: (String) -> String) -> [String] {
            absolute.map { argument in
                guard let range = argument.range(of: prefix) else { return argument }
                return String(argument[..<range.lowerBound]) + transform(String(argument[range.upperBound...]))
            }
        }
        let relative = rewrite { $0 }
        let redundant = rewrite { path in
            let components = path.split(separator: "/", maxSplits: 1)
            return components.count == 2 ? "./\(components[0])/../\(path)" : "./obj/../\(path)"
        }
        #expect(!relative.contains { $0.contains(workload.path) } && redundant.contains { $0.hasPrefix("./obj/../obj/") })
        let variants: [(label: String, arguments: [String], directory: String?)] = [
            ("absolute paths", absolute, nil),
            ("relative paths", relative, workload.path),
            ("paths with ./ and ..", redundant, workload.path),
        ]
        for variant in variants {
            let link = try PendingLink(pelink, variant.arguments, in: variant.directory, label: variant.label)
            Self.expectSame(link.finish(), reference, variant.label)
        }
    }
}
