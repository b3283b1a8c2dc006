//! How a training batch pairs noise with data. The tutorial draws the two independently; minibatch
//! optimal transport pairs them so that the straight paths are as short as possible in total. On
//! the line that plan is exact and cheap: sort both halves and pair them by rank (the monotone
//! rearrangement is optimal for any convex cost), so paths of one batch never cross.

use serde::{Deserialize, Serialize};

use crate::mixture::Mixture;
use crate::normal::std_normal_cdf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Coupling {
    /// x₀ and x₁ drawn independently (the tutorial).
    Independent,
    /// Each batch re-paired by rank: the optimal transport plan between its noise and its data.
    Ot,
}

impl Coupling {
    /// Every coupling, the trainer's default first.
    pub const ALL: [Coupling; 2] = [Coupling::Independent, Coupling::Ot];

    /// Its name in links and in the page's table ("independent", "ot").
    pub fn name(self) -> &'static str {
        match self {
            Coupling::Independent => "independent",
            Coupling::Ot => "ot",
        }
    }

    pub fn from_name(name: &str) -> Option<Coupling> {
        Coupling::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Re-pairs a batch in place according to the coupling.
    pub fn pair(self, x0: &mut [f64], x1: &mut [f64]) {
        if self == Coupling::Ot {
            pair_by_rank(x0, x1);
        }
    }
}

/// Sorts both samples, so that x0[i] is paired with x1[i] by rank: the optimal transport plan
/// between the two empirical distributions for the squared distance.
pub fn pair_by_rank(x0: &mut [f64], x1: &mut [f64]) {
    x0.sort_by(f64::total_cmp);
    x1.sort_by(f64::total_cmp);
}

/// The monotone map T(x₀) = F₁⁻¹(Φ(x₀)): where the noise quantile x₀ lands under the optimal plan
/// between π₀ = N(0, 1) and the target. In one dimension every flow that carries π₀ to π₁ ends here
/// (a flow cannot reorder points on a line), so both couplings' networks approach this map; only
/// their paths to it differ.
pub fn monotone_map(target: &Mixture, x0: f64) -> f64 {
    target.quantile(std_normal_cdf(x0))
}

/// Total squared length Σ (x₁ − x₀)² of the paths of a pairing.
pub fn transport_cost(x0: &[f64], x1: &[f64]) -> f64 {
    x0.iter().zip(x1).map(|(a, b)| (b - a).powi(2)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seeded_rng;
    use rand::RngExt;

    /// Every permutation of 0..n (Heap's algorithm), for the brute-force check.
    fn permutations(n: usize) -> Vec<Vec<usize>> {
        fn heap(k: usize, a: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
            if k <= 1 {
                out.push(a.clone());
                return;
            }
            for i in 0..k {
                heap(k - 1, a, out);
                let j = if k.is_multiple_of(2) { i } else { 0 };
                a.swap(j, k - 1);
            }
        }
        let mut out = Vec::new();
        heap(n, &mut (0..n).collect(), &mut out);
        out
    }

    #[test]
    fn rank_pairing_is_monotone_and_beats_every_other_pairing() {
        let mut rng = seeded_rng(17);
        for n in 1..=7 {
            for _ in 0..20 {
                let x0: Vec<f64> = (0..n).map(|_| rng.random_range(-3.0..3.0)).collect();
                let x1: Vec<f64> = (0..n).map(|_| rng.random_range(-2.0..2.0)).collect();
                let best = permutations(n)
                    .iter()
                    .map(|p| {
                        let shuffled: Vec<f64> = p.iter().map(|&i| x1[i]).collect();
                        transport_cost(&x0, &shuffled)
                    })
                    .fold(f64::INFINITY, f64::min);
                let (mut a, mut b) = (x0.clone(), x1.clone());
                Coupling::Ot.pair(&mut a, &mut b);
                assert!((transport_cost(&a, &b) - best).abs() < 1e-9, "n = {n}");
                // Monotone: a larger noise point never goes to a smaller data point.
                for i in 1..n {
                    assert!(a[i - 1] <= a[i] && b[i - 1] <= b[i]);
                }
                // The same points, only re-paired.
                let mut sorted = x1.clone();
                sorted.sort_by(f64::total_cmp);
                assert_eq!(b, sorted);
            }
        }
    }

    #[test]
    fn independent_pairing_leaves_the_batch_alone_and_names_round_trip() {
        let (mut a, mut b) = (vec![2.0, -1.0], vec![0.5, 0.7]);
        Coupling::Independent.pair(&mut a, &mut b);
        assert_eq!((a, b), (vec![2.0, -1.0], vec![0.5, 0.7]));
        for c in Coupling::ALL {
            assert_eq!(Coupling::from_name(c.name()), Some(c));
        }
        assert_eq!(Coupling::from_name("sinkhorn"), None);
    }

    #[test]
    fn the_exact_flow_ends_at_the_monotone_map() {
        // The independent coupling's paths cross, yet its marginal flow is a flow on a line: it keeps
        // order, so it must end where the monotone map sends each point.
        let target = Mixture::tutorial_target();
        let field = crate::ExactField::new(target.clone());
        let starts = [-2.0, -0.7, 0.0, 0.4, 1.9];
        let ends = crate::integrate(&field, crate::Solver::Rk4, &starts, 400);
        for (x0, x1) in starts.iter().zip(&ends) {
            let mapped = monotone_map(&target, *x0);
            assert!((x1 - mapped).abs() < 2e-3, "{x0}: flow {x1}, map {mapped}");
        }
        // Φ⁻¹(p) goes to the target's p-quantile.
        let z = -0.841_621_233_572_914_3; // Φ⁻¹(0.2)
        assert!((monotone_map(&target, z) - target.quantile(0.2)).abs() < 1e-9);
    }
}
