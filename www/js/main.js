// Wires the article. The main thread only draws: it loads the small math module, draws the figure on
// screen, and talks to two workers: the engine (burn: training, weight snapshots) and the figure
// worker (everything heavy a figure needs). Figures come from the registry; this file knows none
// of them by name.

import { EngineClient } from './engine-client.js';
import { FigureJobs } from './figure-jobs.js';
import { mountTools, syncTools } from './figure-tools.js';
import { FIELD, LEARNED, LINE_STARTS } from './figures/field-figure.js';
import { FIGURES } from './figures/registry.js';
import { TARGET_DEFAULTS } from './figures/velocity-target.js';
import { Integration } from './integration.js';
import { loadMath } from './math.js';
import { ReflowRounds } from './reflow-rounds.js';
import { observeSteps } from './scroll.js';
import { shareFigure } from './share.js';
import { buildSettingsForm, fillSettingsForm, readSettingsForm } from './settings-panel.js';
import { defaults, makeSettings, readHash, trainSettings, writeHash } from './state.js';

const $ = (id) => document.getElementById(id);
const BY_NAME = new Map(FIGURES.map((f) => [f.name, f]));
const SAMPLES = 100_000; // noise points per sampled figure, as in the tutorial
const RESAMPLE_EVERY_STEPS = 2000; // while training, a sampled figure follows the network this often
const SWEEP_POINTS = 4096; // quantile starts per solver-sweep run
const HEIGHT_MESSAGE = 'flow-matching-explorable:height'; // what an embedded figure tells its parent
const TARGET_SETTLE_MS = 400; // while a bump is dragged, training restarts once it rests this long
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));

const emptySampling = () => ({ result: null, job: null, progress: null, partial: null, error: '', kept: {} });

/** Everything the page knows. Figures are drawn from this, never from timers. */
const page = {
  math: null,
  settings: [],
  state: {},
  active: null,
  backend: null,
  run: { id: 0, status: 'starting', steps: 0, total: 0, losses: new Float32Array(0), stepsPerSecond: 0 },
  lossFloor: NaN, // under the current target, coupling and batch size
  lossFloorFor: null, // the inputs lossFloor was computed for
  target: null, // { weights, means, stds } of state.target, the link text
  reflow: { rounds: [], training: null, error: '' }, // the reflow rounds (reflow-rounds.js)
  snapshot: null, // { run, steps, hidden, weights, field } — the latest weights from the engine
  learned: null, // { run, steps, solver, grid, lines } — the learned field computed from a snapshot
  exact: null, // { solver, grid, lines } — the exact field on the same grid, and its path lines
  metrics: { run: 0, points: [] }, // one point per checkpoint: { steps, averaged, latest }
  entropy: NaN, // the target's entropy: the floor of the NLL
  integration: { path: null, exact: null, k: 0 },
  curves: {},
  computed: {},
  samples: Object.fromEntries(FIGURES.filter((f) => f.needs.sample).map((f) => [f.name, emptySampling()])),
  velocityTarget: { ...TARGET_DEFAULTS },
  reducedMotion: matchMedia('(prefers-reduced-motion: reduce)').matches,
  paused: false,
};

const elements = {}; // figure name → { figure, target, caption, number }
let engine = null;
let jobs = null;
const MAX_RECOVERIES = 3; // engine restarts allowed within RECOVERY_WINDOW_MS before giving up
const RECOVERY_WINDOW_MS = 60_000;
let recoveries = [];
let learnedJob = null;
const metricsJobs = new Set(); // ids of the metrics jobs under way for this run
let integration = null;
let reflow = null;
let runCounter = 0; // every engine run, main or reflow, gets the next number
let targetTimer = null;

// ---- drawing: only the figure on screen, at most once per frame -------------------------------

const dirty = new Map(); // figure name → true to redraw it, false to refresh its caption only
let frameRequested = false;

function invalidate(name, captionOnly = false) {
  if (name !== page.active) return;
  dirty.set(name, dirty.get(name) || !captionOnly);
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(() => {
    frameRequested = false;
    for (const [n, redraw] of dirty) draw(n, redraw);
    dirty.clear();
  });
}

function invalidateWhere(need) {
  for (const f of FIGURES) if (f.needs[need]) invalidate(f.name);
}

