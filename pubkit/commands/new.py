"""``pubkit new ID``: a new brochure that builds at once in draft.

It writes ``brochures/ID/brochure.yaml`` — a commented spec that shows every block kind with
placeholder Vietnamese text — a placeholder picture beside it, and ``translations/`` with the POT
template and one PO file per target language whose header names this brochure and language (so
the copy-from-another-brochure refusal never meets a new brochure). The drafts list every segment,
untranslated: ``pubkit build brochures/ID --draft`` works before anything is written;
``pubkit translate`` then fills them.
"""

from __future__ import annotations

from pathlib import Path

from pubkit.errors import PubkitError
from pubkit.project import Project

PICTURE = "picture.png"  # placeholder: 300 ppi at the A5 column width (118 mm)
PICTURE_PIXELS = (1400, 900)

SPEC = """\
# A new brochure: replace the placeholder text, keep the structure you need, delete the rest.
# Every key is documented with examples in docs/spec.md. Text is written in Vietnamese (the
# source language); `pubkit translate` drafts the other languages into translations/*.po,
# translators review them there, and `pubkit build` makes the print PDFs.
title: "Tên tài liệu"
subtitle: "Dòng phụ đề dưới tên tài liệu"          # optional
publisher: "Tên cơ quan ban hành"
date: "{date}"
source_language: vi
languages: [{languages}]
print_run: {{{print_run}}}       # copies per language
format:
  trim: A5                 # A4, A5, A6, B5, Letter or e.g. 148x210mm
  bleed: 3mm
  binding: saddle-stitch   # page count padded to a multiple of 4 by the page plan
  paper: "Couché matt 150 gsm"
  # cover_paper: "Couché 250 gsm"   # a separate cover stock: cover and text block become two PDFs
cover:
  tagline: "Một câu khẩu hiệu ngắn trên bìa"
  # image: cover.png       # a full-bleed picture in this folder
  # logo: logo.png         # the publisher's emblem above the title
# publication:             # the colophon Luật Xuất bản 2012 asks for; a print build warns while it is missing
#   licence: {{number: "123/GP-STTTT", date: "2018-06-01", issuer: "Sở Thông tin và Truyền thông tỉnh …"}}
#   printer: {{name: "Công ty TNHH In …", address: "…"}}
#   deposit: "2018-06-12"
sections:
  - heading: "Giới thiệu"
    new_page: true
    content:
      # A paragraph is a plain string; long ones read best as a folded block (>-).
      - >-
        Đây là đoạn văn mở đầu. Mỗi đoạn văn là một chuỗi văn bản; dấu xuống dòng
        trong khối gấp được bỏ qua, nên có thể viết đoạn dài trên nhiều dòng.
      - heading: "Tiêu đề cấp hai"          # sub-headings: level 2 (default) or 3
      - >-
        Mỗi chuỗi văn bản trở thành một mục cần dịch trong tệp bản dịch của từng
        ngôn ngữ, kèm đường dẫn và ghi chú cho người dịch.
      - heading: "Tiêu đề cấp ba"
        level: 3
      - bullets:
          - "Một ý trong danh sách gạch đầu dòng."
          - "Một ý khác."
      - numbered:                           # a numbered list (start: 1 by default)
          - "Bước thứ nhất."
          - "Bước thứ hai."
          - "Bước thứ ba."
      - callout: "Một thông điệp cần nhấn mạnh, đặt trong khung."
        title: "Lưu ý"                      # optional; style: quote makes a pull quote
      - note: "Nguồn: ghi nguồn số liệu hoặc chú thích ở đây."

  - heading: "Số liệu"
    content:
      - >-
        Bảng số liệu: mỗi dòng có đúng một ô cho mỗi cột; số viết dạng thường
        (3536.4) và được định dạng theo từng ngôn ngữ khi in.
      - table:
          title: "Tên bảng"
          columns:
            - header: "Chỉ tiêu"
            - header: "Giá trị"
              unit: "ha"                    # shown in the header: Giá trị (ha)
          rows:
            - ["Chỉ tiêu thứ nhất", 1250]
            - ["Chỉ tiêu thứ hai", 3536.4]
          source: "Nguồn: cơ quan cung cấp số liệu."
      - figures:                            # key figures, aligned on the decimal separator
          - {{label: "Diện tích", value: 3536.4, unit: "km²"}}
          - {{label: "Dân số", value: 1290000, unit: "người"}}
      - >-
        Biểu đồ được vẽ từ số liệu, giữ nguyên vị trí và màu sắc trong mọi ngôn ngữ;
        chỉ nhãn chữ được dịch.
      - chart: bar                          # bar, line or pie
        title: "Tên biểu đồ"
        unit: "tỷ đồng"
        categories: [2021, 2022, 2023]
        series:
          - values: [12.5, 14.0, 15.2]
        caption: "Chú thích dưới biểu đồ."

  - heading: "Hình ảnh"
    content:
      - >-
        Ảnh đặt ở cùng một trang và vị trí trong mọi ngôn ngữ. Đường dẫn ảnh tính từ
        thư mục của tài liệu này; thay picture.png bằng ảnh thật (300 ppi).
      - image: {picture}
        caption: "Chú thích ảnh."
        alt: "Mô tả ảnh cho người không xem được ảnh (bản web)."
        # width: 80mm · height: 60mm · fit: cover · bleed: true (across the page)
        # only: {{ja: {{image: picture-ja.png}}}}   # another picture (or caption…) for one language
      - columns:                            # short blocks in two balanced columns
          - heading: "Cột trái"
            level: 3
          - bullets: ["Mục một", "Mục hai", "Mục ba"]
          - "Một đoạn ngắn trong cột."
      # - page_break: true                  # what follows starts on the next page

back_cover:
  heading: "Liên hệ"
  text: "Một đoạn ngắn kết thúc tài liệu."
  contact:
    organisation: "Tên cơ quan đầu mối"
    address: "Địa chỉ"
    phone: "+84 000 000 000"                # printed as written
    email: "lienhe@example.vn"
    website: "https://example.vn"
  # qr: {{url: "https://portal.example.vn/{{lang}}/", label: "Đọc bản điện tử"}}   # a vector QR code of the portal
"""


