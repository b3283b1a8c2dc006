//! Every size limit the queries check, in one place: sizes a page could not draw (or wait for)
//! anyway, rejected before anything is allocated for them.

/// A grid side (times or x-bins), a histogram's bins, a drawn path's lines, reference-path steps.
pub const MAX_GRID: usize = 2048;
/// Paths, samples or pairs one query draws (and the batch they are paired in).
pub const MAX_PATHS: usize = 1_000_000;
/// Steps of one drawn path (the exact field's or the network's).
pub const MAX_PATH_STEPS: usize = 10_000;
/// Solver steps of a sampling job, a straightness or a W₁ measure.
pub const MAX_SOLVER_STEPS: usize = 1000;
/// Noise quantiles one measure carries (straightness, Euler W₁, the solver sweep).
pub const MAX_QUANTILES: usize = 100_000;
/// Example pairs of one coupling figure.
pub const MAX_EXAMPLE_PAIRS: usize = 4096;
/// Batch sizes one OT-floor query estimates.
pub const MAX_BATCH_SIZES: usize = 32;
/// Seeded draws of the sampling-noise floor.
pub const MAX_DRAWS: usize = 100;
/// Path lines through the binned field.
pub const MAX_LINES: usize = 64;
/// Points of one plane query (particles, draws, sliced W₂).
pub const MAX_PLANE_POINTS: usize = 100_000;
/// Points of one exact W₂ (an assignment, O(n³)).
pub const MAX_W2_POINTS: usize = 2000;
/// Numbers one plane query returns in all (frames × cells, steps × particles): 16 Mi, 128 MiB of f64.
pub const MAX_PLANE_OUTPUT: usize = 1 << 24;
