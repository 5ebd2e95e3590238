# Test code (a file named `*_test.py`, `test_*.py` or `conftest.py`, or one
# in a `tests/` folder): the test runner drives each test coroutine alone on
# its loop, so reading a fixture there stalls nothing.
import json


async def load_fixture(name):
    with open(f"fixtures/{name}.json") as f:
        return json.load(f)


async def test_members_are_stored():
    members = await load_fixture("members")
    assert members