function draw(name, redraw = true) {
  // A User Timing entry per draw, so a benchmark can tell which figure a long task came from.
  const started = performance.now();
  const fig = BY_NAME.get(name);
  const el = elements[name];
  if (redraw) fig.draw(el.target, page);
  const { label, caption } = fig.describe(page);
  if (label) el.target.setAttribute('aria-label', label);
  el.caption.textContent = `Figure ${el.number}. ${caption}`;
  el.figure.dataset.drawn = 'true';
  // Observers see the entry; clearing it at once keeps a long visit's timeline buffer from growing.
  performance.measure(`draw ${name}`, { start: started });
  performance.clearMeasures(`draw ${name}`);
}

function mountFigures() {
  const column = document.querySelector('.figures');
  FIGURES.forEach((fig, i) => {
    const figure = document.createElement('figure');
    figure.className = 'fig';
    figure.dataset.figure = fig.name;
    const caption = document.createElement('figcaption');
    caption.id = `cap-${fig.name}`;
    figure.append(caption);
    let target;
    if (fig.mount) target = fig.mount(figure);
    else {
      target = document.createElement('canvas');
      target.id = `fig-${fig.name}`;
      target.className = fig.tall ? 'plot tall' : 'plot';
      target.setAttribute('role', 'img');
      figure.prepend(target);
    }
    column.insertBefore(figure, $('integration'));
    elements[fig.name] = { figure, target, caption, number: i + 1 };
    mountTools(figure, fig, page.state, {
      toggle: (key, value) => {
        page.state[key] = value;
        viewChanged();
      },
      share: (action, menu) =>
        shareFigure({ fig, number: i + 1, target, page, action, menu }).catch((e) => showMessage(`Sharing failed: ${e.message}`)),
    });
  });
  const sections = [...document.querySelectorAll('.step')].map((s) => s.dataset.figure);
  const missing = sections.filter((n) => !BY_NAME.has(n));
  if (missing.length) console.error(`sections without a registered figure: ${missing.join(', ')}`);
}

function activate(name) {
  if (page.active === name) return;
  page.active = name;
  const fig = BY_NAME.get(name);
  for (const el of document.querySelectorAll('.step')) el.classList.toggle('active', el.dataset.figure === name);
  for (const el of document.querySelectorAll('.fig')) el.classList.toggle('shown', el.dataset.figure === name);
  // Figures with a sampler show the solver choice; the integration figures add the timeline.
  $('integration').classList.toggle('shown', Boolean(fig.controls));
  $('timeline').hidden = fig.controls !== 'integration';
  document.body.dataset.activeFigure = name;
  if (fig.controls !== 'integration') integration?.stop();
  rankJobs();
  ensureExact();
  invalidate(name);
  refreshLearned();
  maybeSample();
}

/** The exact field on the learned field's grid, and its path lines by the current solver. */
function ensureExact() {
  if (!activeNeeds('exact')) return;
  const { solver, target } = page.state;
  if (page.exact && page.exact.solver === solver && page.exact.target === target) return;
  const sameTarget = page.exact && page.exact.target === target;
  page.exact = {
    solver,
    target,
    grid: sameTarget ? page.exact.grid : page.math.exactVelocityGrid(target, FIELD.times, FIELD.lo, FIELD.hi, FIELD.bins),
    lines: page.math.exactPaths(target, Float64Array.from(LINE_STARTS), LEARNED.lineSteps, solver),
  };
}

/** A view setting (solver, exact-field toggle) changed: recompute what depends on it, keep the link. */
function viewChanged() {
  saveHash();
  $('solver').value = page.state.solver;
  ensureExact();
  refreshIntegration();
  refreshLearned();
  maybeSample();
  for (const el of Object.values(elements)) syncTools(el.figure, page.state);
  invalidate(page.active);
}

// ---- messages and state -----------------------------------------------------------------------

function showMessage(text, kind = 'warning') {
  $('message').textContent = text;
  $('message').hidden = !text;
  $('message').classList.toggle('note', kind === 'note');
}

function saveHash() {
  history.replaceState(null, '', `${location.pathname}${location.search}${writeHash(page.settings, page.state)}` || location.pathname);
}

function setStatus(status) {
  page.run.status = status;
  document.body.dataset.training = status;
  $('pause').disabled = status !== 'running';
}

// ---- figure worker jobs -----------------------------------------------------------------------

const fixedJobs = {}; // figure name → job id, while pending
const fixedFor = {}; // figure name → what its result was asked for (the target; and the pairing)

