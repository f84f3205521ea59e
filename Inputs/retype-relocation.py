# Usage: retype-relocation.py in.obj out.obj SECTION FROM TO (shared by the cases whose BUILD uses it)
# Changes the type of every relocation of type FROM (hex) in section SECTION to TO (hex),
# for relocation types no assembler emits. Relocation records are 10 bytes:
# VirtualAddress (4), SymbolTableIndex (4), Type (2).
import struct, sys
src, dst, name = sys.argv[1], sys.argv[2], sys.argv[3].encode()
old, new = int(sys.argv[4], 16), int(sys.argv[5], 16)
data = bytearray(open(src, 'rb').read())
nsec = struct.unpack_from('<H', data, 2)[0]
optional = struct.unpack_from('<H', data, 16)[0]
changed = 0
for s in range(nsec):
    h = 20 + optional + 40 * s
    if data[h:h + 8].rstrip(b'\0') != name:
        continue
    relptr, nrel = struct.unpack_from('<I', data, h + 24)[0], struct.unpack_from('<H', data, h + 32)[0]
    for r in range(nrel):
        at = relptr + 10 * r + 8
        if struct.unpack_from('<H', data, at)[0] == old:
            struct.pack_into('<H', data, at, new)
            changed += 1
if not changed:
    sys.exit('no relocation of type 0x%x in %s' % (old, name.decode()))
open(dst, 'wb').write(data)
