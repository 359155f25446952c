//! Building Python plugins: checks the sources for syntax errors, makes (once) an isolated virtual environment with
//! the plugin's pinned componentize-py installed by hash, and runs `componentize-py --stub-wasi` so that the
//! component imports no WASI at all and the host stays WASI-free (docs/plugins.md, "Python plugins").

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::builder::{BuildError, BuiltPlugin};
use crate::cache::hex_sha256;

/// The file that marks a folder as a Python plugin (with `app.py`, written by `tiendo plugin new --lang python`).
pub const PYTHON_PLUGIN_FILE: &str = "plugin.py";
/// The componentize-py entry module every Python plugin has.
pub const PYTHON_APP_MODULE: &str = "app";
/// The pinned build requirement, with hashes.
pub const PYTHON_REQUIREMENTS: &str = "requirements-build.txt";
/// The WIT folder inside a Python plugin, and the world it targets.
pub const PYTHON_WIT_DIR: &str = "wit/v0.1";
pub const PYTHON_WORLD: &str = "metric-plugin";

/// What to build.
#[derive(Debug, Clone)]
pub struct PythonBuildRequest {
    /// The plugin folder (with `plugin.py`, `app.py`, `requirements-build.txt` and `wit/v0.1/`).
    pub dir: PathBuf,
    /// Where the component is written: `OUT_DIR/ID.wasm` (the CLI uses `DIR/target/tiendo-plugins`).
    pub out_dir: PathBuf,
    /// Where build environments are kept, one per requirements file (by its sha256), reused across builds.
    pub env_root: PathBuf,
    /// The Python that creates the environment (3.9 or newer; `python3` when `None`).
    pub python: Option<PathBuf>,
    /// Passes `--quiet` to pip and componentize-py.
    pub quiet: bool,
}

/// Whether `dir` holds a Python plugin: `plugin.py` and no `Cargo.toml`.
pub fn is_python_plugin(dir: &Path) -> bool {
    dir.join(PYTHON_PLUGIN_FILE).is_file() && !dir.join("Cargo.toml").exists()
}

