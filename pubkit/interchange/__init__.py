"""Files for people and tools outside pubkit: XLIFF 1.2 for CAT tools, TMX 1.4 memories, review spreadsheets.

Everything here reads and writes the PO drafts through :mod:`pubkit.drafts`, under the same rules
as ``pubkit translate``: a reviewed entry is never replaced by an unreviewed one, and a file that
cannot be read is refused before anything is written.
"""
