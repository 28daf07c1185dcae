"""Publishing without leaking: the private folders' own page, the page not found, robots.txt, the sitemap,
each page's title, description and icon, absolute addresses from base_url, and the GitHub Pages workflow."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import urllib.request
import xml.etree.ElementTree as ElementTree
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import yaml

from builder import wording
from builder.page_meta import DESCRIPTION_LENGTH
from tests.browsing import serve_site
from tests.conftest import REPO, SECRET, Run, copy_shipped, edit
from tests.test_site import target_of

BASE_URL = "https://club.example/rehab/"
"""The base_url of the mini fixture and of the shipped project."""
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PRIVATE = ("athletes/", "staff/")
WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"


class Head(HTMLParser):
    """A page's title, its meta tags by name, its icon, and every address it links or loads."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.title = ""
        self.meta: dict[str, str] = {}
        self.icons: list[str] = []
        self.addresses: list[str] = []
        self._in_title = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        self._in_title = tag == "title" and not self.title  # the page's, not an SVG chart's
        if tag == "meta" and "name" in found:
            self.meta[found["name"]] = found.get("content", "")
        if tag == "link" and found.get("rel") == "icon":
            self.icons.append(found["href"])
        for key in ("href", "src"):
            if key in found:
                self.addresses.append(found[key])

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def heads(site: Path) -> dict[str, Head]:
    return {path.relative_to(site).as_posix(): Head(path.read_text()) for path in sorted(site.rglob("*.html"))}


def secret_folders(site: Path) -> list[str]:
    """The secret folder names under athletes/ and staff/ (the 26 characters of each token)."""
    names = [folder.name for private in PRIVATE for folder in (site / private).iterdir() if folder.is_dir()]
    assert names and all(re.fullmatch(r"[a-z2-7]{26}", name) for name in names), names
    return names


def public_pages(site: Path) -> set[str]:
    """Every page a search engine may list: the home page, and every program, session and drill page."""
    return {"index.html"} | {
        path.relative_to(site).as_posix()
        for folder in ("programs", "drills")
        for path in (site / folder).rglob("*.html")
    }


def build(run: Run, project: Path, out: Path) -> Path:
    result = run("build", "-q", "-f", project, "-o", out)
    assert result.exit_code == 0, result.output
    return out


# --- the private folders' own page ------------------------------------------------


def test_the_private_folders_have_a_page_that_lists_none_of_their_addresses(
    mini_site: Path, shipped_site: Path
) -> None:
    for site in (mini_site, shipped_site):
        tokens = secret_folders(site)
        for private in PRIVATE:
            html = (site / private / "index.html").read_text()
            assert not [token for token in tokens if token in html], f"{private}index.html names a private address"
            head = Head(html)
            assert "noindex" in head.meta["robots"] and head.meta["referrer"] == "no-referrer"
            assert head.meta["description"] == wording.PRIVATE_DESCRIPTION
            assert wording.PRIVATE_FOLDER_TEXT.replace("'", "&#39;") in html


def test_a_server_that_lists_folders_shows_the_private_folders_page_instead(shipped_site: Path, tmp_path: Path) -> None:
    """Python's own http.server (as in the README's quick look at a site) lists a folder without an index.html."""
    tokens = secret_folders(shipped_site)
    with serve_site(shipped_site) as address:
        for private in PRIVATE:
            with urllib.request.urlopen(address + private) as response:
                html = response.read().decode()
            assert wording.PRIVATE_FOLDER_TITLE in html
            assert not [token for token in tokens if token in html], f"{private} is listed"
    # Not a hollow check: a folder without its page is listed, every secret folder name in it.
    bare = tmp_path / "bare"
    shutil.copytree(shipped_site, bare)
    (bare / "athletes" / "index.html").unlink()
    with serve_site(bare) as address, urllib.request.urlopen(address + "athletes/") as response:
        listing = response.read().decode()
    assert all(token in listing for token in tokens if (bare / "athletes" / token).is_dir())


