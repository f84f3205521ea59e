/* Exports come only from __declspec(dllexport): .drectve /EXPORT: entries. */
__declspec(dllexport) int api_version = 3;
__declspec(dllexport) const char api_name[] = "dllexport-only";

extern int internal_helper(int);

__declspec(dllexport) int api_compute(int x) { return internal_helper(x) + api_version; }
__declspec(dllexport) void api_reset(void) { api_version = 0; }
