"""Short social-media sentences and image words in the languages the emulator writes."""

from __future__ import annotations

import re
from dataclasses import dataclass

_COLOURS: tuple[str, ...] = ("red", "orange", "yellow", "green", "teal", "blue", "purple")
_COLOURS += ("pink", "brown", "black", "white", "grey")


@dataclass(frozen=True)
class Phrases:
    """Everything needed to write captions and image descriptions in one language."""

    sentences: tuple[str, ...]
    """Short caption sentences about a photo of a brand's product or shop."""
    hashtags: tuple[str, ...]
    """Hashtag words, without `#`."""
    colours: dict[str, str]
    """Colour family (see `ImageFacts.colour`) to the word used in the templates."""
    orientations: dict[str, str]
    """`landscape`, `portrait`, `square` to the word used in `description`."""
    light: dict[str, str]
    """`dark`, `medium`, `bright` to the word used in `description` and `alt`."""
    description: str
    """Template with `{orientation}`, `{colour}`, `{light}`."""
    alt: str
    """Template for alt text, same placeholders."""


def _words(text: str) -> dict[str, str]:
    return dict(zip(_COLOURS, text.split(), strict=True))


PHRASES: dict[str, Phrases] = {
    "en": Phrases(
        (
            "New collection, just in.",
            "Made to be worn every day.",
            "Come and see it in store.",
            "Our favourite piece this season.",
            "Small details, big difference.",
            "Tag someone who would love this.",
        ),
        ("newcollection", "justin", "shoplocal", "newin", "style", "musthave", "weekend"),
        _words("red orange yellow green teal blue purple pink brown black white grey"),
        {"landscape": "landscape", "portrait": "portrait", "square": "square"},
        {"dark": "dark", "medium": "evenly lit", "bright": "bright"},
        "A {orientation} photo with mostly {colour} tones, {light}.",
        "Photo of a scene in {colour} tones, {light}.",
    ),
    "nl": Phrases(
        (
            "Nieuwe collectie, net binnen.",
            "Gemaakt om elke dag te dragen.",
            "Kom het zeker bekijken in de winkel.",
            "Ons favoriete stuk van dit seizoen.",
            "Kleine details, groot verschil.",
            "Tag iemand die dit geweldig zou vinden.",
        ),
        ("nieuwecollectie", "netbinnen", "shoplokaal", "nieuw", "stijl", "musthave", "weekend"),
        _words("rode oranje gele groene turquoise blauwe paarse roze bruine zwarte witte grijze"),
        {"landscape": "liggende", "portrait": "staande", "square": "vierkante"},
        {"dark": "donkere", "medium": "zacht verlichte", "bright": "heldere"},
        "Een {orientation} foto met vooral {colour} tinten.",
        "Foto van een {light} scène met vooral {colour} tinten.",
    ),
    "fr": Phrases(
        (
            "Notre nouvelle collection vient d'arriver.",
            "Pensé pour être porté tous les jours.",
            "Venez la découvrir en boutique.",
            "Notre pièce préférée de la saison.",
            "Les petits détails font la différence.",
            "Identifiez quelqu'un qui va adorer.",
        ),
        ("nouvellecollection", "nouveauté", "shoppinglocal", "style", "coupdecoeur", "weekend"),
        _words("rouges orange jaunes verts turquoise bleus violets roses marron noirs blancs gris"),
        {"landscape": "au format paysage", "portrait": "au format portrait", "square": "carrée"},
        {"dark": "sombre", "medium": "douce", "bright": "lumineuse"},
        "Une photo {orientation} aux tons surtout {colour}.",
        "Photo d'une scène {light} aux tons {colour}.",
    ),
    "de": Phrases(
        (
            "Neue Kollektion, frisch eingetroffen.",
            "Gemacht für jeden Tag.",
            "Schau gerne bei uns im Laden vorbei.",
            "Unser Lieblingsstück der Saison.",
            "Kleine Details, großer Unterschied.",
            "Markiere jemanden, dem das gefallen würde.",
        ),
        ("neuekollektion", "neuheit", "lokalkaufen", "stil", "musthave", "wochenende"),
        _words("Rot Orange Gelb Grün Türkis Blau Lila Rosa Braun Schwarz Weiß Grau"),
        {"landscape": "im Querformat", "portrait": "im Hochformat", "square": "im Quadrat"},
        {"dark": "dunklen", "medium": "sanft beleuchteten", "bright": "hellen"},
        "Ein Foto {orientation}, überwiegend in {colour}.",
        "Foto einer {light} Szene, überwiegend in {colour}.",
    ),
    "es": Phrases(
        (
            "Nueva colección, recién llegada.",
            "Pensado para llevarlo todos los días.",
            "Ven a verlo a la tienda.",
            "Nuestra pieza favorita de la temporada.",
            "Pequeños detalles, gran diferencia.",
            "Etiqueta a alguien a quien le encantaría.",
        ),
        ("nuevacoleccion", "novedad", "compralocal", "estilo", "imprescindible", "findesemana"),
        _words(
            "rojos naranjas amarillos verdes turquesas azules morados rosas marrones negros "
            "blancos grises"
        ),
        {"landscape": "horizontal", "portrait": "vertical", "square": "cuadrada"},
        {"dark": "oscura", "medium": "suavemente iluminada", "bright": "luminosa"},
        "Una foto {orientation} con tonos sobre todo {colour}.",
        "Foto de una escena {light} en tonos {colour}.",
    ),
}

_LANGUAGE_CODE = re.compile(r"language\s+code\s*:\s*([a-z]{2})\b", re.IGNORECASE)


def language_asked(texts: list[str]) -> str:
    """The ISO 639-1 code after `language code:` in the first text that names one, else `en`.

    A code the emulator has no phrases for falls back to English.
    """
    for text in texts:
        match = _LANGUAGE_CODE.search(text)
        if match:
            code = match.group(1).lower()
            return code if code in PHRASES else "en"
    return "en"
