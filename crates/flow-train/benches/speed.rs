//! Native speed of the seed configuration, the baseline the page's figures are compared against in
//! the same run (tests/bench.sh): milliseconds per training step on burn's CPU backend, and seconds
//! for 100k samples × 50 Euler steps through burn and through flow-core's blocked CPU field.
//! Prints figures and writes them to target/bench-native.json; asserts nothing about speed.

use std::time::Instant;

use burn::tensor::Device;
use flow_core::paths::noise_samples;
use flow_core::{Mixture, MlpField, Sampler, Solver, TrainConfig, seeded_rng};
use flow_train::{DeviceSampler, Trainer, VelocityMlp};

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
    let started = Instant::now();
    let mut sampler = Sampler::new(snapshot, Solver::Euler, x0, 50, None);
    sampler.advance(50);
    let field_sampling = started.elapsed().as_secs_f64();

    println!("native, seed config");
    println!(
        "  training, burn flex (CPU): {ms_per_step:.3} ms/step ({steps} timed steps, batch 256)"
    );
    println!("  sampling 100k x 50 Euler steps, burn flex: {burn_sampling:.2} s");
    println!(
        "  sampling 100k x 50 Euler steps, flow-core blocked field: {field_sampling:.2} s ({:.2}x burn)",
        field_sampling / burn_sampling
    );
    let json = format!(
        "{{\"msPerStep\":{ms_per_step},\"burnSampling\":{burn_sampling},\"fieldSampling\":{field_sampling}}}\n"
    );
    let out =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/bench-native.json");
    std::fs::write(&out, json).expect("writing target/bench-native.json");
}
