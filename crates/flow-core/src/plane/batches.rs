//! Training batches in the plane: rows `[t, x, y]` with targets x₁ − x₀ (two numbers), from fresh
//! noise and target draws paired independently or by exact minibatch OT, or from fixed pairs
//! (reflow: `crate::paths::pair_batch_in` with D = 2, and `crate::reflow::reflow_pairs` from 2n
//! noise numbers). The line's batches are `crate::paths`'; the row layout is the same with D = 2.

use rand::{Rng, RngExt};

use crate::assignment::pair_by_assignment;
use crate::coupling::Coupling;
use crate::paths::TrainingBatch;
use crate::plane::target::{PlaneTarget, plane_noise};

/// A fresh batch of `size` rows. Independent: each row draws t, then x₀ ~ N(0, I), then x₁ ~ π₁.
/// Minibatch OT: the batch's noise, then its data, are drawn first and re-paired by the optimal
/// assignment (squared distance), then each row draws its t; no two of its straight paths cross.
pub fn plane_batch<R: Rng + ?Sized>(
    target: &PlaneTarget,
    rng: &mut R,
    size: usize,
    coupling: Coupling,
) -> TrainingBatch {
    let mut batch = TrainingBatch::with_capacity(size);
    match coupling {
        Coupling::Independent => {
            for _ in 0..size {
                let t: f64 = rng.random();
                let x0 = plane_noise(rng, 1);
                let x1 = target.sample_one(rng);
                batch.push_point(t, &x0, &x1);
            }
        }
        Coupling::Ot => {
            let (x0, x1) = plane_pairs(target, rng, size, coupling);
            return paired_batch(&x0, &x1, rng);
        }
    }
    batch
}

/// The rows of a batch of given pairs (interleaved points), each at a fresh time t.
pub fn paired_batch<R: Rng + ?Sized>(x0: &[f64], x1: &[f64], rng: &mut R) -> TrainingBatch {
    let mut batch = TrainingBatch::with_capacity(x0.len() / 2);
    for (a, b) in x0.chunks_exact(2).zip(x1.chunks_exact(2)) {
        batch.push_point(rng.random(), a, b);
    }
    batch
}

/// `n` pairs (x₀, x₁), interleaved, paired by `coupling` as one batch.
pub fn plane_pairs<R: Rng + ?Sized>(
    target: &PlaneTarget,
    rng: &mut R,
    n: usize,
    coupling: Coupling,
) -> (Vec<f64>, Vec<f64>) {
    let x0 = plane_noise(rng, n);
    let mut x1 = target.sample(rng, n);
    if coupling == Coupling::Ot {
        pair_by_assignment(&x0, &mut x1);
    }
    (x0, x1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plane::target::Preset;
    use crate::seeded_rng;

    #[test]
    fn rows_are_points_on_their_straight_paths() {
        let target = Preset::Eight.target();
        for coupling in Coupling::ALL {
            let batch = plane_batch(&target, &mut seeded_rng(2), 200, coupling);
            assert_eq!(batch.len(), 200);
            assert_eq!(batch.inputs.len(), 600);
            assert_eq!(batch.targets.len(), 400);
            // x_t = x₀ + t (x₁ − x₀) with x₀ ~ N(0, I): x_t − t·v has mean 0 and variance 1 per
            // coordinate. 400 draws: mean within 0.25 (5 σ), variance within 0.4.
            let rest: Vec<f64> = batch
                .inputs
                .chunks(3)
                .zip(batch.targets.chunks(2))
                .flat_map(|(row, v)| {
                    let t = f64::from(row[0]);
                    [
                        f64::from(row[1]) - t * f64::from(v[0]),
                        f64::from(row[2]) - t * f64::from(v[1]),
                    ]
                })
                .collect();
            let mean = rest.iter().sum::<f64>() / rest.len() as f64;
            let var = rest.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / rest.len() as f64;
            assert!(
                mean.abs() < 0.25 && (var - 1.0).abs() < 0.4,
                "{coupling:?}: {mean} {var}"
            );
        }
    }

    #[test]
    fn ot_batches_are_shorter_than_independent_ones() {
        let target = Preset::Moons.target();
        let length = |coupling| {
            let (x0, x1) = plane_pairs(&target, &mut seeded_rng(6), 256, coupling);
            crate::assignment::plane_transport_cost(&x0, &x1) / 256.0
        };
        // Same draws; the assignment can only shorten (here by more than half: E|x₁ − x₀|² = 2 +
        // E|x₁|² ≈ 3.3 independently).
        let (independent, ot) = (length(Coupling::Independent), length(Coupling::Ot));
        assert!(ot < 0.5 * independent, "{ot} vs {independent}");
    }
}
