//! Plans and what they set: targets with their comparators, baselines, objectives and activities (split from
//! `model.rs` by concern; re-exported there).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Text;
use crate::period::Period;

/// How a value is compared with a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Comparator {
    #[serde(rename = ">")]
    Greater,
    #[serde(rename = ">=")]
    GreaterOrEqual,
    #[serde(rename = "=")]
    Equal,
    #[serde(rename = "<=")]
    LessOrEqual,
    #[serde(rename = "<")]
    Less,
}

impl Comparator {
    pub const ALL: [Comparator; 5] =
        [Comparator::Greater, Comparator::GreaterOrEqual, Comparator::Equal, Comparator::LessOrEqual, Comparator::Less];

    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::Greater => ">",
            Comparator::GreaterOrEqual => ">=",
            Comparator::Equal => "=",
            Comparator::LessOrEqual => "<=",
            Comparator::Less => "<",
        }
    }

    pub fn parse(text: &str) -> Option<Comparator> {
        Comparator::ALL.into_iter().find(|c| c.symbol() == text)
    }

    /// Whether `value` satisfies the comparison with `target`. Equality allows for floating-point noise.
    pub fn holds(self, value: f64, target: f64) -> bool {
        let tolerance = 1e-9 * target.abs().max(1.0);
        match self {
            Comparator::Greater => value > target + tolerance,
            Comparator::GreaterOrEqual => value >= target - tolerance,
            Comparator::Equal => (value - target).abs() <= tolerance,
            Comparator::LessOrEqual => value <= target + tolerance,
            Comparator::Less => value < target - tolerance,
        }
    }
}

/// A target for an indicator in a period: "over 90%" is `{ comparator = ">", value = 90 }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    pub indicator: String,
    pub period: Period,
    pub comparator: Comparator,
    pub value: f64,
    pub source: String,
    /// The org unit the target applies to; `None` means the plan's own org unit.
    pub org_unit: Option<String>,
    pub note: Option<String>,
}

/// A reference value that progress is measured from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Baseline {
    pub indicator: String,
    pub period: Period,
    pub value: f64,
    pub source: String,
    pub org_unit: Option<String>,
    /// The editors' working note: never published.
    pub note: Option<String>,
    /// What a reader must know to compare the figure with the indicator's values, in both languages, written beside
    /// it wherever it is shown in a table ("the source counts persons arrested, not suspects detected": C2's baseline
    /// of 340 read beside 247 suspects; round 69, a checker of the review's numbers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_note: Option<Text>,
    /// `value` is a yearly average over `period`, a range of several years ("about 260 a year in 2016-2020"): every
    /// output says so ("260 a year (average 2016–2020)"), and a trend reads it as the yearly level of the range's last
    /// year. Without it, a baseline of several years of a count summed over time is that range's total, which no
    /// trend compares with yearly values (round 64, found by a reader of the review: "260 (2016–2020)" beside the
    /// 90 cases of 2022 read as a five-year total, or as a fall to a third).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub yearly_average: bool,
}

impl Baseline {
    /// Whether the baseline can stand for one year's value of an indicator that is (`summed`) or is not summed over
    /// time: of one calendar year or less, a yearly average, or of a value not summed over time (a level, a rate).
    pub fn is_yearly_level(&self, summed: bool) -> bool {
        self.yearly_average || !summed || !self.spans_years()
    }

    /// Whether the baseline's period runs over more than one calendar year (`2016..2020`).
    pub fn spans_years(&self) -> bool {
        use chrono::Datelike;
        self.period.end().year() > self.period.start().year()
    }
}

/// The kind of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlanKind {
    /// A national programme such as Decision 193/QĐ-TTg (2021-2025).
    Programme,
    /// A yearly national plan, e.g. of Steering Committee 138/CP.
    National,
    /// A provincial plan that adopts national indicators and may add its own.
    Provincial,
    /// A plan that lists activities rather than quantitative targets.
    Activity,
}

/// A qualitative objective of a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Objective {
    pub id: String,
    pub text: Text,
    pub source: String,
}

/// The state of an activity as last reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActivityStatus {
    Planned,
    InProgress,
    Done,
    Cancelled,
}

/// A task in an activity plan, with the agency responsible and its deadline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Activity {
    pub id: String,
    pub title: Text,
    pub agency: Option<String>,
    pub deadline: Option<NaiveDate>,
    /// Work area id.
    pub group: Option<String>,
    pub status: Option<ActivityStatus>,
    pub source: String,
}

/// A programme or plan: what it aims at, for which org unit and period, and by which indicators.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub id: String,
    pub kind: PlanKind,
    /// The document number, e.g. `1522/KH-UBND`.
    pub number: Option<String>,
    pub title: Text,
    /// Issuing agency id.
    pub issuer: Option<String>,
    /// The org unit the plan is for (the country or a province).
    pub org_unit: String,
    pub period: Period,
    pub adopted_on: Option<NaiveDate>,
    pub source: String,
    /// The plan this one implements, e.g. a provincial plan -> the programme.
    pub implements: Option<String>,
    /// Indicator ids this plan monitors: its own plus those adopted from the plan it implements.
    pub indicators: Vec<String>,
    pub targets: Vec<Target>,
    pub baselines: Vec<Baseline>,
    pub objectives: Vec<Objective>,
    pub activities: Vec<Activity>,
    pub note: Option<String>,
}

impl Plan {
    /// The targets for `indicator`, in period order.
    pub fn targets_for<'a>(&'a self, indicator: &'a str) -> impl Iterator<Item = &'a Target> + 'a {
        self.targets.iter().filter(move |t| t.indicator == indicator)
    }
}