/** What a figure's fixed job depends on: the target, and for paths drawn as training pairs them, the coupling and batch. */
function fixedInputs(job) {
  const { target, coupling, batch } = page.state;
  return job.coupled ? { target, coupling, batch } : { target };
}

/** (Re)computes the fixed results whose inputs changed (all of them at the start). */
function startFixedJobs() {
  for (const fig of FIGURES) {
    const job = fig.needs.job;
    if (!job) continue;
    const inputs = fixedInputs(job);
    const key = JSON.stringify(inputs);
    if (fixedFor[fig.name] === key) continue;
    fixedFor[fig.name] = key;
    if (fixedJobs[fig.name]) jobs.cancel(fixedJobs[fig.name]);
    delete page.computed[fig.name];
    const { id, result } = jobs.submit(job.kind, { ...job.params, ...inputs }, { urgent: wantedNow(fig.name) });
    fixedJobs[fig.name] = id;
    result
      .then((r) => {
        if (fixedJobs[fig.name] !== id) return;
        delete fixedJobs[fig.name];
        page.computed[fig.name] = r;
        invalidate(fig.name);
        // Other figures may draw it beside their own (figure 15 draws figure 13's exact line).
        invalidate(page.active);
      })
      .catch((e) => showMessage(`Figure ${elements[fig.name].number} could not be computed: ${e.message}`));
  }
}

/** The figure on screen first: its jobs jump the queue; the others wait in the background. */
function rankJobs() {
  if (!jobs) return;
  for (const [name, id] of Object.entries(fixedJobs)) jobs.rank(id, wantedNow(name));
  for (const [name, s] of Object.entries(page.samples)) if (s.job) jobs.rank(s.job.id, name === page.active);
  for (const id of metricsJobs) jobs.rank(id, activeNeeds('metrics'));
  reflow?.rank(activeNeeds('reflow'));
}

/** Whether figure `name`'s fixed result is drawn now: by its own figure, or by one that uses it. */
function wantedNow(name) {
  return name === page.active || Boolean(page.active && BY_NAME.get(page.active).needs.uses?.includes(name));
}

function activeNeeds(need) {
  return Boolean(page.active && BY_NAME.get(page.active).needs[need]);
}

/** Asks for the learned field of the latest snapshot, if the figure on screen shows it. */
function refreshLearned() {
  const snap = page.snapshot;
  if (!jobs || !snap || !activeNeeds('learned')) return;
  const solver = page.state.solver;
  const current = (x) => x && x.run === snap.run && x.steps === snap.steps && x.solver === solver;
  if (current(page.learned) || current(learnedJob)) return;
  if (learnedJob) jobs.cancel(learnedJob.id);
  const { id, result } = jobs.submit('learnedField', { ...LEARNED, solver, hidden: snap.hidden, weights: snap.weights }, { urgent: true });
  learnedJob = { id, run: snap.run, steps: snap.steps, solver };
  result
    .then((r) => {
      if (learnedJob && learnedJob.id === id) learnedJob = null;
      if (!r || snap.run !== page.run.id) return;
      page.learned = { run: snap.run, steps: snap.steps, solver, grid: r.grid, lines: r.lines };
      invalidateWhere('learned');
    })
    .catch((e) => showMessage(`The learned field could not be computed: ${e.message}`));
}

/** Whether a sampled result (or a job under way) belongs to this run and is recent enough. */
function fresh(x) {
  if (!x || x.run !== page.run.id || !page.snapshot) return false;
  if (x.solver && x.solver !== page.state.solver) return false;
  if (page.run.status !== 'running') return x.trainedSteps === page.snapshot.steps;
  return page.snapshot.steps - x.trainedSteps < RESAMPLE_EVERY_STEPS;
}

/**
 * Starts the sampling jobs figures need: the one on screen at once, the others in the background
 * once training has ended. A job under way for this run is left to finish.
 */
