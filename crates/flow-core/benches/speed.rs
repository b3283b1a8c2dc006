//! Prints the seed configuration's speed on burn's CPU backend: milliseconds per training step and
//! seconds for 100k samples × 50 Euler steps, beside a baseline measured in the same run (the same
//! network evaluated by the plain-Rust snapshot) so that the figures can be compared across machines.
//! Figures only: nothing here asserts a speed.

use std::time::Instant;

use burn::tensor::Device;
use flow_core::paths::noise_samples;
use flow_core::{
    DeviceEuler, Mixture, MlpField, Solver, TrainConfig, Trainer, integrate, seeded_rng,
};

fn main() {
    let device = Device::flex();
    let config = TrainConfig::default();
    let mut trainer =
        Trainer::new(config, Mixture::tutorial_target(), &device).expect("tutorial settings");

    trainer.run(100);
    trainer.collect_losses_blocking().expect("warm-up");
    let steps = 2_000;
    let started = Instant::now();
    for _ in 0..steps / 50 {
        trainer.run(50);
        trainer.collect_losses_blocking().expect("training");
    }
    let ms_per_step = started.elapsed().as_secs_f64() * 1e3 / steps as f64;

    let model = trainer.model();
    let x0: Vec<f32> = noise_samples(&mut seeded_rng(1), 100_000)
        .into_iter()
        .map(|x| x as f32)
        .collect();
    let started = Instant::now();
    let mut euler = DeviceEuler::new(model.clone(), &x0, 50, &device);
    euler.advance(50, false);
    let samples = pollster::block_on(euler.positions()).expect("sampling");
    let burn_sampling = started.elapsed().as_secs_f64();
    assert_eq!(samples.len(), 100_000);

    let snapshot = MlpField::new(pollster::block_on(model.weights()).expect("weights"));
    let x0_f64: Vec<f64> = x0.iter().map(|&x| x.into()).collect();
    let started = Instant::now();
    let baseline = integrate(&snapshot, Solver::Euler, &x0_f64, 50);
    let plain_sampling = started.elapsed().as_secs_f64();
    assert_eq!(baseline.len(), 100_000);

    println!("native, burn flex (CPU), seed config");
    println!("  training: {ms_per_step:.3} ms/step (batch 256, {steps} timed steps)");
    println!("  sampling 100k x 50 Euler steps: {burn_sampling:.2} s with burn");
    println!(
        "  baseline, the same network as plain scalar Rust (one point at a time): {plain_sampling:.2} s"
    );
    println!(
        "  ratio burn / baseline: {:.2}",
        burn_sampling / plain_sampling
    );
}
