//! The national catalogue built into the binary (`catalogue = ["builtin:vn"]` in `tiendo.toml`), so that a project
//! needs no checkout of the repository: the texts of `indicators/*.toml` as this binary was built, and their digest.
//!
//! The embedding lives in the binary, not in the loader: which catalogue ships, and in which version, is a choice of
//! the program that is distributed; the loader only reads the texts it is handed (ARCHITECTURE.md).

use sha2::{Digest, Sha256};
use tiendo_load::{Builtin, FileSystem, WithBuiltins};

/// `builtin:vn`: every `.toml` file of `indicators/`, by path inside it. A test compares this list with the folder,
/// so that a file added there cannot be left out here.
pub const VN_FILES: &[(&str, &str)] = &[
    ("agencies.toml", include_str!("../indicators/agencies.toml")),
    ("categories.toml", include_str!("../indicators/categories.toml")),
    ("data-elements.toml", include_str!("../indicators/data-elements.toml")),
    ("data-sets.toml", include_str!("../indicators/data-sets.toml")),
    ("indicators.toml", include_str!("../indicators/indicators.toml")),
    ("org-units/country.toml", include_str!("../indicators/org-units/country.toml")),
    ("org-units/groups-2021.toml", include_str!("../indicators/org-units/groups-2021.toml")),
    ("org-units/provinces-2021.toml", include_str!("../indicators/org-units/provinces-2021.toml")),
    ("org-units/provinces-2025.toml", include_str!("../indicators/org-units/provinces-2025.toml")),
    ("plans/ha-noi-127-2018.toml", include_str!("../indicators/plans/ha-noi-127-2018.toml")),
    ("plans/kh-19-bcd138cp-2024.toml", include_str!("../indicators/plans/kh-19-bcd138cp-2024.toml")),
    ("plans/kh-28-bcd-2023.toml", include_str!("../indicators/plans/kh-28-bcd-2023.toml")),
    ("plans/qd-193-2021.toml", include_str!("../indicators/plans/qd-193-2021.toml")),
    ("plans/qd-33-2026.toml", include_str!("../indicators/plans/qd-33-2026.toml")),
    ("plans/quang-nam-2021-2025.toml", include_str!("../indicators/plans/quang-nam-2021-2025.toml")),
    ("plans/recurring-and-instruments.toml", include_str!("../indicators/plans/recurring-and-instruments.toml")),
    ("plans/vwu-2022-returned-victims.toml", include_str!("../indicators/plans/vwu-2022-returned-victims.toml")),
    ("sources.toml", include_str!("../indicators/sources.toml")),
    ("validation-rules.toml", include_str!("../indicators/validation-rules.toml")),
    ("work-areas.toml", include_str!("../indicators/work-areas.toml")),
];

/// The built-in catalogues.
pub const BUILTINS: &[Builtin] = &[Builtin { name: "vn", files: VN_FILES }];

/// `fs` with the built-in catalogues mounted at `builtin:NAME`.
pub fn file_system(fs: &dyn FileSystem) -> WithBuiltins<'_> {
    WithBuiltins::new(fs, BUILTINS)
}

/// The sha256 of a built-in catalogue: the sha256 of its manifest, one line `SHA256  PATH` per file in path order
/// (what `sha256sum` prints, run on the files in the catalogue's folder), so that anyone can recompute it from the
/// same files: `cd indicators && find . -name '*.toml' | sed 's|^./||' | LC_ALL=C sort | xargs sha256sum | sha256sum`.
pub fn digest(builtin: &Builtin) -> String {
    let mut files: Vec<&(&str, &str)> = builtin.files.iter().collect();
    files.sort_by_key(|(path, _)| *path);
    let manifest: String =
        files.iter().map(|(path, text)| format!("{:x}  {path}\n", Sha256::digest(text.as_bytes()))).collect();
    format!("{:x}", Sha256::digest(manifest.as_bytes()))
}

/// The digest of each built-in catalogue that `files` (the catalogue files a project read) come from, named
/// `builtin:NAME`, for the review's input digests.
pub fn digests_of_used(files: &[std::path::PathBuf]) -> Vec<tiendo_report::InputDigest> {
    BUILTINS
        .iter()
        .filter(|builtin| files.iter().any(|file| file.starts_with(builtin.label())))
        .map(|builtin| tiendo_report::InputDigest { path: builtin.label(), sha256: Some(digest(builtin)), data: false })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalogue_file_is_embedded_as_it_is_on_disk() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("indicators");
        let toml = |path: &std::path::Path| path.extension().is_some_and(|extension| extension == "toml");
        let on_disk: Vec<(String, String)> = crate::scaffold::relative_files(&root, toml)
            .into_iter()
            .map(|(name, path)| (name, std::fs::read_to_string(path).unwrap()))
            .collect();
        let mut embedded: Vec<(String, String)> =
            VN_FILES.iter().map(|(path, text)| ((*path).to_owned(), (*text).to_owned())).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn the_digest_is_the_sha256_of_the_sha256sum_manifest() {
        let builtin = Builtin { name: "t", files: &[("b.toml", "b"), ("a.toml", "a")] };
        // sha256("a") and sha256("b"), then the sha256 of the two lines in path order.
        let manifest = "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb  a.toml\n\
                        3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d  b.toml\n";
        assert_eq!(digest(&builtin), format!("{:x}", Sha256::digest(manifest.as_bytes())));
        assert_eq!(digest(&BUILTINS[0]).len(), 64);
    }
}
