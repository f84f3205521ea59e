# Usage: patch.py in.obj out.obj
# Sets the COMDAT selection of the section defining `versioned_table` to 7
# (IMAGE_COMDAT_SELECT_NEWEST): finds the section's symbol-table entry (storage
# class STATIC with one auxiliary record) and rewrites byte 14 of that
# section-definition auxiliary record.
import struct, sys
data = bytearray(open(sys.argv[1], 'rb').read())
symtab, nsyms = struct.unpack_from('<II', data, 8)
strtab = symtab + 18 * nsyms
def name(i):
    raw = data[symtab + 18 * i: symtab + 18 * i + 8]
    if raw[:4] == b'\0\0\0\0':
        off = strtab + struct.unpack_from('<I', raw, 4)[0]
        return bytes(data[off:data.index(b'\0', off)]).decode()
    return raw.rstrip(b'\0').decode()
target = next(struct.unpack_from('<h', data, symtab + 18 * i + 12)[0]
              for i in range(nsyms) if name(i) == 'versioned_table')
i = 0
while i < nsyms:
    rec = symtab + 18 * i
    section, _, storage, naux = struct.unpack_from('<hHBB', data, rec + 12)
    if section == target and storage == 3 and naux == 1:
        aux = rec + 18
        assert data[aux + 14] == 2, 'expected selection ANY'
        data[aux + 14] = 7
        break
    i += 1 + naux
else:
    sys.exit('section symbol not found')
open(sys.argv[2], 'wb').write(data)
