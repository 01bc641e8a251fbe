//! `ikd`: the IKD issuing service and its command-line tools.

fn main() -> std::process::ExitCode {
    ikd_server::cli::main()
}
