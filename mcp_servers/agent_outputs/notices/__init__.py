"""The notice ledger: what feedpub has told brands' teams, decided once in PostgreSQL.

``claims`` decides for each notice whether it is sent now, folded into a follow-up or not
told (one transaction, the condition's row locked); ``windows`` closes a condition's window
into one follow-up with the count of its repeats; ``deliveries`` records which destination
took which message, and gives back the ones lost so that the next message tells of them.
"""
