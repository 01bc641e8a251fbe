//! WebAuthn (passkeys) for the officers' second factor: the relying party's checks of a new
//! credential and of a login with it, for ES256 keys (every platform authenticator and
//! security key offers it). Attestation is not asked for (`"none"`), so only the public key
//! and its flags are read from the attestation object; what makes a passkey phishing-proof
//! is checked in full: the challenge, the origin and the RP id hash the browser signed over.
//!
//! Pure functions over bytes: the challenge's storage and the credentials' rows live in
//! `officer/second_factor`.

pub mod software_authenticator;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ciborium::value::Value;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// Authenticator data flags (WebAuthn §6.1).
const FLAG_USER_PRESENT: u8 = 0x01;
const FLAG_ATTESTED_CREDENTIAL: u8 = 0x40;
/// COSE algorithm ES256 (ECDSA P-256 with SHA-256).
pub const ES256: i64 = -7;

/// Who the passkeys are for: the RP id (a domain, never an IP address: browsers refuse one)
/// and the one origin whose pages may use them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelyingParty {
    pub id: String,
    pub origin: String,
}

impl RelyingParty {
    /// The relying party of a public URL. A loopback address (`http://127.0.0.1:8080`, the
    /// default on one machine) is served as `localhost` on the same port, the name browsers
    /// accept for passkeys there; another IP address has none.
    pub fn for_public_url(public_url: &str) -> Option<Self> {
        let url = url::Url::parse(public_url).ok()?;
        let scheme = url.scheme();
        let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
        let host = match url.host()? {
            url::Host::Domain(domain) => domain.to_ascii_lowercase(),
            url::Host::Ipv4(ip) if ip.is_loopback() => "localhost".to_owned(),
            url::Host::Ipv6(ip) if ip.is_loopback() => "localhost".to_owned(),
            _ => return None,
        };
        Some(RelyingParty {
            origin: format!("{scheme}://{host}{port}"),
            id: host,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WebauthnError {
    #[error("clientDataJSON is not the browser's client data")]
    ClientData,
    #[error("the client data is for another ceremony")]
    Ceremony,
    #[error("the challenge is not the one handed out")]
    Challenge,
    #[error("the credential was made on another origin")]
    Origin,
    #[error("the authenticator data or attestation object is malformed")]
    Malformed,
    #[error("the credential is for another relying party")]
    RelyingParty,
    #[error("the authenticator did not confirm the person was present")]
    UserNotPresent,
    #[error("the credential's key is not ES256 on P-256")]
    UnsupportedKey,
    #[error("the signature does not verify with the stored key")]
    Signature,
    #[error("the signature counter went back: the credential may have been copied")]
    CounterWentBack,
}

/// A credential a registration made: to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPasskey {
    /// Base64url, as the browser reports it.
    pub credential_id: String,
    /// SEC1 uncompressed point.
    pub public_key: Vec<u8>,
    pub sign_count: u32,
}

#[derive(Deserialize)]
struct ClientData {
    #[serde(rename = "type")]
    kind: String,
    challenge: String,
    origin: String,
    #[serde(default, rename = "crossOrigin")]
    cross_origin: bool,
}

fn check_client_data(
    rp: &RelyingParty,
    kind: &str,
    challenge: &str,
    client_data_json: &[u8],
) -> Result<(), WebauthnError> {
    let data: ClientData =
        serde_json::from_slice(client_data_json).map_err(|_| WebauthnError::ClientData)?;
    if data.kind != kind {
        return Err(WebauthnError::Ceremony);
    }
    if data.challenge.is_empty() || data.challenge != challenge {
        return Err(WebauthnError::Challenge);
    }
    if data.origin != rp.origin || data.cross_origin {
        return Err(WebauthnError::Origin);
    }
    Ok(())
}

struct AuthData<'a> {
    rp_id_hash: &'a [u8],
    flags: u8,
    sign_count: u32,
    rest: &'a [u8],
}

fn parse_auth_data(bytes: &[u8]) -> Result<AuthData<'_>, WebauthnError> {
    if bytes.len() < 37 {
        return Err(WebauthnError::Malformed);
    }
    Ok(AuthData {
        rp_id_hash: &bytes[..32],
        flags: bytes[32],
        sign_count: u32::from_be_bytes([bytes[33], bytes[34], bytes[35], bytes[36]]),
        rest: &bytes[37..],
    })
}

fn check_auth_data(rp: &RelyingParty, data: &AuthData<'_>) -> Result<(), WebauthnError> {
    if data.rp_id_hash[..] != Sha256::digest(rp.id.as_bytes())[..] {
        return Err(WebauthnError::RelyingParty);
    }
    if data.flags & FLAG_USER_PRESENT == 0 {
        return Err(WebauthnError::UserNotPresent);
    }
    Ok(())
}

fn map_get<'v>(map: &'v [(Value, Value)], key: &Value) -> Option<&'v Value> {
    map.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn int(n: i64) -> Value {
    Value::Integer(n.into())
}

