"""The radar's matching engine in plain Python (no Django): records, Dutch name and date
comparisons, blocking keys and the Fellegi-Sunter model with its EM training.

The Django side (``ketenradar.radar.index``, ``ketenradar.radar.matcher``) turns persons into
``Record``s, keeps their blocking keys in the database and calls ``Model.score``. The
evaluation tooling runs the same engine on records that never touch the database (FEBRL4,
the synthetic Dutch population).
"""
