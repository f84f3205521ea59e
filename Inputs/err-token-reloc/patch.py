# Usage: patch.py in.obj out.obj
# Changes the type of the first IMAGE_REL_AMD64_REL32 (4) relocation of .text
# to IMAGE_REL_AMD64_TOKEN (0xD). Relocation records are 10 bytes:
# VirtualAddress (4), SymbolTableIndex (4), Type (2).
import struct, sys
data = bytearray(open(sys.argv[1], 'rb').read())
nsec = struct.unpack_from('<H', data, 2)[0]
for s in range(nsec):
    h = 20 + 40 * s
    if data[h:h + 8].rstrip(b'\0') != b'.text':
        continue
    relptr, nrel = struct.unpack_from('<I', data, h + 24)[0], struct.unpack_from('<H', data, h + 32)[0]
    for r in range(nrel):
        at = relptr + 10 * r + 8
        if struct.unpack_from('<H', data, at)[0] == 4:
            struct.pack_into('<H', data, at, 0xD)
            open(sys.argv[2], 'wb').write(data)
            sys.exit(0)
sys.exit('no REL32 relocation in .text')
