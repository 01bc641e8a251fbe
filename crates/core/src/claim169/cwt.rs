//! The CWT claims set (RFC 8392) around claim 169, and the checks of its time claims.

use ciborium::Value;

use super::cbor;
use super::error::{DecodeError, IssueError};
use super::holder;
use super::keys::cwt as key;
use super::map;
use super::model::{Claim169, CwtMeta};

pub(crate) fn encode(claim: &Claim169, meta: &CwtMeta) -> Result<Vec<u8>, IssueError> {
    let mut entries = Vec::new();
    if let Some(iss) = &meta.iss {
        entries.push((Value::from(key::ISS), Value::Text(iss.clone())));
    }
    if let Some(sub) = &meta.sub {
        entries.push((Value::from(key::SUB), Value::Text(sub.clone())));
    }
    if let Some(exp) = meta.exp {
        entries.push((Value::from(key::EXP), Value::from(exp)));
    }
    if let Some(nbf) = meta.nbf {
        entries.push((Value::from(key::NBF), Value::from(nbf)));
    }
    if let Some(iat) = meta.iat {
        entries.push((Value::from(key::IAT), Value::from(iat)));
    }
    if let Some(cti) = &meta.cti {
        entries.push((Value::from(key::CTI), Value::Bytes(cti.clone())));
    }
    if let Some(cnf) = &meta.cnf {
        entries.push((Value::from(key::CNF), holder::cnf_value(cnf)?));
    }
    entries.push((Value::from(key::CLAIM_169), map::to_value(claim)?));
    cbor::to_vec(&Value::Map(entries)).ok_or(IssueError::Encode)
}

/// Reads a CWT claims set. Claims other than iss, sub, exp, nbf, iat, cti, cnf and 169 are ignored; a
/// text-keyed claim is allowed (RFC 8392 permits them) and ignored too.
pub(crate) fn decode(value: Value) -> Result<(Claim169, CwtMeta), DecodeError> {
    let Value::Map(entries) = value else {
        return Err(DecodeError::Cbor);
    };
    let mut meta = CwtMeta::default();
    let mut claim = None;
    let mut seen = std::collections::BTreeSet::new();
    for (k, v) in entries {
        let Some(k) = cbor::as_i64(&k) else {
            if matches!(k, Value::Text(_)) {
                continue;
            }
            return Err(DecodeError::Cbor);
        };
        if !seen.insert(k) {
            return Err(DecodeError::Cbor);
        }
        match k {
            key::ISS => meta.iss = Some(text(v)?),
            key::SUB => meta.sub = Some(text(v)?),
            key::EXP => meta.exp = Some(time(&v)?),
            key::NBF => meta.nbf = Some(time(&v)?),
            key::IAT => meta.iat = Some(time(&v)?),
            key::CTI => match v {
                Value::Bytes(bytes) => meta.cti = Some(bytes),
                _ => return Err(DecodeError::Cbor),
            },
            key::CNF => meta.cnf = Some(holder::cnf_from_value(v)?),
            key::CLAIM_169 => claim = Some(map::from_value(v)?),
            _ => {}
        }
    }
    let claim = claim.ok_or(DecodeError::MissingClaim169)?;
    Ok((claim, meta))
}

/// `exp` is exclusive (RFC 8392 section 3.1.4: not accepted on or after it), `nbf` inclusive.
pub(crate) fn check_time(meta: &CwtMeta, now: i64) -> Result<(), DecodeError> {
    if meta.exp.is_some_and(|exp| now >= exp) {
        return Err(DecodeError::Expired);
    }
    if meta.nbf.is_some_and(|nbf| now < nbf) {
        return Err(DecodeError::NotYetValid);
    }
    Ok(())
}

fn text(value: Value) -> Result<String, DecodeError> {
    match value {
        Value::Text(text) => Ok(text),
        _ => Err(DecodeError::Cbor),
    }
}

/// NumericDate as whole seconds. RFC 8392 also allows floats; no Claim 169 issuer we know
/// writes them, and refusing them keeps comparisons exact.
fn time(value: &Value) -> Result<i64, DecodeError> {
    cbor::as_i64(value).ok_or(DecodeError::Cbor)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> CwtMeta {
        CwtMeta {
            iss: Some("urn:ikd:test".into()),
            sub: Some("3276010101900001".into()),
            iat: Some(1_700_000_000),
            exp: Some(1_800_000_000),
            nbf: Some(1_700_000_000),
            cti: Some(vec![7; 18]),
            cnf: None,
        }
    }

    #[test]
    fn meta_and_claim_survive_a_round_trip() {
        let claim = Claim169 {
            full_name: Some("BUDI".into()),
            ..Claim169::default()
        };
        let bytes = encode(&claim, &meta()).unwrap();
        let (back, back_meta) = decode(cbor::parse(&bytes).unwrap()).unwrap();
        assert_eq!(back, claim);
        assert_eq!(back_meta, meta());
    }

    #[test]
    fn a_claims_set_without_169_is_missing_claim_169() {
        let value = Value::Map(vec![(Value::from(1), Value::Text("x".into()))]);
        assert_eq!(decode(value), Err(DecodeError::MissingClaim169));
    }

    #[test]
    fn expiry_is_exclusive_and_not_before_inclusive() {
        let meta = meta();
        assert_eq!(check_time(&meta, 1_799_999_999), Ok(()));
        assert_eq!(check_time(&meta, 1_800_000_000), Err(DecodeError::Expired));
        assert_eq!(check_time(&meta, 1_700_000_000), Ok(()));
        assert_eq!(
            check_time(&meta, 1_699_999_999),
            Err(DecodeError::NotYetValid)
        );
    }

    #[test]
    fn a_credential_without_times_never_expires() {
        assert_eq!(check_time(&CwtMeta::default(), i64::MAX), Ok(()));
    }
}
