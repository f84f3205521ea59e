import Foundation

/// The processors this process may use, read once: Foundation reads the cgroup quota files on
/// every call, which costs more than a small link's parallel step.
let availableProcessors = ProcessInfo.processInfo.activeProcessorCount

/// Runs `body(i)` for every i in 0..<count on up to `threads` threads (all cores when nil).
/// Each call writes only its own result slot, so the output never depends on the thread count.
func parallelFor(_ count: Int, threads: Int?, _ body: (Int) -> Void) {
    let workers = min(count, threads ?? availableProcessors)
    if workers <= 1 {
        for i in 0..<count { body(i) }
        return
    }
    withoutActuallyEscaping(body) { body in
        nonisolated(unsafe) let work = body
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var i = worker
            while i < count {
                work(i)
                i += workers
            }
        }
    }
}

/// Runs `body(i)` for every i in 0..<count, each worker taking the next item no one has taken:
/// for items of very different sizes, given largest first, where `parallelFor`'s fixed share per
/// worker can leave one worker with most of the work. As with `parallelFor`, each call writes
/// only its own result slot.
func parallelForTakingTurns(_ count: Int, threads: Int?, _ body: (Int) -> Void) {
    let workers = min(count, threads ?? availableProcessors)
    if workers <= 1 {
        for i in 0..<count { body(i) }
        return
    }
    let turns = TurnCounter()
    withoutActuallyEscaping(body) { body in
        nonisolated(unsafe) let work = body
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while case let i = turns.take(), i < count { work(i) }
        }
    }
}

/// The next item of `parallelForTakingTurns`.
private final class TurnCounter: @unchecked Sendable {
    private var next = 0
    private let lock = NSLockish()

    func take() -> Int {
        lock.lock()
        defer { lock.unlock() }
        next += 1
        return next - 1
    }
}

/// Results of parallel work, one slot per item, each written by one worker and taken once.
/// Slots live in memory of their own, so workers writing different slots share nothing.
final class ParallelResults<Value>: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<Value?>
    private let count: Int
    init(count: Int) {
        self.count = count
        slots = UnsafeMutablePointer<Value?>.allocate(capacity: max(count, 1))
        slots.initialize(repeating: nil, count: count)
    }
    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }
    func set(_ index: Int, _ value: Value) { slots[index] = value }
    func take(_ index: Int) -> Value? {
        defer { slots[index] = nil }
        return slots[index]
    }
    /// The slot's value, left in place (readers of different slots may run in parallel).
    func peek(_ index: Int) -> Value? { slots[index] }
}

extension Array where Element: BitwiseCopyable {
    /// `count` copies of `value`, written by every worker. The first write to each page of a
    /// fresh table is a page fault in which the kernel clears the page, and that costs more than
    /// the write: a table of tens of megabytes filled by one thread holds the link up for tens of
    /// milliseconds, filled by all it holds it up for a fraction of that.
    init(repeating value: Element, count: Int, threads: Int?) {
        self.init(count: count, threads: threads) { start, range in
            (start + range.lowerBound).initialize(repeating: value, count: range.count)
        }
    }

    /// Appends `added` copies of `value`. When they outnumber the elements already there, the
    /// table is made anew (keeping its capacity) and filled by every worker, for the same reason
    /// as `init(repeating:count:threads:)`; otherwise they are appended in place.
    mutating func append(repeating value: Element, count added: Int, threads: Int?) {
        let old = count
        guard added > old else {
            append(contentsOf: repeatElement(value, count: added))
            return
        }
        self = withUnsafeBufferPointer { existing in
            Array(count: old + added, capacity: Swift.max(capacity, old + added), threads: threads) { start, range in
                let copied = range.clamped(to: 0..<old), filled = range.clamped(to: old..<old + added)
                if !copied.isEmpty { (start + copied.lowerBound).initialize(from: existing.baseAddress! + copied.lowerBound, count: copied.count) }
                if !filled.isEmpty { (start + filled.lowerBound).initialize(repeating: value, count: filled.count) }
            }
        }
    }
}

extension Array {
    /// `count` elements, the i-th being `element(i)`, made in chunks by every worker: for the
    /// same reason as `init(repeating:count:threads:)`, and because copying values that hold
    /// references (strings) costs a retain of each.
    init(count: Int, threads: Int?, element: (Int) -> Element) {
        self.init(count: count, threads: threads) { start, range in
            for i in range { (start + i).initialize(to: element(i)) }
        }
    }

    /// `count` elements initialized by `fill`, a chunk of 256 KiB at a time, in parallel once
    /// there are two chunks: below that, one thread does it sooner than workers start.
    fileprivate init(count: Int, capacity: Int? = nil, threads: Int?, fill: (UnsafeMutablePointer<Element>, Range<Int>) -> Void) {
        let chunk = Swift.max(1, (1 << 18) / Swift.max(1, MemoryLayout<Element>.stride))
        self.init(unsafeUninitializedCapacity: capacity ?? count) { buffer, initialized in
            if let start = buffer.baseAddress {
                nonisolated(unsafe) let start = start
                parallelFor((count + chunk - 1) / chunk, threads: count >= 2 * chunk ? threads : 1) { k in
                    fill(start, k * chunk..<Swift.min(count, (k + 1) * chunk))
                }
            }
            initialized = count
        }
    }
}
