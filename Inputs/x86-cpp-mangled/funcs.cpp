// C++ names on x86 carry no leading underscore: ?scale@@YAHH@Z (cdecl), ?twice@@YGHH@Z
// (stdcall), ?fast@@YIHHH@Z (fastcall), ?Counter@@3HA (data).
int scale(int x) { return x * 3; }
int __stdcall twice(int x) { return x * 2; }
int __fastcall fast(int a, int b) { return a + b; }
int Counter = 4;
struct Box { int value; int get() const; };
int Box::get() const { return value; }            // ?get@Box@@QBEHXZ (thiscall)
__declspec(dllexport) int exported_cpp(int x) { return scale(x) + Box{x}.get(); }  // .drectve
