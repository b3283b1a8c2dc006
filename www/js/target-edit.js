// The reader edits the target (figure 14's bumps, a pasted link): the link text is checked by Rust,
// what follows from it is derived at once, and training restarts on it once the edit is complete —
// at once on a release or a button, or after the dragged bump has rested a moment.

import { showMessage } from './status-bar.js';

const SETTLE_MS = 400; // while a bump is dragged, training restarts once it rests this long

export class TargetEditor {
  /** page; targetMoved(): derive and redraw what follows the target; restart(): train on it. */
  constructor({ page, targetMoved, restart }) {
    Object.assign(this, { page, targetMoved, restart });
    this.timer = null;
  }

  /**
   * Sets the target to `text` (link text). A bad one changes nothing and says why; returns whether
   * it was taken. `settle`: the edit is complete: restart at once; otherwise wait for a rest.
   */
  set(text, { settle = true } = {}) {
    const page = this.page;
    let canonical;
    try {
      canonical = page.math.parseTarget(text);
    } catch (e) {
      showMessage(`Target not changed: ${e.message}`);
      return false;
    }
    this.cancel();
    if (canonical !== page.state.target) {
      page.state.target = canonical;
      this.targetMoved();
    }
    const restart = () => {
      if (page.run.target !== page.state.target) this.restart();
    };
    if (settle) restart();
    else this.timer = setTimeout(restart, SETTLE_MS);
    return true;
  }

  /** A pending restart is dropped (a run started anyway). */
  cancel() {
    clearTimeout(this.timer);
    this.timer = null;
  }
}
