/* Line output for the Wine programs that run without a C runtime (consumers/main.c,
   delayload/main.c): one line at a time through WriteFile. The including file declares
   HANDLE, GetStdHandle, WriteFile and ExitProcess first. */
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
