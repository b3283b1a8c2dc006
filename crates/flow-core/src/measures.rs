//! Summaries of samples: histograms, path densities, and distances to a target CDF.

/// Histogram counts of `xs` in `bins` equal bins on [lo, hi]; values outside are dropped (numpy's rule,
/// with the right edge included in the last bin).
pub fn histogram(xs: &[f64], lo: f64, hi: f64, bins: usize) -> Vec<u32> {
    let mut counts = vec![0u32; bins];
    let width = (hi - lo) / bins as f64;
    for &x in xs {
        if x >= lo && x <= hi {
            let i = (((x - lo) / width) as usize).min(bins - 1);
            counts[i] += 1;
        }
    }
    counts
}

/// Histogram normalised to a density over the counted values: bar areas sum to one.
pub fn density_histogram(xs: &[f64], lo: f64, hi: f64, bins: usize) -> Vec<f64> {
    let counts = histogram(xs, lo, hi, bins);
    let total: u32 = counts.iter().sum();
    let width = (hi - lo) / bins as f64;
    let scale = if total == 0 {
        0.0
    } else {
        1.0 / (total as f64 * width)
    };
    counts.iter().map(|&c| c as f64 * scale).collect()
}

/// Wasserstein-1 distance between the empirical distribution of `samples` and a continuous CDF:
/// W₁ = ∫ |Fₙ(x) − F(x)| dx, integrated exactly for Fₙ and by the midpoint rule for F between
/// consecutive samples, plus the two tails.
pub fn wasserstein1(samples: &[f64], cdf: impl Fn(f64) -> f64) -> f64 {
    let mut xs: Vec<f64> = samples.iter().copied().filter(|x| x.is_finite()).collect();
    if xs.is_empty() {
        return f64::NAN;
    }
    xs.sort_by(f64::total_cmp);
    let n = xs.len() as f64;
    let tail = |a: f64, b: f64, f: &dyn Fn(f64) -> f64| {
        let steps = 2000;
        let h = (b - a) / steps as f64;
        (0..steps).map(|i| f(a + (i as f64 + 0.5) * h)).sum::<f64>() * h
    };
    let first = xs[0];
    let last = xs[xs.len() - 1];
    let mut total =
        tail(first - 40.0, first, &|x| cdf(x)) + tail(last, last + 40.0, &|x| 1.0 - cdf(x));
    for (i, pair) in xs.windows(2).enumerate() {
        let (a, b) = (pair[0], pair[1]);
        if b > a {
            let empirical = (i + 1) as f64 / n;
            total += (empirical - cdf(0.5 * (a + b))).abs() * (b - a);
        }
    }
    total
}

/// Kolmogorov–Smirnov statistic sup |Fₙ − F|, checked on both sides of every jump of Fₙ.
pub fn ks_statistic(samples: &[f64], cdf: impl Fn(f64) -> f64) -> f64 {
    let mut xs = samples.to_vec();
    xs.sort_by(f64::total_cmp);
    let n = xs.len() as f64;
    xs.iter()
        .enumerate()
        .map(|(i, &x)| {
            let f = cdf(x);
            ((i + 1) as f64 / n - f).max(f - i as f64 / n)
        })
        .fold(0.0, f64::max)
}

/// W₁ between the distribution whose quantiles at (i + ½)/n are `points` (sorted here) and one with
/// quantile function `quantile`: W₁ = ∫₀¹ |F⁻¹(u) − G⁻¹(u)| du by the midpoint rule. A 1-D flow is
/// monotone, so the noise quantiles carried to t = 1 are such points: the distance then has no
/// sampling noise, only the quadrature's error (which [`wasserstein1`] of the same n points would add
/// as the gap between a staircase and a continuous CDF, about the mean spacing over four).
pub fn wasserstein1_of_quantiles(points: &[f64], quantile: impl Fn(f64) -> f64) -> f64 {
    let mut xs = points.to_vec();
    xs.sort_by(f64::total_cmp);
    let n = xs.len() as f64;
    xs.iter()
        .enumerate()
        .map(|(i, &x)| (x - quantile((i as f64 + 0.5) / n)).abs())
        .sum::<f64>()
        / n
}

/// KS between the distribution whose quantiles at (i + ½)/n are `points` and a CDF: the largest
/// |u − F(x)| at those points (between them the two CDFs can part by at most another 1/(2n)).
pub fn ks_of_quantiles(points: &[f64], cdf: impl Fn(f64) -> f64) -> f64 {
    let mut xs = points.to_vec();
    xs.sort_by(f64::total_cmp);
    let n = xs.len() as f64;
    xs.iter()
        .enumerate()
        .map(|(i, &x)| ((i as f64 + 0.5) / n - cdf(x)).abs())
        .fold(0.0, f64::max)
}