/// The SEC1 point of a COSE_Key (RFC 9053 §7.1.1): EC2, ES256, P-256.
fn cose_key_to_sec1(key: &Value) -> Result<Vec<u8>, WebauthnError> {
    let map = key.as_map().ok_or(WebauthnError::Malformed)?;
    let is = |label: i64, want: i64| map_get(map, &int(label)) == Some(&int(want));
    if !(is(1, 2) && is(3, ES256) && is(-1, 1)) {
        return Err(WebauthnError::UnsupportedKey);
    }
    let coordinate = |label: i64| {
        map_get(map, &int(label))
            .and_then(Value::as_bytes)
            .filter(|b| b.len() == 32)
            .ok_or(WebauthnError::UnsupportedKey)
    };
    let mut point = vec![0x04];
    point.extend_from_slice(coordinate(-2)?);
    point.extend_from_slice(coordinate(-3)?);
    VerifyingKey::from_sec1_bytes(&point).map_err(|_| WebauthnError::UnsupportedKey)?;
    Ok(point)
}

/// Checks `navigator.credentials.create()`'s answer and gives the credential to store.
pub fn verify_registration(
    rp: &RelyingParty,
    challenge: &str,
    client_data_json: &[u8],
    attestation_object: &[u8],
) -> Result<NewPasskey, WebauthnError> {
    check_client_data(rp, "webauthn.create", challenge, client_data_json)?;
    let object: Value =
        ciborium::de::from_reader(attestation_object).map_err(|_| WebauthnError::Malformed)?;
    let auth_data = object
        .as_map()
        .and_then(|m| map_get(m, &Value::Text("authData".into())))
        .and_then(Value::as_bytes)
        .ok_or(WebauthnError::Malformed)?;
    let data = parse_auth_data(auth_data)?;
    check_auth_data(rp, &data)?;
    if data.flags & FLAG_ATTESTED_CREDENTIAL == 0 || data.rest.len() < 18 {
        return Err(WebauthnError::Malformed);
    }
    // aaguid (16 bytes), then the credential id's length and the id.
    let id_len = usize::from(u16::from_be_bytes([data.rest[16], data.rest[17]]));
    let id_end = 18 + id_len;
    if id_len == 0 || data.rest.len() <= id_end {
        return Err(WebauthnError::Malformed);
    }
    let credential_id = &data.rest[18..id_end];
    let key: Value =
        ciborium::de::from_reader(&data.rest[id_end..]).map_err(|_| WebauthnError::Malformed)?;
    Ok(NewPasskey {
        credential_id: URL_SAFE_NO_PAD.encode(credential_id),
        public_key: cose_key_to_sec1(&key)?,
        sign_count: data.sign_count,
    })
}

/// Checks `navigator.credentials.get()`'s answer against the stored key and counter; gives
/// the counter to store.
pub fn verify_assertion(
    rp: &RelyingParty,
    challenge: &str,
    client_data_json: &[u8],
    authenticator_data: &[u8],
    signature_der: &[u8],
    public_key: &[u8],
    stored_count: u32,
) -> Result<u32, WebauthnError> {
    check_client_data(rp, "webauthn.get", challenge, client_data_json)?;
    let data = parse_auth_data(authenticator_data)?;
    check_auth_data(rp, &data)?;
    let key =
        VerifyingKey::from_sec1_bytes(public_key).map_err(|_| WebauthnError::UnsupportedKey)?;
    let signature = Signature::from_der(signature_der).map_err(|_| WebauthnError::Signature)?;
    // Authenticators may give either of the two valid `s`; RustCrypto wants the low one.
    let signature = signature.normalize_s().unwrap_or(signature);
    let mut signed = authenticator_data.to_vec();
    signed.extend_from_slice(&Sha256::digest(client_data_json));
    key.verify(&signed, &signature)
        .map_err(|_| WebauthnError::Signature)?;
    // A counter of 0 means the authenticator keeps none (synced passkeys); otherwise it
    // must grow (WebAuthn §6.1.1).
    if (data.sign_count != 0 || stored_count != 0) && data.sign_count <= stored_count {
        return Err(WebauthnError::CounterWentBack);
    }
    Ok(data.sign_count)
}

