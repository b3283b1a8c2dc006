// The URL-state parser: every setting round-trips, bad values are reported and replaced by the
// defaults, and no input, however hostile, makes it throw or return an invalid state.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaults, makeSettings, parseSetting, readHash, trainSettings, writeHash } from '../../www/js/state.js';
import { loadMath } from './wasm-math.mjs';

const FIGURES = ['densities', 'loss', 'learned-field'];
let settings;
let math;

before(async () => {
  math = await loadMath();
  settings = makeSettings(math.settingsTable(), FIGURES, { parse: math.parseTarget, tutorial: math.tutorialTargetText() }, math.pageTable(), { parse: math.parsePlaneTarget });
});

function valid(state) {
  for (const s of settings) {
    const v = state[s.key];
    if (s.kind === 'flag') assert.equal(typeof v, 'boolean', s.key);
    else if (s.kind === 'choice') assert.ok(s.choices.includes(v), `${s.key} = ${v}`);
    else if (s.kind === 'target') assert.equal(s.parse(v), v, `${s.key} = ${v}`);
    else {
      assert.ok(Number.isFinite(v) && v >= s.min && v <= s.max, `${s.key} = ${v}`);
      if (s.kind === 'int') assert.ok(Number.isInteger(v), `${s.key} = ${v}`);
    }
  }
}

test('the training rows come from Rust with the tutorial defaults', () => {
  const d = defaults(settings);
  assert.deepEqual(trainSettings(settings, d), { learningRate: 0.001, batchSize: 256, hidden: 64, steps: 10000, seed: 1, average: true, coupling: 'independent' });
  assert.deepEqual(settings.filter((s) => s.train).map((s) => s.key), ['lr', 'batch', 'hidden', 'iterations', 'seed', 'average', 'coupling']);
});

test('a state round-trips through the hash, listing only what differs', () => {
  const state = { ...defaults(settings), lr: 0.003, batch: 128, seed: 7, t: 0.5, x0: -1.2, figure: 'loss', embed: true };
  const hash = writeHash(settings, state);
  assert.equal(hash, '#lr=0.003&batch=128&seed=7&t=0.5&x0=-1.2&figure=loss&embed');
  assert.deepEqual(readHash(settings, hash), { state, errors: [] });
  assert.equal(writeHash(settings, defaults(settings)), '');
});

test('flags that default to on are written as =0 when off, and read back', () => {
  const state = { ...defaults(settings), average: false, coupling: 'ot', exact: true, solver: 'rk4' };
  const hash = writeHash(settings, state);
  assert.equal(hash, '#average=0&coupling=ot&solver=rk4&exact');
  assert.deepEqual(readHash(settings, hash), { state, errors: [] });
  assert.equal(readHash(settings, '#average=false').state.average, false);
  assert.equal(readHash(settings, '#average').state.average, true);
  const bad = readHash(settings, '#average=maybe&solver=leapfrog');
  assert.deepEqual(bad.state, defaults(settings));
  assert.match(bad.errors[0], /"maybe" is not 1 or 0/);
  assert.match(bad.errors[1], /solver: "leapfrog" is not one of euler, midpoint, heun, rk4/);
});

test('the training step is auto by default, can be pinned to fused or generic, and nothing else', () => {
  assert.equal(defaults(settings).step, 'auto');
  assert.equal(readHash(settings, '#step=generic').state.step, 'generic');
  assert.equal(writeHash(settings, { ...defaults(settings), step: 'fused' }), '#step=fused');
  const bad = readHash(settings, '#step=turbo');
  assert.equal(bad.state.step, 'auto');
  assert.match(bad.errors[0], /training step: "turbo" is not one of auto, fused, generic/);
});

test('a target round-trips in canonical form; a bad one is named and the tutorial target used', () => {
  assert.equal(defaults(settings).target, '0.55:-0.85:0.65,0.45:1.5:0.25');
  const { state, errors } = readHash(settings, '#target=2:-1:0.5,6:1.2:0.3');
  assert.deepEqual(errors, []);
  assert.equal(state.target, '0.25:-1:0.5,0.75:1.2:0.3');
  assert.equal(writeHash(settings, state), `#target=${encodeURIComponent('0.25:-1:0.5,0.75:1.2:0.3')}`);
  assert.deepEqual(readHash(settings, writeHash(settings, state)).state, state);
  for (const [text, message] of [
    ['1:0:0.01', /target: component 1: the width must be from 0.05 to 1.5/],
    ['1:0:1,0:1:1', /component 2: the weight must be a positive number/],
    ['1:9:1', /the mean must be from -2.5 to 2.5/],
    ['1:0:1,1:0:1,1:0:1,1:0:1,1:0:1,1:0:1', /1 to 5 components/],
    ['<b>', /component 1: expected weight:mean:std/],
  ]) {
    const bad = readHash(settings, `#target=${encodeURIComponent(text)}`);
    assert.equal(bad.state.target, defaults(settings).target, text);
    assert.match(bad.errors[0], message);
  }
});

test('bad values are named and replaced by the defaults', () => {
  const { state, errors } = readHash(settings, '#lr=banana&hidden=9999&batch=2.5&figure=nope&what=1');
  assert.deepEqual(state, defaults(settings));
  assert.equal(errors.length, 5);
  assert.match(errors[0], /learning rate: "banana" is not a number; using 0.001/);
  assert.match(errors[1], /hidden width: must be from 1 to 256/);
  assert.match(errors[2], /batch size: must be a whole number/);
  assert.match(errors[3], /figure: "nope" is not one of densities, loss, learned-field/);
  assert.match(errors[4], /unknown setting "what"/);
});

