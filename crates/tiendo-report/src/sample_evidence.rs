//! The sample review's evidence sections, built from the sample's own indicators (no figure of its own): results by
//! work area and agency from the indicators' statuses, and the justice chain from C1 (cases detected) and C2
//! (suspects detected), the later stages without data, as no published source gives them.

use tiendo_core::Text;

use crate::model::*;
use crate::model_evidence::*;

fn group(name: &Text, indicators: &[&IndicatorReview]) -> ResultGroup {
    ResultGroup {
        name: name.clone(),
        indicators: indicators.len(),
        statuses: Status::ALL.iter().map(|s| (*s, indicators.iter().filter(|i| i.status == *s).count())).collect(),
        by_rule: std::collections::BTreeMap::new(),
        activities: 0,
        activities_done: 0,
        activities_overdue: 0,
        activities_unknown: 0,
    }
}

/// Groups `indicators` by a name, in order of first appearance.
fn grouped(indicators: &[IndicatorReview], key: impl Fn(&IndicatorReview) -> Option<&Text>) -> Vec<ResultGroup> {
    let mut names: Vec<&Text> = Vec::new();
    for indicator in indicators {
        if let Some(name) = key(indicator).filter(|n| !names.contains(n)) {
            names.push(name);
        }
    }
    names
        .into_iter()
        .map(|name| {
            let mine: Vec<&IndicatorReview> = indicators.iter().filter(|i| key(i) == Some(name)).collect();
            group(name, &mine)
        })
        .collect()
}

/// A funnel whose first stage is the yearly series of the indicator `code`, the other stages without data.
fn funnel(review: &Review, id: &str, title: Text, code: &str, stages: &[(&str, Text)]) -> Option<Funnel> {
    let first = review.indicators.iter().find(|i| i.code == code)?;
    let years: Vec<FunnelYear> = first
        .series
        .iter()
        .filter(|p| p.period.period_type() == tiendo_core::PeriodType::Year && review.cover.window.contains(&p.period))
        .filter(|p| p.value != Value::Missing)
        .map(|p| {
            let mut cells = vec![FunnelCell {
                value: p.value,
                share: match p.value {
                    Value::Number(n) if n > 0.0 && !p.partial => Value::Number(100.0),
                    Value::Suppressed => Value::Suppressed,
                    _ => Value::Missing,
                },
                partial: p.partial,
                synthetic: p.synthetic,
                estimate: p.estimate,
                derived: p.derived,
                provisional: p.provisional,
                basis_marks: p.basis_marks(),
                source: (p.value != Value::Missing).then(|| p.source.clone()),
            }];
            cells.extend(std::iter::repeat_n(FunnelCell::missing(), stages.len() - 1));
            FunnelYear { period: p.period, cells }
        })
        .collect();
    Some(Funnel {
        id: id.to_owned(),
        title,
        stages: stages
            .iter()
            .enumerate()
            .map(|(index, (element, name))| FunnelStage {
                element: (*element).to_owned(),
                name: name.clone(),
                indicator_code: (index == 0).then(|| code.to_owned()),
            })
            .collect(),
        years,
    })
}

/// The sample's evidence.
pub(super) fn evidence(review: &Review) -> Evidence {
    let t = Text::new;
    let cases = [
        (
            "cases_detected",
            t("Số vụ mua bán người phát hiện, điều tra", "Trafficking cases discovered and investigated"),
        ),
        ("cases_initiated", t("Số vụ án mua bán người đã khởi tố", "Trafficking criminal cases initiated")),
        ("cases_indicted", t("Số vụ án mua bán người đã truy tố", "Trafficking cases indicted")),
        ("cases_tried", t("Số vụ án mua bán người đã xét xử", "Trafficking cases tried")),
    ];
    let suspects = [
        ("subjects_detected", t("Số đối tượng mua bán người bị phát hiện", "Trafficking suspects detected")),
        (
            "accused_initiated",
            t("Số bị can bị khởi tố về mua bán người", "Persons accused (prosecuted) for trafficking"),
        ),
        ("defendants_indicted", t("Số bị can bị truy tố về mua bán người", "Accused persons indicted for trafficking")),
        ("defendants_tried", t("Số bị cáo đã xét xử về mua bán người", "Defendants tried for trafficking")),
    ];
    Evidence {
        by_work_area: grouped(&review.indicators, |i| Some(&i.work_area)),
        by_agency: grouped(&review.indicators, |i| i.agency.as_ref()),
        justice_chain: [
            funnel(review, "cases", t("Vụ án qua các khâu tố tụng", "Cases along the justice chain"), "C1", &cases),
            funnel(
                review,
                "suspects",
                t(
                    "Đối tượng, bị can, bị cáo qua các khâu tố tụng",
                    "Suspects, accused and defendants along the justice chain",
                ),
                "C2",
                &suspects,
            ),
        ]
        .into_iter()
        .flatten()
        .collect(),
        victim_pathway: None,
        regional: Vec::new(),
        regions: false,
        whole_period: None,
        handover: None,
    }
}
