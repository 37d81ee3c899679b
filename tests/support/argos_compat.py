"""Import argostranslate (an optional extra) so that it runs offline beside pubkit.

argostranslate reads its settings and creates folders on import, and splits sentences with
stanza or MiniSBD (which downloads a model on first use). Here it gets a private HOME and
packages folder, and pubkit's own sentence splitter in place of MiniSBD, so both sides
translate exactly the same sentences.
"""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path


def import_argostranslate(home: Path, packages: Path):
    """Return argostranslate's (package, translate) modules, configured for ``home`` and ``packages``."""
    from pubkit.translate.sentences import split_sentences

    os.environ.update({"HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
                       "XDG_CACHE_HOME": str(home / "cache"), "ARGOS_PACKAGES_DIR": str(packages),
                       "ARGOS_DEVICE_TYPE": "cpu"})

    class SBDetect:
        def __init__(self, *args, **kwargs):
            pass

        def sentences(self, text):
            return split_sentences(text)

    minisbd, models = types.ModuleType("minisbd"), types.ModuleType("minisbd.models")
    models.cache_dir, models.list_models = None, lambda: ["en", "vi"]
    minisbd.SBDetect, minisbd.models = SBDetect, models
    sys.modules.setdefault("stanza", types.ModuleType("stanza"))
    sys.modules.update({"minisbd": minisbd, "minisbd.models": models})
    from argostranslate import package, translate

    return package, translate
