# fix-args: --unsafe-fixes
import getpass
import time


def confirm(question):
    return input(question) == "y"


def ticks(n):
    for i in range(n):
        time.sleep(0.1)
        yield i


async def login(user):
    password = getpass.getpass(f"password for {user}: ")
    if not confirm("go on? "):
        return None
    return password


async def count():
    return sum(1 for _ in ticks(3))


def start_beside(loop, coro):
    # The module runs other work beside its prompts: a prompt stalls it.
    return loop.create_task(coro)
