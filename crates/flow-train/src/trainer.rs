//! Training the velocity network by flow matching, a few steps at a time.
//!
//! A page interleaves training with drawing, so the trainer runs `k` steps per call and keeps each
//! step's loss on the device; the caller reads all of them back in one transfer
//! ([`Trainer::take_pending_losses`], then [`Trainer::absorb_losses`]).

use burn::tensor::Device;
use rand::rngs::StdRng;

use flow_core::config::{ConfigError, EMA_DECAY, TrainConfig};
use flow_core::mixture::Mixture;
use flow_core::paths::{TrainingBatch, coupled_batch, pair_batch};
use flow_core::seeded_rng;

use crate::adam::pytorch_adam;
#[cfg(feature = "gpu")]
use crate::fused::{FusedStep, LOSS_RING, RingLosses};
use crate::generic_step::GenericStep;
use crate::model::initial_weights;
use crate::reads::{NetworksRead, PendingLosses};
use crate::{DeviceError, MAX_FUSED_HIDDEN};

/// The run stopped because the loss stopped being a useful number.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TrainError {
    #[error("training diverged at step {step}: the loss became {loss}")]
    Diverged { step: usize, loss: f32 },
    #[error(transparent)]
    Device(#[from] DeviceError),
}

/// What the batches are drawn from.
pub enum TrainingData {
    /// Fresh noise and fresh target samples, paired by the configured coupling.
    Target(Mixture),
    /// Fixed pairs (x₀, x₁), e.g. noise and where a trained flow took it (reflow).
    Pairs(Vec<f64>, Vec<f64>),
}

/// A loss above this is far beyond anything a sane run reaches (the initial loss is about 3).
const EXPLODED_LOSS: f32 = 1e4;

/// How a training step is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepPath {
    /// burn's autodiff and Adam, on any device: the reference.
    Generic,
    /// The fused CubeCL kernels (two dispatches a step), on a wgpu GPU device.
    Fused,
}

impl StepPath {
    pub fn name(self) -> &'static str {
        match self {
            StepPath::Generic => "generic",
            StepPath::Fused => "fused",
        }
    }

    /// The fused path where it can run (a wgpu device, a hidden width the kernels take), else
    /// the generic one.
    pub fn best_for(device: &Device, hidden: usize) -> StepPath {
        #[cfg(feature = "gpu")]
        if hidden <= crate::MAX_FUSED_HIDDEN && crate::fused::gpu_client(device).is_some() {
            return StepPath::Fused;
        }
        let _ = (device, hidden);
        StepPath::Generic
    }
}

enum Path {
    Generic(Box<GenericStep>),
    #[cfg(feature = "gpu")]
    Fused {
        step: Box<FusedStep>,
        /// Steps whose losses are on the device's ring and not yet read.
        unread: usize,
    },
}

pub struct Trainer {
    config: TrainConfig,
    data: TrainingData,
    path: Path,
    rng: StdRng,
    steps_done: usize,
    losses: Vec<f32>,
    diverged: Option<TrainError>,
}

impl Trainer {
    /// `device` is a plain device (CPU or GPU); the step takes the best path it offers.
    pub fn new(config: TrainConfig, target: Mixture, device: &Device) -> Result<Self, ConfigError> {
        Self::start(config, TrainingData::Target(target), device, None)
    }

    /// As [`Self::new`], on a chosen path (the equivalence tests and the benchmark compare them).
    pub fn on_path(
        config: TrainConfig,
        target: Mixture,
        device: &Device,
        path: StepPath,
    ) -> Result<Self, ConfigError> {
        Self::start(config, TrainingData::Target(target), device, Some(path))
    }

    /// A trainer on fixed pairs: reflow ("rectified flow" round k + 1) trains on noise `x0` and the
    /// ends `x1` a trained flow carried it to, so that its paths are the straight lines between them.
    pub fn on_pairs(
        config: TrainConfig,
        x0: Vec<f64>,
        x1: Vec<f64>,
        device: &Device,
    ) -> Result<Self, ConfigError> {
        Self::start(config, TrainingData::Pairs(x0, x1), device, None)
    }

