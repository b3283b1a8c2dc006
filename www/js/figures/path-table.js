// Figure 7: one sampled path as a table of (step, t, x), beside the same Euler steps on the exact
// field, with the scrubber's step highlighted. Built with text nodes only.

import { count, fmt, solverName } from './caption.js';

function drawPathTable(table, path, exact, current) {
  const body = table.tBodies[0];
  const steps = path.length - 1;
  const rows = [];
  for (let k = 0; k <= steps; k++) {
    const tr = document.createElement('tr');
    if (k === current) tr.className = 'current';
    else if (k > current) tr.className = 'future';
    for (const text of [String(k), (k / steps).toFixed(3), path[k].toFixed(3), exact[k].toFixed(3)]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    rows.push(tr);
  }
  body.replaceChildren(...rows);
  const currentRow = rows[current];
  const wrap = table.parentElement;
  if (currentRow && wrap && wrap.clientHeight) {
    wrap.scrollTop = Math.max(0, currentRow.offsetTop - wrap.clientHeight / 2);
  }
}

export default {
  name: 'path-table',
  needs: { integration: true },
  controls: 'integration',

  mount(figure) {
    const wrap = document.createElement('div');
    wrap.className = 'table-wrap';
    const table = document.createElement('table');
    table.id = 'path-table';
    table.setAttribute('aria-describedby', 'cap-path-table');
    const head = table.createTHead().insertRow();
    for (const text of ['step', 't', 'x (network)', 'x (exact field)']) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = text;
      head.append(th);
    }
    table.createTBody();
    wrap.append(table);
    figure.prepend(wrap);
    return table;
  },

  draw(table, page) {
    const { path, exact, k } = page.integration;
    if (path) drawPathTable(table, path, exact, k);
  },

  data(page) {
    const { path, exact } = page.integration;
    return path && { columns: ['step', 't', 'x_network', 'x_exact_field'], rows: path.map((x, k) => [k, k / (path.length - 1), x, exact[k]]) };
  },

  describe(page) {
    const { path, exact, k } = page.integration;
    if (!path) return { caption: 'One sampled path, solver steps from x₀: waiting for the network…' };
    const n = path.length - 1;
    return {
      caption: `One sampled path from x₀ = ${fmt(path[0], 2)} in ${n} ${solverName(page.integration.solver)} steps of the network (step ${count(page.snapshot.steps)} of training): it ends at x = ${fmt(path[n])}. Beside it, the same steps on the exact average field (ends at ${fmt(exact[n])}). Highlighted: step ${k}.`,
    };
  },
};
