"""The render stage, for crawlers: `robots.txt` and `sitemap.xml`.

Both name only public pages and the two folders of the private ones (`athletes/`,
`staff/`), never a private address. The sitemap needs absolute addresses, so it is made
only with the site's `base_url`.
"""

from __future__ import annotations

import functools
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from builder import wording
from builder.links import Output

PRIVATE_FOLDERS = ("athletes/", "staff/")
"""The folders that hold every private page, each under a secret folder name of its own."""
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"


def site_path(base_url: str | None) -> str:
    """The path the site is served under on its host: `/rehab/` for `https://club.example/rehab/`, else `/`."""
    return urlsplit(base_url).path or "/" if base_url else "/"


def render_crawlers(public: list[str], base_url: str | None) -> list[Output]:
    """robots.txt, and with `base_url` the sitemap of the `public` pages (paths of their index.html in the site)."""
    outputs: list[Output] = [(ROBOTS, functools.partial(_robots, base_url))]
    if base_url:
        outputs.append((SITEMAP, functools.partial(_sitemap, public, base_url)))
    return outputs


def _robots(base_url: str | None) -> bytes:
    """Crawlers read robots.txt only at a host's root: under a sub-path, its lines go in the host's own."""
    path = site_path(base_url)
    lines = [wording.ROBOTS_HEAD, "User-agent: *\n"]
    lines += [f"Disallow: {path}{folder}\n" for folder in PRIVATE_FOLDERS]
    lines.append(f"\nSitemap: {base_url}{SITEMAP}\n" if base_url else f"\n{wording.ROBOTS_NO_SITEMAP}")
    return "".join(lines).encode()


def _sitemap(public: list[str], base_url: str) -> bytes:
    """The sitemaps.org format: each page's folder address (`…/programs/calf/`), as its links give it."""
    urls = "".join(f"  <url><loc>{escape(base_url + page.removesuffix('index.html'))}</loc></url>\n" for page in public)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}</urlset>\n"
    ).encode()
