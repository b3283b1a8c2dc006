//! The whole chain on burn's CPU backend: train the tutorial's configuration for its full 10,000 steps,
//! then sample with it and compare against the exact target and the exact velocity field.

use flow_core::measures::{ks_statistic, wasserstein1};
use flow_core::normal::std_normal_pdf;
use flow_core::{
    EulerSampler, ExactField, Mixture, MlpField, TrainConfig, VelocityField, seeded_rng,
};
use flow_train::{DeviceEuler, TrainError, Trainer};

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
    // The floor is 1.837 (ExactField::loss_floor); the tutorial's PyTorch run, re-run on this kind of
    // machine, ends at 1.845. The mean of 100 batch-256 losses has a standard
    // deviation of about 0.016, so 0.05 leaves room for the network's own error (≈ 0.012) and noise.
    assert!((last - 1.837).abs() < 0.05, "final loss {last}");
    assert!(
        first > last + 0.3,
        "the loss did not fall: {first} → {last}"
    );

    let model = trainer.model();

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

    // Density-weighted field error E[(FM − u)²] over x_t, by quadrature on t and x.
    // The PyTorch re-run of the tutorial measured 0.0117 (1.4 % of E[u²]); we allow 0.03.
    let exact = ExactField::new(target.clone());
    let (mut err, mut mass) = (0.0, 0.0);
    for ti in 0..50 {
        let t = (ti as f64 + 0.5) / 50.0;
        for xi in 0..400 {
            let x = -5.0 + (xi as f64 + 0.5) * 0.025;
            // Density of x_t: a mixture of N(t·μ_k, s_k²(t)).
            let p: f64 = target
                .components()
                .iter()
                .map(|c| {
                    let s = ((1.0 - t).powi(2) + t * t * c.std * c.std).sqrt();
                    c.weight * std_normal_pdf((x - t * c.mean) / s) / s
                })
                .sum();
            err += p * (snapshot.velocity_at(t, x) - exact.at(t, x)).powi(2);
            mass += p;
        }
    }
    let field_error = err / mass;
    eprintln!("density-weighted field error {field_error:.4}");
    assert!(field_error < 0.03, "field error {field_error}");

    // Sampling on the device: 100k samples, 50 Euler steps. The PyTorch re-run of the tutorial measured
    // W1 0.041, KS 0.039.
    // W₁ depends strongly on the seed (0.022–0.165 over seeds 1–11, see TrainConfig::default); the
    // default seed's run measured 0.045 here.
    let mut rng = seeded_rng(1);
    let x0: Vec<f32> = (0..100_000)
        .map(|_| StandardNormal.sample(&mut rng))
        .collect();
    let mut euler = DeviceEuler::new(model, &x0, 50, &device);
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
    let mut cpu = EulerSampler::new(snapshot, x0, 50, None);
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
fn recorded_device_states_follow_the_snapshot() {
    // A few steps of the untrained network: the device path and the CPU snapshot agree step by step.
    let device = Device::flex();
    let trainer =
        Trainer::new(TrainConfig::default(), Mixture::tutorial_target(), &device).unwrap();
    let model = trainer.model();
    let snapshot = MlpField::new(pollster::block_on(model.weights()).unwrap());
    let x0 = [-1.5f32, 0.0, 0.85, 2.0];
    let mut euler = DeviceEuler::new(model, &x0, 8, &device);
    euler.advance(8, true);
    let rows = pollster::block_on(euler.read_recorded()).unwrap();
    assert_eq!(rows.len(), 8);
    let expected =
        flow_core::integrate_paths(&snapshot, flow_core::Solver::Euler, &x0.map(f64::from), 8);
    for (got, want) in rows.iter().zip(&expected[1..]) {
        for (a, b) in got.iter().zip(want) {
            assert!((*a as f64 - b).abs() < 1e-4);
        }
    }
}
