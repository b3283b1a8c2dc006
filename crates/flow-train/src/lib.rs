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

/// The widest hidden layer the fused GPU step takes: each of its units keeps three layers' worth
/// of values in registers. Wider networks, and other shapes, train on burn's generic path on a GPU.
pub const MAX_FUSED_HIDDEN: usize = 128;

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
