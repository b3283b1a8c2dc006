// Wires the article: loads the wasm engine, picks a backend, keeps the page's derived state, and
// redraws the active figure when that state changes. Math lives in Rust; drawing lives in views.

import { chooseBackend } from './backend.js';
import { RANGE as DENSITY_RANGE } from './figures/densities.js';
import { FIELD } from './figures/field-figure.js';
import { RECON } from './figures/reconstructed.js';
import { PATHS } from './figures/reference-paths.js';
import { SAMPLED } from './figures/sampled-density.js';
import { makeDraggable, TARGET_DEFAULTS } from './figures/velocity-target.js';
import { Integration } from './integration.js';
import { Player } from './player.js';
import { sampleCount, Sampler } from './sampler.js';
import { observeSteps } from './scroll.js';
import { buildSettingsForm, fillSettingsForm, readSettingsForm } from './settings-panel.js';
import { defaults, readHash, setFigureChoices, SETTINGS, trainSettings, writeHash } from './state.js';
import { linspace } from './plot.js';
import { LINE_STARTS, VIEWS } from './views.js';

const $ = (id) => document.getElementById(id);
const FIGURES = Object.keys(VIEWS);
const MODEL_REFRESH_MS = 1000; // how often the learned-field figures follow the training run
const HEAVY_EVERY_STEPS = 2000; // heavy figures resample at most this often while training runs
// The figures that sample many noise points through the network: Euler steps, optional path
// density, and the range and bins of their histograms (noise always in 100 bins).
const HEAVY = {
  'learned-field': { steps: 100, density: null, range: [FIELD.lo, FIELD.hi], bins: 100 },
  reconstructed: { steps: RECON.steps, density: null, range: [RECON.lo, RECON.hi], bins: RECON.bins },
  'sampled-density': {
    steps: SAMPLED.steps,
    density: { lo: SAMPLED.lo, hi: SAMPLED.hi, bins: SAMPLED.bins },
    range: [SAMPLED.lo, SAMPLED.hi],
    bins: SAMPLED.histBins,
  },
};

/** Everything the page knows. Figures are drawn from this, never from timers. */
const page = {
  wasm: null,
  backend: null,
  player: null,
  sampler: null,
  state: defaults(),
  active: null,
  fixed: {},
  progress: { steps: 0, total: 0, losses: [], stepsPerSecond: 0 },
  learned: { grid: null, lines: null, steps: 0 },
  heavy: Object.fromEntries(Object.keys(HEAVY).map((k) => [k, { result: null, progress: null }])),
  velocityTarget: { ...TARGET_DEFAULTS },
  integration: { path: null, k: 0 },
  lastModelRefresh: 0,
  reducedMotion: matchMedia('(prefers-reduced-motion: reduce)').matches,
};

function bindings() {
  if (window.wasmBindings) return Promise.resolve(window.wasmBindings);
  return new Promise((resolve) => {
    window.addEventListener('TrunkApplicationStarted', () => resolve(window.wasmBindings), { once: true });
  });
}

/** Shows a message under the status bar; `note` is informational, anything else a warning. */
function showMessage(text, kind = 'warning') {
  $('message').textContent = text;
  $('message').hidden = !text;
  $('message').classList.toggle('note', kind === 'note');
}

function saveHash() {
  history.replaceState(null, '', `${location.pathname}${location.search}${writeHash(page.state)}` || location.pathname);
}

/** Redraws a figure if it is the one on screen (or all of them for `name = null`). */
function redraw(name = page.active) {
  if (!name || name !== page.active) return;
  VIEWS[name](page);
  const fig = document.querySelector(`.fig[data-figure="${name}"]`);
  fig.dataset.drawn = 'true';
}

function activate(name) {
  page.active = name;
  for (const el of document.querySelectorAll('.step')) el.classList.toggle('active', el.dataset.figure === name);
  for (const el of document.querySelectorAll('.fig')) el.classList.toggle('shown', el.dataset.figure === name);
  $('integration').classList.toggle('shown', name === 'path-table' || name === 'euler-animation');
  document.body.dataset.activeFigure = name;
  if (name !== 'euler-animation') page.integrationControls?.stop();
  redraw(name);
  maybeSample();
}

// ---- figures 1–4: computed once from the math alone --------------------------------------------

/** Noise and target densities sampled on n points of [lo, hi]. */
function densityCurves(lo, hi, n) {
  const xs = linspace(lo, hi, n);
  return { xs, noise: page.wasm.noisePdf(Float64Array.from(xs)), target: page.wasm.targetPdf(Float64Array.from(xs)) };
}