function maybeSample() {
  const snap = page.snapshot;
  if (!jobs || !snap || snap.run !== page.run.id) return;
  for (const fig of FIGURES) {
    const spec = fig.needs.sample;
    if (!spec) continue;
    const s = page.samples[fig.name];
    const urgent = fig.name === page.active;
    if (!urgent && page.run.status === 'running') continue;
    if (fresh(s.result)) continue;
    if (s.job) {
      if (fresh(s.job)) continue;
      if (s.job.solver && s.job.solver !== page.state.solver) jobs.cancel(s.job.id);
      else continue;
    }
    const kind = spec.kind || 'sample';
    // A solver sweep compares every solver itself; a sample follows the reader's choice.
    const solver = kind === 'sample' ? page.state.solver : null;
    const params =
      kind === 'sweep'
        ? { hidden: snap.hidden, weights: snap.weights, n: SWEEP_POINTS, target: page.state.target }
        : { hidden: snap.hidden, weights: snap.weights, n: SAMPLES, steps: spec.steps, seed: 1, density: spec.density || null, hist: spec.hist, solver, target: page.state.target };
    const { id, result } = jobs.submit(kind, params, {
      urgent,
      onProgress: (fraction, partial) => {
        if (s.job?.id !== id) return;
        s.progress = fraction;
        if (partial) s.partial = partial;
        // Progress only changes the caption; a partial result changes the picture.
        invalidate(fig.name, !partial);
      },
    });
    Object.assign(s, { job: { id, run: snap.run, trainedSteps: snap.steps, solver }, progress: 0, pendingCount: kind === 'sweep' ? SWEEP_POINTS : SAMPLES, pendingSteps: snap.steps, error: '' });
    result
      .then((r) => {
        if (s.job?.id !== id) return;
        Object.assign(s, { job: null, progress: null });
        if (r) s.result = { ...r, run: snap.run, trainedSteps: snap.steps, solver };
        // The last finished run under each coupling, so a figure can set them side by side.
        const run = page.run;
        if (r && snap.run === run.id && run.status === 'finished' && snap.steps === run.total) s.kept[`${run.coupling}|${run.target}`] = s.result;
        invalidate(fig.name);
        maybeSample();
      })
      .catch((e) => {
        if (s.job?.id !== id) return;
        Object.assign(s, { job: null, progress: null, error: `Sampling failed: ${e.message}` });
        invalidate(fig.name);
      });
  }
}

/** Measures both networks of a checkpoint snapshot in the figure worker, in the background. */
function measure(m) {
  const urgent = activeNeeds('metrics');
  const { id, result } = jobs.submit('metrics', { hidden: m.hidden, averaged: m.averaged, latest: m.latest, seed: m.steps, target: page.state.target }, { urgent });
  metricsJobs.add(id);
  result
    .then((r) => {
      metricsJobs.delete(id);
      if (!r || m.run !== page.run.id) return;
      const points = page.metrics.points.filter((p) => p.steps !== m.steps);
      points.push({ steps: m.steps, ...r });
      points.sort((a, b) => a.steps - b.steps);
      page.metrics = { run: m.run, points };
      invalidateWhere('metrics');
    })
    .catch((e) => showMessage(`The metrics could not be computed: ${e.message}`));
}

// ---- training ---------------------------------------------------------------------------------

function refreshIntegration() {
  const snap = page.snapshot;
  const { eulerSteps, x0, t, solver } = page.state;
  page.integration = snap
    ? {
        solver,
        path: Array.from(snap.field.paths(Float64Array.of(x0), eulerSteps, solver)),
        exact: Array.from(page.math.exactPaths(page.state.target, Float64Array.of(x0), eulerSteps, solver)),
        k: Math.round(t * eulerSteps),
      }
    : { path: null, exact: null, k: 0 };
}

function startTraining() {
  const settings = trainSettings(page.settings, page.state);
  clearTimeout(targetTimer);
  reflow.reset();
  page.run = {
    id: ++runCounter,
    status: 'running',
    steps: 0,
    total: settings.steps,
    losses: new Float32Array(0),
    buffer: new Float32Array(settings.steps),
    stepsPerSecond: 0,
    target: page.state.target,
    coupling: settings.coupling,
  };
  engine.start(page.run.id, settings, { target: page.state.target });
  // A new target, coupling or batch size changes the floor and the paths drawn as pairs are drawn.
  refreshLossFloor();
  startFixedJobs();
  if (learnedJob) jobs.cancel(learnedJob.id);
  learnedJob = null;
  for (const s of Object.values(page.samples)) {
    if (s.job) jobs.cancel(s.job.id);
    Object.assign(s, emptySampling(), { kept: s.kept });
  }
  for (const id of metricsJobs) jobs.cancel(id);
  metricsJobs.clear();
  page.metrics = { run: page.run.id, points: [] };
  page.snapshot?.field.free();
  page.snapshot = null;
  page.learned = null;
  refreshIntegration();
  page.paused = false;
  setStatus('running');
  $('pause').textContent = 'Pause';
  $('pause').setAttribute('aria-pressed', 'false');
  $('progress').textContent = `0 / ${settings.steps.toLocaleString('en-US')} steps`;
  invalidate(page.active);
}

