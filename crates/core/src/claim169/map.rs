//! `Claim169` to and from the integer-keyed CBOR map under CWT claim 169. Known keys must
//! have the specified type (a credential that says otherwise is malformed, not "mostly
//! fine"); unknown keys are kept byte for byte.

use ciborium::Value;

use super::cbor;
use super::error::{DecodeError, IssueError};
use super::keys::{biometric as bio, field, private};
use super::model::{Biometric, Claim169, RawCbor};

/// Encodes the claim as the CBOR map, keys in ascending order (as deterministic encoding
/// wants, and so the same identity always gives the same bytes).
pub(crate) fn to_value(claim: &Claim169) -> Result<Value, IssueError> {
    let mut entries: Vec<(i64, Value)> = Vec::new();
    let mut push_text = |key: i64, value: &Option<String>| {
        if let Some(value) = value {
            entries.push((key, Value::Text(value.clone())));
        }
    };
    push_text(field::ID, &claim.id);
    push_text(field::VERSION, &claim.version);
    push_text(field::LANGUAGE, &claim.language);
    push_text(field::FULL_NAME, &claim.full_name);
    push_text(field::FIRST_NAME, &claim.first_name);
    push_text(field::MIDDLE_NAME, &claim.middle_name);
    push_text(field::LAST_NAME, &claim.last_name);
    push_text(field::DATE_OF_BIRTH, &claim.date_of_birth);
    push_text(field::ADDRESS, &claim.address);
    push_text(field::EMAIL, &claim.email);
    push_text(field::PHONE, &claim.phone);
    push_text(field::NATIONALITY, &claim.nationality);
    push_text(field::GUARDIAN, &claim.guardian);
    push_text(field::SECONDARY_FULL_NAME, &claim.secondary_full_name);
    push_text(field::SECONDARY_LANGUAGE, &claim.secondary_language);
    push_text(field::LOCATION_CODE, &claim.location_code);
    push_text(field::LEGAL_STATUS, &claim.legal_status);
    push_text(field::COUNTRY_OF_ISSUANCE, &claim.country_of_issuance);
    push_text(private::PLACE_OF_BIRTH, &claim.place_of_birth);
    push_text(private::RELIGION, &claim.religion);
    push_text(private::OCCUPATION, &claim.occupation);
    push_text(private::BLOOD_TYPE, &claim.blood_type);
    push_text(private::RT_RW, &claim.rt_rw);

    if let Some(gender) = claim.gender {
        entries.push((field::GENDER, Value::from(i64::from(gender))));
    }
    if let Some(status) = claim.marital_status {
        entries.push((field::MARITAL_STATUS, Value::from(i64::from(status))));
    }
    if let Some(photo) = &claim.photo {
        entries.push((field::PHOTO, Value::Bytes(photo.clone())));
    }
    if let Some(format) = claim.photo_format {
        entries.push((field::PHOTO_FORMAT, Value::from(i64::from(format))));
    }
    if let Some(fingers) = &claim.best_quality_fingers {
        let items = fingers.iter().map(|&f| Value::from(f)).collect();
        entries.push((field::BEST_QUALITY_FINGERS, Value::Array(items)));
    }
    if let Some(over) = claim.age_over_17 {
        entries.push((private::AGE_OVER_17, Value::Bool(over)));
    }
    for key in field::BIOMETRICS {
        if let Some(Some(samples)) = claim.biometric(key) {
            let items = samples.iter().map(biometric_to_value).collect();
            entries.push((key, Value::Array(items)));
        }
    }
    for (&key, raw) in &claim.unknown {
        if is_known(key) {
            return Err(IssueError::ReservedUnknownKey { key });
        }
        let value = cbor::parse(&raw.0).map_err(|_| IssueError::InvalidUnknownValue { key })?;
        entries.push((key, value));
    }

    entries.sort_by_key(|(key, _)| *key);
    Ok(Value::Map(
        entries
            .into_iter()
            .map(|(key, value)| (Value::from(key), value))
            .collect(),
    ))
}

fn biometric_to_value(sample: &Biometric) -> Value {
    let mut map = vec![(Value::from(bio::DATA), Value::Bytes(sample.data.clone()))];
    if let Some(format) = sample.format {
        map.push((Value::from(bio::FORMAT), Value::from(format)));
    }
    if let Some(sub_format) = sample.sub_format {
        map.push((Value::from(bio::SUB_FORMAT), Value::from(sub_format)));
    }
    if let Some(issuer) = &sample.issuer {
        map.push((Value::from(bio::ISSUER), Value::Text(issuer.clone())));
    }
    Value::Map(map)
}

