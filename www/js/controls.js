// The reader's controls outside the figures' own: Retrain, Pause, the settings form, the solver menu,
// the integration timeline, and each figure's interactions. They change state and call the page's
// actions; nothing here draws or computes.

import { Integration } from './integration.js';
import { buildSettingsForm, fillSettingsForm, readSettingsForm } from './settings-panel.js';
import { defaults } from './state.js';
import { showMessage } from './status-bar.js';
import { TABLE } from './table.js';

const $ = (id) => document.getElementById(id);

/**
 * actions: { train(values), retrain(), togglePause(), viewChanged(), integrationMoved(),
 * setTarget(text, opts), rectify(), setPlaneTarget(target), planeTrain(values), planeReflow() };
 * view: the figure view (elements, activeNeeds). Returns the timeline.
 */
export function wireControls(page, figures, view, actions) {
  $('retrain').addEventListener('click', () => actions.retrain());
  $('pause').addEventListener('click', () => actions.togglePause());
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
    else actions.train(read.values);
  });
  $('settings-reset').addEventListener('click', () => {
    const d = defaults(page.settings);
    actions.train(Object.fromEntries(page.settings.filter((s) => s.train || s.form).map((s) => [s.key, d[s.key]])));
  });

  // The solver menu and the timeline's step range are Rust's (the page table).
  for (const { name, label } of TABLE.solvers) $('solver').append(new Option(label, name));
  Object.assign($('euler-steps'), { min: String(TABLE.eulerSteps.min), max: String(TABLE.eulerSteps.max) });
  $('solver').value = page.state.solver;
  $('solver').addEventListener('change', () => {
    page.state.solver = $('solver').value;
    actions.viewChanged();
  });
  const integration = new Integration({
    settings: page.settings,
    state: page.state,
    reducedMotion: page.reducedMotion,
    onChange: () => actions.integrationMoved(),
    isVisible: () => view.activeNeeds('integration') && !document.hidden,
  });
  for (const fig of figures) {
    fig.interact?.(view.elements[fig.name].target, page, {
      changed: () => view.invalidate(fig.name),
      integration,
      setTarget: (text, options) => actions.setTarget(text, options),
      train: (values) => actions.train(values),
      rectify: () => actions.rectify(),
      setPlaneTarget: (target) => actions.setPlaneTarget(target),
      planeTrain: (values) => actions.planeTrain(values),
      planeReflow: () => actions.planeReflow(),
    });
  }
  return integration;
}

/** The form and the solver menu follow the state (a pasted link, a reset). */
export function syncControls(page) {
  fillSettingsForm($('settings-fields'), page.settings, page.state);
  $('solver').value = page.state.solver;
}