// ---- the target ------------------------------------------------------------------------------

/**
 * The loss floor of the current settings: exact for independent pairs; under minibatch OT, the
 * binned estimate at the run's batch size (figure 15's, same pairs: about 30 ms).
 */
function refreshLossFloor() {
  const key = JSON.stringify(fixedInputs({ coupled: true }));
  if (page.lossFloorFor === key) return;
  page.lossFloorFor = key;
  const { target, coupling, batch } = page.state;
  page.lossFloor = coupling === 'ot' ? page.math.otLossFloors(target, Uint32Array.of(batch), 100_000, 3)[0] : page.math.lossFloor(target);
}

/**
 * What follows the target at once, also while a bump is dragged (a few ms). The loss floor (about
 * 20 ms) waits for the restart that always follows.
 */
function targetDerived() {
  const target = page.state.target;
  page.target = page.math.targetComponents(target);
  page.lossFloor = NaN;
  page.lossFloorFor = null;
  page.entropy = page.math.targetEntropy(target);
  for (const fig of FIGURES) if (fig.needs.curves) page.curves[fig.name] = fig.needs.curves(page.math, target);
  ensureExact();
  refreshIntegration();
  for (const f of FIGURES) invalidate(f.name);
}

/**
 * The reader edited the target (link text). Checked by Rust; a bad one changes nothing and says why.
 * `settle`: the edit is complete (a release, a button): restart at once; otherwise wait for a rest.
 */
function setTarget(text, { settle = true } = {}) {
  let canonical;
  try {
    canonical = page.math.parseTarget(text);
  } catch (e) {
    showMessage(`Target not changed: ${e.message}`);
    return false;
  }
  clearTimeout(targetTimer);
  if (canonical !== page.state.target) {
    page.state.target = canonical;
    saveHash();
    targetDerived();
  }
  const restart = () => {
    if (page.run.target !== page.state.target) startTraining();
  };
  if (settle) restart();
  else targetTimer = setTimeout(restart, TARGET_SETTLE_MS);
  return true;
}

const engineHandlers = {
  ready(m) {
    page.backend = m;
    $('backend-badge').textContent = m.label;
    $('backend-badge').dataset.kind = m.kind;
    if (m.note) showMessage([m.note, $('message').textContent].filter(Boolean).join(' · '), 'note');
  },
  progress(m) {
    const run = page.run;
    run.engineMemory = m.memory;
    run.buffer.set(m.losses, m.steps - m.losses.length);
    run.steps = m.steps;
    run.losses = run.buffer.subarray(0, m.steps);
    run.stepsPerSecond = m.stepsPerSecond;
    run.path = m.path;
    $('backend-badge').dataset.path = m.path;
    $('backend-badge').title = m.path === 'fused' ? 'training with the fused WebGPU kernels (two dispatches a step)' : "training with burn's generic step";
    $('progress').textContent = `${m.steps.toLocaleString('en-US')} / ${m.total.toLocaleString('en-US')} steps`;
    $('progress').dataset.steps = String(m.steps);
    $('speed').textContent = m.stepsPerSecond > 0 ? `${m.stepsPerSecond.toFixed(0)} steps/s` : '';
    invalidateWhere('progress');
  },
  snapshot(m) {
    page.snapshot?.field.free();
    // The figures use the network the settings chose; the metrics measure both.
    const weights = page.state.average ? m.averaged : m.latest;
    page.snapshot = { run: m.run, steps: m.steps, hidden: m.hidden, weights, field: new page.math.LearnedField(m.hidden, weights) };
    if (m.checkpoint) measure(m);
    refreshIntegration();
    invalidateWhere('integration');
    refreshLearned();
    maybeSample();
  },
  finished() {
    setStatus('finished');
    maybeSample();
    reflow.baseFinished(page.snapshot);
  },
  diverged(m) {
    setStatus('diverged');
    showMessage(`Training stopped: ${m.message}. The learning rate is probably too large: open Settings and press "Tutorial settings", or lower it and Apply.`);
  },
  rejected(m) {
    setStatus('error');
    showMessage(`Not started: ${m.message}`);
  },
  failed(detail, kind) {
    // The worker is gone (a panic, a lost GPU, a crash). Start a fresh one, on the CPU, and run the
    // same settings again from step 0 — unless it keeps failing.
    console.warn('the engine failed:', detail);
    const first = String(detail).split('\n')[0];
    const message = first.length > 160 ? `${first.slice(0, 160)}…` : first;
    const now = performance.now();
    recoveries = recoveries.filter((t) => now - t < RECOVERY_WINDOW_MS);
    if (recoveries.length >= MAX_RECOVERIES) {
      setStatus('error');
      showMessage(`Training failed again (${message}). Reload the page to try once more.`);
      return;
    }
    recoveries.push(now);
    const lostGpu = kind === 'webgpu';
    engine = new EngineClient(routedHandlers, { forceCpu: true });
    $('backend-badge').textContent = 'restarting…';
    $('backend-badge').dataset.kind = 'pending';
    showMessage(lostGpu ? `The GPU stopped responding (${message}). Training restarted on the CPU.` : `The training engine stopped (${message}). It was restarted with the same settings.`);
    startTraining();
  },
};