    /// A run on `data`, on `path` or (`None`) the best path `device` offers. Invalid settings,
    /// pairs that do not pair, or the fused path where it cannot run are errors.
    pub fn start(
        config: TrainConfig,
        data: TrainingData,
        device: &Device,
        path: Option<StepPath>,
    ) -> Result<Self, ConfigError> {
        if let TrainingData::Pairs(x0, x1) = &data
            && (x0.is_empty() || x0.len() != x1.len())
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
        let best = StepPath::best_for(device, config.hidden);
        if path == Some(StepPath::Fused) && best != StepPath::Fused {
            return Err(ConfigError {
                field: "path",
                message: format!(
                    "the fused step needs a WebGPU (wgpu) device and a hidden width of at most {MAX_FUSED_HIDDEN}"
                ),
            });
        }
        Self::with_data(config, data, device, path.unwrap_or(best))
    }

    fn with_data(
        config: TrainConfig,
        data: TrainingData,
        device: &Device,
        path: StepPath,
    ) -> Result<Self, ConfigError> {
        config.validate()?;
        let mut rng = seeded_rng(config.seed);
        let initial = initial_weights(&mut rng, config.hidden);
        let adam = pytorch_adam(config.learning_rate);
        let path = match path {
            StepPath::Generic => Path::Generic(Box::new(GenericStep::new(&initial, device, adam))),
            #[cfg(feature = "gpu")]
            StepPath::Fused => {
                let client = crate::fused::gpu_client(device).expect("checked by the caller");
                let step = FusedStep::new(client, &initial, config.batch_size, adam);
                Path::Fused {
                    step: Box::new(step),
                    unread: 0,
                }
            }
            #[cfg(not(feature = "gpu"))]
            StepPath::Fused => unreachable!("best_for never chooses the fused path without it"),
        };
        Ok(Self {
            config,
            data,
            path,
            rng,
            steps_done: 0,
            losses: Vec::with_capacity(config.steps),
            diverged: None,
        })
    }

    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    pub fn path(&self) -> StepPath {
        match self.path {
            Path::Generic(_) => StepPath::Generic,
            #[cfg(feature = "gpu")]
            Path::Fused { .. } => StepPath::Fused,
        }
    }

    pub fn steps_done(&self) -> usize {
        self.steps_done
    }

    pub fn is_finished(&self) -> bool {
        self.steps_done >= self.config.steps || self.diverged.is_some()
    }

    /// Losses read back so far, one per step.
    pub fn losses(&self) -> &[f32] {
        &self.losses
    }

    fn next_batch(&mut self) -> TrainingBatch {
        let size = self.config.batch_size;
        match &self.data {
            TrainingData::Target(target) => {
                coupled_batch(target, &mut self.rng, size, self.config.coupling)
            }
            TrainingData::Pairs(x0, x1) => pair_batch(x0, x1, &mut self.rng, size),
        }
    }

    /// Runs (or queues, on a GPU) up to `k` more steps, never past the configured total, and
    /// returns how many. On the fused path at most [`LOSS_RING`] steps wait unread: read the losses
    /// to queue more.
    pub fn run(&mut self, k: usize) -> usize {
        if self.diverged.is_some() {
            return 0;
        }
        let k = k.min(self.config.steps - self.steps_done.min(self.config.steps));
        let batches: Vec<TrainingBatch> = match &self.path {
            #[cfg(feature = "gpu")]
            Path::Fused { unread, .. } => {
                let k = k.min(LOSS_RING - unread);
                (0..k).map(|_| self.next_batch()).collect()
            }
            Path::Generic(_) => (0..k).map(|_| self.next_batch()).collect(),
        };
        let k = batches.len();
        if k == 0 {
            return 0;
        }
        let first = self.steps_done;
        let keeps = (first..first + k).map(average_keep);
        match &mut self.path {
            Path::Generic(generic) => {
                for (batch, keep) in batches.into_iter().zip(keeps) {
                    generic.step(batch, keep, self.config.learning_rate);
                }
            }
            #[cfg(feature = "gpu")]
            Path::Fused { step, unread } => {
                // One row per sample: its inputs (t, x), then its target.
                let net = flow_core::MlpWeights::layout_for(self.config.hidden);
                let rows: Vec<f32> = batches
                    .iter()
                    .flat_map(|b| {
                        b.inputs
                            .chunks(net.inputs)
                            .zip(b.targets.chunks(net.outputs))
                            .flat_map(|(input, target)| input.iter().chain(target).copied())
                    })
                    .collect();
                step.queue(&rows, &keeps.collect::<Vec<_>>(), first % LOSS_RING);
                *unread += k;
            }
        }
        self.steps_done += k;
        k
    }

