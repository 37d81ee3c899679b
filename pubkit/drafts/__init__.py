"""Translation drafts: one gettext PO file per brochure and language.

``msgid`` is the Vietnamese source, ``msgstr`` the translation, and the ``fuzzy`` flag means
"not yet reviewed by a translator". Poedit, Weblate, OmegaT and Lokalize all open these files.
"""

from pubkit.drafts.catalog import Catalog, EntryState, read_catalog, read_merged_catalog, update_catalog

__all__ = ["Catalog", "EntryState", "read_catalog", "read_merged_catalog", "update_catalog"]
