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
from mcp.server.mcpserver import Context

from feedpub.brands import Brand, load_brands
from feedpub.db import apply_migrations, open_pool
from feedpub.settings import FeedPublisherSettings, load_settings
from mcp_servers._errors import feed_error

from .imaging.freed_memory import give_back_freed_images
from .library.alerts import BrandAlerts
from .library.decode_attempts import DecodeAttempts
from .library.looks import StoredLooks
from .library.photo_work import PhotoWork
from .library.photos import PhotoLibrary
from .library.refusals import PhotoRefusals
from .library.rejections import PhotoRejections
from .library.stock import PhotoStockCount
from .library.traits import PhotoTraitStore
from .meta.graph import GraphClient
from .meta.publication_ledger import PublicationLedger

__all__ = ["FeedPublisherContext", "app_of", "feed_publisher_lifespan"]


@dataclass
class FeedPublisherContext:
    settings: FeedPublisherSettings
    brands: dict[str, Brand]
    library: PhotoLibrary
    stock: PhotoStockCount
    photo_work: PhotoWork
    refusals: PhotoRefusals
    graph: GraphClient
    publications: PublicationLedger
    alerts: BrandAlerts
    traits: PhotoTraitStore

    def brand(self, name: str) -> Brand:
        try:
            return self.brands[name]
        except KeyError:
            known = ", ".join(sorted(self.brands))
            raise feed_error(
                "UnknownBrand", f"unknown brand '{name}' (known: {known})", retryable=False
            ) from None

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


def app_of(ctx: Context[Any, Any]) -> FeedPublisherContext:
    """What the server holds, as a tool reaches it through its request context."""
    state: FeedPublisherContext = ctx.request_context.lifespan_context
    return state


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
    alerts = BrandAlerts(pool)
    try:
        yield FeedPublisherContext(
            settings=settings,
            brands=brands,
            library=library,
            stock=PhotoStockCount(pool=pool, library=library),
            photo_work=PhotoWork(
                library=library,
                attempts=DecodeAttempts(pool),
                looks=StoredLooks(pool=pool, library=library),
                max_photo_bytes=settings.max_photo_bytes,
            ),
            refusals=PhotoRefusals(PhotoRejections(pool), alerts),
            graph=GraphClient(
                http, base_url=settings.meta_graph_url, version=settings.meta_graph_version
            ),
            publications=PublicationLedger(pool),
            alerts=alerts,
            traits=PhotoTraitStore(pool=pool, library=library),
        )
    finally:
        await http.aclose()
        await pool.close()
