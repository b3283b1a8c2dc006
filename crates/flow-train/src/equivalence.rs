//! Two training paths run side by side from the same seed on the same batches, compared parameter by
//! parameter: how the fused steps (GPU and CPU) are checked against burn's autodiff step.

use burn::tensor::Device;
use flow_core::{Mixture, MlpWeights, TrainConfig};

use crate::{DeviceError, StepPath, TrainError, Trainer};

/// How far one run's parameters are from another's after `steps` steps, over both networks (the
/// last iterate and the weight average).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gap {
    pub steps: usize,
    /// max |a − b| / max(|b|, [`RELATIVE_FLOOR`]) over every parameter.
    pub relative: f64,
    /// max |a − b|.
    pub absolute: f64,
    /// The largest gap between the two runs' per-step losses so far, relative to the loss.
    pub loss: f64,
}

/// Below this magnitude a parameter's gap is measured against the floor instead of the parameter,
/// so that a weight passing through zero does not turn a rounding difference into a huge ratio.
/// Parameters start uniform in ±1/√fan_in (±0.125 for the 64-wide layer).
pub const RELATIVE_FLOOR: f64 = 1e-2;

/// (max relative gap, max absolute gap) between two runs' `[average, latest]` networks.
pub fn parameter_gap(a: &[MlpWeights; 2], b: &[MlpWeights; 2]) -> (f64, f64) {
    let (mut relative, mut absolute) = (0.0f64, 0.0f64);
    for (x, y) in a.iter().zip(b) {
        for (&p, &q) in x.to_flat().iter().zip(&y.to_flat()) {
            let d = (f64::from(p) - f64::from(q)).abs();
            absolute = absolute.max(d);
            relative = relative.max(d / f64::from(q).abs().max(RELATIVE_FLOOR));
            if d.is_nan() {
                relative = f64::NAN;
            }
        }
    }
    (relative, absolute)
}

/// Trains `config` on `target` along `path` on `device` and along `reference` on `reference_device`,
/// and measures the gap at each of `checkpoints` (ascending step counts).
pub async fn compare_paths(
    config: TrainConfig,
    target: &Mixture,
    (device, path): (&Device, StepPath),
    (reference_device, reference): (&Device, StepPath),
    checkpoints: &[usize],
) -> Result<Vec<Gap>, TrainError> {
    let last = checkpoints.iter().copied().max().unwrap_or(0);
    let config = TrainConfig {
        steps: last.max(1),
        ..config
    };
    let start = |device, path| {
        Trainer::on_path(config, target.clone(), device, path)
            .map_err(|e| TrainError::Device(DeviceError::from_display(e)))
    };
    let mut runs = [start(device, path)?, start(reference_device, reference)?];
    let mut gaps = Vec::with_capacity(checkpoints.len());
    for &at in checkpoints {
        for run in &mut runs {
            while run.steps_done() < at {
                run.run(at - run.steps_done());
                if let Some(pending) = run.take_pending_losses()? {
                    let values = pending.read().await?;
                    run.absorb_losses(values)?;
                }
            }
        }
        let a = runs[0].networks().read().await?;
        let b = runs[1].networks().read().await?;
        let (relative, absolute) = parameter_gap(&a, &b);
        let loss = runs[0]
            .losses()
            .iter()
            .zip(runs[1].losses())
            .map(|(&x, &y)| f64::from((x - y).abs() / y.abs().max(1e-6)))
            .fold(0.0, f64::max);
        gaps.push(Gap {
            steps: at,
            relative,
            absolute,
            loss,
        });
    }
    Ok(gaps)
}
