// Each figure's small toolbar: its view toggles (kept in the URL, like every setting) and the share
// menu (link, embed code, PNG, CSV). It builds the controls and reports clicks; main.js acts on them.

const TOGGLES = { exact: 'exact field' };
const ACTIONS = [
  ['link', 'Copy link'],
  ['embed', 'Copy embed code'],
  ['png', 'Download PNG (2×)'],
  ['csv', 'Download CSV'],
];

/** handlers: { toggle(key, checked), share(action, menu) } */
export function mountTools(figure, fig, state, { toggle, share }) {
  const bar = document.createElement('div');
  bar.className = 'fig-tools';
  for (const key of fig.toggles || []) {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.dataset.toggle = key;
    box.checked = Boolean(state[key]);
    box.addEventListener('change', () => toggle(key, box.checked));
    label.append(box, ` ${TOGGLES[key]}`);
    bar.append(label);
  }
  const menu = document.createElement('details');
  menu.className = 'share';
  const summary = document.createElement('summary');
  summary.textContent = 'Share';
  const list = document.createElement('div');
  list.className = 'share-menu';
  for (const [action, text] of ACTIONS) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.share = action;
    button.textContent = text;
    button.addEventListener('click', () => share(action, menu));
    list.append(button);
  }
  const text = document.createElement('input');
  text.className = 'share-text';
  text.readOnly = true;
  text.hidden = true;
  text.setAttribute('aria-label', 'Text to copy');
  const note = document.createElement('span');
  note.className = 'share-note';
  note.setAttribute('role', 'status');
  list.append(text, note);
  menu.append(summary, list);
  bar.append(menu);
  figure.append(bar);
}

/** Puts the toggles in line with the state (after a pasted link, say). */
export function syncTools(figure, state) {
  for (const box of figure.querySelectorAll('[data-toggle]')) box.checked = Boolean(state[box.dataset.toggle]);
}
