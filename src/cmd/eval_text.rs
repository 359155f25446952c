//! The text formats of `tiendo eval`: CSV (one row per indicator, org unit and period) and the table for people,
//! split out of `eval.rs`. Both print what evaluation decided, each value with the decimals the review shows it with
//! (the indicator's, more where evaluation asks for them), and never decide anything themselves.

use std::fmt::Write as _;

use tiendo_core::eval::share::{share_decimals, share_text};
use tiendo_core::eval::{
    Basis, Completeness, Coverage, Evaluation, IndicatorResult, Point, TargetResult, ValueState, exact,
};
use tiendo_core::{Catalogue, ChangeKind, Comparator, Lang, Measure, Period, SourceKind};
use tiendo_report::i18n::label;

/// A whole number as is, else one decimal, rounded half away from zero like every output (`exact::fixed`).
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 { format!("{}", value as i64) } else { exact::fixed(value, 1) }
}

/// The decimals the values of `result` are shown with, as the review shows them
/// (`tiendo_report::model::SeriesPoint::shown_decimals`): the indicator's own, so that one series reads alike
/// (`80.0` beside `85.0`, not `80`), and more where evaluation asks for them.
fn indicator_decimals(result: &IndicatorResult, catalogue: &Catalogue) -> u8 {
    catalogue.indicators.get(&result.indicator).map_or(0, |indicator| indicator.decimals)
}

/// The decimals a value of `period` is shown with: the indicator's (`at_least`), or more where it is compared with a
/// target (the most any target asks for) or where the series point asks for more to stay on its side of every
/// target (`Point::decimals`).
fn decimals_at(result: &IndicatorResult, period: Period, at_least: u8) -> u8 {
    let compared = result.targets.iter().filter(|t| t.compared_period == Some(period)).filter_map(|t| t.decimals);
    let own = result.series.iter().filter(|p| p.period == period).filter_map(|p| p.decimals);
    compared.chain(own).fold(at_least, u8::max)
}

/// The decimals of a change: the most either of its two values is shown with, so that the change reads as their
/// difference (99.96 against 90.0 is +9.96, not +10.0).
fn change_decimals(result: &IndicatorResult, point: &Point, change: &tiendo_core::eval::Change, at_least: u8) -> u8 {
    decimals_at(result, point.period, at_least).max(decimals_at(result, change.previous_period, at_least))
}

/// A change with its sign and `decimals` decimals (`+5.0`, `-12`), as the review writes it.
fn signed(value: f64, decimals: u8) -> String {
    let text = exact::fixed(value, decimals);
    if text.starts_with('-') { text } else { format!("+{text}") }
}

/// Whether the values of `result` are percentages (`Indicator::is_percentage`): kept off 0 and 100 when they are
/// not there, their change in percentage points.
fn is_percentage(result: &IndicatorResult, catalogue: &Catalogue) -> bool {
    catalogue.indicators.get(&result.indicator).is_some_and(tiendo_core::Indicator::is_percentage)
}

/// A percentage in a CSV cell: a number, with as many decimals as keep it off 0 and 100 (never a bound).
fn csv_share(value: f64, decimals: u8) -> String {
    exact::fixed(value, share_decimals(value, None, decimals))
}

/// What a change is counted in, for the CSV's `change_kind` and the table: `percentage-points`, `levels`, `relative`.
fn change_kind(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Relative => "relative",
        ChangeKind::PercentagePoints => "percentage-points",
        ChangeKind::Levels => "levels",
    }
}

/// A relative change or a change in points with its sign, by the rule of `share_text` (`+0.04`, `> -0.01`).
fn signed_share(value: f64, decimals: u8) -> String {
    let text = share_text(value, decimals);
    if value > 0.0 && !text.starts_with(['<', '>']) { format!("+{text}") } else { text }
}

