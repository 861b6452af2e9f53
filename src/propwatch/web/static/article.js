// propwatch article view: confidence slider, voice filter and span details, all without a round
// trip. The server has already rendered every span (the page works without this script); here we
// only repaint the pieces of text when the filters change. Text is only ever set with textContent.
(function () {
  "use strict";
  const dataNode = document.getElementById("pw-data");
  if (!dataNode) return;
  const data = JSON.parse(dataNode.textContent);
  const spans = data.spans;
  const techniques = data.techniques;
  const marks = Array.from(document.querySelectorAll("#article-text mark.hl"));
  const slider = document.getElementById("threshold");
  const sliderValue = document.getElementById("threshold-value");
  const shown = document.getElementById("shown");
  const tip = document.getElementById("tip");
  const legendItems = Array.from(document.querySelectorAll("#legend li"));
  const legendEmpty = document.getElementById("legend-empty");
  const authorCount = document.getElementById("author-count");
  const voiceItems = Array.from(document.querySelectorAll("#voices li[data-start]"));
  let current = null;

  const lastMark = {};
  marks.forEach(function (mark, n) {
    mark.spanIds = mark.dataset.spans.split(" ").map(Number);
    mark.spanIds.forEach(function (i) { lastMark[i] = n; });
    mark.removeAttribute("title"); // the richer tooltip below replaces the plain one
    mark.setAttribute("aria-describedby", "tip");
  });
  // A span's tag goes after its last piece, as view.pieces() puts it.
  marks.forEach(function (mark, n) {
    mark.endingIds = mark.spanIds.filter(function (i) { return lastMark[i] === n; });
  });

  function voiceFilter() {
    const checked = document.querySelector('input[name="voice"]:checked');
    return checked ? checked.value : "all";
  }

  function isShown(span, threshold, voice) {
    if (span.score < threshold) return false;
    if (voice === "author") return span.speaker === null;
    if (voice === "quoted") return span.speaker !== null;
    return true;
  }

  // Same rule as view.paint(): innermost span colours the background, one bar per span.
  function paint(mark, visible, show) {
    mark.visible = visible;
    const tags = mark.endingIds.filter(function (i) { return show[i]; }).map(function (i) {
      return techniques[spans[i].technique].tag;
    });
    if (tags.length) mark.dataset.tag = tags.join(" "); else delete mark.dataset.tag;
    if (visible.length === 0) {
      mark.classList.add("off");
      mark.style.backgroundColor = "";
      mark.style.boxShadow = "";
      mark.removeAttribute("tabindex");
      return;
    }
    const ordered = visible.slice().sort(function (a, b) { return (a.end - a.start) - (b.end - b.start); });
    mark.classList.remove("off");
    mark.tabIndex = 0;
    mark.style.backgroundColor = techniques[ordered[0].technique].colour + "33";
    mark.style.boxShadow = ordered.map(function (s, depth) {
      return "inset 0 -" + 3 * (depth + 1) + "px 0 " + techniques[s.technique].colour;
    }).join(", ");
  }

  function apply() {
    const threshold = Number(slider.value);
    const voice = voiceFilter();
    sliderValue.textContent = threshold.toFixed(2);
    const show = spans.map(function (s) { return isShown(s, threshold, voice); });
    marks.forEach(function (mark) {
      paint(mark, mark.spanIds.filter(function (i) { return show[i]; }).map(function (i) { return spans[i]; }), show);
    });
    const counts = {};
    let total = 0;
    spans.forEach(function (s, i) {
      if (!show[i]) return;
      counts[s.technique] = (counts[s.technique] || 0) + 1;
      total += 1;
    });
    legendItems.forEach(function (li) {
      const count = counts[li.dataset.technique] || 0;
      li.hidden = count === 0;
      li.querySelector(".count").textContent = String(count);
    });
    shown.textContent = total + " of " + spans.length + " spans shown";
    if (legendEmpty) legendEmpty.hidden = total > 0;
    countVoices(show);
    if (current && current.visible.length === 0) hideTip();
  }

  // The "who said what" counts follow the filters: spans shown in the author's voice, and
  // spans shown inside each quotation.
  function countVoices(show) {
    if (authorCount) {
      authorCount.textContent = String(spans.filter(function (s, i) { return show[i] && s.speaker === null; }).length);
    }
    voiceItems.forEach(function (li) {
      const start = Number(li.dataset.start);
      const end = Number(li.dataset.end);
      const n = spans.filter(function (s, i) { return show[i] && s.start >= start && s.end <= end; }).length;
      const count = li.querySelector(".span-count");
      if (count) count.textContent = n + (n === 1 ? " span" : " spans");
    });
  }

  function voiceText(speaker) {
    return speaker === null ? "author" : "quoted: " + speaker;
  }

  function showTip(mark) {
    if (!mark.visible || mark.visible.length === 0) return;
    current = mark;
    tip.replaceChildren();
    mark.visible.forEach(function (s) {
      const t = techniques[s.technique];
      const row = document.createElement("div");
      row.className = "row";
      const head = document.createElement("div");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.backgroundColor = t.colour;
      const name = document.createElement("strong");
      name.textContent = t.short;
      head.append(swatch, name, document.createTextNode(" · score " + s.score.toFixed(2) + " · " + voiceText(s.speaker)));
      const def = document.createElement("p");
      def.className = "def";
      def.textContent = t.definition;
      row.append(head, def);
      tip.append(row);
    });
    tip.hidden = false;
    place(mark);
  }

  // Above the span's first line when there is room (the reader has read what it covers), else
  // below its last line; never past the window's edges.
  function place(mark) {
    const rects = mark.getClientRects();
    const first = rects[0] || mark.getBoundingClientRect();
    const last = rects[rects.length - 1] || first;
    const width = document.documentElement.clientWidth;
    const left = Math.max(8, Math.min(first.left, width - tip.offsetWidth - 8));
    const above = first.top - tip.offsetHeight - 6;
    const top = above >= 0 ? above : last.bottom + 6;
    tip.style.left = window.scrollX + left + "px";
    tip.style.top = window.scrollY + top + "px";
  }

  function hideTip() {
    tip.hidden = true;
    current = null;
  }

  marks.forEach(function (mark) {
    mark.addEventListener("mouseenter", function () { showTip(mark); });
    mark.addEventListener("mouseleave", hideTip);
    mark.addEventListener("focus", function () { showTip(mark); });
    mark.addEventListener("blur", hideTip);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hideTip();
  });
  window.addEventListener("resize", function () {
    if (current) place(current);
  });
  slider.addEventListener("input", apply);
  document.querySelectorAll('input[name="voice"]').forEach(function (radio) {
    radio.addEventListener("change", apply);
  });
  document.getElementById("controls").hidden = false;
  apply();
})();
