"""A small ledgerd client in Python, written from docs/protocol.md.

It uses the code `flatc --python` generates from schema/*.fbs (the build puts it in
build/<preset>/client/python; add that directory to sys.path or PYTHONPATH) and Debian's
python3-flatbuffers. Frames are length (u32 LE) | CRC-32 (u32 LE, zlib.crc32) | message.

    from ledger_client import Connection
    with Connection("127.0.0.1", 7400) as ledger:
        ledger.authenticate(CredentialKind.Root, open("data/root.credential").read().strip())
        print(ledger.ping())
"""

import socket
import struct
import zlib

import flatbuffers

from ledger.protocol import (Authenticate, Authenticated, CommandInput, CommandResults,
                             CreateOrder, CreateOrganization, CreatePlatform, Error, Events,
                             ExecuteCommands, Ping, Pong, ReadLog, Request, Response)
from ledger.protocol.Command import Command
from ledger.protocol.CredentialKind import CredentialKind  # noqa: F401 (re-exported)
from ledger.protocol.ErrorCode import ErrorCode
from ledger.protocol.ExpectedKind import ExpectedKind
from ledger.protocol.ProtocolVersion import ProtocolVersion
from ledger.protocol.RequestBody import RequestBody
from ledger.protocol.ResponseBody import ResponseBody
from ledger.schema import Envelope

FRAME_HEADER = struct.Struct("<II")
MESSAGE_BYTES_MAX = 16 * 1024 * 1024 - FRAME_HEADER.size

ERROR_NAMES = {value: name for name, value in vars(ErrorCode).items() if not name.startswith("_")}


class LedgerError(Exception):
    """The server answered a request with an Error."""

    def __init__(self, code, message):
        super().__init__(f"{ERROR_NAMES.get(code, code)}: {message}")
        self.code = code
        self.message = message


def encode_frame(message: bytes) -> bytes:
    if not 1 <= len(message) <= MESSAGE_BYTES_MAX:
        raise ValueError("a message holds 1 to 16 MiB - 8 bytes")
    return FRAME_HEADER.pack(len(message), zlib.crc32(message)) + message


def decode_frame(frame: bytes) -> bytes:
    """The message of one whole frame, after checking its length and CRC."""
    length, crc = FRAME_HEADER.unpack_from(frame)
    message = frame[FRAME_HEADER.size:]
    if length != len(message) or zlib.crc32(message) != crc:
        raise ValueError("bad frame")
    return message


def build_request(request_id, body_type, build_body):
    """A Request message; build_body(builder) returns the body's offset."""
    builder = flatbuffers.Builder(256)
    body = build_body(builder)
    Request.Start(builder)
    Request.AddRequestId(builder, request_id)
    Request.AddBodyType(builder, body_type)
    Request.AddBody(builder, body)
    builder.Finish(Request.End(builder))
    return bytes(builder.Output())


def body_as(response, table_class):
    """The response's body read as `table_class` (e.g. Pong.Pong)."""
    table = response.Body()
    body = table_class()
    body.Init(table.Bytes, table.Pos)
    return body


