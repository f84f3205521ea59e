/* $-grouped sections: contributions are sorted by the part after '$' and merged. */
typedef void (*init_fn)(void);

#pragma section(".CRT$XCA", read)
#pragma section(".CRT$XCZ", read)
#pragma section(".grp$z", read, write)
#pragma section(".grp$a", read, write)

__declspec(allocate(".CRT$XCA")) const init_fn init_begin = 0;
__declspec(allocate(".CRT$XCZ")) const init_fn init_end = 0;

__declspec(allocate(".grp$z")) int grp_last = 0x7a7a7a7a;
__declspec(allocate(".grp$a")) int grp_first = 0x61616161;

/* Walk the pointers strictly between the two markers. */
__declspec(dllexport) void run_inits(void)
{
    const init_fn *p = &init_begin + 1;
    for (; p < &init_end; ++p)
        if (*p) (*p)();
}

__declspec(dllexport) int grp_span(void) { return (int)((char *)&grp_last - (char *)&grp_first); }
