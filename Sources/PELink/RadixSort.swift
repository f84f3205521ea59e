/// Sorts plain 64-bit keys in place, least significant 16 bits first: four counting passes over
/// the keys instead of a comparison sort's log n, for the million-key sorts of folding. A pass
/// whose digit is the same in every key is skipped. The result is the ascending order, so it
/// never depends on how the work is split.
func radixSort(_ keys: inout [UInt64]) {
    let count = keys.count
    guard count > 1 else { return }
    if count < 4096 {
        keys.sort()
        return
    }
    var buffer = [UInt64](repeating: 0, count: count)
    var histogram = [Int](repeating: 0, count: 1 << 16)
    var sourceIsKeys = true
    for shift in stride(from: UInt64(0), to: 64, by: 16) {
        let passed: Bool = keys.withUnsafeMutableBufferPointer { a in
            buffer.withUnsafeMutableBufferPointer { b in
                histogram.withUnsafeMutableBufferPointer { counts in
                    let source = sourceIsKeys ? a : b
                    let target = sourceIsKeys ? b : a
                    for i in 0..<counts.count { counts[i] = 0 }
                    for key in source { counts[Int(truncatingIfNeeded: (key >> shift) & 0xFFFF)] += 1 }
                    // Every key has the same digit: this pass would leave the order as it is.
                    if counts[Int(truncatingIfNeeded: (source[0] >> shift) & 0xFFFF)] == count { return false }
                    var sum = 0
                    for i in 0..<counts.count {
                        let c = counts[i]
                        counts[i] = sum
                        sum += c
                    }
                    for key in source {
                        let digit = Int(truncatingIfNeeded: (key >> shift) & 0xFFFF)
                        target[counts[digit]] = key
                        counts[digit] += 1
                    }
                    return true
                }
            }
        }
        if passed { sourceIsKeys.toggle() }
    }
    if !sourceIsKeys { keys = buffer }
}

/// `radixSort` shared among workers, for the million-key sorts of folding. One pass on the
/// highest 16 bits in which the keys differ sends each key to its bucket (each worker counts
/// and places its own stretch of the keys, in order), then buckets are sorted each by one
/// worker. The result is the ascending order, whatever the split.
func parallelRadixSort(_ keys: inout [UInt64], threads: Int?) {
    let count = keys.count
    let workers = min(threads ?? availableProcessors, 64)
    guard count >= 1 << 16, workers > 1 else {
        radixSort(&keys)
        return
    }
    var anyBits: UInt64 = 0, allBits: UInt64 = ~0
    for key in keys {
        anyBits |= key
        allBits &= key
    }
    let varying = anyBits ^ allBits
    guard varying != 0 else { return }
    let shift = UInt64(max(0, 63 - varying.leadingZeroBitCount - 15))
    let digits = 1 << 16
    let stretch = (count + workers - 1) / workers
    // Worker w's count of each digit, then where its first key of each digit goes.
    var places = [Int](repeating: 0, count: workers * digits)
    var bucketStart = [Int](repeating: 0, count: digits + 1)
    var buffer = [UInt64](repeating: 0, count: count, threads: threads)
    keys.withUnsafeMutableBufferPointer { keys in
        places.withUnsafeMutableBufferPointer { places in
            buffer.withUnsafeMutableBufferPointer { buffer in
                nonisolated(unsafe) let keys = keys, places = places, buffer = buffer
                parallelFor(workers, threads: workers) { w in
                    let counts = places.baseAddress! + w * digits
                    for i in w * stretch..<min(count, (w + 1) * stretch) { counts[Int(truncatingIfNeeded: (keys[i] >> shift) & 0xFFFF)] += 1 }
                }
                var sum = 0
                for d in 0..<digits {
                    bucketStart[d] = sum
                    for w in 0..<workers {
                        let c = places[w * digits + d]
                        places[w * digits + d] = sum
                        sum += c
                    }
                }
                bucketStart[digits] = sum
                parallelFor(workers, threads: workers) { w in
                    let next = places.baseAddress! + w * digits
                    for i in w * stretch..<min(count, (w + 1) * stretch) {
                        let d = Int(truncatingIfNeeded: (keys[i] >> shift) & 0xFFFF)
                        buffer[next[d]] = keys[i]
                        next[d] += 1
                    }
                }
                // Buckets back into `keys`, sorted: 256 digits per turn.
                let starts = bucketStart
                parallelForTakingTurns(digits / 256, threads: workers) { group in
                    for d in group * 256..<(group + 1) * 256 {
                        let range = starts[d]..<starts[d + 1]
                        guard !range.isEmpty else { continue }
                        var target = UnsafeMutableBufferPointer(rebasing: keys[range])
                        _ = target.update(fromContentsOf: buffer[range])
                        if range.count > 4096 {
                            var large = Array(target)
                            radixSort(&large)
                            _ = target.update(fromContentsOf: large)
                        } else if range.count > 1 {
                            target.sort()
                        }
                    }
                }
            }
        }
    }
}

/// Sorts `elements` by a strict total order (no two elements equal under it, so the result is
/// the one ascending sequence however the work is split): each worker sorts a part, then the
/// parts are merged. For comparison sorts of tens of thousands of elements on the link's
/// sequential path, such as the exports by name.
func parallelSort<Element>(_ elements: inout [Element], threads: Int?, by precedes: (Element, Element) -> Bool) {
    let count = elements.count
    let parts = min(threads ?? availableProcessors, 8, count / 8192)
    guard parts > 1 else {
        elements.sort(by: precedes)
        return
    }
    let bounds = (0...parts).map { $0 * count / parts }
    elements.withUnsafeMutableBufferPointer { buffer in
        nonisolated(unsafe) let buffer = buffer
        parallelFor(parts, threads: threads) { p in
            var part = UnsafeMutableBufferPointer(rebasing: buffer[bounds[p]..<bounds[p + 1]])
            part.sort(by: precedes)
        }
    }
    // Merged pairwise, each round halving the number of sorted runs.
    var runs = Array(zip(bounds, bounds.dropFirst()).map { $0.0..<$0.1 })
    var merged: [Element] = []
    merged.reserveCapacity(count)
    while runs.count > 1 {
        merged.removeAll(keepingCapacity: true)
        var next: [Range<Int>] = []
        var r = 0
        while r < runs.count {
            let start = merged.count
            if r + 1 == runs.count {
                merged.append(contentsOf: elements[runs[r]])
            } else {
                var i = runs[r].lowerBound, j = runs[r + 1].lowerBound
                let iEnd = runs[r].upperBound, jEnd = runs[r + 1].upperBound
                while i < iEnd && j < jEnd {
                    if precedes(elements[j], elements[i]) { merged.append(elements[j]); j += 1 } else { merged.append(elements[i]); i += 1 }
                }
                merged.append(contentsOf: elements[i..<iEnd])
                merged.append(contentsOf: elements[j..<jEnd])
            }
            next.append(start..<merged.count)
            r += 2
        }
        swap(&elements, &merged)
        runs = next
    }
}