function computeFixed() {
  const w = page.wasm;
  page.fixed.densities = densityCurves(DENSITY_RANGE[0], DENSITY_RANGE[1], 400);
  // Figures 2 and 9 share the view [−2.5, 2.5].
  page.fixed.narrowDensities = densityCurves(PATHS.lo, PATHS.hi, 400);
  const paths = w.referencePaths(PATHS.n, PATHS.steps, PATHS.lo, PATHS.hi, PATHS.bins, PATHS.histBins, PATHS.examples, 1);
  page.fixed.paths = {
    pdfs: page.fixed.narrowDensities,
    starts: paths.exampleStarts,
    ends: paths.exampleEnds,
    density: paths.density,
    noiseHist: paths.noiseHistogram,
    targetHist: paths.targetHistogram,
  };
  page.fixed.average = w.binnedField(100_000, 21, -2.2, 2.2, 200, -3.2, 3.2, LINE_STARTS.length, 1);
}

// ---- figures 5–10: follow the network ----------------------------------------------------------

/** Recomputes what the learned-field figures show from the engine's latest weight snapshot. */
function refreshLearned() {
  const engine = page.backend.engine;
  page.learned = {
    grid: engine.learnedGrid(FIELD.times, FIELD.lo, FIELD.hi, FIELD.bins),
    lines: engine.learnedPaths(Float64Array.from(LINE_STARTS), 100),
    steps: page.progress.steps,
  };
  refreshIntegration();
}

function refreshIntegration() {
  const { eulerSteps, x0 } = page.state;
  const rows = page.backend.engine.learnedPaths(Float64Array.of(x0), eulerSteps);
  page.integration.path = rows ? Array.from(rows) : null;
  page.integration.k = Math.round(page.state.t * eulerSteps);
}

async function onProgress(progress) {
  page.progress = progress;
  $('progress').textContent = `${progress.steps.toLocaleString('en-US')} / ${progress.total.toLocaleString('en-US')} steps`;
  $('progress').dataset.steps = String(progress.steps);
  $('speed').textContent = progress.stepsPerSecond > 0 ? `${progress.stepsPerSecond.toFixed(0)} steps/s` : '';
  redraw('loss');
  const now = performance.now();
  const finished = progress.steps >= progress.total;
  if (finished || !page.learned.grid || now - page.lastModelRefresh > MODEL_REFRESH_MS) {
    page.lastModelRefresh = now;
    if (await page.backend.engine.refreshSnapshot()) {
      refreshLearned();
      for (const name of ['learned-field', 'path-table', 'euler-animation']) redraw(name);
    }
  }
  maybeSample();
}

/** Starts the sampling job the active figure needs, if its picture is missing or out of date. */
async function maybeSample() {
  const training = document.body.dataset.training === 'running';
  const name = page.active in HEAVY ? page.active : training ? null : Object.keys(HEAVY).find((k) => !fresh(k));
  if (!name || !page.sampler || fresh(name) || page.sampler.busy || page.progress.steps === 0) return;
  const heavy = page.heavy[name];
  const job = HEAVY[name];
  const n = sampleCount(page.backend, job.steps);
  const trainedSteps = page.progress.steps;
  heavy.progress = 0;
  heavy.pendingCount = n;
  heavy.error = '';
  redraw(name);
  try {
    const result = await page.sampler.run({ n, steps: job.steps, seed: 1, density: job.density }, (p) => {
      heavy.progress = p;
      redraw(name);
    });
    heavy.progress = null;
    if (result) {
      const [lo, hi] = job.range;
      heavy.result = {
        count: n,
        trainedSteps,
        generation: page.generation,
        w1: result.w1,
        ks: result.ks,
        density: result.density,
        noiseHist: page.wasm.densityHistogram(result.x0, lo, hi, 100),
        sampleHist: page.wasm.densityHistogram(result.x1, lo, hi, job.bins),
      };
    }
  } catch (error) {
    heavy.progress = null;
    heavy.error = `Sampling failed: ${error.message || error}`;
    console.warn(heavy.error);
  }
  redraw(name);
  maybeSample();
}

/** Whether a heavy figure's result belongs to this run and is recent enough. */
function fresh(name) {
  const r = page.heavy[name].result;
  if (!r || r.generation !== page.generation) return false;
  const finished = page.progress.steps >= page.progress.total;
  return finished ? r.trainedSteps === page.progress.steps : page.progress.steps - r.trainedSteps < HEAVY_EVERY_STEPS;
}

// ---- training ---------------------------------------------------------------------------------

/** Records where the run stands ('running', 'finished', 'diverged', 'error'); Pause only applies to a running one. */
function setTraining(status) {
  document.body.dataset.training = status;
  $('pause').disabled = status !== 'running';
}

function startTraining() {
  const settings = trainSettings(page.state);
  page.generation = page.player.start(settings);
  page.sampler.cancel();
  page.progress = { steps: 0, total: settings.steps, losses: [], stepsPerSecond: 0 };
  page.learned = { grid: null, lines: null, steps: 0 };
  for (const h of Object.values(page.heavy)) Object.assign(h, { result: null, progress: null, error: '' });
  page.lastModelRefresh = 0;
  setTraining('running');
  $('pause').textContent = 'Pause';
  $('pause').setAttribute('aria-pressed', 'false');
  redraw();
}

