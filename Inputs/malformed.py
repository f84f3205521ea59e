#!/usr/bin/env python3
"""Writes the small inputs of the err-* malformed-input golden cases.

Usage (from a case's BUILD, inside the case folder):
    ${PYTHON:-python3} ../malformed.py NAME out-file
    ${PYTHON:-python3} ../malformed.py --list

NAME is either one of the VALID inputs (a well-formed object, archive or import object that the
defect cases build on, or that a case links next to its broken input), or one DEFECT: the valid
base input of its kind, written from scratch with struct packing, with exactly one thing broken.
Everything is deterministic: time stamps are 0 and nothing depends on the host.

The base x64 object (obj_base) holds
    .text     exported_function (lea of counter, call of helper: two REL32 relocations), helper
    .data     counter, and function_table_with_long_name: a pointer to exported_function (ADDR64)
    .drectve  " /EXPORT:exported_function"
and the symbols @feat.00, .text/.data/.drectve (with section-definition auxiliary records),
exported_function, helper, counter and function_table_with_long_name (whose name lives in the
string table). Variants call an undefined function (a library member's provided_function, or
__imp_imported_function of an import object) or drop the .drectve (for .def cases).

The base archive (lib_base) is MSVC-style, as link.exe /lib and lld-link /lib write it: "!<arch>\n",
the first linker member (big-endian), the second linker member (little-endian, sorted names),
the "//" longnames member, then provider_with_a_long_name.obj (defines provided_function; its
name is a "/0" reference into the longnames) and other.obj (defines other_function).

The base import object (imp_base) is a short import object for imported_function in
provider.dll (x64, code, import by name).
"""
import struct
import sys

# ---------------------------------------------------------------------------------------------
# Constants
# ---------------------------------------------------------------------------------------------

MACHINE_AMD64 = 0x8664
MACHINE_I386 = 0x14C

REL_AMD64_ADDR64 = 0x1
REL_AMD64_REL32 = 0x4
REL_I386_DIR32 = 0x6
REL_I386_REL32 = 0x14

TEXT_FLAGS = 0x60500020     # CNT_CODE | ALIGN_16BYTES | MEM_EXECUTE | MEM_READ
DATA_FLAGS = 0xC0400040     # CNT_INITIALIZED_DATA | ALIGN_8BYTES | MEM_READ | MEM_WRITE
RDATA_FLAGS = 0x40400040    # CNT_INITIALIZED_DATA | ALIGN_8BYTES | MEM_READ
DRECTVE_FLAGS = 0x00100A00  # LNK_INFO | LNK_REMOVE | ALIGN_1BYTES
LNK_COMDAT = 0x00001000
ALIGN_MASK = 0x00F00000

CLASS_EXTERNAL = 2
CLASS_STATIC = 3
CLASS_WEAK_EXTERNAL = 105
TYPE_FUNCTION = 0x20

SEL_ANY = 2
SEL_ASSOCIATIVE = 5

BIGOBJ_CLASS_ID = bytes.fromhex('c7a1bad1eebaa94baf20faf66aa4dcb8')
# ClassID of the anonymous objects cl /GL writes (LLVM's COFF::ClGlObjMagic,
# {0x0CB3FE38, 0xD9A5, 0x4DAB, {0xAC, 0x9B, 0xD6, 0xB6, 0x22, 0x26, 0x53, 0xC2}}).
LTCG_CLASS_ID = bytes.fromhex('38feb30ca5d9ab4dac9bd6b6222653c2')


# ---------------------------------------------------------------------------------------------
# COFF object model and writer
# ---------------------------------------------------------------------------------------------

class Section:
    def __init__(self, name, flags, data, relocs=(), comdat=None):
        self.name = name            # str; long names go to the string table as "/offset"
        self.raw_name = None        # bytes(8): overrides the name field as written
        self.flags = flags
        self.data = bytes(data)
        self.relocs = list(relocs)  # (offset, symbol name or index, type)
        self.comdat = comdat        # (selection, associated section number) or None


class Symbol:
    def __init__(self, name, value, section, sclass, type_=0, aux=()):
        self.name = name
        self.raw_name = None        # bytes(8): overrides the name field as written
        self.value = value
        self.section = section
        self.sclass = sclass
        self.type = type_
        self.aux = list(aux)        # 18-byte auxiliary records
        self.aux_count = None       # overrides NumberOfAuxSymbols as written


class Obj:
    def __init__(self, machine=MACHINE_AMD64):
        self.machine = machine
        self.optional_header_size = 0
        self.sections = []
        self.symbols = []           # section symbols get their aux records at write time
        self.strtab_size = None     # overrides the string table's size field as written

    def section_number(self, name):
        for i, s in enumerate(self.sections):
            if s.name == name:
                return i + 1
        raise KeyError(name)


