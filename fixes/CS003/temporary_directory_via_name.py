# fix-args: --unsafe-fixes
import contextlib
import shutil
import tempfile


async def unpack(archive, keep):
    # Entered by `with` through the name, on either branch: leaving the
    # block deletes the tree, on the event loop.
    scratch = tempfile.TemporaryDirectory() if not keep else contextlib.nullcontext(keep)
    with scratch as where:
        shutil.unpack_archive(archive, where)


async def reserve_scratch():
    # Only made here (its constructor just creates an empty directory); the
    # `with` that deletes it is another function's, on its own name.
    scratch = tempfile.TemporaryDirectory()
    return scratch


def clean_up(scratch):
    with scratch:
        pass
