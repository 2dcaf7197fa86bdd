"""HTML to tagged PDF (PDF/UA-1) with WeasyPrint. The only module that imports weasyprint, and
only inside functions, so starting the web server or a management command stays fast.

The renderer never touches the network and never reads a file outside the app's own static
files: `StaticOnlyFetcher` serves `data:` URIs and files under the static directories and
refuses everything else (http, https, ftp, file: paths elsewhere). User text reaches templates
autoescaped, so markup typed into an answer is printed as text and never fetched at all.
"""

from __future__ import annotations

import functools
import mimetypes
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string

from assessments.reports import tagging

PRINT_CSS = "css/print.css"


class RefusedFetch(ValueError):
    """A URL the report renderer will not fetch. WeasyPrint logs it and leaves the resource out."""


def static_roots() -> list[Path]:
    roots = []
    for entry in settings.STATICFILES_DIRS:
        path = entry[1] if isinstance(entry, (tuple, list)) else entry
        roots.append(Path(path).resolve())
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def static_path(relative: str) -> Path:
    for root in static_roots():
        candidate = root / relative
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(relative)


@functools.cache
def _fetcher_class():
    from weasyprint import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        """Serves data: URIs and files under the static roots; records every request."""

        def __init__(self, roots: list[Path]):
            super().__init__(allowed_protocols=("data", "file"))
            self.roots = roots
            self.requested: list[str] = []
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            self.requested.append(url)
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlsplit(url).path)).resolve()
                if path.is_file() and any(path.is_relative_to(root) for root in self.roots):
                    from weasyprint.urls import URLFetcherResponse

                    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
            self.refused.append(url)
            raise RefusedFetch(f"The report renderer only reads the app's static files, not {url}")

    return StaticOnlyFetcher


def make_fetcher():
    return _fetcher_class()(static_roots())


@functools.cache
def print_stylesheet():
    """The print stylesheet, parsed once per process and reused by every render."""
    from weasyprint import CSS

    path = static_path(PRINT_CSS)
    return CSS(filename=str(path), url_fetcher=make_fetcher(), base_url=path.parent.as_uri() + "/")


@dataclass
class RenderResult:
    pdf: bytes
    pages: int
    seconds: float
    fetcher: object = field(repr=False, default=None)
    steps: dict[str, float] = field(default_factory=dict)  # seconds per step, where measured


def render_html(template_name: str, context: dict, *, preview: bool = False) -> str:
    """The report's HTML. `preview` adds a <link> to the print stylesheet for browsers;
    the PDF renderer instead passes the pre-parsed stylesheet itself."""
    return render_to_string(template_name, {**context, "preview": preview})


@functools.cache
def _remember_page_references() -> bool:
    """Make `pydyf.PDF.page_references` build its tuple once per page count, not on every read.

    pydyf (0.13) rebuilds the tuple of every page's reference each time the property is read,
    and WeasyPrint's PDF/UA tagging reads it once per structure element, so tagging grows with
    pages x elements: about a tenth of a 100-page report's time went there. Pages are only
    ever appended while a PDF is built, so the page count is enough to know the tuple is
    current. If a later pydyf changes the attribute, this leaves it alone."""
    import pydyf

    built = pydyf.PDF.__dict__.get("page_references")
    if not isinstance(built, property) or built.fget is None:
        return False
    build = built.fget

    def page_references(pdf):
        count = len(pdf.pages["Kids"])
        remembered = pdf.__dict__.get("_chiia_page_references")
        if remembered is None or remembered[0] != count:
            remembered = (count, build(pdf))
            pdf.__dict__["_chiia_page_references"] = remembered
        return remembered[1]

    pydyf.PDF.page_references = property(page_references, doc=built.__doc__)
    return True


def render_pdf_result(
    template_name: str,
    context: dict,
    *,
    fetcher=None,
    prepare=None,
    tagged: bool = True,
    html: str | None = None,
) -> RenderResult:
    """Render a report. `prepare(document)` may adjust the laid-out document before it is
    written (stitch.py adds the anchors a part links to in other parts). An untagged render
    (`tagged=False`) is only for the page furniture laid under a stitched report as an artifact."""
    from weasyprint import HTML

    _remember_page_references()
    started = time.perf_counter()
    if html is None:
        html = render_html(template_name, context)
    fetcher = fetcher or make_fetcher()
    base = static_roots()[0].as_uri() + "/"
    options = {"pdf_variant": "pdf/ua-1", "pdf_tags": True} if tagged else {}
    document = HTML(string=html, base_url=base, url_fetcher=fetcher).render(
        stylesheets=[print_stylesheet()], **options
    )
    if prepare is not None:
        prepare(document)
    pdf = document.write_pdf(**options)
    if tagged:
        pdf = tagging.finish(pdf, tagging.split_chains(document))
    return RenderResult(
        pdf=pdf, pages=len(document.pages), seconds=time.perf_counter() - started, fetcher=fetcher
    )


def render_pdf(template_name: str, context: dict, *, fetcher=None) -> bytes:
    return render_pdf_result(template_name, context, fetcher=fetcher).pdf