class Layout:
    """File offsets of the parts of a written object, for defects that patch the bytes."""
    def __init__(self):
        self.section_headers = []   # offset of each 40-byte section header
        self.raw_data = []
        self.relocations = []
        self.symtab = 0
        self.symbol_offsets = {}    # symbol name -> offset of its record
        self.symbol_indices = {}    # symbol name -> index
        self.strtab = 0


def write_obj(obj):
    """Serializes `obj`; returns (bytes, Layout)."""
    layout = Layout()
    strtab = bytearray()

    def long_name(name):
        encoded = name.encode()
        offset = 4 + len(strtab)
        strtab.extend(encoded + b'\0')
        return offset

    def name_field(name, for_section):
        encoded = name.encode()
        if len(encoded) <= 8:
            return encoded.ljust(8, b'\0')
        offset = long_name(name)
        if for_section:
            return ('/%d' % offset).encode().ljust(8, b'\0')
        return struct.pack('<II', 0, offset)

    # Symbol indices: a section symbol's aux record is added here, so count records first.
    records = []                    # (Symbol, [aux bytes])
    for sym in obj.symbols:
        aux = list(sym.aux)
        records.append((sym, aux))
    index = 0
    for sym, aux in records:
        layout.symbol_indices[sym.name] = index
        index += 1 + len(aux)
    symbol_count = index

    def symbol_index(ref):
        return ref if isinstance(ref, int) else layout.symbol_indices[ref]

    header_size = 20 + obj.optional_header_size + 40 * len(obj.sections)
    position = header_size
    raw_offsets, reloc_offsets = [], []
    for s in obj.sections:
        if s.data:
            raw_offsets.append(position)
            position += len(s.data)
        else:
            raw_offsets.append(0)
        if s.relocs:
            reloc_offsets.append(position)
            position += 10 * len(s.relocs)
        else:
            reloc_offsets.append(0)
    symtab = position

    out = bytearray(struct.pack('<HHIIIHH', obj.machine, len(obj.sections), 0, symtab, symbol_count,
                                obj.optional_header_size, 0))
    out += b'\0' * obj.optional_header_size
    for i, s in enumerate(obj.sections):
        layout.section_headers.append(len(out))
        name = s.raw_name if s.raw_name is not None else name_field(s.name, True)
        out += name + struct.pack('<IIIIIIHHI', 0, 0, len(s.data), raw_offsets[i], reloc_offsets[i], 0,
                                  len(s.relocs), 0, s.flags)
    for i, s in enumerate(obj.sections):
        layout.raw_data.append(len(out))
        out += s.data
        layout.relocations.append(len(out))
        for offset, ref, rtype in s.relocs:
            out += struct.pack('<IIH', offset, symbol_index(ref), rtype)
    assert len(out) == symtab
    layout.symtab = symtab
    for sym, aux in records:
        layout.symbol_offsets[sym.name] = len(out)
        name = sym.raw_name if sym.raw_name is not None else name_field(sym.name, False)
        count = sym.aux_count if sym.aux_count is not None else len(aux)
        out += name + struct.pack('<IhHBB', sym.value & 0xFFFFFFFF, sym.section, sym.type, sym.sclass, count)
        for record in aux:
            assert len(record) == 18
            out += record
    layout.strtab = len(out)
    size = obj.strtab_size if obj.strtab_size is not None else 4 + len(strtab)
    out += struct.pack('<I', size) + strtab
    return bytes(out), layout


def section_aux(section, number):
    """The section-definition auxiliary record of `section` (number: its 1-based index)."""
    selection, associated = section.comdat if section.comdat else (0, 0)
    return struct.pack('<IHHIHBBH', len(section.data), len(section.relocs), 0, 0, associated & 0xFFFF,
                       selection, 0, 0)


def add_section_symbols(obj):
    """Puts a static section symbol with its definition record first in the table for each section."""
    symbols = []
    for i, s in enumerate(obj.sections):
        symbols.append(Symbol(s.name, 0, i + 1, CLASS_STATIC, aux=[section_aux(s, i + 1)]))
    obj.symbols = symbols + obj.symbols


def refresh_section_aux(obj):
    """Recomputes the section-definition records after a defect changed sections."""
    for sym in obj.symbols:
        if sym.sclass == CLASS_STATIC and sym.aux and 1 <= sym.section <= len(obj.sections) \
                and obj.sections[sym.section - 1].name == sym.name:
            sym.aux = [section_aux(obj.sections[sym.section - 1], sym.section)]


