//! The page's table: every name and size the page shares with Rust, so that each exists once, here
//! (the training settings have their own table, [`crate::config::settings_table`]). Where Rust uses a
//! value itself (the OT floor's pairs, reflow's pairs and steps, the metrics' sizes), the table reads
//! the very constant it uses; the rest are the page's own sizes, kept beside them.

use serde::Serialize;

use crate::config::{EMA_DECAY, StepKind};
use crate::coupled_floor::{FLOOR_BATCH_SIZES, FLOOR_PAIRS, FLOOR_SEED};
use crate::coupling::Coupling;
use crate::metrics::{METRIC_POINTS, METRIC_STEPS, NLL_NODES, NLL_STEPS};
use crate::mixture::Mixture;
use crate::reflow::{
    RECTIFIED_EULER_STEPS, RECTIFIED_LINE_STEPS, RECTIFIED_POINTS, RECTIFIED_STARTS,
    RECTIFIED_STRAIGHT_STEPS, REFLOW_MAX_ROUNDS, REFLOW_PAIR_STEPS, REFLOW_PAIRS, REFLOW_STEPS,
};
use crate::solvers::Solver;
use crate::sweep::SWEEP_EVALUATIONS;
use crate::target_text::{MAX_COMPONENTS, MEAN_RANGE, MIN_COMPONENTS, STD_RANGE, target_text};

/// Noise points per sampled figure (as in the tutorial).
pub const FIGURE_SAMPLES: usize = 100_000;
/// Quantile starts per solver-sweep run (figure 13, and figure 15's W₁ against Euler steps).
pub const SWEEP_POINTS: usize = 4096;
/// Solver steps of figures 7 and 8 (the link's `eulerSteps`, whatever the solver).
pub const EULER_STEPS_DEFAULT: usize = 15;
pub const EULER_STEPS_RANGE: (usize, usize) = (1, 200);

/// The bump editor (figure 14): a bump's weight stays in this range while dragged (any positive
/// weight is a valid target; this keeps every bump visible and grabbable), a new bump has this
/// width, and the keys move a mean and a weight by these amounts and scale a width by 1 ± the last.
pub const EDITOR_WEIGHT_RANGE: (f64, f64) = (0.02, 0.98);
pub const EDITOR_NEW_STD: f64 = 0.3;
pub const EDITOR_MEAN_STEP: f64 = 0.05;
pub const EDITOR_WEIGHT_STEP: f64 = 0.02;
pub const EDITOR_STD_STEP: f64 = 0.1;

