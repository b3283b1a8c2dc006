//! The whole chain on burn's CPU backend: train the tutorial's configuration for its full 10,000 steps,
//! then sample with it and compare against the exact target and the exact velocity field.

use flow_core::exact_field::PathGrid;
use flow_core::measures::{ks_statistic, wasserstein1};
use flow_core::metrics::field_error;
use flow_core::{
    ExactField, Mixture, MlpField, Sampler, Solver, TrainConfig, VelocityField, seeded_rng,
};
use flow_train::{DeviceSampler, TrainError, Trainer, VelocityMlp};

mod common;
use common::euler50_w1;

use burn::tensor::{Device, Tensor, TensorData};
use rand_distr::{Distribution, StandardNormal};

#[test]
fn tutorial_config_trains_to_the_loss_floor_and_samples_the_target() {
    let device = Device::flex();
    let target = Mixture::tutorial_target();
    let config = TrainConfig::default();
    let mut trainer = Trainer::new(config, target.clone(), &device).unwrap();
    while !trainer.is_finished() {
        trainer.run(500);
        trainer.collect_losses_blocking().unwrap();
    }
    let losses = trainer.losses();
    assert_eq!(losses.len(), 10_000);
    let last: f32 = losses[9_900..].iter().sum::<f32>() / 100.0;
    let first: f32 = losses[..100].iter().sum::<f32>() / 100.0;
    eprintln!("mean loss: first 100 steps {first:.4}, last 100 steps {last:.4}");
    assert!(
        first > last + 0.3,
        "the loss did not fall: {first} → {last}"
    );

    let model = VelocityMlp::from_weights(&trainer.weights_blocking().unwrap(), &device);

    // The network the figures use (the weight average), on 200k fresh triples: its loss is the floor
    // (ExactField::loss_floor, 1.8368 for this target) plus its own field error (about 0.01). For
    // comparison, the tutorial notebook re-run in PyTorch 2.15 on a 2-core CPU (its own settings:
    // 2 → 64 → 64 → 1 GELU, 10,000 Adam steps at lr 1e-3, β (0.9, 0.999), ε 1e-8, batch 256, seeds
    // np.random.seed(42) and torch.manual_seed(626), last iterate) ended at 1.845, the mean of its
    // last 100 training losses; the re-run's output is not kept in this repository. The squared
    // residual has a standard deviation of about 3, so the mean of 200k has a standard error of
    // about 0.007.
    let floor = ExactField::new(target.clone()).loss_floor();
    let batch = flow_core::paths::training_batch(&target, &mut seeded_rng(99), 200_000);
    let n = batch.len();
    let predicted = model
        .forward(Tensor::<2>::from_data(
            TensorData::new(batch.inputs, [n, 2]),
            &device,
        ))
        .into_data()
        .try_to_vec::<f32>()
        .unwrap();
    let fresh_loss = predicted
        .iter()
        .zip(&batch.targets)
        .map(|(p, v)| f64::from(p - v).powi(2))
        .sum::<f64>()
        / n as f64;
    eprintln!("averaged network on 200k fresh triples: loss {fresh_loss:.4}");
    assert!(
        fresh_loss > floor - 0.02 && fresh_loss < floor + 0.03,
        "loss on fresh triples {fresh_loss} vs floor {floor}"
    );

    // The CPU snapshot of the weights computes the same function as burn's forward pass.
    let weights = pollster::block_on(model.weights()).unwrap();
    let snapshot = MlpField::new(weights);
    let xs: Vec<f64> = (0..200).map(|i| -3.0 + 0.03 * i as f64).collect();
    for t in [0.0, 0.37, 1.0] {
        let rows: Vec<f32> = xs.iter().flat_map(|&x| [t as f32, x as f32]).collect();
        let out = model.forward(Tensor::<2>::from_data(
            TensorData::new(rows, [xs.len(), 2]),
            &device,
        ));
        let burn_values = out.into_data().try_to_vec::<f32>().unwrap();
        let mut ours = vec![0.0; xs.len()];
        snapshot.velocity(t, &xs, &mut ours);
        for (a, b) in burn_values.iter().zip(&ours) {
            assert!(
                (*a as f64 - b).abs() < 1e-4,
                "t = {t}: burn {a} vs snapshot {b}"
            );
        }
    }

    // Density-weighted field error E[(FM − u)²] over the training paths (quadrature in t and x).
    // The PyTorch re-run of the notebook (as above: PyTorch 2.15, CPU, 10,000 Adam steps, batch 256,
    // lr 1e-3, seeds 42/626, last iterate) measured 0.0117 (1.4 % of E[u²]); we allow 0.03.
    let exact = ExactField::new(target.clone());
    let field_error = field_error(&snapshot, &exact, PathGrid::FINE);
    eprintln!("density-weighted field error {field_error:.4}");
    assert!(field_error < 0.03, "field error {field_error}");

    // Sampling on the device: 100k samples, 50 Euler steps. The PyTorch re-run of the notebook (as
    // above: PyTorch 2.15, CPU, 10,000 Adam steps, batch 256, lr 1e-3, seeds 42/626, last iterate;
    // then the notebook's `sample(n_samples=100_000, nb_steps=50)`, Euler on linspace(0, 1, 51))
    // measured W1 0.041 and KS 0.039 against the exact mixture CDF; the weight average does better
    // (see below).
    let mut rng = seeded_rng(1);
    let x0: Vec<f32> = (0..100_000)
        .map(|_| StandardNormal.sample(&mut rng))
        .collect();
    let mut euler = DeviceSampler::new(model, Solver::Euler, &x0, 50, &device);
    while !euler.is_finished() {
        euler.advance(10, false);
    }
    let samples: Vec<f64> = pollster::block_on(euler.positions())
        .unwrap()
        .into_iter()
        .map(f64::from)
        .collect();
    let w1 = wasserstein1(&samples, |x| target.cdf(x));
    let ks = ks_statistic(&samples, |x| target.cdf(x));
    eprintln!("100k samples, 50 Euler steps: W1 {w1:.4}, KS {ks:.4}");
    assert!(w1 <= 0.06, "W1 {w1}");
    assert!(ks <= 0.08, "KS {ks}");

    // The figures sample on the CPU snapshot instead: the same 100k points must land in the same
    // places (f32 sums in another order drift by far less than a histogram bin).
    let mut cpu = Sampler::new(snapshot, Solver::Euler, x0, 50, None);
    cpu.advance(50);
    let largest_gap = cpu
        .positions()
        .iter()
        .zip(&samples)
        .map(|(&a, b)| (a as f64 - b).abs())
        .fold(0.0, f64::max);
    assert!(
        largest_gap < 1e-3,
        "snapshot and device samples differ by {largest_gap}"
    );
}