def obj_base(machine=MACHINE_AMD64, calls=None, directive=True):
    """The valid base object; `calls` names an undefined function that exported_function calls
    (a plain call for a library member, an indirect call through __imp_ for an import)."""
    obj = Obj(machine)
    x64 = machine == MACHINE_AMD64
    rel32 = REL_AMD64_REL32 if x64 else REL_I386_REL32
    code = bytearray()
    relocs = []
    if x64:
        code += b'\x48\x8d\x05\0\0\0\0'     # lea rax, [rip + counter]
        relocs.append((3, 'counter', rel32))
        code += b'\xff\x00'                 # inc dword ptr [rax]
    else:
        code += b'\xff\x05\0\0\0\0'         # inc dword ptr [counter]
        relocs.append((2, 'counter', REL_I386_DIR32))
        code += b'\x90\x90\x90'
    code += b'\xe8\0\0\0\0'                 # call helper
    relocs.append((len(code) - 4, 'helper', rel32))
    if calls:
        if calls.startswith('__imp_'):
            code += b'\xff\x15\0\0\0\0'     # call qword ptr [rip + __imp_...]
        else:
            code += b'\xe8\0\0\0\0'         # call provided_function
        relocs.append((len(code) - 4, calls, rel32))
    code += b'\xc3'                         # ret
    code += b'\x90' * 8                     # room for a longer epilogue (see weak_external)
    code += b'\x90' * (-len(code) % 16)
    helper = len(code)
    code += b'\xb8\x2a\0\0\0\xc3'           # helper: mov eax, 42; ret
    obj.sections.append(Section('.text', TEXT_FLAGS, code, relocs))
    pointer_size = 8 if x64 else 4
    data = b'\0' * 8 + b'\0' * pointer_size  # counter (4 bytes + padding), then the pointer
    obj.sections.append(Section('.data', DATA_FLAGS, data,
                                [(8, 'exported_function', REL_AMD64_ADDR64 if x64 else REL_I386_DIR32)]))
    prefix = '' if x64 else '_'
    if directive:
        obj.sections.append(Section('.drectve', DRECTVE_FLAGS, b' /EXPORT:' + (prefix + 'exported_function').encode() + b' '))
    obj.symbols = [Symbol('@feat.00', 0x1 if not x64 else 0, -1, CLASS_STATIC)]
    obj.symbols.append(Symbol(prefix + 'exported_function', 0, 1, CLASS_EXTERNAL, TYPE_FUNCTION))
    obj.symbols.append(Symbol('helper', helper, 1, CLASS_STATIC, TYPE_FUNCTION))
    obj.symbols.append(Symbol('counter', 0, 2, CLASS_STATIC))
    obj.symbols.append(Symbol(prefix + 'function_table_with_long_name', 8, 2, CLASS_EXTERNAL))
    if calls:
        obj.symbols.append(Symbol(calls, 0, 0, CLASS_EXTERNAL, TYPE_FUNCTION if not calls.startswith('__imp_') else 0))
    # The relocations name symbols; in i386 objects the C names carry a leading underscore.
    if not x64:
        for s in obj.sections:
            s.relocs = [(o, prefix + r if r in ('exported_function',) else r, t) for o, r, t in s.relocs]
    add_section_symbols(obj)
    return obj


def obj_provider(function='provided_function'):
    """A small valid object defining `function` (returns 7), for archive members."""
    obj = Obj()
    obj.sections.append(Section('.text', TEXT_FLAGS, b'\xb8\x07\0\0\0\xc3'))
    obj.symbols = [Symbol(function, 0, 1, CLASS_EXTERNAL, TYPE_FUNCTION)]
    add_section_symbols(obj)
    return obj


def add_comdat(obj, name, selection, associated=0):
    """Adds a COMDAT section `name` holding one 8-byte datum (and its COMDAT symbol when not
    associative); returns its section number."""
    section = Section(name, RDATA_FLAGS | LNK_COMDAT, b'\x01\0\0\0\0\0\0\0', comdat=(selection, associated))
    obj.sections.append(section)
    number = len(obj.sections)
    obj.symbols.append(Symbol(name, 0, number, CLASS_STATIC, aux=[section_aux(section, number)]))
    if selection != SEL_ASSOCIATIVE:
        obj.symbols.append(Symbol('comdat_datum', 0, number, CLASS_EXTERNAL))
    return number


# ---------------------------------------------------------------------------------------------
# Archives
# ---------------------------------------------------------------------------------------------

def member_header(name_field, size):
    """A 60-byte member header: name, date, uid, gid, mode, size, "`\\n"."""
    name = name_field.encode() if isinstance(name_field, str) else name_field
    header = name.ljust(16, b' ') + b'0'.ljust(12) + b''.ljust(6) + b''.ljust(6) + b'0'.ljust(8) \
        + str(size).encode().ljust(10) + b'`\n'
    assert len(header) == 60
    return header


class ArchiveLayout:
    def __init__(self):
        self.first_linker = 0       # header offset of each special member
        self.second_linker = 0
        self.longnames = 0
        self.members = []           # header offset of each regular member


