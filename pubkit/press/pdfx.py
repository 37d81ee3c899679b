"""Make a ReportLab PDF a PDF/X-4 file: output intent, PDF/X keys, XMP, fixed dates and IDs.

ReportLab writes none of these (and ToUnicode CMaps that strict readers misread), so the
finished PDF is post-processed with pikepdf. The output is reproducible: dates come from the
caller (``SOURCE_DATE_EPOCH`` or the spec's edition date), and document IDs are derived from
the content.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import re
import uuid
import zlib
from dataclasses import dataclass
from html import escape

PDFX_VERSION = "PDF/X-4"


@dataclass(frozen=True)
class OutputIntent:
    """The printing condition the file is made for, with its ICC profile."""

    profile: bytes
    identifier: str = "FOGRA39"
    condition: str = "Offset printing, coated paper (ISO 12647-2:2004), FOGRA39"
    registry: str = "http://www.color.org"

    @functools.cached_property
    def digest(self) -> str:
        """The profile's SHA-256 (hex), for cache keys: worked out once per intent, not per key."""
        return hashlib.sha256(self.profile).hexdigest()


def _pdf_date(when: dt.datetime) -> str:
    return when.strftime("D:%Y%m%d%H%M%SZ")


# Namespaces are declared on rdf:Description, not on each property: PDFBox's XMP parser reads
# only those, and would see no dc schema (title, creator) otherwise.
_XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
   <pdf:Producer>{producer}</pdf:Producer>
   <pdf:Trapped>False</pdf:Trapped>
   <xmp:CreatorTool>pubkit</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
   <xmp:MetadataDate>{date}</xmp:MetadataDate>
   <xmpMM:DocumentID>{document_id}</xmpMM:DocumentID>
   <xmpMM:InstanceID>{document_id}</xmpMM:InstanceID>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <pdfxid:GTS_PDFXVersion>{version}</pdfxid:GTS_PDFXVersion>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def _xmp(**fields: str) -> bytes:
    return _XMP.format(version=PDFX_VERSION, **{key: escape(value, quote=False) for key, value in fields.items()}).encode()


# The CMap format allows at most 100 entries per bfchar/bfrange block (Adobe TN 5014). ReportLab
# writes one block per 256-glyph subset, and readers that keep to the limit (Ghostscript) then
# extract every character past the 100th of a subset as garbage.
CMAP_BLOCK_LIMIT = 100
_CMAP_BLOCK = re.compile(rb"\d+\s+begin(bfchar|bfrange)\s(.*?)end\1", re.S)
_CMAP_ENTRY = {b"bfchar": re.compile(rb"<[0-9A-Fa-f]*>\s*<[0-9A-Fa-f]*>"),
               b"bfrange": re.compile(rb"<[0-9A-Fa-f]*>\s*<[0-9A-Fa-f]*>\s*(?:<[0-9A-Fa-f]*>|\[[^\]]*\])")}


def _split_cmap_block(match: re.Match) -> bytes:
    kind = match[1]
    entries = _CMAP_ENTRY[kind].findall(match[2])
    if len(entries) <= CMAP_BLOCK_LIMIT:
        return match[0]
    chunks = (entries[start:start + CMAP_BLOCK_LIMIT] for start in range(0, len(entries), CMAP_BLOCK_LIMIT))
    return b"\n".join(b"%d begin%s\n%s\nend%s" % (len(chunk), kind, b"\n".join(chunk), kind) for chunk in chunks)


def _split_to_unicode_blocks(pdf) -> None:
    """Rewrite every font's ToUnicode CMap into blocks of at most 100 entries."""
    import pikepdf

    seen = set()
    for font in pdf.objects:
        cmap = font.get("/ToUnicode") if isinstance(font, pikepdf.Dictionary) and font.get("/Type") == "/Font" else None
        if not isinstance(cmap, pikepdf.Stream) or cmap.objgen in seen:
            continue
        seen.add(cmap.objgen)
        text = cmap.read_bytes()
        split = _CMAP_BLOCK.sub(_split_cmap_block, text)
        if split != text:
            cmap.write(zlib.compress(split), filter=pikepdf.Name.FlateDecode)


@functools.lru_cache(maxsize=2)
def _compressed(profile: bytes) -> bytes:
    """The output profile's stream, compressed once: the same 1 MB went through zlib for every PDF (0.07 s
    each, ten per sample build, profiled), then once in every process; now it is kept in the build cache."""
    from pubkit import cache

    key = cache.key("profile-stream", hashlib.sha256(profile).hexdigest(), zlib.ZLIB_RUNTIME_VERSION)
    return cache.remembered_bytes("profiles", key, lambda: zlib.compress(profile))


def make_pdfx(pdf_bytes: bytes, intent: OutputIntent, *, title: str, author: str, language: str,
              created: dt.datetime, extra_info: dict[str, str] | None = None) -> bytes:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        profile = pikepdf.Stream(pdf, _compressed(intent.profile), Filter=pikepdf.Name.FlateDecode, N=4)
        pdf.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
            OutputConditionIdentifier=pikepdf.String(intent.identifier),
            OutputCondition=pikepdf.String(intent.condition), RegistryName=pikepdf.String(intent.registry),
            Info=pikepdf.String(intent.condition), DestOutputProfile=profile)])
        pdf.Root.Lang = pikepdf.String(language)
        stamp = _pdf_date(created)
        info = {"/Title": title, "/Author": author, "/Creator": "pubkit", "/Producer": "pubkit (ReportLab, pikepdf)",
                "/CreationDate": stamp, "/ModDate": stamp, "/GTS_PDFXVersion": PDFX_VERSION,
                **{f"/{key}": value for key, value in (extra_info or {}).items()}}
        pdf.docinfo = pdf.make_indirect(pikepdf.Dictionary({k: pikepdf.String(v) for k, v in info.items()}))
        pdf.docinfo.Trapped = pikepdf.Name("/False")
        # the first 2 KB's hex digits and the length (hex() of the whole file made a string twice its size)
        document_id = uuid.uuid5(uuid.NAMESPACE_URL, "pubkit:" + pdf_bytes[:2048].hex() + str(len(pdf_bytes)))
        pdf.Root.Metadata = pdf.make_stream(_xmp(title=title, author=author, producer=info["/Producer"],
                                                 date=created.isoformat(), document_id=f"uuid:{document_id}"),
                                            Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
        _split_to_unicode_blocks(pdf)
        out = io.BytesIO()
        # streams are copied as ReportLab compressed them: qpdf's compress_streams took 0.43 s per edition;
        # the XMP is kept as written, not re-serialised by pikepdf
        pdf.save(out, min_version="1.6", deterministic_id=True, compress_streams=False,
                 stream_decode_level=pikepdf.StreamDecodeLevel.none,
                 object_stream_mode=pikepdf.ObjectStreamMode.preserve, fix_metadata_version=False)
        return out.getvalue()
