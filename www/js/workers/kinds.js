// What the figure worker can compute: each kind turns a job's parameters into a task that runs a
// slice at a time, { step(budgetMs) → { done, fraction, result?, partial? }, free() }. Given the math
// module, so that the page's tests can list the kinds under Node without loading wasm.
//
// Every job that depends on the target carries its link text (p.target; "" is the tutorial's).

export function makeKinds(math) {
  return {
    referencePaths(p) {
      return once(() => {
        const r = math.referencePaths(p.target, p.coupling, p.batch, p.n, p.steps, p.lo, p.hi, p.bins, p.histBins, p.examples, p.seed);
        return { starts: r.exampleStarts, ends: r.exampleEnds, density: r.density, noiseHist: r.noiseHistogram, targetHist: r.targetHistogram };
      });
    },

    binnedField(p) {
      return once(() => {
        const r = math.binnedField(p.target, p.coupling, p.batch, p.n, p.times, p.lo, p.hi, p.bins, p.wideLo, p.wideHi, p.starts, p.seed);
        return { grid: r.field, lines: r.lines, noiseHist: r.noiseHistogram, targetHist: r.targetHistogram };
      });
    },

    // Figure 15's fixed part: example pairs under both couplings (the same draws), the monotone map,
    // and the OT loss floor against batch size.
    couplings(p) {
      return once(() => {
        const pairs = Object.fromEntries(['independent', 'ot'].map((c) => [c, math.couplingPairs(p.target, c, p.examples, p.seed)]));
        const mapXs = Float64Array.from({ length: p.mapPoints }, (_, i) => p.lo + ((p.hi - p.lo) * i) / (p.mapPoints - 1));
        return {
          pairs,
          mapXs,
          map: math.monotoneMap(p.target, mapXs),
          batchSizes: Float64Array.from(p.batchSizes),
          otFloors: math.otLossFloors(p.target, Uint32Array.from(p.batchSizes)),
          independentFloor: math.lossFloor(p.target),
        };
      });
    },

    // How straight a network's flow is, what one and two Euler steps sample, and a few of its paths.
    rectified(p) {
      return onNetwork(math.LearnedField, p, (field) => ({
        straightness: field.straightness(p.n, p.straightSteps),
        w1: Float64Array.from(p.eulerSteps, (k) => field.eulerW1(p.target, k, p.n)),
        lines: field.paths(Float64Array.from(p.starts), p.lineSteps, 'rk4'),
        oneStep: field.paths(Float64Array.from(p.starts), 1, 'euler'),
      }));
    },

    // The loss figure's floor under the run's coupling and batch size: exact for independent pairs,
    // a binned estimate under minibatch OT (the same estimate figure 15 draws against batch size).
    lossFloor(p) {
      return once(() => ({
        floor: p.coupling === 'ot' ? math.otLossFloors(p.target, Uint32Array.of(p.batch))[0] : math.lossFloor(p.target),
      }));
    },

    learnedField(p) {
      return onNetwork(math.LearnedField, p, (field) => ({
        grid: field.grid(p.times, p.lo, p.hi, p.bins),
        lines: field.paths(Float64Array.from(p.starts), p.lineSteps, p.solver),
      }));
    },

    sample(p) {
      const field = new math.LearnedField(p.hidden, p.weights);
      const d = p.density || { lo: 0, hi: 0, bins: 0 };
      const job = new math.SamplingJob(field, p.target, p.n, p.steps, p.seed, d.lo, d.hi, d.bins, p.solver);
      field.free();
      const pace = pacer();
      let first = true;
      return {
        step(budget) {
          const done = pace(budget, (k) => job.advance(k));
          const partial = first ? { noiseHist: job.histograms(p.hist.lo, p.hist.hi, p.hist.bins).noise } : undefined;
          first = false;
          if (done < p.steps) return { done: false, fraction: done / p.steps, partial };
          const h = job.histograms(p.hist.lo, p.hist.hi, p.hist.bins);
          const { w1, ks } = job.distances();
          const result = { count: p.n, noiseHist: h.noise, sampleHist: h.samples, w1, ks };
          if (p.density) result.density = job.density();
          return { done: true, fraction: 1, result };
        },
        free: () => job.free(),
      };
    },

    // The metrics of one checkpoint: both networks (the weight average and the last iterate).
    metrics(p) {
      const jobs = ['averaged', 'latest'].map((key) => {
        const field = new math.LearnedField(p.hidden, p[key]);
        const job = new math.MetricsJob(field, p.target);
        field.free();
        return [key, job];
      });
      const pace = pacer();
      let i = 0;
      const result = {};
      return {
        step(budget) {
          const [key, job] = jobs[i];
          const fraction = pace(budget, (k) => job.advance(k));
          if (fraction >= 1) {
            result[key] = job.result();
            i++;
          }
          if (i < jobs.length) return { done: false, fraction: (i + Math.min(fraction, 0.999)) / jobs.length };
          return { done: true, fraction: 1, result };
        },
        free: () => jobs.forEach(([, job]) => job.free()),
      };
    },

    // W₁ against field evaluations for every solver, on a snapshot or (p.exact) on the exact field.
    sweep(p) {
      let job;
      if (p.exact) job = math.SweepJob.forExactField(p.target, p.n);
      else {
        const field = new math.LearnedField(p.hidden, p.weights);
        job = math.SweepJob.forNetwork(field, p.target, p.n);
        field.free();
      }
      const pace = pacer();
      return {
        step(budget) {
          const fraction = pace(budget, (k) => job.advance(k));
          if (fraction < 1) return { done: false, fraction };
          const result = job.points();
          if (p.exact) result.noiseFloor = math.samplingNoiseFloor(p.target, p.noiseFloorSamples, 5);
          return { done: true, fraction: 1, result };
        },
        free: () => job.free(),
      };
    },

    // Chapter four. The exact field of the plane target: its density p_t and arrows at the frames'
    // times, and its particles from the same noise the network's start from (p.seed).
    planeExact(p) {
      return once(() => {
        const [lo, hi] = p.view;
        const frames = math.planeExactFrames(p.planeTarget, p.frames, lo, hi, p.densityBins, p.arrows);
        return { ...frames, flow: math.planeExactFlow(p.planeTarget, p.particles, p.seed, p.eulerSteps, p.solver) };
      });
    },

    // One batch of noise and target draws paired independently and by exact minibatch OT.
    planePairs(p) {
      return once(() => ({
        independent: math.planePairs(p.planeTarget, 'independent', p.pairs, p.seed),
        ot: math.planePairs(p.planeTarget, 'ot', p.pairs, p.seed),
      }));
    },

    // The plane network's particles and its arrows at the frames' times.
    planeFlow(p) {
      return onNetwork(math.PlaneField, p, (field) => {
        const [lo, hi] = p.view;
        return { flow: field.flow(p.particles, p.seed, p.eulerSteps, p.solver), arrows: field.arrows(p.frames, lo, hi, p.arrows) };
      });
    },

    // How straight the plane network's flow is, a few of its paths, and what one Euler step samples.
    planeRectified(p) {
      return onNetwork(math.PlaneField, p, (field) => ({
        lines: field.flow(p.lines, p.seed, p.lineSteps, 'rk4'),
        oneStep: field.ends(p.points, p.seed, 1, 'euler'),
        straightness: field.straightness(p.points, p.seed, p.lineSteps),
      }));
    },

    // W₂ of both networks of a checkpoint (p.points from the same noise) to one fixed target set.
    planeCheckpoint(p) {
      return once(() => {
        const reference = math.planeSample(p.planeTarget, p.points, p.referenceSeed);
        const w2 = (weights) => withField(math.PlaneField, p.hidden, weights, (field) => math.planeW2(field.ends(p.points, p.seed, p.steps, 'euler'), reference));
        return { averaged: w2(p.averaged), latest: w2(p.latest) };
      });
    },

    // W₂ against network evaluations per sample for each solver: of the network (p.weights) or of
    // the exact field (p.exact, with the floor: two fresh target sets). One W₂ per slice.
    planeSweep(p) {
      const reference = math.planeSample(p.planeTarget, p.points, p.referenceSeed);
      const field = p.exact ? null : new math.PlaneField(p.hidden, p.weights);
      const runs = p.solvers.flatMap((solver) => {
        const cost = p.costs[solver];
        return p.evaluations.filter((e) => e % cost === 0).map((e) => ({ solver, evaluations: e, steps: e / cost }));
      });
      const points = [];
      let i = 0;
      return {
        step() {
          if (i < runs.length) {
            const r = runs[i++];
            const ends = field ? field.ends(p.points, p.seed, r.steps, r.solver) : math.planeExactEnds(p.planeTarget, p.points, p.seed, r.steps, r.solver);
            points.push({ ...r, w2: math.planeW2(ends, reference) });
            return { done: false, fraction: i / (runs.length + 1) };
          }
          const result = { points };
          if (p.exact) result.floor = math.planeW2(math.planeSample(p.planeTarget, p.points, p.floorSeed), reference);
          return { done: true, fraction: 1, result };
        },
        free: () => field?.free(),
      };
    },
  };
}

/**
 * Sizes work to a time budget: `pace(budget, work)` calls `work(k)` with as many units as fit in
 * `budget` ms at the speed measured so far (one unit the first time) and returns what `work` returns.
 */
function pacer() {
  let unitsPerMs = 0;
  return (budget, work) => {
    const started = performance.now();
    const k = unitsPerMs > 0 ? Math.max(1, Math.floor(unitsPerMs * budget)) : 1;
    const out = work(k);
    unitsPerMs = k / Math.max(performance.now() - started, 0.5);
    return out;
  };
}

/** `compute(field)` on a network of class `Field` (LearnedField, PlaneField) from flat weights, freed after. */
function withField(Field, hidden, weights, compute) {
  const field = new Field(hidden, weights);
  try {
    return compute(field);
  } finally {
    field.free();
  }
}

/** A task done at once on the network of a snapshot (p.hidden, p.weights). */
const onNetwork = (Field, p, compute) => once(() => withField(Field, p.hidden, p.weights, compute));

function once(compute) {
  return { step: () => ({ done: true, fraction: 1, result: compute() }), free() {} };
}
