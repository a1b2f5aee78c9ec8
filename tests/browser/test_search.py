"""Offline search, used by keyboard only, from file://."""
import json
import pathlib
import re
import shutil
import unicodedata
from urllib.parse import urlparse, unquote

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import SEARCH_PAGE, set_width
from test_axe import RUN_AXE, TAGS

SEARCH = {lang: SEARCH_PAGE[lang] for lang in ("sv", "en") if lang in SEARCH_PAGE}
# A query with å/ä/ö and the same typed on a keyboard without them: same pages.
QUERIES = {
    "sv": [("överenskommelse", "overenskommelse"), ("välfärd", "valfard")],
    "en": [("Skåne", "Skane")],
}
NO_HIT = "qzxjvwq"


def search_index(site, lang):
    """The language's search index, written under a name with its hash:
    assets/search-index.<lang>.<hash>.js."""
    found = [p for p in (site / "assets").glob("search-index.%s.*.js" % lang)
             if re.fullmatch(r"search-index\.%s\.[0-9a-f]{10}\.js" % lang, p.name)]
    assert len(found) == 1, "one fingerprinted %s search index in assets/: %s" % (lang, found)
    return found[0]


def queries(site, lang):
    """QUERIES where the site's index has them; for other content, the most frequent word
    with å, ä or ö whose spelling without them occurs nowhere else (so both find the same)."""
    raw = search_index(site, lang).read_text(encoding="utf-8")
    index = json.loads(raw[raw.index("=") + 1:].strip().rstrip(";"))
    corpus = " ".join("%s %s %s" % (r.get("title", ""), r.get("summary", ""), r.get("text", ""))
                      for r in index)
    own, base = fold(corpus, True), fold(corpus, False)
    chosen = [(w, wo) for w, wo in QUERIES.get(lang, []) if fold(w, True) in own]
    if not chosen:
        counts = {}
        for word in re.findall(r"\w*[åäö]\w*", own):
            counts[word] = counts.get(word, 0) + 1
        for word, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            if len(word) >= 4 and base.count(fold(word, False)) == own.count(word):
                chosen = [(word, fold(word, False))]
                break
    if not chosen:
        pytest.skip("no word with å, ä or ö in the %s search index" % lang)
    return chosen


def press(driver, *keys):
    """Type into whatever has focus, like a keyboard."""
    for key in keys:
        driver.switch_to.active_element.send_keys(key)


def active_id(driver):
    return driver.execute_script("return document.activeElement && document.activeElement.id")


def focus_search_by_keyboard(driver):
    """From the top of the page: Tab to the skip link, Enter to jump to <main>, Tab into
    the form. Fall back to plain Tabs if the skip link does not lead there."""
    driver.execute_script("window.scrollTo(0, 0); document.activeElement && document.activeElement.blur()")
    press(driver, Keys.TAB)
    first = driver.switch_to.active_element
    assert "skip-link" in (first.get_attribute("class") or ""), \
        "first Tab stop is not the skip link but %s" % first.get_attribute("outerHTML")[:120]
    press(driver, Keys.ENTER)
    for _ in range(3):
        press(driver, Keys.TAB)
        if active_id(driver) == "search-input":
            return
    pytest.fail("Tab after the skip link did not reach the search field (focus on %s)"
                % driver.switch_to.active_element.get_attribute("outerHTML")[:120])


def search(driver, query):
    """Clear the field with the keyboard, type the query, wait for the live region."""
    assert active_id(driver) == "search-input"
    press(driver, Keys.CONTROL + "a", Keys.DELETE)
    WebDriverWait(driver, 5, poll_frequency=0.05).until(
        lambda d: d.find_element(By.ID, "search-status").text == "")
    press(driver, query)
    WebDriverWait(driver, 5, poll_frequency=0.05).until(
        lambda d: d.find_element(By.ID, "search-status").text.strip() != "")
    status = driver.find_element(By.ID, "search-status")
    links = driver.find_elements(By.CSS_SELECTOR, "#search-results li h2 a")
    return status.text.strip(), [(a.text, a.get_attribute("href")) for a in links]


def strings(driver):
    field = driver.find_element(By.ID, "search-input")
    return {k: field.get_attribute("data-" + k) for k in ("results-one", "results-many", "no-results")}


def fold(text, keep_own_letters):
    """The page's matching rule: å, ä, ö kept when the query has them, else every accent dropped."""
    out = []
    for ch in unicodedata.normalize("NFC", text.lower()):
        if keep_own_letters and ch in "åäöæø":
            out.append(ch)
        else:
            out.append("".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)))
    return "".join(out)


