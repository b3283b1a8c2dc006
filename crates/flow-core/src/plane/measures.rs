//! How close a set of generated points is to the target in the plane, and how straight a flow is.
//! W₂ between two equal-size point sets is exact (an optimal assignment); a fresh target set of the
//! same size is never at distance 0, so its distance to a second fresh set (the floor) is shown
//! beside every W₂. Sliced W₂ (sorting along fixed directions) is the cheap live measure.

use crate::assignment::{optimal_assignment, squared_distances};
use crate::field::VelocityField;
use crate::straightness::straightness;

/// Exact W₂ between the empirical measures of two sets of `n` interleaved points:
/// √(minₛ (1/n) Σ |aᵢ − b_σ(i)|²). O(n³): meant for n ≤ 2,000.
pub fn wasserstein2(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() / 2;
    assert_eq!(b.len(), 2 * n, "two sets of the same size");
    if n == 0 {
        return 0.0;
    }
    let cost = squared_distances(a, b);
    let assignment = optimal_assignment(&cost, n);
    let total: f64 = assignment
        .iter()
        .enumerate()
        .map(|(i, &j)| cost[i * n + j])
        .sum();
    (total / n as f64).sqrt()
}

/// Sliced W₂ over `directions` evenly spread angles θ_k = πk/K: √(mean over k of the 1-D W₂² of
/// the two sets projected on (cos θ_k, sin θ_k)), each 1-D one exact by sorting. O(K n log n).
pub fn sliced_wasserstein2(a: &[f64], b: &[f64], directions: usize) -> f64 {
    let n = a.len() / 2;
    assert_eq!(b.len(), 2 * n, "two sets of the same size");
    if n == 0 || directions == 0 {
        return 0.0;
    }
    let project = |points: &[f64], (c, s): (f64, f64)| {
        let mut v: Vec<f64> = points
            .chunks_exact(2)
            .map(|p| c * p[0] + s * p[1])
            .collect();
        v.sort_by(f64::total_cmp);
        v
    };
    let mut total = 0.0;
    for k in 0..directions {
        let angle = std::f64::consts::PI * k as f64 / directions as f64;
        let dir = (angle.cos(), angle.sin());
        let (pa, pb) = (project(a, dir), project(b, dir));
        total += pa
            .iter()
            .zip(&pb)
            .map(|(x, y)| (x - y).powi(2))
            .sum::<f64>()
            / n as f64;
    }
    (total / directions as f64).sqrt()
}

/// S = E ∫₀¹ |u(x_t, t) − (x₁ − x₀)|² dt along the flow's own paths from the interleaved `x0`
/// (RK4, `steps` steps): 0 exactly when every path is straight and travelled at constant speed.
pub fn plane_straightness(field: &impl VelocityField, x0: &[f64], steps: usize) -> f64 {
    // The line's measure averages over coordinates; a point has two.
    2.0 * straightness(field, x0, steps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plane::exact::PlaneExactField;
    use crate::plane::target::{Preset, plane_noise};
    use crate::seeded_rng;

    #[test]
    fn w2_of_a_shifted_set_is_the_shift_and_of_itself_zero() {
        let a = Preset::Moons.target().sample(&mut seeded_rng(1), 300);
        assert!(wasserstein2(&a, &a) < 1e-12);
        // Translating a set by v moves every point by |v|; no pairing does better than the
        // translation itself (W₂² ≥ |mean difference|²), so W₂ = |v| = 0.5 exactly.
        let shifted: Vec<f64> = a
            .iter()
            .enumerate()
            .map(|(i, v)| v + if i % 2 == 0 { 0.3 } else { -0.4 })
            .collect();
        assert!((wasserstein2(&a, &shifted) - 0.5).abs() < 1e-9);
        // Sliced: the mean of (v·dir)² over the half circle is |v|²/2.
        let sliced = sliced_wasserstein2(&a, &shifted, 180);
        assert!((sliced - 0.5 / 2f64.sqrt()).abs() < 1e-9, "{sliced}");
        // A set and any reordering of it are at distance 0.
        let reversed: Vec<f64> = a.chunks(2).rev().flatten().copied().collect();
        assert!(wasserstein2(&a, &reversed) < 1e-12);
    }

    #[test]
    fn w2_between_fresh_sets_falls_with_their_size() {
        // The finite-sample floor: two independent sets of the same target are apart by a W₂ that
        // shrinks as n grows (for a 2-D density roughly like √(log n / n)).
        let target = Preset::Eight.target();
        let floor = |n: usize, seed: u64| {
            let mut rng = seeded_rng(seed);
            let a = target.sample(&mut rng, n);
            let b = target.sample(&mut rng, n);
            wasserstein2(&a, &b)
        };
        let (small, large) = (floor(100, 2), floor(1600, 2));
        assert!(large < small * 0.7, "{small} → {large}");
        assert!(large > 0.0);
    }

    #[test]
    fn the_exact_field_carries_noise_onto_the_target() {
        // RK4 on the exact field, 100 steps, from 1,000 noise points: its W₂ to a fresh target set
        // is the floor's size (both are two independent samples of nearly the same measure), far
        // below the noise's own distance to the target.
        let target = Preset::Eight.target();
        let field = PlaneExactField::new(target.clone());
        let mut rng = seeded_rng(3);
        let x0 = plane_noise(&mut rng, 1000);
        let moved = crate::solvers::integrate(&field, crate::solvers::Solver::Rk4, &x0, 100);
        let fresh = target.sample(&mut rng, 1000);
        let floor = wasserstein2(&target.sample(&mut rng, 1000), &fresh);
        let w2 = wasserstein2(&moved, &fresh);
        let noise = wasserstein2(&x0, &fresh);
        assert!(w2 < 1.5 * floor, "flow {w2} vs floor {floor}");
        assert!(noise > 3.0 * w2, "noise {noise} vs flow {w2}");
    }
}
