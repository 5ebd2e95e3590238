# A console prompt waits for the person at the terminal. In a module that
# runs nothing beside it (no task, no gather), the program has nothing else
# to do until the answer comes: an interactive command's confirmation.
import getpass


class Migrations:
    def __init__(self, auto_agree=False):
        self.auto_agree = auto_agree

    async def run(self, pending):
        answer = "y" if self.auto_agree else input(f"Apply {len(pending)} migrations? [y/N] ")
        if answer.lower() != "y":
            return False
        for migration in pending:
            await migration.apply()
        return True


def ask_password(user):
    return getpass.getpass(f"password for {user}: ")


async def login(client, user):
    return await client.login(user, ask_password(user))
