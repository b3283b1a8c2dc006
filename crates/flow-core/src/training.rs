//! What every training path shares, whatever computes its steps: where the batches come from, how
//! much of the weight average each step keeps, and the log of losses that decides when a run has
//! diverged. flow-train's burn trainer and the burn-free [`crate::CpuTrainer`] both run on these.

use rand::rngs::StdRng;

use crate::config::{ConfigError, EMA_DECAY, TrainConfig};
use crate::coupling::Coupling;
use crate::layout::MlpLayout;
use crate::mixture::Mixture;
use crate::paths::{TrainingBatch, coupled_batch, pair_batch_in};
use crate::plane::PlaneTarget;
use crate::plane::batches::{paired_batch, plane_batch};
use crate::plane::pair_stream::{PairStream, PairSupply, WrongPairs};
use crate::seeded_rng;

/// What the batches are drawn from.
#[derive(Debug, Clone)]
pub enum TrainingData {
    /// Fresh noise and fresh target samples, paired by the configured coupling.
    Target(Mixture),
    /// Fixed pairs (x₀, x₁), e.g. noise and where a trained flow took it (reflow).
    Pairs(Vec<f64>, Vec<f64>),
    /// Fresh noise N(0, I) and fresh draws of a target in the plane, paired by the coupling.
    Plane(PlaneTarget),
    /// Fixed pairs of points in the plane, interleaved `[x, y, …]` (reflow in the plane).
    PlanePairs(Vec<f64>, Vec<f64>),
}

impl TrainingData {
    /// How many numbers a point has: 1 on the line, 2 in the plane.
    pub fn dimension(&self) -> usize {
        match self {
            TrainingData::Target(_) | TrainingData::Pairs(..) => 1,
            TrainingData::Plane(_) | TrainingData::PlanePairs(..) => 2,
        }
    }

    /// The network these batches train, `hidden` units wide: the tutorial's on the line, and
    /// [`crate::plane::PLANE_DEPTH`] hidden layers in the plane.
    pub fn layout(&self, hidden: usize) -> MlpLayout {
        match self.dimension() {
            1 => MlpLayout::tutorial(hidden),
            d => MlpLayout::for_dimension(d, hidden, crate::plane::PLANE_DEPTH),
        }
    }

    /// Pairs that do not pair are an error.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if let TrainingData::Pairs(x0, x1) | TrainingData::PlanePairs(x0, x1) = self
            && (x0.is_empty() || x0.len() != x1.len() || x0.len() % self.dimension() != 0)
        {
            return Err(ConfigError {
                field: "pairs",
                message: format!(
                    "{} starts and {} ends do not make pairs",
                    x0.len(),
                    x1.len()
                ),
            });
        }
        Ok(())
    }
}

/// The run's stream of batches: one seeded generator draws the network's start, then every batch,
/// except the pairs of minibatch OT in the plane, which come from a stream of their own
/// ([`PairSupply`]: paired here, or ahead by another thread).
pub struct Batches {
    data: TrainingData,
    rng: StdRng,
    size: usize,
    config: TrainConfig,
    pairs: Option<PairSupply>,
}

impl Batches {
    /// The generator of `config.seed`, for the caller to draw the initial network from first.
    pub fn new(config: TrainConfig, data: TrainingData) -> Self {
        let pairs = match &data {
            TrainingData::Plane(target) if config.coupling == Coupling::Ot => {
                Some(PairSupply::inline(PairStream::new(
                    target.clone(),
                    config.seed,
                    config.batch_size,
                )))
            }
            _ => None,
        };
        Self {
            data,
            rng: seeded_rng(config.seed),
            size: config.batch_size,
            config,
            pairs,
        }
    }

    /// The pairs of an OT run in the plane come from outside from now on (see
    /// [`PairSupply::take_from_outside`]); returns whether this run has such pairs at all.
    pub fn take_pairs_from_outside(&mut self) -> bool {
        self.pairs
            .as_mut()
            .map(PairSupply::take_from_outside)
            .is_some()
    }

    /// Pairs here again, after what was handed in (a supplier that stopped).
    pub fn pair_inline(&mut self) {
        if let Some(pairs) = &mut self.pairs {
            pairs.pair_inline();
        }
    }

    /// One batch of pairs from the supplier: 4 × batch numbers, x₀ then x₁.
    pub fn feed_pairs(&mut self, numbers: &[f64]) -> Result<(), WrongPairs> {
        match &mut self.pairs {
            Some(pairs) => pairs.feed(numbers),
            None => Err(WrongPairs {
                got: numbers.len(),
                want: 0,
            }),
        }
    }

