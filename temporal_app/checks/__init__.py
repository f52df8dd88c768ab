"""The brands' daily checks and weekly digest, as plain rules ``BrandChecksWorkflow`` follows:
when each is due in the brand's zone (``timing``), what a token check or a photo count tells
(``notices``), the digest's lines from last week's reports (``digest``) and what the brand's
posts taught, in words (``learned``). No I/O here."""
