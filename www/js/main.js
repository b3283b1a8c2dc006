// Wires the page: loads the wasm engine, picks a backend, draws figures from derived state, and
// connects the controls. It computes nothing itself.

import { chooseBackend } from './backend.js';
import { drawDensities, RANGE as DENSITY_RANGE } from './figures/densities.js';
import { drawLearnedField, FIELD } from './figures/learned-field.js';
import { drawLossCurve, recentMean } from './figures/loss-curve.js';
import { Player } from './player.js';
import { readHash, trainSettings } from './state.js';

const $ = (id) => document.getElementById(id);
const FIELD_REDRAW_MS = 1000;

function bindings() {
  if (window.wasmBindings) return Promise.resolve(window.wasmBindings);
  return new Promise((resolve) => {
    window.addEventListener('TrunkApplicationStarted', () => resolve(window.wasmBindings), { once: true });
  });
}

function showMessage(text) {
  const el = $('message');
  el.textContent = text;
  el.hidden = !text;
}

function linspace(a, b, n) {
  return Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
}

/** Everything the page knows; figures are drawn from this, never from timers. */
const page = {
  wasm: null,
  backend: null,
  player: null,
  state: null,
  progress: { steps: 0, total: 0, losses: [], stepsPerSecond: 0 },
  lastFieldDraw: 0,
};

function drawFigure1() {
  const xs = linspace(DENSITY_RANGE[0], DENSITY_RANGE[1], 400);
  drawDensities($('fig-densities'), { xs, noise: page.wasm.noisePdf(Float64Array.from(xs)), target: page.wasm.targetPdf(Float64Array.from(xs)) });
}

function drawLearned() {
  const grid = page.backend.engine.learnedGrid(FIELD.times, FIELD.lo, FIELD.hi, FIELD.bins);
  if (!grid) return;
  const { vmax } = drawLearnedField($('fig-learned-field'), grid, {
    title: `Learned velocity field after ${page.progress.steps.toLocaleString('en-US')} steps`,
  });
  $('fig-learned-field').setAttribute(
    'aria-label',
    `Learned velocity field after ${page.progress.steps} steps; largest speed ${vmax.toFixed(2)}`,
  );
}

function drawLoss() {
  const { losses, total } = page.progress;
  drawLossCurve($('fig-loss'), losses, total);
  const mean = recentMean(losses);
  $('fig-loss').setAttribute(
    'aria-label',
    `Training loss over ${losses.length} steps; mean of the last 100: ${Number.isFinite(mean) ? mean.toFixed(3) : 'n/a'}`,
  );
}

function showProgress() {
  const { steps, total, stepsPerSecond } = page.progress;
  $('progress').textContent = `${steps.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} steps`;
  $('speed').textContent = stepsPerSecond > 0 ? `${stepsPerSecond.toFixed(0)} steps/s` : '';
  $('progress').dataset.steps = String(steps);
}

async function onProgress(progress) {
  page.progress = progress;
  showProgress();
  drawLoss();
  const now = performance.now();
  const finished = progress.steps >= progress.total;
  if (finished || now - page.lastFieldDraw > FIELD_REDRAW_MS) {
    page.lastFieldDraw = now;
    await page.backend.engine.refreshSnapshot();
    drawLearned();
  }
}

function startTraining() {
  const settings = trainSettings(page.state);
  page.progress = { steps: 0, total: settings.steps, losses: [], stepsPerSecond: 0 };
  page.player.start(settings);
  document.body.dataset.training = 'running';
}

async function recoverOnCpu(error) {
  showMessage(`The GPU stopped responding (${error.message || error}). Training restarted on the CPU.`);
  page.backend = await chooseBackend(page.wasm, { forceCpu: true });
  showBackend();
  makePlayer();
  startTraining();
}

function makePlayer() {
  page.player = new Player(page.backend.engine, page.backend.kind, {
    onProgress,
    onFinished: () => {
      document.body.dataset.training = 'finished';
    },
    onDiverged: (message) => {
      document.body.dataset.training = 'diverged';
      showMessage(`Training stopped: ${message}. The learning rate is probably too large; press Retrain or reset the settings.`);
    },
    onError: (error) => {
      console.warn('training failed', error);
      document.body.dataset.training = 'error';
      if (page.backend.kind === 'webgpu') recoverOnCpu(error);
      else showMessage(`Training failed: ${error.message || error}`);
    },
  });
}

function showBackend() {
  const badge = $('backend-badge');
  badge.textContent = page.backend.label;
  badge.dataset.kind = page.backend.kind;
}

async function main() {
  // Read-only view for the browser tests and for curious readers with a console open.
  window.explorable = page;
  page.wasm = await bindings();
  const { state, errors } = readHash(location.hash);
  page.state = state;
  drawFigure1();
  page.backend = await chooseBackend(page.wasm);
  showBackend();
  showMessage([page.backend.note, ...errors].filter(Boolean).join(' · '));
  makePlayer();
  $('retrain').disabled = false;
  $('retrain').addEventListener('click', () => {
    page.state.seed = (page.state.seed + 1) % 4294967296;
    showMessage('');
    startTraining();
  });
  startTraining();
}

main().catch((error) => {
  console.error(error);
  showMessage(`The explorable could not start: ${error.message || error}`);
});
