/* hook has no definition anywhere: /alternatename from .drectve maps it to hook_default.
   cfg_value has none either: the command-line /alternatename maps it to cfg_value_default.
   overridden has an alternate name too, but b.obj defines it, so the alternate is unused. */
#pragma comment(linker, "/alternatename:hook=hook_default")
#pragma comment(linker, "/alternatename:overridden=overridden_default")

extern int hook(int);
extern int cfg_value;
extern int overridden(int);

int hook_default(int x) { return x + 1; }
int cfg_value_default = 500;
int overridden_default(int x) { return -x; }

__declspec(dllexport) int use_hooks(int x) { return hook(x) + cfg_value + overridden(x); }
