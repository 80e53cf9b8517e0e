// Time-lapse replay of a child's drawing from its stored strokes (kiosk.core.drawing's JSON:
// items of strokes {color, width, tool, points [[x, y, t_ms]]} and stamps {kind, x, y, size,
// color, t}; a stamp is its icon's outline from stamps.js, as the kiosk paints it). Every painting step is sorted by (t, item index), as kiosk.core.drawing.paint_steps
// does, and played on a <canvas> at the chosen speed. Plain JS, no build step.
"use strict";
(function () {
  var canvas = document.getElementById("replay");
  if (!canvas) return;
  var ctx = canvas.getContext("2d");
  var button = document.getElementById("replay-play");
  var speed = document.getElementById("replay-speed");
  var status = document.getElementById("replay-status");
  var drawing = null, steps = [], frame = null;

  var outlines = {};
  function stampPath(kind) {  // stamps.js: the kiosk's stamp outlines (scripts/stamp_paths.py)
    var d = (window.KIOSK_STAMPS || {})[kind];
    if (!d || typeof Path2D === "undefined") return null;
    if (!outlines[kind]) outlines[kind] = new Path2D(d);
    return outlines[kind];
  }

  function say(key) { status.textContent = status.dataset[key] || ""; status.dataset.state = key; }

  function buildSteps(d) {
    var out = [];
    // kiosk.core.drawing's format has "items"; the kiosk's samples (kiosk seed) only "strokes".
    var items = d.items || (d.strokes || []).map(function (s) { return Object.assign({type: "stroke"}, s); });
    items.forEach(function (item, index) {
      if (item.type === "stroke") {
        item.points.forEach(function (p, i) { out.push({t: p[2], index: index, item: item, i: i}); });
      } else if (item.type === "stamp") {
        out.push({t: item.t, index: index, item: item, i: 0});
      }
    });
    out.sort(function (a, b) { return a.t - b.t || a.index - b.index || a.i - b.i; });
    return out;
  }

  function clear() {
    ctx.fillStyle = drawing.paper || "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
  }

  function paint(step) {
    var item = step.item;
    if (item.type === "stamp") {
      ctx.fillStyle = item.color;
      var outline = stampPath(item.kind);
      if (outline) {  // as the kiosk paints it: the icon's outline, item.size across, centred on (x, y)
        ctx.save();
        ctx.translate(item.x, item.y);
        ctx.scale(item.size, item.size);
        ctx.fill(outline, "evenodd");
        ctx.restore();
      } else {  // a stamp this receiver does not know: a dot of its size and colour
        ctx.beginPath();
        ctx.arc(item.x, item.y, item.size / 2, 0, Math.PI * 2);
        ctx.fill();
      }
      return;
    }
    var colour = item.tool === "eraser" ? (drawing.paper || "#ffffff") : item.color;
    var p = item.points[step.i];
    ctx.strokeStyle = colour; ctx.fillStyle = colour;
    ctx.lineWidth = item.width; ctx.lineCap = "round"; ctx.lineJoin = "round";
    if (step.i === 0) {
      ctx.beginPath(); ctx.arc(p[0], p[1], item.width / 2, 0, Math.PI * 2); ctx.fill();
    } else {
      var q = item.points[step.i - 1];
      ctx.beginPath(); ctx.moveTo(q[0], q[1]); ctx.lineTo(p[0], p[1]); ctx.stroke();
    }
  }

  function play() {
    if (!drawing) return;
    if (frame) cancelAnimationFrame(frame);
    clear();
    var next = 0, factor = Number(speed.value) || 4, start = performance.now();
    var t0 = steps.length ? steps[0].t : 0;
    // Long pauses (a child thinking) are shortened to at most one second of replay.
    var times = [], at = 0;
    steps.forEach(function (s, k) {
      if (k > 0) at += Math.min(steps[k].t - steps[k - 1].t, 1000 * factor);
      times.push(at);
    });
    say("playing");
    function tick(now) {
      var elapsed = (now - start) * factor;
      while (next < steps.length && times[next] <= elapsed) { paint(steps[next]); next += 1; }
      if (next < steps.length) { frame = requestAnimationFrame(tick); }
      else { frame = null; say("done"); canvas.dataset.painted = String(steps.length); }
    }
    canvas.dataset.painted = "0";
    frame = requestAnimationFrame(tick);
    void t0;
  }

  fetch(canvas.dataset.src, {credentials: "same-origin"})
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(function (d) {
      drawing = d;
      canvas.width = d.width || 400; canvas.height = d.height || 300;
      steps = buildSteps(d);
      canvas.dataset.steps = String(steps.length);
      clear();
      button.addEventListener("click", play);
    })
    .catch(function () { say("error"); button.disabled = true; });
})();