#[test]
fn the_same_seed_trains_the_same_network() {
    let device = Device::flex();
    let config = TrainConfig {
        steps: 20,
        ..TrainConfig::default()
    };
    let run = || {
        let mut trainer = Trainer::new(config, Mixture::tutorial_target(), &device).unwrap();
        trainer.run(20);
        trainer.collect_losses_blocking().unwrap().to_vec()
    };
    assert_eq!(run(), run());
}

#[test]
fn a_huge_learning_rate_is_reported_as_divergence() {
    let device = Device::flex();
    let config = TrainConfig {
        learning_rate: 10.0,
        steps: 300,
        ..TrainConfig::default()
    };
    let mut trainer = Trainer::new(config, Mixture::tutorial_target(), &device).unwrap();
    trainer.run(300);
    let err = trainer.collect_losses_blocking().unwrap_err();
    assert!(matches!(err, TrainError::Diverged { .. }), "{err}");
    assert!(trainer.is_finished());
    assert_eq!(trainer.run(10), 0);
}

#[test]
fn recorded_device_states_follow_the_snapshot_for_every_solver() {
    // A few steps of the untrained network: the device path and the CPU snapshot agree step by step.
    let device = Device::flex();
    let trainer =
        Trainer::new(TrainConfig::default(), Mixture::tutorial_target(), &device).unwrap();
    let weights = trainer.weights_blocking().unwrap();
    let model = VelocityMlp::from_weights(&weights, &device);
    let snapshot = MlpField::new(weights);
    let x0 = [-1.5f32, 0.0, 0.85, 2.0];
    for solver in Solver::ALL {
        let mut sampler = DeviceSampler::new(model.clone(), solver, &x0, 8, &device);
        sampler.advance(8, true);
        let rows = pollster::block_on(sampler.read_recorded()).unwrap();
        assert_eq!(rows.len(), 8);
        let expected = flow_core::integrate_paths(&snapshot, solver, &x0.map(f64::from), 8);
        for (got, want) in rows.iter().zip(&expected[1..]) {
            for (a, b) in got.iter().zip(want) {
                assert!((*a as f64 - b).abs() < 1e-4, "{solver:?}: {a} vs {b}");
            }
        }
    }
}

/// W₁ of 100k samples by 50 Euler steps, from the averaged and from the last weights of a default run.
fn final_w1(target: &Mixture, seed: u64) -> (f64, f64) {
    let device = Device::flex();
    let config = TrainConfig {
        seed,
        ..TrainConfig::default()
    };
    let mut trainer = Trainer::new(config, target.clone(), &device).unwrap();
    while !trainer.is_finished() {
        trainer.run(1000);
        trainer.collect_losses_blocking().unwrap();
    }
    let [averaged, latest] = trainer.networks_blocking().unwrap();
    let w1 = |weights| euler50_w1(MlpField::new(weights), target);
    (w1(averaged), w1(latest))
}

#[test]
fn the_weight_average_samples_well_whatever_the_seed() {
    // The tutorial's recipe (last iterate) gives W₁ from 0.02 to 0.17 depending on the seed; with the
    // average every default run must be within 0.05 (the exact field's own Euler error is 0.020),
    // and the median within 0.04.
    let mut averaged = Vec::new();
    for seed in 1..=5 {
        let (avg, last) = final_w1(&Mixture::tutorial_target(), seed);
        eprintln!("seed {seed}: W1 averaged {avg:.4}, last iterate {last:.4}");
        averaged.push(avg);
    }
    averaged.sort_by(f64::total_cmp);
    assert!(averaged[4] <= 0.05, "worst W1 {}", averaged[4]);
    assert!(averaged[2] <= 0.04, "median W1 {}", averaged[2]);
}

#[test]
fn quality_holds_on_a_target_of_our_own() {
    // Three bumps of different widths, one narrow and off-centre, none of them the tutorial's: the
    // default settings must still sample within 0.02 of what the exact field itself reaches with the
    // same 50 Euler steps from the same noise.
    let target = flow_core::target_text::parse_target("0.3:-1.6:0.35,0.45:0.2:0.5,0.25:1.8:0.2")
        .expect("a valid target");
    let floor = euler50_w1(flow_core::ExactField::new(target.clone()), &target);
    let (averaged, last) = final_w1(&target, 1);
    eprintln!(
        "3-bump target: W1 averaged {averaged:.4}, last iterate {last:.4}, exact-field floor {floor:.4}"
    );
    assert!(averaged <= floor + 0.02, "W1 {averaged} vs floor {floor}");
}
