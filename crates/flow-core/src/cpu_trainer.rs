//! A whole training run on the fused CPU step, with no training framework: what the page runs where
//! the browser has no WebGPU (the math module carries it, so such a reader never downloads burn).

use crate::adam::pytorch_adam;
use crate::config::{ConfigError, TrainConfig};
use crate::cpu_step::CpuStep;
use crate::layout::MlpLayout;
use crate::training::{Batches, Diverged, LossLog, TrainingData, average_keep};
use crate::weights::MlpWeights;

pub struct CpuTrainer {
    config: TrainConfig,
    batches: Batches,
    step: CpuStep,
    log: LossLog,
}

impl CpuTrainer {
    /// A run of `config` on `data` for the network of its dimension (`TrainingData::layout`: on the
    /// line the tutorial's, input [t, x] and two hidden layers of `config.hidden`). Invalid
    /// settings or pairs that do not pair are errors.
    pub fn new(config: TrainConfig, data: TrainingData) -> Result<Self, ConfigError> {
        let layout = data.layout(config.hidden);
        Self::with_layout(config, data, layout)
    }

    /// As [`Self::new`], for a network of shape `layout` (its width replaces `config.hidden`).
    pub fn with_layout(
        config: TrainConfig,
        data: TrainingData,
        layout: MlpLayout,
    ) -> Result<Self, ConfigError> {
        config.validate()?;
        data.validate()?;
        let mut batches = Batches::new(config, data);
        let initial = MlpWeights::initial(batches.rng(), layout);
        let step = CpuStep::new(
            &initial,
            config.batch_size,
            pytorch_adam(config.learning_rate),
        );
        Ok(Self {
            config,
            batches,
            step,
            log: LossLog::with_capacity(config.steps),
        })
    }

    pub fn config(&self) -> &TrainConfig {
        &self.config
    }

    pub fn steps_done(&self) -> usize {
        self.log.losses().len()
    }

    pub fn losses(&self) -> &[f32] {
        self.log.losses()
    }

    pub fn diverged(&self) -> Option<&Diverged> {
        self.log.diverged()
    }

    pub fn is_finished(&self) -> bool {
        self.steps_done() >= self.config.steps || self.log.diverged().is_some()
    }

    /// Runs up to `k` more steps, never past the configured total nor past a divergence; returns
    /// how many ran.
    pub fn run(&mut self, k: usize) -> usize {
        let mut ran = 0;
        while ran < k && !self.is_finished() {
            let keep = average_keep(self.steps_done());
            let Some(batch) = self.batches.next_batch() else {
                break;
            };
            let loss = self.step.step(&batch.inputs, &batch.targets, keep);
            ran += 1;
            if self.log.absorb([loss]).is_err() {
                break;
            }
        }
        ran
    }

    /// Where the batches come from: to feed an OT run's pairs from outside.
    pub fn batches_mut(&mut self) -> &mut Batches {
        &mut self.batches
    }

    /// `[average, latest]`.
    pub fn networks(&self) -> [MlpWeights; 2] {
        self.step.networks()
    }

    /// The weights the figures use: the average, or the last iterate if averaging is off.
    pub fn weights(&self) -> MlpWeights {
        let [averaged, latest] = self.networks();
        if self.config.average {
            averaged
        } else {
            latest
        }
    }
}
