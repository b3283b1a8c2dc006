//! Linear (rectified-flow) flow matching on a one-dimensional toy problem: the math.
//!
//! Noise π₀ = N(0, 1) is carried to a Gaussian-mixture target π₁ along the straight paths
//! x_t = (1 − t)·x₀ + t·x₁. A small network learns the velocity field that moves the whole
//! distribution; integrating it turns fresh noise into samples from the target.
//!
//! This crate holds everything that needs no training framework and no browser: distributions,
//! paths, the exact and binned fields, the network as a CPU field from its weights, solvers,
//! sampling and measures. It is tested natively; `flow-train` adds burn, the `flow-web-*` crates
//! only wrap.

pub mod adam;
pub mod assignment;
pub mod assignment_solver;
pub mod binned_field;
pub mod config;
pub mod coupled_floor;
pub mod coupling;
pub mod cpu_step;
pub mod cpu_trainer;
pub mod exact_field;
pub mod field;
pub mod gelu;
pub mod gemm;
pub mod layout;
pub mod likelihood;
pub mod measures;
pub mod metrics;
pub mod mixture;
pub mod mlp_field;
pub mod normal;
pub mod page_table;
pub mod paths;
pub mod plane;
pub mod reflow;
pub mod sampling;
pub mod solvers;
pub mod straightness;
pub mod sweep;
pub mod target_text;
pub mod training;
pub mod weights;

pub use binned_field::BinnedField;
pub use config::{ConfigError, TrainConfig};
pub use coupling::Coupling;
pub use cpu_step::CpuStep;
pub use cpu_trainer::CpuTrainer;
pub use exact_field::ExactField;
pub use field::{FieldF32, SlopeField, VelocityField};
pub use layout::{MlpLayout, RecordLayout};
pub use mixture::{Mixture, MixtureError};
pub use mlp_field::MlpField;
pub use sampling::{DensityGrid, Sampler};
pub use solvers::{Solver, integrate, integrate_paths};
pub use training::{Diverged, TrainingData};
pub use weights::{MlpWeights, WeightsError};

use rand::SeedableRng;
use rand::rngs::StdRng;

/// The generator behind every random draw here: the same seed gives the same numbers on every platform.
pub fn seeded_rng(seed: u64) -> StdRng {
    StdRng::seed_from_u64(seed)
}
