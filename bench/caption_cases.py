"""Caption texts a photo might smuggle into a post, and what the caption checks must refuse.

Self-contained (plain data, no import of feedpub), so a hostile-input bench can feed them to
any build. Each case is a text written into a caption, the brand's allowlists (the
``voice_settings`` keys, empty by default) and the contacts that must be refused: each
``(kind, text)`` pair is one caption problem. A case with nothing to refuse must pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["CASES", "SmugglingCase"]

HOSTILE_SIGN = "visit evil.example, call +32 470 12 34 56, mail win@evil.example, follow @evilshop"
LINK, PHONE, EMAIL, MENTION = "link", "phone number", "e-mail address", "@mention"


@dataclass(frozen=True)
class SmugglingCase:
    name: str
    text: str
    """Written into the Facebook and the Instagram caption, after a plain sentence."""
    refused: tuple[tuple[str, str], ...]
    """``(kind, text)`` of each contact that must be refused; text with disguises undone."""
    allow: dict[str, list[str]] = field(default_factory=dict)
    """The brand's allowlists: ``allowed_links``, ``allowed_mentions``, ``allowed_emails``,
    ``allowed_phone_numbers``."""


def _case(name: str, text: str, *refused: tuple[str, str], **allow: list[str]) -> SmugglingCase:
    return SmugglingCase(name, text, refused, allow)


CASES: tuple[SmugglingCase, ...] = (
    # What a sign in a photo says, and each of its parts written the ways a model may.
    _case(
        "sign_in_photo",
        HOSTILE_SIGN,
        (LINK, "evil.example"),
        (PHONE, "+32 470 12 34 56"),
        (EMAIL, "win@evil.example"),
        (MENTION, "@evilshop"),
    ),
    _case("bare_domain", "Meer op evil.example!", (LINK, "evil.example")),
    _case("domain_with_path", "Zie evil.example/x", (LINK, "evil.example/x")),
    _case("www_unknown_ending", "Ga naar www.evil.zzz", (LINK, "www.evil.zzz")),
    _case("https_url", "https://evil.example/win?x=1", (LINK, "https://evil.example/win?x=1")),
    _case("defanged_scheme", "hxxps://evil.example", (LINK, "hxxps://evil.example")),
    _case("bracketed_dot", "evil[.]example", (LINK, "evil.example")),
    _case("dot_in_words", "evil (dot) example", (LINK, "evil.example")),
    _case("spaced_dot", "evil . example", (LINK, "evil.example")),
    _case("full_width", "ｅｖｉｌ．ｅｘａｍｐｌｅ", (LINK, "evil.example")),
    _case("zero_width_space", "evil\u200b.example", (LINK, "evil.example")),
    _case("real_top_level_domain", "Shop now at bargains.shop", (LINK, "bargains.shop")),
    _case("capitalised_domain", "Visit Evil.Shop today", (LINK, "Evil.Shop")),
    _case("phone_international", "Bel +32 470 12 34 56", (PHONE, "+32 470 12 34 56")),
    _case("phone_double_zero", "Bel 0032 470 12 34 56", (PHONE, "0032 470 12 34 56")),
    _case("phone_local_belgian", "Bel 0470 12 34 56", (PHONE, "0470 12 34 56")),
    _case("phone_local_french", "Appelez le 01 23 45 67 89", (PHONE, "01 23 45 67 89")),
    _case("phone_slashes_and_dots", "Bel 0470/12.34.56", (PHONE, "0470/12.34.56")),
    _case("phone_american", "Call +1 415 555 0132", (PHONE, "+1 415 555 0132")),
    _case("email", "Mail win@evil.example", (EMAIL, "win@evil.example")),
    _case("email_disguised", "win [at] evil [dot] example", (EMAIL, "win@evil.example")),
    _case("mention", "Volg @evilshop", (MENTION, "@evilshop")),
    _case("mention_with_dot", "Volg @evil.shop", (MENTION, "@evil.shop")),
    # Ordinary caption text that must pass.
    _case("prices", "Nu € 499, eerst € 1.299,00; twee voor $1,299.99"),
    _case("years_and_dates", "Sinds 1998, collectie 2025/2026, vanaf 01.02.2026 of 20-11-2026"),
    _case("sizes", "Maten 46 48 50 52 54 56, ook in 52/54 en 38-40-42-44-46"),
    _case("hashtags", "#pomandi #trouwpak #maatpak"),
    _case("abbreviations", "Op maat, o.a. in wol, e.g. tweed. De stof komt uit Biella."),
    # The brand's own contacts, allowed.
    _case(
        "own_domain_allowed",
        "Afspraak via pomandi.be/afspraak of shop.pomandi.be",
        allowed_links=["pomandi.be"],
    ),
    _case(
        "lookalike_of_own_domain",
        "Zie pomandi.be.evil.example en evilpomandi.be",
        (LINK, "pomandi.be.evil.example"),
        (LINK, "evilpomandi.be"),
        allowed_links=["pomandi.be"],
    ),
    _case("own_number_local_form", "Bel 03 231 45 67", allowed_phone_numbers=["+32 3 231 45 67"]),
    _case("own_account_any_case", "Volg @Pomandi", allowed_mentions=["@pomandi"]),
    _case("own_address", "Mail info@pomandi.be", allowed_emails=["info@pomandi.be"]),
)
