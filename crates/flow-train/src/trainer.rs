//! Training the velocity network by flow matching, a few steps at a time.
//!
//! A page interleaves training with drawing, so the trainer runs `k` steps per call and keeps each
//! step's loss on the device; the caller reads all of them back in one transfer
//! ([`Trainer::take_pending_losses`], then [`Trainer::absorb_losses`]).

use burn::tensor::Device;

use flow_core::adam::pytorch_adam;
use flow_core::config::{ConfigError, TrainConfig};
use flow_core::mixture::Mixture;
use flow_core::paths::TrainingBatch;
use flow_core::training::{Batches, Diverged, LossLog, TrainingData, average_keep};
use flow_core::{CpuStep, MlpLayout, MlpWeights};

use crate::DeviceError;
#[cfg(feature = "gpu")]
use crate::fused::{FusedStep, LOSS_RING, RingLosses};
use crate::generic_step::GenericStep;
use crate::reads::{NetworksRead, PendingLosses};

/// Why a run stopped: its loss stopped being a useful number, or the device failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TrainError {
    #[error(transparent)]
    Diverged(#[from] Diverged),
    #[error(transparent)]
    Device(#[from] DeviceError),
}

/// How a training step is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepPath {
    /// burn's autodiff and Adam, on any device: the reference.
    Generic,
    /// Our fused step for the device: the CubeCL kernels (two dispatches a step) on a wgpu GPU,
    /// flow-core's [`CpuStep`] on the CPU.
    Fused,
}

impl StepPath {
    pub fn name(self) -> &'static str {
        match self {
            StepPath::Generic => "generic",
            StepPath::Fused => "fused",
        }
    }

    /// The fused path where it runs, else the generic one: on the CPU the fused CPU step takes
    /// every network of the family; on a GPU the register kernels take the tutorial's shape up to
    /// [`crate::MAX_FUSED_HIDDEN`] units and the record kernels any shape up to
    /// [`crate::MAX_RECORD_PARAMETERS`] parameters.
    pub fn best_for(device: &Device, layout: MlpLayout) -> StepPath {
        if !is_gpu(device) || crate::fused_gpu_takes(layout) {
            StepPath::Fused
        } else {
            StepPath::Generic
        }
    }
}

#[cfg(feature = "gpu")]
fn is_gpu(device: &Device) -> bool {
    crate::fused::gpu_client(device).is_some()
}

#[cfg(not(feature = "gpu"))]
fn is_gpu(_device: &Device) -> bool {
    false
}

enum Path {
    Generic(Box<GenericStep>),
    /// The fused CPU step; its losses wait here until read, like a device's.
    Cpu {
        step: Box<CpuStep>,
        unread: Vec<f32>,
    },
    #[cfg(feature = "gpu")]
    Fused {
        step: Box<FusedStep>,
        /// Steps whose losses are on the device's ring and not yet read.
        unread: usize,
    },
}

