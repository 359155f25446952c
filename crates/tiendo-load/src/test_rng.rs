//! The small deterministic generator the loader's randomised tests share (Knuth's MMIX linear congruential step), so
//! that each test's inputs are the same on every run without a dependency.

/// A 64-bit linear congruential generator; [`Lcg::next_u64`] gives the state after each step.
pub(crate) struct Lcg(u64);

impl Lcg {
    pub(crate) fn new(seed: u64) -> Lcg {
        Lcg(seed)
    }

    /// Advances one step and returns the new state.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0
    }

    /// A number below `bound` (> 0) from the state's high bits.
    pub(crate) fn below(&mut self, bound: usize) -> usize {
        ((self.next_u64() >> 33) as usize) % bound
    }
}
