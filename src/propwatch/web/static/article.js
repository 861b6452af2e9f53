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
  let current = null;

  marks.forEach(function (mark) {
    mark.spanIds = mark.dataset.spans.split(" ").map(Number);
    mark.removeAttribute("title"); // the richer tooltip below replaces the plain one
    mark.setAttribute("aria-describedby", "tip");
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
  function paint(mark, visible) {
    mark.visible = visible;
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
      paint(mark, mark.spanIds.filter(function (i) { return show[i]; }).map(function (i) { return spans[i]; }));
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
    if (current && current.visible.length === 0) hideTip();
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
    const box = mark.getClientRects()[0] || mark.getBoundingClientRect();
    const left = Math.min(window.scrollX + box.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8);
    tip.style.left = Math.max(window.scrollX + 8, left) + "px";
    tip.style.top = window.scrollY + box.bottom + 6 + "px";
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
  slider.addEventListener("input", apply);
  document.querySelectorAll('input[name="voice"]').forEach(function (radio) {
    radio.addEventListener("change", apply);
  });
  document.getElementById("controls").hidden = false;
  apply();
})();
