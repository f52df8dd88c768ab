"""The Meta Graph API emulator, driven over HTTP by a real httpx client."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from devstack.meta_emulator import MetaEmulator
from devstack.serve import ServedApp, serve_in_thread
from tests.polling import poll

PAGE, PAGE_TOKEN = "1001", "page-token-1001"
IG, IG_TOKEN = "17841400000000001", "ig-token-1"
OTHER_PAGE, OTHER_TOKEN = "2002", "page-token-2002"
QUOTA_TOTAL = 3


def jpeg(width: int, height: int, *, pad_to: int = 0) -> bytes:
    """A JPEG; ``pad_to`` appends bytes after the image so it weighs that much."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 40)).save(buffer, "JPEG")
    return buffer.getvalue() + b"\0" * max(0, pad_to - buffer.tell())


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


IMAGES = {
    "square.jpg": jpeg(400, 400),
    "portrait.jpg": jpeg(400, 500),  # 4:5, the narrowest Instagram accepts
    "tall.jpg": jpeg(400, 800),
    "wide.jpg": jpeg(800, 400),
    "photo.png": png(400, 400),
    "heavy.jpg": jpeg(400, 400, pad_to=9 * 1024 * 1024),
    "huge.jpg": jpeg(400, 400, pad_to=11 * 1000 * 1000),
    "notes.txt": b"not an image at all",
}


