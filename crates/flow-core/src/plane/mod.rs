//! Chapter four: flow matching in the plane. Noise N(0, I) is carried to a mixture of isotropic
//! bumps along straight paths; the network takes [t, x, y] and returns a velocity in the plane.
//! Points are interleaved `[x, y, x, y, …]` everywhere, so the line's solvers, straightness and
//! CPU network field work unchanged.

pub mod batches;
pub mod exact;
pub mod measures;
pub mod pair_stream;
pub mod sizes;
pub mod target;
pub mod text;

pub use exact::PlaneExactField;
pub use target::{Bump, PlaneTarget, Preset};

/// The plane's network has three hidden layers (of the settings' width, 64 by default): input
/// [t, x, y], output a velocity in the plane, as in the torchcfm tutorial's 2-D recipe.
pub const PLANE_DEPTH: usize = 3;
/// Steps of a plane run by default (the recipe: Adam 1e-3, batch 256, average 0.999).
pub const PLANE_STEPS: usize = 20_000;
