//! Exact optimal assignment: the permutation σ minimising Σᵢ C[i, σ(i)] for a square cost matrix.
//! In the plane, optimal transport between two equal-size point sets (squared distance) is exactly
//! this problem, not a sort. The solver is `crate::assignment_solver` (an ε-scaling auction for
//! prices, then Jonker and Volgenant's shortest augmenting paths, exact), checked here against brute force and against the `lsap` crate (a port of SciPy's
//! `linear_sum_assignment`, Crouse's shortest augmenting path), which stays as the oracle and the
//! benchmark's baseline.

/// The optimal column of each row of the `n × n` row-major `cost` (every entry finite).
pub fn optimal_assignment(cost: &[f64], n: usize) -> Vec<usize> {
    crate::assignment_solver::solve(cost, n)
}

/// The same problem solved by the `lsap` crate: the oracle the tests hold the solver to, and the
/// baseline its benchmark is measured against.
pub fn lsap_assignment(cost: &[f64], n: usize) -> Vec<usize> {
    assert_eq!(cost.len(), n * n, "a square cost matrix");
    if n == 0 {
        return vec![];
    }
    let cost = cost.to_vec();
    let (rows, cols) =
        lsap::solve(n, n, &cost, false).expect("a finite square cost matrix is feasible");
    let mut assignment = vec![0; n];
    for (r, c) in rows.into_iter().zip(cols) {
        assignment[r] = c;
    }
    assignment
}

/// Squared distances between two sets of `n` interleaved points, row-major `[n, n]`.
pub fn squared_distances(a: &[f64], b: &[f64]) -> Vec<f64> {
    let mut cost = Vec::with_capacity(a.len() / 2 * b.len() / 2);
    for p in a.chunks_exact(2) {
        cost.extend(
            b.chunks_exact(2)
                .map(|q| (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)),
        );
    }
    cost
}

/// Re-pairs `x1` (interleaved points) with `x0` so that the total squared length of the straight
/// paths x0[i] → x1[i] is the least any pairing has: the minibatch OT coupling in the plane.
pub fn pair_by_assignment(x0: &[f64], x1: &mut [f64]) {
    let n = x0.len() / 2;
    assert_eq!(x1.len(), 2 * n, "as many ends as starts");
    let assignment = optimal_assignment(&squared_distances(x0, x1), n);
    let ends = x1.to_vec();
    for (i, &j) in assignment.iter().enumerate() {
        x1[2 * i] = ends[2 * j];
        x1[2 * i + 1] = ends[2 * j + 1];
    }
}

