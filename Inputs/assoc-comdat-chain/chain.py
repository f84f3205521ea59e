#!/usr/bin/env python3
"""Writes first.yaml and second.yaml for the assoc-comdat-chain case.

Both objects define dup_function in a SELECT_ANY COMDAT (.text$dup). In
second.yaml that COMDAT is the root of a chain of CHAIN associative .rdata$c
sections in which every section is associated with the section after it
(section 2 -> 3 -> ... -> root), i.e. against section index order. first.obj
comes first on the command line, so second.obj's copy loses, and every section
of the chain must be discarded with it.
"""
CHAIN = 40

def hexstr(s):
    return s.encode().hex().upper()

def header():
    return ["--- !COFF", "header:", "  Machine:         IMAGE_FILE_MACHINE_AMD64", "  Characteristics: []", "sections:"]

def section(name, chars, align, data, relocs=()):
    out = [f"  - Name:            '{name}'", f"    Characteristics: [ {', '.join(chars)} ]",
           f"    Alignment:       {align}", f"    SectionData:     '{data}'"]
    if relocs:
        out.append("    Relocations:")
        for va, sym, typ in relocs:
            out += [f"      - VirtualAddress:  {va}", f"        SymbolName:      {sym}", f"        Type:            {typ}"]
    return out

def symbol(name, number, storage, dtype="IMAGE_SYM_DTYPE_NULL", value=0, secdef=None):
    out = [f"  - Name:            '{name}'", f"    Value:           {value}", f"    SectionNumber:   {number}",
           "    SimpleType:      IMAGE_SYM_TYPE_NULL", f"    ComplexType:     {dtype}", f"    StorageClass:    {storage}"]
    if secdef:
        length, assoc, selection = secdef
        out += ["    SectionDefinition:", f"      Length:          {length}", "      NumberOfRelocations: 0",
                "      NumberOfLinenumbers: 0", "      CheckSum:        0", f"      Number:          {assoc}",
                f"      Selection:       {selection}"]
    return out

CODE = ["IMAGE_SCN_CNT_CODE", "IMAGE_SCN_MEM_EXECUTE", "IMAGE_SCN_MEM_READ"]
COMDAT_CODE = ["IMAGE_SCN_CNT_CODE", "IMAGE_SCN_LNK_COMDAT", "IMAGE_SCN_MEM_EXECUTE", "IMAGE_SCN_MEM_READ"]
COMDAT_RDATA = ["IMAGE_SCN_CNT_INITIALIZED_DATA", "IMAGE_SCN_LNK_COMDAT", "IMAGE_SCN_MEM_READ"]
DRECTVE = ["IMAGE_SCN_LNK_INFO", "IMAGE_SCN_LNK_REMOVE"]
EXTERNAL, STATIC = "IMAGE_SYM_CLASS_EXTERNAL", "IMAGE_SYM_CLASS_STATIC"
FUNCTION = "IMAGE_SYM_DTYPE_FUNCTION"

# first.obj: .text$dup (dup_function returns 1) with one associative .rdata$c.
first = header()
first += section(".text$dup", COMDAT_CODE, 16, "B801000000C3")
first += section(".rdata$c", COMDAT_RDATA, 4, "11111111")
first += section(".drectve", DRECTVE, 1, hexstr("/EXPORT:dup_function /EXPORT:first_table,DATA "))
first += ["symbols:"]
first += symbol(".text$dup", 1, STATIC, secdef=(6, 0, "IMAGE_COMDAT_SELECT_ANY"))
first += symbol("dup_function", 1, EXTERNAL, FUNCTION)
first += symbol(".rdata$c", 2, STATIC, secdef=(4, 1, "IMAGE_COMDAT_SELECT_ASSOCIATIVE"))
first += symbol("first_table", 2, EXTERNAL)
first += ["..."]

# second.obj: section 1 .text (second_function calls dup_function), sections
# 2..CHAIN+1 the chain, section CHAIN+2 the losing root .text$dup.
root = CHAIN + 2
second = header()
second += section(".text", CODE, 16, "E800000000C3", [(1, "dup_function", "IMAGE_REL_AMD64_REL32")])
for i in range(CHAIN):
    second += section(".rdata$c", COMDAT_RDATA, 4, f"{0x22220000 + i:08X}")
second += section(".text$dup", COMDAT_CODE, 16, "B802000000C3")
second += section(".drectve", DRECTVE, 1, hexstr("/EXPORT:second_function "))
second += ["symbols:"]
second += symbol(".text", 1, STATIC, secdef=(6, 0, "0"))
second += symbol("second_function", 1, EXTERNAL, FUNCTION)
for i in range(CHAIN):
    number = 2 + i
    second += symbol(".rdata$c", number, STATIC, secdef=(4, number + 1, "IMAGE_COMDAT_SELECT_ASSOCIATIVE"))
second += symbol(".text$dup", root, STATIC, secdef=(6, 0, "IMAGE_COMDAT_SELECT_ANY"))
second += symbol("dup_function", root, EXTERNAL, FUNCTION)
second += ["..."]

for name, lines in (("first.yaml", first), ("second.yaml", second)):
    with open(name, "w") as f:
        f.write("\n".join(lines) + "\n")
