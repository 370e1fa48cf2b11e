"""Making and publishing the book: the build (:mod:`.build`: sources, cache key, execution,
atomic swap; :mod:`.execute` runs the chapters in one warm kernel), editions and their
identifiers (:mod:`.editions`), snapshots (:mod:`.snapshot`), the versioned site (:mod:`.site`,
``blina publish``), rebuilding an archived edition (:mod:`.verify`), the edition's PDF
(:mod:`.pdf`), citations (:mod:`.cite`), comparing two editions (:mod:`.diff`) and the Sphinx
extension the book's configuration loads (:mod:`.sphinx_ext`).
"""
