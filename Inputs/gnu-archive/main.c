/* Needs helper_twice (in the long-named member) and short_value (in short.obj);
   the library precedes this object on the command line. */
int helper_twice(int x);
extern int short_value;
__declspec(dllexport) int use_archive(int x) { return helper_twice(x) + short_value; }