/// The change `c` with its sign: a percentage's in points (`+9.96 pp` in the table, `+9.96` in a CSV cell, whose
/// `change_kind` names the unit); a scale's in its levels (`+1 level(s)`); any other in the indicator's unit with
/// `at_least` decimals. A change that is not 0 is kept off 0 with more decimals and its own sign (a ratio from 1.06
/// to 1.04: `-0.02`, never `+0.0`; round 70).
fn signed_change(c: &tiendo_core::eval::Change, at_least: u8, cell: bool) -> String {
    match c.kind {
        ChangeKind::PercentagePoints if cell => signed(c.absolute, share_decimals(c.absolute, None, at_least)),
        ChangeKind::PercentagePoints => format!("{} pp", signed_share(c.absolute, at_least)),
        // Levels are counted, whole, whatever the codes' decimals.
        ChangeKind::Levels if !cell => format!("{} level(s)", signed(c.absolute, 0)),
        ChangeKind::Levels => signed(c.absolute, 0),
        ChangeKind::Relative if cell => signed(c.absolute, share_decimals(c.absolute, None, at_least)),
        ChangeKind::Relative => signed_share(c.absolute, at_least),
    }
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_owned() }
}

/// A text cell that a spreadsheet cannot run as a formula (OWASP, "CSV Injection"): a cell that starts with `=`,
/// `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, which spreadsheets show as text and do not
/// evaluate. Only text columns (ids, codes, sources, notes) go through this; numbers are written by tiendo itself
/// and stay numeric, so a genuine `-3` in the value or change columns is still a number.
pub fn csv_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { csv_field(&format!("'{text}")) } else { csv_field(text) }
}

/// The audit's verdict and counts in one line (never which hidden cell is which).
fn disclosure_line(audit: &tiendo_core::disclosure::Audit) -> String {
    use tiendo_core::disclosure::Verdict;
    let verdict = match audit.verdict {
        Verdict::NothingSuppressed => "nothing suppressed".to_owned(),
        Verdict::Protected if audit.prior_caps_protection() => format!(
            "every hidden count protected (no reader can narrow one suppressed as small beyond the {} to {} the \
             threshold tells, nor any other below {} values)",
            number(audit.primary_prior.low),
            number(audit.primary_prior.high),
            number(audit.protection + 1.0)
        ),
        Verdict::Protected => format!(
            "every hidden count protected (no reader can narrow one below {} values)",
            number(audit.protection + 1.0)
        ),
        Verdict::Unprotected => format!("{} hidden counts NOT protected", audit.unprotected),
        Verdict::Withheld => {
            format!("work budget exhausted, {} cells around the tables it could not settle WITHHELD", audit.withheld)
        }
    };
    let ratios = match audit.matched_ratios {
        0 => String::new(),
        n => format!("; {n} ratio values hidden so that a unit they leave out is not revealed"),
    };
    let unshown = match audit.unshown_small {
        0 => String::new(),
        n => format!(
            "; {n} small counts no output shows (of units below those shown, of a period reported in parts, the \
             rest of a breakdown or of a unit's own total beside its units, differences of counts an indicator or a \
             validation rule relates), audited too"
        ),
    };
    format!(
        "Disclosure audit: {verdict}; {} cells suppressed as small counts, {} more so that totals do not reveal \
         them{unshown}{ratios}",
        audit.primary, audit.secondary
    )
}

fn state_name(state: ValueState) -> &'static str {
    match state {
        ValueState::Value => "value",
        ValueState::Suppressed => "suppressed",
        ValueState::Incomplete => "incomplete",
    }
}

/// What a partial value lacks, in one line: missing units, missing sub-periods and units left out of a ratio.
fn missing_text(coverage: &Coverage) -> String {
    let mut parts = Vec::new();
    if !coverage.missing.is_empty() {
        parts.push(format!("no report from {}", coverage.missing.join(", ")));
    }
    if !coverage.missing_periods.is_empty() {
        parts.push(format!("missing {}", coverage.missing_periods.join(", ")));
    }
    if !coverage.unmatched.is_empty() {
        parts.push(format!("one part only from {}", coverage.unmatched.join(", ")));
    }
    if !coverage.inputs_unmatched.is_empty() {
        parts.push(format!("some inputs only from {} (still added)", coverage.inputs_unmatched.join(", ")));
    }
    if !coverage.inputs_missing.is_empty() {
        parts.push(format!("no report of input {} (the plugin ran without it)", coverage.inputs_missing.join(", ")));
    }
    if !coverage.left_out.is_empty() {
        parts.push(format!("left out {} (reported after the unit ended)", coverage.left_out.join(", ")));
    }
    if coverage.incomplete_breakdown {
        parts.push("an incomplete breakdown".to_owned());
    }
    parts.join("; ")
}

