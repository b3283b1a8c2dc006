// The one figure scheduler. Figures declare the figure-worker jobs they need (`needs.jobs` in each
// module of the registry: kind, parameters with their sizes and seeds, the inputs they depend on,
// where the result goes). From those declarations and the page's state this module works out the
// set of jobs wanted now, compares it with the jobs in flight, submits, cancels and re-ranks (the
// figure on screen first), and stores each result where the figures read it. Nothing else in the
// page submits a figure job.
//
// A job spec: { kind, into, inputs, params?, follow? }
//   kind    the worker's kind (workers/kinds.js)
//   into    where the result goes: 'computed' (page.computed[figure]), 'samples' (page.samples[figure]),
//           'learned' (page.learned, one for all figures), 'metrics' (page.metrics.points, one job per
//           checkpoint), 'rounds' (page.reflow.rounds[i].stats, one job per round); chapter four's
//           'plane' (page.plane.results[figure], from the plane run's latest snapshot) and
//           'planeMetrics' (page.plane.metrics.points, one job per checkpoint of the plane run)
//   inputs  what it depends on, from INPUTS: a change of any of them makes a new job
//   params  fixed parameters (sizes, seeds), or a function of the page table (Rust's constants)
//   follow  for 'samples': while the run trains, a result this many steps old is still good enough

import { TABLE } from './table.js';

export const INPUTS = ['target', 'coupling', 'batch', 'solver', 'eulerSteps', 'planeTarget', 'snapshot', 'checkpoint', 'round', 'planeSnapshot', 'planeCheckpoint'];
export const STORES = ['computed', 'samples', 'learned', 'metrics', 'rounds', 'plane', 'planeMetrics'];

/** Jobs of chapter four's run, by slot: a new plane run forgets these and only these. */
const planeSlot = (slot) => slot.startsWith('plane:') || slot.startsWith('planeMetrics:');

export const emptySampling = (kept = {}) => ({ result: null, job: null, progress: null, partial: null, error: '', kept });

const resolve = (params) => (typeof params === 'function' ? params(TABLE) : params || {});

/** The values of a job's inputs other than a snapshot: the run's problem, and the reader's solver. */
function plainInputs(page, spec) {
  const run = page.run;
  const values = {
    target: run.target ?? page.state.target,
    coupling: run.coupling ?? page.state.coupling,
    batch: run.batch ?? page.state.batch,
    solver: page.state.solver,
    eulerSteps: page.state.eulerSteps,
    planeTarget: page.state.plane,
  };
  return Object.fromEntries(spec.inputs.filter((k) => k in values).map((k) => [k, values[k]]));
}

export class Scheduler {
  /**
   * page: the page's state (read, and written where results go); figures: the registry; jobs: the
   * figure worker's client ({ submit, cancel, rank }); changed(name, captionOnly): redraw a figure;
   * failed(message): tell the reader.
   */
  constructor({ page, figures, jobs, changed, failed }) {
    Object.assign(this, { page, figures, jobs, changed, failed });
    this.byName = new Map(figures.map((f) => [f.name, f]));
    this.flight = new Map(); // slot → { id, key, urgent, meta }
    this.queued = false;
  }

