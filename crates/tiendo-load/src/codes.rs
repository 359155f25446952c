//! Every diagnostic the loader emits, with its stable code and name. Codes are never reused for another meaning;
//! `docs/toml-reference.md` lists them with examples.

/// A stable diagnostic code and its kebab-case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub code: &'static str,
    pub name: &'static str,
}

const fn code(code: &'static str, name: &'static str) -> Code {
    Code { code, name }
}

pub const TOML_SYNTAX: Code = code("E001", "toml-syntax");
pub const INVALID_UTF8: Code = code("E002", "invalid-utf8");
pub const UNREADABLE_PATH: Code = code("E003", "unreadable-path");
pub const UNKNOWN_KEY: Code = code("E004", "unknown-key");
pub const WRONG_TYPE: Code = code("E005", "wrong-type");
pub const MISSING_KEY: Code = code("E006", "missing-key");
pub const INVALID_VALUE: Code = code("E007", "invalid-value");
pub const DUPLICATE_ID: Code = code("E008", "duplicate-id");
pub const INVALID_ID: Code = code("E009", "invalid-id");
pub const UNKNOWN_SOURCE: Code = code("E010", "unknown-source");
pub const UNKNOWN_AGENCY: Code = code("E011", "unknown-agency");
pub const UNKNOWN_ORG_UNIT: Code = code("E012", "unknown-org-unit");
pub const UNKNOWN_CATEGORY: Code = code("E013", "unknown-category");
pub const UNKNOWN_CATEGORY_OPTION: Code = code("E014", "unknown-category-option");
pub const UNKNOWN_DATA_ELEMENT: Code = code("E015", "unknown-data-element");
pub const UNKNOWN_WORK_AREA: Code = code("E016", "unknown-work-area");
pub const UNKNOWN_INDICATOR: Code = code("E017", "unknown-indicator");
pub const UNKNOWN_PLAN: Code = code("E018", "unknown-plan");
pub const UNKNOWN_PLUGIN: Code = code("E019", "unknown-plugin");
pub const BAD_PERIOD: Code = code("E020", "bad-period");
pub const BAD_COMPARATOR: Code = code("E021", "bad-comparator");
pub const TARGET_OUTSIDE_PLAN_PERIOD: Code = code("E022", "target-outside-plan-period");
pub const PERCENT_OUT_OF_RANGE: Code = code("E023", "percent-out-of-range");
pub const EXPRESSION_SYNTAX: Code = code("E024", "expression-syntax");
pub const ORG_UNIT_CYCLE: Code = code("E025", "org-unit-cycle");
pub const SUCCESSOR_OVERLAP: Code = code("E026", "successor-overlap");
pub const NOT_IN_IMPLEMENTED_PLAN: Code = code("E027", "not-in-implemented-plan");
pub const INVALID_DATE_RANGE: Code = code("E028", "invalid-date-range");
pub const NUMBER_OUT_OF_RANGE: Code = code("E029", "number-out-of-range");
pub const CONFLICTING_FORMULA: Code = code("E030", "conflicting-formula");
pub const LEVEL_MISMATCH: Code = code("E031", "level-mismatch");
pub const NO_INPUT_FILES: Code = code("E032", "no-input-files");
pub const INVALID_CHECKSUM: Code = code("E033", "invalid-checksum");
pub const MISPLACED_TABLE: Code = code("E034", "misplaced-table");
pub const IMPLEMENTS_CYCLE: Code = code("E035", "implements-cycle");
pub const GROUP_ACROSS_MAPS: Code = code("E036", "group-across-maps");
pub const TARGETS_CONTRADICT: Code = code("E037", "targets-contradict");
pub const TARGET_UNATTAINABLE: Code = code("E038", "target-unattainable");
pub const CODED_COMBINED: Code = code("E039", "coded-value-combined");
pub const SENSITIVE_NOT_COUNT: Code = code("E040", "sensitive-not-count");
pub const BEFORE_PARENT: Code = code("E041", "before-parent");
pub const TARGET_UNIT_NOT_VALID: Code = code("E042", "target-unit-not-valid");
pub const COUNT_OVER_DENOMINATOR: Code = code("E043", "count-over-denominator");
pub const EXPRESSION_NOT_ADDITIVE: Code = code("E044", "expression-not-additive");
pub const SHARES_SUMMED: Code = code("E045", "shares-summed");
pub const DIVIDES_BY_ZERO: Code = code("E046", "divides-by-zero");
// The narrative (docs/narrative.md). E501-E505 are found after evaluation by `tiendo_report::narrative::check`,
// which uses the same codes (a test of the binary keeps them equal); E506 by the loader.
pub const NARRATIVE_MISSING_LANGUAGE: Code = code("E501", "narrative-missing-language");
pub const NARRATIVE_HELPER_SYNTAX: Code = code("E502", "narrative-helper-syntax");
pub const NARRATIVE_UNKNOWN_HELPER: Code = code("E503", "narrative-unknown-helper");
pub const NARRATIVE_HELPER_ARGUMENTS: Code = code("E504", "narrative-helper-arguments");
pub const NARRATIVE_NO_VALUE: Code = code("E505", "narrative-no-value");
pub const NARRATIVE_UNKNOWN_FILE: Code = code("E506", "narrative-unknown-file");
pub const TARGET_FOR_UNLISTED_INDICATOR: Code = code("W001", "target-for-unlisted-indicator");
pub const DUPLICATE_REFERENCE: Code = code("W002", "duplicate-reference");
pub const SCALE_WITHOUT_ORDINAL: Code = code("W003", "scale-without-ordinal");
pub const BASELINE_PART_OF_A_YEAR: Code = code("W004", "baseline-part-of-a-year");
pub const PERCENT_TARGET_AS_FRACTION: Code = code("W005", "percent-target-as-fraction");
pub const PERCENT_UNIT_NOT_PERCENT: Code = code("W006", "percent-unit-not-percent");
pub const BREAKDOWN_NOT_COMPUTABLE: Code = code("W007", "breakdown-not-computable");