/// The marker of a synthetic value, as the review writes it (`docs/methodology.md`, section 8).
fn synthetic_marker() -> &'static str {
    label("synthetic_marker", Lang::En)
}

/// The marks after a shown value, as the review writes them: † for a synthetic value, "(estimate)" for one an
/// estimate enters, "(derived)" for one a figure derived by the editors enters (`Point::kind`), each after a space;
/// empty for an official value.
fn kind_marks(point: &Point) -> String {
    if point.synthetic {
        format!(" {}", synthetic_marker())
    } else if point.kind == SourceKind::Estimate {
        format!(" {}", label("estimate_marker", Lang::En))
    } else if point.kind == SourceKind::Derived {
        format!(" {}", label("derived_marker", Lang::En))
    } else {
        String::new()
    }
}

/// The marks after the value a target line compares: [`kind_marks`], and "(partial)" for a value built from part of
/// the expected units or periods, as the review marks it (round 45: the line that gives the verdict dropped it).
fn target_marks(point: &Point) -> String {
    let partial = point.coverage.as_ref().is_some_and(|c| !c.complete);
    kind_marks(point) + if partial { " (partial)" } else { "" }
}

/// One row per indicator, org unit and period, and one per failed plugin point (state `failed`, the plugin's
/// message in `failure`). Text columns are neutralised against formula injection ([`csv_text`]); numeric columns are
/// written as numbers. The column `synthetic` says whether the value rests on synthetic sources
/// (`Point::synthetic`), and the last, `kind`, the value's kind (`official`, `estimate` when an estimate enters it,
/// `synthetic`: `Point::kind`): they come last so that the columns before them keep their places for existing
/// readers, and a CSV has no line before its header where a wholly synthetic project could say so. After them,
/// `change_kind` says what `change` is counted in: `percentage-points` for a percentage (whose `change_percent` is
/// always empty: never a percent of a percent), `levels` for a scale or yes/no, `relative` for the rest. Last,
/// `basis` says whether the value is the unit's own report (`reported`) or a sum over the units below
/// (`aggregated`), and `other_basis` whether such a sum stands beside the unit's own reports of its period type, a
/// basis the status never uses (`Point::other_basis`). After it, `after_end` is the unit's last day where the period
/// runs past it: a report of a unit that had ended (`Point::after_end`); last, `area_changed` is the day the unit's
/// area changed on between the same period a year earlier and this one, where no change is given for that reason
/// (`Point::area_changed`). Last, `target_met` says whether the target that decides the status is met on its own
/// line (`true`/`false`; empty where no target decides or its period has no value): Open SDG's "achieved" for 40
/// against `= 50` is `achieved` with `target_met` false (`IndicatorResult::against_target_line`).
pub fn render_csv(evaluation: &Evaluation, catalogue: &Catalogue) -> String {
    let mut text = String::from(
        "indicator,code,org_unit,period,value,state,numerator,denominator,previous_period,change,change_percent,\
         status,sources,provisional,units_reported,units_expected,complete,missing,failure,synthetic,kind,change_kind,\
         basis,other_basis,after_end,area_changed,target_met\n",
    );
    let optional = |v: Option<f64>| v.map(number).unwrap_or_default();
    for result in &evaluation.indicators {
        let mut rows: Vec<(Period, String)> = Vec::new();
        let target_met = result.targets.iter().find(|t| t.decides_status).and_then(|t| t.met);
        let target_met = target_met.map(|met| met.to_string()).unwrap_or_default();
        let at_least = indicator_decimals(result, catalogue);
        let percentage = is_percentage(result, catalogue);
        for point in &result.series {
            let change = point.change.as_ref();
            let coverage = point.coverage.as_ref();
            let value = |v: f64| {
                let decimals = decimals_at(result, point.period, at_least);
                if percentage { csv_share(v, decimals) } else { exact::fixed(v, decimals) }
            };
            let cells = [
                point.value.map(value).unwrap_or_default(),
                csv_text(state_name(point.state)),
                optional(point.numerator),
                optional(point.denominator),
                csv_text(&change.map(|c| c.previous_period.to_string()).unwrap_or_default()),
                change.map(|c| signed_change(c, change_decimals(result, point, c, at_least), true)).unwrap_or_default(),
                change.and_then(|c| c.percent).map(|p| csv_share(p, 1)).unwrap_or_default(),
                csv_text(result.status.as_str()),
                csv_text(&point.sources.join(";")),
                point.provisional.to_string(),
                coverage.map(|c| c.reported.to_string()).unwrap_or_default(),
                coverage.map(|c| c.expected.to_string()).unwrap_or_default(),
                coverage.map(|c| c.complete.to_string()).unwrap_or_default(),
                csv_text(&coverage.map(missing_text).unwrap_or_default()),
                String::new(),
                point.synthetic.to_string(),
                point.kind.as_str().to_owned(),
                change.map(|c| change_kind(c.kind).to_owned()).unwrap_or_default(),
                basis_name(point.basis).to_owned(),
                point.other_basis.to_string(),
                point.after_end.map(|day| day.to_string()).unwrap_or_default(),
                point.area_changed.map(|day| day.to_string()).unwrap_or_default(),
                target_met.clone(),
            ];
            rows.push((point.period, cells.join(",")));
        }
        for failed in &result.failed_points {
            let mut cells = vec![String::new(); 23];
            cells[1] = "failed".to_owned();
            cells[7] = csv_text(result.status.as_str());
            cells[22].clone_from(&target_met);
            cells[14] = csv_text(&format!("{}: {}", failed.kind, failed.message));
            rows.push((failed.period, cells.join(",")));
        }
        rows.sort_by_key(|(period, _)| *period);
        let key = [&result.indicator, &result.code, &result.org_unit].map(|text| csv_text(text)).join(",");
        for (period, rest) in rows {
            let _ = writeln!(text, "{key},{},{rest}", csv_text(&period.to_string()));
        }
    }
    text
}

