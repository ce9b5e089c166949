//! Small-cell suppression with complementary suppression, as pure
//! functions over a table *with its margins*: `values[i][j]` for the
//! cells, the last column the row totals, the last row the column totals,
//! the bottom-right entry the grand total. Every row and every column
//! (the margins included) is a *line*: its entries before the last sum to
//! the last. Those line equations are all a reader can use to work out a
//! hidden entry, so an entry is safe when no combination of them pins it.
//!
//! Think of the lines as vertices and the hidden entries as edges between
//! their row line and their column line: an entry is determined by the
//! published ones exactly when its edge is a bridge of that graph (on no
//! cycle). [`suppress_table`] hides more entries until no hidden edge is a
//! bridge; [`derivable`] checks the result independently, by exact linear
//! algebra over the published table alone.

/// Counts from 1 to `THRESHOLD - 1` are hidden. A zero is published: it
/// discloses no person, and hiding every zero would blank sparse tables.
pub const THRESHOLD: i64 = 5;

/// Which entries are hidden, in the shape of the table with margins.
pub type Mask = Vec<Vec<bool>>;

/// True for a count that must be hidden on its own (primary suppression).
pub fn primary(v: i64) -> bool {
    v > 0 && v < THRESHOLD
}

/// `cells` (rows of `columns` counts) with their margins appended.
pub fn with_margins(cells: &[Vec<i64>], columns: usize) -> Vec<Vec<i64>> {
    let mut out: Vec<Vec<i64>> = cells
        .iter()
        .map(|r| {
            let mut line = r.clone();
            line.push(r.iter().sum());
            line
        })
        .collect();
    let totals: Vec<i64> = (0..=columns)
        .map(|j| out.iter().map(|r| r[j]).sum())
        .collect();
    out.push(totals);
    out
}

/// Suppresses one line: cells and, last, their total. Primary cells are
/// hidden; a line left with a single hidden entry hides one more (the
/// smallest non-zero cell, else the total) so it cannot be subtracted out.
pub fn suppress_line(values: &[i64]) -> Vec<bool> {
    let mut mask: Vec<bool> = values.iter().map(|v| primary(*v)).collect();
    if mask.iter().filter(|m| **m).count() == 1 {
        let last = values.len().saturating_sub(1);
        let pick = (0..last)
            .filter(|j| !mask[*j])
            .min_by_key(|j| (values[*j] == 0, values[*j]))
            .filter(|j| values[*j] != 0)
            .or((!mask[last]).then_some(last));
        if let Some(j) = pick {
            mask[j] = true;
        }
    }
    mask
}

/// Suppresses a table with margins whose last row (the column totals and
/// grand total, shared by every table of a figure) is already decided by
/// `totals_row` (see [`suppress_line`]) and is not changed here. Primary
/// entries are hidden, then more entries until no hidden entry can be
/// worked out from the published ones.
pub fn suppress_table(values: &[Vec<i64>], totals_row: &[bool]) -> Mask {
    let last_row = values.len().saturating_sub(1);
    let mut mask: Mask = values
        .iter()
        .enumerate()
        .map(|(i, row)| {
            if i == last_row {
                totals_row.to_vec()
            } else {
                row.iter().map(|v| primary(*v)).collect()
            }
        })
        .collect();
    while let Some((i, j)) = bridges(&mask).first().copied() {
        let pick = complement_for(values, &mask, i, j);
        match pick {
            Some((a, b)) => mask[a][b] = true,
            // Nothing left to hide: cannot happen (with every free entry
            // hidden no hidden entry is a bridge), but never loop forever.
            None => break,
        }
    }
    mask
}

/// The entry to hide so that hidden entry `(i, j)` stops being alone: in
/// its row line first, then its column line, then anywhere.
fn complement_for(values: &[Vec<i64>], mask: &Mask, i: usize, j: usize) -> Option<(usize, usize)> {
    let rows = values.len();
    let cols = values.first().map_or(0, Vec::len);
    let fixed = |a: usize, _: usize| a + 1 == rows;
    let row_line: Vec<(usize, usize)> = (0..cols).map(|b| (i, b)).collect();
    let col_line: Vec<(usize, usize)> = (0..rows).map(|a| (a, j)).collect();
    let everywhere: Vec<(usize, usize)> = (0..rows)
        .flat_map(|a| (0..cols).map(move |b| (a, b)))
        .collect();
    candidate(values, mask, &row_line, fixed)
        .or_else(|| candidate(values, mask, &col_line, fixed))
        .or_else(|| candidate(values, mask, &everywhere, fixed))
}

/// Among `entries`, the published, not `fixed` one to hide next: the
/// smallest non-zero cell, then the smallest non-zero total, then a zero;
/// ties go to the first by position.
fn candidate(
    values: &[Vec<i64>],
    mask: &[Vec<bool>],
    entries: &[(usize, usize)],
    fixed: impl Fn(usize, usize) -> bool,
) -> Option<(usize, usize)> {
    let rows = values.len();
    let cols = values.first().map_or(0, Vec::len);
    entries
        .iter()
        .copied()
        .filter(|&(a, b)| !mask[a][b] && !fixed(a, b))
        .min_by_key(|&(a, b)| {
            let v = values[a][b];
            let total = a + 1 == rows || b + 1 == cols;
            (v == 0, total, v)
        })
}

