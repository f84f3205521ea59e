# Usage: patch.py in.obj out.obj
# Sets the VirtualAddress of the first relocation of .text to SizeOfRawData + 0x20,
# past the end of the section's data. Relocation records are 10 bytes:
# VirtualAddress (4), SymbolTableIndex (4), Type (2).
import struct, sys
data = bytearray(open(sys.argv[1], 'rb').read())
nsec = struct.unpack_from('<H', data, 2)[0]
for s in range(nsec):
    h = 20 + 40 * s
    if data[h:h + 8].rstrip(b'\0') == b'.text':
        rawsize, _, relptr = struct.unpack_from('<III', data, h + 16)
        assert struct.unpack_from('<H', data, h + 32)[0] >= 1
        struct.pack_into('<I', data, relptr, rawsize + 0x20)
        open(sys.argv[2], 'wb').write(data)
        sys.exit(0)
sys.exit('no .text section')
