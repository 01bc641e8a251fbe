//! zlib with a hard cap on what decompression may produce. A few kilobytes of QR can inflate
//! to megabytes (a "zip bomb"), so inflation stops the moment the output reaches the cap
//! instead of finishing and then measuring.

use miniz_oxide::inflate::TINFLStatus;
use miniz_oxide::inflate::core::{DecompressorOxide, decompress, inflate_flags};

/// Why a byte string did not inflate within the cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum InflateError {
    #[error("bukan aliran zlib yang sah (not a valid zlib stream)")]
    Invalid,
    #[error("hasil dekompresi melebihi batas (decompressed size over the limit)")]
    TooLarge,
}

/// zlib at the highest level: QR space is scarce, and issuing is rare next to scanning.
pub fn compress(bytes: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(bytes, 9)
}

/// Inflates a complete zlib stream (header and Adler-32 checked, nothing may follow it) into
/// at most `cap` bytes.
pub fn decompress_capped(input: &[u8], cap: usize) -> Result<Vec<u8>, InflateError> {
    let flags = inflate_flags::TINFL_FLAG_PARSE_ZLIB_HEADER
        | inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    let mut state = Box::<DecompressorOxide>::default();
    // Start small and double: a genuine credential is a few kilobytes, and a bomb must not
    // make us allocate the whole cap up front for nothing.
    let mut out = vec![0u8; input.len().saturating_mul(4).max(256).min(cap.max(1))];
    let mut in_pos = 0usize;
    let mut out_pos = 0usize;
    loop {
        let rest = input.get(in_pos..).ok_or(InflateError::Invalid)?;
        let (status, consumed, written) = decompress(&mut state, rest, &mut out, out_pos, flags);
        in_pos = in_pos.saturating_add(consumed);
        out_pos = out_pos.saturating_add(written);
        match status {
            TINFLStatus::Done => {
                if in_pos != input.len() {
                    // Bytes after the stream: not what any issuer writes.
                    return Err(InflateError::Invalid);
                }
                out.truncate(out_pos);
                return Ok(out);
            }
            TINFLStatus::HasMoreOutput => {
                if out.len() >= cap {
                    return Err(InflateError::TooLarge);
                }
                let grown = out.len().saturating_mul(2).min(cap);
                out.resize(grown, 0);
            }
            _ => return Err(InflateError::Invalid),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_within_the_cap() {
        let data: Vec<u8> = (0..5000u32).map(|i| (i % 251) as u8).collect();
        assert_eq!(
            decompress_capped(&compress(&data), 64 * 1024).unwrap(),
            data
        );
    }

    #[test]
    fn output_exactly_at_the_cap_is_accepted() {
        let data = vec![7u8; 1000];
        assert_eq!(decompress_capped(&compress(&data), 1000).unwrap(), data);
    }

    #[test]
    fn refuses_a_zip_bomb_at_the_cap() {
        let bomb = compress(&vec![0u8; 10 * 1024 * 1024]);
        assert!(bomb.len() < 12 * 1024);
        assert_eq!(
            decompress_capped(&bomb, 64 * 1024),
            Err(InflateError::TooLarge)
        );
    }

    #[test]
    fn refuses_bytes_that_are_not_zlib() {
        assert_eq!(
            decompress_capped(b"hello", 1024),
            Err(InflateError::Invalid)
        );
        assert_eq!(decompress_capped(&[], 1024), Err(InflateError::Invalid));
    }

    #[test]
    fn refuses_a_stream_with_a_wrong_checksum() {
        let mut stream = compress(b"identity");
        if let Some(last) = stream.last_mut() {
            *last ^= 1;
        }
        assert_eq!(decompress_capped(&stream, 1024), Err(InflateError::Invalid));
    }

    #[test]
    fn refuses_trailing_bytes_after_the_stream() {
        let mut stream = compress(b"identity");
        stream.push(0);
        assert_eq!(decompress_capped(&stream, 1024), Err(InflateError::Invalid));
    }

    #[test]
    fn refuses_a_truncated_stream() {
        let stream = compress(b"identity identity identity");
        let cut = stream.get(..stream.len() - 3).unwrap();
        assert_eq!(decompress_capped(cut, 1024), Err(InflateError::Invalid));
    }
}
