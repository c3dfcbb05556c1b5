"""Oblasts and the KATOTTH codes of communities (Кодифікатор адміністративно-територіальних одиниць
та територій територіальних громад, order of the Ministry for Communities and Territories No. 290 of
26 November 2020).

A code is "UA" and 17 digits, UA ОО РР ГГГ ППП ММ УУУУУ: the first-level unit (oblast, Crimea, or
Kyiv and Sevastopol, the cities with special status), the raion, the hromada, the settlement,
the city district, then a five-digit number of the unit. A hromada's own code (category Н) has
its raion and hromada and zeros for the settlement and the district, e.g. UA 05 02 003 000 00 31571;
Kyiv and Sevastopol are each one community, named by the city's first-level code (category К),
e.g. UA 80 00 000 000 00 93317. Settlements, raions, oblasts and city districts are not communities.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

CODE_PATTERN = re.compile(r"^UA\d{17}$")


class Oblast(models.TextChoices):
    CRIMEA = "crimea", _("Autonomous Republic of Crimea")
    VINNYTSIA = "vinnytsia", _("Vinnytsia oblast")
    VOLYN = "volyn", _("Volyn oblast")
    DNIPROPETROVSK = "dnipropetrovsk", _("Dnipropetrovsk oblast")
    DONETSK = "donetsk", _("Donetsk oblast")
    ZHYTOMYR = "zhytomyr", _("Zhytomyr oblast")
    ZAKARPATTIA = "zakarpattia", _("Zakarpattia oblast")
    ZAPORIZHZHIA = "zaporizhzhia", _("Zaporizhzhia oblast")
    IVANO_FRANKIVSK = "ivano_frankivsk", _("Ivano-Frankivsk oblast")
    KYIV = "kyiv", _("Kyiv oblast")
    KIROVOHRAD = "kirovohrad", _("Kirovohrad oblast")
    LUHANSK = "luhansk", _("Luhansk oblast")
    LVIV = "lviv", _("Lviv oblast")
    MYKOLAIV = "mykolaiv", _("Mykolaiv oblast")
    ODESA = "odesa", _("Odesa oblast")
    POLTAVA = "poltava", _("Poltava oblast")
    RIVNE = "rivne", _("Rivne oblast")
    SUMY = "sumy", _("Sumy oblast")
    TERNOPIL = "ternopil", _("Ternopil oblast")
    KHARKIV = "kharkiv", _("Kharkiv oblast")
    KHERSON = "kherson", _("Kherson oblast")
    KHMELNYTSKYI = "khmelnytskyi", _("Khmelnytskyi oblast")
    CHERKASY = "cherkasy", _("Cherkasy oblast")
    CHERNIVTSI = "chernivtsi", _("Chernivtsi oblast")
    CHERNIHIV = "chernihiv", _("Chernihiv oblast")
    KYIV_CITY = "kyiv_city", _("Kyiv")
    SEVASTOPOL = "sevastopol", _("Sevastopol")


#: The cities with special status: the city's own code is the community's.
CITY_CODES = ("80", "85")

OBLAST_CODES = {
    Oblast.CRIMEA: "01",
    Oblast.VINNYTSIA: "05",
    Oblast.VOLYN: "07",
    Oblast.DNIPROPETROVSK: "12",
    Oblast.DONETSK: "14",
    Oblast.ZHYTOMYR: "18",
    Oblast.ZAKARPATTIA: "21",
    Oblast.ZAPORIZHZHIA: "23",
    Oblast.IVANO_FRANKIVSK: "26",
    Oblast.KYIV: "32",
    Oblast.KIROVOHRAD: "35",
    Oblast.LUHANSK: "44",
    Oblast.LVIV: "46",
    Oblast.MYKOLAIV: "48",
    Oblast.ODESA: "51",
    Oblast.POLTAVA: "53",
    Oblast.RIVNE: "56",
    Oblast.SUMY: "59",
    Oblast.TERNOPIL: "61",
    Oblast.KHARKIV: "63",
    Oblast.KHERSON: "65",
    Oblast.KHMELNYTSKYI: "68",
    Oblast.CHERKASY: "71",
    Oblast.CHERNIVTSI: "73",
    Oblast.CHERNIHIV: "74",
    Oblast.KYIV_CITY: "80",
    Oblast.SEVASTOPOL: "85",
}


def normalize_code(value):
    """The code as written in the register: Latin "UA" (a Cyrillic "УА" typed by mistake too), no spaces."""
    value = "".join((value or "").split()).upper()
    return value.replace("У", "U").replace("А", "A")


def is_community_level(code):
    """Whether a well-formed code names a community, not a larger or a smaller unit."""
    first_level, raion, hromada, settlement_and_district = code[2:4], code[4:6], code[6:9], code[9:14]
    if first_level in CITY_CODES:
        return raion + hromada + settlement_and_district == "0" * 10
    return raion != "00" and hromada != "000" and settlement_and_district == "00000"


class KatotthCodeField(models.CharField):
    """A code as the register writes it; the form takes it as people type it ("ua 0502 0030 …")."""

    #: Room for a code typed with spaces between its groups.
    TYPED_LENGTH = 40

    def to_python(self, value):
        return normalize_code(super().to_python(value))

    def formfield(self, **kwargs):
        return super().formfield(**{"max_length": self.TYPED_LENGTH, **kwargs})


def validate_code(value):
    if not CODE_PATTERN.match(value or ""):
        raise ValidationError(
            _("A KATOTTH code is “UA” followed by 17 digits, e.g. UA05020030000031571."), code="katotth_format"
        )
    if value[2:4] not in OBLAST_CODES.values():
        raise ValidationError(
            _("The code's first two digits (%(digits)s) name no oblast."),
            params={"digits": value[2:4]},
            code="katotth_oblast",
        )
    if not is_community_level(value):
        raise ValidationError(
            _(
                "This is the code of an oblast, a raion, a settlement or a city district, not of a community: "
                "a community's code has its raion and community digits, then five zeros before the last five "
                "digits, e.g. UA05020030000031571."
            ),
            code="katotth_level",
        )


def validate_code_in_oblast(code, oblast):
    expected = OBLAST_CODES.get(oblast)
    if expected and code[2:4] != expected:
        raise ValidationError(
            _("The code of a community of %(oblast)s starts with UA%(expected)s."),
            params={"oblast": Oblast(oblast).label, "expected": expected},
            code="katotth_mismatch",
        )
