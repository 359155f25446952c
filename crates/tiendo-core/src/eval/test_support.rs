//! Building blocks the evaluation's unit tests share.

use chrono::NaiveDate;

use crate::expr::Expr;
use crate::model::{
    DataElement, Direction, Formula, Indicator, Measure, OrgUnit, OrgUnitAggregation, OrgUnitLevel, Text,
    TimeAggregation, ValueType,
};

/// An org unit named by its id. One with a successor ceased to exist on 30 June 2025, as the 63 old provinces did.
pub fn unit(id: &str, level: OrgUnitLevel, parent: Option<&str>, successor: Option<&str>) -> OrgUnit {
    OrgUnit {
        id: id.to_owned(),
        name: Text::new(id, id),
        level,
        parent: parent.map(str::to_owned),
        valid_from: None,
        valid_to: successor.map(|_| NaiveDate::from_ymd_opt(2025, 6, 30).expect("valid date")),
        successors: successor.into_iter().map(str::to_owned).collect(),
        kind: None,
        note: None,
    }
}

/// A deterministic stream of numbers below each bound asked for (a 64-bit linear congruential generator).
pub fn numbers(seed: u64) -> impl FnMut(usize) -> usize {
    let mut state = seed;
    move |bound| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % bound
    }
}

/// A count data element that sums over time and org units, broken down by `categories`.
pub fn data_element(id: &str, sensitive: bool, categories: &[&str]) -> DataElement {
    DataElement {
        id: id.to_owned(),
        name: Text::new(id, id),
        value_type: ValueType::Count,
        time_aggregation: TimeAggregation::Sum,
        org_unit_aggregation: OrgUnitAggregation::Sum,
        sensitive,
        categories: categories.iter().map(|c| (*c).to_owned()).collect(),
        description: None,
        breaks: Vec::new(),
    }
}

/// An indicator `numerator / denominator` (x the measure's factor), more being better, citing source `s`.
pub fn indicator(id: &str, measure: Measure, numerator: &str, denominator: Option<&str>) -> Indicator {
    Indicator {
        id: id.to_owned(),
        code: id.to_owned(),
        name: Text::new(id, id),
        definition: None,
        group: "g".to_owned(),
        measure,
        formula: Formula::Expression {
            numerator: Expr::parse(numerator).expect("test expression"),
            denominator: denominator.map(|d| Expr::parse(d).expect("test expression")),
        },
        direction: Direction::Increase,
        unit: None,
        decimals: 0,
        disaggregations: Vec::new(),
        agency: None,
        source: "s".to_owned(),
        scale: Vec::new(),
        limit: None,
        sensitive: false,
        note: None,
    }
}

/// A catalogue of a country `vn`; provinces `a` and `b` merged into `ab`, and `c`; communes `a1`, `a2` (of `a`),
/// `ab1` (of `ab`) and `c1` (of `c`).
pub fn merger_catalogue() -> crate::model::Catalogue {
    let mut catalogue = crate::model::Catalogue::default();
    for u in [
        unit("vn", OrgUnitLevel::Country, None, None),
        unit("a", OrgUnitLevel::Province, Some("vn"), Some("ab")),
        unit("b", OrgUnitLevel::Province, Some("vn"), Some("ab")),
        unit("ab", OrgUnitLevel::Province, Some("vn"), None),
        unit("c", OrgUnitLevel::Province, Some("vn"), None),
        unit("a1", OrgUnitLevel::Commune, Some("a"), None),
        unit("a2", OrgUnitLevel::Commune, Some("a"), None),
        unit("ab1", OrgUnitLevel::Commune, Some("ab"), None),
        unit("c1", OrgUnitLevel::Commune, Some("c"), None),
    ] {
        catalogue.org_units.insert(u.id.clone(), u);
    }
    catalogue
}
