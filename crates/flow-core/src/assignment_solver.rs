//! The exact square linear assignment problem, fast on the page's batches: an ε-scaling auction
//! (Bertsekas) finds near-optimal column prices cheaply, then Jonker and Volgenant's shortest
//! augmenting paths (Computing 38, 1987) finish from those prices exactly. Near-optimal prices make
//! the augmenting paths short, which is where a plain shortest-augmenting-path solver (SciPy's,
//! `lsap`'s) spends its time on these geometric costs: measured ~4× faster than `lsap` natively on
//! 256-point batches (examples/assignment_speed.rs).
//!
//! Prices vⱼ are the dual of the columns; a row's is implicit, uᵢ = minⱼ (cᵢⱼ − vⱼ). The auction
//! leaves every row within ε of its best, which is not enough for the exact phase: it needs every
//! assigned row on a column of least reduced cost cᵢⱼ − vⱼ in its row. So the auction's pairs are
//! dropped, each row takes its least column if no earlier row took it, and the rest are augmented.

const NONE: usize = usize::MAX;

/// The auction's first ε, as a fraction of the cost range: coarse enough that the first round of
/// bids is cheap, fine enough that it already sorts the columns out roughly.
const FIRST_EPSILON: f64 = 0.02;
/// Its last ε, as a fraction of the range: below this, more auction rounds cost more than the
/// augmentations they would save (measured on the presets' 256-point batches, 2026-12-07: 3e-4,
/// 1e-4, 3e-5, 1e-5 gave 1.80, 1.71, 1.67, 1.77 ms natively).
const LAST_EPSILON: f64 = 3e-5;
/// How much finer each round's ε is than the last's.
const EPSILON_STEP: f64 = 4.0;

/// The optimal column of each row of the `n × n` row-major `cost` (every entry finite).
pub fn solve(cost: &[f64], n: usize) -> Vec<usize> {
    assert_eq!(cost.len(), n * n, "a square cost matrix");
    let (lo, hi) = cost
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &c| {
            (lo.min(c), hi.max(c))
        });
    if n == 0 || hi <= lo {
        // Every permutation costs the same.
        return (0..n).collect();
    }
    let mut state = State {
        cost,
        n,
        column_of: vec![NONE; n],
        row_of: vec![NONE; n],
        price: vec![0.0; n],
    };
    state.auction(hi - lo);
    let free = state.take_least_columns();
    let mut search = Search::new(n);
    for row in free {
        state.augment(row, &mut search);
    }
    state.column_of
}

struct State<'a> {
    cost: &'a [f64],
    n: usize,
    /// Row → its column, or NONE.
    column_of: Vec<usize>,
    /// Column → its row, or NONE.
    row_of: Vec<usize>,
    /// The column prices vⱼ.
    price: Vec<f64>,
}

