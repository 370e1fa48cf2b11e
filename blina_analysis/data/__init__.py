"""The data layer: the format of a dataset (:mod:`.schema`), reading and validating it
(:mod:`.io`), the seeded synthetic reconstruction (:mod:`.synthetic`) and the paper's published
figures stored as cited data (:mod:`.published`). Nothing here knows about statistics or the book.
"""
