# fix-args: --unsafe-fixes --target-version py311
'''A project with `line-length = 120` and single quotes.'''

import asyncio
import subprocess


async def build(target_directory, configuration_file, environment_variables, timeout_seconds):
    await asyncio.sleep(0.5)
    await asyncio.to_thread(
        subprocess.run, ['make', '-C', target_directory, '-f', configuration_file], env=environment_variables
    )
    return await asyncio.to_thread(
        subprocess.check_output, ['git', 'rev-parse', 'HEAD'], cwd=target_directory, timeout=timeout_seconds, text=True
    )