RESULTS = """
return [...document.querySelectorAll('#search-results > li')].map(li => ({
  title: li.querySelector('h2').textContent,
  section: (li.querySelector('.section') || {}).textContent || '',
  marks: [...li.querySelectorAll('mark')].map(m => m.textContent),
  snippet: (li.querySelector('h2 ~ p:last-child') || {}).textContent || ''}));
"""


def check_ranking_and_marks(driver, query):
    """Title matches rank first; each result names its section; its snippet marks the match
    (unless the match is in the title only)."""
    own = any(c in "åäö" for c in query.lower())
    needle = fold(query, own)
    results = driver.execute_script(RESULTS)
    in_title = [needle in fold(r["title"], own) for r in results]
    assert in_title == sorted(in_title, reverse=True), (
        "for %r a result without the word in its title ranks above one with it: %s"
        % (query, [r["title"] for r in results]))
    for r in results:
        assert r["section"].strip(), "result %r names no section" % r["title"]
        if r["marks"]:
            assert all(fold(m, own) == needle for m in r["marks"]), \
                "for %r, %r marks %s" % (query, r["title"], r["marks"])
        else:
            assert needle in fold(r["title"], own) and needle not in fold(r["snippet"], own), \
                "for %r, the snippet of %r marks nothing: %r" % (query, r["title"], r["snippet"])


@pytest.mark.parametrize("lang", sorted(SEARCH))
def test_search_by_keyboard(driver, site, url, lang, axe_source):
    set_width(driver, 1280)
    page = url(SEARCH[lang])
    driver.get(page)
    assert driver.find_element(By.ID, "search-status").get_attribute("role") == "status"
    focus_search_by_keyboard(driver)
    words = strings(driver)

    chosen = queries(site, lang)
    for with_letters, without in chosen:
        status, hits = search(driver, with_letters)
        check_ranking_and_marks(driver, with_letters)
        assert hits, "%r found nothing on %s (status %r)" % (with_letters, SEARCH[lang], status)
        assert all(title.strip() for title, _ in hits), "a result has no title"
        assert status != words["no-results"], "results shown, but the no-results message too"
        count = int(re.search(r"\d+", status).group()) if re.search(r"\d+", status) else 1
        assert count == len(hits) or len(hits) == 50, \
            "status %r does not match %d results" % (status, len(hits))
        expected = words["results-one"] if len(hits) == 1 else words["results-many"].replace("{n}", str(count))
        assert status == expected, "live region says %r, expected %r" % (status, expected)
        for title, href in hits:
            target = pathlib.Path(unquote(urlparse(href).path))
            assert href.startswith("file:") and target.is_file(), \
                "result %r links to %s, which is not a page of the site" % (title, href)

        status2, hits2 = search(driver, without)
        check_ranking_and_marks(driver, without)
        assert sorted(hits2) == sorted(hits), (
            "%r and %r should find the same pages:\n  %s\n  %s"
            % (with_letters, without, [t for t, _ in hits], [t for t, _ in hits2]))
        assert status2 == status

    # The page with results shown passes axe too (highlights, result links).
    driver.execute_script(axe_source)
    result = driver.execute_async_script(RUN_AXE, TAGS)
    assert not result.get("error") and not result["violations"], \
        "axe on the results: %s" % (result.get("error") or [(v["id"], [n["target"] for n in v["nodes"]])
                                                          for v in result["violations"]])

    status, hits = search(driver, NO_HIT)
    assert hits == [], "nonsense query found %s" % hits
    assert status == words["no-results"], "live region says %r for no hits" % status

    # Enter submits the form and stays on the page, results in place.
    status, hits = search(driver, chosen[0][0])
    press(driver, Keys.ENTER)
    WebDriverWait(driver, 5, poll_frequency=0.05).until(
        lambda d: d.find_element(By.ID, "search-status").text.strip() == status)
    assert driver.current_url.split("#")[0] == page, "Enter left the page: %s" % driver.current_url
    assert active_id(driver) == "search-input", "focus left the search field after Enter"
    after = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#search-results li h2 a")]
    assert after == [t for t, _ in hits]


def test_without_javascript(driver, site, url):
    """With JavaScript off the search page says search needs it, hides the useless form and
    links every section list."""
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        for lang, page in sorted(SEARCH.items()):
            driver.get(url(page))
            notes = driver.find_elements(By.ID, "search-no-js")
            assert notes and notes[0].is_displayed() and notes[0].text.strip(), \
                "%s: no visible note (#search-no-js) without JavaScript" % page
            note = notes[0]
            assert "JavaScript" in note.text, "%s: the note does not name JavaScript: %r" % (page, note.text)
            assert not driver.find_element(By.ID, "search-input").is_displayed(), \
                "%s: the search field shows although nothing can run it" % page
            links = driver.find_elements(By.CSS_SELECTOR, "main .search-sections a")
            assert len(links) >= 2, "%s: no section lists linked" % page
            for a in links:
                assert a.is_displayed()
                target = pathlib.Path(unquote(urlparse(a.get_attribute("href")).path))
                assert target.is_file() and target.name == "index.html", \
                    "%s: %r links %s, not a section list" % (page, a.text, target)
    finally:
        driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
    driver.get(url(SEARCH["sv"]))
    assert not driver.find_element(By.ID, "search-no-js").is_displayed(), \
        "with JavaScript the note still shows"
    assert driver.find_element(By.ID, "search-input").is_displayed()


