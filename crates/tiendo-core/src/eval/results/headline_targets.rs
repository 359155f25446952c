//! The targets of the final period, together: every method's assessment against each (the two bounds of a band),
//! the worst of them; and a plan's figures that decide nothing, a synthetic baseline or target beside real values.

use super::*;

impl ResultContext<'_> {
    /// Whether a plan's figure (a baseline or a target) citing `source` may decide anything: not a synthetic one
    /// beside real values, as a synthetic value decides nothing unless the whole project is synthetic ([`Self::decides`];
    /// round 68, found by a verifier: a synthetic baseline of 70 made a real series of 82-84 % "on track").
    pub(super) fn plan_figure_decides(&self, source: &str) -> bool {
        self.kinds.all_synthetic() || !synthetic_plan_source(self.catalogue, source)
    }

    /// Every method's assessment against each of `headlines`, the targets of the final period (two for a band such
    /// as `>= 85` and `<= 95`), combined so that the order they are written in never matters: the worst status of
    /// any of them (achieved only when all are), its explanation naming the target it is against.
    pub(super) fn assessments_against_all(
        &self,
        catalogue: &Catalogue,
        decided: &Decided<'_>,
        headlines: &[(&str, &crate::model::Target)],
    ) -> Vec<Assessment> {
        if let Some((_, target)) = headlines.iter().find(|(_, target)| !self.plan_figure_decides(&target.source)) {
            let why = format!(
                "the target cites the synthetic source `{}`: a synthetic figure decides nothing about real values",
                target.source
            );
            return Method::ALL.into_iter().map(|method| progress::insufficient(method, &why)).collect();
        }
        if headlines.len() < 2 {
            return self.assessments(catalogue, decided, headlines.first().copied());
        }
        let each: Vec<Vec<Assessment>> = headlines
            .iter()
            .map(|&(plan, target)| {
                let mut assessments = self.assessments(catalogue, decided, Some((plan, target)));
                for assessment in &mut assessments {
                    let (symbol, value) = (target.comparator.symbol(), target.value);
                    assessment.explanation = format!("against {symbol} {value}: {}", assessment.explanation);
                }
                assessments
            })
            .collect();
        let severity = |status: Status| match status {
            Status::OffTrack => 0,
            Status::NeedsAcceleration => 1,
            Status::InsufficientData | Status::NotAssessed => 2,
            Status::OnTrack => 3,
            Status::Achieved => 4,
        };
        (0..each[0].len())
            .filter_map(|method| each.iter().map(|a| &a[method]).min_by_key(|a| severity(a.status)).cloned())
            .collect()
    }
}

/// Whether `source` is of kind `synthetic` (a plan's baseline or target citing it decides nothing in a project with
/// real values; W333 by [`super::findings::synthetic_plan_figures`]).
pub(in crate::eval) fn synthetic_plan_source(catalogue: &Catalogue, source: &str) -> bool {
    catalogue.sources.get(source).is_some_and(|s| s.kind == crate::model::SourceKind::Synthetic)
}
