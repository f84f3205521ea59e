/* The one Wine program of the suite. Each argument names a scenario; the program loads
 * check_<scenario>.dll (which imports or loads the linker-made DLLs of that scenario) and
 * calls its run_checks(). Output per scenario:
 *     begin <scenario>
 *     ok <scenario>-<check> ... | FAIL <scenario>-<check> ...
 *     end <scenario>
 * A crash prints "FAIL <scenario>-crash ..." and exits with 3 (the test then reruns the
 * scenarios after the crashed one). Exit status: 0 only when every check passed. */
#include <windows.h>
#include <stdio.h>

static const char *current_scenario = "main";

static LONG WINAPI report_crash(EXCEPTION_POINTERS *info) {
    printf("FAIL %s-crash code=0x%08lx at %p\n", current_scenario,
           (unsigned long)info->ExceptionRecord->ExceptionCode,
           info->ExceptionRecord->ExceptionAddress);
    fflush(stdout);
    ExitProcess(3);
    return EXCEPTION_EXECUTE_HANDLER;
}

int main(int argc, char **argv) {
    SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX | SEM_NOOPENFILEERRORBOX);
    SetUnhandledExceptionFilter(report_crash);
    int failures = 0;
    for (int i = 1; i < argc; i++) {
        const char *scenario = argv[i];
        current_scenario = scenario;
        printf("begin %s\n", scenario);
        fflush(stdout);
        char path[MAX_PATH];
        snprintf(path, sizeof path, "check_%s.dll", scenario);
        HMODULE module = LoadLibraryA(path);
        if (module == NULL) {
            printf("FAIL %s-load %s error=%lu\n", scenario, path, (unsigned long)GetLastError());
            failures++;
        } else {
            int (*run)(void) = (int (*)(void))(void *)GetProcAddress(module, "run_checks");
            if (run == NULL) {
                printf("FAIL %s-load run_checks missing\n", scenario);
                failures++;
            } else {
                failures += run();
            }
        }
        printf("end %s\n", scenario);
        fflush(stdout);
    }
    return failures == 0 ? 0 : 1;
}