/// The hidden entries that are bridges of the line graph (each determined
/// by the published entries), in position order.
pub fn bridges(mask: &Mask) -> Vec<(usize, usize)> {
    let rows = mask.len();
    let edges: Vec<(usize, usize)> = mask
        .iter()
        .enumerate()
        .flat_map(|(i, r)| {
            r.iter()
                .enumerate()
                .filter(|(_, m)| **m)
                .map(move |(j, _)| (i, j))
        })
        .collect();
    let cols = mask.first().map_or(0, Vec::len);
    let mut graph = Graph::new(rows + cols);
    for (e, &(i, j)) in edges.iter().enumerate() {
        graph.adj[i].push((rows + j, e));
        graph.adj[rows + j].push((i, e));
    }
    for v in 0..rows + cols {
        if graph.order[v] == 0 {
            graph.visit(v, usize::MAX);
        }
    }
    let mut found: Vec<(usize, usize)> = graph.bridges.iter().map(|e| edges[*e]).collect();
    found.sort_unstable();
    found
}

/// Tarjan's bridge finding over the line graph.
struct Graph {
    adj: Vec<Vec<(usize, usize)>>,
    order: Vec<usize>,
    low: Vec<usize>,
    clock: usize,
    bridges: Vec<usize>,
}

impl Graph {
    fn new(n: usize) -> Self {
        Graph {
            adj: vec![Vec::new(); n],
            order: vec![0; n],
            low: vec![0; n],
            clock: 0,
            bridges: Vec::new(),
        }
    }

    /// Depth-first from `v`, reached by edge `via`. Depth is bounded by
    /// the number of lines (a few hundred at most).
    fn visit(&mut self, v: usize, via: usize) {
        self.clock += 1;
        self.order[v] = self.clock;
        self.low[v] = self.clock;
        for k in 0..self.adj[v].len() {
            let (w, e) = self.adj[v][k];
            if e == via {
                continue;
            }
            if self.order[w] == 0 {
                self.visit(w, e);
                self.low[v] = self.low[v].min(self.low[w]);
                if self.low[w] > self.order[v] {
                    self.bridges.push(e);
                }
            } else {
                self.low[v] = self.low[v].min(self.order[w]);
            }
        }
    }
}

/// Applies a mask: `None` where hidden.
pub fn publish(values: &[Vec<i64>], mask: &Mask) -> Vec<Vec<Option<i64>>> {
    values
        .iter()
        .zip(mask)
        .map(|(r, m)| {
            r.iter()
                .zip(m)
                .map(|(v, hide)| (!hide).then_some(*v))
                .collect()
        })
        .collect()
}

/// True when some hidden entry (`None`) of a published table with margins
/// is uniquely determined by the published entries through the line
/// equations. Independent of how the table was suppressed: it solves the
/// linear system exactly (integer Gauss–Jordan elimination) and looks for
/// a reduced equation naming a single hidden entry.
pub fn derivable(published: &[Vec<Option<i64>>]) -> bool {
    let unknowns: Vec<(usize, usize)> = published
        .iter()
        .enumerate()
        .flat_map(|(i, r)| {
            r.iter()
                .enumerate()
                .filter(|(_, v)| v.is_none())
                .map(move |(j, _)| (i, j))
        })
        .collect();
    if unknowns.is_empty() {
        return false;
    }
    let rows = published.len();
    let cols = published.first().map_or(0, Vec::len);
    let index = |i: usize, j: usize| unknowns.iter().position(|u| *u == (i, j));
    let mut equations: Vec<Vec<i128>> = Vec::new();
    let lines = (0..rows)
        .map(|i| (0..cols).map(|j| (i, j)).collect::<Vec<_>>())
        .chain((0..cols).map(|j| (0..rows).map(|i| (i, j)).collect::<Vec<_>>()));
    for line in lines {
        let mut eq = vec![0i128; unknowns.len()];
        let last = line.len() - 1;
        for (k, &(i, j)) in line.iter().enumerate() {
            if let Some(u) = index(i, j) {
                eq[u] += if k == last { -1 } else { 1 };
            }
        }
        if eq.iter().any(|c| *c != 0) {
            equations.push(eq);
        }
    }
    reduced_has_single(equations, unknowns.len())
}

/// Gauss–Jordan on integer rows (kept primitive by their gcd): true when a
/// reduced row has exactly one non-zero coefficient, i.e. that unknown is
/// in the row space and so fixed by the equations.
fn reduced_has_single(mut m: Vec<Vec<i128>>, n: usize) -> bool {
    let mut rank = 0;
    for col in 0..n {
        let Some(p) = (rank..m.len()).find(|r| m[*r][col] != 0) else {
            continue;
        };
        m.swap(rank, p);
        let pivot = m[rank].clone();
        for (r, row) in m.iter_mut().enumerate() {
            if r == rank || row[col] == 0 {
                continue;
            }
            let (a, b) = (pivot[col], row[col]);
            for (x, y) in row.iter_mut().zip(&pivot) {
                *x = *x * a - *y * b;
            }
            normalise(row);
        }
        rank += 1;
    }
    m[..rank]
        .iter()
        .any(|r| r.iter().filter(|c| **c != 0).count() == 1)
}

fn normalise(row: &mut [i128]) {
    let g = row.iter().fold(0i128, |g, x| gcd(g, x.abs()));
    if g > 1 {
        row.iter_mut().for_each(|x| *x /= g);
    }
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

#[cfg(test)]
#[path = "suppression_tests.rs"]
mod tests;
