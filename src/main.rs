use std::process::ExitCode;

fn main() -> ExitCode {
    codesight::cli::run()
}
