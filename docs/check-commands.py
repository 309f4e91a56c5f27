#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Run the shell sessions of a guide and compare their output.

A session is a fenced block right after a marker line:

    <!-- session -->
    ```
    $ apmatrixctl define ... --auto
    defined ...
    $ cat /etc/mdevctl.d/matrix/UUID
    ...
    ```

Every `$ ` line is run by sh, in order, in one scratch root whose sys is a
fixture tree; `apmatrixctl` is the build-tree tool with `--root`, and
`/etc/`, `/run/` name the scratch root's. Output (stdout and stderr) must
equal the lines up to the next `$ `.

  check-commands.py [--update] GUIDE APMATRIXCTL SYSFS-FIXTURE
"""
import os
import re
import subprocess
import sys
import tempfile

SESSION = re.compile(r"<!-- session -->\n```\n(.*?)```\n", re.S)


def main(guide: str, tool: str, sysfs: str, update: bool = False) -> int:
    with open(guide, encoding="utf-8") as f:
        text = f.read()
    sessions = SESSION.findall(text)
    if not sessions:
        print(f"FAIL: no session in {guide}", file=sys.stderr)
        return 1
    bad = runs = 0
    with tempfile.TemporaryDirectory(prefix="apmatrix-guide.") as root:
        os.symlink(sysfs, os.path.join(root, "sys"))
        os.makedirs(os.path.join(root, "etc", "mdevctl.d", "matrix"))
        os.makedirs(os.path.join(root, "run", "lock"))
        prelude = f'apmatrixctl() {{ "{tool}" --root "{root}" "$@"; }}\n'
        for session in sessions:
            steps = re.split(r"^\$ ", session, flags=re.M)[1:]
            fresh = ""
            for step in steps:
                cmd, _, expected = step.partition("\n")
                real = re.sub(r"(?<![\w.])/(etc|run)/", root + r"/\1/", cmd)
                out = subprocess.run(["sh", "-c", prelude + real],
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT,
                                     text=True, cwd=os.path.dirname(os.path.dirname(os.path.abspath(guide)))).stdout
                runs += 1
                fresh += f"$ {cmd}\n{out.replace(root, '')}"
                if out.replace(root, "") != expected and not update:
                    bad += 1
                    print(f"FAIL: $ {cmd}\n--- the guide says\n{expected}"
                          f"+++ a run says\n{out}", file=sys.stderr)
            text = text.replace("```\n" + session + "```", "```\n" + fresh + "```", 1)
    if update:
        with open(guide, "w", encoding="utf-8") as f:
            f.write(text)
    print(f"{runs} commands run, {bad} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    update = args[:1] == ["--update"]
    if update:
        args = args[1:]
    if len(args) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(*args, update=update))
