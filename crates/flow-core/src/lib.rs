//! Linear (rectified-flow) flow matching on a one-dimensional toy problem.
//!
//! Noise π₀ = N(0, 1) is carried to a Gaussian-mixture target π₁ along the straight paths
//! x_t = (1 − t)·x₀ + t·x₁. A small network learns the velocity field that moves the whole
//! distribution; integrating it turns fresh noise into samples from the target.
//!
//! Everything here is plain math or burn, with no web dependency, so it is tested natively; the
//! browser crate only wraps it.

pub mod binned_field;
pub mod config;
pub mod device_euler;
pub mod exact_field;
pub mod field;
pub mod measures;
pub mod mixture;
pub mod mlp_field;
pub mod model;
pub mod normal;
pub mod paths;
pub mod solvers;
pub mod trainer;

pub use binned_field::BinnedField;
pub use config::{ConfigError, TrainConfig};
pub use device_euler::DeviceEuler;
pub use exact_field::ExactField;
pub use field::VelocityField;
pub use mixture::{Mixture, MixtureError};
pub use mlp_field::MlpField;
pub use model::{MlpWeights, VelocityMlp};
pub use solvers::{Solver, euler_path, integrate, integrate_paths};
pub use trainer::{TrainError, Trainer};

use rand::SeedableRng;
use rand::rngs::StdRng;

/// The generator behind every random draw here: the same seed gives the same numbers on every platform.
pub fn seeded_rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
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
