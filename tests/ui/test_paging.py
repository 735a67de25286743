import falcon.testing

from ui.paging import Page, page_of, page_url


def _req(query: str) -> falcon.Request:
    return falcon.testing.create_req(path="/realm/users", query_string=query)


def test_page_arithmetic():
    page = Page(2, 25, 51)
    assert (page.offset, page.limit, page.pages) == (25, 25, 3)
    assert page.has_prev and page.has_next
    assert not Page(1, 25, 0).has_next and Page(1, 25, 0).pages == 1


def test_bad_and_past_the_end_pages_are_clamped():
    assert page_of(_req("page=-3&per_page=abc"), 10).number == 1
    assert page_of(_req("page=99"), 60).number == 3
    assert page_of(_req("per_page=100000"), 10).per_page == 200


def test_page_url_keeps_other_parameters():
    url = page_url(_req("q=name%3Aann&page=2"), 3)
    assert url == "/realm/users?q=name%3Aann&page=3"
