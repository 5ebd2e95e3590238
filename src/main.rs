use std::process::ExitCode;

/// Parsing allocates many small nodes; mimalloc serves them faster than the
/// system allocator (measured: about 15% less CPU on corpus A).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Run on a thread with a large stack: parsing and walking are recursive,
    // and the files given may nest deeply (see `codesight::analysis::nesting`).
    let worker = std::thread::Builder::new()
        .name("codesight".to_string())
        .stack_size(codesight::analysis::WORKER_STACK)
        .spawn(codesight::cli::run);
    match worker.map(|handle| handle.join()) {
        Ok(Ok(code)) => code,
        _ => {
            eprintln!("error: internal error: codesight stopped unexpectedly");
            ExitCode::from(2)
        }
    }
}
