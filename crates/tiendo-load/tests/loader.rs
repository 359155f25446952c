//! Data-driven loader cases on in-memory files: each case adds one small file to a valid base catalogue and
//! lists the diagnostic codes it must produce, in order.

use std::path::PathBuf;

use tiendo_core::{Comparator, Formula, Period, SourceKind};
use tiendo_load::{MemoryFileSystem, load_catalogue, load_path};

const BASE: &str = include_str!("../../../tests/fixtures/check/e010-unknown-source/base.toml");

/// A province that ended on 30 June 2023 (for E042).
const OLD_UNIT: &str = "[[org_unit]]\nid = \"old\"\nname = { vi = \"a\", en = \"b\" }\nlevel = \"province\"\nparent = \"vn\"\nvalid_to = 2023-06-30\n";

fn check(extra: &str) -> Vec<&'static str> {
    let mut fs = MemoryFileSystem::new();
    fs.insert("cat/base.toml", BASE).insert("cat/extra.toml", extra);
    let loaded = load_catalogue(&fs, &[PathBuf::from("cat")]);
    loaded.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn cases() {
    let indicator = |extra: &str| {
        format!(
            "[[indicator]]\nid = \"t9\"\ncode = \"T9\"\nname = {{ vi = \"a\", en = \"b\" }}\ngroup = \"detection\"\nmeasure = \"percent\"\ndirection = \"increase\"\nsource = \"qd-193-2021\"\n{extra}"
        )
    };
    let target = |period: &str, comparator: &str, value: &str| {
        format!(
            "[[plan]]\nid = \"p\"\nkind = \"national\"\ntitle = {{ vi = \"a\", en = \"b\" }}\norg_unit = \"vn\"\nperiod = \"2024\"\nsource = \"qd-193-2021\"\nindicators = [\"t2\"]\n[[plan.target]]\nindicator = \"t2\"\nperiod = {period}\ncomparator = {comparator}\nvalue = {value}\nsource = \"qd-193-2021\"\n"
        )
    };
    // A count indicator t9 of `formula` and a plan with its one target for 2024.
    let count_target = |formula: &str, comparator: &str, value: &str| {
        format!(
            "[[indicator]]\nid = \"t9\"\ncode = \"T9\"\nname = {{ vi = \"a\", en = \"b\" }}\ngroup = \"detection\"\n\
             measure = \"count\"\nnumerator = \"{formula}\"\ndirection = \"decrease\"\nsource = \"qd-193-2021\"\n\
             [[plan]]\nid = \"p\"\nkind = \"national\"\ntitle = {{ vi = \"a\", en = \"b\" }}\norg_unit = \"vn\"\n\
             period = \"2024\"\nsource = \"qd-193-2021\"\nindicators = [\"t9\"]\n[[plan.target]]\nindicator = \"t9\"\n\
             period = \"2024\"\ncomparator = \"{comparator}\"\nvalue = {value}\nsource = \"qd-193-2021\"\n"
        )
    };
    // Two targets for t2 in 2024: `first` then `second` (comparator, value).
    let band = |c1: &str, v1: &str, c2: &str, v2: &str| {
        let second = format!(
            "[[plan.target]]\nindicator = \"t2\"\nperiod = \"2024\"\ncomparator = \"{c2}\"\nvalue = {v2}\nsource = \"qd-193-2021\"\n"
        );
        target("\"2024\"", &format!("\"{c1}\""), v1) + &second
    };
    let cases: Vec<(String, Vec<&str>)> = vec![
        (String::new(), vec![]),
        ("# only a comment\n".to_owned(), vec![]),
        (indicator(""), vec![]),
        (indicator("numerator = \"victims_identified[sex=female]\"\ndenominator = \"victims_identified\""), vec![]),
        (indicator("numerator = \"victims_identified[age=child]\""), vec!["E045", "E013"]),
        (indicator("numerator = \"denunciations_received[sex=female]\""), vec!["E045", "E013"]),
        (indicator("numerator = \"(a\""), vec!["E024"]),
        (indicator("numerator = \"x\\u0041 +\""), vec!["E024"]),
        (indicator("denominator = \"victims_identified\""), vec!["E030"]),
        (indicator("decimals = -1"), vec!["E029"]),
        (indicator("limit = nan"), vec!["E029"]),
        (indicator("scale = [{ value = 1, label = { vi = \"a\", en = \"b\" } }]"), vec!["W003"]),
        (indicator("plugin = { id = \"anything\", metric = \"m\" }"), vec![]),
        (target("\"2024Q2\"", "\">=\"", "50"), vec![]),
        (target("2024", "\"<\"", "5.5"), vec![]),
        (target("\"2024S3\"", "\">\"", "10"), vec!["E020"]),
        (target("\"2023\"", "\">\"", "10"), vec!["E022"]),
        (target("\"2024\"", "\"≥\"", "10"), vec!["E021"]),
        (target("\"2024\"", "\">\"", "-1"), vec!["E023"]),
        (target("\"2024\"", "\">\"", "\"90\""), vec!["E005"]),
        // Targets of one period that no value meets together (E037, at the target that makes them so); a band is fine.
        (band(">=", "85", "<=", "95"), vec![]),
        (band(">=", "85", "<=", "85"), vec![]),
        (band(">", "85", "<=", "85"), vec!["E037"]),
        (band(">=", "85", "<", "80"), vec!["E037"]),
        (band("=", "100", "<=", "95"), vec!["E037"]),
        (band("=", "90", "=", "95"), vec!["E037"]),
        (band("=", "90", ">=", "85"), vec![]),
        // A target no value of the indicator can meet (E038): past the end of a percentage's 0-100, below a count's 0.
        (target("\"2024\"", "\">\"", "100"), vec!["E038"]),
        (target("\"2024\"", "\"<\"", "0"), vec!["E038"]),
        (target("\"2024\"", "\">=\"", "100"), vec![]),
        (target("\"2024\"", "\"<=\"", "0"), vec![]),
        (band(">", "100", "<=", "100"), vec!["E038", "E037"]),
        (count_target("victims_identified", "<", "0"), vec!["E038"]),
        (count_target("victims_identified", "<=", "-1"), vec!["E038"]),
        (count_target("victims_identified", "=", "0"), vec![]),
        (count_target("(victims_identified + denunciations_received) / 2", "<", "0"), vec!["E038"]),
        // A quotient of data elements in one expression (E044, round 72).
        (count_target("victims_identified / denunciations_received", "<=", "5"), vec!["E044"]),
        // A percentage target written as a fraction (W005, round 68): 0.9 for 90 %, 1 for 100 %; an upper bound passes.
        (target("\"2024\"", "\">\"", "0.9"), vec!["W005"]),
        (target("\"2024\"", "\"=\"", "1"), vec!["W005"]),
        (target("\"2024\"", "\"<=\"", "0.5"), vec![]),
        (target("\"2024\"", "\">=\"", "1.5"), vec![]),
        // A count with a denominator (E043) and a "%" unit on a measure that is no percentage (W006), round 68.
        (count_target("victims_identified", ">=", "0")
            .replace("direction = \"decrease\"", "denominator = \"denunciations_received\"\ndirection = \"decrease\""), vec!["E043"]),
        (indicator("unit = { vi = \"%\", en = \"%\" }").replace("measure = \"percent\"", "measure = \"count\""), vec!["W006"]),
        (indicator("unit = { vi = \"%\", en = \"%\" }"), vec![]),
        // A target for an org unit that existed on no day of its period (E042, round 68), of its own or its plan's.
        (target("\"2024\"", "\">\"", "50").replace("[[plan.target]]\n", "[[plan.target]]\norg_unit = \"old\"\n") + OLD_UNIT, vec!["E042"]),
        (target("\"2024\"", "\">\"", "50").replace("org_unit = \"vn\"", "org_unit = \"old\"") + OLD_UNIT, vec!["E042"]),
        (target("\"2023\"", "\">\"", "50").replace("period = \"2024\"\nsource", "period = \"2023\"\nsource").replace("org_unit = \"vn\"", "org_unit = \"old\"") + OLD_UNIT, vec![]),
        // A difference of two counts may fall below 0: nothing is known of its range.
        (count_target("denunciations_received - denunciations_resolved", "<", "0"), vec![]),
        // A baseline a count never takes.
        (count_target("victims_identified", ">=", "0").replace(
            "[[plan.target]]",
            "[[plan.baseline]]\nindicator = \"t9\"\nperiod = \"2023\"\nvalue = -2\nsource = \"qd-193-2021\"\n[[plan.target]]",
        ), vec!["E029"]),
        ("[[source]]\nid = \"x\"\ntitle = { vi = \"a\", en = \"b\" }\ndate = \"2021-02-30\"\n".to_owned(), vec!["E007"]),
        ("[[source]]\nid = \"x\"\ntitle = { vi = \"a\", en = \"b\" }\nissuer = \"some-agency\"\n".to_owned(), vec!["E011"]),
        ("[[source]]\nid = \"x\"\ntitle = { vi = \"a\", en = \"b\" }\nissuer = \"UNODC\"\n".to_owned(), vec![]),
        ("source = 3\n".to_owned(), vec!["E005"]),
        ("[[source]]\n".to_owned(), vec!["E006", "E006"]),
        ("[[source]]\nid = \"x\"\ntitel = { vi = \"a\", en = \"b\" }\n".to_owned(), vec!["E004"]),
        ("[[org_unit]]\nid = \"a\"\nname = { vi = \"a\", en = \"b\" }\nlevel = \"province\"\nparent = \"vn\"\nsuccessors = [\"b\"]\n[[org_unit]]\nid = \"b\"\nname = { vi = \"a\", en = \"b\" }\nlevel = \"province\"\nparent = \"vn\"\nvalid_from = 2025-07-01\n".to_owned(), vec!["E026"]),
        // A table that cannot be read still declares its id, so references to it are not reported as unknown.
        ("[[work_area]]\nid = \"detection-2\"\n".to_owned() + &indicator("").replace("detection", "detection-2"), vec!["E006"]),
    ];
    for (extra, expected) in cases {
        assert_eq!(check(&extra), expected, "input:\n{extra}");
    }
}

