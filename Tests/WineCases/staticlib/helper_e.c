/* Member pulled only by /include:helper_e_marker; once pulled, its own directive exports helper_e_forced. */
int helper_e_marker = 1;

__declspec(dllexport) int helper_e_forced(void) { return 55; }
