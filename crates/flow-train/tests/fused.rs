//! The fused GPU step and sampler against burn's autodiff step and flow-core's CPU field, on whatever
//! wgpu adapter this machine has (Vulkan's lavapipe, in software, where there is no GPU: tests/setup.sh
//! installs it). Without an adapter these tests fail under CI or with FLOW_REQUIRE_GPU=1, and are
//! skipped, saying so, elsewhere or with FLOW_SKIP_GPU=1 (`common::wgpu_device_or_skip`). The same
//! checks also run in Chromium on WebGPU (tests/browser/fused.test.mjs).
#![cfg(feature = "gpu")]

use burn::tensor::Device;
use flow_core::adam::pytorch_adam;
use flow_core::paths::noise_samples;
use flow_core::training::average_keep;
use flow_core::{
    Coupling, ExactField, Mixture, MlpField, MlpLayout, MlpWeights, Solver, TrainConfig, seeded_rng,
};
use flow_train::equivalence::{Gap, compare_paths, parameter_gap};
use flow_train::fused::{FusedSampler, FusedStep, LOSS_RING, gpu_client};
use flow_train::{GenericStep, StepPath, Trainer};

mod common;
use common::{euler50_w1, flow_batch, wgpu_device_or_skip};

fn gaps(
    gpu: &Device,
    config: TrainConfig,
    target: &Mixture,
    against: (&Device, StepPath),
) -> Vec<Gap> {
    pollster::block_on(compare_paths(
        config,
        target,
        (gpu, StepPath::Fused),
        against,
        &[1, 10, 100],
    ))
    .unwrap()
}

#[test]
fn the_fused_step_matches_burns_autodiff_after_1_10_and_100_steps() {
    let Some(gpu) = wgpu_device_or_skip("the_fused_step_matches_burns_autodiff") else {
        return;
    };
    let flex = Device::flex();
    let target = Mixture::tutorial_target();
    // The tutorial's settings, then a batch and width that fill no workgroup evenly, minibatch OT,
    // and a learning rate ten times larger.
    let configs = [
        TrainConfig::default(),
        TrainConfig {
            batch_size: 100,
            hidden: 24,
            coupling: Coupling::Ot,
            learning_rate: 1e-2,
            seed: 5,
            ..TrainConfig::default()
        },
    ];
    for config in configs {
        // burn's CPU backend differentiates GELU exactly, as the fused kernel and PyTorch do.
        for gap in gaps(gpu, config, &target, (&flex, StepPath::Generic)) {
            eprintln!("fused on wgpu vs burn autodiff on the CPU, {config:?}: {gap:?}");
            assert!(gap.relative <= 1e-4, "{gap:?}");
            assert!(gap.loss <= 1e-4, "{gap:?}");
        }
    }
    // burn's own GPU step differentiates the tanh approximation of GELU instead, so the two part
    // by more than rounding, yet train the same network (measured on lavapipe: parameters 1.9 %
    // apart after 100 steps, losses 4e-5).
    let against_burn_gpu = gaps(
        gpu,
        TrainConfig::default(),
        &target,
        (gpu, StepPath::Generic),
    );
    for gap in &against_burn_gpu {
        eprintln!("fused on wgpu vs burn autodiff on wgpu: {gap:?}");
        assert!(gap.relative <= 0.1 && gap.loss <= 1e-3, "{gap:?}");
    }
}

#[test]
fn the_fused_path_is_chosen_on_a_gpu_within_its_limits() {
    let Some(gpu) = wgpu_device_or_skip("the_fused_path_is_chosen_on_a_gpu") else {
        return;
    };
    assert!(gpu_client(gpu).is_some() && gpu_client(&Device::flex()).is_none());
    let target = Mixture::tutorial_target();
    // Past the register kernels' width the record kernels take over, up to their parameter count;
    // past that, burn's step. On the CPU "fused" is the fused CPU step, which takes every width.
    let width = |hidden| TrainConfig {
        hidden,
        ..TrainConfig::default()
    };
    for (config, on_gpu) in [
        (TrainConfig::default(), StepPath::Fused),
        (width(flow_train::MAX_FUSED_HIDDEN + 1), StepPath::Fused),
        (width(256), StepPath::Generic),
    ] {
        let trainer = Trainer::new(config, target.clone(), gpu).unwrap();
        assert_eq!(trainer.path(), on_gpu, "{config:?}");
        let trainer = Trainer::new(config, target.clone(), &Device::flex()).unwrap();
        assert_eq!(trainer.path(), StepPath::Fused, "{config:?}");
    }
    assert!(Trainer::on_path(width(256), target, gpu, StepPath::Fused).is_err());
}