def test_every_private_page_says_noindex_and_no_referrer_and_no_public_page_does(
    run: Run, mini: Path, tmp_path: Path, shipped_site: Path
) -> None:
    # An athlete whose old address is kept in its grace period: its "moved" page is private too.
    edit(mini, '    session_time: "18:00"\n', '    session_time: "18:00"\n    link_key: 1\n    old_link_keys: [0]\n')
    mini_site = build(run, mini, tmp_path / "site")
    for site in (mini_site, shipped_site):
        pages = heads(site)
        private = [name for name in pages if name.startswith(PRIVATE)]
        assert {"athletes/index.html", "staff/index.html"} < set(private) and len(private) >= 5
        for name, head in pages.items():
            if name.startswith(PRIVATE) or name == "404.html":
                assert "noindex" in head.meta.get("robots", ""), name
                assert head.meta.get("referrer") == "no-referrer", name
                assert head.meta["description"] == wording.PRIVATE_DESCRIPTION or name == "404.html", name
            else:
                assert "robots" not in head.meta and "referrer" not in head.meta, f"{name} hides from search engines"
    moved = [name for name in heads(mini_site) if heads(mini_site)[name].title.startswith(wording.MOVED_TITLE)]
    assert len(moved) == 1 and moved[0].startswith("athletes/")


# --- the page not found -------------------------------------------------------------


def not_found_links(site: Path, asked: str) -> list[Path]:
    """The files the page not found's links and assets open, when a host serves it for the address `asked`."""
    head = Head((site / "404.html").read_text())
    assert head.addresses
    path = urlsplit(BASE_URL).path
    files = []
    for address in head.addresses:
        opened = urlsplit(urljoin(asked, address))
        assert opened.netloc == urlsplit(asked).netloc, address
        assert opened.path.startswith(path), f"{address} leaves the site when 404.html is served for {asked}"
        file = site / opened.path[len(path) :]
        files.append(file / "index.html" if opened.path.endswith("/") else file)
    return files


def test_the_page_not_found_links_work_from_any_depth(mini_site: Path) -> None:
    for asked in (BASE_URL + "nothing", BASE_URL + "programs/adductor/sessions/typo/", BASE_URL + "athletes/x/y/"):
        for file in not_found_links(mini_site, asked):
            assert file.is_file(), f"404.html served for {asked}: {file} is missing"
    head = Head((mini_site / "404.html").read_text())
    assert head.title.startswith(wording.NOT_FOUND_TITLE) and head.meta["description"]
    assert "/rehab/static/style.css" in head.addresses and "/rehab/static/favicon.svg" in head.icons


def test_without_a_base_url_the_page_not_found_links_from_the_host_root(run: Run, mini: Path, tmp_path: Path) -> None:
    edit(mini, f"  base_url: {BASE_URL}\n", "")
    site = build(run, mini, tmp_path / "site")
    head = Head((site / "404.html").read_text())
    assert "/static/style.css" in head.addresses
    for address in head.addresses:
        assert address.startswith("/") and not address.startswith("//"), address
        url = urldefrag(address).url
        file = site / url.lstrip("/")
        assert (file / "index.html" if url.endswith("/") else file).is_file(), address


# --- robots.txt and the sitemap ------------------------------------------------------


def sitemap_pages(site: Path) -> list[str]:
    root = ElementTree.fromstring((site / "sitemap.xml").read_bytes())
    assert root.tag == f"{SITEMAP_NS}urlset"
    locations = [url.findtext(f"{SITEMAP_NS}loc") or "" for url in root.iter(f"{SITEMAP_NS}url")]
    pages = []
    for location in locations:
        assert location.startswith(BASE_URL), location
        relative = location.removeprefix(BASE_URL)
        assert relative == "" or relative.endswith("/"), location
        pages.append(relative + "index.html")
    return pages


def test_the_sitemap_lists_every_public_page_and_nothing_private(mini_site: Path, shipped_site: Path) -> None:
    for site in (mini_site, shipped_site):
        pages = sitemap_pages(site)
        assert len(pages) == len(set(pages))
        assert set(pages) == public_pages(site)
        assert all((site / page).is_file() for page in pages)
        assert not [page for page in pages if page.startswith(PRIVATE) or page == "404.html"]
        text = (site / "sitemap.xml").read_text()
        assert not [token for token in secret_folders(site) if token in text]
    assert len(sitemap_pages(shipped_site)) > 200  # every session page of both programs


