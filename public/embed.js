// Slotwise embed loader. A practice pastes
//   <script src="https://BOOKING-HOST/embed.js" data-practice="SLUG" async></script>
// and optionally <div data-slotwise data-mode="inline|popup|badge" ...> targets.
// Each target gets a Shadow DOM root; the widget (wasm) loads once per page: inline, when the
// widget nears the viewport (so one far down the page costs nothing during the page's own
// load; its reserved height keeps the page from shifting); in popup and badge modes, on the
// first click. The widget comes in two modules: the first steps (questions and times) load
// first; the full module loads while the patient is on them, and takes over, resumed, when
// the patient reaches a later step (managing a booking and personal links start with it).
// The first question (new or returning) needs no wasm: the loader draws it from booking-config
// with the widget's stylesheet and markup while the modules download; an answer given before
// they arrive is passed on, and the widget opens at the next step.
// The server fills in the hashed widget file names.
// Lines starting with // are stripped before serving.
(function () {
  var me = document.currentScript;
  if (!me) return;
  var base = new URL(me.src).origin;
  var FULL = ["__SLOTWISE_JS__", "__SLOTWISE_WASM__"];
  var FIRST = ["__SLOTWISE_FIRST_JS__", "__SLOTWISE_FIRST_WASM__"];
  var STYLE = "__SLOTWISE_CSS__";
  var WORDS = "__SLOTWISE_WORDS__";
  var g = window.__slotwise = window.__slotwise || {};
  var KEYS = ["practice", "mode", "reason", "location", "provider", "patient", "insurance", "label", "manage", "recall", "lang"];
  var URL_KEYS = ["reason", "location", "provider", "patient", "insurance", "recall", "offer", "day", "lang", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"];
  var CSS = ":host{display:block!important}.b{all:initial;font:600 16px/1.2 system-ui,sans-serif;" +
    "background:var(--a,#0f766e);color:#fff;border-radius:999px;padding:14px 22px;cursor:pointer;" +
    "box-shadow:0 4px 14px rgba(0,0,0,.18)}.b:focus-visible{outline:3px solid #102a43;outline-offset:2px}" +
    ".f{position:fixed;right:20px;bottom:20px;z-index:2147483000}" +
    "dialog{border:0;border-radius:16px;padding:0;width:min(680px,calc(100vw - 16px));max-height:calc(100dvh - 16px)}" +
    "dialog::backdrop{background:rgba(16,42,67,.45)}.x{all:initial;position:sticky;top:0;float:right;z-index:1;" +
    "font:28px/1 system-ui,sans-serif;padding:8px 14px;cursor:pointer;color:#52606d}.x:focus-visible{outline:3px solid #102a43}" +
    ".s{min-height:420px;display:flex;align-items:center;justify-content:center;font:16px system-ui,sans-serif;color:#52606d}";

  // A module's wasm download starts together with its JS, not after it.
  function load(files) {
    var ready = g.modules = g.modules || {}, key = files[0];
    if (ready[key]) return ready[key];
    var wasm = fetch(base + files[1]);
    return ready[key] = import(base + key).then(function (m) {
      return m.default({ module_or_path: wasm }).then(function () { return m; });
    }).catch(function (e) { ready[key] = null; throw e; });
  }
  // The practice's settings, in the language asked for (else the browser's, else the
  // practice's), load while the wasm downloads; the widget asks again if this failed.
  function settings(o) {
    var c = g.configs = g.configs || {}, q = "?lang=" + encodeURIComponent(o.lang || "") + "&prefer=" + encodeURIComponent(o.prefer);
    return c[o.practice + q] || (c[o.practice + q] = fetch(base + "/api/v1/practices/" + encodeURIComponent(o.practice) + "/booking-config" + q)
      .then(function (r) { return r.ok ? r.text() : null; })
      .catch(function () { return null; }));
  }
  // The loader's own words: the language asked for, else the browser's first one there are
  // words for, else English.
  function wordsFor(o) {
    var tags = [o.lang].concat(navigator.languages || [navigator.language]);
    for (var i = 0; i < tags.length; i++) {
      var w = tags[i] && WORDS[tags[i].split("-")[0].toLowerCase()];
      if (w) return w;
    }
    return WORDS.en;
  }
  // The widget's stylesheet (cached for a year), once per page; "" when it cannot load.
  function styles() {
    return g.css || (g.css = STYLE ? fetch(base + STYLE)
      .then(function (r) { return r.ok ? r.text() : ""; })
      .catch(function () { return ""; }) : Promise.resolve(""));
  }
  function make(tag, cls, text, attrs) {
    var e = document.createElement(tag);
    e.className = cls;
    if (text) e.textContent = text;
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }
  // The first question in the widget's own markup (widget/src/app.rs, steps/choices.rs), so
  // the widget replaces it without a shift; `answer` is called with "new" or "returning".
  function draw(box, o, text, answer) {
    var c;
    try { c = JSON.parse(text); } catch (e) { return; }
    var t = c.texts || {}, p = c.practice || {}, say = function (k) { return t["widget.patient_type." + k]; };
    if (!say("title")) return;
    var accent = /^#[0-9a-f]{6}$/i.test(p.accent_color) ? p.accent_color : "#0f766e";
    var sw = make("div", o.mode === "page" ? "sw sw-page" : "sw", "", { style: "min-height:" + box.offsetHeight + "px" });
    var shell = make("div", "sw-shell", "", { style: "--sw-accent:" + accent, lang: c.lang });
    var head = make("header", "sw-header"), step = make("section", "sw-step"), top = make("div", "sw-step-head");
    var list = make("div", "sw-choices");
    if (p.logo_url) head.appendChild(make("img", "sw-logo", "", { src: p.logo_url, alt: "" }));
    head.appendChild(make("p", "sw-practice", p.name));
    top.appendChild(make("h2", "sw-title", say("title"), { tabindex: -1 }));
    ["new", "returning"].forEach(function (k) {
      var b = make("button", "sw-choice", "", { type: "button", "data-choice": k, "aria-pressed": false });
      b.appendChild(make("span", "sw-choice-title", say(k)));
      if (say(k + "_detail")) b.appendChild(make("span", "sw-choice-detail", say(k + "_detail")));
      b.onclick = function () {
        list.childNodes.forEach(function (x) { x.setAttribute("aria-pressed", x === b); });
        if (!step.querySelector("[role]")) {
          var wait = make("div", "sw-loading", t["widget.loading"], { role: "status" });
          wait.prepend(make("span", "sw-spinner"));
          step.appendChild(wait);
        }
        answer(k);
      };
      list.appendChild(b);
    });
    step.append(top, list);
    shell.append(head, step);
    sw.appendChild(shell);
    box.removeAttribute("role");
    box.className = "";
    box.replaceChildren(sw);
  }
  function options(el) {
    var o = { api: base, referrer: document.referrer || null };
    KEYS.forEach(function (k) {
      var v = el.getAttribute("data-" + k) || me.getAttribute("data-" + k);
      if (v) o[k] = v;
    });
    var q = new URLSearchParams(location.search);
    URL_KEYS.forEach(function (k) { if (q.get(k)) o[k] = q.get(k); });
    o.prefer = (navigator.languages || [navigator.language]).join(",");
    o.words = wordsFor(o);
    return o;
  }
  function mountInto(host, box, look, o) {
    styles().then(function (text) { look.textContent = text; });
    var s = settings(o), json = JSON.stringify(o), full = o.manage || o.recall, mounted, handed, answered;
    if (!full && !o.patient && !o.reason) {
      Promise.all([s, styles()]).then(function (r) {
        if (r[0] && !mounted && !box.__failed) draw(box, o, r[0], function (k) { answered = k; });
      });
    }
    function failed(e) {
      if (mounted) mounted.unmount();
      box.textContent = o.words.failed;
      box.__failed = 1;
      console.error(e);
    }
    function prefetch() { load(FULL).catch(function () {}); }
    // The first-steps module hands over (once): the full module mounts in its place, where it
    // stopped.
    function handOff(state) {
      if (handed) return;
      handed = 1;
      // In the language the patient was reading (they may have switched).
      var same = JSON.parse(json);
      same.lang = JSON.parse(state).lang || same.lang;
      load(FULL).then(function (m) {
        box.style.minHeight = box.offsetHeight + "px";
        mounted.unmount();
        mounted = box.__mounted = m.mount(host, box, JSON.stringify(same), settings(same), state, null);
        box.style.minHeight = "";
      }).catch(failed);
    }
    Promise.all([load(full ? FULL : FIRST), styles()]).then(function (r) {
      var m = r[0], focused = host.shadowRoot.activeElement;
      focused = focused && focused.getAttribute("data-choice");
      if (answered) json = JSON.stringify(Object.assign({}, o, { patient: answered, started: true }));
      // Kept with the box: a mounted widget lives as long as the element it is in.
      mounted = box.__mounted = m.mount(host, box, json, s, null, full ? null : handOff);
      // Keyboard focus on a drawn answer stays on the same answer, now the widget's.
      if (focused && !answered) setTimeout(function () {
        var same = box.querySelector('[data-choice="' + focused + '"]');
        if (same) same.focus();
      });
      if (full) return;
      host.addEventListener("slotwise:step", prefetch, { once: true });
      setTimeout(prefetch, 3000);
    }).catch(failed);
  }
  // Runs `go` once `el` comes within 600 px of the viewport: at once when it already is (no
  // waiting for the observer's first report) or without IntersectionObserver.
  function whenNear(el, go) {
    var r = el.getBoundingClientRect();
    if (!("IntersectionObserver" in window) || (r.top < innerHeight + 600 && r.bottom > -600)) return go();
    var near = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) { near.disconnect(); go(); }
    }, { rootMargin: "600px 0px" });
    near.observe(el);
  }
  function setup(target) {
    if (target.__slotwise) return;
    target.__slotwise = 1;
    var o = options(target);
    if (!o.practice) return console.error("slotwise: data-practice is missing");
    var host = document.createElement("slotwise-booking");
    target.appendChild(host);
    var root = host.attachShadow({ mode: "open" });
    var style = document.createElement("style"), look = document.createElement("style");
    style.textContent = CSS;
    root.append(style, look);
    var box = document.createElement("div");
    box.className = "s";
    box.setAttribute("role", "status");
    box.textContent = o.words.loading;
    if (o.mode !== "popup" && o.mode !== "badge") {
      root.appendChild(box);
      return whenNear(host, function () { mountInto(host, box, look, o); });
    }
    var open = document.createElement("button");
    open.type = "button";
    open.className = o.mode === "badge" ? "b f" : "b";
    open.textContent = o.label || o.words.book;
    open.setAttribute("aria-haspopup", "dialog");
    var dialog = document.createElement("dialog");
    dialog.setAttribute("aria-label", o.label || o.words.book);
    var close = document.createElement("button");
    close.type = "button";
    close.className = "x";
    close.setAttribute("aria-label", o.words.close);
    close.textContent = "×";
    close.onclick = function () { dialog.close(); };
    dialog.append(close, box);
    root.append(open, dialog);
    open.onclick = function () {
      dialog.showModal();
      if (!dialog.__m || box.__failed) { dialog.__m = 1; box.__failed = 0; mountInto(host, box, look, o); }
    };
  }
  function run() {
    var targets = document.querySelectorAll("[data-slotwise]");
    if (targets.length) return targets.forEach(setup);
    var div = document.createElement("div");
    if (me.parentNode && me.parentNode !== document.head) me.parentNode.insertBefore(div, me.nextSibling);
    else document.body.appendChild(div);
    setup(div);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
})();
