//! Complexity costs of list fields. A list field costs its children times
//! the most it can return, so the complexity limit bounds what any query
//! can make the server build in memory. Paged lists (`first`) use the page
//! size; the lists below are not paged and use these bounds.

/// Departments of Guatemala.
pub const DEPARTMENTS: usize = 22;
/// Municipalities in one department (the most in the reference data is 33).
pub const MUNICIPALITIES_PER_DEPARTMENT: usize = 40;
/// Partner institutions (a few dozen are planned).
pub const INSTITUTIONS: usize = 50;
/// Arrivals, services or consents of one person.
pub const PER_PERSON: usize = 10;
/// Match candidates offered to reception staff (see `intake::find`).
pub const CANDIDATES: usize = 5;
/// Lines of a manifest report in one list (a flight carries up to ~150).
pub const MANIFEST_LINES: usize = 150;
/// Rows of the arrival board's per-kind counts (one per assistance kind).
pub const ASSISTANCE_KINDS: usize = 5;
/// Fixed cost of a matching query: the strata search reads and scores
/// candidates before any page is cut (`service::ranking`).
pub const MATCHING: usize = 50;

/// Columns of a statistics table (the most any figure has, with room).
pub const STATS_COLUMNS: usize = 8;

/// Rows of a statistics table: the most any dimension has (340
/// municipalities and `UNKNOWN`; ten years are 121 months).
pub const STATS_ROWS: usize = 341;