#[test]
fn builds_the_model() {
    let mut fs = MemoryFileSystem::new();
    fs.insert("cat/base.toml", BASE);
    let loaded = load_path(&fs, &PathBuf::from("cat/base.toml"));
    assert!(loaded.diagnostics.is_empty());
    let catalogue = loaded.catalogue.expect("valid");
    let indicator = &catalogue.indicators["t2"];
    assert!(matches!(indicator.formula, Formula::Expression { denominator: Some(_), .. }));
    assert_eq!(indicator.decimals, 1);
    let plan = &catalogue.plans["qd-193-2021"];
    assert_eq!(plan.period, Period::parse("2021..2025").expect("valid period"));
    assert!(catalogue.data_elements["victims_identified"].sensitive);
    assert_eq!(Comparator::parse(">"), Some(Comparator::Greater));
}

/// A source's kind is read from `kind`; an unknown word is E007 at the word, with the allowed kinds as the hint.
#[test]
fn source_kind_is_read_and_an_unknown_kind_is_located() {
    let source = |kind: &str| format!("[[source]]\nid = \"x\"\n{kind}title = {{ vi = \"a\", en = \"b\" }}\n");
    for (line, expected) in [
        ("", SourceKind::Official),
        ("kind = \"official\"\n", SourceKind::Official),
        ("kind = \"estimate\"\n", SourceKind::Estimate),
        ("kind = \"synthetic\"\n", SourceKind::Synthetic),
    ] {
        let mut fs = MemoryFileSystem::new();
        fs.insert("cat/base.toml", BASE).insert("cat/extra.toml", source(line));
        let loaded = load_catalogue(&fs, &[PathBuf::from("cat")]);
        assert!(loaded.diagnostics.is_empty(), "{line}: {:?}", loaded.diagnostics);
        assert_eq!(loaded.catalogue.expect("valid").sources["x"].kind, expected, "{line}");
    }

    let mut fs = MemoryFileSystem::new();
    fs.insert("cat/base.toml", BASE).insert("cat/extra.toml", source("kind = \"generated\"\n"));
    let loaded = load_catalogue(&fs, &[PathBuf::from("cat")]);
    let [diagnostic] = loaded.diagnostics.as_slice() else { panic!("one diagnostic: {:?}", loaded.diagnostics) };
    assert_eq!((diagnostic.code, diagnostic.message.as_str()), ("E007", "`generated` is not a source kind"));
    let span = diagnostic.span.as_ref().expect("located");
    assert_eq!((span.file.as_str(), span.line, span.column), ("cat/extra.toml", 3, 8));
    assert_eq!(diagnostic.hints, ["expected one of `official`, `estimate`, `derived`, `synthetic`"]);
    // A near miss gets "did you mean".
    let mut fs = MemoryFileSystem::new();
    fs.insert("cat/base.toml", BASE).insert("cat/extra.toml", source("kind = \"synthetik\"\n"));
    let loaded = load_catalogue(&fs, &[PathBuf::from("cat")]);
    assert_eq!(loaded.diagnostics[0].hints, ["did you mean `synthetic`?"]);
}

