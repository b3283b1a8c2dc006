//! The one matrix product the CPU trainer needs, C += A·B, blocked so that LLVM emits SIMD (wasm
//! simd128 in the page, SSE natively) without intrinsics.
//!
//! B and C are row-major. A is read through strides, so that the same code multiplies by A or by its
//! transpose without copying it: entry (i, k) of A is `a[i·row_stride + k·col_stride]`. The body of
//! the product runs on blocks of [`ROWS`] × `COLS` of C held in registers while the whole inner
//! dimension streams past; the few columns left over (an output layer of one or two units, a width
//! that is not a multiple of the block) take a path that vectorises along whichever of A's
//! dimensions is contiguous.
//!
//! Natively on x86-64 the same code is compiled a second time with AVX2 and FMA enabled and chosen
//! at run time where the processor has them (twice the lanes, and a fused multiply-add): a native
//! build targets the baseline x86-64, which has neither, while burn's matrix products (the
//! reference we are measured against) select AVX2 the same way. The page's wasm has one version.

/// Rows of C per block: each row reuses every vector of B it loads.
const ROWS: usize = 4;
/// Columns of C per block, portable: two 128-bit vectors of f32. 4 × 8 accumulators plus the B row
/// fit in the 16 vector registers of SSE and of wasm engines on x86.
const COLS: usize = 8;
/// Columns of C per block with AVX2: two 256-bit vectors, so that eight independent accumulators
/// cover the latency of the fused multiply-add.
#[cfg(target_arch = "x86_64")]
const WIDE_COLS: usize = 16;
/// Lanes of the leftover paths' accumulators.
const LANES: usize = 8;

/// acc + a·b, fused (one rounding) where `FMA` says the processor has the instruction; elsewhere
/// `mul_add` would be a slow library call.
#[inline(always)]
fn madd<const FMA: bool>(acc: f32, a: f32, b: f32) -> f32 {
    if FMA { a.mul_add(b, acc) } else { acc + a * b }
}

/// How A is laid out: entry (i, k) is `a[i·row_stride + k·col_stride]`.
#[derive(Debug, Clone, Copy)]
pub struct Strides {
    pub row: usize,
    pub col: usize,
}

impl Strides {
    /// A row-major `[m, k]` matrix.
    pub const fn rows(k: usize) -> Self {
        Self { row: k, col: 1 }
    }

    /// The transpose of a row-major `[k, m]` matrix, read as `[m, k]`.
    pub const fn transposed(m: usize) -> Self {
        Self { row: 1, col: m }
    }
}

/// C `[m, n]` += A `[m, k]` · B `[k, n]`.
pub fn gemm_acc(
    c: &mut [f32],
    a: &[f32],
    strides: Strides,
    b: &[f32],
    (m, k, n): (usize, usize, usize),
) {
    assert!(c.len() >= m * n && b.len() >= k * n, "matrix sizes");
    if m == 0 || n == 0 || k == 0 {
        return;
    }
    assert!(
        a.len() > (m - 1) * strides.row + (k - 1) * strides.col,
        "A is smaller than its strides say"
    );
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
        // SAFETY: the processor has both features, just checked.
        unsafe { gemm_avx2(c, a, strides, b, (m, k, n)) };
        return;
    }
    gemm_body::<false, COLS>(c, a, strides, b, (m, k, n));
}