    /// The next batch waits for pairs from outside.
    pub fn is_waiting_for_pairs(&self) -> bool {
        self.pairs.as_ref().is_some_and(PairSupply::is_waiting)
    }

    pub fn rng(&mut self) -> &mut StdRng {
        &mut self.rng
    }

    /// The next batch; `None` only while it waits for pairs from outside.
    pub fn next_batch(&mut self) -> Option<TrainingBatch> {
        if let Some(pairs) = &mut self.pairs {
            let (x0, x1) = pairs.next_pairs()?;
            return Some(paired_batch(&x0, &x1, &mut self.rng));
        }
        Some(match &self.data {
            TrainingData::Target(target) => {
                coupled_batch(target, &mut self.rng, self.size, self.config.coupling)
            }
            TrainingData::Plane(target) => {
                plane_batch(target, &mut self.rng, self.size, self.config.coupling)
            }
            TrainingData::Pairs(x0, x1) | TrainingData::PlanePairs(x0, x1) => {
                let dimension = self.data.dimension();
                pair_batch_in(x0, x1, &mut self.rng, self.size, dimension)
            }
        })
    }
}

/// How much of the average to keep after step `done` (0-based): the decay, ramped up over the first
/// steps ((1 + n)/(10 + n), as TensorFlow's moving average does) so that early in a run the average
/// follows the network instead of remembering its random start for a thousand steps.
pub fn average_keep(done: usize) -> f64 {
    let n = done as f64;
    EMA_DECAY.min((1.0 + n) / (10.0 + n))
}

/// A loss above this is far beyond anything a sane run reaches (the initial loss is about 3).
pub const EXPLODED_LOSS: f32 = 1e4;

/// The run stopped because the loss stopped being a useful number.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("training diverged at step {step}: the loss became {loss}")]
pub struct Diverged {
    pub step: usize,
    pub loss: f32,
}

/// Every step's loss, in order, and whether the run has diverged.
#[derive(Debug, Clone, Default)]
pub struct LossLog {
    losses: Vec<f32>,
    diverged: Option<Diverged>,
}

impl LossLog {
    pub fn with_capacity(steps: usize) -> Self {
        Self {
            losses: Vec::with_capacity(steps),
            diverged: None,
        }
    }

    pub fn losses(&self) -> &[f32] {
        &self.losses
    }

    pub fn diverged(&self) -> Option<&Diverged> {
        self.diverged.as_ref()
    }

    /// Records `values`, in order, and marks the run diverged at the first loss that is not finite
    /// or has exploded.
    pub fn absorb(&mut self, values: impl IntoIterator<Item = f32>) -> Result<(), Diverged> {
        let first_new = self.losses.len();
        self.losses.extend(values);
        let bad = self.losses[first_new..]
            .iter()
            .position(|l| !l.is_finite() || *l > EXPLODED_LOSS);
        if let Some(i) = bad {
            let err = Diverged {
                step: first_new + i + 1,
                loss: self.losses[first_new + i],
            };
            self.diverged = Some(err.clone());
            return Err(err);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_average_ramps_up_to_the_decay() {
        assert!((average_keep(0) - 0.1).abs() < 1e-12);
        assert!(average_keep(100) < EMA_DECAY);
        assert_eq!(average_keep(100_000), EMA_DECAY);
    }

    #[test]
    fn the_log_stops_at_the_first_bad_loss() {
        let mut log = LossLog::default();
        assert!(log.absorb([3.0, 2.0]).is_ok());
        let err = log.absorb([1.0, f32::NAN, 1.0]).unwrap_err();
        assert_eq!(err.step, 4);
        assert!(err.loss.is_nan());
        assert_eq!(log.diverged().map(|d| d.step), Some(4));
        let mut log = LossLog::default();
        assert_eq!(log.absorb([2e4]).unwrap_err().step, 1);
    }

    #[test]
    fn pairs_must_pair() {
        assert!(TrainingData::Pairs(vec![], vec![]).validate().is_err());
        assert!(
            TrainingData::Pairs(vec![1.0], vec![1.0, 2.0])
                .validate()
                .is_err()
        );
        assert!(TrainingData::Pairs(vec![1.0], vec![2.0]).validate().is_ok());
        // In the plane a pair is two points of two numbers each.
        assert!(
            TrainingData::PlanePairs(vec![1.0], vec![2.0])
                .validate()
                .is_err()
        );
        assert!(
            TrainingData::PlanePairs(vec![1.0, 0.0], vec![2.0, 0.0])
                .validate()
                .is_ok()
        );
    }
}
