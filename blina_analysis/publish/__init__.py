"""Making and publishing the book.

The build (:mod:`.build`, which runs the jobs of the modules beside it: :mod:`.output` where it
writes and what it refuses, :mod:`.provenance`, :mod:`.sources`, :mod:`.cache_key`,
:mod:`.jupyter_book`, :mod:`.failure`; :mod:`.execute` runs the chapters in warm kernels side by side);
editions and their identifiers (:mod:`.editions`), snapshots (:mod:`.snapshot`), the versioned
site (:mod:`.site`, ``blina publish``), rebuilding an archived edition (:mod:`.verify`), the
edition's PDF (:mod:`.pdf`), citations (:mod:`.cite`), comparing two editions (:mod:`.diff`) and
the Sphinx extension the book's configuration loads (:mod:`.sphinx_ext`).
"""
