"""Glossaries: ``glossary.yaml`` at the project root and in a brochure folder (the brochure's wins).

```yaml
terms:                       # source term → required translation per language
  "Thái Nguyên": {en: "Thai Nguyen", ja: "タイグエン", ko: "타이응우옌", zh: "太原"}
keep: [Samsung, ATK]         # names never translated
```
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from pubkit.errors import PubkitError
from pubkit.spec.yamlsource import load_yaml
from pubkit.translate.protect import Glossary

GLOSSARY_NAME = "glossary.yaml"


def _nfc(text: object) -> str:
    return unicodedata.normalize("NFC", str(text)).strip()


def load_glossary(path: Path) -> Glossary:
    if not path.is_file():
        return Glossary()
    data = load_yaml(path) or {}
    if not isinstance(data, dict) or set(data) - {"terms", "keep"}:
        raise PubkitError("a glossary holds only 'terms' and 'keep'", file=path, fix="see docs/translations.md")
    terms, keep = data.get("terms") or {}, data.get("keep") or []
    if not isinstance(terms, dict) or not all(isinstance(forms, dict) for forms in terms.values()):
        raise PubkitError("'terms' must map each term to {language: translation}", file=path,
                          line=getattr(terms, "line", None), key="terms", fix="see docs/translations.md")
    if not isinstance(keep, list):
        raise PubkitError("'keep' must be a list of names", file=path, key="keep", fix="write keep: [Name, Other]")
    return Glossary({_nfc(term): {str(k): _nfc(v) for k, v in forms.items()} for term, forms in terms.items()},
                    [_nfc(name) for name in keep])


def glossary_for(project_root: Path, brochure_folder: Path) -> Glossary:
    return load_glossary(project_root / GLOSSARY_NAME).merged(load_glossary(brochure_folder / GLOSSARY_NAME))