/** The engine's messages: those of a reflow round go to the rounds, the rest to the handlers above. */
const routedHandlers = Object.fromEntries(
  Object.entries(engineHandlers).map(([type, handle]) => [type, (m, kind) => (m && typeof m === 'object' && reflow?.owns(m.run) ? reflow.handle(type, m) : handle(m, kind))]),
);

// ---- controls ---------------------------------------------------------------------------------

function applyTraining(values) {
  Object.assign(page.state, values);
  fillSettingsForm($('settings-fields'), page.settings, page.state);
  saveHash();
  showMessage('');
  startTraining();
}

function wireControls() {
  $('retrain').addEventListener('click', () => applyTraining({ seed: (page.state.seed + 1) % 4294967296 }));
  $('pause').addEventListener('click', () => {
    if (page.run.status !== 'running') return;
    page.paused = !page.paused;
    if (page.paused) engine.pause();
    else engine.resume();
    $('pause').textContent = page.paused ? 'Resume' : 'Pause';
    $('pause').setAttribute('aria-pressed', String(page.paused));
  });
  $('settings-toggle').addEventListener('click', () => {
    const open = $('settings').hidden;
    $('settings').hidden = !open;
    $('settings-toggle').setAttribute('aria-expanded', String(open));
  });
  buildSettingsForm($('settings-fields'), page.settings);
  fillSettingsForm($('settings-fields'), page.settings, page.state);
  $('settings').addEventListener('submit', (event) => {
    event.preventDefault();
    const read = readSettingsForm($('settings-fields'), page.settings);
    if (read.errors) showMessage(`Not applied: ${read.errors.join('; ')}. Training continues with the previous settings.`);
    else applyTraining(read.values);
  });
  $('settings-reset').addEventListener('click', () => {
    const d = defaults(page.settings);
    applyTraining(Object.fromEntries(page.settings.filter((s) => s.train).map((s) => [s.key, d[s.key]])));
  });

  $('solver').value = page.state.solver;
  $('solver').addEventListener('change', () => {
    page.state.solver = $('solver').value;
    viewChanged();
  });
  integration = new Integration({
    settings: page.settings,
    state: page.state,
    reducedMotion: page.reducedMotion,
    onChange: () => {
      refreshIntegration();
      saveHash();
      invalidateWhere('integration');
    },
    isVisible: () => activeNeeds('integration') && !document.hidden,
  });
  for (const fig of FIGURES) {
    fig.interact?.(elements[fig.name].target, page, {
      changed: () => invalidate(fig.name),
      integration,
      setTarget,
      train: (values) => applyTraining(values),
      rectify: () => reflow.next(),
    });
  }
}

// ---- links pasted into an open tab, and hidden tabs ---------------------------------------------

/** Applies a new hash (a pasted link, an edited address) with the same validation as at load. */
function applyHash() {
  const { state, errors } = readHash(page.settings, location.hash);
  showMessage(errors.map((e) => `Link: ${e}`).join(' · '));
  const retrain = page.settings.some((s) => (s.train || s.key === 'target') && state[s.key] !== page.state[s.key]);
  const targetMoved = state.target !== page.state.target;
  const view = state.solver !== page.state.solver || state.exact !== page.state.exact;
  const figure = state.figure !== page.state.figure && state.figure;
  // embed is a way of loading the page; it does not change in an open tab.
  Object.assign(page.state, state, { embed: page.state.embed });
  fillSettingsForm($('settings-fields'), page.settings, page.state);
  integration.sync();
  refreshIntegration();
  invalidateWhere('integration');
  if (figure && !page.state.embed) document.querySelector(`.step[data-figure="${figure}"]`)?.scrollIntoView();
  if (figure && page.state.embed) activate(figure);
  if (targetMoved) targetDerived();
  if (view) viewChanged();
  if (retrain) startTraining();
}

