//! What one checkpoint's measurement costs against the 500 training steps between two checkpoints,
//! natively, for the tutorial's network: the metrics job of both networks (the weight average and
//! the last iterate) beside 500 CPU steps, in one run; then how many NLL points and RK4 steps the
//! likelihood needs, from the exact field against the target's entropy. Prints; asserts nothing.
//! `cargo run --release -p flow-core --example metrics_cost`

use std::time::Instant;

use flow_core::exact_field::ExactField;
use flow_core::likelihood::Likelihood;
use flow_core::metrics::{MetricsJob, quantile_points};
use flow_core::mixture::Mixture;
use flow_core::{CpuTrainer, MlpField, TrainConfig, TrainingData};

const CHECKPOINT: usize = 500;

fn main() {
    let target = Mixture::tutorial_target();
    let config = TrainConfig::default();
    let mut trainer =
        CpuTrainer::new(config, TrainingData::Target(target.clone())).expect("the recipe");
    trainer.run(2_000); // warm, and a network that has learned something
    for round in 0..3 {
        let started = Instant::now();
        trainer.run(CHECKPOINT);
        let training = started.elapsed().as_secs_f64() * 1e3;
        let started = Instant::now();
        let mut results = Vec::new();
        for weights in trainer.networks() {
            let mut job = MetricsJob::new(MlpField::new(weights), target.clone());
            while !job.is_finished() {
                job.advance(64);
            }
            results.push(job.result().expect("finished"));
        }
        let measuring = started.elapsed().as_secs_f64() * 1e3;
        println!(
            "round {round}: {CHECKPOINT} CPU steps {training:.1} ms, metrics of both networks {measuring:.1} ms ({:.2}× the steps); average {:?}",
            measuring / training,
            results[0]
        );
    }

    // The likelihood's own error on the exact field, against the entropy: the old quadrature (1,000
    // target quantiles, 20 RK4 steps) beside the nodes the job uses now.
    let entropy = target.entropy();
    let mut old = Likelihood::new(
        ExactField::new(target.clone()),
        &quantile_points(&target, 1_000),
        20,
    );
    old.advance(20);
    println!(
        "NLL of the exact field, 1,000 quantiles × 20 RK4 steps (before): {:+.2e} from the entropy",
        old.mean_nll() - entropy
    );
    for (nodes, steps) in [(21, 10), (41, 5), (41, 10), (41, 20), (81, 10)] {
        let (points, weights) = target.expectation_nodes(nodes, 6.0);
        let mut l = Likelihood::new(ExactField::new(target.clone()), &points, steps);
        l.advance(steps);
        println!(
            "NLL of the exact field, {nodes} nodes per component × {steps} RK4 steps: {:+.2e} from the entropy",
            l.weighted_nll(&weights) - entropy
        );
    }
}