def write_archive(members, thin=False):
    """An MSVC-style archive. `members`: list of (name, data, [symbol names]).
    Returns (bytes, ArchiveLayout). A thin archive keeps the headers but not the member data."""
    longnames = bytearray()
    name_fields = []
    for name, _, _ in members:
        if len(name) >= 16:
            name_fields.append('/%d' % len(longnames))
            longnames += name.encode() + (b'/\n' if thin else b'\0')
        else:
            name_fields.append(name + '/')
    symbols = [(sym, i) for i, (_, _, syms) in enumerate(members) for sym in syms]
    first_names = b''.join(s.encode() + b'\0' for s, _ in symbols)
    sorted_symbols = sorted(symbols, key=lambda item: item[0].encode())
    second_names = b''.join(s.encode() + b'\0' for s, _ in sorted_symbols)
    first_size = 4 + 4 * len(symbols) + len(first_names)
    second_size = 4 + 4 * len(members) + 4 + 2 * len(symbols) + len(second_names)

    def padded(size):
        return size + (size & 1)

    layout = ArchiveLayout()
    position = 8
    layout.first_linker = position
    position += 60 + padded(first_size)
    if not thin:
        layout.second_linker = position
        position += 60 + padded(second_size)
    layout.longnames = position
    position += 60 + padded(len(longnames))
    for _, data, _ in members:
        layout.members.append(position)
        position += 60 + (0 if thin else padded(len(data)))

    def pad(blob):
        return blob + (b'\n' if len(blob) & 1 else b'')

    out = bytearray(b'!<thin>\n' if thin else b'!<arch>\n')
    first = struct.pack('>I', len(symbols)) + b''.join(struct.pack('>I', layout.members[i]) for _, i in symbols) + first_names
    out += member_header('/', len(first)) + pad(first)
    if not thin:
        second = struct.pack('<I', len(members)) + b''.join(struct.pack('<I', o) for o in layout.members)
        second += struct.pack('<I', len(symbols)) + b''.join(struct.pack('<H', i + 1) for _, i in sorted_symbols)
        second += second_names
        out += member_header('/', len(second)) + pad(second)
    out += member_header('//', len(longnames)) + pad(bytes(longnames))
    for (name, data, _), field, offset in zip(members, name_fields, layout.members):
        assert len(out) == offset
        out += member_header(field, len(data))
        if not thin:
            out += pad(data)
    return bytes(out), layout


def lib_members(provider=None):
    """The members of the base archive; `provider` replaces the bytes of the first one."""
    data = provider if provider is not None else write_obj(obj_provider())[0]
    return [('provider_with_a_long_name.obj', data, ['provided_function']),
            ('other.obj', write_obj(obj_provider('other_function'))[0], ['other_function'])]


# ---------------------------------------------------------------------------------------------
# Short import objects
# ---------------------------------------------------------------------------------------------

def import_object(machine=MACHINE_AMD64, version=0, import_type=0, name_type=1,
                  names=b'imported_function\0provider.dll\0', size_of_data=None, hint=0):
    """IMPORT_OBJECT_HEADER (Sig1 0, Sig2 0xFFFF, Version, Machine, TimeDateStamp, SizeOfData,
    Ordinal/Hint, Type: type in bits 0-1, name type in bits 2-4), then "symbol\\0dll\\0"."""
    size = len(names) if size_of_data is None else size_of_data
    bits = (import_type & 3) | (name_type & 7) << 2
    return struct.pack('<HHHHIIHH', 0, 0xFFFF, version, machine, 0, size, hint, bits) + names


# ---------------------------------------------------------------------------------------------
# Defects
# ---------------------------------------------------------------------------------------------

def patch(blob, offset, fmt, *values):
    out = bytearray(blob)
    struct.pack_into(fmt, out, offset, *values)
    return bytes(out)


def base_bytes(**kwargs):
    return write_obj(obj_base(**kwargs))


def with_obj(change, **kwargs):
    """The base object, changed by `change(obj)` before it is written."""
    obj = obj_base(**kwargs)
    change(obj)
    refresh_section_aux(obj)
    return write_obj(obj)[0]


def truncated_provider():
    """provider.obj cut in the middle of its symbol table (after 1.5 records)."""
    blob, layout = write_obj(obj_provider())
    return blob[:layout.symtab + 27]


def d_section_data_past_eof():
    blob, layout = base_bytes()
    # .text's PointerToRawData (header field at +20) moved 0x1000 bytes past the end of the file.
    return patch(blob, layout.section_headers[0] + 20, '<I', len(blob) + 0x1000)


def d_relocs_past_eof():
    blob, layout = base_bytes()
    # .text's PointerToRelocations (+24) set so that its 2 records start 6 bytes before the end.
    return patch(blob, layout.section_headers[0] + 24, '<I', len(blob) - 6)


