//! `purecore-codegen --spec PATH [--out ROOT] [--check-only] [--strict] [--quiet]`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: purecore-codegen --spec PATH [--out ROOT] [--check-only] [--strict] [--quiet]

  --spec PATH     the Swagger 2.0 file (JSON)
  --out ROOT      where to write (default: the repository root)
  --check-only    read and check the spec, write nothing
  --strict        treat tolerated flaws (warnings) as errors
  --quiet         do not print warnings";

struct Args {
    spec: PathBuf,
    out: PathBuf,
    check_only: bool,
    strict: bool,
    quiet: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut spec = None;
    let mut out = None;
    let (mut check_only, mut strict, mut quiet) = (false, false, false);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--spec" => spec = Some(PathBuf::from(args.next().ok_or("--spec needs a path")?)),
            "--out" => out = Some(PathBuf::from(args.next().ok_or("--out needs a path")?)),
            "--check-only" => check_only = true,
            "--strict" => strict = true,
            "--quiet" => quiet = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let default_root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    Ok(Args { spec: spec.ok_or("--spec is required")?, out: out.unwrap_or(default_root), check_only, strict, quiet })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("error: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let text = match std::fs::read_to_string(&args.spec) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", args.spec.display());
            return ExitCode::from(3);
        }
    };
    let source = args.spec.file_name().map_or_else(|| "spec".to_string(), |n| n.to_string_lossy().into_owned());
    let api = match purecore_codegen::read_spec(&text, &source, args.strict) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {}: {e}", args.spec.display());
            return ExitCode::from(1);
        }
    };
    if !args.quiet {
        for w in &api.warnings {
            eprintln!("warning: {w}");
        }
    }
    let classes = purecore_codegen::class_members(&api).len();
    println!(
        "{}: {} {}: {} operations, {} classes, {} models, {} warnings",
        source,
        api.title,
        api.version,
        api.operations.len(),
        classes,
        api.models.len(),
        api.warnings.len()
    );
    if args.check_only {
        return ExitCode::SUCCESS;
    }
    let out = match purecore_codegen::generate(&api) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: serialising the catalog: {e}");
            return ExitCode::from(1);
        }
    };
    match purecore_codegen::write_output(&args.out, &out) {
        Ok((written, removed)) => {
            println!(
                "{} files under {}: {written} written, {} unchanged, {removed} stale removed",
                out.files.len(),
                args.out.display(),
                out.files.len() - written
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: writing below {}: {e}", args.out.display());
            ExitCode::from(3)
        }
    }
}
