"""Deciding how a text file is encoded, with evidence, and decoding it strictly. No Qt.

"It decoded" proves nothing: GB18030 decodes almost any byte string, so a Big5 or a
Windows-1252 text read as GB18030 becomes Chinese-looking nonsense without an error. The
encoding is therefore decided from evidence, in this order (:func:`decode_text`):

1. the encoding the user gave (``--encoding``), decoded strictly;
2. a byte order mark: UTF-32, UTF-8, UTF-16 (little or big endian);
3. the signature of a known binary format (PDF, SQLite, ZIP/Office …): refused;
4. UTF-16 without a byte order mark, when the zero bytes of ASCII characters say so;
5. bytes that never occur in text (NUL, many control bytes): refused as binary;
6. strict UTF-8;
7. a file that is mostly valid UTF-8, or UTF-8 for a while, then not: refused as damaged
   or mixed;
8. charset-normalizer's ranking, accepted only when it agrees on one of GB18030, Big5
   or UTF-16 without a close rival *and* the decoded text reads as Chinese (its
   characters are common ones, not the rare ones a wrong reading produces).

Anything else is refused with :class:`DecodeError` naming the first byte that is not
UTF-8, its line, the likely encodings, and the advice to give one with ``--encoding``.
Decoding is always strict: an invalid byte is an error, never a replacement character.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from .i18n import N_, _
from .script import HAN

__all__ = ["DecodeError", "DecodedText", "check_encoding", "decode_text", "encoding_label"]

#: How many characters and bytes the statistical checks look at.
_SAMPLE = 65536
#: charset-normalizer's "chaos" (mess ratio) within which another encoding is a rival.
_RIVAL_MARGIN = 0.03
#: Share of the CJK characters that must be common ones for a GB18030/Big5 reading.
_COMMON_SHARE = 0.8
#: Most candidate encodings named in a message.
_MAX_CANDIDATES = 4


# (mark, codec named in the result, codec of the text after the mark, name in messages);
# UTF-32 first: its little-endian mark starts like UTF-16's.
_BOMS: tuple[tuple[bytes, str, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be", "UTF-16"),
)
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", N_("a PDF file")),
    (b"SQLite format 3\x00", N_("an SQLite database")),
    (b"PK\x03\x04", N_("a ZIP archive or an Office document (.docx/.xlsx)")),
    (b"\xd0\xcf\x11\xe0", N_("an old Office document (.doc/.xls)")),
    (b"{\\rtf", N_("an RTF document")),
    (b"\x89PNG", N_("a PNG image")),
    (b"\xff\xd8\xff", N_("a JPEG image")),
    (b"GIF8", N_("a GIF image")),
)
# Bytes that never occur in text (tab, newline, CR, form feed and vertical tab excepted).
_BINARY_BYTES = bytes(sorted(frozenset(range(32)) - {9, 10, 11, 12, 13} | {127}))
_BINARY_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
# charset-normalizer's codec names, by the family a reading is accepted for.
_FAMILIES = {
    "gb18030": "gb18030", "gbk": "gb18030", "gb2312": "gb18030", "hz": "gb18030",
    "big5": "big5", "big5hkscs": "big5", "cp950": "big5",
    "utf_16_le": "utf-16-le", "utf_16_be": "utf-16-be",
}
# Encodings named first among equally likely candidates: the ones our users meet.
_PREFERRED = ("gb18030", "big5", "utf-16-le", "utf-16-be", "cp1252", "shift_jis", "cp932",
              "euc_jp", "cp949", "euc_kr")
_LABELS = {"gb18030": "GB18030", "big5": "Big5", "utf-16-le": "UTF-16LE",
           "utf-16-be": "UTF-16BE", "utf-8": "UTF-8"}


@dataclass(frozen=True)
class DecodedText:
    """A decoded text and how it was decoded."""

    text: str
    encoding: str  #: the codec used (``utf-8``, ``utf-16-le``, ``gb18030`` …)
    guessed: bool = False  #: decided from statistics, not from the file or the user


class DecodeError(ValueError):
    """Bytes that are not (certainly) text; ``reason`` says why, ``line`` where (1-based)."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        self.reason = reason
        self.line = line
        super().__init__(f"{line}: {reason}" if line else reason)


def encoding_label(encoding: str) -> str:
    """A name for messages: ``GB18030``, ``Big5``, ``UTF-16LE`` or the codec's own name."""
    return _LABELS.get(encoding, encoding)