/// Σᵢ |x1[i] − x0[i]|² of a pairing of interleaved points.
pub fn plane_transport_cost(x0: &[f64], x1: &[f64]) -> f64 {
    x0.iter().zip(x1).map(|(a, b)| (b - a).powi(2)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plane::target::{Preset, plane_noise};
    use crate::seeded_rng;
    use rand::RngExt;

    /// The least total cost over every permutation (n ≤ 8: 40,320 of them).
    fn brute_force(cost: &[f64], n: usize) -> f64 {
        fn go(row: usize, n: usize, used: &mut [bool], cost: &[f64], acc: f64, best: &mut f64) {
            if row == n {
                *best = best.min(acc);
                return;
            }
            for c in 0..n {
                if !used[c] {
                    used[c] = true;
                    go(row + 1, n, used, cost, acc + cost[row * n + c], best);
                    used[c] = false;
                }
            }
        }
        let mut best = f64::INFINITY;
        go(0, n, &mut vec![false; n], cost, 0.0, &mut best);
        best
    }

    #[test]
    fn the_assignment_is_optimal_against_brute_force() {
        let mut rng = seeded_rng(5);
        for n in 1..=8 {
            for _ in 0..20 {
                let cost: Vec<f64> = (0..n * n).map(|_| rng.random::<f64>() * 10.0).collect();
                let a = optimal_assignment(&cost, n);
                let mut seen = a.clone();
                seen.sort_unstable();
                assert_eq!(seen, (0..n).collect::<Vec<_>>(), "a permutation");
                let total: f64 = a.iter().enumerate().map(|(i, &j)| cost[i * n + j]).sum();
                let best = brute_force(&cost, n);
                assert!((total - best).abs() < 1e-9, "n = {n}: {total} vs {best}");
            }
        }
    }

    #[test]
    fn ot_pairs_in_the_plane_are_cheapest_and_their_paths_never_meet() {
        // Optimal pairs for the squared distance are cyclically monotone: for any two of them,
        // ⟨x₀ᵢ − x₀ⱼ, x₁ᵢ − x₁ⱼ⟩ ≥ 0 (else swapping their ends would be shorter). Then at every
        // time |xᵢ(t) − xⱼ(t)|² ≥ (1 − t)²|x₀ᵢ − x₀ⱼ|² + t²|x₁ᵢ − x₁ⱼ|² > 0: the two straight paths
        // are never at one place at one time. (Their segments may still cross in the plane, at
        // different times.) Independent pairs of the same draws break the inequality.
        let mut rng = seeded_rng(8);
        let x0 = plane_noise(&mut rng, 64);
        let mut x1 = Preset::Moons.target().sample(&mut rng, 64);
        let before = plane_transport_cost(&x0, &x1);
        let worst_independent = worst_monotonicity(&x0, &x1);
        pair_by_assignment(&x0, &mut x1);
        let after = plane_transport_cost(&x0, &x1);
        assert!(after < before);
        assert!(worst_independent < -0.1, "{worst_independent}");
        let worst = worst_monotonicity(&x0, &x1);
        assert!(
            worst >= -1e-12,
            "two OT pairs could be swapped for less: {worst}"
        );
        let brute = brute_force(&squared_distances(&x0[..16], &x1[..16]), 8);
        assert!(brute <= plane_transport_cost(&x0[..16], &x1[..16]) + 1e-9);
    }

    fn total(cost: &[f64], n: usize, assignment: &[usize]) -> f64 {
        let mut seen = assignment.to_vec();
        seen.sort_unstable();
        assert_eq!(seen, (0..n).collect::<Vec<_>>(), "a permutation");
        assignment
            .iter()
            .enumerate()
            .map(|(i, &j)| cost[i * n + j])
            .sum()
    }

    /// Holds the solver to lsap's optimal cost on one matrix (the assignments themselves may differ
    /// where there are ties). Both are exact up to rounding: 1e-9 relative.
    fn same_cost_as_lsap(cost: &[f64], n: usize, case: &str) {
        let ours = total(cost, n, &optimal_assignment(cost, n));
        let oracle = total(cost, n, &lsap_assignment(cost, n));
        assert!(
            (ours - oracle).abs() <= 1e-9 * oracle.abs().max(1.0),
            "{case}, n = {n}: {ours} against lsap's {oracle}"
        );
    }

    #[test]
    fn the_solver_finds_lsaps_optimum_on_1200_problems() {
        let mut rng = seeded_rng(25);
        // Uniform costs of every small size.
        for k in 0..300 {
            let n = 1 + k % 64;
            let cost: Vec<f64> = (0..n * n).map(|_| rng.random::<f64>()).collect();
            same_cost_as_lsap(&cost, n, "uniform");
        }
        // Ties everywhere: costs from {0, 1, 2, 3}.
        for k in 0..300 {
            let n = 1 + k % 80;
            let cost: Vec<f64> = (0..n * n)
                .map(|_| f64::from(rng.random_range(0..4u8)))
                .collect();
            same_cost_as_lsap(&cost, n, "ties");
        }
        // The page's batches: 256 noise points against a preset's draws (squared distance) …
        let presets = [
            Preset::Eight,
            Preset::Moons,
            Preset::Checkerboard,
            Preset::Rings,
        ];
        for k in 0..200 {
            let x0 = plane_noise(&mut rng, 256);
            let x1 = presets[k % 4].target().sample(&mut rng, 256);
            same_cost_as_lsap(&squared_distances(&x0, &x1), 256, "batch");
        }
        // … against 16 distinct points, each drawn 16 times (duplicate columns) …
        for _ in 0..100 {
            let x0 = plane_noise(&mut rng, 256);
            let distinct = plane_noise(&mut rng, 16);
            let x1: Vec<f64> = (0..256)
                .flat_map(|i| [distinct[2 * (i % 16)], distinct[2 * (i % 16) + 1]])
                .collect();
            same_cost_as_lsap(&squared_distances(&x0, &x1), 256, "duplicate ends");
        }
        // … with duplicates on both sides …
        for _ in 0..100 {
            let a = plane_noise(&mut rng, 8);
            let b = plane_noise(&mut rng, 8);
            let x0: Vec<f64> = (0..128)
                .flat_map(|i| [a[2 * (i % 8)], a[2 * (i % 8) + 1]])
                .collect();
            let x1: Vec<f64> = (0..128)
                .flat_map(|i| [b[2 * (i / 16)], b[2 * (i / 16) + 1]])
                .collect();
            same_cost_as_lsap(
                &squared_distances(&x0, &x1),
                128,
                "duplicates on both sides",
            );
        }
        // … and against three tight clusters (std 10⁻³) far from the noise.
        for _ in 0..200 {
            let x0 = plane_noise(&mut rng, 256);
            let jitter = plane_noise(&mut rng, 256);
            let x1: Vec<f64> = (0..256)
                .flat_map(|i| {
                    let centre = [[3.0, 0.0], [-3.0, 1.0], [0.5, -3.5]][i % 3];
                    [
                        centre[0] + 1e-3 * jitter[2 * i],
                        centre[1] + 1e-3 * jitter[2 * i + 1],
                    ]
                })
                .collect();
            same_cost_as_lsap(&squared_distances(&x0, &x1), 256, "clusters");
        }
    }

    #[test]
    fn large_sets_match_lsap_too() {
        // W₂ in the page assigns up to 2,000 points.
        let mut rng = seeded_rng(26);
        for n in [1000, 2000] {
            let x0 = plane_noise(&mut rng, n);
            let x1 = Preset::Moons.target().sample(&mut rng, n);
            same_cost_as_lsap(&squared_distances(&x0, &x1), n, "large");
        }
    }

    /// The least ⟨x₀ᵢ − x₀ⱼ, x₁ᵢ − x₁ⱼ⟩ over every two pairs.
    fn worst_monotonicity(x0: &[f64], x1: &[f64]) -> f64 {
        let n = x0.len() / 2;
        let mut worst = f64::INFINITY;
        for i in 0..n {
            for j in i + 1..n {
                let d0 = [x0[2 * i] - x0[2 * j], x0[2 * i + 1] - x0[2 * j + 1]];
                let d1 = [x1[2 * i] - x1[2 * j], x1[2 * i + 1] - x1[2 * j + 1]];
                worst = worst.min(d0[0] * d1[0] + d0[1] * d1[1]);
            }
        }
        worst
    }
}
