//! The `reintegra` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    reintegra::cli::run()
}