class Connection:
    """One connection: requests are pipelined; responses are matched by request id."""

    def __init__(self, host="127.0.0.1", port=7400, timeout=30.0):
        self._socket = socket.create_connection((host, port), timeout=timeout)
        self._next_id = 1
        self._early = {}  # Responses that arrived before anyone asked for them.

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self._socket.close()

    # ---- Transport ---------------------------------------------------------------------------

    def send(self, body_type, build_body):
        """Sends a request without waiting; returns its id."""
        request_id = self._next_id
        self._next_id += 1
        self._socket.sendall(encode_frame(build_request(request_id, body_type, build_body)))
        return request_id

    def _read_exactly(self, size):
        data = bytearray()
        while len(data) < size:
            chunk = self._socket.recv(size - len(data))
            if not chunk:
                raise ConnectionError("the server closed the connection")
            data += chunk
        return bytes(data)

    def receive(self):
        """The next response from the server, whichever request it answers."""
        length, crc = FRAME_HEADER.unpack(self._read_exactly(FRAME_HEADER.size))
        if not 1 <= length <= MESSAGE_BYTES_MAX:
            raise ConnectionError(f"the server announced a frame of {length} bytes")
        message = self._read_exactly(length)
        if zlib.crc32(message) != crc:
            raise ConnectionError("checksum mismatch")
        return Response.Response.GetRootAs(message, 0)

    def wait(self, request_id):
        """The response to `request_id`; raises LedgerError when it failed."""
        while request_id not in self._early:
            response = self.receive()
            if response.RequestId() == 0 and response.Error() is not None:
                error = response.Error()
                raise LedgerError(error.Code(), (error.Message() or b"").decode())
            self._early[response.RequestId()] = response
        response = self._early.pop(request_id)
        error = response.Error()
        if error is not None and error.Code() != ErrorCode.Ok:
            raise LedgerError(error.Code(), (error.Message() or b"").decode())
        return response

    def call(self, body_type, build_body):
        return self.wait(self.send(body_type, build_body))

    # ---- Requests ----------------------------------------------------------------------------

    def authenticate(self, kind, credential, environment=0):
        def body(builder):
            text = builder.CreateString(credential)
            name = builder.CreateString("ledger_client.py")
            Authenticate.Start(builder)
            Authenticate.AddProtocolVersion(builder, ProtocolVersion.V1)
            Authenticate.AddKind(builder, kind)
            Authenticate.AddCredential(builder, text)
            Authenticate.AddEnvironment(builder, environment)
            Authenticate.AddClientName(builder, name)
            return Authenticate.End(builder)

        response = self.call(RequestBody.Authenticate, body)
        assert response.BodyType() == ResponseBody.Authenticated
        return body_as(response, Authenticated.Authenticated).PrincipalId().decode()

    def ping(self):
        def body(builder):
            Ping.Start(builder)
            return Ping.End(builder)

        return body_as(self.call(RequestBody.Ping, body), Pong.Pong).ServerTimeUs()

    def execute(self, commands, idempotency_keys=None, expected_versions=None):
        """Runs a batch of commands; each is (Command union type, build(builder) -> offset).

        expected_versions: per command None (any version), "new" (its stream must not exist)
        or the version its stream must be at; otherwise the command is a Conflict
        "wrong_expected_version". Returns one (status, code_name, sequence, stream_version)
        per command."""
        keys = idempotency_keys or [None] * len(commands)
        expectations = expected_versions or [None] * len(commands)

        def body(builder):
            inputs = []
            for (command_type, build), key, expected in zip(commands, keys, expectations):
                command = build(builder)
                key_offset = builder.CreateString(key) if key else None
                CommandInput.Start(builder)
                CommandInput.AddCommandType(builder, command_type)
                CommandInput.AddCommand(builder, command)
                if key_offset is not None:
                    CommandInput.AddIdempotencyKey(builder, key_offset)
                if expected == "new":
                    CommandInput.AddExpectedKind(builder, ExpectedKind.NoStream)
                elif expected is not None:
                    CommandInput.AddExpectedKind(builder, ExpectedKind.Exact)
                    CommandInput.AddExpectedVersion(builder, expected)
                inputs.append(CommandInput.End(builder))
            ExecuteCommands.StartCommandsVector(builder, len(inputs))
            for offset in reversed(inputs):
                builder.PrependUOffsetTRelative(offset)
            vector = builder.EndVector()
            ExecuteCommands.Start(builder)
            ExecuteCommands.AddCommands(builder, vector)
            return ExecuteCommands.End(builder)

        results = body_as(self.call(RequestBody.ExecuteCommands, body),
                          CommandResults.CommandResults)
        out = []
        for i in range(results.ResultsLength()):
            result = results.Results(i)
            out.append((result.Status(), (result.CodeName() or b"accepted").decode(),
                        result.Sequence(), result.StreamVersion()))
        return out

    def read_log(self, from_sequence=1, max_count=100):
        """Events from a sequence on: a list of (sequence, type, stream), where to go on, and
        the head. Events the principal may not see are skipped."""
        def body(builder):
            ReadLog.Start(builder)
            ReadLog.AddFromSequence(builder, from_sequence)
            ReadLog.AddMaxCount(builder, max_count)
            return ReadLog.End(builder)

        events = body_as(self.call(RequestBody.ReadLog, body), Events.Events)
        out = []
        for i in range(events.EventsLength()):
            envelope = Envelope.Envelope.GetRootAs(envelope_bytes(events.Events(i)), 0)
            out.append((envelope.Sequence(), envelope.Type(), envelope.Stream().decode()))
        return out, events.Next(), events.HeadSequence()


def envelope_bytes(event):
    """The stored ledger.schema.Envelope buffer an Event carries (its first field)."""
    table = event._tab
    offset = table.Offset(4)
    start = table.Vector(offset)
    return bytes(table.Bytes[start:start + table.VectorLen(offset)])


# ---- Commands: (union type, builder function) pairs for Connection.execute -------------------

def create_organization(organization_id, name):
    def build(builder):
        i, n = builder.CreateString(organization_id), builder.CreateString(name)
        CreateOrganization.Start(builder)
        CreateOrganization.AddOrganizationId(builder, i)
        CreateOrganization.AddName(builder, n)
        return CreateOrganization.End(builder)
    return Command.CreateOrganization, build


def create_platform(organization_id, platform_id, name, environment):
    def build(builder):
        o, p, n = (builder.CreateString(s) for s in (organization_id, platform_id, name))
        CreatePlatform.Start(builder)
        CreatePlatform.AddOrganizationId(builder, o)
        CreatePlatform.AddPlatformId(builder, p)
        CreatePlatform.AddName(builder, n)
        CreatePlatform.AddEnvironment(builder, environment)
        return CreatePlatform.End(builder)
    return Command.CreatePlatform, build


def create_order(platform_id, order_id, amount_minor, currency, module="checkout", reference=""):
    def build(builder):
        p, o, c, m, r = (builder.CreateString(s)
                         for s in (platform_id, order_id, currency, module, reference))
        CreateOrder.Start(builder)
        CreateOrder.AddPlatformId(builder, p)
        CreateOrder.AddOrderId(builder, o)
        CreateOrder.AddAmountMinor(builder, amount_minor)
        CreateOrder.AddCurrency(builder, c)
        CreateOrder.AddModule(builder, m)
        CreateOrder.AddReference(builder, r)
        return CreateOrder.End(builder)
    return Command.CreateOrder, build
