"""End to end test of the Python example client: starts ledgerd on a free loopback port,
checks the golden frames of docs/protocol.md, then talks to the server.

    python3 test_ledger_client.py LEDGERD GENERATED_DIR PROTOCOL_MD
"""

import os
import re
import subprocess
import sys
import tempfile
import unittest
import zlib

LEDGERD, GENERATED, PROTOCOL_MD = sys.argv[1:4]
del sys.argv[1:4]
sys.path.insert(0, GENERATED)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import ledger_client  # noqa: E402
from ledger.protocol import Request, Response  # noqa: E402
from ledger.protocol.CredentialKind import CredentialKind  # noqa: E402
from ledger.protocol.ErrorCode import ErrorCode  # noqa: E402
from ledger.protocol.RequestBody import RequestBody  # noqa: E402
from ledger.schema.Environment import Environment  # noqa: E402
from ledger.schema.EventType import EventType  # noqa: E402


def golden_frames():
    text = open(PROTOCOL_MD).read()
    for name, block in re.findall(r"<!-- golden-frame: ([^>]+?) -->\s*```\n(.*?)```", text, re.S):
        yield name, bytes.fromhex("".join(block.split()))


class GoldenFramesTest(unittest.TestCase):
    def test_frames_decode_with_zlib_crc_and_generated_code(self):
        frames = list(golden_frames())
        self.assertGreaterEqual(len(frames), 8)
        for name, frame in frames:
            message = ledger_client.decode_frame(frame)
            self.assertEqual(ledger_client.encode_frame(message), frame)
            if name.startswith("request"):
                request = Request.Request.GetRootAs(message, 0)
                self.assertGreater(request.RequestId(), 0, name)
            else:
                Response.Response.GetRootAs(message, 0).RequestId()

    def test_crc_is_zlibs(self):
        self.assertEqual(zlib.crc32(b"123456789"), 0xCBF43926)


class ServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.directory = tempfile.TemporaryDirectory()
        data = os.path.join(cls.directory.name, "data")
        init = subprocess.run([LEDGERD, "init", "--data", data], capture_output=True, text=True,
                              check=True)
        cls.root = re.search(r"root\.[0-9a-f]{64}", init.stdout).group(0)
        cls.server = subprocess.Popen([LEDGERD, "--data", data, "--listen", "127.0.0.1:0",
                                       "--log-level", "warn"], stdout=subprocess.PIPE, text=True)
        line = cls.server.stdout.readline()
        cls.port = int(line.rsplit(":", 1)[1])

    @classmethod
    def tearDownClass(cls):
        cls.server.terminate()
        assert cls.server.wait(timeout=30) == 0
        cls.directory.cleanup()

    def connect(self):
        connection = ledger_client.Connection("127.0.0.1", self.port)
        self.addCleanup(connection.close)
        return connection

    def test_commands_reads_and_pipelining(self):
        ledger = self.connect()
        self.assertEqual(ledger.authenticate(CredentialKind.Root, self.root), "root")
        self.assertGreater(ledger.ping(), 0)
        results = ledger.execute([
            ledger_client.create_organization("py-org", "Python Org"),
            ledger_client.create_platform("py-org", "py-shop", "Shop", Environment.Sandbox),
            ledger_client.create_order("py-shop", "py-1", 4200, "EUR", reference="cart-1"),
        ], idempotency_keys=[None, None, "py-1"])
        self.assertEqual([r[0] for r in results], [ErrorCode.Ok] * 3)
        # The same order again under the same key: the original result, nothing written.
        again = ledger.execute([ledger_client.create_order("py-shop", "py-1", 4200, "EUR",
                                                           reference="cart-1")], ["py-1"])
        self.assertEqual(again[0][0], ErrorCode.Duplicate)
        self.assertEqual(again[0][2], results[2][2])
        # Expected versions: the order's stream is at version 1; a new order's does not exist.
        self.assertEqual(results[2][3], 1)
        stale = ledger.execute([ledger_client.create_order("py-shop", "py-2", 1, "EUR")],
                               expected_versions=[1])
        self.assertEqual(stale[0][:2], (ErrorCode.Conflict, "wrong_expected_version"))
        fresh = ledger.execute([ledger_client.create_order("py-shop", "py-2", 1, "EUR")],
                               expected_versions=["new"])
        self.assertEqual((fresh[0][0], fresh[0][3]), (ErrorCode.Ok, 1))
        # Pipelining: several requests out, answers matched by id whatever their order.
        ids = [ledger.send(RequestBody.Ping, lambda b: (ledger_client.Ping.Start(b),
                                                         ledger_client.Ping.End(b))[1])
               for _ in range(5)]
        for request_id in reversed(ids):
            self.assertEqual(ledger.wait(request_id).RequestId(), request_id)
        events, next_sequence, head = ledger.read_log(1, 100)
        self.assertEqual(head, events[-1][0])
        self.assertEqual([e[1] for e in events][-1], EventType.OrderCreated)
        self.assertEqual(events[-1][2], "order/py-shop/py-2")
        self.assertEqual(next_sequence, events[-1][0] + 1)

    def test_wrong_credential_is_refused(self):
        ledger = self.connect()
        with self.assertRaises(ledger_client.LedgerError) as refused:
            ledger.authenticate(CredentialKind.Root, "root." + "0" * 64)
        self.assertEqual(refused.exception.code, ErrorCode.Unauthenticated)

    def test_requests_need_authentication(self):
        ledger = self.connect()
        with self.assertRaises(ledger_client.LedgerError) as refused:
            ledger.ping()
        self.assertEqual(refused.exception.code, ErrorCode.Unauthenticated)


if __name__ == "__main__":
    unittest.main()
