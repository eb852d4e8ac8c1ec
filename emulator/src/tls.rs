//! TLS material generated at start: a throw-away CA and a server certificate it signs for
//! `localhost` and `127.0.0.1`, served with rustls (ring provider, no process default).

use std::io;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};

/// The CA (PEM, for clients to trust), the server configuration and, when
/// client certificates are required, a client identity the CA signed.
pub(crate) struct TlsMaterial {
    pub ca_pem: String,
    pub config: Arc<rustls::ServerConfig>,
    pub client_identity: Option<ClientIdentity>,
}

/// A client certificate and its private key, both PEM, for mTLS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientIdentity {
    pub cert_pem: String,
    pub key_pem: String,
}

fn other<E: std::fmt::Display>(what: &str) -> impl FnOnce(E) -> io::Error + '_ {
    move |e| io::Error::other(format!("{what}: {e}"))
}

/// Civil date (year, month, day) of a day count since 1970-01-01 (proleptic Gregorian).
fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (i32::try_from(y).unwrap_or(2000), u8::try_from(m).unwrap_or(1), u8::try_from(d).unwrap_or(1))
}

/// Validity from two days ago to about a year ahead (well under the 825-day limit some
/// platforms apply to server certificates).
fn set_validity(params: &mut CertificateParams) {
    let today = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs() / 86_400).unwrap_or(0))
        .unwrap_or(0);
    let (y, m, d) = civil_from_days(today - 2);
    params.not_before = rcgen::date_time_ymd(y, m, d);
    let (y, m, d) = civil_from_days(today + 365);
    params.not_after = rcgen::date_time_ymd(y, m, d);
}

/// TLS material; with `require_client_cert` the server refuses clients without a
/// certificate signed by the generated CA (mTLS).
pub(crate) fn generate(require_client_cert: bool) -> io::Result<TlsMaterial> {
    let ca_key = KeyPair::generate().map_err(other("CA key"))?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(other("CA params"))?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(DnType::CommonName, "purecore-emulator test CA");
    ca_params.distinguished_name.push(DnType::OrganizationName, "purecore");
    ca_params.key_usages =
        vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    set_validity(&mut ca_params);
    let ca_cert = ca_params.self_signed(&ca_key).map_err(other("CA certificate"))?;
    let issuer = Issuer::new(ca_params, ca_key);

    let server_key = KeyPair::generate().map_err(other("server key"))?;
    let mut params = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
        .map_err(other("server params"))?;
    params.distinguished_name.push(DnType::CommonName, "localhost");
    params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.use_authority_key_identifier_extension = true;
    set_validity(&mut params);
    let server_cert = params.signed_by(&server_key, &issuer).map_err(other("server certificate"))?;

    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(other("TLS versions"))?;
    let (builder, client_identity) = if require_client_cert {
        let client_key = KeyPair::generate().map_err(other("client key"))?;
        let mut cparams = CertificateParams::new(Vec::<String>::new()).map_err(other("client params"))?;
        cparams.distinguished_name.push(DnType::CommonName, "purecore-emulator test client");
        cparams.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        cparams.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        cparams.use_authority_key_identifier_extension = true;
        set_validity(&mut cparams);
        let client_cert = cparams.signed_by(&client_key, &issuer).map_err(other("client certificate"))?;
        let mut roots = rustls::RootCertStore::empty();
        roots.add(ca_cert.der().clone()).map_err(other("client CA"))?;
        let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
            .build()
            .map_err(other("client verifier"))?;
        let identity = ClientIdentity { cert_pem: client_cert.pem(), key_pem: client_key.serialize_pem() };
        (builder.with_client_cert_verifier(verifier), Some(identity))
    } else {
        (builder.with_no_client_auth(), None)
    };
    let mut config =
        builder.with_single_cert(vec![server_cert.der().clone()], key).map_err(other("TLS certificate"))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsMaterial { ca_pem: ca_cert.pem(), config: Arc::new(config), client_identity })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }

    #[test]
    fn generates_pem() {
        let t = generate(false).unwrap();
        assert!(t.ca_pem.starts_with("-----BEGIN CERTIFICATE-----"));
        assert!(t.client_identity.is_none());
        let m = generate(true).unwrap();
        let id = m.client_identity.unwrap();
        assert!(id.cert_pem.starts_with("-----BEGIN CERTIFICATE-----"));
        assert!(id.key_pem.contains("PRIVATE KEY"));
    }
}
