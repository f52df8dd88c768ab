"""feedpub's applications, on top of everything else: the ``feedpub`` command (``cli``), and what
report pages share with it (``reports``). They reach the running services through the contract
(``feedpub.contract``) and the clients; nothing below imports them."""
