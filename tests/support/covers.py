"""A small project whose brochure uses every cover, back-cover and publication key (tests of covers and colophon)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

from conftest import SPEC, TRANSLATIONS, make_project, write_po

URL = "https://portal.example.vn/demo/{lang}/"
QR_LABEL = "Đọc bản điện tử"
ISSUER = "Sở Thông tin và Truyền thông tỉnh Thái Nguyên"
EXTRA = {  # reviewed translations of the strings this project adds to conftest's demo
    "en": {QR_LABEL: "Read it online", ISSUER: "Thai Nguyen Department of Information and Communications"},
    "ja": {QR_LABEL: "電子版を読む", ISSUER: "タイグエン省情報通信局"},
    "ko": {QR_LABEL: "온라인으로 읽기", ISSUER: "타이응우옌성 정보통신국"},
    "zh": {QR_LABEL: "阅读电子版", ISSUER: "太原省信息与传媒厅"},
}
PUBLICATION = f"""\
publication:
  licence: {{number: "123/GP-STTTT", date: "2018-06-01", issuer: "{ISSUER}"}}
  printer: {{name: "Công ty TNHH In Minh Họa", address: "Số 1 đường Ví Dụ, thành phố Thái Nguyên"}}
  deposit: "2018-06-12"
  purpose: "Giới thiệu cơ hội đầu tư; phát miễn phí"
  translators: {{en: "Nguyễn Thị Mai"}}
"""
COVERS = f"""\
cover:
  image: assets/cover.png
  logo: assets/logo.png
back_cover:
  heading: "Liên hệ"
  contact: {{organisation: "Sở Kế hoạch và Đầu tư", phone: "+84 208 3855 000", email: "info@example.vn"}}
  image: assets/cover.png
  logo: assets/logo.png
  qr: {{url: "{URL}", label: "{QR_LABEL}"}}
"""


def spec_text(*, publication: str | None = PUBLICATION, cover_paper: bool = False, covers: str = COVERS) -> str:
    """conftest's demo spec with the full cover and back cover, and a publication section unless None."""
    text = SPEC
    head, rest = text.split("cover:\n  image: assets/cover.png\n", 1)
    sections, _ = rest.split("back_cover:", 1)
    text = head + sections + covers + (publication or "")
    if cover_paper:
        text = text.replace('paper: "Couché 150 gsm"}', 'paper: "Couché 150 gsm", cover_paper: "Couché 250 gsm"}')
    return text


def make_covers_project(root: Path, **options) -> Path:
    """The demo project with :func:`spec_text`'s spec, a logo, and reviewed PO files for every segment."""
    from pubkit.spec.segments import segments
    from pubkit.spec.validate import to_brochure
    from pubkit.spec.yamlsource import load_yaml

    make_project(root)
    logo = Image.new("RGB", (400, 400), "white")
    ImageDraw.Draw(logo).ellipse((0, 0, 399, 399), fill=(30, 120, 60))
    logo.save(root / "assets" / "logo.png", dpi=(600, 600))
    spec = root / "brochures" / "demo" / "brochure.yaml"
    demo = list(dict.fromkeys(s.text for s in segments(to_brochure(load_yaml(spec), spec))))
    spec.write_text(spec_text(**options), encoding="utf-8")
    sources = list(dict.fromkeys(s.text for s in segments(to_brochure(load_yaml(spec), spec))))
    for language, targets in TRANSLATIONS.items():
        known = dict(zip(demo, targets)) | EXTRA[language]
        write_po(spec.parent / "translations" / f"{language}.po", language, [(s, known[s]) for s in sources])
    return root