/// Trailing moving average over full windows only (numpy's `convolve(..., mode="valid")`):
/// element i averages `values[i .. i + window]`, so it belongs at index `i + window − 1`.
pub fn moving_average(values: &[f64], window: usize) -> Vec<f64> {
    if window == 0 || values.len() < window {
        return vec![];
    }
    let mut out = Vec::with_capacity(values.len() - window + 1);
    let mut sum: f64 = values[..window].iter().sum();
    out.push(sum / window as f64);
    for i in window..values.len() {
        sum += values[i] - values[i - window];
        out.push(sum / window as f64);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::quantile_points;
    use crate::mixture::Mixture;
    use crate::normal::std_normal_cdf;
    use crate::seeded_rng;

    #[test]
    fn histogram_follows_numpys_edges() {
        assert_eq!(
            histogram(&[-1.0, -0.5, 0.0, 0.99, 1.0, 1.5], -1.0, 1.0, 2),
            vec![2, 3]
        );
        let d = density_histogram(&[0.1, 0.2, 0.6], 0.0, 1.0, 2);
        assert!((d.iter().sum::<f64>() * 0.5 - 1.0).abs() < 1e-12);
    }

    #[test]
    fn distances_of_quantile_points_have_their_closed_forms() {
        // N(0, s²) against N(0, 1): the quantile maps differ by (s − 1)·z, so W₁ = |s − 1|·E|Z| =
        // |s − 1|·√(2/π), and KS = max over x of |Φ(x/s) − Φ(x)|, attained at x² = 2 ln s·s²/(s² − 1).
        let normal = Mixture::standard_normal();
        let s: f64 = 1.3;
        let scaled: Vec<f64> = quantile_points(&normal, 1_000)
            .iter()
            .map(|z| s * z)
            .collect();
        let w = wasserstein1_of_quantiles(&scaled, |u| normal.quantile(u));
        let exact = (s - 1.0) * (2.0 / std::f64::consts::PI).sqrt();
        // The midpoint rule on 1,000 quantiles misses only the far tails: well under 1e-3.
        assert!((w - exact).abs() < 1e-3, "W1 {w} vs {exact}");
        let x = (2.0 * s.ln() * s * s / (s * s - 1.0)).sqrt();
        let ks_exact = std_normal_cdf(x) - std_normal_cdf(x / s);
        let ks = ks_of_quantiles(&scaled, std_normal_cdf);
        assert!(
            ks <= ks_exact + 1e-12 && ks > ks_exact - 1e-3,
            "KS {ks} vs {ks_exact}"
        );
        // A distribution's own quantiles are at distance ~0, far below what the staircase of the same
        // points gives against the continuous CDF.
        let target = Mixture::tutorial_target();
        let own = quantile_points(&target, 1_000);
        let w0 = wasserstein1_of_quantiles(&own, |u| target.quantile(u));
        let staircase = wasserstein1(&own, |x| target.cdf(x));
        assert!(w0 < 1e-9 && staircase > 1e-4, "{w0} vs {staircase}");
        assert!(ks_of_quantiles(&own, |x| target.cdf(x)) < 1e-9);
        // A shift moves W₁ by exactly the shift.
        let shifted: Vec<f64> = own.iter().map(|x| x - 0.25).collect();
        let ws = wasserstein1_of_quantiles(&shifted, |u| target.quantile(u));
        assert!((ws - 0.25).abs() < 1e-9, "{ws}");
    }

    #[test]
    fn wasserstein_of_exact_samples_is_small_and_of_shifted_ones_is_the_shift() {
        let target = Mixture::tutorial_target();
        let samples = target.sample(&mut seeded_rng(5), 100_000);
        let w = wasserstein1(&samples, |x| target.cdf(x));
        // W₁ of 100k exact samples is sampling noise alone: 0.0037 in the project's PyTorch re-run of the
        // tutorial (100k draws of its two-Gaussian target against the exact mixture CDF), and of that
        // order for any seed.
        assert!(w < 0.01, "W1 = {w}");
        // Shifting every sample by 0.3 moves W₁ to about 0.3 (a pure translation).
        let shifted: Vec<f64> = samples.iter().map(|x| x + 0.3).collect();
        let ws = wasserstein1(&shifted, |x| target.cdf(x));
        assert!((ws - 0.3).abs() < 0.01, "W1 = {ws}");
    }

    #[test]
    fn ks_detects_the_wrong_distribution() {
        let noise: Vec<f64> = Mixture::standard_normal().sample(&mut seeded_rng(2), 20_000);
        // Right distribution: KS ≈ 0.87/√n at the median of its law; 1.95/√n is its 99.9 % quantile.
        assert!(ks_statistic(&noise, std_normal_cdf) < 1.95 / (20_000f64).sqrt());
        let target = Mixture::tutorial_target();
        assert!(ks_statistic(&noise, |x| target.cdf(x)) > 0.1);
    }

    #[test]
    fn moving_average_keeps_full_windows_only() {
        assert_eq!(
            moving_average(&[1.0, 2.0, 3.0, 4.0], 2),
            vec![1.5, 2.5, 3.5]
        );
        assert!(moving_average(&[1.0], 2).is_empty());
    }
}
