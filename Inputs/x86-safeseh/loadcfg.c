/* _load_config_used as MSVC's CRT writes it (here only up to SEHandlerCount):
   an IMAGE_LOAD_CONFIG_DIRECTORY32 whose Size field (0x48) the linker copies into the
   load-config data directory, and whose SEHandlerTable/SEHandlerCount are the linker-defined
   __safe_se_handler_table and __safe_se_handler_count (x86 symbols ___safe_se_handler_table,
   ___safe_se_handler_count; the count is an absolute symbol, so its DIR32 gets no base
   relocation). */
typedef unsigned long DWORD;
typedef unsigned short WORD;

typedef struct {
    DWORD Size, TimeDateStamp;
    WORD MajorVersion, MinorVersion;
    DWORD GlobalFlagsClear, GlobalFlagsSet, CriticalSectionDefaultTimeout;
    DWORD DeCommitFreeBlockThreshold, DeCommitTotalFreeThreshold, LockPrefixTable;
    DWORD MaximumAllocationSize, VirtualMemoryThreshold, ProcessHeapFlags, ProcessAffinityMask;
    WORD CSDVersion, DependentLoadFlags;
    DWORD EditList, SecurityCookie;
    DWORD SEHandlerTable, SEHandlerCount;
} load_config32;

extern void *__safe_se_handler_table[];
extern unsigned char __safe_se_handler_count;
DWORD __security_cookie = 0xBB40E64E;

const load_config32 _load_config_used = {
    sizeof(load_config32), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    (DWORD)&__security_cookie,
    (DWORD)__safe_se_handler_table,
    (DWORD)&__safe_se_handler_count,
};
