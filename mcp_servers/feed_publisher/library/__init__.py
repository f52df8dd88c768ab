"""The photo library: a brand's photos in S3 and their ledger in PostgreSQL.

``photos`` reserves, marks and releases photos and reads and writes S3, kept in step with S3
by ``sync``; ``stock`` counts the photos a brand has left; ``keys`` says where a brand's photos
and prepared images lie; ``photo_work`` reads a photo for imaging within the server's memory,
counting each decode in the ledger (``decode_attempts``); ``rejections`` takes unusable photos
out of rotation behind a breaker, ``refusals`` turns that into the tools' answers; ``alerts``
holds the problems an operator must act on, per brand, raised by this room and by ``meta``.
"""