/// "Did you mean" compares an unknown reference with every declared id of its kind, so only the first hundred
/// unknown references of a kind get one (in the order they are checked): a catalogue of thousands of units whose
/// parent is declared elsewhere is checked in time, and the rest are told to declare the id.
#[test]
fn only_the_first_hundred_unknown_references_of_a_kind_get_a_suggestion() {
    let units: String = (0..150)
        .map(|n| {
            format!("[[org_unit]]\nid = \"c{n:04}\"\nname = {{ vi = \"x\", en = \"x\" }}\nlevel = \"commune\"\nparent = \"quang-nom\"\n\n")
        })
        .collect();
    let mut fs = MemoryFileSystem::new();
    fs.insert("cat/base.toml", BASE).insert("cat/units.toml", units);
    let loaded = load_catalogue(&fs, &[PathBuf::from("cat")]);
    let hints: Vec<&str> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("quang-nom"))
        .map(|d| d.hints.first().map_or("", String::as_str))
        .collect();
    assert_eq!(hints.len(), 150, "{:?}", loaded.diagnostics);
    assert!(hints[..100].iter().all(|hint| *hint == "did you mean `quang-nam`?"), "{hints:?}");
    assert!(hints[100..].iter().all(|hint| hint.starts_with("declare it in a `[[org_unit]]` table")), "{hints:?}");
}
