//! Chapter four's numbers, natively, for the closing note and the README: the default recipe (Adam
//! 1e-3, batch 256, 20,000 steps, weight average 0.999) on `eight` and `moons` under independent
//! pairs and exact minibatch OT, and one reflow round (4,000 steps on 4,000 pairs of the independent
//! run), each measured by exact W₂ of 2,000 points to a fixed target set after 100, 4 and 1 Euler
//! steps, beside the exact field's own and the floor (two fresh target sets). Prints; asserts
//! nothing. `cargo run --release -p flow-core --example plane_numbers`

use flow_core::coupling::Coupling;
use flow_core::plane::measures::{plane_straightness, wasserstein2};
use flow_core::plane::target::plane_noise;
use flow_core::plane::{PLANE_STEPS, PlaneExactField, Preset};
use flow_core::reflow::{REFLOW_STEPS, reflow_data};
use flow_core::solvers::{Solver, integrate};
use flow_core::{CpuTrainer, MlpField, TrainConfig, TrainingData, seeded_rng};

const POINTS: usize = 2000;

fn train(data: TrainingData, coupling: Coupling, steps: usize) -> (MlpField, f64) {
    let config = TrainConfig {
        steps,
        coupling,
        ..TrainConfig::default()
    };
    let started = std::time::Instant::now();
    let mut trainer = CpuTrainer::new(config, data).expect("the recipe is valid");
    trainer.run(steps);
    assert!(trainer.diverged().is_none());
    (
        MlpField::new(trainer.weights()),
        started.elapsed().as_secs_f64(),
    )
}

fn main() {
    for preset in [Preset::Eight, Preset::Moons] {
        let target = preset.target();
        let mut rng = seeded_rng(2024);
        let x0 = plane_noise(&mut rng, POINTS);
        let reference = target.sample(&mut rng, POINTS);
        let floor = wasserstein2(&target.sample(&mut rng, POINTS), &reference);
        let row = |name: &str,
                   field: &dyn Fn(&[f64], usize) -> Vec<f64>,
                   straight: f64,
                   seconds: f64| {
            let w = |steps| wasserstein2(&field(&x0, steps), &reference);
            println!(
                "{:<8} {name:<12} W₂ {:.4} (100 Euler)  {:.4} (4)  {:.4} (1)  straightness {straight:.4}  [{seconds:.1} s]",
                preset.name(),
                w(100),
                w(4),
                w(1)
            );
        };
        let exact = PlaneExactField::new(target.clone());
        row(
            "exact field",
            &|x, s| integrate(&exact, Solver::Euler, x, s),
            plane_straightness(&exact, &x0[..400], 50),
            0.0,
        );
        let mut networks = Vec::new();
        for coupling in [Coupling::Independent, Coupling::Ot] {
            let (net, seconds) = train(TrainingData::Plane(target.clone()), coupling, PLANE_STEPS);
            row(
                coupling.name(),
                &|x, s| integrate(&net, Solver::Euler, x, s),
                plane_straightness(&net, &x0[..400], 50),
                seconds,
            );
            networks.push(net);
        }
        let started = std::time::Instant::now();
        let data = reflow_data(&networks[0], 1);
        let (rectified, _) = train(data, Coupling::Independent, REFLOW_STEPS);
        // The round's time includes drawing its pairs from the finished network.
        let seconds = started.elapsed().as_secs_f64();
        row(
            "reflow 1",
            &|x, s| integrate(&rectified, Solver::Euler, x, s),
            plane_straightness(&rectified, &x0[..400], 50),
            seconds,
        );
        println!(
            "{:<8} floor        W₂ {floor:.4} (two fresh sets of {POINTS})",
            preset.name()
        );
    }
}
