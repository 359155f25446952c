//! The kind of each source (official, estimate, derived, synthetic) read against a value's source mask, so that evaluation
//! can keep synthetic figures apart from real ones: a value, a status or a check rests on synthetic figures only or
//! on none of them, unless the whole project is synthetic.
//!
//! Values carry a [`SourceMask`]: bit i is the store's source i, and bit 63 stands for every source index of 63 or
//! more. That last bit may cover sources of several kinds; it is read conservatively: it counts as synthetic when
//! any of the sources it covers is synthetic, and as mixing synthetic with real figures when they are of both kinds.
//! Pure: no I/O, built once per evaluation from the catalogue and the store.

use crate::eval::aggregate::SourceMask;
use crate::eval::store::ObservationStore;
use crate::model::{Catalogue, SourceKind};

/// The bit that stands for every source index of 63 or more.
const OVERFLOW_BIT: SourceMask = 1 << 63;

/// The kinds of the sources an [`ObservationStore`] cites, by bit of a [`SourceMask`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceKinds {
    /// The kind of each store source, by store index. A source the catalogue does not declare is official: the
    /// loader reports it as unknown, and evaluation should not invent a kind for it.
    kinds: Vec<SourceKind>,
    /// Bits of synthetic sources; bit 63 when any source of index 63 or more is synthetic.
    synthetic: SourceMask,
    /// Bits of estimate sources; bit 63 when any source of index 63 or more is an estimate.
    estimate: SourceMask,
    /// Bits of derived sources; bit 63 when any source of index 63 or more gives derived figures.
    derived: SourceMask,
    /// Bits of official sources; bit 63 when any source of index 63 or more is official.
    official: SourceMask,
    /// Whether at least one observation cites a synthetic source.
    any_synthetic: bool,
    /// Whether the store has observations and every one cites a synthetic source.
    all_synthetic: bool,
}

impl SourceKinds {
    /// Reads the kind of every source the store cites from the catalogue, and whether the store's observations are
    /// partly or wholly synthetic.
    pub fn new(catalogue: &Catalogue, store: &ObservationStore) -> SourceKinds {
        let kinds: Vec<SourceKind> = store
            .sources
            .names()
            .iter()
            .map(|name| catalogue.sources.get(name).map_or(SourceKind::default(), |source| source.kind))
            .collect();
        let (mut synthetic, mut estimate, mut derived, mut official) = (0, 0, 0, 0);
        for (index, kind) in kinds.iter().enumerate() {
            let bit = 1u64 << index.min(63);
            match kind {
                SourceKind::Synthetic => synthetic |= bit,
                SourceKind::Estimate => estimate |= bit,
                SourceKind::Derived => derived |= bit,
                SourceKind::Official => official |= bit,
            }
        }
        let is_synthetic = |source: u32| kinds.get(source as usize) == Some(&SourceKind::Synthetic);
        let counts = store.source_counts();
        let synthetic_count: usize =
            counts.iter().enumerate().filter(|&(source, _)| is_synthetic(source as u32)).map(|(_, count)| count).sum();
        SourceKinds {
            synthetic,
            estimate,
            derived,
            official,
            any_synthetic: synthetic_count > 0,
            all_synthetic: synthetic_count > 0 && synthetic_count == store.observations.len(),
            kinds,
        }
    }

    /// The kind of the store's source `index`; official for an index the store does not hold.
    pub fn kind_of_source(&self, index: u32) -> SourceKind {
        self.kinds.get(index as usize).copied().unwrap_or_default()
    }

    /// The kind of a value with these sources: its kind when all sources are of one kind, else the weakest of them
    /// (synthetic before estimate before derived before official), so that a mixed value is never taken for a better
    /// one: a sum of a derived and a published count is derived. An empty mask is official.
    pub fn kind_of(&self, mask: SourceMask) -> SourceKind {
        if mask & self.synthetic != 0 {
            SourceKind::Synthetic
        } else if mask & self.estimate != 0 {
            SourceKind::Estimate
        } else if mask & self.derived != 0 {
            SourceKind::Derived
        } else {
            SourceKind::Official
        }
    }

    /// Whether a value with these sources rests, wholly or in part, on synthetic figures.
    pub fn is_synthetic(&self, mask: SourceMask) -> bool {
        mask & self.synthetic != 0
    }

    /// Whether a value with these sources blends synthetic with non-synthetic figures. Bit 63 alone counts as a
    /// blend when the sources it stands for are of both sorts, because which of them contributed is not known.
    pub fn mixes_synthetic(&self, mask: SourceMask) -> bool {
        let real = self.official | self.estimate | self.derived;
        let has_synthetic = mask & self.synthetic != 0;
        let has_real = mask & real != 0;
        // A bit of both sorts is necessarily bit 63: each lower bit is one source of one kind.
        has_synthetic && has_real
    }

