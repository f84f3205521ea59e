# Usage: patch.py in.lib out.lib
# Walks the archive's member headers (60 bytes each: name 16, date 12, uid 6,
# gid 6, mode 8, size 10, "`\n") and overwrites the decimal size field of the
# member named helper.obj with "1x2" (not a decimal number).
import sys
data = bytearray(open(sys.argv[1], 'rb').read())
assert data[:8] == b'!<arch>\n'
at = 8
while at + 60 <= len(data):
    name = bytes(data[at:at + 16]).rstrip(b' ')
    size = int(data[at + 48:at + 58])
    if name == b'helper.obj/':
        data[at + 48:at + 58] = b'1x2'.ljust(10)
        open(sys.argv[2], 'wb').write(data)
        sys.exit(0)
    at += 60 + size + (size & 1)
sys.exit('member helper.obj not found')
