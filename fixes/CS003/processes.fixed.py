# fix-args: --unsafe-fixes --target-version py311
import asyncio
import os
import subprocess


async def run_all(cmd):
    await asyncio.to_thread(subprocess.run, cmd, check=True)
    await asyncio.to_thread(subprocess.call, cmd)
    await asyncio.to_thread(subprocess.check_call, cmd)
    out = await asyncio.to_thread(subprocess.check_output, cmd, text=True)
    await asyncio.to_thread(subprocess.getoutput, "ls")
    status, text = await asyncio.to_thread(subprocess.getstatusoutput, "ls")
    proc = await asyncio.to_thread(subprocess.Popen, cmd, stdout=subprocess.PIPE)
    stdout, _ = await asyncio.to_thread(proc.communicate, timeout=10)
    await asyncio.to_thread(lambda: subprocess.Popen(cmd).wait())
    await asyncio.to_thread(os.system, "true")
    pipe = os.popen("ls")
    await asyncio.to_thread(os.wait)
    await asyncio.to_thread(os.waitpid, proc.pid, 0)
    await asyncio.to_thread(os.wait3, 0)
    await asyncio.to_thread(os.wait4, proc.pid, 0)
    await asyncio.to_thread(os.waitid, os.P_ALL, 0, os.WEXITED)
    return out, status, text, stdout, pipe
