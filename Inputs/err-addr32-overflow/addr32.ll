; truncated_address holds the low 32 bits of the absolute address of far_target: an
; IMAGE_REL_AMD64_ADDR32 relocation. With the default DLL base 0x180000000 the address
; does not fit in 32 bits.
@far_target = dso_local global i32 7, align 4
@truncated_address = dllexport global i32 ptrtoint (ptr @far_target to i32), align 4