/// A value's basis as the CSV writes it, as the JSON does.
fn basis_name(basis: Basis) -> &'static str {
    match basis {
        Basis::Reported => "reported",
        Basis::Aggregated => "aggregated",
        Basis::Combined => "combined",
    }
}

/// A table per indicator and org unit, then validation and completeness. A wholly synthetic project says so on the
/// first line, as the review's first page does; otherwise, when a shown value is synthetic, a line under the heading
/// explains the marker † that its row carries, and when one is an estimate, a line explains its "(estimate)".
pub fn render_table(evaluation: &Evaluation, catalogue: &Catalogue) -> String {
    let mut text = String::new();
    if evaluation.wholly_synthetic {
        let _ = writeln!(
            text,
            "{}. Every observation cites a synthetic source: no value or status below describes reality.",
            label("synthetic_wholly_title", Lang::En)
        );
    }
    let _ = writeln!(
        text,
        "Evaluation as of {} - status by the {} method; sensitive counts below {} suppressed{}",
        evaluation.as_of,
        evaluation.method.as_str(),
        evaluation.threshold,
        if evaluation.show_suppressed { " (shown, internal use only)" } else { "" }
    );
    let _ = writeln!(text, "{}", disclosure_line(&evaluation.disclosure));
    if evaluation.indicators.iter().flat_map(|r| &r.series).any(|p| p.synthetic) {
        let _ = writeln!(text, "{}", label("synthetic_footnote", Lang::En));
    }
    for (kind, footnote) in [(SourceKind::Estimate, "estimate_footnote"), (SourceKind::Derived, "derived_footnote")] {
        if evaluation.indicators.iter().flat_map(|r| &r.series).any(|p| p.kind == kind && !p.synthetic) {
            let _ = writeln!(text, "{}", label(footnote, Lang::En));
        }
    }
    for result in &evaluation.indicators {
        table_result(&mut text, result, catalogue, evaluation.as_of);
    }
    let _ = writeln!(text, "\nValidation: {} finding(s)", evaluation.validation.len());
    if evaluation.findings_at_suppressed_not_listed(catalogue) {
        let _ = writeln!(
            text,
            "  (findings at suppressed values are not listed, whether or not the rule holds there; `--show-suppressed` \
             lists them for internal use)"
        );
    }
    for violation in &evaluation.validation {
        let _ = writeln!(
            text,
            "  {} {} {} {}: {}",
            violation.severity.as_str(),
            violation.org_unit,
            violation.period,
            violation.rule,
            violation.message
        );
    }
    for completeness in &evaluation.completeness {
        table_completeness(&mut text, completeness);
    }
    for failure in &evaluation.plugin_failures {
        let _ = writeln!(text, "\nplugin failure: {failure}");
    }
    text
}

