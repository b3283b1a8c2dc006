//! The minibatch-OT pairs of a training run in the plane, batch after batch, from a generator of
//! their own. Pairing is the costly part of an OT step (an exact assignment a batch), and a stream
//! that depends on nothing but the run's seed can be computed ahead on another thread (the page's
//! pairing worker) and handed to the trainer in order: the run is the same whichever thread paired
//! its batches, and a trainer whose supplier fails resumes the stream itself where it stopped.

use std::collections::VecDeque;

use rand::rngs::StdRng;

use crate::coupling::Coupling;
use crate::plane::batches::plane_pairs;
use crate::plane::target::{PlaneTarget, plane_noise};
use crate::seeded_rng;

/// Mixed into a run's seed for its pair stream, so that the pairs never replay the draws of the
/// network's start or of the batches' times, which come from the run's own generator.
const PAIR_SEED_SALT: u64 = 0x075E_ED0F_9A12;

/// A run's stream of OT-paired batches: (x₀, x₁) interleaved, `size` pairs each.
pub struct PairStream {
    target: PlaneTarget,
    rng: StdRng,
    size: usize,
}

impl PairStream {
    /// The stream of a run of seed `seed` and batch `size` on `target`.
    pub fn new(target: PlaneTarget, seed: u64, size: usize) -> Self {
        Self {
            target,
            rng: seeded_rng(seed ^ PAIR_SEED_SALT),
            size,
        }
    }

    pub fn size(&self) -> usize {
        self.size
    }

    /// The next batch's pairs, by exact assignment.
    pub fn next_pairs(&mut self) -> (Vec<f64>, Vec<f64>) {
        plane_pairs(&self.target, &mut self.rng, self.size, Coupling::Ot)
    }

    /// Passes over `batches` batches without pairing them: their draws only, which is cheap.
    pub fn skip(&mut self, batches: usize) {
        for _ in 0..batches {
            plane_noise(&mut self.rng, self.size);
            self.target.sample(&mut self.rng, self.size);
        }
    }
}

/// Where a run's paired batches come from: paired here when needed, or handed in ahead by another
/// thread in the stream's order.
pub struct PairSupply {
    stream: PairStream,
    /// Batches handed in and not yet taken, in order.
    queue: VecDeque<(Vec<f64>, Vec<f64>)>,
    /// Whether the next batches come from outside.
    outside: bool,
    /// Batches handed in that `stream` has not drawn past yet (it catches up when needed).
    behind: usize,
}

/// A batch handed in that is not one of the stream's.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("pairs: a batch of {got} numbers, where the run's batches have {want} (x₀ then x₁)")]
pub struct WrongPairs {
    pub got: usize,
    pub want: usize,
}

impl PairSupply {
    /// Paired here, batch after batch.
    pub fn inline(stream: PairStream) -> Self {
        Self {
            stream,
            queue: VecDeque::new(),
            outside: false,
            behind: 0,
        }
    }

    /// The next batch's pairs; `None` when they come from outside and none has arrived yet.
    pub fn next_pairs(&mut self) -> Option<(Vec<f64>, Vec<f64>)> {
        if let Some(pairs) = self.queue.pop_front() {
            return Some(pairs);
        }
        if self.outside {
            return None;
        }
        self.stream.skip(std::mem::take(&mut self.behind));
        Some(self.stream.next_pairs())
    }

    /// From the next batch on, the pairs come from outside: the supplier's stream must start
    /// where this one stands (for a run, before its first batch).
    pub fn take_from_outside(&mut self) {
        self.outside = true;
    }

    /// Pairs here again: what was handed in is used first, then the stream goes on after it.
    pub fn pair_inline(&mut self) {
        self.outside = false;
    }

    /// One batch of 4 × size numbers, x₀ then x₁ (interleaved points), from the supplier.
    pub fn feed(&mut self, numbers: &[f64]) -> Result<(), WrongPairs> {
        let want = 4 * self.stream.size();
        if numbers.len() != want {
            return Err(WrongPairs {
                got: numbers.len(),
                want,
            });
        }
        let (x0, x1) = numbers.split_at(want / 2);
        self.queue.push_back((x0.to_vec(), x1.to_vec()));
        self.behind += 1;
        Ok(())
    }

    /// From outside, and nothing handed in waits to be taken.
    pub fn is_waiting(&self) -> bool {
        self.outside && self.queue.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plane::target::Preset;

    fn flat((x0, x1): (Vec<f64>, Vec<f64>)) -> Vec<f64> {
        x0.into_iter().chain(x1).collect()
    }

    #[test]
    fn fed_then_inline_is_the_stream_itself() {
        let target = Preset::Moons.target();
        let mut reference = PairStream::new(target.clone(), 3, 32);
        let expected: Vec<Vec<f64>> = (0..7).map(|_| flat(reference.next_pairs())).collect();
        // A supplier hands in batches 0..4; the trainer takes 3, then the supplier stops.
        let mut supplier = PairStream::new(target.clone(), 3, 32);
        let mut supply = PairSupply::inline(PairStream::new(target, 3, 32));
        supply.take_from_outside();
        assert!(supply.is_waiting() && supply.next_pairs().is_none());
        for _ in 0..4 {
            supply.feed(&flat(supplier.next_pairs())).unwrap();
        }
        let mut got: Vec<Vec<f64>> = (0..3).map(|_| flat(supply.next_pairs().unwrap())).collect();
        supply.pair_inline();
        got.extend((0..4).map(|_| flat(supply.next_pairs().unwrap())));
        assert_eq!(got, expected);
        assert_eq!(
            supply.feed(&[0.0; 5]),
            Err(WrongPairs { got: 5, want: 128 })
        );
    }
}
