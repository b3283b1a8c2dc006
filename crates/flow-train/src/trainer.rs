//! Training the velocity network by flow matching, a few steps at a time.
//!
//! A page interleaves training with drawing, so the trainer runs `k` steps per call and keeps each
//! step's loss on the device; the caller reads all of them back in one transfer
//! ([`Trainer::take_pending_losses`], then [`Trainer::absorb_losses`]).

use burn::module::Module;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::tensor::{Device, Tensor, TensorData};
use rand::rngs::StdRng;

use flow_core::config::{ConfigError, EMA_DECAY, TrainConfig};
use flow_core::mixture::Mixture;
use flow_core::paths::{coupled_batch, pair_batch};
use flow_core::seeded_rng;

use crate::DeviceError;
use crate::model::VelocityMlp;

/// The run stopped because the loss stopped being a useful number.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TrainError {
    #[error("training diverged at step {step}: the loss became {loss}")]
    Diverged { step: usize, loss: f32 },
    #[error(transparent)]
    Device(#[from] DeviceError),
}

/// What the batches are drawn from.
enum Data {
    /// Fresh noise and fresh target samples, paired by the configured coupling.
    Target(Mixture),
    /// Fixed pairs (x₀, x₁), e.g. noise and where a trained flow took it (reflow).
    Pairs(Vec<f64>, Vec<f64>),
}

/// A loss above this is far beyond anything a sane run reaches (the initial loss is about 3).
const EXPLODED_LOSS: f32 = 1e4;

pub struct Trainer {
    config: TrainConfig,
    data: Data,
    device: Device,
    model: Option<VelocityMlp>,
    /// The exponential moving average of the weights, on the plain (inference) device.
    averaged: VelocityMlp,
    optimizer: ModuleOptimizer,
    rng: StdRng,
    steps_done: usize,
    losses: Vec<f32>,
    pending: Vec<Tensor<1>>,
    diverged: Option<TrainError>,
}

impl Trainer {
    /// `device` is a plain device (CPU or GPU); training runs on its autodiff wrapper.
    pub fn new(config: TrainConfig, target: Mixture, device: &Device) -> Result<Self, ConfigError> {
        Self::with_data(config, Data::Target(target), device)
    }

    /// A trainer on fixed pairs: reflow ("rectified flow" round k + 1) trains on noise `x0` and the
    /// ends `x1` a trained flow carried it to, so that its paths are the straight lines between them.
    pub fn on_pairs(
        config: TrainConfig,
        x0: Vec<f64>,
        x1: Vec<f64>,
        device: &Device,
    ) -> Result<Self, ConfigError> {
        if x0.is_empty() || x0.len() != x1.len() {
            return Err(ConfigError {
                field: "pairs",
                message: format!(
                    "{} starts and {} ends do not make pairs",
                    x0.len(),
                    x1.len()
                ),
            });
        }
        Self::with_data(config, Data::Pairs(x0, x1), device)
    }

    fn with_data(config: TrainConfig, data: Data, device: &Device) -> Result<Self, ConfigError> {
        config.validate()?;
        let device = device.clone().autodiff();
        let mut rng = seeded_rng(config.seed);
        let model = VelocityMlp::new(&mut rng, config.hidden, &device);
        // PyTorch's Adam defaults, which the tutorial used; burn's own epsilon default is 1e-5.
        let optimizer = AdamConfig::new()
            .with_beta_1(0.9)
            .with_beta_2(0.999)
            .with_epsilon(1e-8)
            .init();
        Ok(Self {
            config,
            data,
            device,
            averaged: model.valid(),
            model: Some(model),
            optimizer,
            rng,
            steps_done: 0,
            losses: Vec::with_capacity(config.steps),
            pending: Vec::new(),
            diverged: None,
        })
    }

    pub fn config(&self) -> &TrainConfig {
        &self.config
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

    /// Runs up to `k` more steps (never past the configured total) and returns how many ran.
    pub fn run(&mut self, k: usize) -> usize {
        if self.diverged.is_some() {
            return 0;
        }
        let k = k.min(self.config.steps - self.steps_done.min(self.config.steps));
        for _ in 0..k {
            let size = self.config.batch_size;
            let batch = match &self.data {
                Data::Target(target) => {
                    coupled_batch(target, &mut self.rng, size, self.config.coupling)
                }
                Data::Pairs(x0, x1) => pair_batch(x0, x1, &mut self.rng, size),
            };
            let n = batch.len();
            let inputs =
                Tensor::<2>::from_data(TensorData::new(batch.inputs, [n, 2]), &self.device);
            let targets =
                Tensor::<2>::from_data(TensorData::new(batch.targets, [n, 1]), &self.device);
            let model = self.model.take().expect("the model is always put back");
            let loss = (model.forward(inputs) - targets).powf_scalar(2.0).mean();
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            let model = self.optimizer.step(self.config.learning_rate, model, grads);
            self.averaged = self
                .averaged
                .blend(&model.valid(), average_keep(self.steps_done));
            self.model = Some(model);
            self.pending.push(loss.inner());
            self.steps_done += 1;
        }
        k
    }

    /// Blocking variant for native callers (tests, benchmarks); a browser must use the async one.
    #[cfg(not(target_family = "wasm"))]
    pub fn collect_losses_blocking(&mut self) -> Result<&[f32], TrainError> {
        if let Some(queued) = self.take_pending_losses()? {
            let data = queued.try_into_data().map_err(DeviceError::from_display)?;
            self.absorb_losses(data.try_to_vec::<f32>().map_err(DeviceError::from_debug)?)?;
        }
        Ok(&self.losses)
    }

    /// The losses queued since the last call, as one tensor to read. Reading is left to the caller, so
    /// that it need not hold the trainer while it awaits the device (a page where other events may
    /// touch it meanwhile).
    pub fn take_pending_losses(&mut self) -> Result<Option<Tensor<1>>, TrainError> {
        if let Some(err) = &self.diverged {
            return Err(err.clone());
        }
        Ok((!self.pending.is_empty()).then(|| Tensor::cat(std::mem::take(&mut self.pending), 0)))
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

    /// The network the figures use: the weight average, or the last iterate if averaging is off.
    pub fn model(&self) -> VelocityMlp {
        if self.config.average {
            self.averaged_model()
        } else {
            self.latest_model()
        }
    }

    /// The last Adam iterate, on the plain (non-autodiff) device.
    pub fn latest_model(&self) -> VelocityMlp {
        self.model
            .as_ref()
            .expect("the model is always put back")
            .valid()
    }

    /// The exponential moving average of the weights.
    pub fn averaged_model(&self) -> VelocityMlp {
        self.averaged.clone()
    }
}

/// How much of the average to keep after step `done` (0-based): the decay, ramped up over the first
/// steps ((1 + n)/(10 + n), as TensorFlow's moving average does) so that early in a run the average
/// follows the network instead of remembering its random start for a thousand steps.
fn average_keep(done: usize) -> f64 {
    let n = done as f64;
    EMA_DECAY.min((1.0 + n) / (10.0 + n))
}
