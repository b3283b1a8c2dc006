// The page's address: every setting is written to the hash as it changes (so a link reproduces what
// its sender saw), and a link pasted into an open tab is applied with the same validation as at load.

import { PLANE_TRAIN_KEYS, readHash, writeHash } from './state.js';
import { showMessage } from './status-bar.js';

export function saveHash(page) {
  history.replaceState(null, '', `${location.pathname}${location.search}${writeHash(page.settings, page.state)}` || location.pathname);
}

/**
 * Follows the address: `on` says what to do when a new hash changes settings: { synced() (form and
 * timeline follow the state), targetMoved(), viewChanged(), retrain(), planeChanged(), show(figure) }.
 */
export function followHash(page, on) {
  window.addEventListener('hashchange', () => {
    const { state, errors } = readHash(page.settings, location.hash);
    // The playground is a way of loading the page: a link into it (or out of it) loads it anew.
    if (state.playground !== page.state.playground) return location.reload();
    showMessage(errors.map((e) => `Link: ${e}`).join(' · '));
    const retrain = page.settings.some((s) => (s.train || s.key === 'target') && state[s.key] !== page.state[s.key]);
    const planeChanged = ['plane', ...PLANE_TRAIN_KEYS].some((k) => state[k] !== page.state[k]);
    const targetMoved = state.target !== page.state.target;
    const view = state.solver !== page.state.solver || state.exact !== page.state.exact;
    const figure = state.figure !== page.state.figure && state.figure;
    // embed and playground are ways of loading the page; they do not change in an open tab.
    Object.assign(page.state, state, { embed: page.state.embed, playground: page.state.playground });
    on.synced();
    if (figure) on.show(figure);
    if (targetMoved) on.targetMoved();
    if (view) on.viewChanged();
    if (retrain) on.retrain();
    if (planeChanged) on.planeChanged();
  });
}
