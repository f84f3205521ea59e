/* Globals of every access size, a struct, arrays, a string table and pointer tables. */
struct record { char tag; short half; int word; long long wide; double real; __int128 quad; };

char g_byte = 1;
short g_half = 2;
int g_word = 3;
long long g_wide = 4;
float g_float = 5.0f;
double g_double = 6.0;
_Alignas(16) __int128 g_quad = 7;
struct record g_records[4] = { { 'a', 1, 2, 3, 4.0, 5 }, { 'b', 6, 7, 8, 9.0, 10 } };
int g_zeroed[300];
const char *const g_names[] = { "zero", "one", "two", "three" };
int *g_pointers[] = { &g_word, &g_zeroed[10], &g_zeroed[299], 0 };

int call_back(int x) { return x * 2 + g_word; }
int (*g_callbacks[])(int) = { call_back, 0 };
