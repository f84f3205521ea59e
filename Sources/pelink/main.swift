import Foundation
import PEFormat
import PELink
#if canImport(Glibc)
import Glibc
#endif

#if canImport(Glibc)
// A fixed threshold: allocations of 4 MiB and more get pages of their own, given back when
// freed. glibc otherwise raises the threshold to the size of each such block freed, and a link
// frees many (each pass's tables), so later tables stay in the heap after they are freed and
// the link's peak memory grows by tens of megabytes.
// (malloc.h is not in the Glibc module: mallopt is declared by its C name; M_MMAP_THRESHOLD is -3.
// Looking it up with dlsym would find nothing in the statically linked release build.)
@_silgen_name("mallopt") private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
_ = glibcMallopt(-3, 4 << 20)
// The heaps grow (and shrink) in steps of 2 MiB rather than 128 KiB: a large link's workers
// otherwise spend tens of milliseconds in brk(2) and mprotect(2) growing their arenas a step at a
// time. The pad is address space only; pages count once written. (M_TOP_PAD is -2.)
_ = glibcMallopt(-2, 2 << 20)
#endif
TemporaryOutputs.installSignalHandlers()
Driver.leavesTablesForExit = true
let result = Driver.run(arguments: Array(CommandLine.arguments.dropFirst()),
                        programName: (CommandLine.arguments.first ?? "pelink"))
if !result.output.isEmpty { FileHandle.standardOutput.write(Data(result.output.utf8)) }
if !result.diagnostics.isEmpty { FileHandle.standardError.write(Data(result.diagnostics.utf8)) }
exit(result.exitCode)
