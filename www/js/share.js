// Sharing one figure: a link to it with the current settings, the <iframe> code to embed it, the
// picture as a PNG at twice the screen's resolution, and the numbers it draws as CSV.

import { writeHash } from './state.js';

const EMBED_HEIGHT = 560; // px: a tall figure with its caption; the height message refines it

const attr = (text) => String(text).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** { link, embed } for figure `name` with the reader's current settings. */
export function shareLinks(location, settings, state, name, title) {
  const base = `${location.origin}${location.pathname}`;
  const link = base + writeHash(settings, { ...state, figure: name, embed: false });
  const src = base + writeHash(settings, { ...state, figure: name, embed: true });
  const embed = `<iframe src="${attr(src)}" title="${attr(title)}" style="width:100%;height:${EMBED_HEIGHT}px;border:0" loading="lazy"></iframe>`;
  return { link, embed };
}

/**
 * Copies `text` to the clipboard and shows it, selected, in the menu, so that it can be copied by
 * hand where the clipboard is refused (an insecure origin, an iframe without permission).
 */
export async function copyText(text, menu) {
  const field = menu.querySelector('.share-text');
  const note = menu.querySelector('.share-note');
  field.value = text;
  field.hidden = false;
  field.select();
  menu.dataset.copied = text;
  try {
    await navigator.clipboard.writeText(text);
    note.textContent = 'Copied.';
  } catch {
    note.textContent = 'Press Ctrl+C (⌘C) to copy.';
  }
}

/** A CSV cell: numbers to 7 significant digits, text quoted when it needs to be. */
function cell(v) {
  if (typeof v === 'number') return Number.isFinite(v) ? String(Number(v.toPrecision(7))) : '';
  const s = String(v ?? '');
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * The figure's data as CSV text (a header row, then one row per drawn value), or null if none yet;
 * a figure's `comment` (how the numbers were made) comes first, as a `#` line.
 */
export function figureCsv(fig, page) {
  const data = fig.data && fig.data(page);
  if (!data || !data.rows.length) return null;
  const comment = data.comment ? `# ${String(data.comment).replace(/\n/g, ' ')}\n` : '';
  return `${comment}${[data.columns, ...data.rows].map((row) => row.map(cell).join(',')).join('\n')}\n`;
}

/** The figure as a PNG blob at `scale` × its size on screen, on a white background. */
export async function figurePng(fig, target, page, scale = 2) {
  const width = target.clientWidth || 600;
  const height = target.clientHeight || 340;
  const canvas = document.createElement('canvas');
  if (target instanceof HTMLCanvasElement) {
    Object.assign(canvas.dataset, { cssWidth: width, cssHeight: height, pixelRatio: scale });
    fig.draw(canvas, page);
  } else {
    drawTable(canvas, fig.data(page), width, scale);
  }
  const ctx = canvas.getContext('2d');
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.globalCompositeOperation = 'destination-over';
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the browser could not encode a PNG'))), 'image/png'));
}

/** A figure that is a table (figure 7) as a picture: its rows in a monospaced grid. */
function drawTable(canvas, data, width, scale) {
  const rowHeight = 18;
  const rows = data ? [data.columns, ...data.rows.map((r) => r.map((v) => (typeof v === 'number' ? v.toFixed(3) : String(v))))] : [['no data yet']];
  canvas.width = width * scale;
  canvas.height = (rows.length * rowHeight + 12) * scale;
  const ctx = canvas.getContext('2d');
  ctx.scale(scale, scale);
  ctx.font = '13px ui-monospace, monospace';
  ctx.fillStyle = '#222';
  ctx.textBaseline = 'top';
  const column = width / rows[0].length;
  rows.forEach((row, i) => row.forEach((text, j) => ctx.fillText(text, 8 + j * column, 6 + i * rowHeight)));
}

/** Offers a blob to the reader as a file. */
export function download(blob, filename) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/**
 * Carries out one action of a figure's Share menu: 'link', 'embed', 'png' or 'csv'. Rejects with a
 * message for the reader when it cannot (no data yet, a refused PNG encoding).
 */
export async function shareFigure({ fig, number, target, page, action, menu }) {
  const title = `Figure ${number}: ${fig.describe(page).label || fig.name}`;
  const links = shareLinks(location, page.settings, page.state, fig.name, title);
  if (action === 'link') return copyText(links.link, menu);
  if (action === 'embed') return copyText(links.embed, menu);
  if (action === 'png') return download(await figurePng(fig, target, page), `${fig.name}.png`);
  const csv = figureCsv(fig, page);
  if (!csv) throw new Error(`Figure ${number} has no data yet: wait until it is drawn.`);
  return download(new Blob([csv], { type: 'text/csv' }), `${fig.name}.csv`);
}