/// What follows a status the method decided against the target that decides it (Open SDG's "achieved" for a value
/// beyond an `=` target), as the review says it, or a verdict the review gives where the methods say "off-track"
/// (the target's own period missed it: the review's "not achieved"); empty otherwise.
/// Then, for values that look like fractions written for percentages (W357), that caution.
fn against_line(result: &IndicatorResult) -> String {
    use tiendo_core::eval::Status;
    // A band's two targets both decide: either one missed on its own period is a verdict (round 72).
    let missed = result.targets.iter().any(|t| t.decides_status && t.verdict && t.met == Some(false));
    let rule = match result.against_target_line() {
        Some(false) => " (by the method's own rule: at or beyond the target; the target as set is not met)",
        Some(true) => " (by the method's own rule; the target as set is met)",
        None if result.status == Status::OffTrack && missed => " (not achieved: a verdict)",
        None => "",
    };
    let caution = result.fractions_caution().map(|caution| format!(" ({})", caution.en)).unwrap_or_default();
    format!("{rule}{caution}")
}

/// One indicator at one org unit: its status, failures, targets and series.
fn table_result(text: &mut String, result: &IndicatorResult, catalogue: &Catalogue, as_of: chrono::NaiveDate) {
    let name = catalogue.indicators.get(&result.indicator).map(|i| i.name.en.clone()).unwrap_or_default();
    let unit = catalogue.org_units.get(&result.org_unit).map(|u| u.name.vi.clone()).unwrap_or_default();
    let status = result.status.as_str();
    let _ =
        writeln!(text, "\n{} {} - {} [{}]: {status}{}", result.code, name, unit, result.org_unit, against_line(result));
    if let Some(failure) = &result.failure {
        let _ = writeln!(text, "  failed: {failure}");
    }
    for failed in &result.failed_points {
        let _ = writeln!(text, "  {:<8} failed ({}): {}", failed.period.to_string(), failed.kind, failed.message);
    }
    // A target is written exactly as configured, with the decimals the review writes it with, never rounded.
    let decimals = indicator_decimals(result, catalogue);
    let percentage = is_percentage(result, catalogue);
    let valid_to = catalogue.org_units.get(&result.org_unit).and_then(|u| u.valid_to);
    for target in &result.targets {
        // Why a value before the target's period can never be its verdict, where it cannot: a unit that ended before
        // the target's period did never gives that period a value of its own; a period over by the as-of date is
        // settled by its own value only; a value from before the plan began does not assess it.
        let begins = catalogue.plans.get(&target.plan).map(|plan| plan.period.start());
        let before_plan = target.compared_period.zip(begins).is_some_and(|(period, begins)| period.end() < begins);
        let no_verdict = match valid_to.filter(|end| *end < target.period.end()) {
            Some(end) => Some(format!("the unit ended on {end}")),
            None if target.period.end() <= as_of => Some(format!("{} had ended by {as_of}", target.period)),
            None if before_plan => Some("it is from before the plan began".to_owned()),
            None => None,
        };
        let _ = writeln!(
            text,
            "  target {} {} {} ({}): {}",
            target.period,
            target.comparator.symbol(),
            exact::fixed(target.value, exact::target_decimals(target.value, decimals)),
            target.plan,
            target_outcome(
                target,
                result,
                (decimals, percentage),
                (no_verdict.as_deref(), unsettled(target, catalogue))
            )
        );
        if let Some(below) = &target.units_below {
            let shown = if percentage {
                share_text(below.value, below.decimals)
            } else {
                exact::fixed(below.value, below.decimals)
            };
            let met = if below.met { "meets" } else { "does not meet" };
            let _ = writeln!(
                text,
                "    the complete sum of the units below for {}, {shown}, {met} it (not the unit's own report, not \
                 used for the status)",
                below.period
            );
        }
    }
    // A period with reports but no value says why on its own line, in period order, rather than be left out: a ratio
    // over a denominator of 0 (with --show-suppressed a hidden 0/0 share had no line where its neighbours read "75.0
    // (suppressed)"), a value that would blend synthetic with real figures (W333; round 66).
    let zeros = result.zero_denominators.iter().map(|p| (*p, "no value: the denominator is 0"));
    let blends = (result.not_computed_blends.iter())
        .map(|p| (*p, "not computed: it would blend synthetic and real figures (W333)"));
    let mut gaps: Vec<(Period, &str)> =
        zeros.chain(blends).filter(|(p, _)| !result.series.iter().any(|s| s.period == *p)).collect();
    gaps.sort_by_key(|(p, _)| (p.end(), p.start()));
    let mut gaps = gaps.into_iter().peekable();
    let gap_line = |text: &mut String, (period, why): (Period, &str)| {
        let _ = writeln!(text, "  {:<8} {why}", period.to_string());
    };
    for point in &result.series {
        while let Some(gap) = gaps.next_if(|(p, _)| (p.end(), p.start()) < (point.period.end(), point.period.start())) {
            gap_line(text, gap);
        }
        table_point(text, point, result, (decimals, percentage));
    }
    gaps.for_each(|gap| gap_line(text, gap));
}

