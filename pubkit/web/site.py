"""Render one brochure's web edition: every file of the static site, in memory, byte-reproducible.

``render_site`` returns ``{relative path: bytes}``; :mod:`pubkit.commands.web` writes it.
Pages are ``<lang>/index.html``, one per language, plus a language chooser at the root
(``x-default``); assets are shared in ``assets/``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from pubkit import content
from pubkit.project import Project
from pubkit.markup import plain
from pubkit.web import fonts, images, strings, theme
from pubkit.web.blocks import block_template

TEMPLATE_FOLDER = Path("templates") / "web"  # in the project: templates here replace the package's own
MARKER = ".pubkit-site.json"  # says the folder is a pubkit site (pubkit replaces only such folders)
CONTENT_SIZES = "(max-width: 46rem) calc(100vw - 2rem), 44rem"


@dataclass(frozen=True)
class PrintEdition:
    """A print PDF to link from a language's page (it is copied into the site beside the page)."""

    file: Path
    data: bytes


def environment(project: Project):
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, select_autoescape

    loaders = []
    overrides = project.root / TEMPLATE_FOLDER
    if overrides.is_dir():
        loaders.append(FileSystemLoader(overrides))
    loaders.append(PackageLoader("pubkit.web", "templates"))
    env = Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(["html", "xml"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals["block_template"] = block_template
    from pubkit.web.markup import install  # |markup and |plain for text that may hold inline tags

    install(env)
    env.globals["anchor"] = lambda section: "s" + str(int(re.sub(r"\D", "", section.path)) + 1)
    env.globals["website_href"] = website_href
    return env


def website_href(website: str) -> str | None:
    """The contact website as a link: an http(s) address as written, a bare host (www.example.vn) over
    https; anything else (``javascript:``…) is shown as text, not linked."""
    from urllib.parse import urlsplit

    scheme = urlsplit(website).scheme.lower()
    if scheme in ("http", "https"):
        return website
    if not scheme and "." in website.split("/", 1)[0] and not re.search(r"\s", website):
        return "https://" + website
    return None


def _cmyk_profile(project: Project) -> bytes | None:
    try:
        return project.output_profile.read_bytes() if project.output_profile else None
    except OSError:
        return None


def _size_text(size: int, language: str) -> str:
    from babel.numbers import format_decimal

    return format_decimal(round(size / 1e6, 1), format="#,##0.0", locale=language) + "\u00a0MB"


def render_site(project: Project, editions: dict[str, content.ResolvedEdition], *, base_url: str | None = None,
                pdfs: dict[str, PrintEdition] | None = None, draft: bool = False) -> dict[str, bytes]:
    """Every file of the site of one brochure; ``editions`` by language, in the spec's order."""
    from markupsafe import Markup

    pdfs = pdfs or {}
    env = environment(project)
    first = next(iter(editions.values()))
    source = editions.get(first.source_language, first)
    spec_file = first.spec_file
    files: dict[str, bytes] = {}

    cmyk = _cmyk_profile(project)
    web_images: dict[Path, images.WebImage] = {}
    for edition in editions.values():
        for image in edition.images():
            if image.file not in web_images:
                web_images[image.file] = images.web_image(image.file, spec_file=spec_file, key=image.path,
                                                          line=image.line, cmyk_profile=cmyk)
    for web_image in web_images.values():
        files.update({variant.url: variant.data for variant in web_image.variants})
    preview_source = source.cover_image or next(source.images(), None)
    preview = None
    if preview_source:
        preview = images.preview_image(preview_source.file, spec_file=spec_file, key=preview_source.path,
                                       line=preview_source.line, cmyk_profile=cmyk)
        files[preview.url] = preview.data

    faces, stacks, names = [], {}, {}
    for code, edition in editions.items():
        texts = {text.path: text.text for text in edition.texts.values()}
        page_text = edition.all_text() + strings.furniture_text(code)
        fonts.check_coverage(project, code, texts, spec_file, rest=page_text,
                             place_in_file=getattr(edition.translate, "place_in_file", None))
        chosen = fonts.language_fonts(project, code, page_text, spec_file)
        stacks[code] = chosen.stack
        faces += chosen.faces
        name = fonts.name_font(project, code, strings.ENDONYMS.get(code, code), spec_file)
        if name:
            names[code] = name.family
            faces.append(name)
    files.update({face.url: face.data for face in faces})
    files["assets/site.css"] = env.get_template("site.css").render(
        faces=faces, stacks=stacks, names=names, colours=theme.COLOURS).encode("utf-8")

    base = base_url.rstrip("/") + "/" if base_url else None

    def href(code: str | None, to_root: str) -> str:
        """A link to a language's page (None: the chooser): absolute with a base URL, else relative."""
        if base:
            return base + (f"{code}/" if code else "")
        return to_root + (f"{code}/index.html" if code else "index.html")

    def page_context(code: str | None, edition: content.ResolvedEdition, to_root: str) -> dict:
        def picture(image: content.Image, alt: str, eager: bool = False) -> Markup:
            web_image = web_images[image.file]
            largest = web_image.largest
            srcset = ", ".join(f"{to_root}{v.url} {v.width}w" for v in web_image.variants)
            sizes = "100vw" if eager else CONTENT_SIZES
            loading = "eager" if eager else "lazy"
            return Markup('<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}" alt="{}" loading="{}" '
                          'decoding="async">').format(f"{to_root}{largest.url}", srcset, sizes, largest.width,
                                                      largest.height, alt, loading)

        language = code or edition.language
        alternates = [{"hreflang": other, "href": href(other, to_root)} for other in editions]
        alternates.append({"hreflang": "x-default", "href": href(None, to_root)})
        description = plain((edition.subtitle or edition.tagline or edition.title).text)
        creator = plain(edition.contact.organisation.text if edition.contact else edition.publisher.text)
        page_url = href(code, to_root) if base else None
        dc = [("title", plain(edition.title.text)), ("creator", creator), ("publisher", plain(edition.publisher.text)),
              ("date", edition.date.isoformat()), ("language", language),
              ("identifier", page_url or f"{edition.brochure_id}/{code or ''}"), ("description", description),
              ("type", "Text"), ("format", "text/html")]
        og_image = None
        if preview:
            own = next((image for image in edition.images() if image.path == preview_source.path), None)
            alt = plain(own.alt.text) if own and own.alt and preview_source is not source.cover_image else ""
            og_image = {"url": (base or to_root) + preview.url, "width": preview.width, "height": preview.height,
                        "alt": alt}
        menu = [{"code": other, "name": strings.ENDONYMS.get(other, other), "href": href(other, to_root),
                 "current": other == code, "title": plain(editions[other].title.text)} for other in editions]
        if not base:  # the menu works from a folder too
            menu = [dict(item, href=to_root + f"{item['code']}/index.html") for item in menu]
        pdf = None
        if code in pdfs:
            pdf = {"href": pdfs[code].file.name, "size": _size_text(len(pdfs[code].data), code)}
        return {"lang": language, "e": edition, "ui": strings.ui(language), "page_title": plain(edition.title.text),
                "description": description, "dc": dc, "draft": draft, "page_url": page_url,
                "og_locale": strings.OG_LOCALES.get(language, language),
                "og_alternates": [strings.OG_LOCALES.get(o, o) for o in editions if o != language],
                "og_image": og_image, "alternates": alternates, "to_root": to_root, "menu": menu,
                "picture": picture, "cover": edition.cover_image, "pdf": pdf,
                "unreviewed": len(edition.unreviewed())}

    for code, edition in editions.items():
        files[f"{code}/index.html"] = env.get_template("page.html").render(
            page_context(code, edition, "../")).encode("utf-8")
        if code in pdfs:
            files[f"{code}/{pdfs[code].file.name}"] = pdfs[code].data
    chooser = page_context(None, source, "")
    chooser["unreviewed"] = sum(len(edition.unreviewed()) for edition in editions.values())
    files["index.html"] = env.get_template("index.html").render(chooser).encode("utf-8")
    if base and not draft:
        alternates = chooser["alternates"]
        files["sitemap.xml"] = env.get_template("sitemap.xml").render(
            urls=[href(None, "")] + [href(code, "") for code in editions], alternates=alternates,
            date=source.date.isoformat()).encode("utf-8")
    if draft:
        files["robots.txt"] = b"# a pubkit draft: not for publication\nUser-agent: *\nDisallow: /\n"
    marker = {"brochure": first.brochure_id, "draft": draft, "languages": list(editions),
              "generator": "pubkit web"}
    files[MARKER] = (json.dumps(marker, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
    return dict(sorted(files.items()))