    /// Blocking variant for native callers (tests, benchmarks); a browser must use the async one.
    #[cfg(not(target_family = "wasm"))]
    pub fn collect_losses_blocking(&mut self) -> Result<&[f32], TrainError> {
        if let Some(queued) = self.take_pending_losses()? {
            let values = block_on(queued.read())?;
            self.absorb_losses(values)?;
        }
        Ok(&self.losses)
    }

    /// The losses queued since the last call, to read. Reading is left to the caller, so that it
    /// need not hold the trainer while it awaits the device (a page where other events may touch
    /// it meanwhile).
    pub fn take_pending_losses(&mut self) -> Result<Option<PendingLosses>, TrainError> {
        if let Some(err) = &self.diverged {
            return Err(err.clone());
        }
        Ok(match &mut self.path {
            Path::Generic(generic) => generic.take_pending_losses(),
            #[cfg(feature = "gpu")]
            Path::Fused { step, unread } => (*unread > 0).then(|| {
                let (client, ring) = step.loss_ring();
                let count = std::mem::take(unread);
                PendingLosses::Ring(RingLosses {
                    client,
                    ring,
                    first: (self.steps_done - count) % LOSS_RING,
                    count,
                })
            }),
        })
    }

    /// Records the values read from [`Self::take_pending_losses`], in order, and stops the run if the loss is no longer
    /// finite or has exploded.
    pub fn absorb_losses(&mut self, values: Vec<f32>) -> Result<(), TrainError> {
        let first_new = self.losses.len();
        self.losses.extend(values);
        let bad = self.losses[first_new..]
            .iter()
            .position(|l| !l.is_finite() || *l > EXPLODED_LOSS);
        if let Some(i) = bad {
            let err = TrainError::Diverged {
                step: first_new + i + 1,
                loss: self.losses[first_new + i],
            };
            self.diverged = Some(err.clone());
            return Err(err);
        }
        Ok(())
    }

    /// Both networks (the weight average and the last iterate), to read without holding the trainer.
    pub fn networks(&self) -> NetworksRead {
        match &self.path {
            Path::Generic(generic) => generic.networks(),
            #[cfg(feature = "gpu")]
            Path::Fused { step, .. } => NetworksRead::Fused(Box::new(step.weights_read())),
        }
    }

    /// Both networks' weights, `[averaged, latest]`, read now (native callers).
    #[cfg(not(target_family = "wasm"))]
    pub fn networks_blocking(&self) -> Result<[flow_core::MlpWeights; 2], DeviceError> {
        block_on(self.networks().read())
    }

    /// The weights the figures use: the weight average, or the last iterate if averaging is off
    /// (native callers).
    #[cfg(not(target_family = "wasm"))]
    pub fn weights_blocking(&self) -> Result<flow_core::MlpWeights, DeviceError> {
        let [averaged, latest] = self.networks_blocking()?;
        Ok(if self.config.average {
            averaged
        } else {
            latest
        })
    }
}

#[cfg(not(target_family = "wasm"))]
use pollster::block_on;

/// How much of the average to keep after step `done` (0-based): the decay, ramped up over the first
/// steps ((1 + n)/(10 + n), as TensorFlow's moving average does) so that early in a run the average
/// follows the network instead of remembering its random start for a thousand steps.
fn average_keep(done: usize) -> f64 {
    let n = done as f64;
    EMA_DECAY.min((1.0 + n) / (10.0 + n))
}