/// Why a value compared with `target` settles nothing: the target cites a synthetic source beside real values
/// (W333; round 68, found by a verifier: the line blamed "a part of the target's period"), else the value is a part
/// of the target's period or units.
fn unsettled(target: &TargetResult, catalogue: &Catalogue) -> String {
    match catalogue.sources.get(&target.source).filter(|s| s.kind == tiendo_core::SourceKind::Synthetic) {
        Some(source) => format!("the target cites the synthetic source `{}`", source.id),
        None => "a part of the target's period or units".to_owned(),
    }
}

/// What a target line says after its value: the compared value, met or not and the percent of target (or the
/// progress from the baseline), or why nothing could be compared.
fn target_outcome(
    target: &TargetResult,
    result: &IndicatorResult,
    (at_least, percentage): (u8, bool),
    (no_verdict, unsettled): (Option<&str>, String),
) -> String {
    // A percentage as the series writes it: never on 0 or 100 when it is not there ("> 99.9999").
    let shown = |v: f64, decimals: u8| if percentage { share_text(v, decimals) } else { exact::fixed(v, decimals) };
    let met_text = |met: bool| if met { "met" } else { "not met" };
    match (target.met, target.compared_value, target.compared_period) {
        (Some(met), Some(value), Some(period)) => {
            let progress = progress_text(target, result.measure == Measure::Ordinal);
            // Only a wholly synthetic project's status rests on a synthetic value; it is marked as in the series, and
            // so is an estimate.
            let marks = result.series.iter().find(|p| p.period == period).map(target_marks).unwrap_or_default();
            // A value of a period before the target's settles nothing about the target's own period, met or not: it
            // says so (round 10, F5). The status methods read a final target met before its period as achieved.
            let settled = match (target.verdict || period.end() >= target.period.end(), met, no_verdict) {
                (true, _, _) => String::new(),
                (false, _, Some(why)) => format!(" (a value before the target's period; {why}: no verdict)"),
                (false, true, None) => " so far (a value before the target's period)".to_owned(),
                (false, false, None) => " so far (a value before the target's period: no verdict yet)".to_owned(),
            };
            format!(
                "{}{marks} in {period} [{}] - {}{settled}{progress}",
                // With the decimals of every target the value is compared with (both bounds of a band: 95.04, not
                // 95.0 beside `<= 95` missed; round 11, F2/F3) and of the value itself.
                shown(value, decimals_at(result, period, target.decimals.unwrap_or(0).max(at_least))),
                target.compared_sources.join(", "),
                met_text(met)
            )
        }
        (Some(met), None, Some(period)) => format!("suppressed in {period} - {}", met_text(met)),
        // A bound of the target's value (a part of its period, or part of the expected units) that settles nothing:
        // the value compared is shown, with no verdict (round 10, F6: it said "no data").
        (None, Some(value), Some(period)) => {
            let marks = result.series.iter().find(|p| p.period == period).map(target_marks).unwrap_or_default();
            format!(
                "{}{marks} in {period} [{}] - settles nothing: {unsettled}",
                shown(value, decimals_at(result, period, at_least)),
                target.compared_sources.join(", ")
            )
        }
        (None, _, Some(period)) if result.series.iter().any(|p| p.period == period && p.value.is_none()) => {
            format!("suppressed in {period}")
        }
        _ => no_value_compared(target, result),
    }
}

