/* wn_staticlib.dll: the only object given directly; everything else comes from helpers.lib. */
int helper_a(int x);
int optional_hook(void);   /* undefined; /alternatename:optional_hook=default_hook */

int staticlib_compute(int x) { return helper_a(x); }
int staticlib_hook(void) { return optional_hook(); }
