# fix-args: --unsafe-fixes
"""A line break that is a carriage return alone (an old Mac file pasted in)
ends a line like any other: the line after it moves with the block."""


async def copy(src, dst):
    with open(src, "rb") as a, open(dst, "wb") as b:
        while chunk := a.read(1 << 20):            b.write(chunk)
    return dst
