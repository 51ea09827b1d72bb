"""Runs the examples of docs/cli.md, in the order they are written, against a fresh ledgerd on
a free loopback port: each must exit 0. A reader who types them one after the other gets no
surprise.

    python3 cli_examples_test.py LEDGERD LEDGERCTL CLI_MD

Lines with a placeholder (`<next_cursor>`) or an optional part (`[--name payments]`) are not
run as they stand, nor is `tail` without `--count` (it runs until Ctrl-C).
"""

import os
import re
import subprocess
import sys
import tempfile
import unittest

LEDGERD, LEDGERCTL, CLI_MD = sys.argv[1:4]
del sys.argv[1:4]


def examples(text):
    """The command lines of every ```sh block, continuation lines joined."""
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        command = ""
        for line in block.splitlines():
            if line.rstrip().endswith("\\"):
                command += line.rstrip()[:-1] + " "
                continue
            command += line
            if command.strip():
                yield command.strip()
            command = ""


def runnable(command):
    code = command.split("#", 1)[0]
    if "<" in code or "[" in code:
        return False
    return not (re.search(r"\btail\b", code) and "--count" not in code)


class CliExamplesTest(unittest.TestCase):
    def test_examples_run_in_order(self):
        with tempfile.TemporaryDirectory() as directory:
            data = os.path.join(directory, "data")
            init = subprocess.run([LEDGERD, "init", "--data", data], capture_output=True,
                                  text=True, check=True)
            root = re.search(r"root\.[0-9a-f]{64}", init.stdout).group(0)
            credential = os.path.join(directory, "root.credential")
            with open(credential, "w") as out:
                out.write(root + "\n")
            server = subprocess.Popen([LEDGERD, "--data", data, "--listen", "127.0.0.1:0",
                                       "--log-level", "warn"], stdout=subprocess.PIPE, text=True)
            try:
                port = int(server.stdout.readline().rsplit(":", 1)[1])
                bin_dir = os.path.join(directory, "bin")
                os.mkdir(bin_dir)
                os.symlink(os.path.abspath(LEDGERCTL), os.path.join(bin_dir, "ledgerctl"))
                env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ["PATH"],
                           LEDGER_SERVER="127.0.0.1:%d" % port,
                           LEDGER_CREDENTIAL_FILE=credential)
                for name in ("LEDGER_CREDENTIAL", "LEDGER_AS", "LEDGER_ENV"):
                    env.pop(name, None)
                ran = 0
                for command in examples(open(CLI_MD).read()):
                    if not runnable(command):
                        continue
                    result = subprocess.run(["bash", "-c", command], cwd=directory, env=env,
                                            capture_output=True, text=True, timeout=20)
                    self.assertEqual(result.returncode, 0,
                                     "%s\n%s%s" % (command, result.stdout, result.stderr))
                    ran += 1
                self.assertGreaterEqual(ran, 30)
            finally:
                server.terminate()
                server.wait(timeout=30)


if __name__ == "__main__":
    unittest.main()
