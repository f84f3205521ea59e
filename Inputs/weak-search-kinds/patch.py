# Usage: patch.py in.obj out.obj
# Sets the Characteristics (search kind) of the weak-external auxiliary records
# of lib_provided to 2 (IMAGE_WEAK_EXTERN_SEARCH_LIBRARY) and of nolib_provided
# to 1 (IMAGE_WEAK_EXTERN_SEARCH_NOLIBRARY); clang writes 3 (ALIAS) for both.
import struct, sys
data = bytearray(open(sys.argv[1], 'rb').read())
symtab, nsyms = struct.unpack_from('<II', data, 8)
strtab = symtab + 18 * nsyms
def name(rec):
    if data[rec:rec + 4] == b'\0\0\0\0':
        off = strtab + struct.unpack_from('<I', data, rec + 4)[0]
        return bytes(data[off:data.index(b'\0', off)]).decode()
    return bytes(data[rec:rec + 8]).rstrip(b'\0').decode()
wanted = {'lib_provided': 2, 'nolib_provided': 1}
i = 0
while i < nsyms:
    rec = symtab + 18 * i
    storage, naux = data[rec + 16], data[rec + 17]
    if storage == 0x69 and name(rec) in wanted:      # IMAGE_SYM_CLASS_WEAK_EXTERNAL
        # aux record: TagIndex (4 bytes), then Characteristics (4 bytes)
        assert struct.unpack_from('<I', data, rec + 18 + 4)[0] == 3
        struct.pack_into('<I', data, rec + 18 + 4, wanted.pop(name(rec)))
    i += 1 + naux
assert not wanted, 'not found: %s' % wanted
open(sys.argv[2], 'wb').write(data)
