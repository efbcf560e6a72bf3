"""The passphrase words: short, easy to say and spell, English or Welsh, enough of them."""

import math
import re

import pytest
from django.urls import reverse

from core.models import Role, User
from core.services import passphrase_generate, passphrase_words
from tests.pages import page_text

# Words people confuse by ear or by spelling (homophones, silent letters, two spellings):
# none may be in the lists, whichever of the pair is picked.
CONFUSABLE = {
    "en": "bread blue flower flour sea see son sun pair pear bear bare road rode sail sale "
    "tail tale night knight meat meet week weak hair hare plane plain piece peace one won "
    "two too four eight ate hole whole wood deer dear bee tea knee nose mail male berry "
    "beach board rain ring rose wind tear lead bow knife lamb comb thumb castle island "
    "whistle chalk grey gray colour color yogurt heart horse wait weight right write",
}


@pytest.mark.parametrize("language", ["en", "cy"])
def test_each_word_list_has_hundreds_of_short_plain_words(language):
    words = passphrase_words(language)
    assert len(words) >= 300
    assert all(re.fullmatch(r"[a-z]{2,9}", word) for word in words)  # no accents, no capitals
    assert len(set(words)) == len(words)


def test_the_english_list_has_no_homophones_or_silent_letters():
    assert not set(CONFUSABLE["en"].split()) & set(passphrase_words("en"))


def test_the_welsh_list_is_welsh_words_a_welsh_speaker_reads_at_once():
    words = set(passphrase_words("cy"))
    assert {"afon", "cadair", "llyfr", "cwch", "ysgol", "draig", "mynydd"} <= words
    assert not {"apple", "river", "chair"} & words


@pytest.mark.parametrize("language", ["en", "cy"])
def test_four_words_give_at_least_33_bits(language, settings):
    # docs/operations.md states these figures; sign-in throttling (django-axes) does the rest.
    assert settings.PASSPHRASE_WORDS == 4
    assert 4 * math.log2(len(passphrase_words(language))) >= 33


def test_a_passphrase_is_four_words_from_the_chosen_list():
    welsh = passphrase_generate("cy").split("-")
    assert len(welsh) == 4 and set(welsh) <= set(passphrase_words("cy"))
    english = passphrase_generate("en").split("-")
    assert set(english) <= set(passphrase_words("en"))
    assert set(passphrase_generate("xx").split("-")) <= set(passphrase_words("en"))


def test_the_slip_numbers_the_words_to_read_aloud_and_offers_printing(coordinator_client):
    response = coordinator_client.post(
        reverse("core:account-create"), {"username": "amira", "role": Role.PARTICIPANT}
    )
    page = response.content.decode()
    words = re.search(r'id="issued-passphrase">([a-z-]+)<', page).group(1).split("-")
    listed = re.findall(r'<li lang="en">([a-z]+)</li>', page)
    assert listed == words and len(words) == 4
    assert "data-app-print hidden" in page and "js/print.js" in page
    assert "Type the words in this order, in small letters, with a dash (-) between them." in (
        page_text(page)
    )
    assert User.objects.get(username="amira").check_password("-".join(words))


def test_a_coordinator_can_choose_welsh_words(coordinator_client):
    response = coordinator_client.post(
        reverse("core:account-create"),
        {"username": "gwen", "role": Role.PARTICIPANT, "words": "cy"},
    )
    listed = re.findall(r'<li lang="cy">([a-z]+)</li>', response.content.decode())
    assert len(listed) == 4 and set(listed) <= set(passphrase_words("cy"))


def test_a_new_passphrase_can_be_in_welsh(coordinator_client, make_user):
    account = make_user(Role.PARTICIPANT)
    url = reverse("core:passphrase-reset", args=[account.pk])
    assert 'name="words" value="cy"' in coordinator_client.get(url).content.decode()
    page = coordinator_client.post(url, {"words": "cy"}).content.decode()
    listed = re.findall(r'<li lang="cy">([a-z]+)</li>', page)
    assert len(listed) == 4
    account.refresh_from_db()
    assert account.check_password("-".join(listed))
