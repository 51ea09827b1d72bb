#!/usr/bin/env python3
"""Prints who you are and the last events you may see, through ledger_client.py.

    PYTHONPATH=build/release/client/python python3 client/python/example.py \
        --credential-file data/root.credential [--server 127.0.0.1:7400] [--as root|key|user]
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import ledger_client  # noqa: E402
from ledger.protocol.CredentialKind import CredentialKind  # noqa: E402
from ledger.schema.Environment import Environment  # noqa: E402
from ledger.schema.EventType import EventType  # noqa: E402

EVENT_NAMES = {v: k for k, v in vars(EventType).items() if not k.startswith("_")}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="127.0.0.1:7400")
    parser.add_argument("--credential-file", required=True)
    parser.add_argument("--as", dest="kind", choices=["root", "key", "user"])
    parser.add_argument("--env", choices=["sandbox", "production"], default="sandbox")
    parser.add_argument("--count", type=int, default=10)
    args = parser.parse_args()
    credential = open(args.credential_file).read().strip()
    kind = args.kind or ("root" if credential.startswith("root.") else "user")
    host, port = args.server.rsplit(":", 1)
    with ledger_client.Connection(host, int(port)) as ledger:
        environment = Environment.Sandbox if args.env == "sandbox" else Environment.Production
        who = ledger.authenticate({"root": CredentialKind.Root, "key": CredentialKind.ApiKey,
                                   "user": CredentialKind.UserToken}[kind], credential,
                                  environment if kind == "user" else Environment.Unspecified)
        print(f"authenticated as {who}; server clock {ledger.ping()} us")
        sequence, head, shown = 1, 1, []
        while sequence <= head:
            events, sequence, head = ledger.read_log(sequence, 10000)
            shown = (shown + events)[-args.count:]
        for number, event_type, stream in shown:
            print(f"{number:>8}  {EVENT_NAMES.get(event_type, event_type):<20} {stream}")


if __name__ == "__main__":
    main()
