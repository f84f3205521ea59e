/* The load configuration an i386 image needs for SafeSEH, defined the way MSVC's CRT does
 * (loadcfg.c): _load_config_used (symbol __load_config_used) points at the handler table and
 * count the linker defines (___safe_se_handler_table, ___safe_se_handler_count). The structure
 * is IMAGE_LOAD_CONFIG_DIRECTORY32 up to SEHandlerCount (no SDK headers for the MSVC target). */
typedef unsigned long DWORD;
typedef unsigned short WORD;

extern void *__safe_se_handler_table[];
extern unsigned char __safe_se_handler_count;

unsigned long __security_cookie = 0xBB40E64E;

typedef struct {
    DWORD Size;
    DWORD TimeDateStamp;
    WORD MajorVersion, MinorVersion;
    DWORD GlobalFlagsClear, GlobalFlagsSet, CriticalSectionDefaultTimeout;
    DWORD DeCommitFreeBlockThreshold, DeCommitTotalFreeThreshold, LockPrefixTable;
    DWORD MaximumAllocationSize, VirtualMemoryThreshold, ProcessHeapFlags, ProcessAffinityMask;
    WORD CSDVersion, DependentLoadFlags;
    DWORD EditList, SecurityCookie, SEHandlerTable, SEHandlerCount;
} LOAD_CONFIG_DIRECTORY32;

const LOAD_CONFIG_DIRECTORY32 _load_config_used = {
    .Size = sizeof(LOAD_CONFIG_DIRECTORY32),
    .SecurityCookie = (DWORD)&__security_cookie,
    .SEHandlerTable = (DWORD)__safe_se_handler_table,
    .SEHandlerCount = (DWORD)&__safe_se_handler_count,
};
