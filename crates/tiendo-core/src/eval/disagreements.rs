//! The data that contradict each other, as a review lists them for its reader: the data warnings about figures that
//! cannot all be right (W331, W332, W339, W340, W341, W350), written without any value. A review shows the values it
//! decided to publish and no other, and a count the disclosure audit hides may be of an element that is not itself
//! sensitive (one that bounds a sensitive count), so no value of any element is quoted here.

use crate::diagnostic::{Diagnostic, WITHHELD_VALUES};
use crate::eval::aggregate::Cube;

/// The codes of the warnings about data that contradict each other.
pub const CODES: [&str; 6] = ["W331", "W332", "W339", "W340", "W341", "W350"];

/// The warnings of `diagnostics` whose code is in [`CODES`], written again with no value quoted (the note that
/// values are withheld left off: the review says so once). Empty, with no work done, when there is none.
pub(crate) fn value_free(cube: &Cube, diagnostics: &[Diagnostic]) -> Vec<Diagnostic> {
    if !diagnostics.iter().any(|d| CODES.contains(&d.code)) {
        return Vec::new();
    }
    let every_element: Vec<u32> = (0..cube.store().elements.len() as u32).collect();
    let mut out: Vec<Diagnostic> =
        cube.aggregation_diagnostics(&every_element).into_iter().filter(|d| CODES.contains(&d.code)).collect();
    for diagnostic in &mut out {
        if let Some(shorter) = diagnostic.message.strip_suffix(WITHHELD_VALUES) {
            diagnostic.message = shorter.trim_end_matches([';', ' ']).to_string();
        }
    }
    out
}
