// The figures on the page: mounts one <figure> per registry entry, knows which one is on screen, and
// draws only that one, at most once per frame, from the page's state (never from timers).

import { mountTools, syncTools } from './figure-tools.js';

export class FigureView {
  /** tools: { toggle(key, value), share(fig, number, target, action, menu) } for each figure's toolbar. */
  constructor({ page, figures, tools }) {
    Object.assign(this, { page, figures });
    this.byName = new Map(figures.map((f) => [f.name, f]));
    this.elements = {}; // figure name → { figure, target, caption, number }
    this.dirty = new Map(); // figure name → true to redraw it, false to refresh its caption only
    this.frameRequested = false;
    this.mount(tools);
  }

  mount(tools) {
    const column = document.querySelector('.figures');
    const before = document.getElementById('integration');
    this.figures.forEach((fig, i) => {
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
      column.insertBefore(figure, before);
      this.elements[fig.name] = { figure, target, caption, number: i + 1 };
      mountTools(figure, fig, this.page.state, {
        toggle: tools.toggle,
        share: (action, menu) => tools.share(fig, i + 1, target, action, menu),
      });
    });
    const sections = [...document.querySelectorAll('.step')].map((s) => s.dataset.figure);
    const missing = sections.filter((n) => !this.byName.has(n));
    if (missing.length) console.error(`sections without a registered figure: ${missing.join(', ')}`);
  }

  /** The figure on screen, or null. */
  get activeFigure() {
    return this.byName.get(this.page.active) || null;
  }

  /** Whether the figure on screen draws from `need` (a key of its `needs`). */
  activeNeeds(need) {
    return Boolean(this.activeFigure?.needs[need]);
  }

  /** Shows figure `name` (the reader scrolled to its section). */
  activate(name) {
    if (this.page.active === name) return false;
    this.page.active = name;
    const fig = this.byName.get(name);
    for (const el of document.querySelectorAll('.step')) el.classList.toggle('active', el.dataset.figure === name);
    for (const el of document.querySelectorAll('.fig')) el.classList.toggle('shown', el.dataset.figure === name);
    // Figures with a sampler show the solver choice; the integration figures add the timeline.
    document.getElementById('integration').classList.toggle('shown', Boolean(fig.controls));
    document.getElementById('timeline').hidden = fig.controls !== 'integration';
    document.body.dataset.activeFigure = name;
    this.invalidate(name);
    return true;
  }

  /** Whether figure `name` is on screen: the active one, or one of the playground's beside it. */
  onScreen(name) {
    return name === this.page.active || Boolean(this.page.alsoShown?.includes(name));
  }

  /** Redraws figure `name` at the next frame if it is on screen (`captionOnly`: only its caption). */
  invalidate(name, captionOnly = false) {
    if (!this.onScreen(name)) return;
    this.dirty.set(name, this.dirty.get(name) || !captionOnly);
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      for (const [n, redraw] of this.dirty) this.draw(n, redraw);
      this.dirty.clear();
    });
  }

  /** Redraws the figure on screen if it draws from `need`. */
  invalidateWhere(need) {
    for (const f of this.figures) if (f.needs[need]) this.invalidate(f.name);
  }

  invalidateAll() {
    for (const f of this.figures) this.invalidate(f.name);
  }

  /** Puts every toolbar's toggles in line with the state. */
  syncTools() {
    for (const el of Object.values(this.elements)) syncTools(el.figure, this.page.state);
  }

  draw(name, redraw = true) {
    // A User Timing entry per draw, so a benchmark can tell which figure a long task came from.
    const started = performance.now();
    const fig = this.byName.get(name);
    const el = this.elements[name];
    if (redraw) fig.draw(el.target, this.page);
    const { label, caption } = fig.describe(this.page);
    if (label) el.target.setAttribute('aria-label', label);
    el.caption.textContent = `Figure ${el.number}. ${caption}`;
    el.figure.dataset.drawn = 'true';
    // Observers see the entry; clearing it at once keeps a long visit's timeline buffer from growing.
    performance.measure(`draw ${name}`, { start: started });
    performance.clearMeasures(`draw ${name}`);
  }
}
