// The figure scheduler against a fake figure worker: it submits what the declarations ask for, once;
// cancels what a change makes stale; keeps what still serves; ranks the figure on screen first.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptySampling, Scheduler } from '../../www/js/scheduler.js';

const settle = () => new Promise((r) => setTimeout(r, 0));

/** A figure worker that answers nothing until told: it records every call. */
function fakeJobs() {
  const jobs = { next: 1, open: new Map(), log: [] };
  jobs.submit = (kind, params, { urgent }) => {
    const id = jobs.next++;
    let answer;
    const result = new Promise((resolve) => (answer = resolve));
    jobs.open.set(id, { kind, params, urgent, answer });
    jobs.log.push(['submit', kind, urgent]);
    return { id, result };
  };
  jobs.cancel = (id) => {
    jobs.log.push(['cancel', jobs.open.get(id)?.kind]);
    jobs.open.get(id)?.answer(null);
    jobs.open.delete(id);
  };
  jobs.rank = (id, urgent) => {
    jobs.log.push(['rank', jobs.open.get(id)?.kind, urgent]);
    jobs.open.get(id).urgent = urgent;
  };
  jobs.answer = (kind, result) => {
    for (const [id, job] of jobs.open) {
      if (job.kind !== kind) continue;
      jobs.open.delete(id);
      job.answer(result);
      return job;
    }
    throw new Error(`no open ${kind} job`);
  };
  return jobs;
}

const FIGURES = [
  { name: 'paths', needs: { jobs: [{ kind: 'referencePaths', into: 'computed', params: { n: 10 }, inputs: ['target', 'coupling', 'batch'] }] } },
  { name: 'sampled', needs: { jobs: [{ kind: 'sample', into: 'samples', inputs: ['snapshot', 'target', 'solver'], follow: 2000, params: () => ({ n: 100, steps: 5 }) }] } },
  { name: 'metrics', needs: { metrics: true, jobs: [{ kind: 'metrics', into: 'metrics', inputs: ['checkpoint', 'target'] }] } },
];

function makePage() {
  return {
    active: 'paths',
    state: { target: 'A', coupling: 'independent', batch: 256, solver: 'euler' },
    run: { id: 1, status: 'running', target: 'A', coupling: 'independent', batch: 256, total: 10_000 },
    computed: {},
    computedFor: {},
    samples: { sampled: emptySampling() },
    learned: null,
    snapshot: null,
    metrics: { run: 1, points: [], pending: [] },
    reflow: { series: 1, rounds: [] },
  };
}

function setup() {
  const page = makePage();
  const jobs = fakeJobs();
  const redrawn = [];
  const scheduler = new Scheduler({ page, figures: FIGURES, jobs, changed: (n) => redrawn.push(n), failed: (m) => assert.fail(m) });
  return { page, jobs, scheduler, redrawn };
}

test('a computed job is submitted once, urgent on screen, and replaced when its inputs change', async () => {
  const { page, jobs, scheduler } = setup();
  scheduler.update();
  scheduler.update();
  await settle();
  assert.deepEqual(jobs.log, [['submit', 'referencePaths', true]]);
  assert.deepEqual(jobs.open.get(1).params, { n: 10, target: 'A', coupling: 'independent', batch: 256 });
  page.active = 'sampled';
  scheduler.update();
  await settle();
  assert.deepEqual(jobs.log.at(-1), ['rank', 'referencePaths', false]);
  jobs.answer('referencePaths', { starts: [1] });
  await settle();
  assert.deepEqual(page.computed.paths, { starts: [1] });
  const before = jobs.log.length;
  scheduler.update();
  await settle();
  assert.equal(jobs.log.length, before, 'a result for the same inputs is not asked for again');
  // A new run on another coupling: the drawn result is stale at once, and a new job follows.
  page.run = { ...page.run, id: 2, coupling: 'ot' };
  scheduler.update();
  await settle();
  assert.equal(page.computed.paths, undefined);
  assert.deepEqual(jobs.log.at(-1), ['submit', 'referencePaths', false]);
});

test('a sampled figure samples on screen, follows the network every `follow` steps, and the final one', async () => {
  const { page, jobs, scheduler } = setup();
  page.snapshot = { run: 1, steps: 500, hidden: 4, weights: [0] };
  scheduler.update();
  await settle();
  assert.ok(!jobs.log.some(([, kind]) => kind === 'sample'), 'off screen while training: not sampled');
  page.active = 'sampled';
  scheduler.update();
  await settle();
  assert.deepEqual(jobs.log.at(-1), ['submit', 'sample', true]);
  assert.equal(page.samples.sampled.pendingSteps, 500);
  // A newer snapshot while that job runs: the job still serves.
  page.snapshot = { ...page.snapshot, steps: 1500 };
  scheduler.update();
  await settle();
  assert.equal(jobs.log.filter(([a, kind]) => a === 'submit' && kind === 'sample').length, 1);
  jobs.answer('sample', { w1: 0.1 });
  await settle();
  // The result is from step 500; at 1,500 it is fresh enough (follow 2,000), at 2,600 it is not.
  assert.equal(page.samples.sampled.result.trainedSteps, 500);
  assert.equal(jobs.log.filter(([a, kind]) => a === 'submit' && kind === 'sample').length, 1);
  page.snapshot = { ...page.snapshot, steps: 2600 };
  scheduler.update();
  await settle();
  assert.equal(jobs.log.filter(([a, kind]) => a === 'submit' && kind === 'sample').length, 2);
  // Another solver: the job under way no longer serves.
  page.state.solver = 'rk4';
  scheduler.update();
  await settle();
  assert.deepEqual(jobs.log.slice(-2), [['cancel', 'sample'], ['submit', 'sample', true]]);
  // The run ends: only the final network's samples will do, and the off-screen figure gets them too.
  jobs.answer('sample', { w1: 0.05 });
  page.run = { ...page.run, status: 'finished', total: 2600 };
  page.active = 'paths';
  scheduler.update();
  await settle();
  assert.equal(page.samples.sampled.result.trainedSteps, 2600);
  assert.equal(page.samples.sampled.result.solver, 'rk4');
  assert.ok(page.samples.sampled.kept['independent|A'], 'the finished run is kept under its coupling and target');
});

test('each checkpoint is measured once; its result joins the points in order', async () => {
  const { page, jobs, scheduler, redrawn } = setup();
  page.metrics.pending.push({ run: 1, steps: 1000, hidden: 4, averaged: [1000], latest: [2] }, { run: 1, steps: 500, hidden: 4, averaged: [500], latest: [2] });
  scheduler.update();
  await settle();
  const metrics = [...jobs.open.values()].filter((j) => j.kind === 'metrics');
  assert.deepEqual(metrics.map((j) => j.params.averaged[0]), [1000, 500]);
  assert.ok(metrics.every((j) => !j.urgent), 'in the background while the metrics are off screen');
  jobs.answer('metrics', { w1: 0.2 });
  jobs.answer('metrics', { w1: 0.3 });
  await settle();
  assert.deepEqual(page.metrics.points.map((p) => p.steps), [500, 1000]);
  assert.equal(page.metrics.pending.length, 0);
  assert.ok(redrawn.includes('metrics'));
  scheduler.update();
  await settle();
  assert.equal(jobs.log.filter(([a, kind]) => a === 'submit' && kind === 'metrics').length, 2);
});
