//! Straight reference paths between noise and data, and the training batches drawn from them.

use rand::{Rng, RngExt};
use rand_distr::{Distribution, StandardNormal};

use crate::coupling::Coupling;
use crate::measures::histogram;
use crate::mixture::Mixture;

/// The point at time `t` on the straight path from `x0` (noise) to `x1` (data).
pub fn interpolate(x0: f64, x1: f64, t: f64) -> f64 {
    (1.0 - t) * x0 + t * x1
}

/// The velocity of a straight path: constant along it, so it does not depend on t.
pub fn conditional_velocity(x0: f64, x1: f64) -> f64 {
    x1 - x0
}

/// One training batch in the layout the network reads: inputs as rows `[t, x_t]`, targets `x₁ − x₀`.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingBatch {
    /// Row-major `[len, 2]`: time, then position on the path.
    pub inputs: Vec<f32>,
    pub targets: Vec<f32>,
}

impl TrainingBatch {
    pub(crate) fn with_capacity(size: usize) -> Self {
        Self {
            inputs: Vec::with_capacity(2 * size),
            targets: Vec::with_capacity(size),
        }
    }

    /// Adds the point at time `t` on the straight path from the point `x0` to `x1` (of any
    /// dimension D): a row `[t, x_t]` of 1 + D inputs and D targets.
    pub(crate) fn push_point(&mut self, t: f64, x0: &[f64], x1: &[f64]) {
        self.inputs.push(t as f32);
        for (&a, &b) in x0.iter().zip(x1) {
            self.inputs.push(interpolate(a, b, t) as f32);
        }
        for (&a, &b) in x0.iter().zip(x1) {
            self.targets.push(conditional_velocity(a, b) as f32);
        }
    }

    /// Adds the point at time `t` on the straight path from `x0` to `x1`, with its velocity.
    fn push(&mut self, t: f64, x0: f64, x1: f64) {
        self.inputs.push(t as f32);
        self.inputs.push(interpolate(x0, x1, t) as f32);
        self.targets.push(conditional_velocity(x0, x1) as f32);
    }

    /// Rows (for points of dimension D, `targets.len() / D`).
    pub fn len(&self) -> usize {
        self.inputs.len() - self.targets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }
}

/// Draws a fresh batch: t ~ U[0, 1], x₀ ~ N(0, 1), x₁ ~ π₁, independently (the independent coupling).
pub fn training_batch<R: Rng + ?Sized>(
    target: &Mixture,
    rng: &mut R,
    size: usize,
) -> TrainingBatch {
    let mut batch = TrainingBatch::with_capacity(size);
    for _ in 0..size {
        let t: f64 = rng.random();
        let x0: f64 = StandardNormal.sample(rng);
        let x1 = target.sample_one(rng);
        batch.push(t, x0, x1);
    }
    batch
}

/// A training batch under a coupling: independent pairs are exactly [`training_batch`]'s (same
/// draws); under minibatch OT the batch's noise and data are re-paired by rank before the times are
/// drawn, so no two of its straight paths cross.
pub fn coupled_batch<R: Rng + ?Sized>(
    target: &Mixture,
    rng: &mut R,
    size: usize,
    coupling: Coupling,
) -> TrainingBatch {
    if coupling == Coupling::Independent {
        return training_batch(target, rng, size);
    }
    let (x0, x1) = coupled_endpoints(target, rng, size, coupling, size);
    let mut batch = TrainingBatch::with_capacity(size);
    for (&a, &b) in x0.iter().zip(&x1) {
        batch.push(rng.random(), a, b);
    }
    batch
}

/// A batch drawn from fixed pairs (x₀ᵢ, x₁ᵢ), as reflow trains on the pairs a flow made: random
/// pairs (with replacement) and fresh times.
pub fn pair_batch<R: Rng + ?Sized>(
    x0: &[f64],
    x1: &[f64],
    rng: &mut R,
    size: usize,
) -> TrainingBatch {
    pair_batch_in(x0, x1, rng, size, 1)
}

