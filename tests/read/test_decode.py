"""Bytes to text: byte-order marks, UTF-16 without BOM, legacy encodings, binary detection."""

from __future__ import annotations

import codecs
import os

import pytest

from wiretrace.errors import InputError
from wiretrace.read.decode import decode_bytes, sanitize_text

PROSE = (
    "The harbour board approved the plan on Wednesday after a long debate.\n"
    "Officials said the work would start in September and take three years.\n"
)
ACCENTED = "Le café crème coûtait 2,40 € à l’époque, a déclaré la propriétaire.\n" + PROSE


def test_plain_utf8_is_returned_as_is():
    assert decode_bytes(ACCENTED.encode("utf-8"), "a.txt") == ACCENTED


def test_utf8_bom_is_dropped():
    assert decode_bytes(codecs.BOM_UTF8 + ACCENTED.encode("utf-8"), "a.txt") == ACCENTED


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")],
)
def test_utf16_with_bom(bom, encoding):
    assert decode_bytes(bom + ACCENTED.encode(encoding), "a.txt") == ACCENTED


@pytest.mark.parametrize("text", [PROSE, ACCENTED], ids=["ascii", "accented"])
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(encoding, text):
    # All-ASCII UTF-16 is also valid UTF-8 (NUL is a valid code point), so it must be
    # recognized before the UTF-8 attempt rather than rejected as "binary".
    assert decode_bytes(text.encode(encoding), "a.txt") == text


def test_cp1252_text_keeps_its_accents():
    text = "Le café crème était très bon, dit-elle — « naïve » et sûre.\n" + PROSE
    assert decode_bytes(text.encode("cp1252"), "a.txt") == text


def test_mojibake_is_read_best_effort():
    # UTF-8 read once as Latin-1 and saved again: still valid UTF-8, so it is kept as is.
    garbled = ACCENTED.encode("utf-8").decode("latin-1")
    decoded = decode_bytes(garbled.encode("utf-8"), "a.txt")
    assert decoded == garbled
    assert "The harbour board approved the plan" in decoded


def test_mixed_encodings_keep_the_ascii_prose():
    data = "Café crème. ".encode() + "Naïve résumé. ".encode("cp1252") + PROSE.encode()
    decoded = decode_bytes(data, "a.txt")
    assert PROSE in decoded


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  "])
def test_empty_input_is_an_input_error(data):
    with pytest.raises(InputError, match="empty"):
        decode_bytes(data, "empty.txt")


def test_binary_is_an_input_error_naming_the_input():
    data = os.urandom(4096)
    with pytest.raises(InputError) as info:
        decode_bytes(data, "photo.html")
    assert "photo.html" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_control_characters_mark_binary():
    data = bytes(range(1, 32)) * 50 + PROSE.encode()
    with pytest.raises(InputError, match="binary"):
        decode_bytes(data, "x.txt")


def test_nul_bytes_inside_text_are_dropped():
    data = PROSE.encode().replace(b"board", b"bo\x00ard")
    assert decode_bytes(data, "a.txt") == PROSE


def test_sanitize_replaces_lone_surrogates_and_drops_nul():
    assert sanitize_text("a\ud800b\x00c\udfff") == "a\ufffdbc\ufffd"
    assert sanitize_text(PROSE) == PROSE


def test_invalid_bytes_after_a_bom_are_an_input_error():
    with pytest.raises(InputError, match="byte-order mark"):
        decode_bytes(codecs.BOM_UTF8 + b"abc \xff\xfe\xfd def", "a.txt")
