//! The loss floor under a coupling, estimated. Whatever the network, its loss cannot go below
//! E_t Var(x₁ − x₀ | t, x_t): the spread of the targets that share one input. For independent pairs
//! that is the exact field's floor (1.837 on the tutorial's target); under minibatch OT the pairs of
//! a batch never cross, so as batches grow the input nearly determines the target and the floor
//! falls towards 0. There is no closed form for a finite batch: this bins many coupled paths by
//! (t, x_t) and pools the spread inside each bin.

use crate::coupling::Coupling;
use crate::mixture::Mixture;
use crate::paths::{coupled_endpoints, interpolate};
use crate::seeded_rng;

/// Times (bin midpoints on [0, 1]) and the x-bins the paths are sorted into: 0.02 wide, narrow
/// enough that the field's own change across a bin adds well under 0.001.
const TIMES: usize = 40;
const LO: f64 = -5.0;
const HI: f64 = 5.0;
const BINS: usize = 500;

/// What the page's OT floors are estimated from (the loss figure's line under `coupling=ot` and
/// figure 15's curve): this many pairs, from this seed, about 30 ms a batch size in a browser.
pub const FLOOR_PAIRS: usize = 100_000;
pub const FLOOR_SEED: u64 = 3;
/// The batch sizes figure 15 draws the OT floor at: powers of two up to the largest batch it names.
pub const FLOOR_BATCH_SIZES: [usize; 12] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048];

/// The page's estimate of the loss floor under minibatch OT at batch size `batch`
/// ([`FLOOR_PAIRS`] pairs from [`FLOOR_SEED`]).
pub fn ot_loss_floor(target: &Mixture, batch: usize) -> f64 {
    coupled_loss_floor(target, Coupling::Ot, batch, FLOOR_PAIRS, FLOOR_SEED)
}

/// The floor for `pairs` pairs drawn in batches of `batch` and paired by `coupling`.
pub fn coupled_loss_floor(
    target: &Mixture,
    coupling: Coupling,
    batch: usize,
    pairs: usize,
    seed: u64,
) -> f64 {
    let (x0, x1) = coupled_endpoints(target, &mut seeded_rng(seed), pairs, coupling, batch);
    binned_conditional_variance(&x0, &x1)
}

/// Mean over the times of the pooled within-bin variance of x₁ − x₀ (each bin's sum of squares
/// about its own mean, over the count less one per occupied bin: unbiased for equal variances).
pub fn binned_conditional_variance(x0: &[f64], x1: &[f64]) -> f64 {
    let width = (HI - LO) / BINS as f64;
    let mut total = 0.0;
    for k in 0..TIMES {
        let t = (k as f64 + 0.5) / TIMES as f64;
        let mut count = vec![0u32; BINS];
        let mut sum = vec![0.0; BINS];
        let mut squares = vec![0.0; BINS];
        for (&a, &b) in x0.iter().zip(x1) {
            let x = interpolate(a, b, t);
            let bin = (((x - LO) / width).floor().max(0.0) as usize).min(BINS - 1);
            let v = b - a;
            count[bin] += 1;
            sum[bin] += v;
            squares[bin] += v * v;
        }
        let (mut within, mut dof) = (0.0, 0.0);
        for ((&n, &s), &q) in count.iter().zip(&sum).zip(&squares) {
            if n > 0 {
                within += q - s * s / f64::from(n);
                dof += f64::from(n) - 1.0;
            }
        }
        total += if dof > 0.0 { within / dof } else { 0.0 };
    }
    total / TIMES as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ExactField;

    #[test]
    fn independent_pairs_give_the_exact_floor() {
        let target = Mixture::tutorial_target();
        let exact = ExactField::new(target.clone()).loss_floor();
        let estimate = coupled_loss_floor(&target, Coupling::Independent, 256, 200_000, 1);
        // Monte Carlo over 200k pairs and 40 times, plus the bins' width: within 1 %.
        assert!(
            (estimate - exact).abs() < 0.02 * exact,
            "{estimate} vs {exact}"
        );
        // A batch of one has nothing to re-pair: OT is then the independent coupling.
        let single = coupled_loss_floor(&target, Coupling::Ot, 1, 200_000, 1);
        assert!((single - exact).abs() < 0.02 * exact, "{single} vs {exact}");
    }

    #[test]
    fn ot_batches_lower_the_floor_as_they_grow() {
        let target = Mixture::tutorial_target();
        let floors: Vec<f64> = [4, 64, 1024]
            .iter()
            .map(|&b| coupled_loss_floor(&target, Coupling::Ot, b, 200_000, 2))
            .collect();
        eprintln!("OT floors at batch 4 / 64 / 1024: {floors:?}");
        assert!(floors[0] < 1.0 && floors[1] < floors[0] && floors[2] < floors[1]);
        assert!(floors[2] < 0.05, "{floors:?}");
    }

    #[test]
    fn the_pages_ot_floors_are_the_readmes() {
        // The numbers the README quotes for the tutorial's target, at batches 16, 256 and 2,048.
        let target = Mixture::tutorial_target();
        let floors: Vec<f64> = [16, 256, 2048]
            .iter()
            .map(|&b| ot_loss_floor(&target, b))
            .collect();
        eprintln!("page OT floors at batch 16 / 256 / 2048: {floors:?}");
        for (floor, quoted) in floors.iter().zip([0.267, 0.020, 0.003]) {
            assert!((floor - quoted).abs() < 0.0015, "{floors:?}");
        }
        assert!(FLOOR_BATCH_SIZES.is_sorted());
    }

    #[test]
    fn straight_deterministic_pairs_have_no_floor() {
        // x₁ = 2·x₀: every input has one target.
        let x0: Vec<f64> = (0..10_000)
            .map(|i| -2.0 + 4.0 * i as f64 / 10_000.0)
            .collect();
        let x1: Vec<f64> = x0.iter().map(|x| 2.0 * x).collect();
        assert!(binned_conditional_variance(&x0, &x1) < 1e-3);
    }
}
