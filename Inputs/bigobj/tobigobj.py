# Usage: tobigobj.py in.obj out.obj
# Rewrites a regular x64 COFF object in the /bigobj format (what cl /bigobj and
# `as -mbig-obj` write; clang ignores -Wa,-mbig-obj for the msvc target):
# the 20-byte file header becomes the 56-byte ANON_OBJECT_HEADER_BIGOBJ, symbol
# and auxiliary records grow from 18 to 20 bytes (32-bit section numbers), and
# every file offset moves by the 36 extra header bytes.
import struct, sys
src = open(sys.argv[1], 'rb').read()
machine, nsec, stamp, symptr, nsyms, optsize, chars = struct.unpack_from('<HHIIIHH', src, 0)
assert optsize == 0
shift = 56 - 20
bigobj_class_id = bytes.fromhex('c7a1bad1eebaa94baf20faf66aa4dcb8')
out = bytearray(struct.pack('<HHHHI', 0, 0xFFFF, 2, machine, stamp) + bigobj_class_id
                + struct.pack('<IIIIIII', 0, 0, 0, 0, nsec, symptr + shift, nsyms))
for i in range(nsec):
    h = bytearray(src[20 + 40 * i: 60 + 40 * i])
    for field in (20, 24, 28):              # raw data, relocations, line numbers
        value = struct.unpack_from('<I', h, field)[0]
        if value:
            struct.pack_into('<I', h, field, value + shift)
    out += h
out += src[20 + 40 * nsec: symptr]          # section contents and relocations
i = 0
while i < nsyms:
    rec = src[symptr + 18 * i: symptr + 18 * i + 18]
    section, typ, storage, naux = struct.unpack_from('<hHBB', rec, 12)
    out += rec[:12] + struct.pack('<iHBB', section, typ, storage, naux)
    for a in range(1, naux + 1):
        aux = src[symptr + 18 * (i + a): symptr + 18 * (i + a) + 18]
        if storage == 3 and naux == 1:      # section definition: add HighNumber (0)
            out += aux[:16] + b'\0\0' + b'\0\0'
        else:
            out += aux + b'\0\0'
    i += 1 + naux
out += src[symptr + 18 * nsyms:]            # string table
open(sys.argv[2], 'wb').write(out)