/// A random challenge, base64url (the form `clientDataJSON` carries it in).
pub fn new_challenge() -> String {
    let mut bytes = [0u8; 32];
    rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::software_authenticator::SoftwareAuthenticator;
    use super::*;

    fn rp() -> RelyingParty {
        RelyingParty::for_public_url("http://127.0.0.1:8080").expect("loopback has an RP")
    }

    #[test]
    fn a_loopback_public_url_is_localhost_and_another_ip_has_no_passkeys() {
        assert_eq!(
            rp(),
            RelyingParty {
                id: "localhost".into(),
                origin: "http://localhost:8080".into()
            }
        );
        let public = RelyingParty::for_public_url("https://ikd.example.go.id/").expect("domain");
        assert_eq!(public.id, "ikd.example.go.id");
        assert_eq!(public.origin, "https://ikd.example.go.id");
        assert_eq!(RelyingParty::for_public_url("http://10.0.0.5:8080"), None);
    }

    #[test]
    fn a_registration_and_a_login_verify_and_the_counter_must_grow() {
        let mut device = SoftwareAuthenticator::new();
        let created = device.create(&rp(), "c1");
        let passkey = verify_registration(
            &rp(),
            "c1",
            &created.client_data_json,
            &created.attestation_object,
        )
        .expect("registration verifies");
        assert_eq!(passkey.credential_id, device.credential_id());
        let login = device.get(&rp(), "c2");
        let count = verify_assertion(
            &rp(),
            "c2",
            &login.client_data_json,
            &login.authenticator_data,
            &login.signature,
            &passkey.public_key,
            passkey.sign_count,
        )
        .expect("login verifies");
        assert_eq!(
            verify_assertion(
                &rp(),
                "c2",
                &login.client_data_json,
                &login.authenticator_data,
                &login.signature,
                &passkey.public_key,
                count,
            ),
            Err(WebauthnError::CounterWentBack),
            "a replayed login is refused"
        );
    }

    #[test]
    fn another_challenge_origin_rp_or_key_is_refused() {
        let mut device = SoftwareAuthenticator::new();
        let created = device.create(&rp(), "c1");
        assert_eq!(
            verify_registration(
                &rp(),
                "other",
                &created.client_data_json,
                &created.attestation_object
            ),
            Err(WebauthnError::Challenge)
        );
        let phishing = RelyingParty {
            id: "localhost".into(),
            origin: "http://localhost:9999".into(),
        };
        let created_there = device.create(&phishing, "c1");
        assert_eq!(
            verify_registration(
                &rp(),
                "c1",
                &created_there.client_data_json,
                &created_there.attestation_object
            ),
            Err(WebauthnError::Origin)
        );
        let other_rp = RelyingParty {
            id: "evil.example".into(),
            origin: rp().origin,
        };
        let created_for_other = device.create(&other_rp, "c1");
        assert_eq!(
            verify_registration(
                &rp(),
                "c1",
                &created_for_other.client_data_json,
                &created_for_other.attestation_object
            ),
            Err(WebauthnError::RelyingParty)
        );
        let passkey = verify_registration(
            &rp(),
            "c1",
            &created.client_data_json,
            &created.attestation_object,
        )
        .expect("registration verifies");
        let stranger = SoftwareAuthenticator::new();
        let mut stranger = stranger;
        stranger.create(&rp(), "x");
        let login = stranger.get(&rp(), "c2");
        assert_eq!(
            verify_assertion(
                &rp(),
                "c2",
                &login.client_data_json,
                &login.authenticator_data,
                &login.signature,
                &passkey.public_key,
                0,
            ),
            Err(WebauthnError::Signature)
        );
        let made = device.get(&rp(), "c3");
        assert_eq!(
            verify_assertion(
                &rp(),
                "c3",
                &made.client_data_json,
                &made.authenticator_data,
                &made.signature,
                &passkey.public_key,
                0,
            )
            .map(|_| ()),
            Ok(())
        );
    }
}
