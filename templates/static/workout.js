/* Workout mode: one step at a time, rest countdowns, sound, wake lock, progress kept on this device.
   Plain script, no framework, no network. Without it the page shows the routine as a list. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("wm-data").textContent);
  var steps = data.steps;
  var $ = function (id) { return document.getElementById(id); };
  var store = window.localStorage;
  var PROGRESS = "fitfocus-workout:" + data.key;
  var WEIGHTS = "fitfocus-weights:" + data.key;
  var SOUND = "fitfocus-sound";
  var UNITS = "fitfocus-units";  // the reader's kg/lb choice, shared with units.js
  var KG_PER_LB = 0.45359237;
  var READY = 3;  // seconds of get-ready before a timed set

  function load(key) {
    try { return JSON.parse(store.getItem(key) || "null"); } catch (e) { return null; }
  }
  function save(key, value) {
    try { store.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode: progress is not kept */ }
  }

  var state = load(PROGRESS);
  if (!state || typeof state.i !== "number" || state.i > steps.length) state = fresh();
  var previous = load(WEIGHTS) || {};
  var timer = null;

  function fresh() {
    return { i: 0, phase: "work", ends: 0, started: 0, finished: 0, done: 0, weights: {} };
  }

  function clock(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }
  function spoken(seconds) {
    var m = Math.floor(seconds / 60), s = seconds % 60, parts = [];
    if (m) parts.push(m + (m === 1 ? " minute" : " minutes"));
    if (s || !m) parts.push(s + (s === 1 ? " second" : " seconds"));
    return parts.join(" ");
  }
  /* Loads and weights in the reader's unit: chosen, else the site's, else the unit the load is written in. */
  function unitFor(step) {
    var u = store.getItem(UNITS) || data.units;
    if (u === "kg" || u === "lb") return u;
    if (step.load_kg && step.load === step.load_kg) return "kg";
    return step.load_lb && step.load === step.load_lb ? "lb" : null;
  }
  function loadText(step) {
    var u = unitFor(step);
    return (u && step["load_" + u]) || step.load;
  }
  var NUMBER = /^\s*[0-9]+(?:[.,][0-9]+)?\s*$/;
  function weightIn(entry, u) {  // a weight kept as {v, u} (or, from before units, as text), a number converted to u
    if (!entry) return "";
    if (typeof entry !== "object") return String(entry);
    var typed = String(entry.v);
    if (!entry.u || !u || entry.u === u || !NUMBER.test(typed)) return typed;
    var n = parseFloat(typed.replace(",", ".")), step = u === "kg" ? 0.5 : 1;
    var amount = u === "kg" ? n * KG_PER_LB : n / KG_PER_LB;
    return String(Math.max(step, Math.floor(amount / step + 0.5) * step));  // rounded as the page rounds loads
  }
  function announce(text) { $("wm-live").textContent = text; }
  function show(el, on) { el.hidden = !on; }

  /* Sound: one short tone; a higher one when a countdown ends. */
  var audio = null;
  function soundOn() { return store.getItem(SOUND) !== "off"; }
  function beep(final) {
    if (!soundOn()) return;
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    try {
      audio = audio || new Context();
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = final ? 880 : 660;
      gain.gain.value = 0.15;
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + (final ? 0.45 : 0.15));
    } catch (e) { /* no audio device: the countdown still shows */ }
  }
  function showSound() {
    var on = soundOn();
    $("wm-sound").setAttribute("aria-pressed", on ? "true" : "false");
    $("wm-sound").textContent = on ? "Sound on" : "Sound off";
  }

  /* Screen Wake Lock: asked for while the workout runs, asked again when the page is shown again. */
  var lock = null;
  function wake() {
    if (!("wakeLock" in navigator)) { $("wm-wake").textContent = "Screen: may sleep (keep-awake not supported)"; return; }
    if (document.visibilityState !== "visible" || state.phase === "done") return;
    navigator.wakeLock.request("screen").then(function (sentinel) {
      lock = sentinel;
      $("wm-wake").textContent = "Screen: kept awake";
      if (sentinel.addEventListener) {
        sentinel.addEventListener("release", function () { $("wm-wake").textContent = "Screen: may sleep"; });
      }
    }, function () { $("wm-wake").textContent = "Screen: may sleep"; });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { wake(); tick(); }
  });

  function describe(step) {
    var side = step.side ? (step.side === "left" ? ", left side" : ", right side") : "";
    return step.name + side + ": " + step.reps;
  }

  function render() {
    save(PROGRESS, state);
    if (state.phase === "done") return summary();
    show($("wm-app"), true);
    show($("wm-summary"), false);
    var step = steps[state.i], next = steps[state.i + 1];
    var where = "Set " + step.set_number + " of " + step.sets;
    if (step.rounds > 1) where = "Round " + step.round_number + " of " + step.rounds + " · " + where;
    $("wm-progress").textContent = where + " · step " + (state.i + 1) + " of " + steps.length;
    $("wm-name").textContent = (step.label ? step.label + " " : "") + step.name;
    var picture = document.getElementById("wm-picture-" + step.slug), frame = $("wm-picture");
    frame.textContent = "";
    if (picture) frame.appendChild(picture.content.cloneNode(true));
    show(frame, !!picture);
    $("wm-reps").textContent = step.reps + (step.side ? " · " + (step.side === "left" ? "left side" : "right side") : "");
    var details = [];
    if (step.tempo) details.push("Tempo " + step.tempo);
    if (step.load) details.push("Load " + loadText(step));
    $("wm-details").textContent = details.join(" · ");
    $("wm-cue").textContent = step.cue || "";
    $("wm-alt").textContent = step.alternatives || "";
    var weight = $("wm-weight");
    var unit = unitFor(step), last = weightIn(previous[state.i], unit);
    $("wm-weight-label").textContent = "Weight used" + (unit ? " (" + unit + ")" : "");
    weight.value = weightIn(state.weights[state.i], unit);
    if (last && unit && NUMBER.test(last)) last = last.trim() + " " + unit;
    $("wm-last").textContent = last ? "last time: " + last : "";
    var resting = state.phase === "rest", timing = state.phase === "ready" || state.phase === "timing";
    show($("wm-weight-row"), !resting);
    show($("wm-done"), state.phase === "work" && step.work === null);
    show($("wm-start"), state.phase === "work" && step.work !== null);
    show($("wm-minus"), resting);
    show($("wm-plus"), resting);
    show($("wm-skip"), resting || timing);
    $("wm-skip").textContent = resting ? "Skip rest" : "Skip";
    show($("wm-timer"), resting || timing);
    $("wm-next").textContent = next ? "Next: " + (next.label ? next.label + " " : "") + next.name +
      (next.side ? " (" + next.side + ")" : "") + ", " + next.reps : "Last set";
    tick();
  }

  function remaining() { return Math.max(0, Math.ceil((state.ends - Date.now()) / 1000)); }

  function tick() {
    if (state.phase !== "rest" && state.phase !== "ready" && state.phase !== "timing") return;
    var left = remaining();
    var label = state.phase === "rest" ? "Rest " : state.phase === "ready" ? "Get ready " : "Go ";
    $("wm-timer").textContent = label + clock(left);
    if (left <= 3 && left > 0 && state.beeped !== left) {
      state.beeped = left;
      if (left === 3) { beep(false); announce("3 seconds"); }
    }
    if (left === 0) finishCountdown();
  }

  function countdown(phase, seconds) {
    state.phase = phase;
    state.ends = Date.now() + seconds * 1000;
    state.beeped = null;
  }

  function finishCountdown() {
    beep(true);
    if (state.phase === "ready") {
      countdown("timing", steps[state.i].work);
      announce("Go: " + describe(steps[state.i]));
      render();
    } else if (state.phase === "timing") {
      complete();
    } else {
      advance();
    }
  }

  function complete() {
    var step = steps[state.i];
    if (!state.started) state.started = Date.now();
    if (step.side !== "left") state.done += 1;
    if (step.rest > 0 && state.i < steps.length - 1) {
      countdown("rest", step.rest);
      announce("Rest " + spoken(step.rest) + ". Next: " + describe(steps[state.i + 1]));
      render();
    } else {
      advance();
    }
  }

  function advance() {
    state.i += 1;
    state.ends = 0;
    if (state.i >= steps.length) {
      state.phase = "done";
      state.finished = Date.now();
      save(WEIGHTS, Object.assign({}, previous, state.weights));
      announce("Workout done");
      render();
      $("wm-summary-title").focus();
      return;
    }
    state.phase = "work";
    announce(describe(steps[state.i]));
    render();
    $("wm-name").focus();
  }

  function summary() {
    show($("wm-app"), false);
    show($("wm-summary"), true);
    var taken = Math.max(0, Math.round((state.finished - (state.started || state.finished)) / 1000));
    var sets = 0;
    steps.forEach(function (step) { if (step.side !== "left") sets += 1; });
    $("wm-summary-text").textContent = "Time taken: " + spoken(taken) + ". Sets done: " + state.done + " of " + sets + ".";
    if (lock) { lock.release(); lock = null; }
  }

  $("wm-done").addEventListener("click", function () { wake(); complete(); });
  $("wm-start").addEventListener("click", function () {
    wake();
    if (!state.started) state.started = Date.now();
    countdown("ready", READY);
    announce("Get ready: " + describe(steps[state.i]));
    render();
  });
  $("wm-skip").addEventListener("click", function () {
    if (state.phase === "rest") advance(); else complete();
  });
  function shift(seconds) {
    state.ends = Math.max(Date.now(), state.ends + seconds * 1000);
    state.beeped = null;
    announce("Rest " + spoken(remaining()));
    render();
  }
  $("wm-plus").addEventListener("click", function () { shift(15); });
  $("wm-minus").addEventListener("click", function () { shift(-15); });
  $("wm-weight").addEventListener("input", function (event) {
    state.weights[state.i] = { v: event.target.value, u: unitFor(steps[state.i]) };
    save(PROGRESS, state);
  });
  $("wm-sound").addEventListener("click", function () {
    store.setItem(SOUND, soundOn() ? "off" : "on");
    showSound();
  });
  $("wm-restart").addEventListener("click", function () {
    previous = load(WEIGHTS) || {};
    state = fresh();
    wake();
    render();
    $("wm-name").focus();
  });

  document.addEventListener("fitfocus-units", function () { if (state.phase !== "done") render(); });
  show($("wm-list"), false);
  show($("wm-settings"), true);
  showSound();
  wake();
  render();
  timer = window.setInterval(tick, 250);
})();
