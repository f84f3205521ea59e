/* app_lld.exe: no CRT, entry point `start`; linked by lld-link against the import libraries the
   linker under test wrote (consumer_target.lib, kernel32.lib). Prints with WriteFile. */
typedef void *HANDLE;
typedef unsigned long DWORD;
__declspec(dllimport) HANDLE __stdcall GetStdHandle(DWORD which);
__declspec(dllimport) int __stdcall WriteFile(HANDLE file, const void *buffer, DWORD size, DWORD *written,
                                              void *overlapped);
__declspec(dllimport) __declspec(noreturn) void __stdcall ExitProcess(unsigned int code);
__declspec(dllimport) HANDLE __stdcall GetModuleHandleA(const char *name);
__declspec(dllimport) void *__stdcall GetProcAddress(HANDLE module, const char *name);

#include "consumer_checks.h"

static HANDLE output;
static int failures;
/* volatile: keeps the optimiser from turning the copy loops into calls to a C library we lack. */
static volatile char line[200];
static unsigned used;

static void put_char(char c) {
    if (used < sizeof line) line[used++] = c;
}

static void put_text(const char *text) {
    while (*text) put_char(*text++);
}

static void put_int(int value) {
    unsigned magnitude = (unsigned)value;
    if (value < 0) {
        put_char('-');
        magnitude = 0u - magnitude;
    }
    char digits[12];
    int count = 0;
    do {
        digits[count++] = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude != 0);
    while (count > 0) put_char(digits[--count]);
}

static void end_line(void) {
    DWORD written = 0;
    put_char('\n');
    WriteFile(output, (const void *)line, used, &written, 0);
    used = 0;
}

static void report_int(const char *label, int got, int want) {
    put_text(got == want ? "ok " : "FAIL ");
    put_text(label);
    put_char(' ');
    put_int(got);
    if (got != want) {
        put_text(" expected ");
        put_int(want);
        failures++;
    }
    end_line();
}

static void report_true(const char *label, int condition) {
    put_text(condition ? "ok " : "FAIL ");
    put_text(label);
    if (!condition) failures++;
    end_line();
}

void start(void) {
    output = GetStdHandle((DWORD)-11); /* STD_OUTPUT_HANDLE */
    run_consumer_checks();
    ExitProcess(failures == 0 ? 0 : 1);
}
