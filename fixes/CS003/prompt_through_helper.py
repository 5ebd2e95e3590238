# fix-args: --unsafe-fixes --target-version py311
# A helper whose shortest blocking chain is a subprocess, but which also
# prompts through another helper (corpus F: twitchio's project wizard): a
# prompt in a thread no longer answers Ctrl-C, so no thread fix.
import subprocess


def validate_input(question):
    while True:
        answer = input(question)
        if answer in ("y", "n"):
            return answer


def generate_venv(path):
    subprocess.run(["python", "-m", "venv", path], check=True)
    if validate_input("Install the requirements? ") == "y":
        subprocess.run([f"{path}/bin/pip", "install", "twitchio"], check=True)


def build(path):
    # Control: no prompt anywhere below it.
    subprocess.run(["make", "-C", path], check=True)


async def wizard(path):
    generate_venv(path)
    build(path)
