//! The fused GPU step and sampler against burn's autodiff step and flow-core's CPU field, on whatever
//! wgpu adapter this machine has (Vulkan's lavapipe, in software, where there is no GPU: tests/setup.sh
//! installs it). Without an adapter these tests fail under CI or with FLOW_REQUIRE_GPU=1, and are
//! skipped, saying so, elsewhere or with FLOW_SKIP_GPU=1 (`common::wgpu_device_or_skip`). The same
//! checks also run in Chromium on WebGPU (tests/browser/fused.test.mjs).
#![cfg(feature = "gpu")]

use burn::tensor::Device;
use flow_core::paths::noise_samples;
use flow_core::{
    Coupling, ExactField, Mixture, MlpField, MlpLayout, MlpWeights, Solver, TrainConfig, seeded_rng,
};
use flow_train::equivalence::{Gap, compare_paths};
use flow_train::fused::{FusedSampler, gpu_client};
use flow_train::{StepPath, Trainer};

mod common;
use common::{euler50_w1, wgpu_device_or_skip};

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
fn the_fused_path_is_chosen_on_a_gpu_and_not_past_its_width() {
    let Some(gpu) = wgpu_device_or_skip("the_fused_path_is_chosen_on_a_gpu") else {
        return;
    };
    assert!(gpu_client(gpu).is_some() && gpu_client(&Device::flex()).is_none());
    let target = Mixture::tutorial_target();
    let wide = TrainConfig {
        hidden: flow_train::MAX_FUSED_HIDDEN + 1,
        ..TrainConfig::default()
    };
    assert_eq!(
        Trainer::new(TrainConfig::default(), target.clone(), gpu)
            .unwrap()
            .path(),
        StepPath::Fused
    );
    assert_eq!(
        Trainer::new(wide, target.clone(), gpu).unwrap().path(),
        StepPath::Generic
    );
    assert!(Trainer::on_path(wide, target.clone(), gpu, StepPath::Fused).is_err());
    // On the CPU "fused" is flow-core's fused CPU step, which takes every width.
    assert_eq!(
        Trainer::new(wide, target, &Device::flex()).unwrap().path(),
        StepPath::Fused
    );
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
