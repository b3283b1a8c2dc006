// The integration controls of figures 7 and 8: a timeline scrubber over the Euler steps (a native
// range input, so arrow keys, Home and End work), Play/Pause, the number of steps, and the start
// point x₀ (figure 8 drags it). They change state; drawing follows from it.

import { parseSetting } from './state.js';

const $ = (id) => document.getElementById(id);
const FRAME_MS = 150; // one Euler step per frame of the animation, about 7 steps a second

export class Integration {
  /** options: { settings, state, reducedMotion, onChange(), isVisible() } */
  constructor(options) {
    Object.assign(this, options);
    this.playing = false;
    this.scrubber = $('scrubber');
    this.stepsInput = $('euler-steps');
    this.sync();
    this.scrubber.addEventListener('input', () => {
      this.stop();
      this.setStep(Number(this.scrubber.value));
    });
    this.stepsInput.addEventListener('change', () => this.setEulerSteps(this.stepsInput.value));
    $('play').addEventListener('click', () => (this.playing ? this.stop() : this.play()));
  }

  setting(key) {
    return this.settings.find((s) => s.key === key);
  }

  get steps() {
    return this.state.eulerSteps;
  }

  /** Puts the controls in line with the state (after a load from the URL, say). */
  sync() {
    this.scrubber.max = String(this.steps);
    this.scrubber.value = String(Math.round(this.state.t * this.steps));
    this.stepsInput.value = String(this.steps);
    this.readout();
  }

  readout() {
    const k = Number(this.scrubber.value);
    $('scrubber-readout').textContent = `t = ${(k / this.steps).toFixed(2)} (step ${k} of ${this.steps})`;
    this.scrubber.setAttribute('aria-valuetext', `t = ${(k / this.steps).toFixed(2)}, step ${k}`);
  }

  setStep(k) {
    this.state.t = Math.max(0, Math.min(1, k / this.steps));
    this.scrubber.value = String(k);
    this.readout();
    this.onChange();
  }

  setEulerSteps(raw) {
    const parsed = parseSetting(this.setting('eulerSteps'), raw);
    $('euler-steps-error').textContent = parsed.error || '';
    this.stepsInput.setAttribute('aria-invalid', String(Boolean(parsed.error)));
    if (parsed.error) return;
    this.state.eulerSteps = parsed.value;
    this.sync();
    this.onChange();
  }

  play() {
    if (Number(this.scrubber.value) >= this.steps) this.setStep(0);
    if (this.reducedMotion) {
      // No animation: show the final frame at once.
      this.setStep(this.steps);
      return;
    }
    this.playing = true;
    document.body.dataset.animating = 'true';
    $('play').textContent = 'Pause';
    $('play').setAttribute('aria-pressed', 'true');
    let last = 0;
    const tick = (now) => {
      if (!this.playing) return;
      if (!this.isVisible()) {
        this.stop();
        return;
      }
      if (now - last >= FRAME_MS) {
        last = now;
        const k = Number(this.scrubber.value) + 1;
        this.setStep(Math.min(k, this.steps));
        if (k >= this.steps) {
          this.stop();
          return;
        }
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  }

  stop() {
    if (!this.playing) return;
    this.playing = false;
    delete document.body.dataset.animating;
    $('play').textContent = 'Play';
    $('play').setAttribute('aria-pressed', 'false');
  }

  moveStart(x) {
    const { min, max } = this.setting('x0');
    this.stop();
    this.state.x0 = Math.round(Math.max(min, Math.min(max, x)) * 100) / 100;
    this.onChange();
  }
}
