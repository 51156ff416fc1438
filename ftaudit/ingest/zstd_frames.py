"""Whether a zstd file ends where its last frame ends. DuckDB's zstd reader stops quietly at a cut
(a truncated download ingests a few hundred of its lines, or none); a cut gzip raises an error.

The frame layout (RFC 8878 §3.1): a header, blocks each with a 3-byte header (last-block flag, type,
size), an optional 4-byte content checksum. Walking it reads a few bytes per block of up to 128 KiB,
never decompresses, so a cut anywhere, even at a block edge, is found in milliseconds for a large file.
It does not verify the checksum's value (that needs the decompressed bytes).
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

_FRAME_MAGIC = 0xFD2FB528
_SKIPPABLE_MAGIC_MASK, _SKIPPABLE_MAGIC = 0xFFFFFFF0, 0x184D2A50
_DICT_ID_BYTES = (0, 1, 2, 4)
_CONTENT_SIZE_BYTES = (0, 2, 4, 8)  # flag 0 with the single-segment bit is 1 byte


def zstd_problem(path: Path) -> str | None:
    """None when the file is whole zstd frames; else what is wrong, e.g. 'cut inside frame 1'."""
    with path.open("rb") as handle:
        size = handle.seek(0, 2)
        handle.seek(0)
        frame = 0
        while handle.tell() < size:
            frame += 1
            problem = _skip_frame(handle, size)
            if problem:
                return f"{problem} (frame {frame}, byte {handle.tell()} of {size})"
    return None if frame else "no zstd frame"


def _skip_frame(handle: BinaryIO, size: int) -> str | None:
    magic = handle.read(4)
    if len(magic) < 4:
        return "cut inside a frame header"
    number = int.from_bytes(magic, "little")
    if number & _SKIPPABLE_MAGIC_MASK == _SKIPPABLE_MAGIC:
        length = handle.read(4)
        if len(length) < 4 or handle.tell() + int.from_bytes(length, "little") > size:
            return "cut inside a skippable frame"
        handle.seek(int.from_bytes(length, "little"), 1)
        return None
    if number != _FRAME_MAGIC:
        return "not a zstd frame"
    descriptor = handle.read(1)
    if not descriptor:
        return "cut inside a frame header"
    flags = descriptor[0]
    single_segment = bool(flags & 0x20)
    content_size = _CONTENT_SIZE_BYTES[flags >> 6] or (1 if single_segment else 0)
    header_rest = (0 if single_segment else 1) + _DICT_ID_BYTES[flags & 0x03] + content_size
    if handle.tell() + header_rest > size:
        return "cut inside a frame header"
    handle.seek(header_rest, 1)
    while True:
        block = handle.read(3)
        if len(block) < 3:
            return "cut before the frame's last block"
        header = int.from_bytes(block, "little")
        last, kind, block_size = header & 1, (header >> 1) & 3, header >> 3
        if kind == 3:
            return "a reserved block type (corrupt)"
        body = 1 if kind == 1 else block_size  # an RLE block holds one byte
        if handle.tell() + body > size:
            return "cut inside a block"
        handle.seek(body, 1)
        if last:
            break
    if flags & 0x04:  # content checksum
        if handle.tell() + 4 > size:
            return "cut inside the frame checksum"
        handle.seek(4, 1)
    return None
