// Writing outputs so that nothing is ever half-written: each output is built in a temporary file
// beside its destination and renamed over it only when complete. A failed, interrupted or killed
// link (SIGINT, SIGTERM, SIGHUP) therefore leaves the previous DLL, import library or map file
// byte-identical, and the signal handler removes the temporary files of the writes in progress.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An output written completely to a temporary file beside its destination, waiting for
/// `commit()` to rename it into place. A link stages all its outputs and commits them only when
/// every one was written, so a failure in any leaves all the previous files as they were.
/// Dropping an uncommitted output removes its temporary file.
public final class StagedOutput {
    public let path: String
    private let temporaryPath: String
    private let slot: Int?
    private var committed = false

    /// Writes `size` bytes produced by `fill`. The space is reserved before anything is written,
    /// so a full disk is an error here rather than a SIGBUS while filling the mapping. An
    /// executable output (a DLL or EXE) gets mode 0777 less the umask, as GNU ld and lld give it,
    /// so binfmt/Wine can run it; other outputs 0666 less the umask.
    public convenience init(path: String, size: Int, executable: Bool = false, fill: (UnsafeMutableRawBufferPointer) throws -> Void) throws {
        try self.init(path: path, executable: executable) { fd in
            guard size > 0 else { return }
            try StagedOutput.reserve(fd, size: size, path: path)
            guard let address = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), address != MAP_FAILED else {
                throw FormatError(file: path, "cannot map the output: \(String(cString: strerror(errno)))")
            }
            defer { munmap(address, size) }
            try fill(UnsafeMutableRawBufferPointer(start: address, count: size))
        }
    }

    /// Writes `size` bytes by positioned writes (and reads back) through `OutputFileAccess`,
    /// from any number of threads. Unlike a shared mapping, what is written stays in the page
    /// cache without becoming the process's own memory. Bytes never written read as zeros.
    public convenience init(path: String, size: Int, executable: Bool, access: (OutputFileAccess) throws -> Void) throws {
        try self.init(path: path, executable: executable) { fd in
            if size > 0 { try StagedOutput.reserve(fd, size: size, path: path) }
            try access(OutputFileAccess(fd: fd, path: path, size: size))
        }
    }

    /// Writes the `size` bytes `produce` hands to its `emit` in order, in pieces of any size,
    /// with write(2) rather than through a mapping: the file's pages stay in the page cache
    /// without becoming the process's own, which keeps a big output (a PDB) out of the link's
    /// peak memory.
    public convenience init(path: String, size: Int, writeInOrder produce: (_ emit: (UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws {
        try self.init(path: path, executable: false) { fd in
            if size > 0 { try StagedOutput.reserve(fd, size: size, path: path) }
            let capacity = 1 << 20
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
            defer { buffer.deallocate() }
            var buffered = 0
            var written = 0
            func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
                var done = 0
                while done < bytes.count {
                    let result = writeToFile(fd, bytes.baseAddress! + done, bytes.count - done)
                    if result < 0 {
                        if errno == EINTR { continue }
                        throw FormatError(file: path, "cannot write the output: \(String(cString: strerror(errno)))")
                    }
                    done += result
                }
                written += bytes.count
            }
            func flush() throws {
                try writeAll(UnsafeRawBufferPointer(rebasing: buffer[0..<buffered]))
                buffered = 0
            }
            try produce { bytes in
                if buffered + bytes.count > capacity { try flush() }
                if bytes.count >= capacity {
                    try writeAll(bytes)
                } else if bytes.count > 0 {
                    (buffer.baseAddress! + buffered).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
                    buffered += bytes.count
                }
            }
            try flush()
            guard written == size else {
                throw FormatError(file: path, "internal error: \(written) bytes written of the \(size) planned")
            }
        }
    }

    /// Creates the temporary file and has `write` fill it.
    private init(path: String, executable: Bool, write: (Int32) throws -> Void) throws {
        let directory: String
        if let slash = path.lastIndex(of: "/") {
            directory = slash == path.startIndex ? "/" : String(path[..<slash])
        } else {
            directory = "."
        }
        var info = stat()
        if stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            throw FormatError(file: path, "cannot write the output: it is a directory; give a file name, e.g. \(path)/name.dll")
        }
        let (fd, temporaryPath, slot) = try TemporaryOutputs.create(in: directory, for: path)
        self.path = path
        self.temporaryPath = temporaryPath
        self.slot = slot
        defer { close(fd) }
        try write(fd)
        fchmod(fd, (executable ? 0o777 : 0o666) & ~StagedOutput.processUmask)
    }

    /// Reserves the file's space, so a full disk is an error before anything is written.
    private static func reserve(_ fd: Int32, size: Int, path: String) throws {
        let reserved = posix_fallocate(fd, 0, off_t(size))
        if reserved != 0 {
            throw FormatError(file: path, "cannot write the output (\(size) bytes): \(String(cString: strerror(reserved)))")
        }
    }

    /// The process's umask, read once. /proc gives it without changing it; elsewhere it is read
    /// by setting and restoring it before any output is written.
    private static let processUmask: mode_t = {
        if let file = fopen("/proc/self/status", "r") {
            defer { fclose(file) }
            var buffer = [CChar](repeating: 0, count: 256)
            while fgets(&buffer, Int32(buffer.count), file) != nil {
                let line = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
                guard line.hasPrefix("Umask:") else { continue }
                if let value = mode_t(line.dropFirst(6).filter { $0.isHexDigit }, radix: 8) { return value }
            }
        }
        let mask = umask(0o022)
        umask(mask)
        return mask
    }()

    /// Written with write(2): copying into a fresh mapping would fault in each of its pages.
    public convenience init(path: String, bytes: [UInt8]) throws {
        try self.init(path: path, size: bytes.count, writeInOrder: { emit in try bytes.withUnsafeBytes { try emit($0) } })
    }

    /// Renames the finished file over `path`.
    public func commit() throws {
        guard !committed else { return }
        if rename(temporaryPath, path) != 0 {
            throw FormatError(file: path, "cannot rename the temporary output into place: \(String(cString: strerror(errno)))")
        }
        committed = true
        TemporaryOutputs.release(slot)
    }

    deinit {
        if !committed {
            unlink(temporaryPath)
            TemporaryOutputs.release(slot)
        }
    }
}