def d_reloc_symbol_out_of_range():
    blob, layout = base_bytes()
    # The second .text relocation (call helper) names symbol 999 of an 11-record table.
    return patch(blob, layout.relocations[0] + 10 + 4, '<I', 999)


def d_aux_past_symtab(obj):
    # The last symbol claims 3 auxiliary records; the table ends right after it.
    obj.symbols[-1].aux_count = 3


def d_strtab_size_too_large():
    blob, layout = base_bytes()
    # The string table's size field says 0x10000 bytes; the table really has 52.
    return patch(blob, layout.strtab, '<I', 0x10000)


def d_long_name_out_of_range():
    blob, layout = base_bytes()
    # function_table_with_long_name's name is string-table offset 0x5000 (the table has 52 bytes).
    return patch(blob, layout.symbol_offsets['function_table_with_long_name'] + 4, '<I', 0x5000)


def d_unused_static_name_out_of_range():
    # An extra static label in .text that nothing refers to, whose long name is at string-table
    # offset 0x5000 (past the table's end): names are checked whether the link reads them or not.
    obj = obj_base()
    obj.symbols.insert(3, Symbol('an_unused_static_label_with_long_name', 6, 1, CLASS_STATIC))
    refresh_section_aux(obj)
    blob, layout = write_obj(obj)
    return patch(blob, layout.symbol_offsets['an_unused_static_label_with_long_name'] + 4, '<I', 0x5000)


def d_section_name_offset_out_of_range(obj):
    # .data's name field is "/9999": an offset far past the string table.
    obj.sections[1].raw_name = b'/9999'.ljust(8, b'\0')


def d_section_name_not_number(obj):
    # .data's name field is "/abc": "/" must be followed by a decimal string-table offset.
    obj.sections[1].raw_name = b'/abc'.ljust(8, b'\0')


def d_symbol_section_too_large(obj):
    # exported_function is defined in section 9; the object has 3 sections.
    next(s for s in obj.symbols if s.name == 'exported_function').section = 9


def d_comdat_bad_selection(obj):
    # A COMDAT section whose definition record has selection 9 (valid: 1 to 7).
    add_comdat(obj, '.rdata$comdat_datum', 9)


def d_comdat_assoc_cycle(obj):
    # Two associative COMDAT sections, each associated with the other (4 and 5).
    first = len(obj.sections) + 1
    add_comdat(obj, '.rdata$first', SEL_ASSOCIATIVE, first + 1)
    add_comdat(obj, '.rdata$second', SEL_ASSOCIATIVE, first)


def d_comdat_assoc_self(obj):
    # An associative COMDAT section (number 4) associated with itself.
    add_comdat(obj, '.rdata$self', SEL_ASSOCIATIVE, len(obj.sections) + 1)


def weak_external(obj, tag):
    index = sum(1 + len(s.aux) for s in obj.symbols)
    target = index if tag == 'self' else tag
    # Weak external: class 105, section 0, one aux record (TagIndex, Characteristics 3 = ALIAS).
    obj.symbols.append(Symbol('weak_alias', 0, 0, CLASS_WEAK_EXTERNAL,
                              aux=[struct.pack('<II', target, 3) + b'\0' * 10]))
    # exported_function calls weak_alias, so that the link must resolve it.
    text = obj.sections[0]
    code = bytearray(text.data)
    ret = code.index(b'\xc3')
    code[ret:ret + 6] = b'\xe8\0\0\0\0\xc3'
    text.data = bytes(code)
    text.relocs.append((ret + 1, 'weak_alias', REL_AMD64_REL32))


def d_weak_self(obj):
    # weak_alias's tag index is weak_alias itself.
    weak_external(obj, 'self')


def d_weak_tag_out_of_range(obj):
    # weak_alias's tag index is 500; the table has 13 records.
    weak_external(obj, 500)


def d_weak_tag_aux(obj):
    # weak_alias's tag index is 1: the auxiliary (section definition) record of the .text
    # section symbol, not a symbol.
    weak_external(obj, 1)


def d_huge_bss(obj):
    # A .bss of 0xFFFFFFF0 bytes (uninitialized data has no file bytes, so nothing else limits it):
    # the image would pass the 2 GiB a PE image can be.
    obj.sections.append(Section('.bss', 0xC0300080, b''))
    obj.symbols.append(Symbol('huge_buffer', 0, len(obj.sections), CLASS_EXTERNAL))
    return obj


def d_huge_bss_bytes():
    obj = obj_base()
    d_huge_bss(obj)
    add_section_symbols_for_new(obj)
    blob, layout = write_obj(obj)
    # SizeOfRawData (header offset 16) of the new .bss.
    return patch(blob, layout.section_headers[-1] + 16, '<I', 0xFFFFFFF0)