@pytest.fixture(scope="module")
def image_host() -> Iterator[ServedApp]:
    """Stands in for S3: serves ``IMAGES`` by name, 404 for anything else."""

    async def serve_image(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in IMAGES:
            return Response(b"no such key", status_code=404)
        return Response(IMAGES[name], media_type="application/octet-stream")

    served = serve_in_thread(Starlette(routes=[Route("/{name}", serve_image)]))
    yield served
    served.stop()


@pytest.fixture(scope="module")
def emulator_and_server() -> Iterator[tuple[MetaEmulator, ServedApp]]:
    emulator = MetaEmulator(processing_seconds=0.2, quota_total=QUOTA_TOTAL, seed=7)
    served = serve_in_thread(emulator.app)
    yield emulator, served
    served.stop()


@pytest.fixture
def emulator(emulator_and_server: tuple[MetaEmulator, ServedApp]) -> MetaEmulator:
    emulator = emulator_and_server[0]
    emulator.reset(keep_accounts=False)
    emulator.add_page(PAGE, PAGE_TOKEN)
    emulator.add_page(OTHER_PAGE, OTHER_TOKEN)
    emulator.add_instagram_user(IG, IG_TOKEN)
    return emulator


@pytest.fixture
def http(emulator_and_server: tuple[MetaEmulator, ServedApp]) -> Iterator[httpx.Client]:
    """A client at the emulator's root (no Graph version prefix)."""
    with httpx.Client(base_url=emulator_and_server[1].url, timeout=10) as client:
        yield client


@pytest.fixture
def graph(
    emulator: MetaEmulator, emulator_and_server: tuple[MetaEmulator, ServedApp]
) -> Iterator[httpx.Client]:
    """A client at ``/v26.0/``, as the production clients use it."""
    with httpx.Client(base_url=f"{emulator_and_server[1].url}/v26.0/", timeout=10) as client:
        yield client


def url(image_host: ServedApp, name: str) -> str:
    return f"{image_host.url}/{name}"


def error_of(response: httpx.Response) -> dict[str, Any]:
    error: dict[str, Any] = response.json()["error"]
    assert error["fbtrace_id"]
    return error


def create_container(graph: httpx.Client, image_url: str, **params: str) -> httpx.Response:
    return graph.post(
        f"{IG}/media", data={"image_url": image_url, "access_token": IG_TOKEN, **params}
    )


def publish(graph: httpx.Client, creation_id: str) -> httpx.Response:
    return graph.post(
        f"{IG}/media_publish", params={"creation_id": creation_id, "access_token": IG_TOKEN}
    )


def status_of(graph: httpx.Client, container_id: str) -> str:
    params = {"fields": "status_code,status", "access_token": IG_TOKEN}
    response = graph.get(container_id, params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["id"] == container_id and body["status"]
    return str(body["status_code"])


def finished_container(graph: httpx.Client, emulator: MetaEmulator, image_url: str) -> str:
    response = create_container(graph, image_url, caption="Autumn menu #food")
    assert response.status_code == 200, response.text
    emulator.advance_clock(1)
    return str(response.json()["id"])


# Facebook Pages


def test_page_photo_from_url_is_published_and_listed_newest_first(
    graph: httpx.Client, emulator: MetaEmulator, image_host: ServedApp
) -> None:
    for caption in ("first", "second"):
        response = graph.post(
            f"{PAGE}/photos",
            data={"url": url(image_host, "square.jpg"), "caption": caption},
            params={"access_token": PAGE_TOKEN, "alt_text_custom": "A bowl of soup"},
        )
        assert response.status_code == 200, response.text
        assert response.json()["post_id"].startswith(f"{PAGE}_")
    posts = emulator.facebook_posts(PAGE)
    assert [p["caption"] for p in posts] == ["first", "second"]
    assert posts[1]["id"] == response.json()["post_id"]
    assert posts[1]["photo_id"] == response.json()["id"]
    assert posts[1]["alt_text"] == "A bowl of soup"
    assert posts[1]["image_sha256"] == hashlib.sha256(IMAGES["square.jpg"]).hexdigest()
    for edge in ("published_posts", "feed"):
        listed = graph.get(f"{PAGE}/{edge}", params={"access_token": PAGE_TOKEN, "limit": 1})
        assert listed.json()["data"] == [
            {"id": posts[1]["id"], "message": "second", "created_time": posts[1]["created_time"]}
        ]


def test_page_photo_uploaded_as_source_file_honours_deprecated_message(
    graph: httpx.Client, emulator: MetaEmulator
) -> None:
    response = graph.post(
        f"{PAGE}/photos",
        data={"message": "old-style caption"},
        files={"source": ("soup.jpg", IMAGES["portrait.jpg"], "image/jpeg")},
        headers={"Authorization": f"Bearer {PAGE_TOKEN}"},
    )
    assert response.status_code == 200, response.text
    [post] = emulator.facebook_posts(PAGE)
    assert post["message"] == "old-style caption"
    assert post["image_sha256"] == hashlib.sha256(IMAGES["portrait.jpg"]).hexdigest()


@pytest.mark.parametrize("as_json", [True, False], ids=["json-body", "form-fields"])
def test_unpublished_photo_is_posted_by_feed_with_attached_media(
    graph: httpx.Client, emulator: MetaEmulator, image_host: ServedApp, as_json: bool
) -> None:
    upload = graph.post(
        f"{PAGE}/photos",
        json={"url": url(image_host, "square.jpg"), "published": False},
        params={"access_token": PAGE_TOKEN},
    )
    assert upload.json().keys() == {"id"}
    assert emulator.facebook_posts(PAGE) == []
    photo_id = upload.json()["id"]
    if as_json:
        response = graph.post(
            f"{PAGE}/feed",
            json={"message": "Today", "attached_media": [{"media_fbid": photo_id}]},
            params={"access_token": PAGE_TOKEN},
        )
    else:
        attached = json.dumps({"media_fbid": photo_id})
        fields = {"message": "Today", "attached_media[0]": attached, "access_token": PAGE_TOKEN}
        response = graph.post(f"{PAGE}/feed", data=fields)
    assert response.status_code == 200, response.text
    [post] = emulator.facebook_posts(PAGE)
    assert post["id"] == response.json()["id"] and post["photo_ids"] == [photo_id]
    assert post["message"] == "Today"


def test_feed_refuses_a_photo_of_another_page(graph: httpx.Client, image_host: ServedApp) -> None:
    upload = graph.post(
        f"{OTHER_PAGE}/photos",
        data={"url": url(image_host, "square.jpg"), "published": "false"},
        params={"access_token": OTHER_TOKEN},
    )
    attached = json.dumps([{"media_fbid": upload.json()["id"]}])
    data = {"message": "x", "attached_media": attached, "access_token": PAGE_TOKEN}
    response = graph.post(f"{PAGE}/feed", data=data)
    assert response.status_code == 400 and error_of(response)["code"] == 100


@pytest.mark.parametrize(
    ("image", "code"),
    [("notes.txt", 324), ("huge.jpg", 100), ("missing.jpg", 324)],
)
def test_page_photo_is_refused_when_not_an_image_too_large_or_unfetchable(
    graph: httpx.Client, emulator: MetaEmulator, image_host: ServedApp, image: str, code: int
) -> None:
    data = {"url": url(image_host, image), "access_token": PAGE_TOKEN}
    response = graph.post(f"{PAGE}/photos", data=data)
    assert response.status_code == 400
    assert error_of(response)["code"] == code
    assert emulator.facebook_posts(PAGE) == []


# Instagram content publishing


async def test_container_finishes_processing_then_publishes_once(
    graph: httpx.Client, emulator: MetaEmulator, image_host: ServedApp
) -> None:
    response = create_container(
        graph, url(image_host, "square.jpg"), caption="Soup #food", alt_text="Soup in a bowl"
    )
    assert response.status_code == 200, response.text
    container_id = response.json()["id"]
    assert status_of(graph, container_id) == "IN_PROGRESS"

    def processed() -> str | None:
        status = status_of(graph, container_id)
        return None if status == "IN_PROGRESS" else status

    assert await poll(processed, "the container to be processed", timeout=5, every=0.02) == (
        "FINISHED"
    )
    published = publish(graph, container_id)
    assert published.status_code == 200, published.text
    assert status_of(graph, container_id) == "PUBLISHED"
    [media] = emulator.instagram_media(IG)
    assert media["id"] == published.json()["id"]
    assert media["container_id"] == container_id
    assert (media["caption"], media["alt_text"]) == ("Soup #food", "Soup in a bowl")
    assert media["permalink"].startswith("https://www.instagram.com/p/")


def test_container_status_without_fields_gives_only_the_id(
    graph: httpx.Client, image_host: ServedApp
) -> None:
    container_id = create_container(graph, url(image_host, "square.jpg")).json()["id"]
    response = graph.get(container_id, params={"access_token": IG_TOKEN})
    assert response.json() == {"id": container_id}


def test_publishing_before_the_container_is_finished_is_refused_with_9007(
    graph: httpx.Client, emulator: MetaEmulator, image_host: ServedApp
) -> None:
    container_id = create_container(graph, url(image_host, "square.jpg")).json()["id"]
    response = publish(graph, container_id)
    assert response.status_code == 400
    error = error_of(response)
    assert (error["code"], error["error_subcode"]) == (9007, 2207027)
    assert (
        error["error_user_msg"] == "The media is not ready for publishing, please wait for a moment"
    )
    assert emulator.instagram_media(IG) == []
    emulator.advance_clock(1)
    assert publish(graph, container_id).status_code == 200


def test_republishing_a_published_container_posts_a_second_time(
    graph: httpx.Client, emulator: MetaEmulator, image_host: ServedApp
) -> None:
    """Meta has no idempotency key: this is how a double-posting client gets caught."""
    container_id = finished_container(graph, emulator, url(image_host, "square.jpg"))
    first = publish(graph, container_id).json()["id"]
    second = publish(graph, container_id).json()["id"]
    assert first != second
    assert [m["id"] for m in emulator.instagram_media(IG)] == [first, second]
    assert status_of(graph, container_id) == "PUBLISHED"
    listed = graph.get(
        f"{IG}/media", params={"fields": "id,caption,timestamp,permalink", "access_token": IG_TOKEN}
    ).json()["data"]
    assert [m["id"] for m in listed] == [second, first]
    assert listed[0].keys() == {"id", "caption", "timestamp", "permalink"}


def test_container_expires_after_24_hours(
    graph: httpx.Client, emulator: MetaEmulator, image_host: ServedApp
) -> None:
    container_id = finished_container(graph, emulator, url(image_host, "square.jpg"))
    emulator.advance_clock(24 * 3600)
    assert status_of(graph, container_id) == "EXPIRED"
    error = error_of(publish(graph, container_id))
    assert (error["code"], error["error_subcode"]) == (-2, 2207020)


@pytest.mark.parametrize(
    ("image", "code", "subcode"),
    [
        ("photo.png", 36001, 2207005),
        ("heavy.jpg", 36000, 2207004),
        ("tall.jpg", 36003, 2207009),
        ("wide.jpg", 36003, 2207009),
        ("missing.jpg", 9004, 2207052),
    ],
)
def test_instagram_refuses_images_outside_its_rules(
    graph: httpx.Client,
    emulator: MetaEmulator,
    image_host: ServedApp,
    image: str,
    code: int,
    subcode: int,
) -> None:
    response = create_container(graph, url(image_host, image))
    assert response.status_code == 400
    error = error_of(response)
    assert (error["code"], error["error_subcode"], error["is_transient"]) == (code, subcode, False)
    assert error["error_user_title"] and error["error_user_msg"]
    assert emulator.containers(IG) == []


def test_instagram_accepts_a_4_to_5_portrait(graph: httpx.Client, image_host: ServedApp) -> None:
    assert create_container(graph, url(image_host, "portrait.jpg")).status_code == 200


@pytest.mark.parametrize(
    ("caption", "code", "subcode"),
    [
        ("x" * 2201, 36004, 2207010),
        (" ".join(f"#tag{i}" for i in range(31)), 100, 2207040),
        ("x" * 2200, None, None),
        (" ".join(f"#tag{i}" for i in range(30)), None, None),
    ],
    ids=["2201-chars", "31-hashtags", "2200-chars", "30-hashtags"],
)
def test_instagram_caption_limits(
    graph: httpx.Client,
    image_host: ServedApp,
    caption: str,
    code: int | None,
    subcode: int | None,
) -> None:
    response = create_container(graph, url(image_host, "square.jpg"), caption=caption)
    if code is None:
        assert response.status_code == 200, response.text
    else:
        error = error_of(response)
        assert (error["code"], error["error_subcode"]) == (code, subcode)


def test_publishing_limit_is_counted_over_a_rolling_day(
    graph: httpx.Client, emulator: MetaEmulator, image_host: ServedApp
) -> None:
    container_id = finished_container(graph, emulator, url(image_host, "square.jpg"))
    for _ in range(QUOTA_TOTAL):
        assert publish(graph, container_id).status_code == 200
    params = {"fields": "quota_usage,config", "access_token": IG_TOKEN}
    limit = graph.get(f"{IG}/content_publishing_limit", params=params).json()
    assert limit == {
        "data": [
            {"quota_usage": 3, "config": {"quota_total": QUOTA_TOTAL, "quota_duration": 86400}}
        ]
    }
    error = error_of(publish(graph, container_id))
    assert (error["code"], error["error_subcode"]) == (9, 2207042)
    emulator.advance_clock(24 * 3600 + 1)
    limit = graph.get(f"{IG}/content_publishing_limit", params=params).json()
    assert limit["data"][0]["quota_usage"] == 0
    assert publish(graph, container_id).status_code == 200


# Tokens and addressing


def test_a_call_without_token_is_refused(graph: httpx.Client) -> None:
    response = graph.post(f"{PAGE}/feed", data={"message": "hi"})
    assert response.status_code == 400
    assert (error_of(response)["code"], error_of(response)["type"]) == (104, "OAuthException")


def test_an_unknown_token_is_refused_with_190_and_no_subcode(graph: httpx.Client) -> None:
    response = graph.post(f"{PAGE}/feed", data={"message": "hi", "access_token": "nonsense"})
    error = error_of(response)
    assert error["code"] == 190 and "error_subcode" not in error
    assert error["message"] == "Invalid OAuth access token - Cannot parse access token"


def test_an_expired_token_is_refused_with_190_463_and_debug_token_says_so(
    graph: httpx.Client, emulator: MetaEmulator
) -> None:
    emulator.expire_token(IG_TOKEN)
    response = graph.get(f"{IG}/media", params={"access_token": IG_TOKEN})
    error = error_of(response)
    assert (response.status_code, error["code"], error["error_subcode"]) == (400, 190, 463)
    assert error["message"].startswith("Error validating access token: Session has expired")
    debug = graph.get("debug_token", params={"input_token": IG_TOKEN}).json()["data"]
    assert debug["is_valid"] is False and debug["expires_at"] > 0
    page = graph.get("debug_token", params={"input_token": PAGE_TOKEN}).json()["data"]
    assert page["is_valid"] is True and page["type"] == "PAGE"
    assert "pages_manage_posts" in page["scopes"]


def test_a_token_with_an_expiry_date_is_valid_until_then_and_refused_after(
    graph: httpx.Client, emulator: MetaEmulator
) -> None:
    now = graph.get("debug_token", params={"input_token": PAGE_TOKEN}).json()["data"]
    assert now["expires_at"] == 0  # never expires until told otherwise
    expires_at = emulator.state.now() + 3 * 86400
    emulator.set_token_expiry(PAGE_TOKEN, expires_at)
    soon = graph.get("debug_token", params={"input_token": PAGE_TOKEN}).json()["data"]
    assert soon["is_valid"] is True and soon["expires_at"] == int(expires_at)

    emulator.advance_clock(3 * 86400 + 1)
    refused = graph.get(f"{PAGE}/published_posts", params={"access_token": PAGE_TOKEN})
    assert (error_of(refused)["code"], error_of(refused)["error_subcode"]) == (190, 463)


def test_a_token_of_another_account_has_no_permission(graph: httpx.Client) -> None:
    page = graph.post(f"{PAGE}/feed", data={"message": "hi", "access_token": OTHER_TOKEN})
    assert (page.status_code, error_of(page)["code"]) == (403, 200)
    instagram = graph.get(f"{IG}/media", params={"access_token": PAGE_TOKEN})
    assert (instagram.status_code, error_of(instagram)["code"]) == (403, 10)


def test_an_unknown_object_is_refused_with_100_33(graph: httpx.Client) -> None:
    response = graph.post("424242/feed", data={"message": "hi", "access_token": PAGE_TOKEN})
    error = error_of(response)
    assert (error["code"], error["error_subcode"]) == (100, 33)
    assert "Object with ID '424242' does not exist" in error["message"]


def test_any_graph_version_or_none_is_accepted(http: httpx.Client, emulator: MetaEmulator) -> None:
    for prefix in ("", "/v19.0", "/v26.0"):
        response = http.post(
            f"{prefix}/{PAGE}/feed", json={"message": f"via '{prefix}'", "access_token": PAGE_TOKEN}
        )
        assert response.status_code == 200, response.text
    assert len(emulator.facebook_posts(PAGE)) == 3


def test_an_unknown_path_answers_graph_error_100(graph: httpx.Client) -> None:
    response = graph.delete(f"{PAGE}/photos", params={"access_token": PAGE_TOKEN})
    assert (response.status_code, error_of(response)["code"]) == (400, 100)


def test_the_log_shows_paths_but_never_tokens(
    graph: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="devstack.meta_emulator"):
        graph.get(f"{PAGE}/feed", params={"access_token": PAGE_TOKEN, "limit": 5})
        graph.get("debug_token", params={"input_token": IG_TOKEN})
    assert f"/v26.0/{PAGE}/feed?limit=5" in caplog.text
    assert PAGE_TOKEN not in caplog.text and IG_TOKEN not in caplog.text


# Fault injection


def test_server_error_hits_the_first_n_requests_then_clears(
    graph: httpx.Client, emulator: MetaEmulator
) -> None:
    emulator.set_fault({"endpoint": "facebook_feed", "kind": "server_error", "times": 2})
    data = {"message": "hi", "access_token": PAGE_TOKEN}
    for _ in range(2):
        response = graph.post(f"{PAGE}/feed", data=data)
        error = error_of(response)
        assert (response.status_code, error["code"], error["is_transient"]) == (500, 2, True)
    assert graph.post(f"{PAGE}/feed", data=data).status_code == 200
    assert emulator.request_counts()["facebook_feed"] == 3
    assert len(emulator.facebook_posts(PAGE)) == 1


def test_a_token_in_the_query_string_is_accepted_as_meta_does_and_each_request_kept_as_sent(
    graph: httpx.Client, emulator: MetaEmulator
) -> None:
    in_url = graph.post(f"{PAGE}/feed", params={"access_token": PAGE_TOKEN, "message": "hi"})
    in_header = graph.get(
        f"{PAGE}/feed", params={"limit": 1}, headers={"Authorization": f"Bearer {PAGE_TOKEN}"}
    )
    assert (in_url.status_code, in_header.status_code) == (200, 200)
    assert [(r.method, r.path, r.query) for r in emulator.requests()] == [
        ("POST", f"/v26.0/{PAGE}/feed", f"access_token={PAGE_TOKEN}&message=hi"),
        ("GET", f"/v26.0/{PAGE}/feed", "limit=1"),
    ]


@pytest.mark.parametrize(
    ("endpoint", "path", "code", "usage_type"),
    [
        ("facebook_posts", f"{PAGE}/published_posts", 32, "pages"),
        ("instagram_media_list", f"{IG}/media", 80002, "instagram"),
    ],
)
def test_throttle_answers_the_documented_code_and_usage_header(
    graph: httpx.Client,
    emulator: MetaEmulator,
    endpoint: str,
    path: str,
    code: int,
    usage_type: str,
) -> None:
    emulator.set_fault({"endpoint": endpoint, "kind": "throttle", "regain_minutes": 7})
    token = PAGE_TOKEN if usage_type == "pages" else IG_TOKEN
    response = graph.get(path, params={"access_token": token})
    assert response.status_code == 400 and error_of(response)["code"] == code
    usage = json.loads(response.headers["X-Business-Use-Case-Usage"])
    [entry] = usage[path.split("/")[0]]
    assert entry["type"] == usage_type and entry["estimated_time_to_regain_access"] == 7


def test_app_level_throttle_uses_code_4_and_app_usage_header(
    graph: httpx.Client, emulator: MetaEmulator
) -> None:
    emulator.set_fault({"endpoint": "*", "kind": "throttle", "code": 4, "times": 1})
    response = graph.get(f"{PAGE}/feed", params={"access_token": PAGE_TOKEN})
    assert error_of(response)["code"] == 4
    assert json.loads(response.headers["X-App-Usage"])["call_count"] == 100
    assert graph.get(f"{PAGE}/feed", params={"access_token": PAGE_TOKEN}).status_code == 200


def test_a_throttle_can_leave_out_is_transient_and_promise_an_infinite_regain_time(
    graph: httpx.Client, emulator: MetaEmulator
) -> None:
    rule = {"endpoint": "debug_token", "kind": "throttle", "code": 613, "is_transient": None}
    emulator.set_fault({**rule, "regain_minutes": float("inf")})
    response = graph.get("debug_token", params={"input_token": PAGE_TOKEN})
    assert error_of(response)["code"] == 613 and "is_transient" not in error_of(response)
    assert (
        '"estimated_time_to_regain_access": Infinity'
        in (response.headers["X-Business-Use-Case-Usage"])
    )


@pytest.mark.parametrize(
    ("rule", "code", "subcode", "status"),
    [
        ({"kind": "temporarily_blocked"}, 368, 1390008, 400),
        ({"kind": "permission_denied"}, 10, None, 403),
        ({"kind": "permission_denied", "code": 200}, 200, None, 403),
    ],
    ids=["368-blocked", "10-permission", "200-permission"],
)
def test_blocks_and_missing_permissions_answer_metas_codes(
    graph: httpx.Client, emulator: MetaEmulator, rule: dict[str, Any], code: int,
    subcode: int | None, status: int,
) -> None:  # fmt: skip
    emulator.set_fault({"endpoint": "debug_token", **rule})
    response = graph.get("debug_token", params={"input_token": PAGE_TOKEN})
    assert response.status_code == status
    assert (error_of(response)["code"], error_of(response).get("error_subcode")) == (code, subcode)


def test_a_proxy_answers_an_html_page_or_a_bare_status_not_a_graph_error(
    graph: httpx.Client, emulator: MetaEmulator
) -> None:
    emulator.set_fault({"endpoint": "debug_token", "kind": "proxy_html", "status": 429, "times": 1})
    emulator.set_fault(
        {
            "endpoint": "instagram_publish",
            "kind": "no_body",
            "status": 408,
            "retry_after": "Infinity",
        }
    )
    page = graph.get("debug_token", params={"input_token": PAGE_TOKEN})
    bare = graph.post(f"{IG}/media_publish", data={"creation_id": "1", "access_token": IG_TOKEN})
    assert page.status_code == 429 and page.headers["content-type"].startswith("text/html")
    assert "<title>429 Too Many Requests</title>" in page.text
    assert (bare.status_code, bare.content, bare.headers["retry-after"]) == (408, b"", "Infinity")


def test_a_status_is_only_for_proxy_answers(emulator: MetaEmulator) -> None:
    with pytest.raises(ValueError, match="status"):
        emulator.set_fault({"kind": "throttle", "status": 429})


def test_token_expired_fault_answers_190_463(graph: httpx.Client, emulator: MetaEmulator) -> None:
    emulator.set_fault({"endpoint": "instagram_publish", "kind": "token_expired"})
    error = error_of(publish(graph, "123"))
    assert (error["code"], error["error_subcode"]) == (190, 463)


def test_latency_delays_the_answer(graph: httpx.Client, emulator: MetaEmulator) -> None:
    emulator.set_fault({"endpoint": "publishing_limit", "kind": "latency", "seconds": 0.3})
    started = time.monotonic()
    response = graph.get(f"{IG}/content_publishing_limit", params={"access_token": IG_TOKEN})
    assert response.status_code == 200
    assert time.monotonic() - started >= 0.3


def test_a_lost_page_photo_response_still_leaves_the_post(
    graph: httpx.Client, emulator: MetaEmulator, image_host: ServedApp
) -> None:
    emulator.set_fault({"endpoint": "facebook_photos", "kind": "drop_after_accept", "times": 1})
    data = {"url": url(image_host, "square.jpg"), "caption": "lost", "access_token": PAGE_TOKEN}
    response = graph.post(f"{PAGE}/photos", data=data)
    assert response.status_code == 502
    with pytest.raises(json.JSONDecodeError):
        response.json()
    listed = graph.get(f"{PAGE}/published_posts", params={"access_token": PAGE_TOKEN}).json()
    assert [post["message"] for post in listed["data"]] == ["lost"]


def test_a_lost_publish_response_leaves_the_media_and_a_published_container(
    graph: httpx.Client, emulator: MetaEmulator, image_host: ServedApp
) -> None:
    container_id = finished_container(graph, emulator, url(image_host, "square.jpg"))
    emulator.set_fault({"endpoint": "instagram_publish", "kind": "drop_after_accept"})
    assert publish(graph, container_id).status_code == 502
    assert status_of(graph, container_id) == "PUBLISHED"
    assert len(emulator.instagram_media(IG)) == 1


def test_a_stuck_container_never_finishes_and_cannot_be_published(
    graph: httpx.Client, emulator: MetaEmulator, image_host: ServedApp
) -> None:
    emulator.set_fault({"endpoint": "instagram_media", "kind": "stuck_in_progress", "times": 1})
    container_id = create_container(graph, url(image_host, "square.jpg")).json()["id"]
    emulator.advance_clock(3600)
    assert status_of(graph, container_id) == "IN_PROGRESS"
    assert error_of(publish(graph, container_id))["code"] == 9007
    healthy = finished_container(graph, emulator, url(image_host, "square.jpg"))
    assert status_of(graph, healthy) == "FINISHED"


def test_a_probabilistic_fault_hits_some_requests_but_not_all(
    graph: httpx.Client, emulator: MetaEmulator
) -> None:
    emulator.set_fault({"kind": "server_error", "probability": 0.5})
    statuses = [
        graph.get(f"{PAGE}/feed", params={"access_token": PAGE_TOKEN}).status_code
        for _ in range(30)
    ]
    assert set(statuses) == {200, 500}
    emulator.clear_faults()
    assert graph.get(f"{PAGE}/feed", params={"access_token": PAGE_TOKEN}).status_code == 200


def test_a_fault_rule_with_an_unknown_kind_is_rejected(emulator: MetaEmulator) -> None:
    with pytest.raises(ValueError, match="kind"):
        emulator.set_fault({"kind": "meteor_strike"})


# Controls over HTTP, for the emulator running as its own process


def test_admin_endpoints_drive_accounts_faults_tokens_and_reset(
    http: httpx.Client, emulator: MetaEmulator
) -> None:
    accounts = {"pages": {"3003": "tok-3003"}, "instagram_users": {"17841400000000009": "tok-ig"}}
    assert http.post("/_emulator/accounts", json=accounts).status_code == 200
    feed = "/v26.0/3003/feed"
    assert http.post(feed, data={"message": "hi", "access_token": "tok-3003"}).status_code == 200

    rule = {"endpoint": "facebook_feed", "kind": "server_error", "times": 1}
    assert http.post("/_emulator/faults", json=rule).status_code == 200
    assert http.post(feed, data={"message": "x", "access_token": "tok-3003"}).status_code == 500
    assert http.post("/_emulator/faults", json={"kind": "nope"}).status_code == 400
    assert http.post("/_emulator/faults", json={"kind": "server_error"}).status_code == 200
    assert http.delete("/_emulator/faults").status_code == 200
    assert http.get("/_emulator/requests").json()["facebook_feed"] == 2

    posts = http.get("/_emulator/posts").json()
    assert [p["message"] for p in posts["facebook"]["3003"]] == ["hi"]
    assert posts["instagram"]["17841400000000009"] == []

    assert http.post("/_emulator/expire_token", json={"token": "tok-3003"}).status_code == 200
    expired = http.post(feed, data={"message": "x", "access_token": "tok-3003"})
    assert error_of(expired)["error_subcode"] == 463

    assert http.post("/_emulator/reset").status_code == 200
    assert http.get("/_emulator/posts").json()["facebook"]["3003"] == []
    assert http.post(feed, data={"message": "x", "access_token": "tok-3003"}).status_code == 200
    http.post("/_emulator/reset", json={"keep_accounts": False})
    gone = http.post(feed, data={"message": "x", "access_token": "tok-3003"})
    assert error_of(gone)["code"] == 190


def test_a_hostile_regain_time_can_be_armed_over_http(
    http: httpx.Client, emulator: MetaEmulator
) -> None:
    rule = b'{"kind": "throttle", "regain_minutes": Infinity, "times": 1}'
    armed = http.post("/_emulator/faults", content=rule)
    assert armed.status_code == 200 and "Infinity" in armed.text
    throttled = http.get(f"/v26.0/{PAGE}/feed", params={"access_token": PAGE_TOKEN})
    assert "Infinity" in throttled.headers["X-Business-Use-Case-Usage"]


def test_admin_clock_moves_containers_along(
    http: httpx.Client, graph: httpx.Client, image_host: ServedApp
) -> None:
    container_id = create_container(graph, url(image_host, "square.jpg")).json()["id"]
    assert http.post("/_emulator/clock", json={"seconds": 86_400}).status_code == 200
    assert status_of(graph, container_id) == "EXPIRED"
