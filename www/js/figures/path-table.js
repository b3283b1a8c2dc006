// Figure 7: one sampled path as a table of (step, t, x), with the scrubber's step highlighted.

/**
 * `path`: the network's positions at steps 0..N; `exact`: the same steps on the exact field;
 * `current`: the scrubber's step. Built with text nodes only.
 */
export function drawPathTable(table, path, exact, current) {
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
    const top = currentRow.offsetTop - wrap.clientHeight / 2;
    wrap.scrollTop = Math.max(0, top);
  }
}
