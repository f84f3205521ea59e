/* A call without __declspec(dllimport): the linker resolves delayed_add to its import thunk
   (`jmp [__imp_delayed_add]`), which jumps through the same delay IAT slot. */
#include "delayload.h"

int delayed_add(int a, int b);

int add_by_import_thunk(int a, int b) { return delayed_add(a, b); }
