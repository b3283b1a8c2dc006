// One declarative table of everything a reader can set, read from and written to the URL hash,
// so that a shared link reproduces what the sender saw. Nothing read from the URL is ever
// inserted as HTML: values are parsed into numbers or checked against a fixed list.

/** Each setting: its hash key, kind, default, and accepted range or choices. */
export const SETTINGS = [
  { key: 'lr', label: 'learning rate', kind: 'number', default: 1e-3, min: 1e-6, max: 10, train: 'learningRate' },
  { key: 'batch', label: 'batch size', kind: 'int', default: 256, min: 1, max: 4096, train: 'batchSize' },
  { key: 'hidden', label: 'hidden width', kind: 'int', default: 64, min: 1, max: 256, train: 'hidden' },
  { key: 'iterations', label: 'iterations', kind: 'int', default: 10000, min: 1, max: 100000, train: 'steps' },
  { key: 'seed', label: 'seed', kind: 'int', default: 6, min: 0, max: 4294967295, train: 'seed' },
  { key: 't', label: 'scrubber time', kind: 'number', default: 1, min: 0, max: 1 },
  { key: 'eulerSteps', label: 'Euler steps', kind: 'int', default: 15, min: 1, max: 200 },
  { key: 'x0', label: 'start point x₀', kind: 'number', default: 0.85, min: -3, max: 3 },
  { key: 'figure', label: 'figure', kind: 'choice', default: '', choices: [] },
  { key: 'embed', label: 'embed', kind: 'flag', default: false },
];

/** Names of the figures that can be embedded alone; filled in by the page. */
export function setFigureChoices(names) {
  SETTINGS.find((s) => s.key === 'figure').choices = ['', ...names];
}

/**
 * Parses one raw text value for a setting. Returns { value } or { error } with a message a reader
 * can act on.
 */
export function parseSetting(setting, raw) {
  const text = String(raw).trim();
  switch (setting.kind) {
    case 'flag':
      return { value: text === '' || text === '1' || text === 'true' };
    case 'choice':
      return setting.choices.includes(text)
        ? { value: text }
        : { error: `${setting.label}: unknown value (choose one of ${setting.choices.filter(Boolean).join(', ')})` };
    default: {
      if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) {
        return { error: `${setting.label}: "${text.slice(0, 20)}" is not a number` };
      }
      const value = Number(text);
      if (setting.kind === 'int' && !Number.isInteger(value)) {
        return { error: `${setting.label}: must be a whole number` };
      }
      if (!(value >= setting.min && value <= setting.max)) {
        return { error: `${setting.label}: must be from ${setting.min} to ${setting.max}` };
      }
      return { value };
    }
  }
}

export function defaults() {
  return Object.fromEntries(SETTINGS.map((s) => [s.key, s.default]));
}

/**
 * Reads the state from a hash such as "#lr=0.01&seed=3&figure=learned-field&embed".
 * Unknown keys and malformed values are reported and replaced by defaults.
 */
export function readHash(hash) {
  const state = defaults();
  const errors = [];
  const text = hash.replace(/^#/, '');
  if (!text) return { state, errors };
  for (const part of text.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    let key;
    let raw;
    try {
      key = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
      raw = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
    } catch {
      errors.push('the link contains malformed text and was ignored in part');
      continue;
    }
    const setting = SETTINGS.find((s) => s.key === key);
    if (!setting) {
      errors.push(`unknown setting "${key.slice(0, 20)}" ignored`);
      continue;
    }
    const parsed = parseSetting(setting, raw);
    if (parsed.error) errors.push(`${parsed.error}; using ${setting.default === '' ? 'none' : setting.default}`);
    else state[key] = parsed.value;
  }
  return { state, errors };
}

/** The hash for a state, listing only what differs from the defaults. */
export function writeHash(state) {
  const parts = [];
  for (const s of SETTINGS) {
    const v = state[s.key];
    if (v === s.default) continue;
    if (s.kind === 'flag') {
      if (v) parts.push(s.key);
    } else {
      parts.push(`${s.key}=${encodeURIComponent(String(v))}`);
    }
  }
  return parts.length ? `#${parts.join('&')}` : '';
}

/** The training settings object the engine expects. */
export function trainSettings(state) {
  const out = {};
  for (const s of SETTINGS) if (s.train) out[s.train] = state[s.key];
  return out;
}
