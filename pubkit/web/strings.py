"""The few words the web pages add around the brochure's own text, per language.

The brochure's text comes from the spec and the reviewed PO files; these are the page's
furniture (a skip link, the language menu, the print-edition link, the draft notice).
"""

from __future__ import annotations

ENDONYMS = {"vi": "Tiếng Việt", "en": "English", "ja": "日本語", "ko": "한국어", "zh": "中文"}
OG_LOCALES = {"vi": "vi_VN", "en": "en_US", "ja": "ja_JP", "ko": "ko_KR", "zh": "zh_CN"}

UI = {
    "vi": {"skip": "Chuyển đến nội dung", "languages": "Ngôn ngữ", "contents": "Mục lục",
           "pdf": "Tải bản in (PDF, {size})", "phone": "Điện thoại", "email": "Thư điện tử",
           "website": "Trang thông tin điện tử",
           "draft": "BẢN NHÁP – không dùng để đăng tải. Phần văn bản được đánh dấu như thế này chưa được duyệt: {count}.",
           "unreviewed": "chưa duyệt"},
    "en": {"skip": "Skip to content", "languages": "Languages", "contents": "Contents",
           "pdf": "Download the print edition (PDF, {size})", "phone": "Phone", "email": "E-mail",
           "website": "Website",
           "draft": "DRAFT – not for publication. Text marked like this is not reviewed yet: {count}.",
           "unreviewed": "not reviewed"},
    "ja": {"skip": "本文へ移動", "languages": "言語", "contents": "目次",
           "pdf": "印刷版をダウンロード（PDF、{size}）", "phone": "電話", "email": "メール",
           "website": "ウェブサイト",
           "draft": "下書き – 公開用ではありません。このように示された文はまだ校閲されていません：{count}。",
           "unreviewed": "未校閲"},
    "ko": {"skip": "본문 바로가기", "languages": "언어", "contents": "목차",
           "pdf": "인쇄본 내려받기 (PDF, {size})", "phone": "전화", "email": "이메일",
           "website": "웹사이트",
           "draft": "초안 – 게시용이 아닙니다. 이렇게 표시된 글은 아직 검토되지 않았습니다: {count}.",
           "unreviewed": "검토 전"},
    "zh": {"skip": "跳到正文", "languages": "语言", "contents": "目录",
           "pdf": "下载印刷版（PDF，{size}）", "phone": "电话", "email": "电子邮件",
           "website": "网站",
           "draft": "草稿 – 不可发布。以此方式标出的文字尚未审校：{count}。",
           "unreviewed": "未审校"},
}


def ui(language: str) -> dict[str, str]:
    return UI.get(language, UI["en"])


def furniture_text(language: str) -> str:
    """Every character the page furniture may show in ``language`` (for its font subset)."""
    return "".join(ui(language).values()) + ENDONYMS.get(language, language) + "0123456789.,MB"
