/* Archive member with a name longer than 15 characters (stored in the GNU "//" table). */
__declspec(dllexport) int helper_twice(int x) { return 2 * x; }
