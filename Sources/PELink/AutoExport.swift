import Foundation
import PEFormat

/// GNU ld's automatic export (MinGW): every global symbol defined in the link's own objects,
/// except the runtime's and libraries' internals, which the lists below name as GNU ld and lld do.
enum AutoExport {
    static let excludedNames: Set<String> = [
        "__NULL_IMPORT_DESCRIPTOR", "__pei386_runtime_relocator", "_pei386_runtime_relocator", "do_pseudo_reloc",
        "impure_ptr", "_impure_ptr", "_fmode", "environ", "_dll_crt0@0", "_dll_entry@12", "DllMain@12",
        "DllEntryPoint@12", "DllMainCRTStartup@12", "_DllMainCRTStartup@12", "DllMain", "DllEntryPoint",
        "DllMainCRTStartup", "_DllMainCRTStartup", "mingw_init_ehandler", "__CTOR_LIST__", "__DTOR_LIST__",
        "___CTOR_LIST__", "___DTOR_LIST__", "_tls_used", "_tls_index", "__ImageBase", "_load_config_used",
    ]
    static let excludedPrefixes = ["__head_", "_head_", "__imp_", "__IMPORT_DESCRIPTOR_", "__nm_", "_Jv_", ".refptr.",
                                   "__guard_", "\u{1}"]
    static let excludedSuffixes = ["_iname", "_NULL_THUNK_DATA"]
    /// Runtime and support libraries (archive base name without extension).
    static let excludedLibraries: Set<String> = [
        "libgcc", "libgcc_s", "libstdc++", "libmingw32", "libmingwex", "libg2c", "libsupc++", "libobjc", "libgcj",
        "libclang_rt.builtins", "libclang_rt.builtins-aarch64", "libclang_rt.builtins-arm", "libclang_rt.builtins-i386",
        "libclang_rt.builtins-x86_64", "libclang_rt.profile", "libc++", "libc++abi", "libunwind", "libmsvcrt",
        "libmsvcrt-os", "libucrt", "libucrtbase", "libucrtapp",
    ]
    /// Startup objects of the C runtime.
    static let excludedObjects: Set<String> = [
        "crt0.o", "crt1.o", "crt1u.o", "crt2.o", "crt2u.o", "dllcrt1.o", "dllcrt2.o", "gcrt0.o", "gcrt1.o", "gcrt2.o",
        "crtbegin.o", "crtend.o",
    ]

    /// Export requests for every eligible symbol, in symbol-table order (ordinals come later, by name).
    /// On x86 the lists (and --exclude-symbols) are C names, matched against symbols without
    /// their leading underscore as well.
    static func requests(_ resolver: SymbolResolver, excluded: Set<String>) -> [ExportRequest] {
        let decorates = Target(resolver.options.machine).decoratesCNames
        var result: [ExportRequest] = []
        // Whether each object is excluded, decided once per object rather than per symbol.
        var objectExcluded = [Bool?](repeating: nil, count: resolver.objects.count)
        for g in resolver.symbols.indices {
            let symbol = resolver.symbols[g]
            guard symbol.kind == .defined || symbol.kind == .common, symbol.file >= 0 else { continue }
            let object = resolver.objects[Int(symbol.file)]
            let excludedObject = objectExcluded[Int(symbol.file)] ?? isExcluded(object)
            objectExcluded[Int(symbol.file)] = excludedObject
            if excludedObject { continue }
            let name = resolver.names[g].string
            let plain = decorates && name.hasPrefix("_") ? String(name.dropFirst()) : name
            if excluded.contains(plain) || excludedNames.contains(name) || excludedNames.contains(plain) { continue }
            if excludedPrefixes.contains(where: { name.hasPrefix($0) || plain.hasPrefix($0) }) || excludedSuffixes.contains(where: { name.hasSuffix($0) }) { continue }
            // A function with an __imp_ twin is an import (a thunk from a GNU import library), not ours.
            if let twin = resolver.find("__imp_" + name), resolver.symbols[Int(twin)].kind != .undefined { continue }
            var request = ExportRequest(name: name, source: .exportAll)
            // Data symbols are exported as DATA: importers must go through __imp_ (or auto-import).
            if symbol.kind == .common {
                request.isData = true
            } else if symbol.section >= 0 {
                request.isData = !object.sections[Int(symbol.section)].flags.contains(.memExecute)
            }
            result.append(request)
        }
        return result
    }

    static func isExcluded(_ object: ObjectFile) -> Bool {
        let objectName = ((object.memberName ?? object.displayName) as NSString).lastPathComponent
        if excludedObjects.contains(objectName) { return true }
        if let archive = object.archivePath {
            var base = (archive as NSString).lastPathComponent
            for suffix in [".dll.a", ".a", ".lib"] where base.hasSuffix(suffix) { base = String(base.dropLast(suffix.count)); break }
            if excludedLibraries.contains(base) { return true }
        }
        return false
    }
}