def test_robots_txt_closes_the_private_folders_and_names_no_private_address(
    mini_site: Path, shipped_site: Path
) -> None:
    for site in (mini_site, shipped_site):
        text = (site / "robots.txt").read_text()
        rules = [line for line in text.splitlines() if line and not line.startswith("#")]
        assert rules == [
            "User-agent: *",
            "Disallow: /rehab/athletes/",
            "Disallow: /rehab/staff/",
            f"Sitemap: {BASE_URL}sitemap.xml",
        ]
        assert not [token for token in secret_folders(site) if token in text]


def test_without_a_base_url_there_is_no_sitemap_and_robots_txt_says_why(run: Run, mini: Path, tmp_path: Path) -> None:
    edit(mini, f"  base_url: {BASE_URL}\n", "")
    site = build(run, mini, tmp_path / "site")
    assert not (site / "sitemap.xml").exists()
    text = (site / "robots.txt").read_text()
    assert "Disallow: /athletes/\nDisallow: /staff/\n" in text and "Sitemap:" not in text
    assert wording.ROBOTS_NO_SITEMAP in text


def test_the_new_files_are_the_builds_own_and_go_when_they_are_no_longer_made(
    run: Run, mini: Path, tmp_path: Path
) -> None:
    """A rebuild replaces the site only while it holds the files a build wrote: these are listed like any page."""
    site = build(run, mini, tmp_path / "site")
    assert (site / "sitemap.xml").is_file()
    edit(mini, f"  base_url: {BASE_URL}\n", "")
    build(run, mini, site)
    assert not (site / "sitemap.xml").exists() and (site / "robots.txt").is_file()


# --- titles, descriptions, the icon ----------------------------------------------------


def test_every_page_has_a_title_a_description_and_the_icon(mini_site: Path, shipped_site: Path) -> None:
    for site in (mini_site, shipped_site):
        title = Head((site / "index.html").read_text()).title.rsplit(" · ", 1)[-1]
        for name, head in heads(site).items():
            assert head.title.endswith(" · " + title) and len(head.title) > len(title) + 3, name
            description = head.meta.get("description", "")
            assert description.strip() and len(description) <= DESCRIPTION_LENGTH, f"{name}: {description!r}"
            assert not re.search(r"[*_`<>\[\]]|\s\s", description), f"{name}: marks in {description!r}"
            [icon] = head.icons
            if name != "404.html":  # its links start from the site's path (above)
                target, _ = target_of(site, name, icon)
                assert target == site / "static" / "favicon.svg" and target.is_file(), name


def test_public_pages_have_titles_of_their_own(mini_site: Path, shipped_site: Path) -> None:
    """Tabs, bookmarks and search results tell pages apart: a session page names its phase, week and variant."""
    for site in (mini_site, shipped_site):
        pages = heads(site)
        titles = Counter(pages[name].title for name in public_pages(site))
        assert not [title for title, count in titles.items() if count > 1]
    variant = heads(shipped_site)[
        "programs/hamstring/sessions/protect-and-technique/l-protocol/grade-2c-pain-2/week-1/index.html"
    ]
    assert "week 1, grade 2c, pain up to 2/10" in variant.title


def test_descriptions_come_from_the_pages_own_data(run: Run, mini: Path, tmp_path: Path) -> None:
    program = mini.parent / "programs" / "adductor.yaml"
    edit(program, "A short **test** protocol.", "A short **test** protocol, see [the source](https://example.org/).")
    drill = mini.parent / "programs" / "drills" / "strides.md"
    edit(drill, "category:", "purpose: Opens up the stride before faster running.\ncategory:")
    site = build(run, mini, tmp_path / "site")
    pages = heads(site)
    assert pages["programs/adductor/index.html"].meta["description"] == (
        "A short test protocol, see the source."  # the summary's first sentence, its marks and address taken off
    )
    assert pages["drills/strides/index.html"].meta["description"] == "Opens up the stride before faster running."
    assert pages["drills/copenhagen/index.html"].meta["description"] == "Side plank with the top leg on a bench."
    assert pages["index.html"].meta["description"] == wording.HOME_DESCRIPTION
    session = next(name for name in pages if name.startswith("programs/adductor/sessions/"))
    assert "pain allowed up to 3/10" in pages[session].meta["description"]


