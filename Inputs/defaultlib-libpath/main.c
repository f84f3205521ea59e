/* Libraries named in .drectve (#pragma comment(lib)) are searched in /libpath: dirs. */
#pragma comment(lib, "mathhelp")        /* -> /DEFAULTLIB:mathhelp.lib, found in libs/ */
#pragma comment(lib, "nosuchlib")       /* suppressed with /nodefaultlib:nosuchlib.lib */
extern int helper_square(int);
extern int helper_cube(int);
__declspec(dllexport) int poly(int x) { return helper_square(x) + helper_cube(x); }
