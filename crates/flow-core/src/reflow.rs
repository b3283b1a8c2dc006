//! Reflow ("rectified flow", round k + 1): a fresh network trained on the pairs (x₀, ODE(x₀)) that a
//! finished flow makes, so that its paths are the straight lines between them. This file draws those
//! pairs and holds the sizes of a round and of its measures, for the engine and the page alike.

use crate::field::VelocityField;
use crate::mlp_field::MlpField;
use crate::paths::noise_samples;
use crate::plane::sizes::{PLANE_REFLOW_PAIR_STEPS, PLANE_REFLOW_POINTS};
use crate::seeded_rng;
use crate::solvers::{Solver, integrate};
use crate::training::TrainingData;

/// (x₀, x₁) pairs a round trains on.
pub const REFLOW_PAIRS: usize = 20_000;
/// RK4 steps carrying each x₀ to its x₁: accurate enough that the pairs are the flow's own.
pub const REFLOW_PAIR_STEPS: usize = 40;
/// Training steps of a round, at most (fewer if the page's own run is shorter).
pub const REFLOW_STEPS: usize = 4000;
/// Rounds the page offers: the 1-rectified flow (the page's run) to the 4-rectified one.
pub const REFLOW_MAX_ROUNDS: usize = 4;

/// What each round is measured by: straightness and one- and two-step Euler W₁ from this many
/// noise quantiles, straightness integrated in this many RK4 steps, and RK4 path lines of this
/// many steps from these starts.
pub const RECTIFIED_POINTS: usize = 2000;
pub const RECTIFIED_STRAIGHT_STEPS: usize = 50;
pub const RECTIFIED_EULER_STEPS: [usize; 2] = [1, 2];
pub const RECTIFIED_LINE_STEPS: usize = 50;
pub const RECTIFIED_STARTS: [f64; 9] = [-2.2, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.2];

/// Reflow's training data from `field`: `n` noise numbers drawn from `seed` and where `steps` RK4
/// steps of the field carry them, `(x0, x1)`. In the plane, `n` is twice the points (interleaved).
pub fn reflow_pairs(
    field: &impl VelocityField,
    n: usize,
    steps: usize,
    seed: u64,
) -> (Vec<f64>, Vec<f64>) {
    let x0 = noise_samples(&mut seeded_rng(seed), n);
    let x1 = integrate(field, Solver::Rk4, &x0, steps);
    (x0, x1)
}

/// A round's training data from a finished network, on the line or in the plane by its shape:
/// [`REFLOW_PAIRS`] numbers through [`REFLOW_PAIR_STEPS`] on the line, [`PLANE_REFLOW_POINTS`] points
/// through [`PLANE_REFLOW_PAIR_STEPS`] in the plane (both engines' `startReflow` call this).
pub fn reflow_data(network: &MlpField, seed: u64) -> TrainingData {
    if network.dimension() == 1 {
        let (x0, x1) = reflow_pairs(network, REFLOW_PAIRS, REFLOW_PAIR_STEPS, seed);
        TrainingData::Pairs(x0, x1)
    } else {
        let numbers = network.dimension() * PLANE_REFLOW_POINTS;
        let (x0, x1) = reflow_pairs(network, numbers, PLANE_REFLOW_PAIR_STEPS, seed);
        TrainingData::PlanePairs(x0, x1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coupling::monotone_map;
    use crate::measures::wasserstein1;
    use crate::normal::std_normal_cdf;
    use crate::{ExactField, Mixture};

    #[test]
    fn a_round_draws_its_pairs_in_the_network_s_own_space() {
        use crate::MlpLayout;
        use crate::weights::MlpWeights;
        for (layout, dimension, numbers) in [
            (MlpLayout::tutorial(8), 1, REFLOW_PAIRS),
            (
                MlpLayout::for_dimension(2, 8, 3),
                2,
                2 * PLANE_REFLOW_POINTS,
            ),
        ] {
            let net = MlpField::new(MlpWeights::initial(&mut seeded_rng(1), layout));
            let data = reflow_data(&net, 4);
            assert_eq!(data.dimension(), dimension);
            let (TrainingData::Pairs(x0, x1) | TrainingData::PlanePairs(x0, x1)) = &data else {
                panic!("reflow trains on fixed pairs");
            };
            assert_eq!((x0.len(), x1.len()), (numbers, numbers));
            assert!(data.validate().is_ok());
        }
    }

    #[test]
    fn pairs_from_the_exact_field_land_on_the_target() {
        let target = Mixture::tutorial_target();
        let field = ExactField::new(target.clone());
        let (x0, x1) = reflow_pairs(&field, REFLOW_PAIRS, REFLOW_PAIR_STEPS, 2);
        assert_eq!((x0.len(), x1.len()), (REFLOW_PAIRS, REFLOW_PAIRS));
        // The starts are the noise, the ends the target: W₁ of 20k exact draws is about 0.007
        // (0.004 to 0.015 over seeds), RK4's own error at 40 steps far below that.
        let w_noise = wasserstein1(&x0, std_normal_cdf);
        let w_target = wasserstein1(&x1, |x| target.cdf(x));
        eprintln!(
            "W1 of the starts to the noise {w_noise:.4}, of the ends to the target {w_target:.4}"
        );
        assert!(w_noise < 0.02 && w_target < 0.02, "{w_noise} {w_target}");
        // Each end is where the flow carries its own start: the monotone map.
        let worst = x0
            .iter()
            .zip(&x1)
            .map(|(&a, &b)| (b - monotone_map(&target, a)).abs())
            .filter(|e| e.is_finite())
            .fold(0.0, f64::max);
        assert!(worst < 0.01, "an end is {worst} from the monotone map");
    }

    #[test]
    fn the_seed_fixes_the_pairs() {
        let field = ExactField::new(Mixture::tutorial_target());
        let a = reflow_pairs(&field, 500, 10, 7);
        assert_eq!(a, reflow_pairs(&field, 500, 10, 7));
        assert_ne!(a.0, reflow_pairs(&field, 500, 10, 8).0);
    }
}
