#[allow(dead_code, reason = "the CLI skeleton wires `cmd::report::run` into the `report` subcommand")]
mod cmd;

fn main() {}
