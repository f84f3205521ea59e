/* Calls declared __declspec(dllimport): the compiler calls through the delay IAT slot itself.
   One call per function, in a file of its own: the compiler treats the slot as constant, so two
   calls in one function could share one load of it and both reach the delay-load thunk. */
#include "delayload.h"

__declspec(dllimport) int delayed_add(int a, int b);
/* Imported by ordinal: delayed.lib's import object names ordinal 5 (delayed.def: NONAME). */
__declspec(dllimport) int delayed_mul(int a, int b);

int add_by_dllimport(int a, int b) { return delayed_add(a, b); }

int mul_by_ordinal(int a, int b) { return delayed_mul(a, b); }
