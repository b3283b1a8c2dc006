//! How a training batch pairs noise with data. The tutorial draws the two independently; minibatch
//! optimal transport pairs them so that the straight paths are as short as possible in total. On
//! the line that plan is exact and cheap: sort both halves and pair them by rank (the monotone
//! rearrangement is optimal for any convex cost), so paths of one batch never cross.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Coupling {
    /// x₀ and x₁ drawn independently (the tutorial).
    Independent,
    /// Each batch re-paired by rank: the optimal transport plan between its noise and its data.
    Ot,
}

impl Coupling {
    pub fn name(self) -> &'static str {
        match self {
            Coupling::Independent => "independent",
            Coupling::Ot => "ot",
        }
    }

    pub fn from_name(name: &str) -> Option<Coupling> {
        [Coupling::Independent, Coupling::Ot]
            .into_iter()
            .find(|c| c.name() == name)
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
        for c in [Coupling::Independent, Coupling::Ot] {
            assert_eq!(Coupling::from_name(c.name()), Some(c));
        }
        assert_eq!(Coupling::from_name("sinkhorn"), None);
    }
}
