"""Each photo's Instagram-ready copy has a name of its own, under the brand's `.derived/`."""

from __future__ import annotations

from mcp_servers.feed_publisher.library.keys import prepared_key

SOURCES = [
    "shop/x.jpg",
    "shop/x.png",
    "shop/IMG_1.HEIC",
    "shop/IMG_1.JPG",
    "shop/a/x.jpg",
    "shop/a//x.jpg",
    "shop/a/../x.jpg",
    "shop/x.jpg.instagram",
]


def test_no_two_photos_share_a_prepared_key_and_each_is_under_derived() -> None:
    prepared = [prepared_key("shop/", key) for key in SOURCES]

    assert len(set(prepared)) == len(SOURCES)
    assert all(key.startswith("shop/.derived/") for key in prepared)