def add_section_symbols_for_new(obj):
    """Gives sections added after obj_base their section symbols too."""
    named = {sym.name for sym in obj.symbols if sym.sclass == CLASS_STATIC and sym.aux}
    for i, s in enumerate(obj.sections):
        if s.name not in named:
            obj.symbols.insert(0, Symbol(s.name, 0, i + 1, CLASS_STATIC, aux=[section_aux(s, i + 1)]))


def d_common_huge(obj):
    # A COMMON symbol (external, section 0, value = size) of 0xFFFFFFF0 bytes.
    obj.symbols.append(Symbol('huge_common', 0xFFFFFFF0, 0, CLASS_EXTERNAL))


def d_sections_share_relocations():
    obj = obj_base()
    data = obj.sections[1]
    # .data gets 120 relocations; four more sections then point at the same table, so the
    # object claims 600 relocations in a file of about 2 KB.
    data.relocs = data.relocs + [(8, 'exported_function', REL_AMD64_ADDR64)] * 119
    for n in range(4):
        obj.sections.append(Section('.rdata$%d' % n, RDATA_FLAGS, b'\0' * 8))
    add_section_symbols_for_new(obj)
    blob, layout = write_obj(obj)
    for header in layout.section_headers[-4:]:
        blob = patch(blob, header + 24, '<I', layout.relocations[1])
        blob = patch(blob, header + 32, '<H', 120)
    return blob


def d_reloc_unknown_type():
    blob, layout = base_bytes()
    # The first .text relocation has type 0x77 (the last AMD64 type is 0x11, IMAGE_REL_AMD64_SSPAN32).
    return patch(blob, layout.relocations[0] + 8, '<H', 0x77)


def d_reloc_straddles_section_end(obj):
    # .data's ADDR64 relocation is at offset 12: its 8 bytes run 4 past the 16-byte section.
    data = obj.sections[1]
    data.relocs = [(12, r, t) for _, r, t in data.relocs]


def d_bad_alignment(obj):
    # .text's alignment nibble (bits 20-23) is 0xF; valid are 1 (1 byte) to 0xE (8192 bytes).
    obj.sections[0].flags = (obj.sections[0].flags & ~ALIGN_MASK) | 0x00F00000


def d_optional_header(obj):
    # SizeOfOptionalHeader is 0xF0 (a PE32+ image's) in an object: 240 zero bytes, then the
    # section table.
    obj.optional_header_size = 0xF0


def d_bigobj_truncated():
    # A /bigobj header (56 bytes) cut after 44 bytes: in NumberOfSections.
    blob = struct.pack('<HHHHI', 0, 0xFFFF, 2, MACHINE_AMD64, 0) + BIGOBJ_CLASS_ID \
        + struct.pack('<IIIIIII', 0, 0, 0, 0, 3, 56 + 3 * 40, 10)
    return blob[:44]


def d_msvc_ltcg():
    # An anonymous object (Version 1) with cl /GL's ClassID: MSVC intermediate code, not COFF.
    data = b'MSVC /GL intermediate language (synthesized)\0\0\0'
    return struct.pack('<HHHHI', 0, 0xFFFF, 1, MACHINE_AMD64, 0) + LTCG_CLASS_ID + struct.pack('<I', len(data)) + data


def lib_patched(change, provider=None):
    blob, layout = write_archive(lib_members(provider))
    return change(bytearray(blob), layout)


def d_lib_bad_terminator(blob, layout):
    # other.obj's member header ends with "\n`" instead of "`\n".
    blob[layout.members[1] + 58: layout.members[1] + 60] = b'\n`'
    return bytes(blob)


def d_lib_size_negative(blob, layout):
    # The first linker member's size field is "-45" (a sign is not a decimal size).
    size = blob[layout.first_linker + 48: layout.first_linker + 58].strip()
    blob[layout.first_linker + 48: layout.first_linker + 58] = (b'-' + size).ljust(10)
    return bytes(blob)


def d_lib_member_past_eof(blob, layout):
    # other.obj (the last member) claims 9999 bytes; the file ends after its real size.
    blob[layout.members[1] + 48: layout.members[1] + 58] = b'9999'.ljust(10)
    return bytes(blob)


def d_lib_linker_count(blob, layout):
    # The first linker member claims 100000 symbols; it is 45 bytes long.
    struct.pack_into('>I', blob, layout.first_linker + 60, 100000)
    return bytes(blob)


def d_lib_linker_offset_past_eof(blob, layout):
    # The first linker member says provided_function is in the member at 0x100000 (past the end).
    struct.pack_into('>I', blob, layout.first_linker + 60 + 4, 0x100000)
    return bytes(blob)


def d_lib_longname_out_of_range(blob, layout):
    # provider's name field is "/9999"; the longnames member is 30 bytes (one name).
    blob[layout.members[0]: layout.members[0] + 16] = b'/9999'.ljust(16)
    return bytes(blob)


