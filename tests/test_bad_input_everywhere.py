"""No server error for any input (core.middleware): NUL characters anywhere in a request and
requests too large to read get a page saying what was wrong, in the page's language, and
nothing is saved. Run on PostgreSQL too, which refuses NUL in text."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assets.models import Asset, AssetCategory, AssetImport
from core.models import Role
from tests import test_permission_matrix as matrix
from tests.test_permission_matrix import _url, project_urls

pytestmark = pytest.mark.django_db
NUL_MESSAGE = "holds a “null” character"


def refused(response, status=400) -> str:
    page = response.content.decode()
    assert response.status_code == status, page[:300]
    assert "We could not use what you sent" in page or "Ni allem ddefnyddio" in page
    return page


@pytest.fixture
def objects(make_user, settings, tmp_path):
    """The objects the permission matrix builds its URLs from."""
    return getattr(matrix.objects, "__wrapped__", matrix.objects)(make_user, settings, tmp_path)


def test_nul_in_the_query_string_of_every_page_is_refused_with_a_message(client_as, objects):
    client = client_as(Role.COORDINATOR)
    for name, pattern in sorted(project_urls().items()):
        url = _url(name, pattern, objects)
        for query in ("q=%00", "category=a%00b", "page=1&bbox=%00", "x%00=1"):
            assert NUL_MESSAGE in refused(client.get(f"{url}?{query}")), (name, query)


def test_nul_in_a_path_segment_is_refused(client_as):
    client = client_as(Role.COORDINATOR)
    for path in ("/en/map/%00", "/en/categories/%00/edit/", "/en/assets/1%00/", "/en/%00"):
        assert NUL_MESSAGE in refused(client.get(path)), path


def test_nul_in_a_form_field_is_refused_and_nothing_saved(client_as):
    client = client_as(Role.COORDINATOR)
    category = AssetCategory.objects.get(slug="community-centre")
    response = client.post(
        reverse("assets:asset-add"), {"category": category.pk, "name": "Cafe\x00", "cost": "free"}
    )
    assert NUL_MESSAGE in refused(response)
    assert not Asset.objects.exists()


def test_nul_in_an_uploaded_file_name_never_reaches_the_database(client_as):
    client = client_as(Role.COORDINATOR)
    upload = SimpleUploadedFile("assets\x00.csv", b"name,category\nA,library\n")
    response = client.post(reverse("assets:asset-import-new"), {"file": upload})
    assert response.status_code in (302, 400)
    assert all(
        "\x00" not in name for name in AssetImport.objects.values_list("file_name", flat=True)
    )


def test_the_page_is_in_welsh_on_a_welsh_address(client):
    page = refused(client.get("/cy/map/?q=%00"))
    assert "Ni allem ddefnyddio" in page and 'lang="cy"' in page
    assert "nod “null”" in page and "We could not" not in page


def test_a_cookie_holding_nul_is_ignored_not_a_server_error(client):
    client.cookies["sessionid"] = "abc\x00def"
    client.cookies["django_language"] = "cy\x00"
    assert client.get("/en/map/").status_code == 200


def test_a_form_larger_than_the_limit_says_so_and_saves_nothing(client_as, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    client = client_as(Role.COORDINATOR)
    category = AssetCategory.objects.get(slug="community-centre")
    response = client.post(
        reverse("assets:asset-add"),
        {"category": category.pk, "name": "Big", "geometry": "[" * (1024 * 1024 + 1)},
    )
    page = refused(response, status=413)
    assert "a form can send up to 1 MB, and a file to import up to 5 MB" in page
    assert not Asset.objects.exists()


def test_a_form_with_too_many_fields_says_so(client_as, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    client = client_as(Role.COORDINATOR)
    response = client.post(reverse("assets:asset-add"), {f"f{n}": "x" for n in range(20)})
    assert "too large" in refused(response, status=413)


def test_an_upload_larger_than_any_import_is_refused_unread_with_the_limits(client_as):
    client = client_as(Role.COORDINATOR)
    upload = SimpleUploadedFile("huge.csv", b"name\n" + b"x" * (6 * 1024 * 1024))
    page = refused(client.post(reverse("assets:asset-import-new"), {"file": upload}), status=413)
    assert "a form can send up to 6 MB, and a file to import up to 5 MB" in page
    assert not AssetImport.objects.exists()


def test_an_import_file_just_over_its_limit_gets_the_upload_pages_message(client_as):
    client = client_as(Role.COORDINATOR)
    upload = SimpleUploadedFile("big.csv", b"name\n" + b"x" * (5 * 1024 * 1024))
    page = client.post(reverse("assets:asset-import-new"), {"file": upload}).content.decode()
    assert "The file is larger than 5 MB. Split it into smaller files" in page
    assert not AssetImport.objects.exists()
