//! Training under minibatch OT pairs, and reflow: a second network trained on the pairs a first one
//! made. Both should straighten the paths; these tests measure by how much, on a fixed seed.

use burn::tensor::Device;
use flow_core::measures::wasserstein1;
use flow_core::metrics::quantile_points;
use flow_core::straightness::straightness;
use flow_core::{Coupling, Mixture, MlpField, Sampler, Solver, TrainConfig, integrate};
use flow_train::Trainer;

const STEPS: usize = 4000;

fn train(mut trainer: Trainer) -> (Trainer, f32) {
    while !trainer.is_finished() {
        trainer.run(500);
        trainer.collect_losses_blocking().unwrap();
    }
    let losses = trainer.losses();
    let last = losses[losses.len() - 200..].iter().sum::<f32>() / 200.0;
    (trainer, last)
}

fn field(trainer: &Trainer) -> MlpField {
    MlpField::new(trainer.weights_blocking().unwrap())
}

/// W₁ of one Euler step from 4,096 noise quantiles: how well a single network evaluation samples.
fn one_step_w1(field: &MlpField, target: &Mixture) -> f64 {
    let noise = Mixture::standard_normal();
    let x0: Vec<f32> = quantile_points(&noise, 4096)
        .into_iter()
        .map(|x| x as f32)
        .collect();
    let mut sampler = Sampler::new(field.clone(), Solver::Euler, x0, 1, None);
    sampler.advance(1);
    let ends: Vec<f64> = sampler.positions().iter().map(|&x| x.into()).collect();
    wasserstein1(&ends, |x| target.cdf(x))
}

#[test]
fn ot_pairs_lower_the_loss_floor_and_reflow_straightens_the_paths() {
    let device = Device::flex();
    let target = Mixture::tutorial_target();
    let config = TrainConfig {
        steps: STEPS,
        ..TrainConfig::default()
    };
    let noise = Mixture::standard_normal();
    let starts = quantile_points(&noise, 1000);

    // 1-rectified flow, independent pairs (the tutorial).
    let (first, independent_loss) = train(Trainer::new(config, target.clone(), &device).unwrap());
    let first_field = field(&first);

    // The same under minibatch OT: the conditional velocity is nearly determined by (t, x_t) once
    // pairs never cross, so the loss falls far below the independent floor (1.8368 for this target).
    let ot_config = TrainConfig {
        coupling: Coupling::Ot,
        ..config
    };
    let (ot, ot_loss) = train(Trainer::new(ot_config, target.clone(), &device).unwrap());
    let ot_field = field(&ot);

    // Reflow: pairs (x₀, ODE(x₀)) from the first network, then a second network on them.
    let x0 = flow_core::paths::noise_samples(&mut flow_core::seeded_rng(3), 20_000);
    let x1 = integrate(&first_field, Solver::Rk4, &x0, 40);
    let (second, _) = train(Trainer::on_pairs(config, x0, x1, &device).unwrap());
    let second_field = field(&second);

    let s = |f: &MlpField| straightness(f, &starts, 50);
    let (s_first, s_ot, s_second) = (s(&first_field), s(&ot_field), s(&second_field));
    let w = |f: &MlpField| one_step_w1(f, &target);
    let (w_first, w_ot, w_second) = (w(&first_field), w(&ot_field), w(&second_field));
    let floor = flow_core::ExactField::new(target.clone()).loss_floor();
    eprintln!(
        "final loss: independent {independent_loss:.3}, OT {ot_loss:.3} (independent floor {floor:.3})"
    );
    eprintln!("straightness: independent {s_first:.4}, OT {s_ot:.4}, reflow {s_second:.4}");
    eprintln!("one-step W1: independent {w_first:.3}, OT {w_ot:.3}, reflow {w_second:.3}");
    assert!(
        ot_loss < 0.5 * independent_loss,
        "OT loss {ot_loss} vs {independent_loss}"
    );
    assert!(
        s_second < 0.5 * s_first,
        "reflow straightness {s_second} vs {s_first}"
    );
    assert!(s_ot < 0.5 * s_first, "OT straightness {s_ot} vs {s_first}");
    assert!(
        w_second < w_first && w_ot < w_first,
        "one-step W1 did not improve"
    );
}

#[test]
fn pairs_that_do_not_match_are_refused() {
    let device = Device::flex();
    let err = Trainer::on_pairs(TrainConfig::default(), vec![0.0; 3], vec![1.0; 2], &device);
    assert_eq!(err.err().map(|e| e.field), Some("pairs"));
}
