/* Shared helpers for the check DLLs, built with x86_64-w64-mingw32-gcc for the x64 suite and
 * with i686-w64-mingw32-gcc for the i386 one (IMAGE_NT_HEADERS is then PE32+ or PE32).
 * Every check prints exactly one line: "ok <label> [value]" or "FAIL <label> ...".
 * run_checks() returns the number of failures. Nothing here may crash on a failed
 * lookup: a missing export is reported and the dependent calls are skipped. */
#ifndef WINE_CHECK_H
#define WINE_CHECK_H

#include <windows.h>
#include <stdio.h>
#include <string.h>

static int check_failures;

#define RUN_CHECKS __declspec(dllexport) int run_checks(void)

static inline void check_fail_line(void) { check_failures++; }

static inline void check_int(const char *label, long got, long want) {
    if (got == want) {
        printf("ok %s %ld\n", label, got);
    } else {
        printf("FAIL %s got %ld want %ld\n", label, got, want);
        check_fail_line();
    }
    fflush(stdout);
}

static inline void check_hex(const char *label, unsigned long got, unsigned long want) {
    if (got == want) {
        printf("ok %s %08lx\n", label, got);
    } else {
        printf("FAIL %s got %08lx want %08lx\n", label, got, want);
        check_fail_line();
    }
    fflush(stdout);
}

static inline void check_true(const char *label, int condition) {
    if (condition) {
        printf("ok %s\n", label);
    } else {
        printf("FAIL %s\n", label);
        check_fail_line();
    }
    fflush(stdout);
}

static inline void check_same(const char *label, const void *got, const void *want) {
    if (got == want && got != NULL) {
        printf("ok %s\n", label);
    } else {
        printf("FAIL %s got %p want %p\n", label, got, want);
        check_fail_line();
    }
    fflush(stdout);
}

static inline void check_text(const char *label, const char *got, const char *want) {
    if (got != NULL && strcmp(got, want) == 0) {
        printf("ok %s %s\n", label, got);
    } else {
        printf("FAIL %s got \"%s\" want \"%s\"\n", label, got ? got : "(null)", want);
        check_fail_line();
    }
    fflush(stdout);
}

/* A module loaded by name; reports the failure (with GetLastError) when it cannot be loaded. */
static inline HMODULE check_load(const char *label, const char *dll) {
    HMODULE module = LoadLibraryA(dll);
    if (module == NULL) {
        printf("FAIL %s cannot load %s error=%lu\n", label, dll, (unsigned long)GetLastError());
        check_fail_line();
        fflush(stdout);
    }
    return module;
}

/* An export that must exist; a missing one is reported as a failure. */
static inline void *check_export(const char *label, HMODULE module, const char *name) {
    void *address = module ? (void *)GetProcAddress(module, name) : NULL;
    if (address == NULL) {
        printf("FAIL %s missing export %s\n", label, name);
        check_fail_line();
        fflush(stdout);
    }
    return address;
}

/* The headers of a loaded module: PE32+ in an x64 check DLL, PE32 in an i386 one. */
static inline const IMAGE_NT_HEADERS *check_headers(HMODULE module) {
    const unsigned char *base = (const unsigned char *)module;
    return (const IMAGE_NT_HEADERS *)(base + ((const IMAGE_DOS_HEADER *)base)->e_lfanew);
}

/* True when `address` lies inside the mapped image that starts at `module`. */
static inline int check_inside_image(HMODULE module, const void *address) {
    const unsigned char *base = (const unsigned char *)module;
    const unsigned char *p = (const unsigned char *)address;
    return module != NULL && p >= base && p < base + check_headers(module)->OptionalHeader.SizeOfImage;
}

typedef int (*int_fn0)(void);
typedef int (*int_fn1)(int);

#endif
