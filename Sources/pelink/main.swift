import Foundation
import PEFormat
import PELink

TemporaryOutputs.installSignalHandlers()
Driver.leavesTablesForExit = true
let result = Driver.run(arguments: Array(CommandLine.arguments.dropFirst()),
                        programName: (CommandLine.arguments.first ?? "pelink"))
if !result.output.isEmpty { FileHandle.standardOutput.write(Data(result.output.utf8)) }
if !result.diagnostics.isEmpty { FileHandle.standardError.write(Data(result.diagnostics.utf8)) }
exit(result.exitCode)