pub struct Trainer {
    config: TrainConfig,
    batches: Batches,
    path: Path,
    steps_done: usize,
    log: LossLog,
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
        let layout = data.layout(config.hidden);
        Self::start_with_layout(config, data, device, path, layout)
    }

    /// As [`Self::start`], for a network of shape `layout` (its width replaces `config.hidden`).
    pub fn start_with_layout(
        config: TrainConfig,
        data: TrainingData,
        device: &Device,
        path: Option<StepPath>,
        layout: MlpLayout,
    ) -> Result<Self, ConfigError> {
        config.validate()?;
        data.validate()?;
        if !layout.is_valid() {
            return Err(ConfigError {
                field: "hidden",
                message: format!("not a network the trainer takes: {}", layout.describe()),
            });
        }
        let best = StepPath::best_for(device, layout);
        if path == Some(StepPath::Fused) && best != StepPath::Fused {
            return Err(ConfigError {
                field: "path",
                message: format!(
                    "the fused GPU step takes networks of at most {} parameters, not {} ({})",
                    crate::MAX_RECORD_PARAMETERS,
                    layout.describe(),
                    layout.parameter_count()
                ),
            });
        }
        let mut batches = Batches::new(config, data);
        let initial = MlpWeights::initial(batches.rng(), layout);
        let adam = pytorch_adam(config.learning_rate);
        let path = match path.unwrap_or(best) {
            StepPath::Generic => Path::Generic(Box::new(GenericStep::new(&initial, device, adam))),
            StepPath::Fused if !is_gpu(device) => Path::Cpu {
                step: Box::new(CpuStep::new(&initial, config.batch_size, adam)),
                unread: Vec::new(),
            },
            #[cfg(feature = "gpu")]
            StepPath::Fused => {
                let client = crate::fused::gpu_client(device).expect("checked above");
                let step = FusedStep::new(client, &initial, config.batch_size, adam);
                Path::Fused {
                    step: Box::new(step),
                    unread: 0,
                }
            }
            #[cfg(not(feature = "gpu"))]
            StepPath::Fused => unreachable!("without the gpu feature every device is the CPU"),
        };
        Ok(Self {
            config,
            batches,
            path,
            steps_done: 0,
            log: LossLog::with_capacity(config.steps),
        })
    }

    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    pub fn path(&self) -> StepPath {
        match self.path {
            Path::Generic(_) => StepPath::Generic,
            Path::Cpu { .. } => StepPath::Fused,
            #[cfg(feature = "gpu")]
            Path::Fused { .. } => StepPath::Fused,
        }
    }

    pub fn steps_done(&self) -> usize {
        self.steps_done
    }

    pub fn is_finished(&self) -> bool {
        self.steps_done >= self.config.steps || self.log.diverged().is_some()
    }

    /// Where the batches come from: to feed an OT run's pairs from outside.
    pub fn batches_mut(&mut self) -> &mut Batches {
        &mut self.batches
    }

    /// Losses read back so far, one per step.
    pub fn losses(&self) -> &[f32] {
        self.log.losses()
    }

    /// Runs (or queues, on a GPU) up to `k` more steps, never past the configured total, and
    /// returns how many. On the fused path at most [`LOSS_RING`] steps wait unread: read the losses
    /// to queue more.
    pub fn run(&mut self, k: usize) -> usize {
        if self.log.diverged().is_some() {
            return 0;
        }
        let k = k.min(self.config.steps - self.steps_done.min(self.config.steps));
        let batches: Vec<TrainingBatch> = match &self.path {
            #[cfg(feature = "gpu")]
            Path::Fused { unread, .. } => {
                let k = k.min(LOSS_RING - unread);
                (0..k).map_while(|_| self.batches.next_batch()).collect()
            }
            Path::Generic(_) | Path::Cpu { .. } => {
                (0..k).map_while(|_| self.batches.next_batch()).collect()
            }
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
            Path::Cpu { step, unread } => {
                for (batch, keep) in batches.iter().zip(keeps) {
                    unread.push(step.step(&batch.inputs, &batch.targets, keep));
                }
            }
            #[cfg(feature = "gpu")]
            Path::Fused { step, unread } => {
                // One row per sample: its inputs (t, x), then its target.
                let net = step.layout();
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
        Ok(self.log.losses())
    }

    /// The losses queued since the last call, to read. Reading is left to the caller, so that it
    /// need not hold the trainer while it awaits the device (a page where other events may touch
    /// it meanwhile).
    pub fn take_pending_losses(&mut self) -> Result<Option<PendingLosses>, TrainError> {
        if let Some(err) = self.log.diverged() {
            return Err(err.clone().into());
        }
        Ok(match &mut self.path {
            Path::Generic(generic) => generic.take_pending_losses(),
            Path::Cpu { unread, .. } => {
                (!unread.is_empty()).then(|| PendingLosses::Ready(std::mem::take(unread)))
            }
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
        Ok(self.log.absorb(values)?)
    }

    /// Both networks (the weight average and the last iterate), to read without holding the trainer.
    pub fn networks(&self) -> NetworksRead {
        match &self.path {
            Path::Generic(generic) => generic.networks(),
            Path::Cpu { step, .. } => NetworksRead::Ready(Box::new(step.networks())),
            #[cfg(feature = "gpu")]
            Path::Fused { step, .. } => NetworksRead::Fused(Box::new(step.weights_read())),
        }
    }

    /// Both networks' weights, `[averaged, latest]`, read now (native callers).
    #[cfg(not(target_family = "wasm"))]
    pub fn networks_blocking(&self) -> Result<[MlpWeights; 2], DeviceError> {
        block_on(self.networks().read())
    }

    /// The weights the figures use: the weight average, or the last iterate if averaging is off
    /// (native callers).
    #[cfg(not(target_family = "wasm"))]
    pub fn weights_blocking(&self) -> Result<MlpWeights, DeviceError> {
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
