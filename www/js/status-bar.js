// The sticky status bar: which engine trains (badge), progress and speed, the Pause button's face,
// and the one message line where the page tells the reader what went wrong or what changed.

const $ = (id) => document.getElementById(id);
const steps = (n) => n.toLocaleString('en-US');

export function showMessage(text, kind = 'warning') {
  $('message').textContent = text;
  $('message').hidden = !text;
  $('message').classList.toggle('note', kind === 'note');
}

/** Adds a note in front of whatever the message line already says. */
export function addNote(note) {
  if (note) showMessage([note, $('message').textContent].filter(Boolean).join(' · '), 'note');
}

/** The article's run status: 'starting', 'running', 'finished', 'diverged' or 'error'. */
export function showStatus(status) {
  document.body.dataset.training = status;
  $('pause').disabled = status !== 'running';
}

export function showBackend({ label, kind }) {
  $('backend-badge').textContent = label;
  $('backend-badge').dataset.kind = kind;
}

export function showRestarting() {
  showBackend({ label: 'restarting…', kind: 'pending' });
}

const PATH_TITLES = {
  'webgpu fused': 'training with the fused WebGPU kernels (two dispatches a step)',
  'cpu fused': 'training with the fused CPU step (one pass over the batch, SIMD, no framework)',
};

/** How the engine computes a step: 'fused' (our kernels for the device) or 'generic' (burn's step). */
export function showPath(path) {
  const badge = $('backend-badge');
  badge.dataset.path = path;
  badge.title = PATH_TITLES[`${badge.dataset.kind} ${path}`] || "training with burn's generic step (autodiff)";
}

export function showProgress(done, total, stepsPerSecond = 0) {
  $('progress').textContent = `${steps(done)} / ${steps(total)} steps`;
  $('progress').dataset.steps = String(done);
  $('speed').textContent = stepsPerSecond > 0 ? `${stepsPerSecond.toFixed(0)} steps/s` : '';
}

/** Whether Pause can act: the run of the chapter on screen is training. */
export function showPausable(on) {
  $('pause').disabled = !on;
}

export function showPaused(paused) {
  $('pause').textContent = paused ? 'Resume' : 'Pause';
  $('pause').setAttribute('aria-pressed', String(paused));
}
