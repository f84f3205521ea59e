import PEFormat

/// Errors and warnings of a link, collected per pass; a checkpoint between passes stops the link
/// after every error of the pass has been reported. `lines` go to standard error (errors,
/// warnings and /verbose notes, as link.exe and lld-link print them); `output` to standard
/// output (the /time report).
struct Diagnostics {
    private(set) var lines: [String] = []
    private(set) var output: [String] = []
    private(set) var errorCount = 0
    var warningsAreErrors = false

    mutating func error(_ message: String) {
        lines.append("error: " + message)
        errorCount += 1
    }

    mutating func warning(_ message: String) {
        if warningsAreErrors {
            lines.append("error: " + message + " (warning treated as error: /wx)")
            errorCount += 1
        } else {
            lines.append("warning: " + message)
        }
    }

    /// A /verbose note.
    mutating func note(_ message: String) { lines.append(message) }

    /// A line of the /time report.
    mutating func report(_ message: String) { output.append(message) }

    var hasErrors: Bool { errorCount > 0 }
}

/// Thrown at a checkpoint when the pass just finished reported errors.
struct LinkFailed: Error {}

/// How a diagnostic names a symbol: as lld-link does, a C++ name by its demangled form (an i386
/// Itanium name carries one more underscore), `__imp_X` as `__declspec(dllimport) X`; then the
/// name itself in parentheses, which is what a .def file or /export: must spell.
func symbolDisplayName(_ name: String, machine: Machine, demangle: Bool = true, withName: Bool = true) -> String {
    guard demangle else { return name }
    var prefix = "", body = Substring(name)
    if body.hasPrefix("__imp_") {
        prefix = "__declspec(dllimport) "
        body = body.dropFirst(6)
    }
    var demangled = demangleMicrosoft(String(body))
    if demangled == nil {
        if machine == .i386 {
            if body.hasPrefix("__Z") { demangled = demangleItanium(String(body.dropFirst())) }
        } else {
            demangled = demangleItanium(String(body))
        }
    }
    if let demangled { return prefix + demangled + (withName ? " (" + name + ")" : "") }
    // An MSVC name the demangler does not fully read: at least its qualified name.
    let shown = prefix + body + (body.hasPrefix("?") ? demangledSuffix(String(body)) : "")
    return shown == name ? name : shown + " (" + name + ")"
}

/// The demangled form of a C++ name (MSVC `?` or Itanium `_Z` mangling), for diagnostics.
/// `?get@Counter@app@@QEAAHXZ` → ` (public: int __cdecl app::Counter::get(void))`; "" when not mangled.
func demangledSuffix(_ name: String) -> String {
    if let demangled = demangleMicrosoft(name) ?? demangleItanium(name) { return " (" + demangled + ")" }
    // Names the demanglers do not fully understand: at least the qualified name of an MSVC name.
    guard name.hasPrefix("?"), !name.hasPrefix("??") || name.hasPrefix("??0") || name.hasPrefix("??1") else { return "" }
    var body = Substring(name.dropFirst())
    var special = ""
    if body.hasPrefix("?0") { special = "constructor"; body = body.dropFirst(2) }
    else if body.hasPrefix("?1") { special = "destructor"; body = body.dropFirst(2) }
    guard let end = body.range(of: "@@") else { return "" }
    let parts = body[..<end.lowerBound].split(separator: "@").map(String.init)
    guard !parts.isEmpty, parts.allSatisfy({ $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }) else { return "" }
    var qualified = parts.reversed().joined(separator: "::")
    if special == "constructor", let cls = parts.first { qualified += "::" + cls }
    if special == "destructor", let cls = parts.first { qualified += "::~" + cls }
    return " (\(qualified))"
}
