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
