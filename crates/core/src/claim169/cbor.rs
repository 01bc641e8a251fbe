//! The one place that turns bytes into CBOR values. Every byte string the decoder reads as
//! CBOR (the COSE envelope, protected headers, the plaintext, the CWT) goes through `parse`,
//! so the nesting limit and the no-trailing-bytes rule hold everywhere.

use ciborium::Value;

use super::error::DecodeError;

/// Deepest nesting accepted. A Claim 169 credential needs about 6 (tag, COSE array, CWT map,
/// claim map, biometric list, biometric entry); 16 leaves room for unknown fields while
/// keeping recursion, and so stack use, small on every target.
pub const MAX_DEPTH: usize = 16;

/// Parses exactly one CBOR data item, nested at most `MAX_DEPTH` deep.
pub(crate) fn parse(bytes: &[u8]) -> Result<Value, DecodeError> {
    let mut rest = bytes;
    let value: Value = ciborium::de::from_reader_with_recursion_limit(&mut rest, MAX_DEPTH)
        .map_err(|_| DecodeError::Cbor)?;
    if !rest.is_empty() {
        return Err(DecodeError::Cbor);
    }
    Ok(value)
}

pub(crate) fn to_vec(value: &Value) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    ciborium::ser::into_writer(value, &mut out).ok()?;
    Some(out)
}

/// The value as an `i64`, if it is an integer that fits.
pub(crate) fn as_i64(value: &Value) -> Option<i64> {
    match value {
        Value::Integer(int) => i64::try_from(i128::from(*int)).ok(),
        _ => None,
    }
}

/// The entries of a map whose keys are all integers, refusing duplicate keys: two values for
/// one key would let an issuer show a verifier something other than what it signed over.
pub(crate) fn int_keyed_entries(
    map: Vec<(Value, Value)>,
) -> Result<Vec<(i64, Value)>, DecodeError> {
    let mut seen = std::collections::BTreeSet::new();
    let mut entries = Vec::with_capacity(map.len());
    for (key, value) in map {
        let key = as_i64(&key).ok_or(DecodeError::Cbor)?;
        if !seen.insert(key) {
            return Err(DecodeError::Cbor);
        }
        entries.push((key, value));
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested_arrays(depth: usize) -> Vec<u8> {
        let mut bytes = vec![0x81; depth]; // array of one item, `depth` times
        bytes.push(0x00);
        bytes
    }

    #[test]
    fn parses_nesting_within_the_limit() {
        assert!(parse(&nested_arrays(MAX_DEPTH - 1)).is_ok());
    }

    #[test]
    fn refuses_nesting_beyond_the_limit_without_overflowing_the_stack() {
        assert_eq!(parse(&nested_arrays(100_000)), Err(DecodeError::Cbor));
        assert_eq!(parse(&nested_arrays(MAX_DEPTH + 1)), Err(DecodeError::Cbor));
    }

    #[test]
    fn refuses_trailing_bytes() {
        assert_eq!(parse(&[0x01, 0x02]), Err(DecodeError::Cbor));
    }

    #[test]
    fn refuses_truncated_items() {
        // A byte string announcing 2^32 bytes with none present.
        assert_eq!(
            parse(&[0x5a, 0xff, 0xff, 0xff, 0xff]),
            Err(DecodeError::Cbor)
        );
        assert_eq!(parse(&[]), Err(DecodeError::Cbor));
    }

    #[test]
    fn refuses_duplicate_map_keys() {
        let map = vec![
            (Value::from(1), Value::from("a")),
            (Value::from(1), Value::from("b")),
        ];
        assert_eq!(int_keyed_entries(map), Err(DecodeError::Cbor));
    }

    #[test]
    fn refuses_non_integer_map_keys() {
        let map = vec![(Value::from("1"), Value::from("a"))];
        assert_eq!(int_keyed_entries(map), Err(DecodeError::Cbor));
    }
}
