#!/usr/bin/env python3
"""Writes the two fonts the documents embed.

DroidSansFallbackSubset.ttf is the CJK font.
The source is Debian's fonts-droid-fallback (DroidSansFallbackFull.ttf,
Apache-2.0, 4 MB). The subset keeps what a document can contain: GB 2312,
every character of the repository's reference data (name rules, regions,
business scope, banks, engravers), ASCII, Latin-1, CJK punctuation and
full-width forms, and every character of the documents' own Go files.

Droid Sans Fallback has no Latin letters or digits: those come from
DejaVuSansSubset.ttf, Debian's fonts-dejavu-core DejaVuSans.ttf (the
Bitstream Vera / DejaVu licence, LICENSE-DejaVu.txt) cut to Latin-1,
Latin Extended-A and general punctuation. The documents print every
character below U+2000 in DejaVu and the others in Droid.

Regenerate (after changing a template or the reference data) from the
repository root:

    apt-get install fonts-droid-fallback fonts-dejavu-core python3-fonttools
    python3 shared/documents/fonts/subset.py

A character outside the subset prints as the font's empty glyph; the text
layer still carries it (see the package documentation).
"""
import glob
import gzip
import io
import os
import sys

from fontTools import subset
from fontTools.ttLib import TTFont

SRC = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
OUT = os.path.join(HERE, "DroidSansFallbackSubset.ttf.gz")
LATIN_SRC = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LATIN_OUT = os.path.join(HERE, "DejaVuSansSubset.ttf.gz")

DATA = [
    "shared/names/*.tsv", "shared/names/*.txt", "shared/refdata/*.tsv",
    "shared/bizscope/*.tsv", "shared/cnid/*.tsv", "shared/documents/*.go",
]


def gb2312():
    out = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                out.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return out


def cut(src, out, chars):
    font = TTFont(src)
    cmap = font.getBestCmap()
    have = sorted(ord(c) for c in chars if ord(c) in cmap)
    opts = subset.Options()
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.hinting = False
    opts.layout_features = []
    s = subset.Subsetter(opts)
    s.populate(unicodes=have)
    s.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    # Stored gzipped (no name or time in the header, so the same font gives
    # the same bytes): the package opens them once at start.
    with open(out, "wb") as f:
        f.write(gzip.compress(buf.getvalue(), compresslevel=9, mtime=0))
    print(f"{len(have)} of {len(chars)} characters, {os.path.getsize(out)} bytes -> {out}", file=sys.stderr)


def main():
    chars = gb2312()
    chars |= {chr(c) for c in range(0x20, 0x7F)}
    chars |= {chr(c) for c in range(0xA0, 0x100)}
    chars |= {chr(c) for c in range(0x3000, 0x3040)}  # CJK symbols and punctuation
    chars |= {chr(c) for c in range(0xFF01, 0xFF5F)}  # full-width forms
    chars |= set("·—–‘’“”…※★☆●○■□")
    for pattern in DATA:
        for path in sorted(glob.glob(os.path.join(ROOT, pattern))):
            with open(path, encoding="utf-8") as f:
                chars |= set(f.read())
    chars = {c for c in chars if ord(c) >= 0x20}
    cut(SRC, OUT, {c for c in chars if ord(c) >= 0x2000})
    latin = {chr(c) for c in range(0x20, 0x7F)} | {chr(c) for c in range(0xA0, 0x180)}
    latin |= {chr(c) for c in range(0x2010, 0x2028)} | set("€™")
    cut(LATIN_SRC, LATIN_OUT, latin)

if __name__ == "__main__":
    main()
