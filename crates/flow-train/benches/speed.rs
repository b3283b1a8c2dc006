//! Native speed of the seed configuration, the baseline the page's figures are compared against in
//! the same run (tests/bench.sh): milliseconds per training step on burn's CPU backend (burn's
//! generic autodiff step) and on the fused CPU step, for the tutorial's network and for chapter
//! four's (input [t, x, y], 3 × 64, output 2), and seconds for 100k samples × 50 Euler steps
//! through burn and through flow-core's blocked CPU field. Prints figures and writes them to
//! target/bench-native.json; asserts nothing about speed.

use std::time::Instant;

use burn::tensor::Device;
use flow_core::adam::pytorch_adam;
use flow_core::cpu_step::step_flops;
use flow_core::paths::{TrainingBatch, noise_samples};
use flow_core::seeded_rng;
use flow_core::{CpuStep, Mixture, MlpField, MlpLayout, MlpWeights, Sampler, Solver, TrainConfig};
use flow_train::{DeviceSampler, GenericStep, StepPath, Trainer, VelocityMlp};
use rand::RngExt;

/// Milliseconds per step of the tutorial's run on the CPU along `path`, over `steps` steps after a
/// warm-up, losses read every 50 steps as the page reads them.
fn cpu_ms_per_step(path: StepPath, steps: usize) -> (f64, Trainer) {
    let device = Device::flex();
    let config = TrainConfig {
        steps: 100_000,
        ..TrainConfig::default()
    };
    let mut trainer = Trainer::on_path(config, Mixture::tutorial_target(), &device, path)
        .expect("tutorial settings");
    let mut run = |n: usize| {
        for _ in 0..n / 50 {
            trainer.run(50);
            trainer.collect_losses_blocking().expect("training");
        }
    };
    run(100);
    let started = Instant::now();
    run(steps);
    let ms = started.elapsed().as_secs_f64() * 1e3 / steps as f64;
    (ms, trainer)
}

/// Random flow-matching batches of dimension `d` (what the step costs does not depend on the data).
fn batches(d: usize, n: usize, count: usize) -> Vec<TrainingBatch> {
    let mut rng = seeded_rng(3);
    (0..count)
        .map(|_| TrainingBatch {
            inputs: (0..n * (1 + d))
                .map(|_| rng.random_range(-2.0..2.0))
                .collect(),
            targets: (0..n * d).map(|_| rng.random_range(-3.0..3.0)).collect(),
        })
        .collect()
}

/// (fused CPU, burn generic) milliseconds per step of a network of shape `layout`, batch 256.
fn shape_ms_per_step(layout: MlpLayout, steps: usize) -> (f64, f64) {
    let start = MlpWeights::initial(&mut seeded_rng(1), layout);
    let adam = pytorch_adam(1e-3);
    let data = batches(layout.outputs, 256, 50);
    let mut fused = CpuStep::new(&start, 256, adam);
    let started = Instant::now();
    for i in 0..steps {
        let b = &data[i % data.len()];
        fused.step(&b.inputs, &b.targets, 0.999);
    }
    let fused_ms = started.elapsed().as_secs_f64() * 1e3 / steps as f64;
    let device = Device::flex();
    let mut generic = GenericStep::new(&start, &device, adam);
    let mut run = |n: usize| {
        for i in 0..n {
            generic.step(data[i % data.len()].clone(), 0.999, 1e-3);
            if i % 50 == 49 {
                let pending = generic.take_pending_losses().expect("losses");
                pollster::block_on(pending.read()).expect("losses");
            }
        }
    };
    run(50);
    let started = Instant::now();
    run(steps / 4);
    let generic_ms = started.elapsed().as_secs_f64() * 1e3 / (steps / 4) as f64;
    (fused_ms, generic_ms)
}

