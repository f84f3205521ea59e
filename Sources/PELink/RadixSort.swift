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
