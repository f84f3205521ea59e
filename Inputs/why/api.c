/* The DLL of the /why golden cases. api_entry (exported by __declspec) calls step_one, which
   calls step_two: an export's callee chain. use_twins (exported by why.def) calls twin_a and
   twin_b, which compile to the same bytes, so /opt:icf folds twin_b into twin_a. unused_local is
   called by nothing and /opt:ref removes it. lib_helper comes from helpers.lib, pulled in by the
   undefined reference in this object; never_pulled, in another member, is not. */
int lib_helper(int x);
__declspec(noinline) int step_two(int x) { return x * 3 + 1; }
__declspec(noinline) int step_one(int x) { return step_two(x) + 2; }
__declspec(dllexport) int api_entry(int x) { return step_one(x) + lib_helper(x); }
int unused_local(int x) { return x - 7; }
__declspec(noinline) int twin_a(int x) { return x * 5 + 9; }
__declspec(noinline) int twin_b(int x) { return x * 5 + 9; }
int use_twins(int x) { return twin_a(x) + twin_b(x + 1); }
