"""Meta: publishing on Facebook Pages and Instagram business accounts, and checking tokens.

``graph`` is the Graph API client and ``graph_errors`` classifies its failures;
``facebook_flow`` and ``instagram_flow`` publish so that a retry never posts twice, recording
intent and result in the ``publication_ledger``; ``publishing`` runs a flow under its
(run, platform) lock and turns failures into tool errors and brand alerts; ``token_check``
asks Meta about a brand's token ahead of a run.
"""
