"""Languages an asset's people speak, by code: the ones most likely among tenants and people
seeking sanctuary in Wales, each named in its own language too so people can find theirs."""

from django.utils.translation import gettext_lazy as _

LANGUAGES = [
    ("en", _("English"), "English"),
    ("cy", _("Welsh"), "Cymraeg"),
    ("ar", _("Arabic"), "العربية"),
    ("fa", _("Farsi (Persian)"), "فارسی"),
    ("ckb", _("Kurdish (Sorani)"), "کوردی"),
    ("kmr", _("Kurdish (Kurmanji)"), "Kurmancî"),
    ("ps", _("Pashto"), "پښتو"),
    ("ti", _("Tigrinya"), "ትግርኛ"),
    ("am", _("Amharic"), "አማርኛ"),
    ("so", _("Somali"), "Soomaali"),
    ("ur", _("Urdu"), "اردو"),
    ("bn", _("Bengali"), "বাংলা"),
    ("tr", _("Turkish"), "Türkçe"),
    ("fr", _("French"), "Français"),
    ("uk", _("Ukrainian"), "Українська"),
    ("pl", _("Polish"), "Polski"),
    ("ro", _("Romanian"), "Română"),
    ("zh", _("Chinese"), "中文"),
    ("es", _("Spanish"), "Español"),
    ("bsl", _("British Sign Language"), "BSL"),
]
CODES = {code for code, _name, _own in LANGUAGES}


def language_choices():
    return [(code, f"{name} – {own}" if str(name) != own else own) for code, name, own in LANGUAGES]


def language_name(code: str) -> str:
    return next((str(name) for c, name, _own in LANGUAGES if c == code), code)
