// What the reader's actions do to the page: train with new settings, change a view setting, scrub the
// timeline, edit the target, show another figure. Each updates the state, the link, what is derived
// at once, and asks for a redraw and for the jobs that now follow; the parts are the page's modules.

import { syncControls } from './controls.js';
import { deriveExact, deriveIntegration, deriveTarget } from './derived.js';
import { saveHash } from './links.js';
import { PLANE_TRAIN_KEYS } from './state.js';
import { showMessage, showPausable, showProgress } from './status-bar.js';

export class PageActions {
  /** page, figures, view; `parts` ({ scheduler, runs, article, plane, reflow, editor, integration }) are set as they start. */
  constructor({ page, figures, view }) {
    Object.assign(this, { page, figures, view });
    this.parts = {};
  }

  /** The exact field for the figure on screen, and the jobs the state now asks for. */
  refresh() {
    deriveExact(this.page, this.view.activeNeeds('exact'));
    this.parts.scheduler?.update();
  }

  /**
   * New settings (the form, Retrain on the line, a reset): the article retrains unless only chapter
   * four's own settings changed, and chapter four's network retrains, if it has started, when a
   * setting it trains with changed.
   */
  train(values) {
    const before = { ...this.page.state };
    Object.assign(this.page.state, values);
    syncControls(this.page);
    saveHash(this.page);
    showMessage('');
    const changed = (key) => key in values && values[key] !== before[key];
    const planeOnly = Object.keys(values).every((k) => !changed(k) || k.startsWith('plane'));
    if (!planeOnly || !Object.keys(values).some(changed)) this.parts.article.start();
    if (this.parts.plane?.started && PLANE_TRAIN_KEYS.some(changed)) this.parts.plane.start();
  }

  /** The lane whose chapter is on screen: 'line' or 'plane'. */
  get lane() {
    return this.view.activeFigure?.lane || 'line';
  }

  /** Retrain: a new seed for the network of the chapter on screen. */
  retrain() {
    const s = this.page.state;
    if (this.lane === 'plane') this.planeTrain({ planeSeed: (s.planeSeed + 1) % 4294967296 });
    else this.train({ seed: (s.seed + 1) % 4294967296 });
  }

  togglePause() {
    this.parts.article.togglePause();
  }

  /**
   * The plane target from the editor or a preset button: link text, or a drawn list [x, y, std,
   * weight, …] that Rust turns into link text. Refused input leaves the target as it was, with a message.
   */
  setPlaneTarget(target) {
    const { page } = this;
    let text;
    try {
      text = typeof target === 'string' ? page.math.parsePlaneTarget(target) : page.math.planeTargetFromBumps(Float64Array.from(target));
    } catch (e) {
      page.plane.error = `Not applied: ${String(e.message || e).slice(0, 200)}. The target is as it was.`;
      this.view.invalidateWhere('plane');
      return;
    }
    page.plane.error = '';
    page.plane.editing = null;
    this.planeTrain({ plane: text });
  }

  /** Chapter four's settings changed (target, pairing, seed): its network retrains, the article's is untouched. */
  planeTrain(values) {
    const { page } = this;
    Object.assign(page.state, values);
    page.plane.bumps = page.math.planeBumps(page.state.plane);
    saveHash(page);
    this.parts.plane.start();
    this.view.invalidateWhere('plane');
  }

  planeReflow() {
    this.parts.plane.reflow();
  }

  viewChanged() {
    saveHash(this.page);
    syncControls(this.page);
    this.refresh();
    deriveIntegration(this.page);
    this.view.syncTools();
    this.view.invalidate(this.page.active);
  }

  integrationMoved() {
    deriveIntegration(this.page);
    saveHash(this.page);
    this.view.invalidateWhere('integration');
    // Chapter four's particles are a job of the solver steps.
    this.parts.scheduler?.update();
  }

  targetMoved() {
    saveHash(this.page);
    deriveTarget(this.page, this.figures);
    this.refresh();
    deriveIntegration(this.page);
    this.view.invalidateAll();
  }

  setTarget(text, options) {
    return this.parts.editor.set(text, options);
  }

  rectify() {
    this.parts.reflow.next();
  }

  show(name) {
    if (!this.view.activate(name)) return;
    if (this.view.activeFigure.controls !== 'integration') this.parts.integration?.stop();
    this.focusLane();
    this.refresh();
  }

  /** The network of the chapter on screen trains (the run controller holds the other); chapter four's starts when first seen. */
  focusLane() {
    const { runs, plane } = this.parts;
    if (!runs) return;
    runs.focus(this.lane);
    if (this.lane === 'plane' && plane && !plane.started) plane.start();
    // The status bar follows the network of the chapter on screen.
    const run = this.lane === 'plane' ? this.page.plane.run : this.page.run;
    showProgress(run.steps, run.total, run.status === 'running' ? run.stepsPerSecond : 0);
    showPausable(run.status === 'running' || run.status === 'pairs');
  }
}
