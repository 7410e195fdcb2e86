// The report works without this script: every dispatch and cluster is a native
// <details>, written in chunks of rows inside <noscript>. With script on, the
// browser keeps that markup as plain text, and this script builds a chunk's rows
// when the chunk comes near the screen, and a row's body when it is opened.
// It reads only the grammar dedup writes (<tag name="value">, </tag>, text with
// &amp; &lt; &gt; &#34; &#39;) into whitelisted elements and attributes made
// with createElement, and text nodes: never an HTML parser, never innerHTML.
// Then: a filter box, kind chips, sorting, keys, side-by-side views.
(function () {
  "use strict";
  var doc = document;
  var filter = doc.getElementById("filter");
  var shown = doc.getElementById("shown");
  var list = doc.getElementById("dispatch-list");

  function all(selector, root) {
    return Array.prototype.slice.call((root || doc).querySelectorAll(selector));
  }

  // --- Building elements from the markup dedup writes. ---
  var TAGS = {
    p: 1, a: 1, span: 1, b: 1, ins: 1, del: 1, ol: 1, ul: 1, li: 1, div: 1, button: 1,
    details: 1, summary: 1
  };
  var ATTRIBUTES = /^(class|id|title|value|type|hidden|open|href|data-[a-z]+|aria-expanded)$/;
  var TOKEN = /<(\/?)([a-z]+)((?: [a-z-]+="[^"<>]*")*)>|([^<]+)/g;
  var ATTRIBUTE = / ([a-z-]+)="([^"<>]*)"/g;
  var ESCAPES = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&#34;": "\"", "&#39;": "'" };
  function unescape(text) {
    return text.replace(/&(?:amp|lt|gt|#34|#39);/g, function (e) { return ESCAPES[e]; });
  }
  function attributes(text) {
    var found = {};
    text.replace(ATTRIBUTE, function (whole, name, value) {
      found[name] = unescape(value);
      return whole;
    });
    return found;
  }
  function plain(markup) {
    return unescape(markup.replace(/<[^>]*>/g, " "));
  }
  // Elements for ``markup``; the content of a <div class="body"> is kept as
  // markup on the element (``pending``) and built when its row is opened.
  function build(markup) {
    var root = doc.createDocumentFragment(), open = [root], match;
    var re = new RegExp(TOKEN.source, "g");
    while ((match = re.exec(markup)) !== null) {
      var parent = open[open.length - 1];
      if (match[4] !== undefined) {
        parent.appendChild(doc.createTextNode(unescape(match[4])));
        continue;
      }
      if (match[1]) {
        if (open.length > 1) open.pop();
        continue;
      }
      var attrs = attributes(match[3]);
      var el = doc.createElement(TAGS.hasOwnProperty(match[2]) ? match[2] : "span");
      Object.keys(attrs).forEach(function (name) {
        var value = attrs[name];
        if (ATTRIBUTES.test(name) && (name !== "href" || value.charAt(0) === "#")) {
          el.setAttribute(name, value);
        }
      });
      parent.appendChild(el);
      if (match[2] === "div" && attrs["class"] === "body") {
        var start = re.lastIndex, depth = 1, inner;
        while (depth > 0 && (inner = re.exec(markup)) !== null) {
          if (inner[2] === "div") depth += inner[1] ? -1 : 1;
        }
        el.pending = markup.slice(start, inner ? inner.index : markup.length);
        continue;
      }
      open.push(el);
    }
    return root;
  }
  // The top-level elements of ``markup``: their tag's attributes and their markup.
  function split(markup) {
    var rows = [], depth = 0, start = 0, attrs = null, match;
    var re = new RegExp(TOKEN.source, "g");
    while ((match = re.exec(markup)) !== null) {
      if (match[4] !== undefined) continue;
      if (match[1]) {
        depth -= 1;
        if (depth === 0) rows.push({ attrs: attrs, markup: markup.slice(start, re.lastIndex) });
      } else {
        if (depth === 0) {
          start = match.index;
          attrs = attributes(match[3]);
        }
        depth += 1;
      }
    }
    return rows;
  }

  // --- Rows, built in chunks near the screen and dropped far from it; bodies when opened. ---
  var HEIGHTS = { dispatches: 2.9, clusters: 4.3, "quiet-list": 1.9 };  // rem per row, a guess
  var BUILT_AT_ONCE = 400;  // rows: a report this small is built whole, once
  var chunks = all(".chunk");
  var printing = false;
  // A chunk's rows as markup: read once from its <noscript>, which then goes (one copy).
  function markup(chunk) {
    if (chunk.markup === undefined) {
      var source = chunk.querySelector(":scope > noscript");
      chunk.markup = source.textContent;
      source.remove();
    }
    return chunk.markup;
  }
  function estimate(chunk, rows) {
    var height = HEIGHTS[chunk.parentElement.className] || 3;
    chunk.style.minHeight = rows * height + "rem";
  }
  function fill(chunk) {
    if (chunk.built) return false;
    var rows = build(markup(chunk));
    chunk.textContent = "";
    chunk.appendChild(rows);
    chunk.built = true;
    chunk.style.minHeight = "";
    all(":scope > *", chunk).forEach(function (row) {
      row.hidden = Boolean(shownIds && !shownIds[row.id]);
    });
    all("details[open]", chunk).forEach(render);
    return true;
  }
  // Back to markup (all of a large report's rows would take more memory than the
  // page should): only rows nobody opened, focused or looked at side by side.
  function drop(chunk) {
    if (!chunk.built || printing || chunk.querySelector("details[open]") ||
        chunk.contains(doc.activeElement)) return;
    chunk.style.minHeight = chunk.getBoundingClientRect().height + "px";
    chunk.textContent = "";
    chunk.built = false;
  }
  function render(details) {
    var body = details && details.querySelector(":scope > .body");
    if (!body || body.pending === undefined) return false;
    body.appendChild(build(body.pending));
    body.pending = undefined;
    if (!details.classList.contains("k-boilerplate")) {
      var source = body.querySelector(".member.source .where a");
      all(".member.copy .where", body).forEach(function (where) {
        var button = doc.createElement("button");
        button.type = "button";
        button.className = "sides";
        button.textContent = "side by side";
        button.setAttribute("aria-expanded", "false");
        button.setAttribute("data-source", source.getAttribute("href").slice(1));
        button.setAttribute("data-copy", where.querySelector("a").getAttribute("href").slice(1));
        where.appendChild(button);
      });
    }
    return true;
  }
  var total = chunks.reduce(function (sum, c) { return sum + Number(c.getAttribute("data-rows")); }, 0);
  var observer = null;
  if (total <= BUILT_AT_ONCE || !("IntersectionObserver" in window)) {
    chunks.forEach(fill);
  } else {
    observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) fill(entry.target); else drop(entry.target);
      });
    }, { rootMargin: "1000px 0px" });
    chunks.forEach(function (chunk) {
      estimate(chunk, Number(chunk.getAttribute("data-rows")));
      observer.observe(chunk);
    });
  }
  doc.addEventListener("toggle", function (event) {
    if (event.target.open) render(event.target);
  }, true);

  // The element with this id, building the chunk and body that hold it if need be.
  function find(id) {
    var el = doc.getElementById(id);
    if (!el) {
      var needle = "id=\"" + id + "\"";
      chunks.some(function (chunk) {
        return !chunk.built && markup(chunk).indexOf(needle) >= 0 && fill(chunk);
      });
      el = doc.getElementById(id);
    }
    var row = /^(d\d+)p\d+$/.exec(id);
    if (!el && row) {
      render(doc.getElementById(row[1]));
      el = doc.getElementById(id);
    }
    return el;
  }
  function reveal(id) {
    var target = id && find(id);
    if (!target) return;
    for (var el = target; el; el = el.parentElement) {
      if (el.tagName === "DETAILS" && !el.open) el.open = true;
      if (el.hidden) el.hidden = false;
    }
    target.scrollIntoView({ block: "start" });
  }
  doc.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
    if (!link) return;
    var id = decodeURIComponent(link.getAttribute("href").slice(1));
    if (!id || !find(id)) return;
    event.preventDefault();
    if (location.hash !== "#" + id) history.pushState(null, "", "#" + id);
    reveal(id);
  });
  window.addEventListener("hashchange", function () {
    reveal(decodeURIComponent(location.hash.slice(1)));
  });
  if (location.hash) reveal(decodeURIComponent(location.hash.slice(1)));

  // --- Filter: words (all must appear), kind:NAME, source:TEXT; kind chips. ---
  // Rows are matched on their markup (summary and body), built or not.
  var items = null, shownIds = null;
  function index() {
    if (items === null) {
      items = [];
      chunks.forEach(function (chunk) {
        split(markup(chunk)).forEach(function (row) {
          var kinds = row.attrs["data-kinds"] || row.attrs["data-kind"] || "";
          items.push({
            chunk: chunk,
            id: row.attrs.id,
            markup: row.markup,  // a slice of the chunk's markup, not a copy
            kinds: kinds.split(" ").filter(Boolean),
            sources: (row.attrs["data-sources"] || "").toLowerCase()
          });
        });
      });
    }
    return items;
  }
  var chips = all(".chip");
  function query() {
    var q = { words: [], kinds: [], sources: [] };
    filter.value.toLowerCase().split(/\s+/).forEach(function (term) {
      if (!term) return;
      if (term.indexOf("kind:") === 0) q.kinds.push(term.slice(5));
      else if (term.indexOf("source:") === 0) q.sources.push(term.slice(7));
      else q.words.push(term);
    });
    q.chosen = chips.filter(function (chip) {
      return chip.getAttribute("aria-pressed") === "true";
    }).map(function (chip) { return chip.getAttribute("data-kind"); });
    q.everyKind = q.chosen.length === chips.length;
    q.active = q.words.length || q.kinds.length || q.sources.length || !q.everyKind;
    return q;
  }
  // Text is made from the markup for each query and let go: a large report's
  // text kept twice (markup and lower case) would cost more than the searching.
  function matches(item, q) {
    if (!(q.sources.every(function (s) { return item.sources.indexOf(s) >= 0; }) &&
      q.kinds.every(function (k) { return item.kinds.indexOf(k) >= 0; }) &&
      (q.everyKind || item.kinds.some(function (k) { return q.chosen.indexOf(k) >= 0; })))) {
      return false;
    }
    if (!q.words.length) return true;
    var text = plain(item.markup).toLowerCase();
    return q.words.every(function (w) { return text.indexOf(w) >= 0; });
  }
  function apply() {
    var q = query(), visible = 0, perChunk = new Map();
    shownIds = q.active ? {} : null;
    index().forEach(function (item) {
      var ok = !q.active || matches(item, q);
      if (!ok) return;
      visible += 1;
      if (shownIds) shownIds[item.id] = true;
      perChunk.set(item.chunk, (perChunk.get(item.chunk) || 0) + 1);
    });
    chunks.forEach(function (chunk) {
      var count = perChunk.get(chunk) || 0;
      chunk.hidden = count === 0;
      if (chunk.built) {
        all(":scope > *", chunk).forEach(function (row) {
          row.hidden = Boolean(shownIds && !shownIds[row.id]);
        });
      } else if (observer) {
        estimate(chunk, count);
      }
    });
    all("details.group").forEach(function (group) {
      group.hidden = Boolean(q.active) && !all(".chunk", group).some(function (c) { return !c.hidden; });
    });
    shown.textContent = q.active ? "showing " + visible + " of " + items.length : "";
  }
  var timer = 0;
  filter.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 150);
  });
  filter.addEventListener("keydown", function (event) {
    if (event.key === "Escape") filter.value = "";
    if (event.key === "Escape" || event.key === "Enter") {
      clearTimeout(timer);
      apply();
    }
  });
  chips.forEach(function (chip) {
    chip.addEventListener("click", function () {
      chip.setAttribute("aria-pressed", chip.getAttribute("aria-pressed") === "true" ? "false" : "true");
      apply();
    });
  });

  // --- Sort dispatches by the share of their text that already ran, or by time. ---
  // Rows are sorted as markup and the chunks built again where they are seen.
  all(".sort button").forEach(function (button) {
    button.addEventListener("click", function () {
      var key = button.getAttribute("data-sort");
      all(".sort button").forEach(function (b) {
        b.setAttribute("aria-pressed", b === button ? "true" : "false");
      });
      var boxes = all(":scope > .chunk", list), rows = [];
      if (!boxes.length) return;
      boxes.forEach(function (box) { rows = rows.concat(split(markup(box))); });
      rows.sort(function (a, b) {
        var order = Number(a.attrs["data-order"]) - Number(b.attrs["data-order"]);
        if (key === "time") return order;
        return Number(b.attrs["data-share"]) - Number(a.attrs["data-share"]) || order;
      });
      var size = Number(boxes[0].getAttribute("data-rows"));
      boxes.forEach(function (box, n) {
        box.markup = rows.slice(n * size, (n + 1) * size).map(function (r) { return r.markup; }).join("");
        box.built = false;
        box.textContent = "";
        if (observer) {
          estimate(box, Number(box.getAttribute("data-rows")));
          observer.unobserve(box);
          observer.observe(box);
        } else {
          fill(box);
        }
      });
      items = null;
      apply();
    });
  });

  // --- Keys: / filter, j/k next or previous dispatch or cluster, o open or close. ---
  function reachable(summary) {
    for (var el = summary.parentElement; el; el = el.parentElement) {
      if (el.hidden || (el !== summary.parentElement && el.tagName === "DETAILS" && !el.open)) {
        return false;
      }
    }
    return true;
  }
  function targets() {
    return all("details.dispatch > summary, details.cluster > summary").filter(reachable);
  }
  function move(step) {
    var found = targets(), current = doc.activeElement, at = found.indexOf(current);
    if (step > 0 && (at < 0 ? !found.length : at === found.length - 1)) {
      // Past the last row built: build the next chunk that is shown.
      var after = chunks.filter(function (chunk) {
        return !chunk.built && !chunk.hidden &&
          (!current || current === doc.body ||
            current.compareDocumentPosition(chunk) & Node.DOCUMENT_POSITION_FOLLOWING);
      });
      if (after.length && fill(after[0])) found = targets();
    }
    if (!found.length) return;
    if (at < 0) {
      at = step > 0 ? -1 : found.length;
      for (var i = 0; i < found.length; i += 1) {
        if (current && current.compareDocumentPosition(found[i]) & Node.DOCUMENT_POSITION_FOLLOWING) {
          at = step > 0 ? i - 1 : i;
          break;
        }
      }
    }
    var next = found[Math.min(found.length - 1, Math.max(0, at + step))];
    next.focus();
    next.scrollIntoView({ block: "nearest" });
  }
  doc.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || tag === "button") return;
    if (event.key === "/") {
      event.preventDefault();
      filter.focus();
    } else if (event.key === "j" || event.key === "k") {
      event.preventDefault();
      move(event.key === "j" ? 1 : -1);
    } else if (event.key === "o" && tag === "summary") {
      var details = event.target.parentElement;
      details.open = !details.open;
    }
  });

  // --- Side by side: source and copy, each between its neighbouring paragraphs. ---
  function paragraph(anchor) {
    var item = anchor && find(anchor);
    var text = item && (item.querySelector(".text") || item.querySelector(".mark"));
    return text ? text.textContent : null;
  }
  function neighbour(anchor, step) {
    var match = /^(d\d+p)(\d+)$/.exec(anchor);
    return match ? match[1] + (Number(match[2]) + step) : "";
  }
  function column(title, anchor, focus) {
    var box = doc.createElement("div");
    var heading = doc.createElement("h4");
    heading.textContent = title;
    box.appendChild(heading);
    [-1, 0, 1].forEach(function (step) {
      var node;
      if (step === 0) {
        node = doc.createElement("div");
        node.className = "focus";
        node.appendChild(focus);
      } else {
        var text = paragraph(neighbour(anchor, step));
        if (text === null) return;
        node = doc.createElement("p");
        node.className = "context";
        node.textContent = text;
      }
      box.appendChild(node);
    });
    return box;
  }
  doc.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.sides") : null;
    if (!button) return;
    var member = button.closest(".member");
    var open = member.querySelector(".sbs");
    button.setAttribute("aria-expanded", open ? "false" : "true");
    if (open) {
      open.remove();
      return;
    }
    var source = button.closest(".body").querySelector(".member.source .text").cloneNode(true);
    var copy = member.querySelector(".text").cloneNode(true);
    var view = doc.createElement("div");
    view.className = "sbs";
    view.appendChild(column("source", button.getAttribute("data-source"), source));
    view.appendChild(column("copy", button.getAttribute("data-copy"), copy));
    member.appendChild(view);
  });

  // --- Printing: what the filter shows, every row and body built. ---
  window.addEventListener("beforeprint", function () {
    printing = true;
    chunks.forEach(function (chunk) { if (!chunk.hidden) fill(chunk); });
    all("details").forEach(function (details) { if (!details.hidden) render(details); });
  });
  window.addEventListener("afterprint", function () { printing = false; });

  doc.getElementById("tools").hidden = false;
  all(".sort").forEach(function (el) { el.hidden = false; });
})();
