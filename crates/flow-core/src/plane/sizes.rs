//! The sizes of chapter four's figures and measures, used by the page's queries and by the engines'
//! reflow in the plane (the page table reads these very constants).

/// The view every plane figure draws: [−4, 4]² holds the noise's 3σ and every preset.
pub const PLANE_VIEW: (f64, f64) = (-4.0, 4.0);
/// Particles the flow figure carries (and its CSV lists at t = 1).
pub const PLANE_PARTICLES: usize = 2000;
/// Frames of the exact density p_t and of the velocity arrows, at t = 0, 1/(F − 1), …, 1.
pub const PLANE_FRAMES: usize = 11;
/// Cells per side of a density frame, and arrows per side of an arrow frame.
pub const PLANE_DENSITY_BINS: usize = 72;
pub const PLANE_ARROWS: usize = 17;
/// Pairs the coupling figure draws: one training batch of the recipe.
pub const PLANE_PAIRS: usize = 256;
/// Points of each W₂ the page measures exactly (assignment, O(n³)), during training and against
/// network evaluations; the floor is W₂ between two fresh target sets of this size.
pub const PLANE_W2_POINTS: usize = 1000;
/// Steps between two checkpoints of a plane run whose W₂ is measured.
pub const PLANE_CHECKPOINT: usize = 2000;
/// Budgets of network evaluations per sample the W₂-against-evaluations chart compares.
pub const PLANE_EVALUATIONS: [usize; 6] = [1, 2, 4, 8, 16, 32];
/// Reflow in the plane: points carried by the finished flow (RK4, these many steps) to make the
/// round's pairs. Fewer than the line's: a plane network costs ~4× more per evaluation.
pub const PLANE_REFLOW_POINTS: usize = 4000;
pub const PLANE_REFLOW_PAIR_STEPS: usize = 20;
/// A brush dab's bump width, and the spacing of dabs along a stroke (in view units).
pub const PLANE_BRUSH_STD: f64 = 0.15;
pub const PLANE_BRUSH_SPACING: f64 = 0.2;
