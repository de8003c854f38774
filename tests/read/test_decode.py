"""Bytes to text: byte-order marks, UTF-16 without BOM, legacy encodings, binary detection."""

from __future__ import annotations

import codecs
import os

import pytest
from ftfy.badness import is_bad
from hypothesis import given, settings
from hypothesis import strategies as st

from wiretrace.errors import InputError
from wiretrace.read.decode import (
    DecodedText,
    decode_bytes,
    decode_text,
    repair_mojibake,
    sanitize_text,
)

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


@pytest.mark.parametrize("wrong", ["latin-1", "cp1252"])
def test_mojibake_is_repaired_and_noted(wrong):
    # UTF-8 read once as cp1252 (or Latin-1) and saved again as UTF-8: "Ã©" for "é".
    garbled = ACCENTED.encode("utf-8").decode(
        wrong, errors="ignore" if wrong == "cp1252" else "strict"
    )
    assert "Ã©" in garbled
    decoded = decode_text(garbled.encode("utf-8"), "a.txt")
    assert decoded.text == ACCENTED
    assert decoded.encoding == "utf-8"
    assert any("mojibake" in note for note in decoded.notes)


def test_mojibake_in_one_line_leaves_the_other_lines_alone():
    garbled = "Le cafÃ© crÃ¨me coÃ»tait cher.\n"
    clean = "Ein Straßenfest in Köln, ça va.\n"
    assert decode_bytes((garbled + clean).encode("utf-8"), "a.txt") == (
        "Le café crème coûtait cher.\n" + clean
    )


def test_a_stray_byte_in_utf8_keeps_the_text_utf8_and_is_noted():
    # One 0xFF in a UTF-8 French article made the whole file decode as a legacy code page.
    data = (ACCENTED * 3).encode("utf-8")
    cut = data.index(b"approved")
    decoded = decode_text(data[:cut] + b"\xff" + data[cut:], "a.txt")
    assert decoded.encoding == "utf-8"
    assert decoded.text == (ACCENTED * 3).replace("approved", "\ufffdapproved", 1)
    assert decoded.notes == (
        "1 byte sequence that is not UTF-8 replaced with U+FFFD (the rest of the text is UTF-8)",
    )


def test_clean_utf8_has_no_notes():
    decoded = decode_text(ACCENTED.encode("utf-8"), "a.txt")
    assert decoded == DecodedText(ACCENTED, "utf-8", ())


def test_a_genuine_replacement_character_is_not_counted_as_damage():
    text = "Le caf\ufffd cr\u00e8me.\n" + ACCENTED
    assert decode_text(text.encode("utf-8"), "a.txt").notes == ()


@pytest.mark.parametrize(
    "text",
    [
        "Le café était très bon à Noël, dit-elle.\n",
        "Élève à l'école\n",
        "Le prix a augmenté de 3 % à Genève.\n",
        "Größere Brücke über den Fluss geöffnet.\n",
    ],
)
def test_short_latin1_text_is_read_as_cp1252_not_an_exotic_code_page(text):
    # Charset detection has no language to go on in one sentence; a 41-byte French
    # sentence came out as cp1257.
    decoded = decode_text(text.encode("latin-1"), "a.txt")
    assert decoded.text == text
    assert decoded.encoding == "cp1252"
    assert decoded.notes == (
        "not UTF-8: read as cp1252 (the encoding is a guess of charset detection)",
    )


def test_short_cp1251_russian_is_still_read_as_cp1251():
    text = "Мэр города открыл новый мост.\n"
    decoded = decode_text(text.encode("cp1251"), "ru.txt")
    assert decoded.text == text
    assert decoded.encoding == "cp1251"


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
    assert sanitize_text("plain\x00 ascii") == "plain ascii"
    assert sanitize_text(PROSE) == PROSE


def test_invalid_bytes_after_a_bom_are_an_input_error():
    with pytest.raises(InputError, match="byte-order mark"):
        decode_bytes(codecs.BOM_UTF8 + b"abc \xff\xfe\xfd def", "a.txt")