/// As [`pair_batch`], for points of `dimension` numbers each (row-major, interleaved in the plane):
/// each row draws a pair, then its time.
pub fn pair_batch_in<R: Rng + ?Sized>(
    x0: &[f64],
    x1: &[f64],
    rng: &mut R,
    size: usize,
    dimension: usize,
) -> TrainingBatch {
    let mut batch = TrainingBatch::with_capacity(size);
    let n = x0.len().min(x1.len()) / dimension;
    for _ in 0..size {
        let i = rng.random_range(0..n);
        let points = dimension * i..dimension * (i + 1);
        batch.push_point(rng.random(), &x0[points.clone()], &x1[points]);
    }
    batch
}

/// `n` independent draws of the noise π₀ = N(0, 1).
pub fn noise_samples<R: Rng + ?Sized>(rng: &mut R, n: usize) -> Vec<f64> {
    (0..n).map(|_| StandardNormal.sample(rng)).collect()
}

/// Counts of straight-path positions per (time, x bin): `times.len()` rows of `bins`, row-major.
/// One row of positions exists at a time, so 100k paths at 101 times need 0.8 MB, not 80.
pub fn straight_path_density(
    x0: &[f64],
    x1: &[f64],
    times: &[f64],
    lo: f64,
    hi: f64,
    bins: usize,
) -> Vec<u32> {
    let mut row = vec![0.0; x0.len()];
    let mut counts = Vec::with_capacity(times.len() * bins);
    for &t in times {
        for ((r, &a), &b) in row.iter_mut().zip(x0).zip(x1) {
            *r = interpolate(a, b, t);
        }
        counts.extend(histogram(&row, lo, hi, bins));
    }
    counts
}

/// `n` independent (x₀, x₁) pairs, for figures that draw or bin whole paths.
pub fn path_endpoints<R: Rng + ?Sized>(
    target: &Mixture,
    rng: &mut R,
    n: usize,
) -> (Vec<f64>, Vec<f64>) {
    coupled_endpoints(target, rng, n, Coupling::Independent, n)
}

