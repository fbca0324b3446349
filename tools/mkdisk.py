#!/usr/bin/env python3
"""mkdisk.py OUT SECTORS - a raw disk image whose every sector says what it is.

Sector s (512 bytes) holds: bytes 0-7 the signature "MICADISK", bytes 8-15
the sector number s (little-endian), bytes 16-19 the seed 0 (little-endian),
then byte i (20..511) = (s * 131 + i * 7 + seed * 17) mod 256.  The block
tests on Mica compute the same bytes (tests/servers/blkpattern.c) and compare;
writes use other seeds, so a sector shows which write it came from.
"""
import os
import struct
import sys


def sector(s, seed=0):
    head = b"MICADISK" + struct.pack("<QI", s, seed)
    base = s * 131 + seed * 17
    return head + bytes((base + i * 7) & 0xff for i in range(20, 512))


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: mkdisk.py OUT SECTORS")
    out, sectors = sys.argv[1], int(sys.argv[2], 0)
    # Byte i of sector s is (s*131 + i*7) mod 256.  Since 7 * 183 = 1 (mod 256), that is
    # byte i + k of the cycle c[j] = j*7 mod 256 with k = s*131*183 mod 256: slice it.
    cycle = bytes((j * 7) & 0xff for j in range(512 + 256))
    with open(out + ".tmp", "wb") as f:
        for s in range(sectors):
            k = (s * 131 * 183) & 0xff
            f.write(b"MICADISK" + struct.pack("<QI", s, 0) + cycle[k + 20:k + 512])
    os.replace(out + ".tmp", out)
    assert open(out, "rb").read(1024)[512:] == sector(1)  # the fast way agrees with sector()


if __name__ == "__main__":
    main()