  /** Looks again at what is wanted, once per turn of the event loop however often it is asked. */
  update() {
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      this.reconcile();
    });
  }

  /** Whether figure `name`'s results are drawn now: by itself, or by the figure on screen that uses them. */
  shown(name) {
    const active = this.page.active;
    const also = this.page.alsoShown || [];
    const onScreen = [active, ...also].filter(Boolean);
    return onScreen.includes(name) || onScreen.some((n) => this.byName.get(n)?.needs.uses?.includes(name));
  }

  /** Every job wanted now: { slot, key, kind, params, urgent, accepts?, store, progress? }. */
  wanted() {
    const out = new Map();
    const add = (w) => {
      const had = out.get(w.slot);
      // Several figures may want the same shared job (the learned field, the metrics): most urgent wins.
      if (had) had.urgent ||= w.urgent;
      else out.set(w.slot, w);
    };
    for (const fig of this.figures) {
      for (const spec of fig.needs.jobs || []) {
        for (const w of this.wantedFor(fig, spec)) add(w);
      }
    }
    return out;
  }

  wantedFor(fig, spec) {
    const page = this.page;
    const inputs = plainInputs(page, spec);
    const params = { ...resolve(spec.params), ...inputs };
    const urgent = this.shown(fig.name);
    const base = `${spec.kind}|${JSON.stringify(inputs)}`;
    const snap = page.snapshot;
    const network = snap && { hidden: snap.hidden, weights: snap.weights };
    switch (spec.into) {
      case 'computed': {
        if (page.computedFor[fig.name] === base) return [];
        if (fig.name in page.computed) {
          // The result drawn is for other inputs: it goes, and the figure waits for the new one.
          delete page.computed[fig.name];
          delete page.computedFor[fig.name];
        }
        const store = (r) => {
          page.computed[fig.name] = r;
          page.computedFor[fig.name] = base;
          this.changed(fig.name);
          // Other figures may draw it beside their own (figure 15 draws figure 13's exact line).
          this.changed(page.active);
        };
        return [{ slot: `computed:${fig.name}`, key: base, kind: spec.kind, params, urgent, store }];
      }
      case 'learned': {
        if (!urgent || !snap || snap.run !== page.run.id) return [];
        const key = `${base}|${snap.run}|${snap.steps}`;
        if (page.learned?.key === key) return [];
        const store = (r) => {
          page.learned = { key, run: snap.run, steps: snap.steps, solver: inputs.solver, grid: r.grid, lines: r.lines };
          for (const f of this.figures) if (f.needs.jobs?.some((j) => j.into === 'learned')) this.changed(f.name);
        };
        return [{ slot: `learned:${spec.kind}`, key, kind: spec.kind, params: { ...params, ...network }, urgent: true, store }];
      }
      case 'samples':
        return this.wantedSample(fig, spec, { base, params, urgent, snap, network, inputs });
      case 'metrics': {
        const m = page.metrics;
        return m.pending.map((c) => ({
          slot: `metrics:${c.run}:${c.steps}`,
          key: `${base}|${c.run}|${c.steps}`,
          kind: spec.kind,
          params: { ...params, hidden: c.hidden, averaged: c.averaged, latest: c.latest },
          urgent,
          store: (r) => {
            if (page.metrics !== m) return;
            m.pending = m.pending.filter((p) => p !== c);
            const points = m.points.filter((p) => p.steps !== c.steps);
            points.push({ steps: c.steps, ...r });
            points.sort((a, b) => a.steps - b.steps);
            m.points = points;
            for (const f of this.figures) if (f.needs.metrics) this.changed(f.name);
          },
        }));
      }
      case 'rounds': {
        const r = page.reflow;
        return r.rounds.flatMap((round, i) =>
          round.stats
            ? []
            : [{
                slot: `rounds:${r.series}:${i}`,
                key: `${base}|${r.series}|${i}`,
                kind: spec.kind,
                params: { ...params, hidden: round.hidden, weights: round.weights },
                urgent,
                store: (stats) => {
                  if (page.reflow !== r) return;
                  round.stats = stats;
                  for (const f of this.figures) if (f.needs.reflow) this.changed(f.name);
                },
                fail: (message) => {
                  if (page.reflow === r) r.error = `Reflow: a round could not be measured: ${message}.`;
                },
              }],
        );
      }
      case 'plane':
        return this.wantedPlane(fig, spec, { base, params, urgent });
      case 'planeMetrics': {
        const m = page.plane.metrics;
        return m.pending.map((c) => ({
          slot: `planeMetrics:${c.run}:${c.steps}`,
          key: `${base}|${c.run}|${c.steps}`,
          kind: spec.kind,
          params: { ...resolve(spec.params), planeTarget: c.target, hidden: c.hidden, averaged: c.averaged, latest: c.latest },
          urgent,
          store: (r) => {
            if (page.plane.metrics !== m) return;
            m.pending = m.pending.filter((p) => p !== c);
            m.points = [...m.points.filter((p) => p.steps !== c.steps), { steps: c.steps, ...r }].sort((a, b) => a.steps - b.steps);
            this.changed(fig.name);
          },
        }));
      }
      default:
        throw new Error(`figure ${fig.name}: unknown job destination "${spec.into}"`);
    }
  }

  /**
   * A sampled figure follows the network: the one on screen at once, the others once training has
   * ended. While a run trains, a result (or a job under way) at most `follow` steps old will do; once
   * it has ended, only the final network's.
   */
  wantedSample(fig, spec, { base, params, urgent, snap, network, inputs }) {
    const page = this.page;
    const run = page.run;
    const s = page.samples[fig.name];
    if (!snap || snap.run !== run.id) return [];
    const running = run.status === 'running';
    const fresh = (x) => Boolean(x) && x.base === `${base}|${run.id}` && (running ? snap.steps - x.trainedSteps < (spec.follow ?? 0) : x.trainedSteps === snap.steps);
    if (fresh(s.result)) return [];
    const meta = { base: `${base}|${run.id}`, run: run.id, trainedSteps: snap.steps, solver: inputs.solver ?? null };
    const count = params.n;
    return [{
      slot: `samples:${fig.name}`,
      key: `${meta.base}|${snap.steps}`,
      kind: spec.kind,
      params: { ...params, ...network },
      urgent,
      meta,
      // Off screen while the run trains: nothing new is started, but a job under way is left to finish.
      lazy: !urgent && running,
      // A job under way for this run, on the same inputs, still serves: when it lands, a newer one follows if needed.
      accepts: (flying) => flying.meta?.base === meta.base,
      started: () => Object.assign(s, { job: meta, progress: 0, pendingCount: count, pendingSteps: snap.steps, error: '' }),
      progress: (fraction, partial) => {
        s.progress = fraction;
        if (partial) s.partial = partial;
        // Progress only changes the caption; a partial result changes the picture.
        this.changed(fig.name, !partial);
      },
      store: (r) => {
        Object.assign(s, { job: null, progress: null });
        s.result = { ...r, ...meta };
        // The last finished run under each coupling and target, so a figure can set them side by side.
        if (page.run.id === meta.run && page.run.status === 'finished' && meta.trainedSteps === page.run.total) {
          s.kept[`${page.run.coupling}|${page.run.target}`] = s.result;
        }
        this.changed(fig.name);
      },
      fail: (message) => {
        Object.assign(s, { job: null, progress: null, error: `Sampling failed: ${message}` });
        this.changed(fig.name);
      },
    }];
  }

  /**
   * A result of chapter four's network, for a figure on screen: from the plane run's latest snapshot;
   * while the run trains, one at most `follow` steps old will do (and a job under way for the run is
   * left to finish); once it has ended, only the final network's. A finished run's result is kept
   * under its label, so a figure can set runs under each coupling and reflow side by side.
   */
  wantedPlane(fig, spec, { base, params, urgent }) {
    const plane = this.page.plane;
    const snap = plane.snapshot;
    const run = plane.run;
    if (!urgent || !snap || snap.run !== run.id) return [];
    const running = run.status === 'running';
    const have = plane.results[fig.name];
    const same = (x) => Boolean(x) && x.base === base && x.run === snap.run;
    if (same(have) && (running ? snap.steps - have.steps < (spec.follow ?? 0) : have.steps === snap.steps)) return [];
    const meta = { base, run: snap.run, steps: snap.steps };
    return [{
      slot: `plane:${fig.name}`,
      key: `${base}|${snap.run}|${snap.steps}`,
      kind: spec.kind,
      params: { ...params, hidden: snap.hidden, weights: snap.weights },
      urgent: true,
      meta,
      // A job under way serves while the run trains, and once it has ended if it is for the final network.
      accepts: (flying) => same(flying.meta) && (running || flying.meta.steps === snap.steps),
      store: (r) => {
        plane.results[fig.name] = { ...r, ...meta };
        if (plane.run.id === meta.run && plane.run.status === 'finished' && meta.steps === plane.run.total) {
          (plane.kept[fig.name] ||= {})[plane.run.label] = plane.results[fig.name];
        }
        this.changed(fig.name);
      },
      fail: (message) => {
        plane.error = `A figure of chapter four could not be computed: ${message}.`;
        this.changed(fig.name);
      },
    }];
  }

  /** The diff: cancel what nobody wants, keep and re-rank what still serves, submit the rest. */
  reconcile() {
    if (!this.jobs) return;
    const want = this.wanted();
    for (const [slot, flying] of this.flight) {
      const w = want.get(slot);
      if (w && (w.accepts ? w.accepts(flying) : w.key === flying.key)) {
        const urgent = Boolean(w.urgent);
        if (urgent !== flying.urgent) this.jobs.rank(flying.id, urgent);
        flying.urgent = urgent;
        want.delete(slot);
      } else {
        this.jobs.cancel(flying.id);
        this.flight.delete(slot);
        flying.cancelled?.();
      }
    }
    for (const w of want.values()) if (!w.lazy) this.submit(w);
  }

  submit(w) {
    const { id, result } = this.jobs.submit(w.kind, w.params, { urgent: w.urgent, onProgress: (f, p) => this.flight.get(w.slot)?.id === id && w.progress?.(f, p) });
    const flying = { id, key: w.key, urgent: w.urgent, meta: w.meta };
    if (w.meta && w.slot.startsWith('samples:')) {
      const s = this.page.samples[w.slot.slice('samples:'.length)];
      flying.cancelled = () => {
        if (s.job === w.meta) Object.assign(s, { job: null, progress: null });
      };
    }
    this.flight.set(w.slot, flying);
    w.started?.();
    result
      .then((r) => {
        if (this.flight.get(w.slot)?.id !== id) return;
        this.flight.delete(w.slot);
        if (r) w.store(r);
        this.update();
      })
      .catch((e) => {
        if (this.flight.get(w.slot)?.id !== id) return;
        this.flight.delete(w.slot);
        if (w.fail) w.fail(e.message);
        else this.failed(`A figure's numbers could not be computed (${w.kind}): ${e.message}`);
      });
  }

  /**
   * Forgets every job of a lane's earlier run (a new run started there): their results would be
   * stale. `lane`: 'line' (the article's) or 'plane' (chapter four's).
   */
  forgetRun(lane = 'line') {
    for (const [slot, flying] of this.flight) {
      if (slot.startsWith('computed:') || planeSlot(slot) !== (lane === 'plane')) continue;
      this.jobs?.cancel(flying.id);
      this.flight.delete(slot);
      flying.cancelled?.();
    }
    this.update();
  }
}
