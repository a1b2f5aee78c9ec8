"""Offline search, used by keyboard only, from file://."""
import pathlib
import re
from urllib.parse import urlparse, unquote

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import set_width
from test_axe import RUN_AXE, TAGS

SEARCH = {"sv": "sok.html", "en": "en/search.html"}
# A query with å/ä/ö and the same typed on a keyboard without them: same pages.
QUERIES = {
    "sv": [("överenskommelse", "overenskommelse"), ("välfärd", "valfard")],
    "en": [("Skåne", "Skane")],
}
NO_HIT = "qzxjvwq"


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


@pytest.mark.parametrize("lang", sorted(SEARCH))
def test_search_by_keyboard(driver, url, lang, axe_source):
    set_width(driver, 1280)
    page = url(SEARCH[lang])
    driver.get(page)
    assert driver.find_element(By.ID, "search-status").get_attribute("role") == "status"
    focus_search_by_keyboard(driver)
    words = strings(driver)

    for with_letters, without in QUERIES[lang]:
        status, hits = search(driver, with_letters)
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
    status, hits = search(driver, QUERIES[lang][0][0])
    press(driver, Keys.ENTER)
    WebDriverWait(driver, 5, poll_frequency=0.05).until(
        lambda d: d.find_element(By.ID, "search-status").text.strip() == status)
    assert driver.current_url.split("#")[0] == page, "Enter left the page: %s" % driver.current_url
    assert active_id(driver) == "search-input", "focus left the search field after Enter"
    after = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#search-results li h2 a")]
    assert after == [t for t, _ in hits]
