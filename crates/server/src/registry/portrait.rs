//! Generated portraits for synthetic citizens: flat shapes (background, shoulders and
//! clothing, head, hair or hijab, eyes, brows, mouth) whose colours and proportions come from
//! a seed, so every person has their own face and the same seed always gives the same JPEG
//! bytes. They are drawn on demand rather than stored: a million people would otherwise need
//! a gigabyte of pictures.
//!
//! The small portrait (48×64) is a baseline JPEG under 1 KB so that it fits in a Claim 169 QR;
//! the officer console asks for a larger one of the same face.

mod canvas;
mod face;

use ikd_core::Sex;
use jpeg_encoder::{ColorType, Encoder};

use canvas::Canvas;
use face::Look;

/// Size and quality of the portrait that goes into the QR credential. Quality 40, not 50,
/// since issue 16: the holder key and proof take about 110 bytes of the QR, and the
/// portrait gives them back, so each profile stays within its QR version budget
/// (`tests/api/qr_sizes.rs`).
pub const SMALL_WIDTH: u16 = 48;
pub const SMALL_HEIGHT: u16 = 64;
pub const SMALL_QUALITY: u8 = 40;

/// Size and quality of the portrait shown in the officer console.
pub const LARGE_WIDTH: u16 = 240;
pub const LARGE_HEIGHT: u16 = 320;
pub const LARGE_QUALITY: u8 = 85;

/// The 48×64 portrait of the person with this seed, sex and age, as a baseline JPEG.
pub fn portrait_jpeg(seed: u64, sex: Sex, age: u32) -> Vec<u8> {
    portrait_jpeg_sized(seed, sex, age, SMALL_WIDTH, SMALL_HEIGHT, SMALL_QUALITY)
}

/// The same face at another size (3:4 fits best; other ratios widen the background) and JPEG
/// quality (clamped to 1..=100). Sizes below 8×8 are raised to 8×8.
pub fn portrait_jpeg_sized(
    seed: u64,
    sex: Sex,
    age: u32,
    width: u16,
    height: u16,
    quality: u8,
) -> Vec<u8> {
    let (width, height) = (width.max(8), height.max(8));
    let look = Look::new(seed, sex, age);
    let mut canvas = Canvas::new(usize::from(width), usize::from(height), look.background);
    look.draw(&mut canvas);
    let pixels = canvas.into_rgb_bytes();

    let mut jpeg = Vec::with_capacity(usize::from(width) * usize::from(height) / 4);
    let mut encoder = Encoder::new(&mut jpeg, quality.clamp(1, 100));
    // Huffman tables fitted to this picture instead of the standard ones: for a picture this
    // small the standard tables alone would take ~420 of our 1,000 bytes.
    encoder.set_optimized_huffman_tables(true);
    // Encoding into memory with non-zero sizes and matching pixel data cannot fail; an empty
    // answer would show as a missing picture rather than take the service down.
    match encoder.encode(&pixels, width, height, ColorType::Rgb) {
        Ok(()) => jpeg,
        Err(err) => {
            tracing::error!(%err, "portrait encoding failed");
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Width and height from the SOF0 (baseline) frame header, after checking the SOI and EOI
    /// markers and that no other frame type is present.
    fn baseline_jpeg_size(jpeg: &[u8]) -> (u16, u16) {
        assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "starts with SOI");
        assert_eq!(&jpeg[jpeg.len() - 2..], &[0xFF, 0xD9], "ends with EOI");
        let mut at = 2;
        loop {
            assert_eq!(jpeg[at], 0xFF, "segment marker at {at}");
            let marker = jpeg[at + 1];
            let length = usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
            assert!(
                !matches!(marker, 0xC1..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF),
                "only baseline frames, found {marker:#x}"
            );
            if marker == 0xC0 {
                let segment = &jpeg[at + 4..at + 2 + length];
                assert_eq!(segment[0], 8, "8-bit samples");
                let height = u16::from_be_bytes([segment[1], segment[2]]);
                let width = u16::from_be_bytes([segment[3], segment[4]]);
                return (width, height);
            }
            at += 2 + length;
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_bytes() {
        let a = portrait_jpeg(42, Sex::Female, 35);
        let b = portrait_jpeg(42, Sex::Female, 35);
        assert_eq!(a, b);
        assert_eq!(
            portrait_jpeg_sized(42, Sex::Female, 35, 240, 320, 85),
            portrait_jpeg_sized(42, Sex::Female, 35, 240, 320, 85)
        );
    }

    #[test]
    fn different_seeds_give_different_portraits() {
        let mut seen = std::collections::HashSet::new();
        for seed in 0..200u64 {
            let sex = if seed % 2 == 0 {
                Sex::Male
            } else {
                Sex::Female
            };
            assert!(seen.insert(portrait_jpeg(seed, sex, 30)), "seed {seed}");
        }
        assert_ne!(
            portrait_jpeg(1, Sex::Male, 30),
            portrait_jpeg(2, Sex::Male, 30)
        );
    }

    #[test]
    fn small_portraits_stay_under_one_kilobyte_for_every_sex_and_age() {
        let mut largest = 0;
        for seed in 0..200u64 {
            let sex = if seed % 2 == 0 {
                Sex::Male
            } else {
                Sex::Female
            };
            let age = (seed * 7 % 90) as u32;
            let jpeg = portrait_jpeg(seed, sex, age);
            largest = largest.max(jpeg.len());
            assert!(jpeg.len() < 1000, "seed {seed}: {} bytes", jpeg.len());
        }
        println!("largest 48x64 portrait of 200: {largest} bytes");
    }

    /// A measurement, not a check: `cargo test -p ikd-server --release --lib portrait --
    /// --ignored --nocapture`.
    #[test]
    #[ignore = "benchmark; run in release with --ignored --nocapture"]
    fn time_per_small_portrait() {
        let count = 5_000u64;
        let start = std::time::Instant::now();
        let mut largest = 0;
        for seed in 0..count {
            let sex = if seed % 2 == 0 {
                Sex::Male
            } else {
                Sex::Female
            };
            largest = largest.max(portrait_jpeg(seed, sex, (seed % 90) as u32).len());
        }
        let micros = start.elapsed().as_secs_f64() * 1e6 / count as f64;
        println!("48x64: {micros:.0} µs per portrait, largest {largest} bytes of {count}");
    }

    #[test]
    fn portraits_are_baseline_jpegs_of_the_requested_size() {
        assert_eq!(
            baseline_jpeg_size(&portrait_jpeg(7, Sex::Male, 50)),
            (48, 64)
        );
        let large = portrait_jpeg_sized(7, Sex::Male, 50, 240, 320, 85);
        assert_eq!(baseline_jpeg_size(&large), (240, 320));
        let odd = portrait_jpeg_sized(7, Sex::Female, 5, 100, 50, 60);
        assert_eq!(baseline_jpeg_size(&odd), (100, 50));
        let tiny = portrait_jpeg_sized(7, Sex::Female, 5, 0, 0, 0);
        assert_eq!(baseline_jpeg_size(&tiny), (8, 8));
    }
}
