// swift-tools-version: 6.0
import PackageDescription

// Release builds check exclusive access at compile time only: the run-time checks on class
// properties (the symbol table, each object's sections) cost about 5% of a large link and of a
// small MinGW link. Debug
// builds, which the tests run, keep them.
let releaseSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "pelink",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "PEFormat", targets: ["PEFormat"]),
        .library(name: "PELink", targets: ["PELink"]),
        .executable(name: "pelink", targets: ["pelink"]),
    ],
    targets: [
        // Reading and writing COFF objects, archives, import objects, .def files and PE images.
        // No linking decisions live here.
        .target(name: "PEFormat", swiftSettings: releaseSettings),
        // The linker: command line, symbol resolution, exports, layout, relocation, image writing.
        .target(name: "PELink", dependencies: ["PEFormat"], swiftSettings: releaseSettings),
        // A position-dependent executable on Linux: as a PIE, the loader applies some 73,000
        // relative relocations (Swift's metadata) at every start, about 0.4 ms of a 12 ms link.
        // Release builds are linked statically, C library included: no dynamic loader runs and
        // no C function is bound on first call, which takes about 1 ms (10%) off a small MinGW
        // link. (The C library's name-service functions, which pelink does not call, would then
        // need the shared libraries of the glibc it was built with; the linker warns so.)
        .executableTarget(name: "pelink", dependencies: ["PELink", "PEFormat"],
                          linkerSettings: [.unsafeFlags(["-Xlinker", "-no-pie"], .when(platforms: [.linux])),
                                           .unsafeFlags(["-static-executable"], .when(platforms: [.linux], configuration: .release))]),
        .testTarget(name: "PEFormatTests", dependencies: ["PEFormat"]),
        .testTarget(name: "PELinkTests", dependencies: ["PELink", "PEFormat", "pelink"]),
    ],
    swiftLanguageModes: [.v6]
)