def check_encoding(name: str) -> str:
    """The codec name for ``name`` (``GBK`` -> ``gbk``); :class:`DecodeError` if Python
    knows no text encoding of that name."""
    try:
        info = codecs.lookup(name.strip())
    except (LookupError, ValueError):
        info = None
    if info is None or not getattr(info, "_is_text_encoding", True) or info.name == "undefined":
        raise DecodeError(_("unknown encoding \"{name}\" (for example: utf-8, gb18030, big5, "
                            "utf-16, cp1252)").format(name=name))
    return info.name


def decode_text(data: bytes, encoding: str | None = None) -> DecodedText:
    """``data`` as text, decided and decoded as the module notes say; a leading byte
    order mark is removed. Raises :class:`DecodeError`."""
    if encoding is not None:
        return _decode_given(data, check_encoding(encoding))
    for bom, codec, body_codec, label in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            try:
                return _checked(DecodedText(body.decode(body_codec), codec))
            except UnicodeDecodeError as exc:
                raise DecodeError(_("starts with a {name} byte order mark but is not valid "
                                    "{name} text (byte 0x{byte:02X})").format(
                                        name=label, byte=body[exc.start]),
                                  _line(body, exc.start, body_codec)) from None
    _refuse_signatures(data)
    utf16 = _utf16_by_zero_bytes(data)
    if utf16 is not None:
        return _checked(utf16)
    sample = data[:_SAMPLE]
    if b"\x00" in data or len(sample) - len(sample.translate(None, _BINARY_BYTES)) > max(
            4, len(sample) // 20):
        raise DecodeError(_("looks like a binary file, not text"))
    try:
        return _checked(DecodedText(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    line = _line(data, first_bad, "utf-8")
    byte = data[first_bad]
    if _mostly_utf8(data) or _non_ascii(data[:first_bad].decode("utf-8")) >= 8:
        raise DecodeError(_("not valid UTF-8 (byte 0x{byte:02X}), although the rest of the "
                            "file (or all before it) is UTF-8: it is damaged or mixes two "
                            "encodings; repair it or save it again as UTF-8").format(byte=byte),
                          line)
    guess, candidates = _guess(data)
    if guess is not None:
        return _checked(guess)
    if candidates:
        raise DecodeError(_("not valid UTF-8 (byte 0x{byte:02X}), and which encoding it is "
                            "cannot be told for certain (perhaps {candidates}); give it with "
                            "--encoding NAME, or save the file as UTF-8").format(
                                byte=byte, candidates=", ".join(candidates)), line)
    raise DecodeError(_("not valid UTF-8 (byte 0x{byte:02X}), and its encoding cannot be "
                        "recognised; give it with --encoding NAME, or save the file as "
                        "UTF-8").format(byte=byte), line)


def _decode_given(data: bytes, codec: str) -> DecodedText:
    _refuse_signatures(data)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise DecodeError(_("not valid {encoding} text (byte 0x{byte:02X}); is --encoding "
                            "right?").format(encoding=encoding_label(codec),
                                             byte=data[exc.start]),
                          _line(data, exc.start, codec)) from None
    except (UnicodeError, ValueError) as exc:  # codecs that fail without a position
        raise DecodeError(_("cannot be decoded as {encoding} ({reason})").format(
            encoding=encoding_label(codec), reason=exc)) from None
    return _checked(DecodedText(text.removeprefix("\ufeff"), codec))


def _checked(decoded: DecodedText) -> DecodedText:
    """``decoded``, unless the text holds what text never does (NUL, many controls)."""
    sample = decoded.text[:_SAMPLE]
    if "\x00" in decoded.text or len(_BINARY_CHARS.findall(sample)) > max(4, len(sample) // 20):
        raise DecodeError(_("looks like a binary file, not text"))
    return decoded


def _line(data: bytes, offset: int, codec: str) -> int:
    """The 1-based line of byte ``offset`` in ``data`` encoded with ``codec``."""
    return data[:offset].decode(codec, errors="replace").count("\n") + 1


def _refuse_signatures(data: bytes) -> None:
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            raise DecodeError(_("looks like {what}, not text").format(what=_(what)))


def _utf16_by_zero_bytes(data: bytes) -> DecodedText | None:
    """UTF-16 without a byte order mark, recognised by the zero high bytes of its ASCII
    characters (a quarter of the characters or more, the low bytes hardly ever zero)."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:_SAMPLE]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    enough = max(2, len(sample) // 8)
    if odd >= enough and even * 8 <= odd:
        codec = "utf-16-le"
    elif even >= enough and odd * 8 <= even:
        codec = "utf-16-be"
    else:
        return None
    try:
        return DecodedText(data.decode(codec), codec, guessed=True)
    except UnicodeDecodeError:
        return None


def _mostly_utf8(data: bytes) -> bool:
    """Whether the non-ASCII bytes are mostly valid UTF-8 sequences (four valid
    characters or more for each invalid byte): UTF-8 with damage, not another encoding."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = _non_ascii(text) - bad
    return good > 0 and good >= 4 * bad


def _non_ascii(text: str) -> int:
    """How many characters of ``text`` are not ASCII (without a list of them)."""
    return len(text) - len(text.encode("ascii", errors="ignore"))


def _guess(data: bytes) -> tuple[DecodedText | None, list[str]]:
    """charset-normalizer's reading when it is certain enough (see the module notes), and
    the candidate encodings to name otherwise."""
    try:
        from charset_normalizer import from_bytes

        matches = list(from_bytes(data))
    except Exception:  # noqa: BLE001 (a failure of the guesser is "no candidates", never a crash)
        matches = []
    candidates = _candidates(data, matches)
    if not matches:
        return None, candidates
    best = matches[0]
    family = _FAMILIES.get(best.encoding)
    if family is None or any(
            _FAMILIES.get(m.encoding, m.encoding) != family
            and m.chaos - best.chaos < _RIVAL_MARGIN for m in matches[1:]):
        return None, candidates
    try:
        text = data.decode(family)
    except UnicodeDecodeError:
        return None, candidates
    if not _reads_as_chinese(text, family):
        return None, candidates
    return DecodedText(text, family, guessed=True), candidates


def _candidates(data: bytes, matches: list) -> list[str]:
    """Codec names to suggest, likeliest first (ours first among equals)."""
    ranked: dict[str, tuple[float, int]] = {}
    for order, match in enumerate(matches):
        try:
            name = codecs.lookup(_FAMILIES.get(match.encoding, match.encoding)).name
        except LookupError:
            continue
        rank = _PREFERRED.index(name) if name in _PREFERRED else len(_PREFERRED) + order
        ranked.setdefault(name, (round(match.chaos, 2), rank))
    if _western(data):
        ranked["cp1252"] = (-1.0, 0)
    return sorted(ranked, key=ranked.__getitem__)[:_MAX_CANDIDATES]


def _western(data: bytes) -> bool:
    """Mostly ASCII, with single non-ASCII bytes between ASCII ones (accented letters,
    curly quotes) that Windows-1252 decodes: the usual Western European Windows text.
    CJK encodings use pairs of non-ASCII bytes instead."""
    sample = data[:_SAMPLE]
    high = [i for i, b in enumerate(sample) if b >= 0x80]
    if not high or len(high) * 5 > len(sample):
        return False
    alone = sum(1 for i in high if (i == 0 or sample[i - 1] < 0x80)
                and (i + 1 == len(sample) or sample[i + 1] < 0x80))
    if alone * 2 < len(high):
        return False
    try:
        sample.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _reads_as_chinese(text: str, family: str) -> bool:
    """Whether the CJK characters of ``text`` are mostly common ones (GB2312 level 1 or
    Big5's frequent block): a wrong reading produces rare characters, kana, Greek …"""
    sample = text[:_SAMPLE]
    chars = HAN.findall(sample)
    if not chars or _BINARY_CHARS.search(sample) or _looks_misdecoded(sample):
        return False
    if family == "big5":
        return _common_share(chars, "big5", 0xA4, 0xC6) >= _COMMON_SHARE
    if family == "gb18030":
        return _common_share(chars, "gb2312", 0xB0, 0xD7) >= _COMMON_SHARE
    return max(_common_share(chars, "gb2312", 0xB0, 0xD7),
               _common_share(chars, "big5", 0xA4, 0xC6)) >= _COMMON_SHARE


def _common_share(chars: list[str], codec: str, first: int, last: int) -> float:
    """The share of ``chars`` whose ``codec`` lead byte lies in ``first``–``last``."""
    common = 0
    for ch in chars:
        try:
            lead = ch.encode(codec)[0]
        except UnicodeEncodeError:
            continue
        common += first <= lead <= last
    return common / len(chars)


def _looks_misdecoded(text: str) -> bool:
    """True when most CJK characters stand alone between Latin letters.

    That is what Windows-1252 or Latin-1 text (curly quotes, accents) turns into
    when read as GB18030; real Chinese text has runs of CJK characters.
    """
    alone = total = 0
    for match in HAN.finditer(text):
        total += 1
        start, end = match.start(), match.end()
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if before.isascii() and before.isalpha() or after.isascii() and after.isalpha():
            alone += 1
    return total > 0 and alone * 2 > total
