@testable import PELink
import Testing

/// Parsing records which read-only COMDAT sections a vtable symbol names, before the link's
/// machine is known; folding then keeps the names its machine decorates that way.
@Suite struct VTablePrefixTests {
    @Test func prefixesFollowTheMachinesDecoration() {
        let cases: [(name: StaticString, x64: Bool, x86: Bool)] = [
            ("??_7Foo@@6B@", true, true),
            ("_ZTV3Foo", true, false),        // Itanium, undecorated: a vtable on x64 and ARM64
            ("__ZTV3Foo", false, true),       // the same name with x86's C decoration
            ("_ZTI3Foo", false, false),       // type info, not a vtable
            ("??_R0?AVFoo@@@8", false, false),
            ("_ZT", false, false),            // shorter than any prefix
            ("", false, false),
        ]
        for (name, x64, x86) in cases {
            let prefix = VTablePrefix(Name(name))
            #expect((prefix?.namesVTable(decoratesCNames: false) ?? false) == x64, "\(name) on x64")
            #expect((prefix?.namesVTable(decoratesCNames: true) ?? false) == x86, "\(name) on x86")
        }
    }
}