test('edges of every range are accepted, one step outside is not', () => {
  for (const s of settings.filter((s) => s.kind === 'int' || s.kind === 'number')) {
    assert.deepEqual(parseSetting(s, String(s.min)), { value: s.min }, s.key);
    assert.deepEqual(parseSetting(s, String(s.max)), { value: s.max }, s.key);
    assert.ok(parseSetting(s, String(s.max * 2 + 1)).error, s.key);
  }
});

/** A deterministic generator, so a failure names a reproducible case. */
function* hostileHashes(count) {
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const keys = [...settings.map((s) => s.key), '', '__proto__', 'constructor', 'toString', 'é', '<script>', '%', '%E0%A4%A'];
  const values = ['', 'NaN', 'Infinity', '-Infinity', '1e309', '-0', '0x10', '1e-400', '９', '１e3', '%', '%%', '%E0%A4%A', '<img src=x onerror=alert(1)>',
    '"><script>alert(1)</script>', 'javascript:alert(1)', ' 5 ', '+7', '.5', '5.', '1_000', 'true', 'null', '[]', '{}', '💥', '\u0000', 'a'.repeat(5000)];
  for (let i = 0; i < count; i++) {
    const parts = [];
    const n = 1 + Math.floor(rand() * 8);
    for (let j = 0; j < n; j++) {
      const value = rand() < 0.3 ? String((rand() - 0.5) * 10 ** Math.floor(rand() * 12)) : pick(values);
      parts.push(rand() < 0.1 ? pick(keys) : `${pick(keys)}=${rand() < 0.5 ? encodeURIComponent(value) : value}`);
    }
    if (i % 200 === 0) parts.push(`lr=${'9'.repeat(100_000)}`);
    yield `${pick(['#', '', '##'])}${parts.join(pick(['&', '&&', '&=&']))}`;
  }
}

test('2,000 hostile hashes never throw, always give a valid state and bounded messages', () => {
  let reported = 0;
  for (const hash of hostileHashes(2000)) {
    const { state, errors } = readHash(settings, hash);
    valid(state);
    assert.ok(errors.length <= 6);
    for (const e of errors) assert.ok(e.length <= 200, `message of ${e.length} characters for ${hash.slice(0, 80)}`);
    reported += errors.length;
  }
  assert.ok(reported > 2000, 'hostile input should mostly be reported');
});

/** Plane-target texts: presets, drawn-looking bump lists (some out of range, some too long), junk. */
function* planeTexts(count) {
  let seed = 777;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  // Each part is out of range or malformed now and then, so that about half the lists are refused.
  const number = () => (rand() < 0.01 ? pick(['NaN', '1e309', '-', '', '0x1', '½', '1,5']) : ((rand() - 0.5) * (rand() < 0.03 ? 20 : 6)).toFixed(Math.floor(rand() * 4)));
  const bump = () => {
    const parts = [number(), number(), (0.04 + rand() * (rand() < 0.03 ? 3 : 0.9)).toFixed(3)];
    if (rand() < 0.4) parts.push(rand() < 0.02 ? '-1' : (0.01 + rand() * 5).toFixed(2));
    if (rand() < 0.01) parts.push('9');
    return parts.join(rand() < 0.01 ? ';,' : pick([',', ', ']));
  };
  const junk = ['', ' ', ';', ';;', 'eight', 'moons', 'rings', 'checkerboard', 'Eight', 'spiral', '<svg onload=alert(1)>', '💥', '\u0000', 'a'.repeat(9000)];
  for (let i = 0; i < count; i++) {
    if (rand() < 0.15) yield pick(junk);
    else {
      const n = rand() < 0.05 ? 301 + Math.floor(rand() * 20) : 1 + Math.floor(rand() * 12);
      yield Array.from({ length: n }, bump).join(';');
    }
  }
}

test('2,000 generated plane targets in the link: never a throw, always a valid target, messages of at most 200 characters', () => {
  const plane = settings.find((s) => s.key === 'plane');
  let accepted = 0;
  let refused = 0;
  for (const text of planeTexts(2000)) {
    const { state, errors } = readHash(settings, `#plane=${encodeURIComponent(text)}`);
    // Whatever the link said, the state holds a target Rust accepts, in its canonical form.
    assert.equal(plane.parse(state.plane), state.plane, text.slice(0, 80));
    for (const e of errors) assert.ok(e.length <= 200, `message of ${e.length} characters for ${text.slice(0, 80)}`);
    if (errors.length) {
      refused++;
      assert.equal(state.plane, plane.default);
      assert.match(errors[0], /^plane target: /);
    } else accepted++;
  }
  // The generator is meant to make both kinds; a parser that refused (or took) everything would fail here.
  assert.ok(accepted > 300 && refused > 300, `accepted ${accepted}, refused ${refused}`);
});

test('a drawn plane target round-trips through the link in canonical form', () => {
  const drawn = math.planeTargetFromBumps(Float64Array.of(-1, 0.5, 0.15, 1, 1.234, -2, 0.2, 2));
  assert.equal(drawn, '-1,0.5,0.15,0.5;1.23,-2,0.2,1');
  const state = { ...defaults(settings), plane: drawn };
  assert.deepEqual(readHash(settings, writeHash(settings, state)), { state, errors: [] });
  assert.equal(defaults(settings).plane, 'eight');
  // An empty drawing is not the default preset: it is refused.
  assert.throws(() => math.planeTargetFromBumps(new Float64Array(0)), /at least one bump/);
  // A query whose result would not fit a page is refused, not attempted.
  assert.throws(() => math.planeExactFrames('eight', 2048, -4, 4, 2048, 2), /at most \d+ numbers/);
});