impl<'a> State<'a> {
    fn row(&self, i: usize) -> &'a [f64] {
        &self.cost[i * self.n..(i + 1) * self.n]
    }

    fn assign(&mut self, i: usize, j: usize) {
        self.column_of[i] = j;
        self.row_of[j] = i;
    }

    fn clear(&mut self) {
        self.column_of.fill(NONE);
        self.row_of.fill(NONE);
    }

    /// Prices within the last ε of optimal, by ε-scaling auction (Bertsekas): in each round every
    /// row bids for its best column, lowering its price vⱼ by the margin over the second best plus
    /// ε, and evicts its holder, until every row holds a column; ε > 0 keeps every bid a real raise
    /// even among ties. The prices only guide the exact phase (any prices are a feasible start for
    /// it), which drops these pairs. (An f32 auction, twice the numbers per SIMD register, measured
    /// slower natively.)
    fn auction(&mut self, range: f64) {
        let mut epsilon = FIRST_EPSILON * range;
        let last = LAST_EPSILON * range;
        let mut queue = std::collections::VecDeque::with_capacity(self.n);
        loop {
            self.clear();
            queue.extend(0..self.n);
            while let Some(i) = queue.pop_front() {
                let (first, j, second) = best_two(self.row(i), &self.price);
                let margin = if second.is_finite() {
                    second - first
                } else {
                    0.0
                };
                self.price[j] -= margin + epsilon;
                let evicted = self.row_of[j];
                if evicted != NONE {
                    self.column_of[evicted] = NONE;
                    queue.push_back(evicted);
                }
                self.assign(i, j);
            }
            if epsilon <= last {
                break;
            }
            epsilon = (epsilon / EPSILON_STEP).max(last);
        }
    }

    /// Each row, in order, takes a column of least reduced cost if it is still free; returns the
    /// rows left without one. Every assigned row is then on its least column, as augmenting needs.
    fn take_least_columns(&mut self) -> Vec<usize> {
        self.clear();
        let mut free = Vec::new();
        for i in 0..self.n {
            let (_, j, _) = best_two(self.row(i), &self.price);
            if self.row_of[j] == NONE {
                self.assign(i, j);
            } else {
                free.push(i);
            }
        }
        free
    }

    /// One free row's shortest augmenting path to a free column, by reduced costs (Dijkstra, every
    /// column at the current least distance settled together); then prices move by the settled
    /// distances, which keeps every reduced cost ≥ 0 and the path tight, and the path flips.
    fn augment(&mut self, start: usize, s: &mut Search) {
        let n = self.n;
        let row = self.row(start);
        for (j, (d, (&c, &v))) in s
            .distance
            .iter_mut()
            .zip(row.iter().zip(&self.price))
            .enumerate()
        {
            *d = c - v;
            s.came_from[j] = start;
            s.columns[j] = j;
        }
        // s.columns[..settled] are settled; s.columns[settled..frontier] are at distance `least`,
        // waiting to be scanned; the rest are not reached at the least distance yet.
        let (mut settled, mut frontier) = (0, 0);
        let mut settled_before = 0; // columns[..settled_before] settled below the final distance
        let mut least_distance = 0.0;
        let end = 'search: loop {
            if frontier == settled {
                // Every column at the least distance is scanned: gather those at the next one.
                settled_before = settled;
                least_distance = s.distance[s.columns[frontier]];
                frontier += 1;
                // `frontier` only ever points at or before `k`: a column swapped back to `k` has
                // been looked at already.
                let mut k = frontier;
                while k < n {
                    let j = s.columns[k];
                    let d = s.distance[j];
                    if d <= least_distance {
                        if d < least_distance {
                            frontier = settled;
                            least_distance = d;
                        }
                        s.columns.swap(k, frontier);
                        frontier += 1;
                    }
                    k += 1;
                }
                if let Some(&j) = s.columns[settled..frontier]
                    .iter()
                    .find(|&&j| self.row_of[j] == NONE)
                {
                    break 'search j;
                }
            }
            // Scan one column at the least distance: relax through the row that holds it.
            let j1 = s.columns[settled];
            settled += 1;
            let i = self.row_of[j1];
            let row = self.row(i);
            let offset = row[j1] - self.price[j1] - least_distance;
            let mut k = frontier;
            while k < n {
                let j = s.columns[k];
                let d = row[j] - self.price[j] - offset;
                if d < s.distance[j] {
                    s.distance[j] = d;
                    s.came_from[j] = i;
                    if d == least_distance {
                        if self.row_of[j] == NONE {
                            break 'search j;
                        }
                        s.columns.swap(k, frontier);
                        frontier += 1;
                    }
                }
                k += 1;
            }
        };
        for &j in &s.columns[..settled_before] {
            self.price[j] += s.distance[j] - least_distance;
        }
        let mut j = end;
        loop {
            let i = s.came_from[j];
            let next = self.column_of[i];
            self.assign(i, j);
            if i == start {
                break;
            }
            j = next;
        }
    }
}

/// The least and second least reduced cost cⱼ − vⱼ of a row (∞ for a second of a single column),
/// and the least one's column. One pass keeps eight lanes' least two (no branch, so it
/// vectorises); a second finds the column by the same subtraction, so equality is exact.
fn best_two(row: &[f64], price: &[f64]) -> (f64, usize, f64) {
    let mut first = [f64::INFINITY; LANES];
    let mut second = [f64::INFINITY; LANES];
    let rows = row.chunks_exact(LANES);
    let prices = price.chunks_exact(LANES);
    let (row_rest, price_rest) = (rows.remainder(), prices.remainder());
    for (c, v) in rows.zip(prices) {
        for k in 0..LANES {
            let h = c[k] - v[k];
            second[k] = lesser(second[k], greater(first[k], h));
            first[k] = lesser(first[k], h);
        }
    }
    for (&c, &v) in row_rest.iter().zip(price_rest) {
        let h = c - v;
        second[0] = lesser(second[0], greater(first[0], h));
        first[0] = lesser(first[0], h);
    }
    let (mut least, mut next) = (f64::INFINITY, f64::INFINITY);
    for (&a, &b) in first.iter().zip(&second) {
        next = lesser(lesser(next, b), greater(least, a));
        least = lesser(least, a);
    }
    let column = row
        .iter()
        .zip(price)
        .position(|(&c, &v)| c - v == least)
        .unwrap_or(0);
    (least, column, next)
}

/// Independent running minima per pass: enough that no comparison waits on the previous one.
const LANES: usize = 8;

/// The scratch of one augmentation, kept across rows.
struct Search {
    distance: Vec<f64>,
    came_from: Vec<usize>,
    columns: Vec<usize>,
}

impl Search {
    fn new(n: usize) -> Self {
        Self {
            distance: vec![0.0; n],
            came_from: vec![0; n],
            columns: vec![0; n],
        }
    }
}

/// The lesser of two finite numbers (or ∞), as one compare-and-select: `f64::min`'s NaN rule
/// would cost a second instruction per lane in wasm.
fn lesser(a: f64, b: f64) -> f64 {
    if a < b { a } else { b }
}

fn greater(a: f64, b: f64) -> f64 {
    if a > b { a } else { b }
}