/// The portable version of [`gemm_acc`] whatever the processor has (the tests compare both).
#[cfg(test)]
fn gemm_acc_portable(c: &mut [f32], a: &[f32], s: Strides, b: &[f32], dims: (usize, usize, usize)) {
    gemm_body::<false, COLS>(c, a, s, b, dims);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn gemm_avx2(c: &mut [f32], a: &[f32], s: Strides, b: &[f32], dims: (usize, usize, usize)) {
    gemm_body::<true, WIDE_COLS>(c, a, s, b, dims);
}

/// The product, its sizes checked by the caller.
#[inline(always)]
fn gemm_body<const FMA: bool, const C: usize>(
    c: &mut [f32],
    a: &[f32],
    strides: Strides,
    b: &[f32],
    (m, k, n): (usize, usize, usize),
) {
    let body = n / C * C;
    if body > 0 {
        let mut i = 0;
        while i + ROWS <= m {
            block::<FMA, ROWS, C>(c, a, strides, b, i, k, n, body);
            i += ROWS;
        }
        while i < m {
            block::<FMA, 1, C>(c, a, strides, b, i, k, n, body);
            i += 1;
        }
    }
    for j in body..n {
        leftover_column::<FMA>(c, a, strides, b, (m, k, n), j);
    }
}

/// Rows `i..i + R` of C, columns `0..body` (a multiple of C).
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn block<const FMA: bool, const R: usize, const C: usize>(
    c: &mut [f32],
    a: &[f32],
    s: Strides,
    b: &[f32],
    i: usize,
    k: usize,
    n: usize,
    body: usize,
) {
    for j0 in (0..body).step_by(C) {
        let mut acc = [[0.0f32; C]; R];
        for (r, row) in acc.iter_mut().enumerate() {
            row.copy_from_slice(&c[(i + r) * n + j0..][..C]);
        }
        for kk in 0..k {
            let brow: &[f32; C] = b[kk * n + j0..][..C].try_into().expect("C wide");
            for (r, row) in acc.iter_mut().enumerate() {
                let av = a[(i + r) * s.row + kk * s.col];
                for (x, &bv) in row.iter_mut().zip(brow) {
                    *x = madd::<FMA>(*x, av, bv);
                }
            }
        }
        for (r, row) in acc.iter().enumerate() {
            c[(i + r) * n + j0..][..C].copy_from_slice(row);
        }
    }
}

/// Column `j` of C alone, vectorised along A's contiguous dimension.
#[inline(always)]
fn leftover_column<const FMA: bool>(
    c: &mut [f32],
    a: &[f32],
    s: Strides,
    b: &[f32],
    (m, k, n): (usize, usize, usize),
    j: usize,
) {
    if s.col == 1 {
        // Each row of A is contiguous: a dot product per row, against B's column gathered once.
        let column: Vec<f32> = (0..k).map(|kk| b[kk * n + j]).collect();
        for i in 0..m {
            c[i * n + j] += dot_with::<FMA>(&a[i * s.row..][..k], &column);
        }
    } else if s.row == 1 {
        // Each column of A is contiguous: LANES rows at a time, B's entry broadcast.
        let mut i = 0;
        while i + LANES <= m {
            let mut acc = [0.0f32; LANES];
            for kk in 0..k {
                let bv = b[kk * n + j];
                let col: &[f32; LANES] = a[i + kk * s.col..][..LANES].try_into().expect("LANES");
                for (x, &av) in acc.iter_mut().zip(col) {
                    *x = madd::<FMA>(*x, av, bv);
                }
            }
            for (r, x) in acc.iter().enumerate() {
                c[(i + r) * n + j] += x;
            }
            i += LANES;
        }
        for i in i..m {
            c[i * n + j] += (0..k)
                .map(|kk| a[i + kk * s.col] * b[kk * n + j])
                .sum::<f32>();
        }
    } else {
        for i in 0..m {
            c[i * n + j] += (0..k)
                .map(|kk| a[i * s.row + kk * s.col] * b[kk * n + j])
                .sum::<f32>();
        }
    }
}

/// Σ xᵢ·yᵢ, in LANES partial sums (which is what lets it vectorise).
pub fn dot(x: &[f32], y: &[f32]) -> f32 {
    dot_with::<false>(x, y)
}

#[inline(always)]
fn dot_with<const FMA: bool>(x: &[f32], y: &[f32]) -> f32 {
    let mut acc = [0.0f32; LANES];
    let (xs, x_rest) = x.split_at(x.len() / LANES * LANES);
    let (ys, y_rest) = y[..x.len()].split_at(xs.len());
    for (xc, yc) in xs.chunks_exact(LANES).zip(ys.chunks_exact(LANES)) {
        for ((a, &p), &q) in acc.iter_mut().zip(xc).zip(yc) {
            *a = madd::<FMA>(*a, p, q);
        }
    }
    let tail: f32 = x_rest.iter().zip(y_rest).map(|(p, q)| p * q).sum();
    acc.iter().sum::<f32>() + tail
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seeded_rng;
    use rand::RngExt;

    fn naive(a: &[f32], s: Strides, b: &[f32], (m, k, n): (usize, usize, usize)) -> Vec<f64> {
        let mut c = vec![0.0f64; m * n];
        for i in 0..m {
            for j in 0..n {
                for kk in 0..k {
                    c[i * n + j] += f64::from(a[i * s.row + kk * s.col]) * f64::from(b[kk * n + j]);
                }
            }
        }
        c
    }

    #[test]
    fn the_blocked_product_is_the_product_for_every_shape_and_layout() {
        let mut rng = seeded_rng(9);
        let mut random =
            |len: usize| -> Vec<f32> { (0..len).map(|_| rng.random_range(-1.0..1.0)).collect() };
        // Sizes on and off the blocks, the trainer's own (an input layer of 2, an output of 1 or
        // 2, widths 64 and 256), and degenerate ones.
        let shapes = [
            (256, 2, 64),
            (256, 64, 64),
            (256, 64, 1),
            (64, 256, 1),
            (3, 256, 2),
            (7, 5, 9),
            (1, 1, 1),
            (13, 17, 24),
            (4, 3, 256),
            (9, 33, 3),
            (5, 7, 40),
            (6, 64, 17),
        ];
        for (m, k, n) in shapes {
            for transposed in [false, true] {
                let a = random(m * k);
                let s = if transposed {
                    Strides::transposed(m)
                } else {
                    Strides::rows(k)
                };
                let b = random(k * n);
                let start = random(m * n);
                let want = naive(&a, s, &b, (m, k, n));
                let mut fast = start.clone();
                gemm_acc(&mut fast, &a, s, &b, (m, k, n));
                let mut portable = start.clone();
                gemm_acc_portable(&mut portable, &a, s, &b, (m, k, n));
                for (version, c) in [("chosen", fast), ("portable", portable)] {
                    for (idx, (&got, &w)) in c.iter().zip(&want).enumerate() {
                        let w = w + f64::from(start[idx]);
                        assert!(
                            (f64::from(got) - w).abs() < 1e-4 * (1.0 + k as f64).sqrt(),
                            "{version} {m}×{k}×{n} transposed {transposed} at {idx}: {got} vs {w}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn dot_matches_the_plain_sum() {
        let x: Vec<f32> = (0..37).map(|i| i as f32 * 0.5).collect();
        let y: Vec<f32> = (0..37).map(|i| 1.0 - i as f32 * 0.1).collect();
        let want: f32 = x.iter().zip(&y).map(|(a, b)| a * b).sum();
        assert!((dot(&x, &y) - want).abs() < 1e-3);
    }
}
