"""The brands' daily checks and weekly digest, as plain rules ``BrandChecksWorkflow`` follows:
when each is due in the brand's zone (``timing``), what a token check or a photo count tells
(``notices``), and the digest's lines from last week's reports (``digest``). No I/O here."""