/// How the page names a solver to a reader.
pub fn solver_label(solver: Solver) -> &'static str {
    match solver {
        Solver::Euler => "Euler",
        Solver::Midpoint => "Midpoint",
        Solver::Heun => "Heun",
        Solver::Rk4 => "RK4",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageTable {
    /// Every solver, the default (Euler) first.
    pub solvers: Vec<SolverSpec>,
    /// How a run computes a training step (`#step=`), the default ("auto") first.
    pub step_kinds: Vec<&'static str>,
    /// How training pairs noise with data (`#coupling=`), the default ("independent") first.
    pub couplings: Vec<&'static str>,
    pub target: TargetLimits,
    /// The link's `eulerSteps`.
    pub euler_steps: IntSetting,
    /// Noise points per sampled figure.
    pub samples: usize,
    pub sweep: SweepSizes,
    pub ot_floor: OtFloorSizes,
    pub metrics: MetricSizes,
    pub reflow: ReflowSizes,
    pub rectified: RectifiedSizes,
    /// Chapter four's presets, limits and sizes.
    pub plane: PlaneTable,
    /// Decay of the weight average the figures sample with.
    pub ema_decay: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SolverSpec {
    /// Its name in links ("euler", "midpoint", "heun", "rk4").
    pub name: &'static str,
    /// Its name in prose ("Euler", "Midpoint", "Heun", "RK4").
    pub label: &'static str,
    /// Field evaluations per step.
    pub evaluations: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetLimits {
    pub min_components: usize,
    pub max_components: usize,
    pub mean_range: (f64, f64),
    pub std_range: (f64, f64),
    /// The tutorial's target as link text (what "" also means).
    pub tutorial: String,
    pub editor_weight_range: (f64, f64),
    pub editor_new_std: f64,
    pub editor_mean_step: f64,
    pub editor_weight_step: f64,
    pub editor_std_step: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IntSetting {
    pub default: usize,
    pub min: usize,
    pub max: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SweepSizes {
    /// Quantile starts per run.
    pub points: usize,
    /// The budgets of field evaluations per sample it compares.
    pub evaluations: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OtFloorSizes {
    /// Coupled pairs and seed each floor is estimated from (`otLossFloors` uses them).
    pub pairs: usize,
    pub seed: u64,
    /// The batch sizes figure 15 draws.
    pub batch_sizes: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MetricSizes {
    /// Noise quantiles carried to t = 1 per measurement, and the Euler steps that carry them.
    pub points: usize,
    pub steps: usize,
    /// Nodes per target component whose likelihood is measured, and the RK4 steps back to the noise.
    pub nll_nodes: usize,
    pub nll_steps: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReflowSizes {
    /// (x₀, x₁) pairs per round, and the RK4 steps carrying each x₀ to its x₁ (the engine's
    /// `startReflow` uses them).
    pub pairs: usize,
    pub pair_steps: usize,
    /// Training steps per round, at most (the engine trains no more; fewer if the page's run is shorter).
    pub steps: usize,
    pub max_rounds: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RectifiedSizes {
    /// Noise quantiles per measure.
    pub n: usize,
    pub straight_steps: usize,
    pub euler_steps: Vec<usize>,
    pub line_steps: usize,
    pub starts: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlaneTable {
    /// Every preset, the default first: its name in links and its name in prose.
    pub presets: Vec<PresetSpec>,
    pub max_bumps: usize,
    pub mean_range: (f64, f64),
    pub std_range: (f64, f64),
    pub weight_range: (f64, f64),
    /// Training steps of a plane run by default, and its network's hidden layers.
    pub steps: usize,
    pub max_steps: usize,
    pub depth: usize,
    pub view: (f64, f64),
    pub particles: usize,
    pub frames: usize,
    pub density_bins: usize,
    pub arrows: usize,
    pub pairs: usize,
    pub w2_points: usize,
    pub checkpoint: usize,
    pub evaluations: Vec<usize>,
    pub reflow_points: usize,
    pub reflow_pair_steps: usize,
    pub brush_std: f64,
    pub brush_spacing: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PresetSpec {
    pub name: &'static str,
    pub label: &'static str,
}

fn plane_table() -> PlaneTable {
    use crate::plane::sizes::*;
    use crate::plane::text::{
        DEFAULT_PRESET, MAX_BUMPS, PLANE_MEAN_RANGE, PLANE_STD_RANGE, PLANE_WEIGHT_RANGE,
    };
    use crate::plane::{PLANE_DEPTH, PLANE_STEPS, Preset};
    let mut presets = Preset::ALL.to_vec();
    presets.sort_by_key(|p| *p != DEFAULT_PRESET);
    PlaneTable {
        presets: presets
            .into_iter()
            .map(|p| PresetSpec {
                name: p.name(),
                label: p.label(),
            })
            .collect(),
        max_bumps: MAX_BUMPS,
        mean_range: PLANE_MEAN_RANGE,
        std_range: PLANE_STD_RANGE,
        weight_range: PLANE_WEIGHT_RANGE,
        steps: PLANE_STEPS,
        max_steps: crate::config::STEPS_RANGE.1,
        depth: PLANE_DEPTH,
        view: PLANE_VIEW,
        particles: PLANE_PARTICLES,
        frames: PLANE_FRAMES,
        density_bins: PLANE_DENSITY_BINS,
        arrows: PLANE_ARROWS,
        pairs: PLANE_PAIRS,
        w2_points: PLANE_W2_POINTS,
        checkpoint: PLANE_CHECKPOINT,
        evaluations: PLANE_EVALUATIONS.to_vec(),
        reflow_points: PLANE_REFLOW_POINTS,
        reflow_pair_steps: PLANE_REFLOW_PAIR_STEPS,
        brush_std: PLANE_BRUSH_STD,
        brush_spacing: PLANE_BRUSH_SPACING,
    }
}

/// The table, built from the constants.
pub fn page_table() -> PageTable {
    PageTable {
        solvers: Solver::ALL
            .into_iter()
            .map(|s| SolverSpec {
                name: s.name(),
                label: solver_label(s),
                evaluations: s.evaluations(),
            })
            .collect(),
        step_kinds: StepKind::ALL.map(StepKind::name).to_vec(),
        couplings: Coupling::ALL.map(Coupling::name).to_vec(),
        target: TargetLimits {
            min_components: MIN_COMPONENTS,
            max_components: MAX_COMPONENTS,
            mean_range: MEAN_RANGE,
            std_range: STD_RANGE,
            tutorial: target_text(&Mixture::tutorial_target()),
            editor_weight_range: EDITOR_WEIGHT_RANGE,
            editor_new_std: EDITOR_NEW_STD,
            editor_mean_step: EDITOR_MEAN_STEP,
            editor_weight_step: EDITOR_WEIGHT_STEP,
            editor_std_step: EDITOR_STD_STEP,
        },
        euler_steps: IntSetting {
            default: EULER_STEPS_DEFAULT,
            min: EULER_STEPS_RANGE.0,
            max: EULER_STEPS_RANGE.1,
        },
        samples: FIGURE_SAMPLES,
        sweep: SweepSizes {
            points: SWEEP_POINTS,
            evaluations: SWEEP_EVALUATIONS.to_vec(),
        },
        ot_floor: OtFloorSizes {
            pairs: FLOOR_PAIRS,
            seed: FLOOR_SEED,
            batch_sizes: FLOOR_BATCH_SIZES.to_vec(),
        },
        metrics: MetricSizes {
            points: METRIC_POINTS,
            steps: METRIC_STEPS,
            nll_nodes: NLL_NODES,
            nll_steps: NLL_STEPS,
        },
        reflow: ReflowSizes {
            pairs: REFLOW_PAIRS,
            pair_steps: REFLOW_PAIR_STEPS,
            steps: REFLOW_STEPS,
            max_rounds: REFLOW_MAX_ROUNDS,
        },
        rectified: RectifiedSizes {
            n: RECTIFIED_POINTS,
            straight_steps: RECTIFIED_STRAIGHT_STEPS,
            euler_steps: RECTIFIED_EULER_STEPS.to_vec(),
            line_steps: RECTIFIED_LINE_STEPS,
            starts: RECTIFIED_STARTS.to_vec(),
        },
        plane: plane_table(),
        ema_decay: EMA_DECAY,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target_text::parse_target;

    #[test]
    fn the_table_lists_every_name_with_the_defaults_first() {
        let t = page_table();
        let names: Vec<_> = t.solvers.iter().map(|s| s.name).collect();
        assert_eq!(names, ["euler", "midpoint", "heun", "rk4"]);
        let labels: Vec<_> = t.solvers.iter().map(|s| s.label).collect();
        assert_eq!(labels, ["Euler", "Midpoint", "Heun", "RK4"]);
        let costs: Vec<_> = t.solvers.iter().map(|s| s.evaluations).collect();
        assert_eq!(costs, [1, 2, 2, 4]);
        assert_eq!(t.step_kinds, ["auto", "fused", "generic"]);
        assert_eq!(t.couplings, ["independent", "ot"]);
        for name in &t.couplings {
            assert!(Coupling::from_name(name).is_some());
        }
    }

    #[test]
    fn the_plane_table_names_every_preset_the_default_first() {
        use crate::plane::Preset;
        use crate::plane::text::{DEFAULT_PRESET, parse_plane_target};
        let p = page_table().plane;
        assert_eq!(p.presets.len(), Preset::ALL.len());
        assert_eq!(p.presets[0].name, DEFAULT_PRESET.name());
        for spec in &p.presets {
            assert!(parse_plane_target(spec.name).is_ok(), "{}", spec.name);
        }
        // The brush makes bumps a link can carry, inside the view.
        assert!(p.std_range.0 <= p.brush_std && p.brush_std <= p.std_range.1);
        assert!(p.view.0 <= p.mean_range.0 && p.mean_range.1 <= p.view.1);
        assert!(p.checkpoint <= p.steps && p.steps.is_multiple_of(p.checkpoint));
    }

    #[test]
    fn the_sizes_are_consistent() {
        let t = page_table();
        let e = &t.euler_steps;
        assert!(e.min <= e.default && e.default <= e.max);
        assert_eq!(
            parse_target(&t.target.tutorial).unwrap(),
            Mixture::tutorial_target()
        );
        let (lo, hi) = t.target.editor_weight_range;
        assert!(0.0 < lo && lo < hi && hi < 1.0);
        let (lo, hi) = t.target.std_range;
        assert!(lo <= t.target.editor_new_std && t.target.editor_new_std <= hi);
        assert!(t.target.min_components >= 1 && t.target.min_components < t.target.max_components);
        // Figure 15's largest batch is one a reader can train with.
        let largest = *t.ot_floor.batch_sizes.last().unwrap();
        assert!(largest <= crate::config::BATCH_RANGE.1);
        // A round never asks for more steps than a run may have.
        assert!(t.reflow.steps <= crate::config::STEPS_RANGE.1);
        assert!(t.rectified.starts.is_sorted());
    }
}
