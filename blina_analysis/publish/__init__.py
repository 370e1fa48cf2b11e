"""Making and publishing the book.

The build (:mod:`.build`, which runs the jobs of the modules beside it: :mod:`.output` where it
writes and what it refuses, :mod:`.provenance`, :mod:`.sources`, :mod:`.cache_key`,
:mod:`.jupyter_book`, :mod:`.failure`), snapshots (:mod:`.snapshot`), comparing two editions
(:mod:`.diff`) and the Sphinx extension the book's configuration loads (:mod:`.sphinx_ext`).
"""
