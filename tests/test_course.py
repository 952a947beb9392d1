"""The course: one path through the navigation, and as long as the README says.

Reading time is the words of a page (its prose and its code; not its quiz's JSON, its
HTML comments or its front matter) at 200 words a minute, the pace the learner's review
measured the site at (86,500 words, 7 hours).
"""

import re
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS_A_MINUTE = 200
CLAIM = re.compile(
    r"The course \(`docs/start/`, (?P<lessons>\d+) pages\) takes about (?P<course>[\d.]+) "
    r"hours to read; the whole site, about (?P<site>[\d.]+) hours"
)
QUIZ = re.compile(r"^```quiz\n.*?^```\n", re.MULTILINE | re.DOTALL)
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def words(page: Path) -> int:
    text = COMMENT.sub("", QUIZ.sub("", page.read_text(encoding="utf-8")))
    return len(re.findall(r"[A-Za-z0-9_]+", text))


def hours(pages: list[Path]) -> float:
    return sum(words(page) for page in pages) / WORDS_A_MINUTE / 60


def test_the_readme_says_how_long_the_course_and_the_site_take_to_read():
    claim = CLAIM.search(" ".join((ROOT / "README.md").read_text(encoding="utf-8").split()))
    assert claim, "the README does not say how long the course and the site take to read"
    course = sorted((ROOT / "docs" / "start").glob("*.md"))
    site = sorted((ROOT / "docs").glob("**/*.md"))
    print(f"course: {len(course)} pages, {hours(course):.2f} h; site: {hours(site):.2f} h")
    assert int(claim["lessons"]) == len(course) <= 12
    assert abs(float(claim["course"]) - hours(course)) <= 0.25
    assert abs(float(claim["site"]) - hours(site)) <= 0.5
    assert hours(course) <= 2.5, "the course is no longer a short path"


def course_in_navigation() -> list[str]:
    """The pages of mkdocs.yml's "Start here" section, in order."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    section = text.split("  - Start here:\n", 1)[1].split("\n  - ", 1)[0]
    return re.findall(r"^      - (start/\S+\.md)$", section, re.MULTILINE)


def test_the_course_is_one_path_in_the_navigation_each_lesson_pointing_to_the_next():
    lessons = course_in_navigation()
    on_disk = sorted(
        p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs" / "start").glob("*.md")
    )
    assert sorted(lessons) == on_disk, "a lesson is missing from the navigation, or one too many"
    home = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    assert "(start/index.md)" in home, "the home page does not lead to the course"
    for lesson, following in pairwise(lessons):
        text = (ROOT / "docs" / lesson).read_text(encoding="utf-8")
        [after] = re.findall(r"^Next: \[[^\]]+\]\(([^)]+)\)", text, re.MULTILINE)
        assert after == following.removeprefix("start/"), f"{lesson} leads to {after}"
