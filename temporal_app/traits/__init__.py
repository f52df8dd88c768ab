"""A short look by Claude at a brand's unused photos, for its learning: what each photo shows
(``feedpub.photo_traits``), asked through Message Batches with the cheapest capable model
(``look``: the request and reading its answer; ``models``: the activities' inputs and
results)."""
