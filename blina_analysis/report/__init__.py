"""Presentation: numbers as text (:mod:`.fmt`, the only place that formats a number), tables
(:mod:`.tables`), figures in one house style (:mod:`.figures`, :mod:`.style`), the methods
chapter's tables (:mod:`.methods`) and what the chapters call to glue them (:mod:`.book`).
Computes no statistic.
"""