def d_lib_thin():
    # A thin archive: the member headers without the members (they would be separate files).
    return write_archive(lib_members(), thin=True)[0]


def import_library(member, prefix=''):
    """An import library (MSVC layout) whose only member, provider.dll, is `member`."""
    name = prefix + 'imported_function'
    return write_archive([('provider.dll', member, ['__imp_' + name, name])])[0]


# name -> (kind, how, what is wrong). Kinds: 'obj' patches the model of obj_base before writing
# (how(obj)); 'raw' returns the bytes (how()); 'lib' patches the bytes of lib_base (how(blob, layout)).
DEFECTS = {
    # --- COFF objects --------------------------------------------------------------------------
    'obj-empty':                     ('raw', lambda: b'',
                                      'a 0-byte file'),
    'obj-truncated-header':          ('raw', lambda: base_bytes()[0][:10],
                                      'the file ends 10 bytes into the 20-byte file header'),
    'obj-truncated-section-table':   ('raw', lambda: base_bytes()[0][:20 + 40 + 20],
                                      'the file ends in the middle of the second of 3 section headers'),
    'obj-section-data-past-eof':     ('raw', d_section_data_past_eof,
                                      ".text's raw data (PointerToRawData) lies past the end of the file"),
    'obj-relocs-past-eof':           ('raw', d_relocs_past_eof,
                                      ".text's relocation records run past the end of the file"),
    'obj-reloc-symbol-out-of-range': ('raw', d_reloc_symbol_out_of_range,
                                      'a .text relocation names symbol 999; the table has 11 records'),
    'obj-aux-past-symtab':           ('obj', d_aux_past_symtab,
                                      'the last symbol claims 3 auxiliary records past the end of the table'),
    'obj-strtab-size-too-large':     ('raw', d_strtab_size_too_large,
                                      "the string table's size field (0x10000) is larger than the rest of the file"),
    'obj-long-name-out-of-range':    ('raw', d_long_name_out_of_range,
                                      "a symbol's long name is at string-table offset 0x5000, past its end"),
    'obj-unused-static-name-out-of-range': ('raw', d_unused_static_name_out_of_range,
                                      "an unused static symbol's long name is at string-table offset 0x5000, past its end"),
    'obj-section-name-out-of-range': ('obj', d_section_name_offset_out_of_range,
                                      'section name "/9999" points past the end of the string table'),
    'obj-section-name-not-number':   ('obj', d_section_name_not_number,
                                      'section name "/abc": "/" is not followed by a decimal offset'),
    'obj-symbol-section-too-large':  ('obj', d_symbol_section_too_large,
                                      'exported_function has section number 9 in an object with 3 sections'),
    'obj-comdat-bad-selection':      ('obj', d_comdat_bad_selection,
                                      'a COMDAT section definition has selection 9 (valid: 1-7)'),
    'obj-comdat-assoc-cycle':        ('obj', d_comdat_assoc_cycle,
                                      'COMDAT sections 4 and 5 are each associative to the other'),
    'obj-comdat-assoc-self':         ('obj', d_comdat_assoc_self,
                                      'COMDAT section 4 is associative to itself'),
    'obj-weak-self':                 ('obj', d_weak_self,
                                      "a weak external's tag index is its own index"),
    'obj-weak-tag-out-of-range':     ('obj', d_weak_tag_out_of_range,
                                      "a weak external's tag index (500) is past the symbol table"),
    'obj-weak-tag-aux':              ('obj', d_weak_tag_aux,
                                      "weak_alias's default (tag index 1) is the .text section symbol's auxiliary record, not a symbol"),
    'obj-huge-bss':                  ('raw', d_huge_bss_bytes,
                                      'a .bss section of 0xFFFFFFF0 bytes: the image would pass 2 GiB'),
    'obj-common-huge':               ('obj', d_common_huge,
                                      'a COMMON symbol of 0xFFFFFFF0 bytes: the image would pass 2 GiB'),
    'obj-sections-share-relocations': ('raw', d_sections_share_relocations,
                                      'five sections share one table of 120 relocations: 6000 bytes of relocations claimed in a file of about 2 KB'),
    'obj-reloc-unknown-type':        ('raw', d_reloc_unknown_type,
                                      'a .text relocation has type 0x77, which AMD64 does not define'),
    'obj-reloc-straddles-end':       ('obj', d_reloc_straddles_section_end,
                                      'an ADDR64 relocation at .data+12 needs 8 bytes of a 16-byte section'),
    'obj-bad-alignment':             ('obj', d_bad_alignment,
                                      ".text's alignment field is 0xF (not a defined alignment)"),
    'obj-optional-header':           ('obj', d_optional_header,
                                      'SizeOfOptionalHeader is 0xF0 in an object file (must be 0)'),
    'obj-i386':                      ('raw', lambda: base_bytes(machine=MACHINE_I386)[0],
                                      'a valid i386 object (machine 0x14c), for an x64 link'),
    'obj-bigobj-truncated':          ('raw', d_bigobj_truncated,
                                      'a /bigobj header cut after 44 of its 56 bytes'),
    'obj-msvc-ltcg':                 ('raw', d_msvc_ltcg,
                                      'an anonymous object with the cl /GL ClassID (MSVC LTCG intermediate code)'),
    'lib-member-truncated-obj':      ('raw', lambda: lib_patched(lambda b, l: bytes(b), truncated_provider()),
                                      'an archive whose provider member is a COFF object cut in its symbol table'),
    # --- Archives --------------------------------------------------------------------------------
    'lib-truncated-signature':       ('raw', lambda: b'!<arc',
                                      'the file is "!<arc": a cut archive signature'),
    'lib-bad-terminator':            ('lib', d_lib_bad_terminator,
                                      'a member header ends with "\\n`" instead of "`\\n"'),
    'lib-size-negative':             ('lib', d_lib_size_negative,
                                      'the first linker member\'s size field is negative ("-NNN")'),
    'lib-member-past-eof':           ('lib', d_lib_member_past_eof,
                                      "the last member's size (9999) runs past the end of the file"),
    'lib-linker-count':              ('lib', d_lib_linker_count,
                                      'the first linker member claims 100000 symbols'),
    'lib-linker-offset-past-eof':    ('lib', d_lib_linker_offset_past_eof,
                                      'the first linker member points provided_function at offset 0x100000'),
    'lib-longname-out-of-range':     ('lib', d_lib_longname_out_of_range,
                                      'a member name "/9999" points past the longnames member'),
    'lib-thin':                      ('raw', d_lib_thin,
                                      'a thin archive ("!<thin>\\n")'),
    # --- Short import objects, as the one member of an import library (implib-*) or bare (imp-*) --
    'implib-bad-version':            ('raw', lambda: import_library(import_object(version=1)),
                                      'the import object has header Version 1 (must be 0)'),
    'implib-bad-name-type':          ('raw', lambda: import_library(import_object(name_type=7)),
                                      'the import object has name type 7 (valid: 0-4)'),
    'implib-bad-import-type':        ('raw', lambda: import_library(import_object(import_type=3)),
                                      'the import object has import type 3 (valid: 0 code, 1 data, 2 const)'),
    'implib-size-past-eof':          ('raw', lambda: import_library(import_object(size_of_data=200)),
                                      "the import object's SizeOfData (200) runs past the end of its member"),
    'implib-no-nul':                 ('raw', lambda: import_library(import_object(names=b'imported_functionprovider.dll')),
                                      "the import object's names are not NUL-terminated"),
    'implib-i386':                   ('raw', lambda: import_library(import_object(machine=MACHINE_I386)),
                                      'the import object says Machine 0x14c (i386) in an x64 link'),
    'imp-size-past-eof':             ('raw', lambda: import_object(size_of_data=200),
                                      'a bare import object whose SizeOfData (200) runs past the end of the file'),
    'imp-bad-name-type':             ('raw', lambda: import_object(name_type=7),
                                      'a bare import object with name type 7 (valid: 0-4)'),
}

