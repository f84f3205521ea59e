"""Rewrites the type of every IMAGE_REL_ARM64_ADDR32NB (0x2) relocation of an ARM64 COFF
object to IMAGE_REL_ARM64_TOKEN (0xC, a CLR metadata token); no assembler emits TOKEN."""
import struct
import sys

source, target = sys.argv[1], sys.argv[2]
data = bytearray(open(source, "rb").read())
machine, sections = struct.unpack_from("<HH", data, 0)
assert machine == 0xAA64, hex(machine)
optional_size = struct.unpack_from("<H", data, 16)[0]
patched = 0
for index in range(sections):
    header = 20 + optional_size + 40 * index
    relocations, count = struct.unpack_from("<I", data, header + 24)[0], struct.unpack_from("<H", data, header + 32)[0]
    for r in range(count):
        at = relocations + 10 * r
        if struct.unpack_from("<H", data, at + 8)[0] == 0x2:
            struct.pack_into("<H", data, at + 8, 0xC)
            patched += 1
assert patched == 1, patched
open(target, "wb").write(data)