/// Every code, in code order: the reference documentation and a test that keeps codes unique read this.
pub const ALL: &[Code] = &[
    TOML_SYNTAX,
    INVALID_UTF8,
    UNREADABLE_PATH,
    UNKNOWN_KEY,
    WRONG_TYPE,
    MISSING_KEY,
    INVALID_VALUE,
    DUPLICATE_ID,
    INVALID_ID,
    UNKNOWN_SOURCE,
    UNKNOWN_AGENCY,
    UNKNOWN_ORG_UNIT,
    UNKNOWN_CATEGORY,
    UNKNOWN_CATEGORY_OPTION,
    UNKNOWN_DATA_ELEMENT,
    UNKNOWN_WORK_AREA,
    UNKNOWN_INDICATOR,
    UNKNOWN_PLAN,
    UNKNOWN_PLUGIN,
    BAD_PERIOD,
    BAD_COMPARATOR,
    TARGET_OUTSIDE_PLAN_PERIOD,
    PERCENT_OUT_OF_RANGE,
    EXPRESSION_SYNTAX,
    ORG_UNIT_CYCLE,
    SUCCESSOR_OVERLAP,
    NOT_IN_IMPLEMENTED_PLAN,
    INVALID_DATE_RANGE,
    NUMBER_OUT_OF_RANGE,
    CONFLICTING_FORMULA,
    LEVEL_MISMATCH,
    BEFORE_PARENT,
    TARGET_UNIT_NOT_VALID,
    COUNT_OVER_DENOMINATOR,
    NO_INPUT_FILES,
    INVALID_CHECKSUM,
    MISPLACED_TABLE,
    IMPLEMENTS_CYCLE,
    GROUP_ACROSS_MAPS,
    TARGETS_CONTRADICT,
    TARGET_UNATTAINABLE,
    CODED_COMBINED,
    NARRATIVE_MISSING_LANGUAGE,
    NARRATIVE_HELPER_SYNTAX,
    NARRATIVE_UNKNOWN_HELPER,
    NARRATIVE_HELPER_ARGUMENTS,
    NARRATIVE_NO_VALUE,
    NARRATIVE_UNKNOWN_FILE,
    TARGET_FOR_UNLISTED_INDICATOR,
    DUPLICATE_REFERENCE,
    SCALE_WITHOUT_ORDINAL,
    BASELINE_PART_OF_A_YEAR,
    PERCENT_TARGET_AS_FRACTION,
    PERCENT_UNIT_NOT_PERCENT,
    BREAKDOWN_NOT_COMPUTABLE,
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    #[test]
    fn codes_and_names_are_unique() {
        let codes: BTreeSet<&str> = super::ALL.iter().map(|c| c.code).collect();
        let names: BTreeSet<&str> = super::ALL.iter().map(|c| c.name).collect();
        assert_eq!(codes.len(), super::ALL.len());
        assert_eq!(names.len(), super::ALL.len());
    }
}
