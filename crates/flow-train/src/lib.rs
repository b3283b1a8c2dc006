//! The velocity network FM_θ(t, x) in burn, and its training by flow matching.
//!
//! Everything here runs on a burn `Device`: burn's CPU backend natively and in the browser, or
//! WebGPU in the browser. What leaves a device is small: losses, and the weights as [`MlpWeights`]
//! for `flow_core`'s CPU field, which answers every figure query.

pub use flow_core::adam;
pub mod device_sampler;
pub mod equivalence;
#[cfg(feature = "gpu")]
pub mod fused;
pub mod generic_step;
pub mod model;
pub mod reads;
pub mod trainer;

pub use device_sampler::DeviceSampler;
pub use flow_core::training::TrainingData;
pub use generic_step::GenericStep;
pub use model::{VelocityMlp, read_weights};
pub use reads::{NetworksRead, PendingLosses};
pub use trainer::{StepPath, TrainError, Trainer};

/// The widest hidden layer the fused GPU step's register kernels take (the tutorial's shape): each
/// of their units keeps three layers' worth of values in registers. Other shapes, and wider ones,
/// take the record kernels, up to [`MAX_RECORD_PARAMETERS`].
pub const MAX_FUSED_HIDDEN: usize = 128;

/// The most parameters the fused GPU step's record kernels take; larger networks train on burn's
/// generic step on a GPU. Measured on lavapipe (crates/flow-train/tests/fused.rs): 2 → 178 × 2 → 1
/// (32,575 parameters) matches burn's autodiff step to 2.5e-6 after one step; the sampler's forward
/// pass alone is right up to 2 → 254 × 2 → 1. What goes wrong above (2026-12-07, batch 16, 64 or
/// 256 alike): from 2 → 181 × 2 → 1 (33,667) some of the first layer's updates take the opposite
/// sign (16 of 543 at 181, 346 of 750 at 250), i.e. its deltas, which sum the second layer's
/// weights times its deltas, are off while the second layer's own updates are right; from 254
/// about half of all updates are wrong, and from 255 the first loss too. The gradient-factor table
/// is not the cause: with the factors computed in the kernel instead the same parameters go wrong.
/// The fallback is taken below the first failure rather than guessed at.
pub const MAX_RECORD_PARAMETERS: usize = 32_768;

/// Whether the fused GPU step takes `layout` (a valid network of the family within the limits above).
pub fn fused_gpu_takes(layout: flow_core::MlpLayout) -> bool {
    layout.is_valid()
        && (((layout.inputs, layout.depth, layout.outputs) == (2, 2, 1)
            && layout.hidden <= MAX_FUSED_HIDDEN)
            || layout.parameter_count() <= MAX_RECORD_PARAMETERS)
}

/// A failure reported by the compute device (a lost GPU, a failed read), as text the page can show.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("device error: {0}")]
pub struct DeviceError(pub String);

impl DeviceError {
    pub fn from_display(e: impl std::fmt::Display) -> Self {
        Self(e.to_string())
    }

    pub fn from_debug(e: impl std::fmt::Debug) -> Self {
        Self(format!("{e:?}"))
    }
}

/// Reads a float tensor back to the host, asynchronously: the only kind of read a browser allows.
pub async fn read_f32<const D: usize>(
    tensor: burn::tensor::Tensor<D>,
) -> Result<Vec<f32>, DeviceError> {
    let data = tensor
        .into_data_async()
        .await
        .map_err(DeviceError::from_display)?;
    data.try_to_vec::<f32>().map_err(DeviceError::from_debug)
}
