//! The empirical velocity field: the mean of x₁ − x₀ over straight paths, binned on a t × x grid.
//! It needs no network and converges to the exact field as the number of paths grows.

use crate::field::VelocityField;
use crate::paths::{conditional_velocity, interpolate};

/// Summary of one (t, x) bin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BinStats {
    pub count: u32,
    pub mean: f64,
    pub variance: f64,
}

impl BinStats {
    pub fn standard_error(&self) -> f64 {
        (self.variance / self.count as f64).sqrt()
    }
}

#[derive(Debug, Clone)]
pub struct BinnedField {
    times: Vec<f64>,
    lo: f64,
    hi: f64,
    bins: usize,
    counts: Vec<u32>,
    sums: Vec<f64>,
    sums_sq: Vec<f64>,
}

impl BinnedField {
    /// Bins every path at each of `times` into `bins` equal x-bins on [lo, hi]. Points outside the range
    /// go to the edge bins, as numpy's `digitize` on the interior edges does in the tutorial.
    pub fn from_paths(
        x0: &[f64],
        x1: &[f64],
        times: &[f64],
        lo: f64,
        hi: f64,
        bins: usize,
    ) -> Self {
        let cells = times.len() * bins;
        let mut field = Self {
            times: times.to_vec(),
            lo,
            hi,
            bins,
            counts: vec![0; cells],
            sums: vec![0.0; cells],
            sums_sq: vec![0.0; cells],
        };
        for (ti, &t) in times.iter().enumerate() {
            for (&a, &b) in x0.iter().zip(x1) {
                let cell = ti * bins + field.bin_index(interpolate(a, b, t));
                let v = conditional_velocity(a, b);
                field.counts[cell] += 1;
                field.sums[cell] += v;
                field.sums_sq[cell] += v * v;
            }
        }
        field
    }

    pub fn times(&self) -> &[f64] {
        &self.times
    }

    pub fn bins(&self) -> usize {
        self.bins
    }

    fn bin_index(&self, x: f64) -> usize {
        let width = (self.hi - self.lo) / self.bins as f64;
        let i = ((x - self.lo) / width).floor();
        if i.is_nan() || i < 0.0 {
            0
        } else {
            (i as usize).min(self.bins - 1)
        }
    }

    fn time_index(&self, t: f64) -> usize {
        let mut best = 0;
        for (i, &ti) in self.times.iter().enumerate() {
            if (ti - t).abs() < (self.times[best] - t).abs() {
                best = i;
            }
        }
        best
    }

    /// Statistics of bin (time index, x index), or `None` when no path fell in it.
    pub fn bin(&self, time_index: usize, bin_index: usize) -> Option<BinStats> {
        let cell = time_index * self.bins + bin_index;
        let count = self.counts[cell];
        if count == 0 {
            return None;
        }
        let n = count as f64;
        let mean = self.sums[cell] / n;
        let variance = if count > 1 {
            (self.sums_sq[cell] - n * mean * mean).max(0.0) / (n - 1.0)
        } else {
            0.0
        };
        Some(BinStats {
            count,
            mean,
            variance,
        })
    }

    /// Mean velocity per bin, column by column (time-major); empty bins are NaN so that a figure can
    /// leave them blank.
    pub fn means(&self) -> Vec<f64> {
        (0..self.times.len())
            .flat_map(|ti| (0..self.bins).map(move |bi| (ti, bi)))
            .map(|(ti, bi)| self.bin(ti, bi).map_or(f64::NAN, |s| s.mean))
            .collect()
    }
}

impl VelocityField for BinnedField {
    /// Nearest time row, containing x-bin; an empty bin gives 0 so that path lines stop there
    /// rather than turn into NaN.
    fn velocity(&self, t: f64, xs: &[f64], out: &mut [f64]) {
        let ti = self.time_index(t);
        for (o, &x) in out.iter_mut().zip(xs) {
            *o = self.bin(ti, self.bin_index(x)).map_or(0.0, |s| s.mean);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_one_path_by_hand() {
        // One path 0 → 0.6: at t = 0.5 it sits at 0.3, in bin 2 ([0, 0.5)) of [−1, 1] with 4 bins.
        let f = BinnedField::from_paths(&[0.0], &[0.6], &[0.0, 0.5], -1.0, 1.0, 4);
        assert_eq!(f.bin(1, 2).map(|s| s.count), Some(1));
        assert_eq!(f.bin(1, 2).map(|s| s.mean), Some(0.6));
        assert_eq!(f.bin(1, 1), None);
        assert!(f.means()[4 + 1].is_nan());
        assert_eq!(f.velocity_at(0.45, 0.4), 0.6);
        assert_eq!(f.velocity_at(0.5, -0.9), 0.0);
    }

    #[test]
    fn out_of_range_points_go_to_the_edge_bins() {
        let f = BinnedField::from_paths(&[-5.0, 5.0], &[-5.0, 5.0], &[0.0], -1.0, 1.0, 4);
        assert_eq!(f.bin(0, 0).map(|s| s.count), Some(1));
        assert_eq!(f.bin(0, 3).map(|s| s.count), Some(1));
    }
}