    /// The bits of the synthetic sources (bit 63 when any source of index 63 or more is synthetic).
    pub fn synthetic_mask(&self) -> SourceMask {
        self.synthetic
    }

    /// The bits of the estimate sources (bit 63 when any source of index 63 or more is an estimate).
    pub fn estimate_mask(&self) -> SourceMask {
        self.estimate
    }

    /// Whether bit 63 covers both synthetic and non-synthetic sources, so that no value citing it can be kept
    /// apart from the other sort.
    pub fn overflow_is_mixed(&self) -> bool {
        self.mixes_synthetic(OVERFLOW_BIT)
    }

    /// Whether at least one observation cites a synthetic source.
    pub fn any_synthetic(&self) -> bool {
        self.any_synthetic
    }

    /// Whether the whole project is synthetic: the store has observations and every one cites a synthetic source.
    /// Only then may a status or a headline rest on synthetic figures (and every output says so on its first page).
    pub fn all_synthetic(&self) -> bool {
        self.all_synthetic
    }
}

#[cfg(test)]
mod tests {
    use crate::eval::aggregate::source_bit;
    use crate::eval::store::{NewObservation, ObservationStatus};
    use crate::model::{Source, Text};
    use crate::period::Period;

    use super::*;

    fn catalogue(sources: &[(&str, SourceKind)]) -> Catalogue {
        let mut catalogue = Catalogue::default();
        for (id, kind) in sources {
            catalogue.sources.insert(
                (*id).to_owned(),
                Source {
                    id: (*id).to_owned(),
                    kind: *kind,
                    number: None,
                    title: Text::new(*id, *id),
                    issuer: None,
                    date: None,
                    url: None,
                    note: None,
                    uncertain: None,
                    public_note: None,
                },
            );
        }
        catalogue
    }

    /// A store with one observation per source id, in this order (so source i has store index i).
    fn store(sources: &[&str]) -> ObservationStore {
        let mut store = ObservationStore::new();
        let file = store.add_file("data.csv");
        for (row, source) in sources.iter().enumerate() {
            store.push(&NewObservation {
                element: "cases",
                org_unit: "vn",
                period: Period::Year(2021),
                disaggregation: &[],
                value: 1.0,
                source,
                status: ObservationStatus::Final,
                note: None,
                submitted: None,
                file,
                row: u32::try_from(row).unwrap_or(u32::MAX) + 2,
            });
        }
        store
    }

    fn kinds(sources: &[(&str, SourceKind)], cited: &[&str]) -> SourceKinds {
        SourceKinds::new(&catalogue(sources), &store(cited))
    }

    const OFFICIAL: SourceKind = SourceKind::Official;
    const ESTIMATE: SourceKind = SourceKind::Estimate;
    const SYNTHETIC: SourceKind = SourceKind::Synthetic;

    #[test]
    fn an_unmixed_mask_has_the_kind_of_its_sources() {
        let k = kinds(&[("tip", OFFICIAL), ("vov", ESTIMATE), ("gen", SYNTHETIC)], &["tip", "vov", "gen"]);
        assert_eq!(k.kind_of(source_bit(0)), OFFICIAL);
        assert_eq!(k.kind_of(source_bit(1)), ESTIMATE);
        assert_eq!(k.kind_of(source_bit(2)), SYNTHETIC);
        assert_eq!(k.kind_of(0), OFFICIAL);
        assert_eq!(k.kind_of_source(2), SYNTHETIC);
        assert_eq!(k.kind_of_source(99), OFFICIAL);
    }

    #[test]
    fn a_mixed_mask_has_the_weakest_kind() {
        let k = kinds(&[("tip", OFFICIAL), ("vov", ESTIMATE), ("gen", SYNTHETIC)], &["tip", "vov", "gen"]);
        assert_eq!(k.kind_of(source_bit(0) | source_bit(1)), ESTIMATE);
        assert_eq!(k.kind_of(source_bit(0) | source_bit(2)), SYNTHETIC);
        assert_eq!(k.kind_of(source_bit(1) | source_bit(2)), SYNTHETIC);
    }

