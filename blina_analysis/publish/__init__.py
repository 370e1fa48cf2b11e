"""Making and publishing the book: the build (:mod:`.build`: sources, cache key, execution,
atomic swap), snapshots (:mod:`.snapshot`), comparing two editions (:mod:`.diff`) and the Sphinx
extension the book's configuration loads (:mod:`.sphinx_ext`).
"""
