//! `purecore-emulator [--port N] [--tls] [--mtls DIR] [--token-lifetime SECS] [--ca-out PATH] [--rate-limit N/Ws] [--token-rate-limit N/Ws]`
//!
//! Prints `purecore-emulator listening on <base_url>` once started and runs until
//! interrupted (SIGINT / ctrl-c, or SIGTERM on Unix). Bad arguments exit with code 2.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use purecore_emulator::{Emulator, EmulatorOptions};

const USAGE: &str = "usage: purecore-emulator [--port N] [--tls] [--mtls DIR] [--token-lifetime SECS] [--ca-out PATH] [--rate-limit N/Ws] [--token-rate-limit N/Ws]

  --port N               TCP port on 127.0.0.1 (default 0 = ephemeral)
  --tls                  serve HTTPS with a freshly generated CA
  --mtls DIR             HTTPS that requires a client certificate; writes ca.pem,
                         client.pem and client-key.pem (mode 600) into DIR
  --token-lifetime SECS  access-token lifetime in seconds (default 86400)
  --ca-out PATH          write the CA certificate (PEM) to PATH (requires --tls)
  --rate-limit N/Ws      per-token API limit: N requests per W seconds (e.g. 30/6s,
                         300/60s); off by default
  --token-rate-limit N/Ws  token-endpoint limit per client id: N token requests per W s
  -h, --help             show this help";

#[derive(Debug, Default)]
struct Args {
    opts: EmulatorOptions,
    ca_out: Option<String>,
    mtls_dir: Option<String>,
    help: bool,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut out = Args::default();
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline.clone().or_else(|| it.next()).ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "--port" => {
                let v = value("--port")?;
                out.opts.port = v.parse().map_err(|_| format!("--port: not a port number: {v}"))?;
            }
            "--tls" if inline.is_none() => out.opts.tls = true,
            "--token-lifetime" => {
                let v = value("--token-lifetime")?;
                let secs: f64 = v.parse().map_err(|_| format!("--token-lifetime: not a number: {v}"))?;
                out.opts.token_lifetime = Duration::try_from_secs_f64(secs)
                    .ok()
                    .filter(|d| !d.is_zero())
                    .ok_or_else(|| format!("--token-lifetime must be positive, got {v}"))?;
            }
            "--rate-limit" => {
                let v = value("--rate-limit")?;
                out.opts.rate_limit =
                    Some(purecore_emulator::parse_rate(&v).map_err(|e| format!("--rate-limit: {e}"))?);
            }
            "--token-rate-limit" => {
                let v = value("--token-rate-limit")?;
                out.opts.token_rate_limit =
                    Some(purecore_emulator::parse_rate(&v).map_err(|e| format!("--token-rate-limit: {e}"))?);
            }
            "--ca-out" => out.ca_out = Some(value("--ca-out")?),
            "--mtls" => {
                out.mtls_dir = Some(value("--mtls")?);
                out.opts.tls = true;
                out.opts.require_client_cert = true;
            }
            "-h" | "--help" => out.help = true,
            _ => return Err(format!("unknown argument: {arg}")),
        }
    }
    if out.ca_out.is_some() && !out.opts.tls {
        return Err("--ca-out requires --tls".to_string());
    }
    Ok(out)
}

fn write_mtls_files(dir: &str, ca: &str, id: &purecore_emulator::ClientIdentity) -> std::io::Result<()> {
    let dir = std::path::Path::new(dir);
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("ca.pem"), ca)?;
    std::fs::write(dir.join("client.pem"), &id.cert_pem)?;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(dir.join("client-key.pem"))?.write_all(id.key_pem.as_bytes())
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("purecore-emulator: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if args.help {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let emu = match Emulator::start(args.opts).await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("purecore-emulator: cannot start: {e}");
            return ExitCode::from(1);
        }
    };
    if let (Some(path), Some(pem)) = (&args.ca_out, emu.ca_pem()) {
        if let Err(e) = std::fs::write(path, pem) {
            eprintln!("purecore-emulator: cannot write {path}: {e}");
            return ExitCode::from(1);
        }
    }
    if let (Some(dir), Some(id), Some(ca)) = (&args.mtls_dir, emu.client_identity(), emu.ca_pem()) {
        if let Err(e) = write_mtls_files(dir, &ca, &id) {
            eprintln!("purecore-emulator: cannot write the mTLS files into {dir}: {e}");
            return ExitCode::from(1);
        }
    }
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "purecore-emulator listening on {}", emu.base_url());
    let _ = stdout.flush();
    wait_for_signal().await;
    emu.shutdown().await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(v: &[&str]) -> Result<Args, String> {
        parse_args(v.iter().map(|s| s.to_string()))
    }

    #[test]
    fn parses_flags() {
        let a = parse(&["--port", "8080", "--tls", "--token-lifetime=2", "--ca-out", "/tmp/x"]).unwrap();
        assert_eq!(a.opts.port, 8080);
        assert!(a.opts.tls);
        assert_eq!(a.opts.token_lifetime, Duration::from_secs(2));
        assert_eq!(a.ca_out.as_deref(), Some("/tmp/x"));
        let a = parse(&["--rate-limit", "30/6s", "--token-rate-limit=2/1"]).unwrap();
        assert_eq!(a.opts.rate_limit.map(|r| (r.per_token, r.window)), Some((30, Duration::from_secs(6))));
        assert_eq!(a.opts.token_rate_limit.map(|r| r.per_token), Some(2));
    }

    #[test]
    fn rejects_bad_input() {
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--port", "70000"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
        assert!(parse(&["--ca-out", "x"]).is_err());
        assert!(parse(&["--token-lifetime", "0"]).is_err());
        assert!(parse(&["--rate-limit", "30"]).is_err());
    }
}