def new_brochure(project: Project, brochure_id: str, languages: tuple[str, ...] = ()) -> Path:
    """Scaffold ``brochures/<brochure_id>/``; returns its folder. Refuses a bad id or an existing folder."""
    import datetime as dt

    from PIL import Image

    from pubkit.commands.brochures import _ID, BrochureFiles
    from pubkit.commands.translate import spec_references
    from pubkit.drafts.catalog import update_catalog
    from pubkit.drafts.template import update_template
    from pubkit.files import write_atomic
    from pubkit.spec import SPEC_NAME, load_spec, model
    from pubkit.spec.segments import segments

    if not _ID.match(brochure_id):
        raise PubkitError(f"'{brochure_id}' cannot name a brochure (it names the output files)",
                          key="ID", fix="use letters, digits, '-', '_' or '.', e.g. bac-kan-2025")
    folder = project.brochures / brochure_id
    if folder.exists():
        raise PubkitError("this brochure already exists", file=folder,
                          fix="choose another ID, or edit the brochure that is there")
    languages = tuple(languages) or tuple(model.LANGUAGE_NAMES)
    unknown = [code for code in languages if code not in model.LANGUAGE_NAMES]
    if unknown or "vi" not in languages:
        raise PubkitError(f"--lang {','.join(unknown) or ','.join(languages)}: "
                          + ("not a language pubkit typesets" if unknown else "the source language vi is missing"),
                          key="--lang", fix=f"use vi and any of: {', '.join(model.LANGUAGE_NAMES)}")
    for code in languages:
        project.language(code, project.root / "pubkit.toml")  # a language without fonts stops here
    runs = ", ".join(f"{code}: {1000 if code == 'vi' else 100}" for code in languages)
    text = SPEC.format(date=dt.date.today().isoformat(), languages=", ".join(languages), print_run=runs,
                       picture=PICTURE)
    spec = folder / SPEC_NAME
    drafts = folder / project.drafts_folder
    drafts.mkdir(parents=True)
    write_atomic(spec, text.encode("utf-8"))
    picture = folder / PICTURE
    Image.new("RGB", PICTURE_PIXELS, (206, 219, 214)).save(picture, dpi=(300, 300))
    files = BrochureFiles(brochure_id, folder, spec)
    brochure = load_spec(spec)
    sources = list(segments(brochure))
    references = spec_references(brochure, sources)
    pot_date = update_template(drafts / f"{brochure_id}.pot", brochure_id, sources, references)
    for code in languages:
        if code != brochure.source_language:
            update_catalog(files.drafts(project, code), code, brochure_id, sources, references=references,
                           pot_date=pot_date)
    return folder