const HIDDEN_GRACE_MS = 10_000; // a tab hidden this long stops training until it is shown again
let hiddenTimer = null;
let pausedWhileHidden = false;

function onVisibility() {
  clearTimeout(hiddenTimer);
  if (document.hidden) {
    // Drawing stops by itself (no animation frames in a hidden tab); training stops after a while.
    hiddenTimer = setTimeout(() => {
      // The engine trains one run at a time: the page's, or a reflow round once that has finished.
      const training = page.run.status === 'running' || page.reflow.training?.status === 'training';
      if (training && !page.paused) {
        pausedWhileHidden = true;
        engine.pause();
        document.body.dataset.hiddenPause = 'true';
      }
    }, HIDDEN_GRACE_MS);
  } else if (pausedWhileHidden) {
    pausedWhileHidden = false;
    delete document.body.dataset.hiddenPause;
    if (!page.paused) engine.resume();
  }
}

/**
 * An embedded figure tells the page around it how tall it is, whenever that changes, so that the
 * iframe can be sized to fit (the README has the three lines the host page needs).
 */
function tellParentOurHeight(figure) {
  if (window.parent === window) return;
  const report = () => window.parent.postMessage({ type: HEIGHT_MESSAGE, figure, height: Math.ceil(document.documentElement.scrollHeight) }, '*');
  new ResizeObserver(report).observe(document.body);
  report();
}

// ---- start ------------------------------------------------------------------------------------

async function main() {
  // Read-only view for the browser tests and for curious readers with a console open.
  window.explorable = page;
  page.math = await loadMath();
  const targets = { parse: page.math.parseTarget, tutorial: page.math.tutorialTargetText() };
  page.settings = makeSettings(page.math.settingsTable(), FIGURES.map((f) => f.name), targets);
  const { state, errors } = readHash(page.settings, location.hash);
  page.state = state;
  page.target = page.math.targetComponents(state.target);
  refreshLossFloor();
  page.entropy = page.math.targetEntropy(state.target);
  for (const fig of FIGURES) if (fig.needs.curves) page.curves[fig.name] = fig.needs.curves(page.math, state.target);
  mountFigures();
  showMessage(errors.map((e) => `Link: ${e}`).join(' · '));
  setStatus('starting');

  if (state.embed) {
    document.body.classList.add('embed');
    document.body.dataset.embed = state.figure || 'learned-field';
    activate(state.figure || 'learned-field');
    tellParentOurHeight(document.body.dataset.embed);
  } else {
    observeSteps(document.querySelectorAll('.step'), (step) => activate(step.dataset.figure));
    if (!page.active) activate(state.figure || FIGURES[0].name);
    if (state.figure) document.querySelector(`.step[data-figure="${state.figure}"]`)?.scrollIntoView();
  }
  window.addEventListener('resize', () => invalidate(page.active));
  // The sticky figure sits below the status bar, whose height changes with its message.
  new ResizeObserver(([entry]) => {
    document.documentElement.style.setProperty('--status-height', `${entry.target.offsetHeight}px`);
  }).observe(document.querySelector('.status'));
  wireControls();

  // The first figure is on screen before anything heavy is fetched or started.
  await nextFrame();
  jobs = new FigureJobs();
  engine = new EngineClient(routedHandlers, { step: page.state.step });
  reflow = new ReflowRounds({
    page,
    jobs,
    engine: () => engine,
    nextRun: () => ++runCounter,
    settings: () => trainSettings(page.settings, page.state),
    changed: () => invalidateWhere('reflow'),
    urgent: () => activeNeeds('reflow'),
  });
  $('retrain').disabled = false;
  startTraining();
  window.addEventListener('hashchange', applyHash);
  document.addEventListener('visibilitychange', onVisibility);
}

main().catch((error) => {
  console.error(error);
  showMessage(`The explorable could not start: ${error.message || error}`);
});
