"""What the feed-publisher server holds while it runs: settings, brands, S3, ledger, Meta."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import boto3
import httpx
from botocore.config import Config

from feedpub.brands import Brand, load_brands
from feedpub.db import apply_migrations, open_pool
from feedpub.settings import FeedPublisherSettings, load_settings
from mcp_servers._errors import feed_error

from .brand_alerts import BrandAlerts
from .decode_attempts import DecodeAttempts
from .freed_memory import give_back_freed_images
from .graph import GraphClient
from .photo_library import DERIVED_DIR, PhotoLibrary
from .photo_rejections import PhotoRejections
from .photo_work import PhotoWork
from .publication_ledger import PublicationLedger

__all__ = ["FeedPublisherContext", "feed_publisher_lifespan"]


@dataclass
class FeedPublisherContext:
    settings: FeedPublisherSettings
    brands: dict[str, Brand]
    library: PhotoLibrary
    photo_work: PhotoWork
    rejections: PhotoRejections
    graph: GraphClient
    publications: PublicationLedger
    alerts: BrandAlerts

    def brand(self, name: str) -> Brand:
        try:
            return self.brands[name]
        except KeyError:
            known = ", ".join(sorted(self.brands))
            raise feed_error(
                "UnknownBrand", f"unknown brand '{name}' (known: {known})", retryable=False
            ) from None

    def photo_of(self, brand: Brand, key: str) -> str:
        """``key`` if it lies under the brand's prefix; a brand never touches another's photos."""
        if not key.startswith(brand.s3_prefix):
            raise feed_error(
                "ForeignPhoto",
                f"photo '{key}' is not under brand '{brand.name}' prefix '{brand.s3_prefix}'",
                retryable=False,
            )
        return key

    def prepared_media_of(self, brand: Brand, media_key: str) -> str:
        """``media_key`` if it is one of the brand's prepared images (under
        ``<prefix>.derived/``): only those were stripped of the original's metadata (GPS,
        camera serial) and shaped for posting; an original is never published or served."""
        self.photo_of(brand, media_key)  # another brand's key is refused as such first
        prepared = f"{brand.s3_prefix}{DERIVED_DIR}"
        segments = media_key.removeprefix(prepared).split("/")
        if not media_key.startswith(prepared) or any(s in ("", ".", "..") for s in segments):
            raise feed_error(
                "NotPreparedMedia",
                f"'{media_key}' is not a prepared image of brand '{brand.name}' (those are "
                f"under '{prepared}'); only prepared images are published",
                retryable=False,
            )
        return media_key

    def meta_token(self, brand: Brand) -> str:
        token = os.environ.get(brand.meta_token_env, "")
        if not token:
            raise feed_error(
                "MetaTokenMissing",
                f"brand '{brand.name}': environment variable {brand.meta_token_env} is not set "
                "on the feed-publisher server; add the brand's Page access token",
                retryable=False,
            )
        return token


def _s3_client(settings: FeedPublisherSettings) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=settings.aws_endpoint_url,
        region_name=settings.aws_region,
        config=Config(retries={"mode": "standard", "max_attempts": 3}, signature_version="s3v4"),
    )


@asynccontextmanager
async def feed_publisher_lifespan(_server: Any) -> AsyncIterator[FeedPublisherContext]:
    settings = load_settings(FeedPublisherSettings)
    brands = load_brands(settings.brands_file)
    give_back_freed_images()
    conninfo = settings.database_url.get_secret_value()
    await apply_migrations(conninfo)
    # Each publishing attempt holds one connection for its lock: room for many at once.
    pool = await open_pool(conninfo, max_size=40)
    http = httpx.AsyncClient(timeout=httpx.Timeout(60.0, connect=10.0))
    library = PhotoLibrary(pool=pool, s3=_s3_client(settings), bucket=settings.s3_bucket)
    try:
        yield FeedPublisherContext(
            settings=settings,
            brands=brands,
            library=library,
            photo_work=PhotoWork(
                library=library,
                attempts=DecodeAttempts(pool),
                max_photo_bytes=settings.max_photo_bytes,
            ),
            rejections=PhotoRejections(pool),
            graph=GraphClient(
                http, base_url=settings.meta_graph_url, version=settings.meta_graph_version
            ),
            publications=PublicationLedger(pool),
            alerts=BrandAlerts(pool),
        )
    finally:
        await http.aclose()
        await pool.close()
