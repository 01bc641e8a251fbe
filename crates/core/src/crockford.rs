//! Crockford base32 codes that people read from an email or a screen and type by hand:
//! activation codes (8 characters) and desk short codes (6). Reading is forgiving the way
//! Crockford specifies: case is ignored, I and L read as 1, O as 0, and dashes and spaces
//! are skipped.

pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// `len` characters taken from the low 5 bits of each byte (callers pass random or HMAC
/// bytes, at least `len` of them).
pub fn encode(bytes: &[u8], len: usize) -> String {
    bytes
        .iter()
        .take(len)
        .map(|b| char::from(ALPHABET[usize::from(b & 31)]))
        .collect()
}

/// The canonical form of a typed code, or `None` when a character is not Crockford base32.
pub fn normalize(typed: &str) -> Option<String> {
    let mut out = String::with_capacity(typed.len());
    for c in typed.chars() {
        let c = match c.to_ascii_uppercase() {
            '-' | ' ' => continue,
            'I' | 'L' => '1',
            'O' => '0',
            c => c,
        };
        if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) {
            return None;
        }
        out.push(c);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_codes_are_read_forgivingly() {
        assert_eq!(normalize("abcd-efgh"), Some("ABCDEFGH".into()));
        assert_eq!(normalize("o1il"), Some("0111".into()));
        assert_eq!(normalize("ABCU"), None);
        assert_eq!(encode(&[0, 31, 32, 33], 3), "0Z0");
    }
}
