/* Direct calls (IMAGE_REL_I386_REL32) to a function in another object, to a static function
   and between functions in separate sections of this object (-ffunction-sections). */
int leaf(int x);                      /* in jumps.obj */
int twice(int x);                     /* in jumps.obj */

__attribute__((noinline)) static int local_helper(int x) { return x * 7; }
__attribute__((noinline)) int section_neighbour(int x) { return x - 1; }

__declspec(dllexport) int caller(int x) { return leaf(x) + local_helper(x) + section_neighbour(x); }
__declspec(dllexport) int tail_caller(int x) { return twice(x + 1); }   /* a call with the stack cleaned by the caller */
