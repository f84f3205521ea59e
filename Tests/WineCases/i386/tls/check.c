/* Scenario "tls": thread-local variables of a DLL loaded with LoadLibrary, in two threads, and
 * its TLS callback. */
#include "check.h"

typedef void (*set_fn)(int);
typedef int *(*address_fn)(void);
typedef const char *(*text_fn)(void);
typedef unsigned (*reasons_fn)(void);
typedef void *(*instance_fn)(void);

static int_fn0 get, get_zero;
static set_fn set;
static address_fn address;
static text_fn text;

struct thread_result { int initial, zero, after_set; int *address; const char *text; };

static DWORD WINAPI thread_main(void *parameter) {
    struct thread_result *result = parameter;
    result->initial = get();
    result->zero = get_zero();
    set(1000);
    result->after_set = get();
    result->address = address();
    result->text = text();
    return 0;
}

RUN_CHECKS {
    HMODULE module = check_load("tls-load", "wn_tls.dll");
    if (module == NULL) return check_failures;
    get = (int_fn0)check_export("tls-exports", module, "tls_get");
    set = (set_fn)check_export("tls-exports", module, "tls_set");
    address = (address_fn)check_export("tls-exports", module, "tls_address");
    get_zero = (int_fn0)check_export("tls-exports", module, "tls_get_zero");
    text = (text_fn)check_export("tls-exports", module, "tls_get_text");
    reasons_fn reasons = (reasons_fn)check_export("tls-exports", module, "tls_callback_reasons");
    instance_fn instance = (instance_fn)check_export("tls-exports", module, "tls_callback_instance");
    if (!get || !set || !address || !get_zero || !text || !reasons || !instance) return check_failures;

    const IMAGE_NT_HEADERS32 *nt = check_headers(module);
    IMAGE_DATA_DIRECTORY directory = nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_TLS];
    check_int("tls-directory-size", (long)directory.Size, (long)sizeof(IMAGE_TLS_DIRECTORY32));

    check_int("tls-initial", get(), 5);
    check_int("tls-zero", get_zero(), 0);
    check_text("tls-text", text(), "thread-text");
    check_true("tls-address-outside-image", !check_inside_image(module, address()));
    set(9);
    check_int("tls-after-set", get(), 9);
    check_true("tls-callback-attach", (reasons() & 2u) != 0);
    check_same("tls-callback-instance", instance(), (void *)module);

    struct thread_result result = {0};
    HANDLE thread = CreateThread(NULL, 0, thread_main, &result, 0, NULL);
    if (thread == NULL) {
        check_true("tls-thread-created", 0);
        return check_failures;
    }
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    check_int("tls-thread-initial", result.initial, 5);
    check_int("tls-thread-zero", result.zero, 0);
    check_int("tls-thread-after-set", result.after_set, 1000);
    check_true("tls-thread-own-address", result.address != address());
    check_text("tls-thread-text", result.text, "thread-text");
    check_int("tls-main-unchanged", get(), 9);
    check_true("tls-callback-thread-attach", (reasons() & 4u) != 0);
    check_true("tls-callback-thread-detach", (reasons() & 8u) != 0);
    return check_failures;
}
