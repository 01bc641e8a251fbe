//! Base45 (RFC 9285): the text form that fits a QR code's alphanumeric mode. Small enough to
//! own, and owning it keeps every check on hostile input in view.

const ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// Why a text is not Base45.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Base45Error {
    #[error("karakter di luar abjad Base45 (character outside the Base45 alphabet)")]
    Character,
    #[error("panjang teks Base45 tidak sah (invalid Base45 length)")]
    Length,
    #[error("nilai kelompok Base45 terlalu besar (Base45 group value out of range)")]
    Overflow,
}

pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(2) * 3);
    for pair in bytes.chunks(2) {
        let (value, digits) = match pair {
            [a, b] => (u32::from(*a) * 256 + u32::from(*b), 3),
            [a] => (u32::from(*a), 2),
            _ => continue,
        };
        let mut rest = value;
        for _ in 0..digits {
            let digit = (rest % 45) as usize;
            rest /= 45;
            // `digit` < 45 by construction, so the lookup cannot miss.
            if let Some(&c) = ALPHABET.get(digit) {
                out.push(char::from(c));
            }
        }
    }
    out
}

pub fn decode(text: &str) -> Result<Vec<u8>, Base45Error> {
    let bytes = text.as_bytes();
    if bytes.len() % 3 == 1 {
        return Err(Base45Error::Length);
    }
    let mut out = Vec::with_capacity(bytes.len() / 3 * 2 + 1);
    for group in bytes.chunks(3) {
        let mut value: u32 = 0;
        let mut weight: u32 = 1;
        for &c in group {
            value += digit(c)? * weight;
            weight *= 45;
        }
        match group.len() {
            3 => {
                let pair = u16::try_from(value).map_err(|_| Base45Error::Overflow)?;
                out.extend_from_slice(&pair.to_be_bytes());
            }
            _ => out.push(u8::try_from(value).map_err(|_| Base45Error::Overflow)?),
        }
    }
    Ok(out)
}

fn digit(c: u8) -> Result<u32, Base45Error> {
    let value = match c {
        b'0'..=b'9' => c - b'0',
        b'A'..=b'Z' => c - b'A' + 10,
        b' ' => 36,
        b'$' => 37,
        b'%' => 38,
        b'*' => 39,
        b'+' => 40,
        b'-' => 41,
        b'.' => 42,
        b'/' => 43,
        b':' => 44,
        _ => return Err(Base45Error::Character),
    };
    Ok(u32::from(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_the_rfc_9285_examples() {
        assert_eq!(encode(b"AB"), "BB8");
        assert_eq!(encode(b"Hello!!"), "%69 VD92EX0");
        assert_eq!(encode(b"base-45"), "UJCLQE7W581");
        assert_eq!(encode(b""), "");
    }

    #[test]
    fn decodes_the_rfc_9285_examples() {
        assert_eq!(decode("QED8WEX0").unwrap(), b"ietf!");
        assert_eq!(decode("%69 VD92EX0").unwrap(), b"Hello!!");
    }

    #[test]
    fn round_trips_every_byte_value() {
        let bytes: Vec<u8> = (0..=255).chain((0..=255).rev()).collect();
        assert_eq!(decode(&encode(&bytes)).unwrap(), bytes);
    }

    #[test]
    fn refuses_lowercase_and_other_characters() {
        assert_eq!(decode("bb8"), Err(Base45Error::Character));
        assert_eq!(decode("BB!"), Err(Base45Error::Character));
    }

    #[test]
    fn refuses_a_dangling_single_character() {
        assert_eq!(decode("BB8B"), Err(Base45Error::Length));
    }

    #[test]
    fn refuses_groups_above_their_byte_range() {
        // GGW = 65535 + 1 in RFC 9285's reading order; ":::" is 45^3 - 1.
        assert_eq!(decode(":::"), Err(Base45Error::Overflow));
        assert_eq!(decode("::"), Err(Base45Error::Overflow));
    }
}
