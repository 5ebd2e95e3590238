# fix-args: --unsafe-fixes --target-version py311
import os
import subprocess


async def run_all(cmd):
    subprocess.run(cmd, check=True)
    subprocess.call(cmd)
    subprocess.check_call(cmd)
    out = subprocess.check_output(cmd, text=True)
    subprocess.getoutput("ls")
    status, text = subprocess.getstatusoutput("ls")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    stdout, _ = proc.communicate(timeout=10)
    subprocess.Popen(cmd).wait()
    os.system("true")
    pipe = os.popen("ls")
    os.wait()
    os.waitpid(proc.pid, 0)
    os.wait3(0)
    os.wait4(proc.pid, 0)
    os.waitid(os.P_ALL, 0, os.WEXITED)
    return out, status, text, stdout, pipe
