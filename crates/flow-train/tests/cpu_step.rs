//! The fused CPU step (flow-core's `CpuStep`, what the page trains with where there is no WebGPU)
//! against burn's autodiff step on burn's CPU backend: the same start, the same batches, every
//! parameter of both networks (the last iterate and the weight average) within 1e-4 relative
//! after 1, 10 and 100 steps, for every network shape the trainer takes.

use burn::tensor::Device;
use flow_core::adam::pytorch_adam;
use flow_core::training::average_keep;
use flow_core::{CpuStep, Mixture, MlpLayout, MlpWeights, TrainConfig, seeded_rng};
use flow_train::equivalence::{RELATIVE_FLOOR, compare_paths, parameter_gap};
use flow_train::{GenericStep, StepPath, Trainer};

mod common;
use common::flow_batch;

struct Gaps {
    relative: f64,
    absolute: f64,
    loss: f64,
}

/// Both steps from one start on the same batches, measured at each checkpoint.
fn compare(layout: MlpLayout, n: usize, learning_rate: f64, checkpoints: &[usize]) -> Vec<Gaps> {
    let start = MlpWeights::initial(&mut seeded_rng(7), layout);
    let adam = pytorch_adam(learning_rate);
    let device = Device::flex();
    let mut fused = CpuStep::new(&start, n, adam);
    let mut generic = GenericStep::new(&start, &device, adam);
    let mut rng = seeded_rng(11);
    let (mut fused_losses, mut generic_losses) = (Vec::new(), Vec::new());
    let mut done = 0;
    let mut gaps = Vec::new();
    for &at in checkpoints {
        while done < at {
            let b = flow_batch(&mut rng, layout.outputs, n);
            let keep = average_keep(done);
            fused_losses.push(fused.step(&b.inputs, &b.targets, keep));
            generic.step(b, keep, learning_rate);
            done += 1;
        }
        let pending = generic
            .take_pending_losses()
            .expect("losses of the steps run");
        generic_losses.extend(pollster::block_on(pending.read()).unwrap());
        let reference = pollster::block_on(generic.networks().read()).unwrap();
        let (relative, absolute) = parameter_gap(&fused.networks(), &reference);
        let loss = fused_losses
            .iter()
            .zip(&generic_losses)
            .map(|(&a, &b)| f64::from((a - b).abs() / b.abs().max(1e-6)))
            .fold(0.0, f64::max);
        gaps.push(Gaps {
            relative,
            absolute,
            loss,
        });
    }
    gaps
}

fn assert_equivalent(name: &str, layout: MlpLayout, n: usize) {
    let checkpoints = [1, 10, 100];
    for (gap, steps) in compare(layout, n, 1e-3, &checkpoints)
        .iter()
        .zip(checkpoints)
    {
        eprintln!(
            "{name} ({}, batch {n}) after {steps}: relative {:.2e} (floor {RELATIVE_FLOOR}), absolute {:.2e}, loss {:.2e}",
            layout.describe(),
            gap.relative,
            gap.absolute,
            gap.loss
        );
        assert!(
            gap.relative <= 1e-4,
            "{name} after {steps} steps: {:.3e}",
            gap.relative
        );
        assert!(
            gap.loss <= 1e-4,
            "{name} after {steps} steps: loss {:.3e}",
            gap.loss
        );
    }
}

#[test]
fn the_tutorial_shape_matches_burns_autodiff() {
    assert_equivalent("tutorial", MlpLayout::tutorial(64), 256);
}

#[test]
fn the_planes_network_matches_burns_autodiff() {
    // Chapter four's: input [t, x, y], three hidden layers of 64, two velocities.
    assert_equivalent("plane", MlpLayout::for_dimension(2, 64, 3), 256);
}

#[test]
fn a_narrow_shallow_network_matches_burns_autodiff() {
    assert_equivalent("narrow", MlpLayout::for_dimension(1, 8, 1), 256);
}

#[test]
fn the_widest_network_matches_burns_autodiff() {
    assert_equivalent("wide", MlpLayout::tutorial(256), 256);
}

#[test]
fn the_smallest_and_the_largest_batch_match_burns_autodiff() {
    assert_equivalent("batch 1", MlpLayout::tutorial(64), 1);
    assert_equivalent("batch 4096", MlpLayout::tutorial(64), 4096);
}

#[test]
fn deep_and_ragged_networks_match_burns_autodiff() {
    // Four hidden layers, widths that fill no SIMD block, a 2-D network one unit wide.
    assert_equivalent("deep", MlpLayout::for_dimension(2, 24, 4), 100);
    assert_equivalent("ragged", MlpLayout::for_dimension(1, 13, 2), 37);
    assert_equivalent("one unit", MlpLayout::for_dimension(2, 1, 2), 16);
}

#[test]
fn the_trainer_takes_the_fused_step_on_the_cpu_and_matches_the_generic_one() {
    let device = Device::flex();
    let target = Mixture::tutorial_target();
    let config = TrainConfig::default();
    let trainer = Trainer::new(config, target.clone(), &device).unwrap();
    assert_eq!(trainer.path(), StepPath::Fused, "the CPU's best path");
    let gaps = pollster::block_on(compare_paths(
        config,
        &target,
        (&device, StepPath::Fused),
        (&device, StepPath::Generic),
        &[1, 10, 100],
    ))
    .unwrap();
    for gap in gaps {
        eprintln!("trainer, fused CPU vs generic: {gap:?}");
        assert!(gap.relative <= 1e-4 && gap.loss <= 1e-4, "{gap:?}");
    }
}