/// `n` (x₀, x₁) pairs under a coupling, drawn and paired in batches of `batch` as training draws
/// them, so that figures of whole paths show what a network under that coupling learns from. The
/// one place that draws coupled noise and data (everything else that pairs calls it): each batch
/// draws its noise, then its data, then pairs them. Independent pairs need no batches: all the noise
/// comes first, then all the data, whatever `batch`.
pub fn coupled_endpoints<R: Rng + ?Sized>(
    target: &Mixture,
    rng: &mut R,
    n: usize,
    coupling: Coupling,
    batch: usize,
) -> (Vec<f64>, Vec<f64>) {
    let batch = if coupling == Coupling::Independent {
        n
    } else {
        batch.max(1)
    };
    let (mut x0, mut x1) = (Vec::with_capacity(n), Vec::with_capacity(n));
    while x0.len() < n {
        let size = batch.min(n - x0.len());
        let mut a = noise_samples(rng, size);
        let mut b = target.sample(rng, size);
        coupling.pair(&mut a, &mut b);
        x0.extend(a);
        x1.extend(b);
    }
    (x0, x1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seeded_rng;

    #[test]
    fn interpolation_hits_both_ends_and_moves_at_constant_speed() {
        assert_eq!(interpolate(1.32, -1.92, 0.0), 1.32);
        assert_eq!(interpolate(1.32, -1.92, 1.0), -1.92);
        let v = conditional_velocity(1.32, -1.92);
        let h = 1e-6;
        let slope = (interpolate(1.32, -1.92, 0.67 + h) - interpolate(1.32, -1.92, 0.67)) / h;
        assert!((slope - v).abs() < 1e-6);
    }

    #[test]
    fn coupled_endpoints_pair_each_batch_by_rank() {
        let target = Mixture::tutorial_target();
        let (a, b) =
            coupled_endpoints(&target, &mut seeded_rng(4), 1000, Coupling::Independent, 64);
        assert_eq!((a, b), path_endpoints(&target, &mut seeded_rng(4), 1000));
        let (x0, x1) = coupled_endpoints(&target, &mut seeded_rng(4), 1000, Coupling::Ot, 64);
        assert_eq!(x0.len(), 1000);
        // Within each batch (the last one is shorter) both ends are sorted: no two paths cross.
        for (c0, c1) in x0.chunks(64).zip(x1.chunks(64)) {
            assert!(c0.is_sorted() && c1.is_sorted());
        }
        assert!(!x0.is_sorted(), "batches are paired, not the whole sample");
    }

    #[test]
    fn batches_are_consistent_rows() {
        let batch = training_batch(&Mixture::tutorial_target(), &mut seeded_rng(1), 4096);
        assert_eq!(batch.inputs.len(), 2 * batch.len());
        let ts: Vec<f32> = batch.inputs.chunks(2).map(|r| r[0]).collect();
        assert!(ts.iter().all(|t| (0.0..1.0).contains(t)));
        let mean_t = ts.iter().sum::<f32>() / ts.len() as f32;
        // U[0,1] mean 0.5, sd 0.289/√4096 = 0.0045; 5σ.
        assert!((mean_t - 0.5).abs() < 0.023);
        // The target x₁ − x₀ has mean E[x₁] = 0.55·(−0.85) + 0.45·1.5 = 0.2075.
        let mean_v = batch.targets.iter().sum::<f32>() as f64 / batch.len() as f64;
        let expected = Mixture::tutorial_target().mean();
        // Var(x₁ − x₀) ≈ 2.35, sd of the mean 0.024; 5σ.
        assert!((mean_v - expected).abs() < 0.12, "{mean_v} vs {expected}");
    }

    #[test]
    fn path_density_counts_each_path_once_per_time() {
        // Two paths, 0 → 1 and 1 → 0, at t = 0, ½, 1 on two bins of [0, 1]: they meet at ½.
        let counts = straight_path_density(&[0.0, 1.0], &[1.0, 0.0], &[0.0, 0.5, 1.0], 0.0, 1.0, 2);
        assert_eq!(counts, vec![1, 1, 0, 2, 1, 1]);
    }

    #[test]
    fn an_ot_batch_never_crosses_and_an_independent_one_is_the_plain_batch() {
        let target = Mixture::tutorial_target();
        let plain = training_batch(&target, &mut seeded_rng(5), 64);
        let same = coupled_batch(&target, &mut seeded_rng(5), 64, Coupling::Independent);
        assert_eq!(plain, same);
        let ot = coupled_batch(&target, &mut seeded_rng(5), 4096, Coupling::Ot);
        // Recover each pair from (t, x_t, v): x₀ = x_t − t·v, x₁ = x₀ + v.
        let mut pairs: Vec<(f64, f64)> = ot
            .inputs
            .chunks(2)
            .zip(&ot.targets)
            .map(|(tx, &v)| {
                let x0 = f64::from(tx[1]) - f64::from(tx[0]) * f64::from(v);
                (x0, x0 + f64::from(v))
            })
            .collect();
        pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
        assert!(
            pairs.windows(2).all(|w| w[1].1 >= w[0].1 - 1e-5),
            "a larger x₀ went to a smaller x₁"
        );
        // Paired by rank, the paths are much shorter on average than independent ones.
        let mean_square = |b: &TrainingBatch| {
            b.targets.iter().map(|v| f64::from(*v).powi(2)).sum::<f64>() / b.len() as f64
        };
        let independent = coupled_batch(&target, &mut seeded_rng(6), 4096, Coupling::Independent);
        assert!(mean_square(&ot) < 0.5 * mean_square(&independent));
    }
}
