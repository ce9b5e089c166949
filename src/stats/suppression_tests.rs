use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;

fn suppress(cells: &[Vec<i64>]) -> (Vec<Vec<i64>>, Mask) {
    let cols = cells.first().map_or(0, Vec::len);
    let values = with_margins(cells, cols);
    let totals = suppress_line(&values[values.len() - 1]);
    let mask = suppress_table(&values, &totals);
    (values, mask)
}

fn hidden(mask: &Mask) -> usize {
    mask.iter().flatten().filter(|m| **m).count()
}

/// Small counts are common, as in real breakdowns by municipality.
fn random_table(rng: &mut ChaCha8Rng) -> Vec<Vec<i64>> {
    let (rows, cols) = (rng.random_range(1..9), rng.random_range(1..7));
    (0..rows)
        .map(|_| {
            (0..cols)
                .map(|_| match rng.random_range(0..10) {
                    0..=2 => 0,
                    3..=6 => rng.random_range(1..5),
                    _ => rng.random_range(5..40),
                })
                .collect()
        })
        .collect()
}

#[test]
fn margins_are_sums() {
    let m = with_margins(&[vec![1, 2], vec![3, 4]], 2);
    assert_eq!(m, vec![vec![1, 2, 3], vec![3, 4, 7], vec![4, 6, 10]]);
}

#[test]
fn nothing_small_nothing_hidden() {
    let (_, mask) = suppress(&[vec![5, 9], vec![12, 0]]);
    assert_eq!(hidden(&mask), 0);
}

#[test]
fn a_lone_small_cell_takes_company_in_its_row_and_column() {
    // 3 is primary; its row, its column and then the crossing hide more.
    let (values, mask) = suppress(&[vec![3, 10, 20], vec![8, 9, 30], vec![7, 6, 5]]);
    assert!(mask[0][0]);
    assert!(hidden(&mask) >= 4, "{mask:?}");
    assert!(!derivable(&publish(&values, &mask)));
}

#[test]
fn a_line_hides_a_second_entry_or_its_total() {
    assert_eq!(
        suppress_line(&[3, 10, 6, 19]),
        vec![true, false, true, false]
    );
    assert_eq!(suppress_line(&[3, 0, 0, 3]), vec![true, false, false, true]);
    assert_eq!(suppress_line(&[0, 7, 7]), vec![false; 3]);
}

#[test]
fn the_checker_sees_a_difference() {
    // One hidden cell in a row whose total is published: 10 - 7 = 3.
    let published = vec![
        vec![None, Some(7), Some(10)],
        vec![Some(6), Some(6), Some(12)],
        vec![None, Some(13), Some(22)],
    ];
    assert!(derivable(&published));
}

#[test]
fn the_checker_sees_a_bridge_between_two_safe_looking_blocks() {
    // Every line has 0 or 2 hidden entries, yet (0,2) links two cycles
    // and is worked out from the equations.
    let mut mask = vec![vec![false; 6]; 5];
    for (i, j) in [(0, 0), (0, 1), (1, 0), (1, 1), (0, 2), (2, 2), (2, 3)] {
        mask[i][j] = true;
    }
    for (i, j) in [(3, 3), (3, 4), (2, 4)] {
        mask[i][j] = true;
    }
    let values = vec![vec![1i64; 6]; 5];
    let bridged = bridges(&mask);
    assert_eq!(bridged, vec![(0, 2), (2, 2)]);
    assert!(derivable(&publish(&values, &mask)));
}

/// The property: on thousands of random tables, every small count is
/// hidden, no hidden entry can be derived, and the totals row is exactly
/// the one decided for the figure.
#[test]
fn no_hidden_entry_is_ever_derivable() {
    let mut rng = ChaCha8Rng::seed_from_u64(20261129);
    for _ in 0..3000 {
        let cells = random_table(&mut rng);
        let (values, mask) = suppress(&cells);
        let last = values.len() - 1;
        assert_eq!(mask[last], suppress_line(&values[last]));
        for (r, m) in values.iter().zip(&mask) {
            for (v, hide) in r.iter().zip(m) {
                assert!(!primary(*v) || *hide, "{cells:?}");
            }
        }
        assert!(!derivable(&publish(&values, &mask)), "{cells:?} {mask:?}");
    }
}

/// Bridges (used to suppress) and exact elimination (used to check) agree
/// on arbitrary masks, so the fast rule is the exact one.
#[test]
fn bridges_and_elimination_agree() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for _ in 0..3000 {
        let (rows, cols) = (rng.random_range(2..8), rng.random_range(2..7));
        let mask: Mask = (0..rows)
            .map(|_| (0..cols).map(|_| rng.random_bool(0.35)).collect())
            .collect();
        let values = vec![vec![1i64; cols]; rows];
        let exact = derivable(&publish(&values, &mask));
        assert_eq!(exact, !bridges(&mask).is_empty(), "{mask:?}");
    }
}
