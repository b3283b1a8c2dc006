// The figure registry: every figure declares what the page needs from it, names are unique, and the
// article's sections and the registry list the same figures in the same order.

import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FIGURES, NEEDS } from '../../www/js/figures/registry.js';
import { INPUTS, STORES } from '../../www/js/scheduler.js';
import { makeKinds } from '../../www/js/workers/kinds.js';
import { fillTable } from '../../www/js/table.js';
import { emptyPlane } from '../../www/js/page-state.js';
import { loadMath } from './wasm-math.mjs';

// Figures read Rust's page table, as in the page.
before(async () => fillTable((await loadMath()).pageTable()));

// The figure worker's kinds, read from the module it runs (no wasm is needed to list them).
const KINDS = Object.keys(makeKinds({}));

test('each figure has a name, known needs, a draw and a describe', () => {
  for (const fig of FIGURES) {
    assert.match(fig.name, /^[a-z][a-z-]*$/);
    assert.equal(typeof fig.draw, 'function', fig.name);
    assert.equal(typeof fig.describe, 'function', fig.name);
    for (const need of Object.keys(fig.needs)) assert.ok(NEEDS.includes(need), `${fig.name} needs "${need}"`);
    for (const job of fig.needs.jobs || []) {
      assert.ok(KINDS.includes(job.kind), `${fig.name}: the figure worker has no job "${job.kind}"`);
      assert.ok(STORES.includes(job.into), `${fig.name}: results of ${job.kind} go nowhere ("${job.into}")`);
      for (const input of job.inputs) assert.ok(INPUTS.includes(input), `${fig.name}: ${job.kind} depends on unknown "${input}"`);
      if (job.kind === 'sample') {
        const { steps, hist } = job.params({ samples: 1 });
        assert.ok(Number.isInteger(steps) && steps > 0 && hist.lo < hist.hi && hist.bins > 0, fig.name);
      }
    }
    // Every figure can hand over the numbers it draws (the CSV of its share menu).
    assert.equal(typeof fig.data, 'function', `${fig.name} has no data()`);
    for (const name of fig.needs.uses || []) assert.ok(FIGURES.some((f) => f.name === name && f.needs.jobs?.some((j) => j.into === 'computed')), `${fig.name} uses ${name}`);
    if (fig.controls) assert.ok(['solver', 'integration'].includes(fig.controls), fig.name);
    for (const key of fig.toggles || []) assert.equal(key, 'exact', fig.name);
    if (fig.lane) assert.ok(['line', 'plane'].includes(fig.lane), fig.name);
  }
  assert.equal(new Set(FIGURES.map((f) => f.name)).size, FIGURES.length, 'names are unique');
});

test('the article has one section per figure, in registry order', () => {
  const html = readFileSync(new URL('../../www/index.html', import.meta.url), 'utf8');
  const sections = [...html.matchAll(/<section class="step" data-figure="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(sections, FIGURES.map((f) => f.name));
});

test('every figure answers data() before anything is computed: null or rows, never an exception', () => {
  const page = {
    curves: { densities: { xs: [0, 1], noise: [0.4, 0.2], target: [0.1, 0.3] } },
    computed: {},
    samples: Object.fromEntries(FIGURES.map((f) => [f.name, { result: null, kept: {} }])),
    state: { exact: false, solver: 'euler', coupling: 'independent', target: '1:0:1' },
    target: { weights: [1], means: [0], stds: [1] },
    reflow: { rounds: [], training: null, error: '' },
    run: { losses: new Float32Array(0), total: 0 },
    integration: { path: null },
    metrics: { run: 0, points: [] },
    learned: null,
    exact: null,
    velocityTarget: { x0: 1.32, x1: -1.92, t: 0.67 },
    plane: emptyPlane(),
  };
  for (const fig of FIGURES) {
    const data = fig.data(page);
    if (data) for (const row of data.rows) assert.equal(row.length, data.columns.length, fig.name);
  }
});
