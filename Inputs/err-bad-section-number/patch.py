# Sets the section number of the first external symbol of lib.obj to -5, which no COFF
# object may use (valid: -2, -1, 0 and 1...NumberOfSections).
import struct, sys
data = bytearray(open(sys.argv[1], 'rb').read())
symtab, count = struct.unpack_from('<II', data, 8)
i = 0
while i < count:
    at = symtab + 18 * i
    storage, aux = data[at + 16], data[at + 17]
    if storage == 2:  # IMAGE_SYM_CLASS_EXTERNAL
        struct.pack_into('<h', data, at + 12, -5)
        break
    i += 1 + aux
open(sys.argv[2], 'wb').write(data)
