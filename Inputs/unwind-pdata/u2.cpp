extern "C" int sink(int);

__attribute__((noinline)) inline int shared_inline(int x) { return sink(x) + sink(x + 1); }

extern "C" int sink(int x) { return x * 3 + 1; }

extern "C" __declspec(dllexport) int unwind_two(int x) { return shared_inline(x) * sink(x); }
