/* Reads and writes every global: adrp + ldr/str :lo12: scaled by 1, 2, 4, 8 and 16, with the
   struct members and array elements as addends; pointer tables with DIR64 base relocations. */
struct record { char tag; short half; int word; long long wide; double real; __int128 quad; };

extern char g_byte;
extern short g_half;
extern int g_word;
extern long long g_wide;
extern float g_float;
extern double g_double;
extern __int128 g_quad;
extern struct record g_records[4];
extern int g_zeroed[300];
extern const char *const g_names[];
extern int *g_pointers[];
extern int (*g_callbacks[])(int);

static int s_local_counter;
static const char *s_message = "message in .rdata";

__declspec(dllexport) long long sum_all(void)
{
    return g_byte + g_half + g_word + g_wide + (long long)g_float + (long long)g_double + (long long)g_quad
         + g_records[1].tag + g_records[1].half + g_records[1].word + g_records[1].wide
         + (long long)g_records[1].real + (long long)g_records[1].quad + g_zeroed[250] + s_local_counter;
}

__declspec(dllexport) void store_all(long long v)
{
    g_byte = (char)v; g_half = (short)v; g_word = (int)v; g_wide = v;
    g_float = (float)v; g_double = (double)v; g_quad = v;
    g_records[2].tag = (char)v; g_records[2].half = (short)v; g_records[2].word = (int)v;
    g_records[3].wide = v; g_records[3].real = (double)v; g_records[3].quad = v;
    g_zeroed[299] = (int)v;
    s_local_counter++;
}

__declspec(dllexport) const char *name_of(int i) { return i == 9 ? s_message : g_names[i & 3]; }
__declspec(dllexport) int deref(int i) { return *g_pointers[i & 3] + g_callbacks[0](i); }
__declspec(dllexport) const char *literal(void) { return "a string literal"; }