# One short news sentence pair per language, written for these tests.
NEWS = {
    "ru": "Городской совет утвердил план строительства нового моста через реку в среду "
    "вечером. Работы начнутся весной и продлятся три года, сообщил мэр города.\n",
    "pl": "Rada miasta zatwierdziła w środę plan budowy nowego mostu na rzece. Prace "
    "rozpoczną się wiosną i potrwają trzy lata, powiedział burmistrz.\n",
    "el": "Το δημοτικό συμβούλιο ενέκρινε την Τετάρτη το σχέδιο για νέα γέφυρα στον ποταμό. "
    "Οι εργασίες θα ξεκινήσουν την άνοιξη και θα διαρκέσουν τρία χρόνια.\n",
    "tr": "Belediye meclisi çarşamba günü nehir üzerine yeni bir köprü yapılması planını "
    "onayladı. Çalışmalar ilkbaharda başlayacak ve üç yıl sürecek, dedi başkan.\n",
    "ja": "市議会は水曜日、川に新しい橋を建設する計画を承認した。工事は春に始まり、"
    "三年間続く予定だと市長は述べた。\n",
    "zh": "市议会周三批准了在河上修建一座新桥的计划。市长表示，工程将于春季开始，持续三年。\n",
    "zh_tw": "市議會週三批准了在河上修建一座新橋的計劃。市長表示，工程將於春季開始，持續三年。\n",
    "ko": "시의회는 수요일 강에 새 다리를 건설하는 계획을 승인했다. 공사는 봄에 시작되어 "
    "3년 동안 계속될 예정이라고 시장이 말했다.\n",
    "ar": "وافق مجلس المدينة يوم الأربعاء على خطة لبناء جسر جديد فوق النهر. وقال رئيس "
    "البلدية إن الأعمال ستبدأ في الربيع وتستمر ثلاث سنوات.\n",
    "he": "מועצת העיר אישרה ביום רביעי את התוכנית לבניית גשר חדש מעל הנהר. העבודות "
    "יתחילו באביב ויימשכו שלוש שנים, אמר ראש העיר.\n",
    "fr": "Le conseil municipal a approuvé mercredi le projet d'un nouveau pont sur la "
    "rivière. Les travaux commenceront au printemps, a déclaré le maire.\n",
    "de": "Der Stadtrat hat am Mittwoch den Plan für eine neue Brücke über den Fluss "
    "genehmigt. Die Arbeiten beginnen im Frühjahr, sagte der Bürgermeister.\n",
}
LEGACY = [
    ("ru", "cp1251"),
    ("ru", "koi8-r"),
    ("ru", "iso-8859-5"),
    ("el", "iso-8859-7"),
    ("el", "cp1253"),
    ("tr", "cp1254"),
    ("ja", "shift_jis"),
    ("ja", "iso-2022-jp"),
    ("zh", "gb2312"),
    ("zh", "gb18030"),
    ("zh_tw", "big5"),
    ("ko", "euc-kr"),
    ("ar", "cp1256"),
    ("ar", "iso-8859-6"),
    ("he", "cp1255"),
    ("he", "iso-8859-8"),
    ("fr", "latin-1"),
    ("fr", "cp1252"),
    ("fr", "mac_roman"),
]
# Charset detection cannot tell these apart from a neighbour on two sentences: they are
# read (never rejected, never a crash) with some letters wrong. README, "Guarantees".
BEST_EFFORT = [("pl", "cp1250"), ("pl", "iso-8859-2"), ("de", "iso-8859-15"), ("ja", "euc-jp")]
UNICODE = ["utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]
BOM_OF = {
    "utf-8": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-32-be": codecs.BOM_UTF32_BE,
}


@pytest.mark.parametrize(("language", "encoding"), LEGACY)
def test_legacy_encodings_are_decoded(language, encoding):
    text = NEWS[language]
    assert decode_bytes(text.encode(encoding), f"{language}.txt") == text


@pytest.mark.parametrize(("language", "encoding"), BEST_EFFORT)
def test_ambiguous_legacy_encodings_are_read_best_effort(language, encoding):
    text = NEWS[language]
    decoded = decode_bytes(text.encode(encoding), f"{language}.txt")
    ascii_words = [w for w in text.split() if w.isascii() and w.isalpha()]
    assert all(word in decoded for word in ascii_words)


@pytest.mark.parametrize("with_bom", [True, False], ids=["bom", "no-bom"])
@pytest.mark.parametrize("encoding", UNICODE)
@pytest.mark.parametrize("language", sorted(NEWS))
def test_unicode_encodings_with_and_without_bom(language, encoding, with_bom):
    text = NEWS[language]
    data = (BOM_OF[encoding] if with_bom else b"") + text.encode(encoding)
    assert decode_bytes(data, f"{language}.txt") == text


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.binary(max_size=3000))
def test_any_bytes_become_clean_text_or_an_input_error(data):
    try:
        text = decode_bytes(data, "any.bin")
    except InputError as exc:
        assert "any.bin" in str(exc)
        return
    assert "\x00" not in text
    assert not any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(TEXT)
def test_utf8_text_without_mojibake_is_returned_unchanged(text):
    if text.strip() and not is_bad(text):
        assert decode_bytes(text.encode("utf-8"), "a.txt") == text


@settings(max_examples=100, deadline=None, derandomize=True)
@given(TEXT)
def test_utf8_text_comes_back_repaired_and_repair_is_idempotent(text):
    if text.strip():
        repaired = repair_mojibake(text)
        assert decode_bytes(text.encode("utf-8"), "a.txt") == repaired
        assert repair_mojibake(repaired) == repaired
