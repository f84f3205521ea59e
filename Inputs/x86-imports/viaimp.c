/* __declspec(dllimport): code reads the IAT slot __imp_X directly (call *[__imp_X], a DIR32
   with a HIGHLOW base relocation at the call site). */
__declspec(dllimport) unsigned long GetTickCount(void);
__declspec(dllimport) int __fastcall prov_fast(int a, int b);
__declspec(dllimport) int __vectorcall prov_vec(int a, int b);
__declspec(dllimport) extern int sys_counter;
__declspec(dllimport) extern int prov_data;

__declspec(dllexport) int use_imports(int x)
{
    return (int)GetTickCount() + prov_fast(x, 3) + prov_vec(x, 4) + sys_counter + prov_data;
}