fn main() {
    let device = Device::flex();
    let (ms_per_step, _) = cpu_ms_per_step(StepPath::Generic, 2_000);
    let (fused_ms_per_step, trainer) = cpu_ms_per_step(StepPath::Fused, 8_000);
    let tutorial = MlpLayout::tutorial(64);
    let gflops = step_flops(tutorial, 256) / (fused_ms_per_step * 1e6);
    let plane = MlpLayout::for_dimension(2, 64, 3);
    let (plane_fused, plane_generic) = shape_ms_per_step(plane, 4_000);

    let weights = trainer.weights_blocking().expect("weights");
    let model = VelocityMlp::from_weights(&weights, &device);
    let x0: Vec<f32> = noise_samples(&mut seeded_rng(1), 100_000)
        .into_iter()
        .map(|x| x as f32)
        .collect();
    let started = Instant::now();
    let mut euler = DeviceSampler::new(model.clone(), Solver::Euler, &x0, 50, &device);
    euler.advance(50, false);
    let samples = pollster::block_on(euler.positions()).expect("sampling");
    let burn_sampling = started.elapsed().as_secs_f64();
    assert_eq!(samples.len(), 100_000);

    let snapshot = MlpField::new(weights);
    #[cfg(feature = "gpu")]
    let x0_for_gpu = x0.clone();
    let started = Instant::now();
    let mut sampler = Sampler::new(snapshot, Solver::Euler, x0, 50, None);
    sampler.advance(50);
    let field_sampling = started.elapsed().as_secs_f64();

    println!("native, seed config");
    println!(
        "  training, burn flex (CPU, generic autodiff step): {ms_per_step:.3} ms/step (2,000 timed steps, batch 256)"
    );
    println!(
        "  training, fused CPU step: {fused_ms_per_step:.3} ms/step (8,000 timed steps); burn flex / fused: {:.2}; {gflops:.1} GFLOP/s of matrix products ({:.2} MFLOP a step)",
        ms_per_step / fused_ms_per_step,
        step_flops(tutorial, 256) / 1e6
    );
    println!(
        "  chapter four's network ({}, batch 256): fused CPU {plane_fused:.3} ms/step, burn flex {plane_generic:.3} ms/step (ratio {:.2}); {:.1} GFLOP/s",
        plane.describe(),
        plane_generic / plane_fused,
        step_flops(plane, 256) / (plane_fused * 1e6)
    );
    println!("  sampling 100k x 50 Euler steps, burn flex: {burn_sampling:.2} s");
    println!(
        "  sampling 100k x 50 Euler steps, flow-core blocked field: {field_sampling:.2} s ({:.2}x burn)",
        field_sampling / burn_sampling
    );
    #[cfg(feature = "gpu")]
    wgpu_paths(&x0_for_gpu);

    let json = format!(
        "{{\"msPerStep\":{ms_per_step},\"fusedMsPerStep\":{fused_ms_per_step},\"planeFusedMsPerStep\":{plane_fused},\"planeGenericMsPerStep\":{plane_generic},\"burnSampling\":{burn_sampling},\"fieldSampling\":{field_sampling}}}\n"
    );
    let out =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-native.json");
    std::fs::write(&out, json).expect("writing target/bench-native.json");
}

/// Milliseconds per step of a run of `path` on `device` (after a warm-up that compiles the kernels),
/// with the losses read once per 50 steps, as the page's worker reads them on a GPU.
#[cfg(feature = "gpu")]
fn ms_per_step(device: &Device, path: flow_train::StepPath, steps: usize) -> f64 {
    let config = TrainConfig {
        steps: 100_000,
        ..TrainConfig::default()
    };
    let mut trainer = Trainer::on_path(config, Mixture::tutorial_target(), device, path)
        .expect("tutorial settings");
    let mut run = |n: usize| {
        for _ in 0..n / 50 {
            trainer.run(50);
            trainer.collect_losses_blocking().expect("training");
        }
    };
    run(50);
    let started = Instant::now();
    run(steps);
    started.elapsed().as_secs_f64() * 1e3 / steps as f64
}

/// burn's generic step against the fused kernels on whatever wgpu adapter this machine has, and
/// burn's generic sampling against the fused sampler (100k x 50 Euler steps).
#[cfg(feature = "gpu")]
fn wgpu_paths(x0: &[f32]) {
    use flow_train::StepPath;
    use flow_train::fused::{FusedSampler, gpu_client};
    let Ok(device) = Device::wgpu_options().init() else {
        println!("  (no wgpu adapter here: the fused kernels are measured in Chromium only)");
        return;
    };
    let client = gpu_client(&device).expect("a wgpu device");
    println!("native wgpu ({}):", client.name());
    let generic = ms_per_step(&device, StepPath::Generic, 200);
    let fused = ms_per_step(&device, StepPath::Fused, 1000);
    println!(
        "  training, burn generic step: {generic:.3} ms/step; fused kernels: {fused:.3} ms/step (generic / fused: {:.2})",
        generic / fused
    );
    let weights =
        flow_core::MlpWeights::initial(&mut seeded_rng(1), flow_core::MlpLayout::tutorial(64));
    let model = VelocityMlp::from_weights(&weights, &device);
    let generic = |xs: &[f32]| {
        let started = Instant::now();
        let mut sampler = DeviceSampler::new(model.clone(), Solver::Euler, xs, 50, &device);
        sampler.advance(50, false);
        pollster::block_on(sampler.positions()).expect("sampling");
        started.elapsed().as_secs_f64()
    };
    let fused = |xs: &[f32]| {
        let started = Instant::now();
        let mut sampler = FusedSampler::new(client.clone(), &weights, Solver::Euler, xs, 50);
        sampler.advance(50);
        pollster::block_on(sampler.positions()).expect("sampling");
        started.elapsed().as_secs_f64()
    };
    // The first run of each compiles its kernels.
    let (generic_first, fused_first) = (generic(&x0[..256]), fused(&x0[..256]));
    let (generic, fused) = (generic(x0), fused(x0));
    println!(
        "  sampling 100k x 50 Euler steps, burn generic: {generic:.2} s; fused sampler: {fused:.2} s (generic / fused: {:.2}; first compilation {generic_first:.1} s and {fused_first:.1} s)",
        generic / fused
    );
}
