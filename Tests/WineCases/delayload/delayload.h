/* What the no-CRT program delay_main.exe shares between its files: the few Windows types and
   kernel32 functions it uses (declared here: the MSVC target has no Windows SDK on this machine),
   the image structures the delay-load helper walks, and the functions each file provides. */
typedef void *HANDLE;
typedef void *HMODULE;
typedef unsigned long DWORD;
typedef unsigned short WORD;
typedef __UINTPTR_TYPE__ uintptr_t;
typedef int(__stdcall *FARPROC)(void);

__declspec(dllimport) HANDLE __stdcall GetStdHandle(DWORD which);
__declspec(dllimport) int __stdcall WriteFile(HANDLE file, const void *buffer, DWORD size, DWORD *written,
                                              void *overlapped);
__declspec(dllimport) __declspec(noreturn) void __stdcall ExitProcess(unsigned int code);
__declspec(dllimport) HMODULE __stdcall GetModuleHandleA(const char *name);
__declspec(dllimport) HMODULE __stdcall LoadLibraryA(const char *name);
__declspec(dllimport) FARPROC __stdcall GetProcAddress(HMODULE module, const char *name);
__declspec(dllimport) int __stdcall FreeLibrary(HMODULE module);

/* delayimp.h's ImgDelayDescr with attributes 1 (dlattrRva): every field is an RVA. */
typedef struct {
    DWORD grAttrs;
    DWORD rvaDLLName;
    DWORD rvaHmod;
    DWORD rvaIAT;
    DWORD rvaINT;
    DWORD rvaBoundIAT;
    DWORD rvaUnloadIAT;
    DWORD dwTimeStamp;
} ImgDelayDescr;

/* The start of IMAGE_DOS_HEADER up to e_lfanew, the offset of the NT headers. */
typedef struct {
    WORD e_magic;
    WORD e_unused[29];
    long e_lfanew;
} IMAGE_DOS_HEADER;

typedef struct {
    DWORD VirtualAddress;
    DWORD Size;
} IMAGE_DATA_DIRECTORY;

#define IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT 13
/* In an import name table entry: import by ordinal (IMAGE_ORDINAL_FLAG64 / IMAGE_ORDINAL_FLAG32). */
#define ORDINAL_FLAG ((uintptr_t)1 << (sizeof(uintptr_t) * 8 - 1))

/* delayimp.c: the delay-load helper the tail-merge code calls, the unload function, and what
   main.c reads through the descriptors to see the helper's work. */
extern volatile int delay_helper_calls;
FARPROC __stdcall __delayLoadHelper2(const ImgDelayDescr *descriptor, FARPROC *slot);
int __stdcall __FUnloadDelayLoadedDLL2(const char *dll);
const ImgDelayDescr *find_delay_descriptor(const char *dll);
/* The delay IAT slot of `function` (a name, or an ordinal cast to a pointer as for GetProcAddress). */
FARPROC delay_slot(const char *dll, const char *function);
HMODULE delay_module_handle(const char *dll);
int image_contains(FARPROC address);

/* main.c: reports a failure the helper cannot return from, then exits. */
__declspec(noreturn) void fatal(const char *what);

/* dllimport_calls.c: calls through the delay IAT slot (`call [__imp_x]`). */
int add_by_dllimport(int a, int b);
int mul_by_ordinal(int a, int b);
/* thunk_calls.c: a call without dllimport, through the import thunk (`jmp [__imp_x]`). */
int add_by_import_thunk(int a, int b);