/// After a target line's verdict: the percent of target or the progress from the baseline (exactly 100 % of a strict
/// target, `> 90` against 90, is the target itself, which it does not meet, and says so), then the gap of a value
/// that misses the target, in the indicator's unit ("gap 2.1": how far it must move to meet it), or in levels of a
/// scale (`scale`).
fn progress_text(target: &TargetResult, scale: bool) -> String {
    let equal = |p: f64| match target.comparator {
        Comparator::Greater if p == 100.0 => " (equal to the target, not over it)",
        Comparator::Less if p == 100.0 => " (equal to the target, not under it)",
        _ => "",
    };
    let mut text = match (target.percent_of_target, target.progress_from_baseline) {
        (Some(p), _) => format!(", {}% of target{}", share_text(p, target.percent_decimals.unwrap_or(1)), equal(p)),
        (None, Some(p)) => format!(
            ", {}% of the way from the baseline{}",
            share_text(p, target.progress_decimals.unwrap_or(1)),
            equal(p)
        ),
        (None, None) => String::new(),
    };
    if let (Some(gap), Some(false)) = (target.gap, target.met) {
        let _ = write!(text, ", gap {}", exact::fixed(gap, target.gap_decimals.unwrap_or(0)));
        if scale {
            text.push_str(" level(s) of the scale");
        }
    }
    text
}

/// Why a target line has no value to compare: never a bare "no data" beside a value the series does have for the
/// target's period (partial, synthetic or suppressed values decide nothing, and say so).
fn no_value_compared(target: &TargetResult, result: &IndicatorResult) -> String {
    let own = result.series.iter().find(|p| p.period == target.period);
    match own {
        Some(point) if point.value.is_none() => format!("suppressed in {}", target.period),
        Some(point) if point.synthetic => {
            format!("only a synthetic value in {} (synthetic values decide nothing)", target.period)
        }
        _ if result.series.iter().any(|p| p.coverage.as_ref().is_some_and(|c| !c.complete)) => {
            "no complete value (partial values decide nothing; see [assessment] coverage)".to_owned()
        }
        Some(_) => format!("no value in {} that may decide", target.period),
        None => "no data".to_owned(),
    }
}