/// Positioned reads and writes of an output being staged (pwrite and pread on its file).
public struct OutputFileAccess: @unchecked Sendable {
    let fd: Int32
    let path: String
    /// The size the file was made.
    public let size: Int

    /// Writes `bytes` at `offset`; throws on any failure, with the output's path.
    public func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
        try transfer(bytes.count, at: offset, "write") { done in
            pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
        }
    }

    public func write(_ bytes: [UInt8], at offset: Int) throws {
        try bytes.withUnsafeBytes { try write($0, at: offset) }
    }

    /// Reads `buffer.count` bytes from `offset` (written or not: unwritten bytes are zeros).
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws {
        try transfer(buffer.count, at: offset, "read back") { done in
            pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
        }
    }

    /// Repeats `step` (given the bytes done so far) until `count` bytes are done: a call may move
    /// fewer, or be interrupted. Moving nothing is an error, not a reason to try forever.
    private func transfer(_ count: Int, at offset: Int, _ what: String, _ step: (_ done: Int) -> Int) throws {
        guard offset >= 0, offset + count <= size else {
            throw FormatError(file: path, "internal error: a \(what) of \(count) bytes at \(offset) is outside the output's \(size)")
        }
        var done = 0
        while done < count {
            let result = step(done)
            if result < 0 && errno == EINTR { continue }
            if result < 0 {
                throw FormatError(file: path, "cannot \(what) the output: \(String(cString: strerror(errno)))")
            }
            if result == 0 {
                throw FormatError(file: path, "cannot \(what) the output: nothing moved at \(offset + done) of \(size) bytes")
            }
            done += result
        }
    }
}

/// write(2), under a name the staged writer's closures cannot confuse with anything else.
@inline(__always) private func writeToFile(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, bytes, count)
}

/// Writes one output atomically (see `StagedOutput`).
public func writeFileAtomically(path: String, size: Int, fill: (UnsafeMutableRawBufferPointer) throws -> Void) throws {
    try StagedOutput(path: path, size: size, fill: fill).commit()
}

public func writeFileAtomically(path: String, bytes: [UInt8]) throws {
    try writeFileAtomically(path: path, size: bytes.count) { out in
        bytes.withUnsafeBytes { out.copyMemory(from: $0) }
    }
}

