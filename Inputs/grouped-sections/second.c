typedef void (*init_fn)(void);

#pragma section(".CRT$XCU", read)
#pragma section(".grp$m", read, write)
#pragma section(".grp", read, write)

static int init_count;
static void init_one(void) { init_count += 1; }
static void init_two(void) { init_count += 2; }

__declspec(allocate(".CRT$XCU")) const init_fn init_table[2] = { init_one, init_two };
__declspec(allocate(".grp$m")) int grp_middle[3] = { 1, 2, 3 };
__declspec(allocate(".grp")) int grp_plain = 0x2e2e2e2e;   /* no '$': sorts before all $ parts */

__declspec(dllexport) int get_init_count(void) { return init_count; }