/// One point of a series: the shown value, provisional, synthetic and estimate marks, sources, change on the same period last
/// year and coverage.
fn table_point(text: &mut String, point: &Point, result: &IndicatorResult, (at_least, percentage): (u8, bool)) {
    let decimals = decimals_at(result, point.period, at_least);
    let shown = |v: f64| if percentage { share_text(v, decimals) } else { exact::fixed(v, decimals) };
    let value = match (point.value, point.state) {
        (Some(v), ValueState::Value) => shown(v),
        (Some(v), _) => format!("{} (suppressed)", shown(v)),
        (None, ValueState::Incomplete) => "incomplete".to_owned(),
        (None, _) => "suppressed".to_owned(),
    };
    let coverage = point
        .coverage
        .as_ref()
        .map(|c| {
            let units = format!("  {} of {} units", c.reported, c.expected);
            if c.complete { units } else { format!("{units} PARTIAL: {}", missing_text(c)) }
        })
        .unwrap_or_default();
    // A sum over the units below shown beside the unit's own reports is another basis: said where it is shown.
    let basis = match (point.other_basis, point.basis) {
        (true, Basis::Combined) => {
            "  the unit's own reports for part of the period, the units below for the rest: not used for the status"
        }
        (true, _) => "  sum of the units below: not the unit's own report, not used for the status",
        (false, _) => "",
    };
    let after_end =
        point.after_end.map(|day| format!("  reported for days after the unit ended on {day}")).unwrap_or_default();
    let restated = match point.coverage.as_ref().filter(|c| !c.restated.is_empty() && point.value.is_some()) {
        Some(c) => format!("  RESTATED: holds {} (reported for days before the unit existed)", c.restated.join(", ")),
        None => String::new(),
    };
    let beyond =
        if point.beyond_limit { "  BEYOND THE INDICATOR'S LIMIT: check the data; not used for any status" } else { "" };
    let contested = if point.contested {
        "  REPORTS DISAGREE: a period and its parts were reported as different numbers (W339); not used for any status"
    } else {
        ""
    };
    let after_end = after_end + &restated + beyond + contested;
    let change = point
        .change
        .as_ref()
        .map(|c| {
            let percent = c.percent.map(|p| format!(", {}%", signed_share(p, 1))).unwrap_or_default();
            let decimals = change_decimals(result, point, c, at_least);
            format!("  {} on {}{percent}", signed_change(c, decimals, false), c.previous_period)
        })
        .or_else(|| {
            let day = point.area_changed?;
            Some(format!(
                "  not comparable with {}: the unit's area changed on {day}",
                point.period.same_period_last_year()
            ))
        })
        .or_else(|| {
            let day = point.series_break?;
            let previous = point.period.same_period_last_year();
            Some(match result.series.iter().any(|p| p.period == previous) {
                true => {
                    format!("  not comparable with {previous}: a break in the series on {day} (definition changed)")
                }
                false => format!("  a break in the series on {day} (the count's definition changed)"),
            })
        })
        .unwrap_or_default();
    let _ = writeln!(
        text,
        "  {:<8} {:>12}{}{}{}{}{}{}{}",
        point.period.to_string(),
        value,
        if point.provisional { " p" } else { "" },
        kind_marks(point),
        // A hidden value cites nothing (`eval::withheld_messages::uniform_hidden`).
        if point.sources.is_empty() { String::new() } else { format!("  [{}]", point.sources.join(", ")) },
        change,
        coverage,
        basis,
        after_end
    );
}

/// A data set's completeness: the total, on time where submission dates exist, then each period.
fn table_completeness(text: &mut String, completeness: &Completeness) {
    let _ = writeln!(
        text,
        "\nCompleteness of {}: {} of {} reports ({})",
        completeness.data_set,
        completeness.received,
        completeness.expected,
        completeness.rate.map(|r| format!("{}%", share_text(r, 1))).unwrap_or_else(|| "nothing expected".to_owned())
    );
    if let Some(on_time) = completeness.on_time {
        let rate = completeness.on_time_rate.map(|r| format!(" ({}%)", share_text(r, 1))).unwrap_or_default();
        let _ = writeln!(text, "  on time: {on_time}{rate}");
    }
    for period in &completeness.periods {
        let on_time = match (period.on_time, period.on_time_rate) {
            (Some(on_time), Some(rate)) => format!("  on time {on_time} ({}%)", share_text(rate, 1)),
            (Some(on_time), None) => format!("  on time {on_time}"),
            _ => String::new(),
        };
        let _ = writeln!(
            text,
            "  {:<8} {:>4}/{:<4} {}{on_time}",
            period.period.to_string(),
            period.received,
            period.expected,
            period.rate.map(|r| format!("{}%", share_text(r, 1))).unwrap_or_default()
        );
    }
}
