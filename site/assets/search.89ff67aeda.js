/* Offline search over window.OVERENS_SEARCH_INDEX (assigned by search-index.<lang>.js).
   No network: the index arrives as a script, which works from file:// too.

   Swedish-aware matching: å, ä and ö are letters of their own, so a query word written
   with them matches only words with them ("ära" does not find "ara"). A query word typed
   without them (on a keyboard that lacks them) is compared with every letter folded to its
   base, so "overenskommelse" finds "överenskommelse". Other accents (é in "idéburen")
   are always folded. */
(function () {
  "use strict";
  var index = window.OVERENS_SEARCH_INDEX || [];
  var form = document.querySelector("[data-search]");
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!form || !input || !status || !list) return;

  var OWN_LETTERS = /[åäöæø]/;
  var MARKS = /[\u0300-\u036f]/g;
  var MAX_SHOWN = 50;

  /* Two foldings of one character: "sv" keeps å, ä, ö (and æ, ø) and drops other accents;
     "base" drops every accent. Cached: a site has few distinct characters. */
  var cache = { sv: Object.create(null), base: Object.create(null) };
  function foldChar(ch, kind) {
    var hit = cache[kind][ch];
    if (hit !== undefined) return hit;
    var lower = ch.toLowerCase().normalize("NFC");
    var out;
    if (kind === "sv" && OWN_LETTERS.test(lower)) out = lower;
    else if (lower === "æ") out = "ae";
    else if (lower === "ø") out = "o";
    else out = lower.normalize("NFD").replace(MARKS, "");
    cache[kind][ch] = out;
    return out;
  }
  /* Folds a string and keeps, for each folded UTF-16 unit, the offset of the source
     character it came from, so a match in the folded text can be marked in the source. */
  function fold(source, kind) {
    var text = "", map = [], offset = 0;
    for (var ch of source) {
      var f = foldChar(ch, kind);
      for (var k = 0; k < f.length; k++) map.push(offset);
      text += f;
      offset += ch.length;
    }
    map.push(offset);
    return { text: text, map: map };
  }
  function foldText(s, kind) { return fold(s, kind).text; }

  /* The index holds Markdown rendered as plain text: drop footnote markers and table
     rules, turn table rows into running text. */
  function clean(s) {
    return (s || "").normalize("NFC")
      .replace(/\[\^[^\]\s]+\]:?/g, "")
      .replace(/^[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$/gm, "")
      .replace(/^[ \t]*\|(.*?)\|?[ \t]*$/gm, function (_, row) {
        return row.split("|").map(function (c) { return c.trim(); }).filter(Boolean).join(" · ") + ".";
      })
      .replace(/\s+/g, " ")
      .trim();
  }

  var FIELDS = ["title", "summary", "text"];
  var docs = index.map(function (record, order) {
    var doc = { record: record, order: order, source: {}, sv: {}, base: {} };
    FIELDS.forEach(function (f) {
      var s = f === "text" ? clean(record[f]) : (record[f] || "").normalize("NFC");
      doc.source[f] = s;
      doc.sv[f] = foldText(s, "sv");
      doc.base[f] = foldText(s, "base");
    });
    return doc;
  });

  /* Query words: letters, combining marks and digits; each knows how it must be compared. */
  function terms(query) {
    return query.normalize("NFC").toLowerCase().split(/[^\p{L}\p{M}\p{N}]+/u)
      .filter(function (w) { return w.length > 0; })
      .map(function (w) {
        var kind = OWN_LETTERS.test(w) ? "sv" : "base";
        return { kind: kind, needle: foldText(w, kind) };
      });
  }

  function startsWord(text, at) {
    return at === 0 || !/[\p{L}\p{N}]/u.test(text.charAt(at - 1));
  }

  /* Every word must occur somewhere. A title match outweighs any number of matches in the
     summary and body, so title matches rank first; a match at the start of a word counts
     a little more than one inside a word. */
  function score(doc, words) {
    var total = 0;
    for (var i = 0; i < words.length; i++) {
      var w = words[i], fields = doc[w.kind], s = 0;
      var weights = { title: 1000, summary: 20, text: 2 };
      for (var f in weights) {
        var at = fields[f].indexOf(w.needle);
        if (at >= 0) s += weights[f] + (startsWord(fields[f], at) ? weights[f] / 2 : 0);
      }
      if (s === 0) return 0;
      total += s;
    }
    return total;
  }

  /* Ranges [start, end) in `source` where any of the words occurs. */
  function matches(source, words) {
    var ranges = [], folded = {};
    words.forEach(function (w) {
      var f = folded[w.kind] || (folded[w.kind] = fold(source, w.kind));
      var from = 0, at;
      while (w.needle && (at = f.text.indexOf(w.needle, from)) >= 0) {
        ranges.push([f.map[at], f.map[at + w.needle.length]]);
        from = at + w.needle.length;
      }
    });
    ranges.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    return merged;
  }

  /* About 160 characters of the body (or summary) around the first match, cut at word
     boundaries, every match in it marked. Built as DOM nodes, never as HTML. */
  var BEFORE = 60, LENGTH = 170;
  function snippet(doc, words) {
    var fragment = document.createDocumentFragment();
    var source = doc.source.text, ranges = matches(source, words);
    if (!ranges.length) { source = doc.source.summary; ranges = matches(source, words); }
    if (!ranges.length) source = doc.source.summary || doc.source.text;
    var start = 0, end = Math.min(source.length, LENGTH);
    if (ranges.length) {
      start = Math.max(0, ranges[0][0] - BEFORE);
      end = Math.min(source.length, start + LENGTH);
      if (end === source.length) start = Math.max(0, end - LENGTH);
    }
    if (start > 0) {
      var space = source.indexOf(" ", start);
      start = space >= 0 && (!ranges.length || space < ranges[0][0]) ? space + 1 : start;
    }
    if (end < source.length) {
      var back = source.lastIndexOf(" ", end);
      if (back > start && (!ranges.length || back >= ranges[0][1])) end = back;
    }
    if (start > 0) fragment.appendChild(document.createTextNode("… "));
    var at = start;
    ranges.forEach(function (r) {
      var a = Math.max(r[0], start), b = Math.min(r[1], end);
      if (a >= b) return;
      fragment.appendChild(document.createTextNode(source.slice(at, a)));
      var mark = document.createElement("mark");
      mark.textContent = source.slice(a, b);
      fragment.appendChild(mark);
      at = b;
    });
    fragment.appendChild(document.createTextNode(source.slice(at, end) + (end < source.length ? " …" : "")));
    return fragment;
  }

  function announce(count) {
    status.textContent = count === 0 ? input.getAttribute("data-no-results")
      : count === 1 ? input.getAttribute("data-results-one")
      : input.getAttribute("data-results-many").replace("{n}", String(count));
  }

  var pageLang = document.documentElement.lang;
  function render(hit, words) {
    var r = hit.doc.record;
    var li = document.createElement("li");
    var h = document.createElement("h2");
    var a = document.createElement("a");
    a.href = r.url;
    a.textContent = r.title;
    var other = r.lang && r.lang !== pageLang;
    if (other) a.lang = r.lang;
    h.appendChild(a);
    var section = document.createElement("p");
    section.className = "section";
    section.textContent = r.section;
    var p = document.createElement("p");
    p.className = "snippet";
    p.appendChild(snippet(hit.doc, words));
    if (other) p.lang = r.lang;
    li.appendChild(h); li.appendChild(section); li.appendChild(p);
    return li;
  }

  var shownQuery = null;
  function run() {
    var query = input.value.trim();
    if (query === shownQuery) return;
    shownQuery = query;
    list.textContent = "";
    var words = terms(query);
    if (query.length < 2 || !words.length) { status.textContent = ""; return; }
    var hits = [];
    for (var i = 0; i < docs.length; i++) {
      var s = score(docs[i], words);
      if (s > 0) hits.push({ doc: docs[i], score: s });
    }
    hits.sort(function (a, b) { return b.score - a.score || a.doc.order - b.doc.order; });
    var items = document.createDocumentFragment();
    hits.slice(0, MAX_SHOWN).forEach(function (hit) { items.appendChild(render(hit, words)); });
    list.appendChild(items);
    announce(hits.length);
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });

  /* The page says search needs JavaScript and hides the form until this script runs. */
  form.hidden = false;
  var fallback = document.getElementById("search-no-js");
  if (fallback) fallback.hidden = true;

  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) { input.value = params.get("q"); run(); }
})();