function makeEngine(backend) {
  page.backend = backend;
  page.sampler = new Sampler(backend.engine);
  $('backend-badge').textContent = backend.label;
  $('backend-badge').dataset.kind = backend.kind;
  page.player = new Player(backend.engine, backend.kind, {
    onProgress,
    onFinished: () => {
      setTraining('finished');
      maybeSample();
    },
    onDiverged: (message) => {
      setTraining('diverged');
      showMessage(`Training stopped: ${message}. The learning rate is probably too large: open Settings and press "Tutorial settings", or lower it and Apply.`);
    },
    onError: async (error) => {
      console.warn('training failed', error);
      setTraining('error');
      if (page.backend.kind === 'webgpu') {
        showMessage(`The GPU stopped responding (${error.message || error}). Training restarted on the CPU.`);
        makeEngine(await chooseBackend(page.wasm, { forceCpu: true }));
        startTraining();
      } else {
        showMessage(`Training failed: ${error.message || error}`);
      }
    },
  });
}

// ---- controls ---------------------------------------------------------------------------------

function wireControls() {
  $('retrain').addEventListener('click', () => {
    page.state.seed = (page.state.seed + 1) % 4294967296;
    fillSettingsForm($('settings-fields'), page.state);
    saveHash();
    showMessage('');
    startTraining();
  });
  $('pause').addEventListener('click', () => {
    if (document.body.dataset.training !== 'running') return;
    const paused = !page.player.paused;
    if (paused) page.player.pause();
    else page.player.resume();
    $('pause').textContent = paused ? 'Resume' : 'Pause';
    $('pause').setAttribute('aria-pressed', String(paused));
  });
  $('settings-toggle').addEventListener('click', () => {
    const open = $('settings').hidden;
    $('settings').hidden = !open;
    $('settings-toggle').setAttribute('aria-expanded', String(open));
  });
  buildSettingsForm($('settings-fields'));
  fillSettingsForm($('settings-fields'), page.state);
  $('settings').addEventListener('submit', (event) => {
    event.preventDefault();
    const read = readSettingsForm($('settings-fields'));
    if (read.errors) {
      showMessage(`Not applied: ${read.errors.join('; ')}. Training continues with the previous settings.`);
      return;
    }
    Object.assign(page.state, read.values);
    saveHash();
    showMessage('');
    startTraining();
  });
  $('settings-reset').addEventListener('click', () => {
    const d = defaults();
    for (const s of SETTINGS.filter((s) => s.train)) page.state[s.key] = d[s.key];
    fillSettingsForm($('settings-fields'), page.state);
    saveHash();
    showMessage('');
    startTraining();
  });

  const vt = $('fig-velocity-target');
  makeDraggable(vt, () => page.velocityTarget, (next) => {
    page.velocityTarget = next;
    redraw('velocity-target');
  });

  page.integrationControls = new Integration({
    state: page.state,
    reducedMotion: page.reducedMotion,
    onChange: () => {
      refreshIntegration();
      saveHash();
      redraw('path-table');
      redraw('euler-animation');
    },
    fieldCanvas: $('fig-euler-animation'),
    isVisible: () => page.active === 'euler-animation' && !document.hidden,
  });
}

// ---- start ------------------------------------------------------------------------------------

async function main() {
  // Read-only view for the browser tests and for curious readers with a console open.
  window.explorable = page;
  setFigureChoices(FIGURES);
  const { state, errors } = readHash(location.hash);
  page.state = state;
  page.wasm = await bindings();
  computeFixed();

  if (state.embed) {
    const name = state.figure || 'learned-field';
    document.body.classList.add('embed');
    document.body.dataset.embed = name;
    activate(name);
  } else {
    observeSteps(document.querySelectorAll('.step'), (step) => activate(step.dataset.figure));
    if (!page.active) activate(state.figure || 'densities');
    if (state.figure) document.querySelector(`.step[data-figure="${state.figure}"]`)?.scrollIntoView();
  }
  window.addEventListener('resize', () => redraw());
  // The sticky figure sits below the status bar, whose height changes with its message.
  new ResizeObserver(([entry]) => {
    document.documentElement.style.setProperty('--status-height', `${entry.target.offsetHeight}px`);
  }).observe(document.querySelector('.status'));

  makeEngine(await chooseBackend(page.wasm));
  const linkErrors = errors.map((e) => `Link: ${e}`);
  showMessage([page.backend.note, ...linkErrors].filter(Boolean).join(' · '), linkErrors.length ? 'warning' : 'note');
  wireControls();
  $('retrain').disabled = false;
  startTraining();
}

main().catch((error) => {
  console.error(error);
  showMessage(`The explorable could not start: ${error.message || error}`);
});
