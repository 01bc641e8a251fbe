//! The verifier's own scanner (`ikd_web::qr_frame`, natively): the Claim 169 QRs the phone
//! shows (versions 24–31 at ECC M, Base45 text) as a camera sees them on a screen, at 3–6
//! pixels per module (also fractions), slightly blurred and noisy, with the quiet zone the
//! page draws, are read.

#![cfg(not(target_arch = "wasm32"))]

use ikd_web::qr_frame;
use qrcode::{Color, EcLevel, QrCode, Version};

/// SplitMix64: the same pictures every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

const BASE45: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

fn base45_text(len: usize, rng: &mut Rng) -> String {
    (0..len)
        .map(|_| BASE45[(rng.next() % 45) as usize] as char)
        .collect()
}

/// Base45 text that needs exactly `version` at ECC M, as the phone's QR does.
fn text_for(version: i16, rng: &mut Rng) -> String {
    let mut len = 600;
    loop {
        let text = base45_text(len + 10, rng);
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).expect("fits");
        match code.version() {
            Version::Normal(v) if v == version => return text,
            Version::Normal(v) if v > version => len -= 7,
            _ => len += 23,
        }
    }
}

/// What a camera sees: the code with its 4-module quiet zone at `scale` pixels per module
/// (area-sampled, so fractional scales give grey edges), `offset` pixels into the quiet zone
/// of a white margin, then maybe a 3×3 blur, and ±`noise` grey levels.
struct Frame {
    luma: Vec<u8>,
    side: usize,
}

fn camera_frame(
    text: &str,
    scale: f64,
    offset: f64,
    blur: bool,
    noise: u64,
    rng: &mut Rng,
) -> Frame {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).expect("fits");
    let n = code.width();
    let colors = code.to_colors();
    let margin = 24.0;
    let side = ((n + 8) as f64 * scale + 2.0 * margin).ceil() as usize;
    let origin = margin + offset + 4.0 * scale;
    const SUB: usize = 3;
    let mut sharp = vec![255u8; side * side];
    for y in 0..side {
        for x in 0..side {
            let mut dark = 0;
            for sy in 0..SUB {
                for sx in 0..SUB {
                    let px = x as f64 + (sx as f64 + 0.5) / SUB as f64;
                    let py = y as f64 + (sy as f64 + 0.5) / SUB as f64;
                    let (mx, my) = ((px - origin) / scale, (py - origin) / scale);
                    if mx >= 0.0
                        && my >= 0.0
                        && (mx as usize) < n
                        && (my as usize) < n
                        && colors[my as usize * n + mx as usize] == Color::Dark
                    {
                        dark += 1;
                    }
                }
            }
            // A screen's black is not black, nor its white white.
            sharp[y * side + x] = (235 - dark * 205 / (SUB * SUB)) as u8;
        }
    }
    let mut luma = vec![0u8; side * side];
    for y in 0..side {
        for x in 0..side {
            let mut sum = 9 * u32::from(sharp[y * side + x]);
            for dy in 0..3 * usize::from(blur) {
                if dy == 0 {
                    sum = 0;
                }
                for dx in 0..3 {
                    let yy = (y + dy).saturating_sub(1).min(side - 1);
                    let xx = (x + dx).saturating_sub(1).min(side - 1);
                    sum += u32::from(sharp[yy * side + xx]);
                }
            }
            let grain = if noise == 0 {
                0
            } else {
                (rng.next() % (2 * noise + 1)) as i32 - noise as i32
            };
            luma[y * side + x] = ((sum / 9) as i32 + grain).clamp(0, 255) as u8;
        }
    }
    Frame { luma, side }
}

#[test]
fn the_phones_qrs_are_read_at_camera_module_sizes() {
    let mut rng = Rng(169);
    let mut missed = Vec::new();
    for version in 24..=31 {
        let text = text_for(version, &mut rng);
        // At 3 pixels a module a blur would leave nothing to read; a camera that close to
        // its limit sees the screen's pixels sharp or not at all.
        for (scale, offset, blur, noise) in [
            (3.0, 0.0, false, 4),
            (3.3, 0.5, true, 0),
            (3.6, 0.4, true, 6),
            (4.4, 0.7, true, 4),
            (5.3, 0.2, true, 8),
            (6.0, 0.5, true, 6),
        ] {
            let frame = camera_frame(&text, scale, offset, blur, noise, &mut rng);
            if qr_frame::decode_luma(&frame.luma, frame.side, frame.side).as_deref()
                != Some(text.as_str())
            {
                missed.push(format!("version {version} at {scale} px/module"));
            }
        }
    }
    assert!(missed.is_empty(), "not read: {missed:?}");
}

#[test]
fn an_rgba_frame_is_read_as_luma() {
    let mut rng = Rng(45);
    let text = text_for(26, &mut rng);
    let frame = camera_frame(&text, 4.4, 0.3, true, 0, &mut rng);
    let rgba: Vec<u8> = frame.luma.iter().flat_map(|&v| [v, v, v, 255]).collect();
    let luma = qr_frame::luma_of_rgba(&rgba);
    assert_eq!(luma, frame.luma);
}

#[test]
fn a_frame_without_a_code_reads_nothing() {
    assert_eq!(
        qr_frame::decode_luma(&vec![200u8; 300 * 200], 300, 200),
        None
    );
    assert_eq!(qr_frame::decode_luma(&[], 0, 0), None);
    assert_eq!(qr_frame::decode_rgba(&[0u8; 16], 2, 2), None);
}