def test_a_long_first_sentence_is_cut_at_a_word(run: Run, mini: Path, tmp_path: Path) -> None:
    long = " ".join(["strength"] * 40)
    edit(mini.parent / "programs" / "adductor.yaml", "A short **test** protocol.", f"A short {long} protocol.")
    site = build(run, mini, tmp_path / "site")
    description = Head((site / "programs/adductor/index.html").read_text()).meta["description"]
    assert len(description) <= DESCRIPTION_LENGTH and description.endswith("strength…")


# --- absolute addresses -------------------------------------------------------------


def test_every_absolute_address_of_the_site_starts_with_base_url(shipped_site: Path) -> None:
    """Pages, feeds, robots.txt and the sitemap: an address on the site's host is always under base_url."""
    host = urlsplit(BASE_URL).netloc
    found = 0
    for file in shipped_site.rglob("*"):
        if file.suffix not in (".html", ".ics", ".xml", ".txt"):
            continue
        text = file.read_text().replace("\r\n ", "")  # feeds fold long lines
        for address in re.findall(rf"(?:https?|webcal)://{re.escape(host)}[^\s\"'<>\\]*", text):
            found += 1
            assert re.sub(r"^webcal://", "https://", address).startswith(BASE_URL), f"{file.name}: {address}"
    assert found > 100


# --- the GitHub Pages workflow ------------------------------------------------------------


def workflow() -> dict[Any, Any]:
    loaded = yaml.safe_load(WORKFLOW.read_text())
    assert isinstance(loaded, dict)
    return loaded


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job["steps"])


def test_the_workflow_builds_with_the_secret_and_publishes_with_the_pages_actions() -> None:
    flow = workflow()
    triggers = flow["on"] if "on" in flow else flow[True]  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"] and triggers["schedule"][0]["cron"]
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    used = [step["uses"].split("@")[0] for job in (build, deploy) for step in steps(job) if "uses" in step]
    assert used == ["actions/checkout", "actions/setup-python", "actions/upload-pages-artifact", "actions/deploy-pages"]
    [building] = [step for step in steps(build) if "sprintback build" in step.get("run", "")]
    assert building["env"] == {"SPRINTBACK_SECRET": "${{ secrets.SPRINTBACK_SECRET }}"}
    assert "--today" in building["run"] and "--strict" in building["run"]
    [upload] = [step for step in steps(build) if step.get("uses", "").startswith("actions/upload-pages-artifact")]
    output = yaml.safe_load((REPO / "sprintback.yaml").read_text())["site"].get("output", "site")
    assert upload["with"]["path"] == output
    assert deploy["needs"] == "build" and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"


def test_the_workflows_build_step_builds_the_shipped_project_as_ci_does(tmp_path: Path) -> None:
    """Its command, run by bash in a git clone of the project with CI set, makes the folder it uploads."""
    project = copy_shipped(tmp_path / "project").parent
    for command in (["init", "-q"], ["add", "-A"], ["-c", "user.name=T", "-c", "user.email=t@t", "commit", "-qm", "x"]):
        subprocess.run(["git", *command], cwd=project, check=True)
    [building] = [step for step in steps(workflow()["jobs"]["build"]) if "sprintback build" in step.get("run", "")]
    sprintback = f'sprintback() {{ PYTHONPATH="{REPO}" "{sys.executable}" -m builder "$@"; }}\n'
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", sprintback + building["run"]],
        cwd=project,
        env={"PATH": "/usr/bin:/bin", "CI": "true", "SPRINTBACK_SECRET": SECRET, "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (project / "site" / "index.html").is_file() and (project / "site" / "404.html").is_file()
    # In CI without the secret, the same step stops instead of making a key that would move every address.
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", sprintback + building["run"]],
        cwd=project,
        env={"PATH": "/usr/bin:/bin", "CI": "true", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and not (project / ".sprintback-secret").exists()


def test_the_readme_points_to_the_workflow_and_says_what_is_exposed() -> None:
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("## Publishing the site") : readme.index("## Development")]
    assert "(.github/workflows/pages.yml)" in section and "`SPRINTBACK_SECRET`" in section
    assert "health data" in section and "keep the repository private" in section
    assert "`sprintback rotate ATHLETE`" in section
