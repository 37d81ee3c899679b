"""Make a ReportLab PDF a PDF/X-4 file: output intent, PDF/X keys, XMP, fixed dates and IDs.

ReportLab writes none of these, so the finished PDF is post-processed with pikepdf. The
output is reproducible: dates come from the caller (``SOURCE_DATE_EPOCH`` or the spec's
edition date), and document IDs are derived from the content.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zlib
from dataclasses import dataclass

PDFX_VERSION = "PDF/X-4"


@dataclass(frozen=True)
class OutputIntent:
    """The printing condition the file is made for, with its ICC profile."""

    profile: bytes
    identifier: str = "FOGRA39"
    condition: str = "Offset printing, coated paper (ISO 12647-2:2004), FOGRA39"
    registry: str = "http://www.color.org"


def _pdf_date(when: dt.datetime) -> str:
    return when.strftime("D:%Y%m%d%H%M%SZ")


def make_pdfx(pdf_bytes: bytes, intent: OutputIntent, *, title: str, author: str, language: str,
              created: dt.datetime, extra_info: dict[str, str] | None = None) -> bytes:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        profile = pikepdf.Stream(pdf, zlib.compress(intent.profile), Filter=pikepdf.Name.FlateDecode, N=4)
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
        document_id = uuid.uuid5(uuid.NAMESPACE_URL, "pubkit:" + pdf_bytes.hex()[:4096] + str(len(pdf_bytes)))
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            xmp["dc:title"] = title
            xmp["dc:creator"] = [author]
            xmp["pdf:Producer"] = info["/Producer"]
            xmp["pdf:Trapped"] = "False"
            xmp["xmp:CreatorTool"] = "pubkit"
            xmp["xmp:CreateDate"] = created.isoformat()
            xmp["xmp:ModifyDate"] = created.isoformat()
            xmp["xmp:MetadataDate"] = created.isoformat()
            xmp["xmpMM:DocumentID"] = f"uuid:{document_id}"
            xmp["xmpMM:InstanceID"] = f"uuid:{document_id}"
            xmp["xmpMM:VersionID"] = "1"
            xmp["xmpMM:RenditionClass"] = "default"
            xmp["pdfxid:GTS_PDFXVersion"] = PDFX_VERSION
        out = io.BytesIO()
        # streams are copied as ReportLab compressed them: qpdf's compress_streams took 0.43 s per edition
        pdf.save(out, min_version="1.6", deterministic_id=True, compress_streams=False,
                 stream_decode_level=pikepdf.StreamDecodeLevel.none,
                 object_stream_mode=pikepdf.ObjectStreamMode.preserve)
        return out.getvalue()
