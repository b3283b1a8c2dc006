// What the reader's actions do to the page: train with new settings, change a view setting, scrub the
// timeline, edit the target, show another figure. Each updates the state, the link, what is derived
// at once, and asks for a redraw and for the jobs that now follow; the parts are the page's modules.

import { syncControls } from './controls.js';
import { deriveExact, deriveIntegration, deriveTarget } from './derived.js';
import { saveHash } from './links.js';
import { showMessage } from './status-bar.js';

export class PageActions {
  /** page, figures, view; `parts` ({ scheduler, article, reflow, editor, integration }) are set as they start. */
  constructor({ page, figures, view }) {
    Object.assign(this, { page, figures, view });
    this.parts = {};
  }

  /** The exact field for the figure on screen, and the jobs the state now asks for. */
  refresh() {
    deriveExact(this.page, this.view.activeNeeds('exact'));
    this.parts.scheduler?.update();
  }

  train(values) {
    Object.assign(this.page.state, values);
    syncControls(this.page);
    saveHash(this.page);
    showMessage('');
    this.parts.article.start();
  }

  togglePause() {
    this.parts.article.togglePause();
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
    this.refresh();
  }
}