    #[test]
    fn a_derived_figure_stays_derived_beside_published_ones_and_is_real() {
        let sources = [("tip", OFFICIAL), ("calc", SourceKind::Derived), ("vov", ESTIMATE), ("gen", SYNTHETIC)];
        let k = kinds(&sources, &["tip", "calc", "vov", "gen"]);
        assert_eq!(k.kind_of(source_bit(1)), SourceKind::Derived);
        assert_eq!(k.kind_of(source_bit(0) | source_bit(1)), SourceKind::Derived);
        assert_eq!(k.kind_of(source_bit(1) | source_bit(2)), ESTIMATE);
        assert!(k.mixes_synthetic(source_bit(1) | source_bit(3)), "derived figures are real ones");
        assert!(!k.is_synthetic(source_bit(0) | source_bit(1)));
    }

    #[test]
    fn synthetic_with_official_or_estimate_is_a_blend_and_synthetic_alone_is_not() {
        let k = kinds(&[("tip", OFFICIAL), ("vov", ESTIMATE), ("gen", SYNTHETIC)], &["tip", "vov", "gen"]);
        assert!(k.mixes_synthetic(source_bit(0) | source_bit(2)));
        assert!(k.mixes_synthetic(source_bit(1) | source_bit(2)));
        assert!(!k.mixes_synthetic(source_bit(2)));
        assert!(!k.mixes_synthetic(source_bit(0) | source_bit(1)), "estimate with official is not synthetic");
        assert!(!k.mixes_synthetic(0));
        assert!(k.is_synthetic(source_bit(0) | source_bit(2)));
        assert!(!k.is_synthetic(source_bit(0) | source_bit(1)));
        assert_eq!(k.synthetic_mask(), source_bit(2));
        assert_eq!(k.estimate_mask(), source_bit(1));
    }

    #[test]
    fn an_undeclared_source_counts_as_official() {
        let k = kinds(&[("gen", SYNTHETIC)], &["gen", "unknown"]);
        assert_eq!(k.kind_of(source_bit(1)), OFFICIAL);
        assert!(k.mixes_synthetic(source_bit(0) | source_bit(1)));
        assert!(!k.all_synthetic());
    }

    #[test]
    fn the_project_is_wholly_synthetic_only_when_every_observation_is() {
        let sources = [("tip", OFFICIAL), ("gen", SYNTHETIC)];
        let wholly = kinds(&sources, &["gen", "gen"]);
        assert!(wholly.all_synthetic() && wholly.any_synthetic());
        let partly = kinds(&sources, &["gen", "tip"]);
        assert!(!partly.all_synthetic() && partly.any_synthetic());
        let real = kinds(&sources, &["tip"]);
        assert!(!real.all_synthetic() && !real.any_synthetic());
        let empty = kinds(&sources, &[]);
        assert!(!empty.all_synthetic() && !empty.any_synthetic(), "no data is not synthetic data");
    }

    /// Source ids `s00`, `s01`, ... with the kind `kind_at(index)`, all cited in index order.
    fn many(count: usize, kind_at: impl Fn(usize) -> SourceKind) -> SourceKinds {
        let ids: Vec<String> = (0..count).map(|i| format!("s{i:02}")).collect();
        let sources: Vec<(&str, SourceKind)> =
            ids.iter().enumerate().map(|(i, id)| (id.as_str(), kind_at(i))).collect();
        let cited: Vec<&str> = ids.iter().map(String::as_str).collect();
        kinds(&sources, &cited)
    }

    #[test]
    fn bit_63_of_one_kind_reads_as_that_kind() {
        let synthetic_tail = many(66, |i| if i >= 63 { SYNTHETIC } else { OFFICIAL });
        assert_eq!(synthetic_tail.kind_of(source_bit(64)), SYNTHETIC);
        assert!(!synthetic_tail.mixes_synthetic(source_bit(63)));
        assert!(!synthetic_tail.overflow_is_mixed());
        assert!(synthetic_tail.mixes_synthetic(source_bit(0) | source_bit(65)));
        let official_tail = many(66, |i| if i >= 63 { OFFICIAL } else { SYNTHETIC });
        assert_eq!(official_tail.kind_of(source_bit(70)), OFFICIAL);
        assert!(!official_tail.mixes_synthetic(source_bit(63)));
    }

    #[test]
    fn bit_63_over_synthetic_and_real_sources_is_a_blend() {
        let k = many(66, |i| if i == 64 { SYNTHETIC } else { OFFICIAL });
        assert!(k.overflow_is_mixed());
        // Whichever source of index 63 or more a value cites, its bit cannot be told apart from the others.
        assert!(k.mixes_synthetic(source_bit(63)));
        assert!(k.mixes_synthetic(source_bit(65)));
        assert!(k.is_synthetic(source_bit(63)));
        assert_eq!(k.kind_of(source_bit(63)), SYNTHETIC);
        assert!(!k.mixes_synthetic(source_bit(0) | source_bit(62)));
    }
}