fn is_known(key: i64) -> bool {
    (field::ID..=field::COUNTRY_OF_ISSUANCE).contains(&key)
        || field::BIOMETRICS.contains(&key)
        || (private::PLACE_OF_BIRTH..=private::AGE_OVER_17).contains(&key)
}

/// Reads the claim 169 map.
pub(crate) fn from_value(value: Value) -> Result<Claim169, DecodeError> {
    let Value::Map(map) = value else {
        return Err(DecodeError::Cbor);
    };
    let mut claim = Claim169::default();
    for (key, value) in cbor::int_keyed_entries(map)? {
        match key {
            field::ID => claim.id = Some(text(value)?),
            field::VERSION => claim.version = Some(text(value)?),
            field::LANGUAGE => claim.language = Some(text(value)?),
            field::FULL_NAME => claim.full_name = Some(text(value)?),
            field::FIRST_NAME => claim.first_name = Some(text(value)?),
            field::MIDDLE_NAME => claim.middle_name = Some(text(value)?),
            field::LAST_NAME => claim.last_name = Some(text(value)?),
            field::DATE_OF_BIRTH => claim.date_of_birth = Some(text(value)?),
            field::GENDER => claim.gender = Some(int(&value)?.into()),
            field::ADDRESS => claim.address = Some(text(value)?),
            field::EMAIL => claim.email = Some(text(value)?),
            field::PHONE => claim.phone = Some(text(value)?),
            field::NATIONALITY => claim.nationality = Some(text(value)?),
            field::MARITAL_STATUS => claim.marital_status = Some(int(&value)?.into()),
            field::GUARDIAN => claim.guardian = Some(text(value)?),
            field::PHOTO => claim.photo = Some(bytes(value)?),
            field::PHOTO_FORMAT => claim.photo_format = Some(int(&value)?.into()),
            field::BEST_QUALITY_FINGERS => claim.best_quality_fingers = Some(fingers(value)?),
            field::SECONDARY_FULL_NAME => claim.secondary_full_name = Some(text(value)?),
            field::SECONDARY_LANGUAGE => claim.secondary_language = Some(text(value)?),
            field::LOCATION_CODE => claim.location_code = Some(text(value)?),
            field::LEGAL_STATUS => claim.legal_status = Some(text(value)?),
            field::COUNTRY_OF_ISSUANCE => claim.country_of_issuance = Some(text(value)?),
            private::PLACE_OF_BIRTH => claim.place_of_birth = Some(text(value)?),
            private::RELIGION => claim.religion = Some(text(value)?),
            private::OCCUPATION => claim.occupation = Some(text(value)?),
            private::BLOOD_TYPE => claim.blood_type = Some(text(value)?),
            private::RT_RW => claim.rt_rw = Some(text(value)?),
            private::AGE_OVER_17 => match value {
                Value::Bool(over) => claim.age_over_17 = Some(over),
                _ => return Err(DecodeError::Cbor),
            },
            key => {
                if let Some(slot) = claim.biometric_mut(key) {
                    *slot = Some(biometrics(value)?);
                } else {
                    let raw = cbor::to_vec(&value).ok_or(DecodeError::Cbor)?;
                    claim.unknown.insert(key, RawCbor(raw));
                }
            }
        }
    }
    Ok(claim)
}

fn text(value: Value) -> Result<String, DecodeError> {
    match value {
        Value::Text(text) => Ok(text),
        _ => Err(DecodeError::Cbor),
    }
}

fn bytes(value: Value) -> Result<Vec<u8>, DecodeError> {
    match value {
        Value::Bytes(bytes) => Ok(bytes),
        _ => Err(DecodeError::Cbor),
    }
}

fn int(value: &Value) -> Result<i64, DecodeError> {
    cbor::as_i64(value).ok_or(DecodeError::Cbor)
}

fn fingers(value: Value) -> Result<Vec<u8>, DecodeError> {
    let Value::Array(items) = value else {
        return Err(DecodeError::Cbor);
    };
    items
        .iter()
        .map(|item| {
            cbor::as_i64(item)
                .and_then(|f| u8::try_from(f).ok())
                .ok_or(DecodeError::Cbor)
        })
        .collect()
}

