// One declarative table of everything a reader can set, read from and written to the URL hash, so
// that a shared link reproduces what the sender saw. The training rows come from the Rust settings
// table (flow-core's `settings_table`, through the math module): defaults and ranges exist once.
// Nothing read from the URL is ever inserted as HTML: values are parsed into numbers or checked
// against a fixed list. Pure functions of their arguments: tested with `node --test` (tests/unit).

/**
 * Settings of the page itself (not of training), given Rust's page table (`pageTable()`): the
 * solver names, step kinds and the eulerSteps range are Rust's.
 */
function pageSettings(table) {
  return [
    { key: 'solver', label: 'solver', kind: 'choice', default: table.solvers[0].name, choices: table.solvers.map((s) => s.name) },
    { key: 't', label: 'scrubber time', kind: 'number', default: 1, min: 0, max: 1 },
    // The key keeps its first name so that links made before other solvers existed still work.
    { key: 'eulerSteps', label: 'solver steps', kind: 'int', default: table.eulerSteps.default, min: table.eulerSteps.min, max: table.eulerSteps.max },
    { key: 'x0', label: 'start point x₀', kind: 'number', default: 0.85, min: -3, max: 3 },
    { key: 'exact', label: 'exact field', kind: 'flag', default: false },
    // weight:mean:std per bump; checked and written in canonical form by Rust (parseTarget).
    { key: 'target', label: 'target', kind: 'target', default: '' },
    { key: 'figure', label: 'figure', kind: 'choice', default: '', choices: [''] },
    { key: 'embed', label: 'embed', kind: 'flag', default: false },
    // How a WebGPU engine computes a training step: the fused kernels where they run (auto), or
    // burn's generic autodiff step, to compare. Read when the engine starts, like embed.
    { key: 'step', label: 'training step', kind: 'choice', default: table.stepKinds[0], choices: table.stepKinds },
    // Chapter four. The plane target: a preset's name or x,y,std[,weight] per bump, checked and
    // written in canonical form by Rust (parsePlaneTarget); a drawn one may hold hundreds of bumps.
    { key: 'plane', label: 'plane target', kind: 'target', default: table.plane.presets[0].name, maxLength: 8000 },
    { key: 'planeCoupling', label: 'plane: pairing of noise and data', kind: 'choice', default: table.couplings[0], choices: table.couplings, form: true },
    { key: 'planeSteps', label: 'plane: iterations', kind: 'int', default: table.plane.steps, min: 1, max: table.plane.maxSteps, form: true },
    { key: 'planeSeed', label: 'plane: seed', kind: 'int', default: 0, min: 0, max: 4294967295, form: true },
    // The chapter alone, full window: the target, the flow and the measures on one screen.
    { key: 'playground', label: 'playground', kind: 'flag', default: false },
  ];
}

const MAX_MESSAGE = 160; // a message quotes at most this much of what the link said

/**
 * The full table: the engine's training rows (objects { key, field, label, kind, default, min, max }
 * from `settingsTable()`), then the page's own (from `pageTable()`), with `figure` accepting the
 * registry's names, `target` checked by `targets.parse(text)` (canonical text, or throws a
 * message) with default `targets.tutorial`, and `plane` by `planeTargets.parse(text)`.
 */
export function makeSettings(trainingRows, figureNames, targets, table, planeTargets) {
  // Rust sends a flag's default as 1 or 0 and a choice's as an index; the page keeps the values.
  const training = trainingRows.map((row) => {
    const setting = { ...row, train: row.field };
    if (row.kind === 'flag') setting.default = Boolean(row.default);
    if (row.kind === 'choice') setting.default = row.choices[row.default];
    return setting;
  });
  const page = pageSettings(table).map((s) => {
    if (s.key === 'figure') return { ...s, choices: ['', ...figureNames] };
    if (s.key === 'target') return { ...s, default: targets.tutorial, parse: targets.parse };
    if (s.key === 'plane') return { ...s, parse: planeTargets.parse };
    return { ...s };
  });
  return [...training, ...page];
}

function quote(text, n = 20) {
  const s = String(text);
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

/** Parses one raw text value for a setting: { value } or { error } with a message a reader can act on. */
export function parseSetting(setting, raw) {
  const text = String(raw).trim();
  switch (setting.kind) {
    case 'flag':
      if (['', '1', 'true', 'on'].includes(text)) return { value: true };
      if (['0', 'false', 'off'].includes(text)) return { value: false };
      return { error: `${setting.label}: "${quote(text)}" is not 1 or 0` };
    case 'target': {
      if (text.length > (setting.maxLength ?? 200)) return { error: `${setting.label}: too long` };
      try {
        return { value: setting.parse(text) };
      } catch (e) {
        return { error: quote(String(e.message || e).replace(/^(plane )?target: /, `${setting.label}: `), MAX_MESSAGE) };
      }
    }
    case 'choice':
      return setting.choices.includes(text)
        ? { value: text }
        : { error: `${setting.label}: "${quote(text)}" is not one of ${quote(setting.choices.filter(Boolean).join(', '), 120)}` };
    default: {
      if (text.length > 40 || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) {
        return { error: `${setting.label}: "${quote(text)}" is not a number` };
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

export function defaults(settings) {
  return Object.fromEntries(settings.map((s) => [s.key, s.default]));
}

/**
 * Reads the state from a hash such as "#lr=0.01&seed=3&figure=learned-field&embed". Unknown keys and
 * malformed values are reported (each message bounded in length) and replaced by defaults.
 */
export function readHash(settings, hash) {
  const state = defaults(settings);
  const errors = [];
  const text = String(hash).replace(/^#/, '');
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
    const setting = settings.find((s) => s.key === key);
    if (!setting) {
      errors.push(`unknown setting "${quote(key)}" ignored`);
      continue;
    }
    const parsed = parseSetting(setting, raw);
    if (parsed.error) errors.push(`${parsed.error}; using ${setting.default === '' ? 'none' : setting.default}`.slice(0, MAX_MESSAGE));
    else state[key] = parsed.value;
  }
  // The same complaint about many keys says nothing new: keep the first few.
  return { state, errors: [...new Set(errors)].slice(0, 6) };
}

/** The hash for a state, listing only what differs from the defaults. */
export function writeHash(settings, state) {
  const parts = [];
  for (const s of settings) {
    const v = state[s.key];
    if (v === s.default) continue;
    if (s.kind === 'flag') {
      parts.push(v ? s.key : `${s.key}=0`);
    } else {
      parts.push(`${s.key}=${encodeURIComponent(String(v))}`);
    }
  }
  return parts.length ? `#${parts.join('&')}` : '';
}

/** The training settings object the engine expects ({ learningRate, batchSize, … }). */
export function trainSettings(settings, state) {
  const out = {};
  for (const s of settings) if (s.train) out[s.train] = state[s.key];
  return out;
}

/** The plane run's: the same form's width, rate, batch and average, the chapter's own steps, pairing and seed. */
export function planeTrainSettings(settings, state) {
  return { ...trainSettings(settings, state), steps: state.planeSteps, coupling: state.planeCoupling, seed: state.planeSeed };
}

/** The settings the plane run is trained with: a change of any of them retrains it. */
export const PLANE_TRAIN_KEYS = ['lr', 'batch', 'hidden', 'average', 'planeSteps', 'planeCoupling', 'planeSeed'];
