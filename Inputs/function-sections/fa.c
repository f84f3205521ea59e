/* Built with -ffunction-sections -fdata-sections: one COMDAT section per item. */
int fa_counter = 3;
const int fa_consts[3] = { 4, 5, 6 };
int fa_zeroed[8];
static int fa_local(int x) { return x * fa_consts[x % 3]; }
extern int fb_helper(int);
__declspec(dllexport) int fa_api(int x) { return fa_local(x) + fb_helper(x) + fa_counter + fa_zeroed[1]; }
int fa_unreferenced(int x) { return x + 999; }