# Valid inputs that cases link next to a broken one.
VALID = {
    'obj':           lambda: base_bytes()[0],                               # the base object
    'obj-nodrectve': lambda: base_bytes(directive=False)[0],                # no .drectve (for .def cases)
    'obj-lib-user':  lambda: base_bytes(calls='provided_function')[0],      # calls the archive's provided_function
    'obj-importer':  lambda: base_bytes(calls='__imp_imported_function')[0],  # calls through __imp_imported_function
    'obj-provider':  lambda: write_obj(obj_provider())[0],                  # defines provided_function
    'lib':           lambda: write_archive(lib_members())[0],               # the base archive
    'imp':           lambda: import_object(),                               # the base import object
    'implib':        lambda: import_library(import_object()),               # an import library holding it
}


def build(name):
    if name in VALID:
        return VALID[name]()
    kind, how, _ = DEFECTS[name]
    if kind == 'raw':
        return how()
    if kind == 'obj':
        return with_obj(how)
    if kind == 'lib':
        return lib_patched(how)
    raise ValueError(kind)


def main(argv):
    if len(argv) == 2 and argv[1] == '--list':
        for name in VALID:
            print('%-32s valid' % name)
        for name, (_, _, what) in DEFECTS.items():
            print('%-32s %s' % (name, what))
        return 0
    if len(argv) != 3 or (argv[1] not in DEFECTS and argv[1] not in VALID):
        sys.stderr.write('usage: malformed.py NAME out-file   (malformed.py --list shows the names)\n')
        return 2
    with open(argv[2], 'wb') as f:
        f.write(build(argv[1]))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
