//! The exact assignment of a training batch, natively: flow-core's solver (auction prices, then Jonker–Volgenant's augmenting paths: what the page runs)
//! against the `lsap` crate on the same matrices, in the same run. Prints ms per assignment; the
//! page's figures (wasm, in Chromium) are tests/browser/bench.mjs's.
//!
//! cargo run -p flow-core --release --example assignment_speed

use std::time::Instant;

use flow_core::assignment::{lsap_assignment, optimal_assignment, squared_distances};
use flow_core::plane::target::{Preset, plane_noise};
use flow_core::seeded_rng;

fn main() {
    for n in [256usize, 1000] {
        for preset in [
            Preset::Eight,
            Preset::Moons,
            Preset::Checkerboard,
            Preset::Rings,
        ] {
            let mut rng = seeded_rng(7);
            let batches: Vec<Vec<f64>> = (0..if n == 256 { 200 } else { 5 })
                .map(|_| {
                    let x0 = plane_noise(&mut rng, n);
                    let x1 = preset.target().sample(&mut rng, n);
                    squared_distances(&x0, &x1)
                })
                .collect();
            let time = |solve: fn(&[f64], usize) -> Vec<usize>| {
                let started = Instant::now();
                let mut checksum = 0;
                for cost in &batches {
                    checksum += solve(cost, n)[0];
                }
                std::hint::black_box(checksum);
                started.elapsed().as_secs_f64() * 1e3 / batches.len() as f64
            };
            let (ours, lsap) = (time(optimal_assignment), time(lsap_assignment));
            println!(
                "n = {n:4} {:>12}: ours {ours:6.2} ms, lsap {lsap:6.2} ms ({:.1}×)",
                preset.name(),
                lsap / ours
            );
        }
    }
}
