"""The page-reading helpers of the tests catch what they are meant to catch."""

from tests.support.html import foreign_urls


def test_foreign_urls_finds_a_cdn_and_ignores_own_and_relative_urls():
    page = ('<link rel="stylesheet" href="/static/css/portal.css"><script src="https://cdn.example/x.js"></script>'
            '<img src="//cdn.example/i.png" srcset="/static/a.png 1x"><a href="http://testserver/agencies/">x</a>'
            '<a href="mailto:a@b.vn">m</a><p>cdn in text and a token aCdNx</p>')
    assert foreign_urls(page) == ["https://cdn.example/x.js", "//cdn.example/i.png"]
