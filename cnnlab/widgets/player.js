/* cnnlab's explorer player: steps an explorer's frames in a page without a kernel.
 *
 * The page holds, per explorer, <div class="cnnlab-player" data-cnnlab-player="…"> with
 * the still (an animated GIF) inside and this script after it. The data attribute is
 * base64 of raw-deflated JSON written by cnnlab.widgets.export.player_spec: a base picture, and
 * per step what the explorer's renderer draws over it (outlines, small number grids) and
 * the step's text (the sum line). This script only draws what it is given: it computes no
 * number. Several players on one page share one copy of it (the guard below); where
 * scripts do not run, the still stays.
 */
(function () {
  "use strict";
  if (window.cnnlabPlayer) { window.cnnlabPlayer.startAll(); return; }

  var CSS = "__CSS__";
  var counter = 0;

  function addStyle() {
    if (document.getElementById("cnnlab-player-style")) { return; }
    var style = document.createElement("style");
    style.id = "cnnlab-player-style";
    style.textContent = CSS;
    document.head.appendChild(style);
  }

  function decode(text) {
    var binary = atob(text), bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Response(stream).json();
  }

  function loadImage(src) {
    return new Promise(function (resolve, reject) {
      var image = new Image();
      image.onload = function () { resolve(image); };
      image.onerror = reject;
      image.src = src;
    });
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (k) { node.setAttribute(k, attributes[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // Pillow's rectangle(box, outline, width): both corners inside, the line drawn inwards.
  function outline(ctx, box, colour, width) {
    var x0 = box[0], y0 = box[1], w = box[2] - box[0] + 1, h = box[3] - box[1] + 1;
    ctx.fillStyle = colour;
    ctx.fillRect(x0, y0, w, width);
    ctx.fillRect(x0, y0 + h - width, w, width);
    ctx.fillRect(x0, y0, width, h);
    ctx.fillRect(x0 + w - width, y0, width, h);
  }

  // One number grid as the renderer draws it: fills, 1-pixel grid lines, centred labels.
  function grid(ctx, spec, g) {
    var x = g[0], y = g[1], fills = g[2], inks = g[3], labels = g[4], c = g[5];
    var rows = fills.length, cols = fills[0].length, lines = c >= 6 ? 1 : 0;
    ctx.fillStyle = spec.gridLine;
    ctx.fillRect(x, y, cols * c + lines, rows * c + lines);
    for (var i = 0; i < rows; i++) {
      for (var j = 0; j < cols; j++) {
        ctx.fillStyle = fills[i][j];
        ctx.fillRect(x + j * c + lines, y + i * c + lines, c - lines, c - lines);
      }
    }
    if (!labels) { return; }
    ctx.font = spec.font;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    for (i = 0; i < rows; i++) {
      for (j = 0; j < cols; j++) {
        ctx.fillStyle = inks[i][j];
        ctx.fillText(labels[i][j], x + j * c + c / 2, y + i * c + c / 2);
      }
    }
  }

  function build(root, spec, pictures) {
    var id = "cnnlab-player-" + (++counter), n = spec.steps.length, step = 0, timer = null;
    var ui = element("div", {"class": "cnnlab-player-ui", role: "group", tabindex: "0",
                             "aria-label": "Player: " + spec.title,
                             "aria-describedby": id + "-keys"});
    var canvas = element("canvas", {width: spec.width, height: spec.height, role: "img"});
    var controls = element("div", {"class": "cnnlab-player-controls"});
    var play = element("button", {type: "button", "class": "cnnlab-play"}, "Play");
    var back = element("button", {type: "button", "aria-label": "Previous step"}, "◀");
    var forward = element("button", {type: "button", "aria-label": "Next step"}, "▶");
    var label = element("label", {"for": id + "-step"}, "step");
    var slider = element("input", {type: "range", id: id + "-step", min: "0",
                                   max: String(n - 1), value: "0", step: "1"});
    var status = element("span", {"class": "cnnlab-player-status", "aria-hidden": "true"});
    var text = element("div", {"class": "cnnlab-player-text", "aria-live": "polite"});
    var keys = element("p", {"class": "cnnlab-player-keys", id: id + "-keys"},
                       "Keys: ← → one step, space play/pause, Home/End first/last step.");
    [play, back, forward, label, slider, status].forEach(function (c) { controls.appendChild(c); });
    [canvas, controls, text, keys].forEach(function (c) { ui.appendChild(c); });
    var ctx = canvas.getContext("2d");

    function draw(k) {
      var s = spec.steps[k], r = spec.reveal;
      ctx.drawImage(pictures.base, 0, 0);
      if (r) {          // the output cells computed so far: rows before, then this row
        var i = Math.floor(k / r.cols), j = k % r.cols;
        if (i > 0) { ctx.drawImage(pictures.reveal, 0, 0, r.cols * r.cell, i * r.cell,
                                   r.x, r.y, r.cols * r.cell, i * r.cell); }
        ctx.drawImage(pictures.reveal, 0, i * r.cell, (j + 1) * r.cell, r.cell,
                      r.x, r.y + i * r.cell, (j + 1) * r.cell, r.cell);
      }
      s.grids.forEach(function (g) { grid(ctx, spec, g); });
      s.outlines.forEach(function (o) {
        if (o[3] !== null) { ctx.fillStyle = o[3]; ctx.fillRect(o[0][0], o[0][1],
          o[0][2] - o[0][0] + 1, o[0][3] - o[0][1] + 1); }
        outline(ctx, o[0], o[1], o[2]);
      });
      ctx.font = spec.titleFont;
      ctx.textAlign = "left";
      ctx.textBaseline = "alphabetic";
      s.texts.forEach(function (t) { ctx.fillStyle = spec.ink; ctx.fillText(t[2], t[0], t[1]); });
    }

    function show(k) {
      step = Math.max(0, Math.min(n - 1, k));
      draw(step);
      slider.value = String(step);
      var where = "step " + (step + 1) + " of " + n;   // as the live explorer's alt says
      slider.setAttribute("aria-valuetext", where);
      status.textContent = where;
      canvas.setAttribute("aria-label", spec.title + ", " + where);
      text.textContent = "";
      spec.steps[step].lines.forEach(function (line) {
        text.appendChild(element("p", {}, line));
      });
    }

    function pause() {
      if (timer !== null) { clearInterval(timer); timer = null; }
      play.textContent = "Play";
      text.setAttribute("aria-live", "polite");
    }

    function toggle() {
      if (timer !== null) { pause(); return; }
      if (step === n - 1) { show(0); }
      play.textContent = "Pause";
      text.setAttribute("aria-live", "off");   // no announcement per frame while playing
      timer = setInterval(function () {
        if (step >= n - 1) { pause(); return; }
        show(step + 1);
      }, spec.interval);
    }

    play.addEventListener("click", toggle);
    back.addEventListener("click", function () { pause(); show(step - 1); });
    forward.addEventListener("click", function () { pause(); show(step + 1); });
    slider.addEventListener("input", function () { pause(); show(Number(slider.value)); });
    ui.addEventListener("keydown", function (event) {
      var target = event.target, key = event.key;
      var arrows = ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown", "Home", "End",
                    "PageUp", "PageDown"];
      if (target === slider && arrows.indexOf(key) >= 0) {
        event.stopPropagation();     // the slider steps itself; a slide show must not move
        return;
      }
      if (target.tagName === "BUTTON" && (key === " " || key === "Enter")) { return; }
      var actions = {
        ArrowRight: function () { pause(); show(step + 1); },
        ArrowLeft: function () { pause(); show(step - 1); },
        Home: function () { pause(); show(0); },
        End: function () { pause(); show(n - 1); },
        " ": toggle
      };
      if (actions[key]) {
        actions[key]();
        event.preventDefault();
        event.stopPropagation();
      }
    });

    show(0);
    root.appendChild(ui);
    Array.prototype.forEach.call(root.children, function (child) {   // the still
      if (child !== ui && child.tagName !== "SCRIPT") { child.hidden = true; }
    });
    root.setAttribute("data-cnnlab-started", "ready");
  }

  function start(root) {
    root.setAttribute("data-cnnlab-started", "loading");
    decode(root.getAttribute("data-cnnlab-player")).then(function (spec) {
      var sources = {base: spec.base};
      if (spec.reveal) { sources.reveal = spec.reveal.src; }
      var names = Object.keys(sources);
      return Promise.all(names.map(function (k) { return loadImage(sources[k]); }))
        .then(function (loaded) {
          var pictures = {};
          names.forEach(function (k, i) { pictures[k] = loaded[i]; });
          build(root, spec, pictures);
        });
    }).catch(function (error) {   // the still stays
      root.setAttribute("data-cnnlab-started", "failed");
      if (window.console) { console.warn("cnnlab player:", error); }
    });
  }

  window.cnnlabPlayer = {
    startAll: function () {
      if (typeof DecompressionStream === "undefined") { return; }   // old browser: the still
      addStyle();
      var roots = document.querySelectorAll(".cnnlab-player[data-cnnlab-player]");
      Array.prototype.forEach.call(roots, function (root) {
        if (!root.hasAttribute("data-cnnlab-started")) { start(root); }
      });
    }
  };
  window.cnnlabPlayer.startAll();
})();
