import pytest

from digibank.core.text import fold, fold_joined


@pytest.mark.parametrize(
    "typed, folded",
    [
        ("Sébastien Van den Broeck", "sebastien van den broeck"),
        ("Sint-Niklaas ", "sint niklaas"),
        ("Aydın Yılmaz", "aydin yilmaz"),  # Turkish dotless i
        ("Søren Ærø", "soren aero"),
        ("Zoë D'Hondt", "zoe d hondt"),
        ("Łukasz Straße", "lukasz strasse"),
    ],
)
def test_fold_gives_what_a_desk_would_type(typed, folded):
    assert fold(typed) == folded


@pytest.mark.parametrize(
    "typed, joined",
    [("Van den Broeck", "vandenbroeck"), ("D'Hondt", "dhondt"), ("D’Hondt", "dhondt"), ("Bjørn-Yılmaz", "bjornyilmaz")],
)
def test_fold_joined_drops_spaces_and_apostrophes_too(typed, joined):
    assert fold_joined(typed) == joined
