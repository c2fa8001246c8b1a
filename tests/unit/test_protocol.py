import io
import json
import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from swarmbridge.protocol import chunking, envelope, framing
from swarmbridge.protocol.envelope import ErrorCode, ProtocolError

GOLDEN = Path(__file__).resolve().parents[2] / "host" / "swarmbridge" / "protocol" / "golden"


@pytest.mark.parametrize("name", ["request", "response_ok", "response_error", "event", "hello"])
def test_golden_messages_decode_and_roundtrip(name):
    raw = (GOLDEN / f"{name}.json").read_bytes()
    msg = envelope.decode(raw)
    assert json.loads(envelope.encode(msg)) == json.loads(raw)


def test_golden_invalid_messages_are_rejected_with_their_code():
    cases = json.loads((GOLDEN / "invalid.json").read_text())
    assert cases
    for case in cases:
        with pytest.raises(ProtocolError) as info:
            envelope.decode(json.dumps(case["message"]))
        assert info.value.code == case["code"], case["why"]


def test_invalid_envelope_error_echoes_id():
    with pytest.raises(ProtocolError) as info:
        envelope.decode(b'{"v":1,"id":"abc","kind":"request"}')
    assert info.value.msg_id == "abc"
    with pytest.raises(ProtocolError) as info:
        envelope.decode(b"{nope")
    assert info.value.code == ErrorCode.PARSE_ERROR


def test_response_null_result_is_a_result():
    msg = envelope.decode(b'{"v":1,"id":"a","kind":"response","result":null}')
    assert msg.result is None


def test_golden_chunk_is_reassembled():
    chunk = json.loads((GOLDEN / "chunk.json").read_text())
    r = chunking.Reassembler()
    assert r.feed(chunk) is None
    rest = dict(chunk, seq=1, data='{"ok":true}}')
    body = r.feed(rest)
    assert envelope.decode(body).result == {"ok": True}


@given(st.lists(st.binary(max_size=300), max_size=20), st.lists(st.integers(1, 50), min_size=1, max_size=40))
def test_decoder_survives_any_split(bodies, cuts):
    stream = b"".join(framing.encode(b) for b in bodies)
    dec = framing.FrameDecoder()
    out, i, k = [], 0, 0
    while i < len(stream):
        n = cuts[k % len(cuts)]
        out += dec.feed(stream[i : i + n])
        i += n
        k += 1
    assert out == bodies
    assert dec.pending == 0


def test_decoder_rejects_oversize_length():
    dec = framing.FrameDecoder(max_size=10)
    with pytest.raises(framing.FramingError):
        dec.feed(struct.pack("=I", 11) + b"x" * 11)


def test_blocking_reader_eof_and_truncation():
    s = io.BytesIO(framing.encode(b"abc") + framing.encode(b""))
    assert framing.read_frame(s) == b"abc"
    assert framing.read_frame(s) == b""
    assert framing.read_frame(s) is None
    with pytest.raises(framing.FramingError):
        framing.read_frame(io.BytesIO(struct.pack("=I", 5) + b"ab"))
    with pytest.raises(framing.FramingError):
        framing.read_frame(io.BytesIO(b"\x01\x00"))


text_st = st.text(alphabet=st.characters(codec="utf-8"), max_size=4000)


@settings(max_examples=60, deadline=None)
@given(text_st, st.integers(300, 2000), st.integers(1, 400))
def test_chunks_fit_the_limit_and_reassemble(text, limit, slice_chars):
    body = json.dumps({"v": 1, "id": "x", "kind": "response", "result": text}, ensure_ascii=False).encode()
    frames = chunking.split(body, limit=limit, slice_chars=slice_chars)
    if len(body) <= limit:
        assert frames == [body]
        return
    assert all(len(f) <= limit for f in frames)
    r = chunking.Reassembler()
    got = [r.feed(json.loads(f)) for f in reversed(frames)]  # any order
    assert got[-1] == body and all(g is None for g in got[:-1])


@pytest.mark.parametrize("size", [framing.MAX_TO_BROWSER - 1, framing.MAX_TO_BROWSER, framing.MAX_TO_BROWSER + 1, 5 * 1024 * 1024])
def test_sizes_around_one_mebibyte(size):
    prefix = b'{"v":1,"id":"x","kind":"response","result":"'
    body = prefix + b"\xc3\xa9" * ((size - len(prefix) - 2) // 2) + b"a" * ((size - len(prefix) - 2) % 2) + b'"}'
    assert len(body) == size
    frames = chunking.split(body)
    assert all(len(f) <= framing.MAX_TO_BROWSER for f in frames)
    if size <= framing.MAX_TO_BROWSER:
        assert frames == [body]
    else:
        r = chunking.Reassembler()
        out = [r.feed(json.loads(f)) for f in frames]
        assert out[-1] == body


@pytest.mark.parametrize(
    "bad",
    [{}, {"cid": "a", "seq": 0, "total": 0, "data": ""}, {"cid": "a", "seq": 3, "total": 2, "data": ""}, {"cid": 1, "seq": 0, "total": 1, "data": ""}],
)
def test_bad_chunks_are_errors(bad):
    with pytest.raises(chunking.ChunkError):
        chunking.Reassembler().feed(bad)