/// Builds the Python plugin in `request.dir` into `OUT_DIR/ID.wasm`, where ID is the folder's name.
///
/// Errors: [`BuildError::PythonSyntax`] (every syntax error, at file:line:col), [`BuildError::PythonEnvironment`]
/// (no Python, or the pinned componentize-py could not be installed: the message names the command to run by hand),
/// [`BuildError::CommandFailed`] when componentize-py fails (its own output says why).
pub fn build_python_plugin(request: &PythonBuildRequest) -> Result<BuiltPlugin, BuildError> {
    // componentize-py runs inside the plugin folder, so every path it is given is made absolute first.
    let dir = &std::path::absolute(&request.dir).map_err(|error| io_error(&request.dir, &error))?;
    let out_dir = std::path::absolute(&request.out_dir).map_err(|error| io_error(&request.out_dir, &error))?;
    for required in [PYTHON_PLUGIN_FILE, "app.py", PYTHON_REQUIREMENTS] {
        if !dir.join(required).is_file() {
            return Err(BuildError::NotAPythonPlugin { dir: dir.clone(), missing: required.to_owned() });
        }
    }
    if !dir.join(PYTHON_WIT_DIR).is_dir() {
        return Err(BuildError::NotAPythonPlugin { dir: dir.clone(), missing: PYTHON_WIT_DIR.to_owned() });
    }
    let id = dir
        .canonicalize()
        .ok()
        .and_then(|path| path.file_name().map(|name| name.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "plugin".to_owned());
    let python = request.python.clone().unwrap_or_else(|| PathBuf::from("python3"));
    check_syntax(&python, dir)?;
    let componentize_py =
        ensure_environment(&python, &dir.join(PYTHON_REQUIREMENTS), &request.env_root, request.quiet)?;

    std::fs::create_dir_all(&out_dir).map_err(|error| io_error(&out_dir, &error))?;
    let out = out_dir.join(format!("{id}.wasm"));
    let mut command = Command::new(&componentize_py);
    command.arg("-d").arg(dir.join(PYTHON_WIT_DIR)).args(["-w", PYTHON_WORLD]);
    if request.quiet {
        command.arg("--quiet");
    }
    command.args(["componentize", PYTHON_APP_MODULE, "--stub-wasi", "-p"]).arg(dir).arg("-o").arg(&out);
    isolate(&mut command).current_dir(dir);
    run(&mut command)?;
    let component = std::fs::read(&out).map_err(|error| io_error(&out, &error))?;
    Ok(BuiltPlugin { package: id, component: out, sha256: hex_sha256(&component), size_bytes: component.len() as u64 })
}

/// Compiles every `.py` file of `dir` (not its subfolders) with `python`, without writing bytecode, and collects
/// every syntax error as `file:line:col: message`.
fn check_syntax(python: &Path, dir: &Path) -> Result<(), BuildError> {
    const SCRIPT: &str = r#"
import pathlib, sys
for path in sorted(pathlib.Path(sys.argv[1]).glob("*.py")):
    try:
        compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
    except SyntaxError as error:
        print(f"{path}:{error.lineno or 0}:{error.offset or 0}: {type(error).__name__}: {error.msg}")
    except ValueError as error:
        print(f"{path}:0:0: {error}")
"#;
    let mut command = Command::new(python);
    command.args(["-I", "-B", "-c", SCRIPT]).arg(dir);
    let output = command.output().map_err(|error| BuildError::PythonEnvironment {
        reason: format!("cannot run `{}`: {error}", python.display()),
        hint: "install Python 3.9 or newer, or name it with TIENDO_PYTHON=/path/to/python3".to_owned(),
    })?;
    if !output.status.success() {
        return Err(BuildError::CommandFailed {
            command: describe(&command),
            status: format!("{}: {}", output.status, String::from_utf8_lossy(&output.stderr).trim()),
        });
    }
    let errors: Vec<String> = String::from_utf8_lossy(&output.stdout).lines().map(str::to_owned).collect();
    if errors.is_empty() { Ok(()) } else { Err(BuildError::PythonSyntax { errors }) }
}

/// The build environment for `requirements`: `ENV_ROOT/componentize-py-<first 16 hex digits of its sha256>`, made
/// with `python -m venv` and `pip install --require-hashes`. A marker file written last says the install finished;
/// an environment without it (a failed or interrupted install) is removed and made again. Returns the path of its
/// `componentize-py`.
fn ensure_environment(python: &Path, requirements: &Path, env_root: &Path, quiet: bool) -> Result<PathBuf, BuildError> {
    let text = std::fs::read(requirements).map_err(|error| io_error(requirements, &error))?;
    let key = &hex_sha256(&text)[..16];
    let env_dir = env_root.join(format!("componentize-py-{key}"));
    let tool = executable(&env_dir, "componentize-py");
    let marker = env_dir.join(ENV_COMPLETE_MARKER);
    if tool.is_file() && marker.is_file() {
        return Ok(tool);
    }
    let by_hand = format!(
        "{} -m venv {dir} && {pip} install --require-hashes -r {}",
        python.display(),
        requirements.display(),
        dir = env_dir.display(),
        pip = executable(&env_dir, "pip").display()
    );
    let failed = |reason: String| BuildError::PythonEnvironment {
        reason,
        hint: format!("check the network and PyPI, or run by hand: {by_hand}"),
    };
    let _ = std::fs::remove_dir_all(&env_dir);
    std::fs::create_dir_all(env_root).map_err(|error| io_error(env_root, &error))?;
    let mut venv = Command::new(python);
    venv.args(["-I", "-m", "venv"]).arg(&env_dir);
    run(isolate(&mut venv)).map_err(|error| failed(error.to_string()))?;
    let mut pip = Command::new(executable(&env_dir, "pip"));
    pip.args(["install", "--require-hashes", "--no-input", "--disable-pip-version-check"]);
    if quiet {
        pip.arg("--quiet");
    }
    pip.arg("-r").arg(requirements);
    run(isolate(&mut pip)).map_err(|error| failed(error.to_string()))?;
    if !tool.is_file() {
        return Err(failed(format!("{} is missing after the install", tool.display())));
    }
    std::fs::write(&marker, &text).map_err(|error| io_error(&marker, &error))?;
    Ok(tool)
}

/// Written into a build environment once pip has installed everything (it holds the requirements it installed).
const ENV_COMPLETE_MARKER: &str = "tiendo-requirements.txt";

fn executable(env_dir: &Path, name: &str) -> PathBuf {
    if cfg!(windows) { env_dir.join("Scripts").join(format!("{name}.exe")) } else { env_dir.join("bin").join(name) }
}

/// Keeps the caller's Python settings out of the build: another virtual environment, PYTHONPATH or a user site
/// would otherwise be bundled into the component or change what pip installs.
fn isolate(command: &mut Command) -> &mut Command {
    for variable in ["VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PIP_REQUIRE_VIRTUALENV"] {
        command.env_remove(variable);
    }
    command.env("PYTHONDONTWRITEBYTECODE", "1").env("PYTHONNOUSERSITE", "1")
}

fn run(command: &mut Command) -> Result<(), BuildError> {
    let status = command
        .status()
        .map_err(|error| BuildError::Spawn { command: describe(command), reason: error.to_string() })?;
    if status.success() {
        Ok(())
    } else {
        Err(BuildError::CommandFailed { command: describe(command), status: status.to_string() })
    }
}

fn describe(command: &Command) -> String {
    std::iter::once(command.get_program())
        .chain(command.get_args())
        .map(|part| part.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ")
}

fn io_error(path: &Path, error: &std::io::Error) -> BuildError {
    BuildError::Io { path: path.to_path_buf(), reason: error.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn python_plugin(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn a_folder_is_a_python_plugin_by_its_plugin_py_and_no_cargo_toml() {
        let dir = python_plugin(&[("plugin.py", "")]);
        assert!(is_python_plugin(dir.path()));
        std::fs::write(dir.path().join("Cargo.toml"), "").unwrap();
        assert!(!is_python_plugin(dir.path()));
        assert!(!is_python_plugin(python_plugin(&[("app.py", "")]).path()));
    }

    #[test]
    fn a_missing_file_is_named() {
        let dir = python_plugin(&[("plugin.py", ""), ("app.py", "")]);
        let request = PythonBuildRequest {
            dir: dir.path().to_path_buf(),
            out_dir: dir.path().join("out"),
            env_root: dir.path().join("env"),
            python: None,
            quiet: true,
        };
        let error = build_python_plugin(&request).unwrap_err();
        assert!(error.to_string().contains("requirements-build.txt"), "{error}");
    }

    /// Every syntax error of every file is reported at file:line:col, before any environment is made.
    #[test]
    fn syntax_errors_are_reported_at_file_line_and_column() {
        let dir = python_plugin(&[
            ("plugin.py", "def compute(input):\n    return [\n"),
            ("helpers.py", "x = 1\nif x\n    pass\n"),
            ("fine.py", "x = 1\n"),
        ]);
        let Err(BuildError::PythonSyntax { errors }) = check_syntax(Path::new("python3"), dir.path()) else {
            panic!("expected syntax errors");
        };
        assert_eq!(errors.len(), 2, "{errors:?}");
        let helpers = dir.path().join("helpers.py");
        assert!(errors[0].starts_with(&format!("{}:2:", helpers.display())), "{errors:?}");
        assert!(errors[1].starts_with(&format!("{}:", dir.path().join("plugin.py").display())), "{errors:?}");
        assert!(check_syntax(Path::new("python3"), python_plugin(&[("ok.py", "x = 1\n")]).path()).is_ok());
    }

    #[test]
    fn a_missing_python_names_what_to_install() {
        let dir = python_plugin(&[("plugin.py", "")]);
        let error = check_syntax(Path::new("/nonexistent/python3"), dir.path()).unwrap_err();
        assert!(error.to_string().contains("TIENDO_PYTHON"), "{error}");
    }
}