/// The fused GPU step against burn's autodiff step on the CPU for a network of shape `layout`:
/// the same start and batches, every parameter of both networks and every loss within 1e-4
/// relative after 1, 10 and 100 steps.
fn assert_fused_matches(gpu: &Device, name: &str, layout: MlpLayout, n: usize) {
    let start = MlpWeights::initial(&mut seeded_rng(7), layout);
    let adam = pytorch_adam(1e-3);
    let client = gpu_client(gpu).expect("a GPU device");
    let mut fused = FusedStep::new(client, &start, n, adam);
    let mut generic = GenericStep::new(&start, &Device::flex(), adam);
    let mut rng = seeded_rng(11);
    let mut done = 0;
    for at in [1, 10, 100] {
        let mut rows = Vec::new();
        let mut keeps = Vec::new();
        let first = done;
        while done < at {
            let b = flow_batch(&mut rng, layout.outputs, n);
            for (input, target) in b
                .inputs
                .chunks(layout.inputs)
                .zip(b.targets.chunks(layout.outputs))
            {
                rows.extend(input.iter().chain(target));
            }
            let keep = average_keep(done);
            keeps.push(keep);
            generic.step(b, keep, 1e-3);
            done += 1;
        }
        fused.queue(&rows, &keeps, first % LOSS_RING);
        let fused_losses =
            pollster::block_on(fused.losses(first % LOSS_RING, at - first).read()).unwrap();
        let generic_losses = pollster::block_on(
            generic
                .take_pending_losses()
                .expect("losses of the steps run")
                .read(),
        )
        .unwrap();
        let a = pollster::block_on(fused.weights_read().read()).unwrap();
        let b = pollster::block_on(generic.networks().read()).unwrap();
        let (relative, absolute) = parameter_gap(&a, &b);
        let loss = fused_losses
            .iter()
            .zip(&generic_losses)
            .map(|(&x, &y)| f64::from((x - y).abs() / y.abs().max(1e-6)))
            .fold(0.0, f64::max);
        eprintln!(
            "{name} ({}, batch {n}) on wgpu after {at}: relative {relative:.2e}, absolute {absolute:.2e}, loss {loss:.2e}",
            layout.describe()
        );
        assert!(relative <= 1e-4, "{name} after {at}: {relative:.3e}");
        assert!(loss <= 1e-4, "{name} after {at}: loss {loss:.3e}");
    }
}

#[test]
fn the_record_kernels_match_burns_autodiff_for_every_shape() {
    let Some(gpu) = wgpu_device_or_skip("the_record_kernels_match_burns_autodiff") else {
        return;
    };
    // Chapter four's network, a narrow shallow one, the widest within MAX_RECORD_PARAMETERS
    // (32,575 parameters), the extreme batches, and the deepest: every shape here but the batch
    // ones runs on the record kernels. (Width 256 is burn's on a GPU: see MAX_RECORD_PARAMETERS.)
    assert_fused_matches(gpu, "plane", MlpLayout::for_dimension(2, 64, 3), 256);
    assert_fused_matches(gpu, "narrow", MlpLayout::for_dimension(1, 8, 1), 256);
    assert_fused_matches(gpu, "wide", MlpLayout::tutorial(178), 256);
    assert_fused_matches(
        gpu,
        "wide and deep",
        MlpLayout::for_dimension(2, 100, 4),
        64,
    );
    assert_fused_matches(gpu, "batch 1", MlpLayout::tutorial(64), 1);
    assert_fused_matches(gpu, "batch 4096", MlpLayout::tutorial(64), 4096);
    assert_fused_matches(gpu, "deep", MlpLayout::for_dimension(2, 24, 4), 100);
}

