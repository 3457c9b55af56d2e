"""Images and files in editors' notes and pages: the site's own only, described, sized and loaded
lazily; a file a browser would run as part of the site never published."""

import re
import shutil
import struct
import zlib

from conftest import ROOT, build, write
from test_content import make_site

from tasks import checks

NOTE = "content/notes/2025-03-02-london-summit.md"
PAGE = "content/pages/about.md"


def png(width, height):
    """A valid PNG of that size."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def append(path, text):
    with open(path, "a", encoding="utf-8") as f:
        f.write(text)


def sample_with_files(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    (tmp_path / "content/images/front.png").write_bytes(png(30, 20))
    (tmp_path / "content/files").mkdir()
    (tmp_path / "content/files/statement.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    return tmp_path / "content"


def images_of(page):
    return re.findall(r"<img [^>]*>", page.read_text(encoding="utf-8"))


def test_notes_and_pages_show_the_sites_images_described_sized_and_lazy(tmp_path):
    content = sample_with_files(tmp_path)
    append(
        content.parent / NOTE,
        "\n![The front line in March](../images/front.png)\n\n"
        "The [statement](../files/statement.pdf), [attached]({attach}../files/statement.pdf)"
        " and [from the root]({static}/files/statement.pdf).\n",
    )
    append(content.parent / PAGE, '\n<img src="{static}/images/front.png" alt="The front line">\n')
    site = build(content, tmp_path / "output")
    briefing = site / "briefings/2025/03/02/index.html"
    assert (
        '<img src="../../../../images/front.png" alt="The front line in March" width="30" height="20"'
        ' loading="lazy" decoding="async">'
    ) in images_of(briefing)
    text = briefing.read_text(encoding="utf-8")
    assert text.count('href="../../../../files/statement.pdf"') == 3
    assert (site / "files/statement.pdf").read_bytes() == b"%PDF-1.4\n%%EOF\n"
    assert (site / "images/front.png").read_bytes() == png(30, 20)
    (page,) = images_of(site / "about-and-methodology/index.html")
    assert 'src="../images/front.png"' in page and 'width="30" height="20"' in page
    # The sample's own diagram, an SVG, gets the size its file states.
    (diagram,) = [i for i in images_of(briefing) if "london-summit" in i]
    assert 'width="640" height="200"' in diagram and 'alt="A diagram of the London summit' in diagram


def test_an_extra_file_goes_where_extra_path_metadata_says(tmp_path):
    content = sample_with_files(tmp_path)
    write(tmp_path, {"content/extra/keybase.txt": "proof\n"})
    site = build(
        content,
        tmp_path / "output",
        STATIC_PATHS=["images", "files", "extra/keybase.txt"],
        EXTRA_PATH_METADATA={"extra/keybase.txt": {"path": "keybase.txt"}},
    )
    assert (site / "keybase.txt").read_text(encoding="utf-8") == "proof\n"


def site_with(tmp_path, files, binary=None):
    config = make_site(tmp_path, files)
    config["STATIC_PATHS"] = ["images", "files"]
    for name, data in (binary or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    return config


def problems(config):
    return [str(p).split(";")[0] for p in checks.run(config)[0]]


def test_each_image_that_is_not_the_sites_own_or_not_described_is_a_problem_at_its_line(tmp_path):
    note = (
        "---\ndate: 2025-03-03\ntitle: Maps\n---\n"
        "Intro.\n\n"
        "![](../images/map.png)\n\n"  # line 7
        "![A tracker](https://evil.test/pixel.png)\n\n"  # line 9
        "![A map](../images/missing.png)\n\n"  # line 11
        '<img src="//evil.test/x.png" alt="x">\n'  # line 13
        '<img src="/images/map.png" alt="from the host\'s root">\n'  # line 14
        "![A map](images/map.png)\n"  # line 15: from the note's own folder
    )
    config = site_with(tmp_path, {"content/notes/maps.md": note}, {"content/images/map.png": png(4, 3)})
    assert problems(config) == [
        "content/notes/maps.md:7: this image has no alt text",
        "content/notes/maps.md:9: 'https://evil.test/pixel.png' is not a file of this site",
        "content/notes/maps.md:11: there is no file images/missing.png among the site's static files",
        "content/notes/maps.md:13: '//evil.test/x.png' is not a file of this site",
        "content/notes/maps.md:14: '/images/map.png' is not a file of this site",
        "content/notes/maps.md:15: there is no file notes/images/map.png among the site's static files",
    ]


def test_a_pages_image_without_alt_text_is_a_problem_at_its_line(tmp_path):
    page = "Title: Maps\n\nIntro.\n\n![](../images/map.png)\n"
    config = site_with(tmp_path, {"content/pages/maps.md": page}, {"content/images/map.png": png(4, 3)})
    assert problems(config) == ["content/pages/maps.md:5: this image has no alt text"]


def test_files_a_browser_would_run_as_the_site_are_refused(tmp_path):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">\n{}\n</svg>\n'
    binary = {
        "content/images/fine.svg": svg.format('<rect width="10" height="10" fill="url(#g)"/>').encode(),
        "content/images/script.svg": svg.format("<script>alert(1)</script>").encode(),
        "content/images/handler.svg": svg.format('<rect onclick="alert(1)"/>').encode(),
        "content/images/page.svg": svg.format("<foreignObject><p>hi</p></foreignObject>").encode(),
        "content/images/remote.svg": svg.format('<image href="https://evil.test/x.png"/>').encode(),
        "content/images/bomb.svg": b'<?xml version="1.0"?>\n<!DOCTYPE s [<!ENTITY a "aaaa">]>\n<svg>&a;</svg>\n',
        "content/files/page.html": b"<script>alert(1)</script>",
        "content/files/statement.pdf": b"%PDF-1.4\n",
    }
    config = site_with(tmp_path, {}, binary | {"content/extra/tracker.js": b"alert(1)"})
    config["STATIC_PATHS"] += ["extra/tracker.js"]  # one file named alone is checked too
    found = problems(config)
    assert found == [
        "content/images/bomb.svg:2: this SVG declares an entity, which can make a small file enormous",
        "content/images/handler.svg:2: this SVG has an event handler (onclick), which a browser runs",
        "content/images/page.svg:2: this SVG has a <foreignObject> element, which a browser runs",
        "content/images/remote.svg:2: this SVG links to 'https://evil.test/x.png': it may only refer to its"
        " own parts (#id)",
        "content/images/script.svg:2: this SVG has a <script> element, which a browser runs",
        "content/files/page.html: a browser would open or run this file as part of the site, so it is not"
        " published",
        "content/extra/tracker.js: a browser would open or run this file as part of the site, so it is not"
        " published",
    ]


def test_an_editors_image_keeps_no_handler_and_inline_svg_goes(tmp_path):
    content = sample_with_files(tmp_path)
    hostile = (
        '\n<img src="../images/front.png" alt="Front" onerror="alert(1)" onload="alert(2)" style="x">\n'
        '<svg onload="alert(3)"><script>alert(4)</script></svg>\n'
    )
    append(content.parent / NOTE, hostile)
    append(content.parent / PAGE, hostile.replace("../images", "{static}/images"))
    site = build(content, tmp_path / "output")
    for page in ("briefings/2025/03/02/index.html", "about-and-methodology/index.html"):
        text = (site / page).read_text(encoding="utf-8")
        assert "alert(" not in text and "<svg" not in text and "style=" not in text, page
        assert any('alt="Front"' in i for i in images_of(site / page))
