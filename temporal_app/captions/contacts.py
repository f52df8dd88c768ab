"""Links, phone numbers, e-mail addresses and @mentions in a caption, and which a brand allows.

Text in a photo ("visit evil.example, call +32 ...") can steer Claude into writing it in the
captions. So every such contact is found, also as a model may disguise it (``evil[.]example``,
``win (at) evil (dot) example``, full-width or zero-width characters), and only those the
brand lists in its voice settings, or gives in its own call to action or signature, may be
published. Prices, years, sizes and dates are not phone numbers; hashtags are not mentions.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import phonenumbers
from publicsuffixlist import PublicSuffixList

from feedpub.brand_style import VoiceSettings

__all__ = ["PHONE_REGIONS", "Allowlist", "Contact", "find_contacts"]

PHONE_REGIONS = ("BE", "NL", "FR", "DE", "AT", "CH", "GB", "IE", "ES", "PT", "IT")
"""Whose local numbers (``0470 12 34 56``) are recognised; a number in international form
(``+32 …``, ``0032 …``) is recognised whatever its country."""
# Reserved for examples and tests (RFC 2606, RFC 6761): not in the public suffix list, yet
# exactly what a sign in a test photo, or a prompt injection copied from one, would use.
_RESERVED_TLDS = frozenset({"example", "test", "invalid", "localhost", "local", "onion"})
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_EMAIL = re.compile(rf"(?<![\w.+-])[\w.+-]+@(?:{_LABEL}\.)+{_LABEL}")
_LINK = re.compile(
    rf"(?<![\w@./-])(?P<scheme>h[tx]{{2}}ps?://)?(?P<host>(?:{_LABEL}\.)+{_LABEL})(?P<path>/\S*)?",
    re.IGNORECASE,
)
_MENTION = re.compile(r"(?<![\w@/])@(\w(?:[\w.]*\w)?)")
# Disguised dots and at signs: "[.]", "(dot)", "{at}"...; "evil . example" only before a
# lower-case word, so that a stray " . " between two sentences joins nothing.
_DOT = re.compile(r"\s*[\[({]\s*(?:\.|dot|punt|point|punkt|punto)\s*[\])}]\s*", re.IGNORECASE)
_AT = re.compile(r"\s*[\[({]\s*(?:@|at|arobase)\s*[\])}]\s*", re.IGNORECASE)
_SPACED_DOT = re.compile(r"(?<=\w) \. (?=[a-z])")
_DATE = re.compile(r"\d{1,2}[./-]\d{1,2}(?:[./-]\d{2,4})?|\d{1,2}[./-]\d{4}")
_MIN_PHONE_DIGITS = 8


@dataclass(frozen=True)
class Contact:
    """One way of reaching someone outside the post, as found in a caption."""

    kind: str
    """``link``, ``phone number``, ``e-mail address`` or ``@mention``."""
    text: str
    """As written, with disguises undone (``evil.example/x``, ``win@evil.example``)."""
    keys: frozenset[str]
    """What an allowlist compares: the host, the address, the name, or every E.164 form the
    number can have in ``PHONE_REGIONS`` (a local number is read in each)."""


def find_contacts(text: str) -> list[Contact]:
    """Every link, phone number, e-mail address and @mention in ``text``."""
    plain = _undisguised(text)
    emails = [
        Contact("e-mail address", m[0], frozenset({m[0].lower()})) for m in _EMAIL.finditer(plain)
    ]
    # An address's own dots ("first.last@", "@shop.example") are not links.
    without_emails = _EMAIL.sub(lambda m: " " * len(m[0]), plain)
    found = []
    for match in _LINK.finditer(without_emails):
        host = match["host"].lower()
        if match["scheme"] or host.startswith("www.") or _is_domain(host):
            shown = match[0].rstrip(".,;:!?)'\"")
            found.append(Contact("link", shown, frozenset({host})))
    found += [Contact("phone number", raw, frozenset(keys)) for raw, keys in _phones(plain).items()]
    found += emails
    for match in _MENTION.finditer(plain):
        if any(letter.isalpha() for letter in match[1]):
            found.append(Contact("@mention", f"@{match[1]}", frozenset({match[1].lower()})))
    return found


@dataclass(frozen=True)
class Allowlist:
    """The contacts a brand may publish: its voice settings' lists and its own ending."""

    domains: tuple[str, ...] = ()
    mentions: frozenset[str] = frozenset()
    emails: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()

    @classmethod
    def of(cls, voice: VoiceSettings) -> Allowlist:
        own = find_contacts(f"{voice.call_to_action}\n{voice.signature}")
        keys = {kind: {k for c in own if c.kind == kind for k in c.keys} for kind in _KINDS}
        phones = {k for number in voice.allowed_phone_numbers for k in _phone_keys(number)}
        return cls(
            domains=(*(d.lower() for d in voice.allowed_links), *keys["link"]),
            mentions=frozenset(m.lower().lstrip("@") for m in voice.allowed_mentions)
            | keys["@mention"],
            emails=frozenset(e.lower() for e in voice.allowed_emails) | keys["e-mail address"],
            phones=frozenset(phones) | keys["phone number"],
        )

    def allows(self, contact: Contact) -> bool:
        if contact.kind == "link":
            [host] = contact.keys
            return any(host == d or host.endswith(f".{d}") for d in self.domains)
        allowed = {
            "phone number": self.phones, "e-mail address": self.emails, "@mention": self.mentions
        }  # fmt: skip
        return bool(contact.keys & allowed[contact.kind])


_KINDS = ("link", "phone number", "e-mail address", "@mention")


def _undisguised(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\u3002", ".")
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")  # zero-width and such
    return _SPACED_DOT.sub(".", _AT.sub("@", _DOT.sub(".", text)))


def _is_domain(host: str) -> bool:
    """Whether a bare ``name.ending`` is a domain: whether its ending is a top-level domain
    (``pak.nu`` is one, ``op.maat`` and ``e.g`` are not)."""
    ending = host.rsplit(".", 1)[-1]
    return ending in _RESERVED_TLDS or _suffixes().publicsuffix(host) is not None


@cache
def _suffixes() -> PublicSuffixList:
    # The list ships with the package: nothing is downloaded. Unknown endings are not domains.
    return PublicSuffixList(accept_unknown=False)


def _phones(text: str) -> dict[str, set[str]]:
    """Each phone number in ``text`` as written, with its E.164 form in every region that
    reads it as a valid number."""
    found: dict[str, set[str]] = {}
    for region in PHONE_REGIONS:
        for match in phonenumbers.PhoneNumberMatcher(text, region, phonenumbers.Leniency.VALID):
            raw = match.raw_string
            # Local numbers start with the trunk 0 here: sizes, prices and references do not.
            if raw.lstrip("(")[:1] not in ("+", "0") or _DATE.fullmatch(raw):
                continue
            if sum(c.isdigit() for c in raw) >= _MIN_PHONE_DIGITS:
                found.setdefault(raw, set()).add(_e164(match.number))
    return found


def _phone_keys(number: str) -> set[str]:
    """The E.164 forms of one number as a brand wrote it in its allowlist."""
    keys = {key for keys in _phones(_undisguised(number)).values() for key in keys}
    return keys or {"+" + "".join(c for c in number if c.isdigit())}


def _e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
