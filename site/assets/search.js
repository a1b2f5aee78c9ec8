/* Offline search over window.OVERENS_SEARCH_INDEX (assigned by search-index.<lang>.js).
   No network: the index arrives as a script, which works from file:// too. */
(function () {
  "use strict";
  var index = window.OVERENS_SEARCH_INDEX || [];
  var form = document.querySelector("[data-search]");
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!form || !input || !status || !list) return;

  /* å, ä and ö are letters of their own: a query that uses them must match them.
     A query typed without them (on a keyboard that lacks them) also finds words with them. */
  var special = /[åäöæø]/;
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/æ/g, "a").replace(/ø/g, "o");
  }
  function exact(s) {
    return s.toLowerCase().normalize("NFC");
  }
  function prepare(record) {
    var fields = {
      title: exact(record.title), summary: exact(record.summary), text: exact(record.text)
    };
    return {
      record: record, exact: fields,
      folded: { title: fold(fields.title), summary: fold(fields.summary), text: fold(fields.text) }
    };
  }
  var docs = index.map(prepare);

  function terms(query) {
    return exact(query).split(/[^\p{L}\p{N}]+/u).filter(function (t) { return t.length > 0; });
  }

  function score(doc, words) {
    var total = 0;
    for (var i = 0; i < words.length; i++) {
      var w = words[i];
      var fields = special.test(w) ? doc.exact : doc.folded;
      var needle = special.test(w) ? w : fold(w);
      var s = 0;
      if (fields.title.indexOf(needle) >= 0) s += 100;
      if (fields.summary.indexOf(needle) >= 0) s += 10;
      if (fields.text.indexOf(needle) >= 0) s += 1;
      if (s === 0) return 0;
      total += s;
    }
    return total;
  }

  /* A snippet of the body around the first match, with the match in <mark>, built as DOM nodes. */
  function snippet(doc, words) {
    var source = doc.record.text || doc.record.summary || "";
    var haystack = fold(source.toLowerCase());
    var w = words[0];
    var needle = fold(w);
    var at = special.test(w) ? source.toLowerCase().indexOf(w) : haystack.indexOf(needle);
    var fragment = document.createDocumentFragment();
    if (at < 0) {
      fragment.appendChild(document.createTextNode(doc.record.summary || source.slice(0, 160)));
      return fragment;
    }
    var start = Math.max(0, at - 70), end = Math.min(source.length, at + needle.length + 90);
    fragment.appendChild(document.createTextNode((start > 0 ? "… " : "") + source.slice(start, at)));
    var mark = document.createElement("mark");
    mark.textContent = source.slice(at, at + needle.length);
    fragment.appendChild(mark);
    fragment.appendChild(document.createTextNode(source.slice(at + needle.length, end) + (end < source.length ? " …" : "")));
    return fragment;
  }

  function announce(count) {
    var text = count === 0 ? input.getAttribute("data-no-results")
      : count === 1 ? input.getAttribute("data-results-one")
      : input.getAttribute("data-results-many").replace("{n}", String(count));
    status.textContent = text;
  }

  function run() {
    var query = input.value.trim();
    list.textContent = "";
    if (query.length < 2) { status.textContent = ""; return; }
    var words = terms(query);
    var hits = [];
    for (var i = 0; i < docs.length; i++) {
      var s = score(docs[i], words);
      if (s > 0) hits.push({ doc: docs[i], score: s, order: i });
    }
    hits.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    hits.slice(0, 50).forEach(function (hit) {
      var r = hit.doc.record;
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = r.url;
      a.textContent = r.title;
      var other = r.lang && r.lang !== document.documentElement.lang;
      if (other) a.lang = r.lang;
      var h = document.createElement("h2");
      h.appendChild(a);
      var section = document.createElement("p");
      section.className = "section";
      section.textContent = r.section;
      var p = document.createElement("p");
      p.appendChild(snippet(hit.doc, words));
      if (other) p.lang = r.lang;
      li.appendChild(h); li.appendChild(section); li.appendChild(p);
      list.appendChild(li);
    });
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
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) { input.value = params.get("q"); run(); }
})();