fn biometrics(value: Value) -> Result<Vec<Biometric>, DecodeError> {
    let Value::Array(items) = value else {
        return Err(DecodeError::Cbor);
    };
    items.into_iter().map(biometric).collect()
}

/// One biometric entry. Keys beyond 0-3 inside an entry are ignored: the specification
/// defines no extension point there.
fn biometric(value: Value) -> Result<Biometric, DecodeError> {
    let Value::Map(map) = value else {
        return Err(DecodeError::Cbor);
    };
    let mut data = None;
    let mut sample = Biometric::default();
    for (key, value) in cbor::int_keyed_entries(map)? {
        match key {
            bio::DATA => data = Some(bytes(value)?),
            bio::FORMAT => sample.format = Some(int(&value)?),
            bio::SUB_FORMAT => sample.sub_format = Some(int(&value)?),
            bio::ISSUER => sample.issuer = Some(text(value)?),
            _ => {}
        }
    }
    sample.data = data.ok_or(DecodeError::Cbor)?;
    Ok(sample)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claim169::codes::{Gender, PhotoFormat};

    fn sample() -> Claim169 {
        Claim169 {
            id: Some("3276010101900001".into()),
            full_name: Some("SITI AMINAH".into()),
            gender: Some(Gender::Female),
            photo: Some(vec![1, 2, 3]),
            photo_format: Some(PhotoFormat::Webp),
            best_quality_fingers: Some(vec![1, 6]),
            religion: Some("ISLAM".into()),
            age_over_17: Some(true),
            face: Some(vec![Biometric {
                data: vec![9, 9],
                format: Some(0),
                sub_format: Some(4),
                issuer: None,
            }]),
            ..Claim169::default()
        }
    }

    #[test]
    fn every_field_survives_a_round_trip() {
        let mut claim = sample();
        claim
            .unknown
            .insert(30, RawCbor(vec![0x63, b'a', b'b', b'c']));
        let back = from_value(to_value(&claim).unwrap()).unwrap();
        assert_eq!(back, claim);
    }

    #[test]
    fn keys_are_written_in_ascending_order() {
        let Value::Map(map) = to_value(&sample()).unwrap() else {
            panic!("not a map");
        };
        let keys: Vec<i64> = map.iter().map(|(k, _)| cbor::as_i64(k).unwrap()).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
    }

    #[test]
    fn private_keys_sit_in_the_unassigned_range_for_other_data() {
        assert_eq!(private::RELIGION, 91);
        let Value::Map(map) = to_value(&sample()).unwrap() else {
            panic!("not a map");
        };
        assert!(map.contains(&(Value::from(91), Value::Text("ISLAM".into()))));
        assert!(map.contains(&(Value::from(95), Value::Bool(true))));
    }

    #[test]
    fn an_unknown_value_cannot_take_a_known_key() {
        let mut claim = sample();
        claim.unknown.insert(4, RawCbor(vec![0x01]));
        assert_eq!(
            to_value(&claim),
            Err(IssueError::ReservedUnknownKey { key: 4 })
        );
    }

    #[test]
    fn an_unknown_value_must_be_one_cbor_item() {
        let mut claim = sample();
        claim.unknown.insert(30, RawCbor(vec![0x01, 0x02]));
        assert_eq!(
            to_value(&claim),
            Err(IssueError::InvalidUnknownValue { key: 30 })
        );
    }

    #[test]
    fn a_known_field_of_the_wrong_type_is_refused() {
        let map = Value::Map(vec![(Value::from(4), Value::from(12))]);
        assert_eq!(from_value(map), Err(DecodeError::Cbor));
    }

    #[test]
    fn fingers_outside_a_byte_are_refused() {
        let map = Value::Map(vec![(
            Value::from(18),
            Value::Array(vec![Value::from(300)]),
        )]);
        assert_eq!(from_value(map), Err(DecodeError::Cbor));
    }

    #[test]
    fn a_biometric_entry_needs_its_data() {
        let entry = Value::Map(vec![(Value::from(1), Value::from(0))]);
        let map = Value::Map(vec![(Value::from(62), Value::Array(vec![entry]))]);
        assert_eq!(from_value(map), Err(DecodeError::Cbor));
    }
}