/// The temporary files of the writes in progress, kept where a signal handler can reach them
/// without allocating or locking: a fixed set of slots, each a path buffer and an in-use flag.
/// A link writes at most a few outputs at once (image, import library, .def), so a small fixed
/// number of slots is enough; a write that finds none free still works, it is only not cleaned
/// up on a signal.
public enum TemporaryOutputs {
    private static let slotCount = 8
    private static let pathCapacity = Int(PATH_MAX) + 1
    nonisolated(unsafe) private static let paths = UnsafeMutablePointer<CChar>.allocate(capacity: slotCount * pathCapacity)
    nonisolated(unsafe) private static let inUse: UnsafeMutablePointer<sig_atomic_t> = {
        let flags = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: slotCount)
        flags.initialize(repeating: 0, count: slotCount)
        return flags
    }()
    nonisolated(unsafe) private static var lock = pthread_mutex_t()
    private static let lockReady: Bool = { pthread_mutex_init(&lock, nil); return true }()

    /// Creates a fresh temporary file in `directory` and records it for the signal handler.
    static func create(in directory: String, for output: String) throws -> (fd: Int32, path: String, slot: Int?) {
        var template = Array("\(directory)/.pelink-XXXXXX.tmp".utf8CString)
        let slot = template.count <= pathCapacity ? claimSlot() : nil
        // Signals are blocked between creating the file and publishing its name, so a handler
        // never misses a file that exists.
        // A handler running on another thread meanwhile waits for the name (slot state 3).
        var all = sigset_t(), previous = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_BLOCK, &all, &previous)
        if let slot { inUse[slot] = 3 }
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 4) }
        let failure = errno
        if let slot {
            if fd >= 0 {
                template.withUnsafeBufferPointer { source in
                    (paths + slot * pathCapacity).update(from: source.baseAddress!, count: source.count)
                }
            }
            inUse[slot] = fd >= 0 ? 1 : 2
        }
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        if fd < 0 {
            release(slot)
            var hint = ""
            if failure == ENOENT { hint = "; the folder does not exist (create it first)" }
            if failure == EACCES || failure == EROFS { hint = "; the folder is not writable" }
            throw FormatError(file: output, "cannot create the output in \(directory): \(String(cString: strerror(failure)))\(hint)")
        }
        return (fd, String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self), slot)
    }

    static func release(_ slot: Int?) {
        guard let slot else { return }
        inUse[slot] = 0
    }

    private static func claimSlot() -> Int? {
        _ = lockReady
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        for slot in 0..<slotCount where inUse[slot] == 0 {
            inUse[slot] = 2 // claimed; the handler removes only slots marked 1 (file exists), and waits for 3 (being created)
            return slot
        }
        return nil
    }

    /// Installs handlers for SIGINT, SIGTERM and SIGHUP that remove the temporary outputs and
    /// then die of the same signal, and ignores SIGXFSZ so that exceeding a file-size limit is a
    /// write error (reported, cleaned up) rather than a silent kill. For the pelink executable;
    /// a library user keeps their own signal handling.
    public static func installSignalHandlers() {
        _ = lockReady
        _ = paths
        _ = inUse
        signal(SIGXFSZ, SIG_IGN)
        // A parent may start pelink with these blocked (threads of a build tool often block
        // them); an interrupt must still stop the link and clean up.
        var handled = sigset_t()
        sigemptyset(&handled)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&handled, signalNumber) }
        pthread_sigmask(SIG_UNBLOCK, &handled, nil)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            // An ignored signal stays ignored (nohup, or a shell running pelink in the background).
            var current = sigaction()
            sigaction(signalNumber, nil, &current)
            #if canImport(Glibc)
            let ignored = unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
            #else
            let ignored = unsafeBitCast(current.__sigaction_u.__sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
            #endif
            if ignored { continue }
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = removeTemporaryOutputsAndDie
            #else
            action.__sigaction_u.__sa_handler = removeTemporaryOutputsAndDie
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND)
            sigaction(signalNumber, &action, nil)
        }
    }

    /// Async-signal-safe: reads the fixed slots, unlinks, re-raises with the default action. A
    /// file another thread is creating (its signals blocked) is waited for, a bounded while, so
    /// that the file whose name is not yet published is removed too; getpid(2), which is
    /// async-signal-safe, makes each check read the slot again.
    private static let removeTemporaryOutputsAndDie: @convention(c) (Int32) -> Void = { signalNumber in
        for slot in 0..<TemporaryOutputs.slotCount {
            var checks = 0
            while TemporaryOutputs.inUse[slot] == 3 && checks < 10_000_000 {
                _ = getpid()
                checks += 1
            }
            if TemporaryOutputs.inUse[slot] == 1 { unlink(TemporaryOutputs.paths + slot * TemporaryOutputs.pathCapacity) }
        }
        raise(signalNumber)
    }
}