# A made-up index that pins down how search.js matches, ranks, marks and escapes.
SYNTHETIC = [
    {"title": "Om ara", "section": "Sida", "summary": "", "lang": "sv", "url": "index.html",
     "text": "Ett mal att nå. Här står idéburen utan accent i rubriken."},
    {"title": "Mål för året", "section": "Mål", "summary": "Ett mål.", "lang": "sv", "url": "index.html",
     "text": "Målet är ära."},
    {"title": "Tabell och fotnot", "section": "Sida", "summary": "", "lang": "sv", "url": "index.html",
     "text": "Före tabellen[^1].\n\n| Part | Roll |\n| --- | --- |\n| Kommunen | Bär zebrafisk |\n\n[^1]: En fotnot.\n"},
    {"title": "Kod", "section": "Sida", "summary": "", "lang": "sv", "url": "index.html",
     "text": "Text med <img src=x onerror=window.HACKED=1> och <b>fetstil</b> zebrafisk."},
] + [{"title": "Sida %d" % i, "section": "Sida", "summary": "", "lang": "sv", "url": "index.html",
      "text": "Ordet blandning står här, nummer %d." % i} for i in range(60)]


@pytest.fixture(scope="module")
def synthetic_site(site, tmp_path_factory):
    copy = tmp_path_factory.mktemp("synthetic") / "site"
    shutil.copytree(site, copy)
    index = search_index(copy, "sv")
    index.write_text("window.OVERENS_SEARCH_INDEX = %s;\n" % json.dumps(SYNTHETIC, ensure_ascii=False),
                     encoding="utf-8")
    return copy


def titles_for(driver, query):
    field = driver.find_element(By.ID, "search-input")
    field.send_keys(Keys.CONTROL + "a", Keys.DELETE)
    WebDriverWait(driver, 5, poll_frequency=0.05).until(
        lambda d: d.find_element(By.ID, "search-status").text == "")
    field.send_keys(query)
    WebDriverWait(driver, 5, poll_frequency=0.05).until(
        lambda d: d.find_element(By.ID, "search-status").text.strip() != "")
    return [r["title"] for r in driver.execute_script(RESULTS)], driver.execute_script(RESULTS)


def test_search_rules(driver, synthetic_site):
    set_width(driver, 1280)
    driver.get((synthetic_site / "sok.html").as_uri())
    # å, ä and ö are letters of their own: "mål" does not find "mal", "ära" not "ara".
    titles, _ = titles_for(driver, "mål")
    assert titles == ["Mål för året"], titles
    titles, _ = titles_for(driver, "ära")
    assert titles == ["Mål för året"], titles
    # Typed without them, a word finds both spellings; the title match ranks first.
    titles, _ = titles_for(driver, "mal")
    assert titles == ["Mål för året", "Om ara"], titles
    titles, _ = titles_for(driver, "ara")
    assert titles == ["Om ara", "Mål för året"], titles
    # Other accents are folded either way.
    titles, results = titles_for(driver, "ideburen")
    assert titles == ["Om ara"] and results[0]["marks"] == ["idéburen"], results
    # Markdown leftovers do not show; the match inside a table row is marked.
    titles, results = titles_for(driver, "zebrafisk")
    assert set(titles) == {"Tabell och fotnot", "Kod"}, titles
    table = [r for r in results if r["title"] == "Tabell och fotnot"][0]
    assert "[^1]" not in table["snippet"] and "---" not in table["snippet"] and "|" not in table["snippet"], table
    assert table["marks"] == ["zebrafisk"], table
    # Text from the index is text: no element is made from it, nothing runs.
    code = [r for r in results if r["title"] == "Kod"][0]
    assert "<img" in code["snippet"], code
    assert not driver.find_elements(By.CSS_SELECTOR, "#search-results img, #search-results b")
    assert not driver.execute_script("return window.HACKED || false")
    # Many hits: the live region counts them all, at most 50 are listed.
    titles, _ = titles_for(driver, "blandning")
    status = driver.find_element(By.ID, "search-status").text
    assert len(titles) == 50 and "60" in status, (len(titles), status)