#[test]
fn a_fused_run_trains_to_the_cpu_paths_quality() {
    // The quality bar of training.rs's weight-average test: W₁ of 100k samples by 50 Euler steps
    // within 0.05 of the target (the exact field's own Euler error is 0.020).
    let Some(gpu) = wgpu_device_or_skip("a_fused_run_trains_to_the_cpu_paths_quality") else {
        return;
    };
    let target = Mixture::tutorial_target();
    let floor = ExactField::new(target.clone()).loss_floor() as f32;
    let mut trainer = Trainer::new(TrainConfig::default(), target.clone(), gpu).unwrap();
    assert_eq!(trainer.path(), StepPath::Fused);
    while !trainer.is_finished() {
        trainer.run(1000);
        trainer.collect_losses_blocking().unwrap();
    }
    let losses = trainer.losses();
    assert_eq!(losses.len(), 10_000);
    let last = losses[9_000..].iter().sum::<f32>() / 1000.0;
    eprintln!("fused run: mean loss of the last 1,000 steps {last:.4} (floor {floor:.4})");
    assert!(
        (last - floor).abs() < 0.06,
        "final loss {last} vs floor {floor}"
    );
    let w1 = euler50_w1(MlpField::new(trainer.weights_blocking().unwrap()), &target);
    eprintln!("fused run: W1 {w1:.4}");
    assert!(w1 < 0.05, "W1 {w1}");
}

#[test]
fn the_fused_sampler_follows_the_cpu_field_for_every_solver() {
    let Some(gpu) = wgpu_device_or_skip("the_fused_sampler_follows_the_cpu_field") else {
        return;
    };
    let client = gpu_client(gpu).unwrap();
    let weights = MlpWeights::initial(&mut seeded_rng(4), MlpLayout::tutorial(64));
    let field = MlpField::new(weights.clone());
    let x0: Vec<f32> = noise_samples(&mut seeded_rng(2), 1000)
        .into_iter()
        .map(|x| x as f32)
        .collect();
    for solver in Solver::ALL {
        // 25 steps: more than one dispatch's worth for every solver, queued in uneven pieces.
        assert!(flow_train::fused::steps_per_dispatch(64, solver) < 18);
        let mut sampler = FusedSampler::new(client.clone(), &weights, solver, &x0, 25);
        assert_eq!(sampler.advance(7), 7);
        assert_eq!(sampler.advance(100), 18);
        assert!(sampler.is_finished());
        let got = pollster::block_on(sampler.positions()).unwrap();
        let start: Vec<f64> = x0.iter().map(|&x| x.into()).collect();
        let want = flow_core::integrate_paths(&field, solver, &start, 25);
        for (a, b) in got.iter().zip(&want[25]) {
            assert!((f64::from(*a) - b).abs() < 1e-4, "{solver:?}: {a} vs {b}");
        }
    }
}

#[test]
fn a_diverging_fused_run_is_stopped_and_its_weights_still_read() {
    let Some(gpu) = wgpu_device_or_skip("a_diverging_fused_run_is_stopped") else {
        return;
    };
    let config = TrainConfig {
        learning_rate: 10.0,
        steps: 300,
        ..TrainConfig::default()
    };
    let mut trainer = Trainer::new(config, Mixture::tutorial_target(), gpu).unwrap();
    assert_eq!(trainer.path(), StepPath::Fused);
    assert_eq!(trainer.run(300), 300);
    let err = trainer.collect_losses_blocking().unwrap_err();
    assert!(
        matches!(err, flow_train::TrainError::Diverged { .. }),
        "{err}"
    );
    assert!(trainer.is_finished());
    assert_eq!(trainer.run(10), 0);
    // The page may still ask for a snapshot: the weights come back as they are, not as an error,
    // and they are the diverged run's (not finite, or far from where they started).
    let [averaged, latest] = trainer.networks_blocking().unwrap();
    let start = MlpWeights::initial(
        &mut seeded_rng(config.seed),
        MlpLayout::tutorial(config.hidden),
    )
    .to_flat();
    for weights in [&averaged, &latest] {
        assert_eq!(weights.hidden(), config.hidden);
        let flat = weights.to_flat();
        let moved = flat
            .iter()
            .zip(&start)
            .map(|(a, b)| (a - b).abs())
            .fold(
                0.0f32,
                |m, d| if d.is_nan() { f32::INFINITY } else { m.max(d) },
            );
        assert!(moved > 1.0, "the diverged weights moved by only {moved}");
    }
}
