//! Is there a face in the selfie, and can the officer see it? Cheap rules run on the phone on a
//! small RGBA copy of the picture (a canvas's `ImageData`), before the selfie is sent:
//! brightness (mean luma), contrast (its spread), sharpness (variance of a Laplacian) and a
//! face-like check (skin-tone pixels in the middle of the frame, or the browser's own
//! `FaceDetector` where it exists). Chromium's fake camera, a flat green frame, fails the
//! face check.
//!
//! The findings are a hint, never a refusal: the citizen may retake or still send, the service
//! stores them as sent, and the officer, who sees the face, decides.

use serde::{Deserialize, Serialize};

/// One problem found in a selfie. Stored as its `as_str` word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum SelfieFinding {
    /// Nothing face-like in the middle of the picture.
    NoFace,
    TooDark,
    TooBright,
    /// Too little detail: out of focus, shaken, or a flat picture.
    Blurry,
}

impl SelfieFinding {
    pub const ALL: [SelfieFinding; 4] = [
        SelfieFinding::NoFace,
        SelfieFinding::TooDark,
        SelfieFinding::TooBright,
        SelfieFinding::Blurry,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SelfieFinding::NoFace => "no-face",
            SelfieFinding::TooDark => "too-dark",
            SelfieFinding::TooBright => "too-bright",
            SelfieFinding::Blurry => "blurry",
        }
    }

    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == word)
    }

    pub fn message_id(self) -> &'static str {
        match self {
            SelfieFinding::NoFace => "Tidak tampak wajah di tengah foto",
            SelfieFinding::TooDark => "Foto terlalu gelap",
            SelfieFinding::TooBright => "Foto terlalu terang",
            SelfieFinding::Blurry => "Foto buram atau kurang tajam",
        }
    }

    pub fn message_en(self) -> &'static str {
        match self {
            SelfieFinding::NoFace => "No face visible in the middle of the photo",
            SelfieFinding::TooDark => "The photo is too dark",
            SelfieFinding::TooBright => "The photo is too bright",
            SelfieFinding::Blurry => "The photo is blurred or not sharp",
        }
    }
}

/// Findings as stored: their words joined by commas, in the enum's order, each once.
pub fn to_stored(findings: &[SelfieFinding]) -> String {
    normalized(findings)
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// The stored text back; unknown words are skipped (a hint, never worth a fault).
pub fn from_stored(text: &str) -> Vec<SelfieFinding> {
    normalized(
        &text
            .split(',')
            .filter_map(SelfieFinding::parse)
            .collect::<Vec<_>>(),
    )
}

/// Sorted, each finding once.
pub fn normalized(findings: &[SelfieFinding]) -> Vec<SelfieFinding> {
    let mut out = findings.to_vec();
    out.sort();
    out.dedup();
    out
}

/// Mean luma below this (0–255) is too dark.
pub const MIN_BRIGHTNESS: f32 = 55.0;
/// Mean luma above this is too bright (washed out).
pub const MAX_BRIGHTNESS: f32 = 215.0;
/// Luma standard deviation below this is a flat picture: nothing to compare.
pub const MIN_CONTRAST: f32 = 12.0;
/// Variance of the 4-neighbour Laplacian of luma below this is blurred.
pub const MIN_SHARPNESS: f32 = 30.0;
/// Share of skin-toned pixels in the middle of the frame below this: no face.
pub const MIN_SKIN_SHARE: f32 = 0.15;

/// What was measured, for tests and tuning.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measures {
    pub brightness: f32,
    pub contrast: f32,
    pub sharpness: f32,
    pub skin_share: f32,
}

/// Measures an RGBA picture (4 bytes a pixel, rows top to bottom), e.g. 240×320.
pub fn measure(rgba: &[u8], width: usize, height: usize) -> Measures {
    let pixels = width * height;
    if width < 3 || height < 3 || rgba.len() < pixels * 4 {
        return Measures {
            brightness: 0.0,
            contrast: 0.0,
            sharpness: 0.0,
            skin_share: 0.0,
        };
    }
    let luma: Vec<f32> = rgba[..pixels * 4]
        .chunks_exact(4)
        .map(|p| 0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2]))
        .collect();
    let n = pixels as f32;
    let brightness = luma.iter().sum::<f32>() / n;
    let contrast = (luma.iter().map(|l| (l - brightness).powi(2)).sum::<f32>() / n).sqrt();

    let mut sum = 0.0f64;
    let mut sum_sq = 0.0f64;
    for y in 1..height - 1 {
        for x in 1..width - 1 {
            let i = y * width + x;
            let lap = f64::from(
                luma[i - 1] + luma[i + 1] + luma[i - width] + luma[i + width] - 4.0 * luma[i],
            );
            sum += lap;
            sum_sq += lap * lap;
        }
    }
    let inner = ((width - 2) * (height - 2)) as f64;
    let mean = sum / inner;
    let sharpness = (sum_sq / inner - mean * mean) as f32;

    // The middle half across and the middle 60 % down, where the app's oval guides the face.
    let (x0, x1) = (width / 4, width - width / 4);
    let (y0, y1) = (height / 5, height - height / 5);
    let mut skin = 0usize;
    for y in y0..y1 {
        for x in x0..x1 {
            let p = &rgba[(y * width + x) * 4..][..3];
            if is_skin(p[0], p[1], p[2]) {
                skin += 1;
            }
        }
    }
    let skin_share = skin as f32 / ((x1 - x0) * (y1 - y0)).max(1) as f32;
    Measures {
        brightness,
        contrast,
        sharpness,
        skin_share,
    }
}

/// Skin tones of every complexion fall in a narrow chroma box (Chai and Ngan's YCbCr rule),
/// whatever their brightness; green, blue and grey do not.
fn is_skin(r: u8, g: u8, b: u8) -> bool {
    let (r, g, b) = (f32::from(r), f32::from(g), f32::from(b));
    let cb = 128.0 - 0.168_736 * r - 0.331_264 * g + 0.5 * b;
    let cr = 128.0 + 0.5 * r - 0.418_688 * g - 0.081_312 * b;
    (77.0..=127.0).contains(&cb) && (133.0..=173.0).contains(&cr)
}

/// The findings for an RGBA picture. `faces` is what the browser's `FaceDetector` found, where
/// it exists: it then decides whether there is a face, instead of the skin-tone rule.
pub fn assess(
    rgba: &[u8],
    width: usize,
    height: usize,
    faces: Option<usize>,
) -> Vec<SelfieFinding> {
    findings_of(&measure(rgba, width, height), faces)
}

pub fn findings_of(m: &Measures, faces: Option<usize>) -> Vec<SelfieFinding> {
    let mut out = Vec::new();
    let flat = m.contrast < MIN_CONTRAST;
    let face = match faces {
        Some(found) => found > 0,
        None => m.skin_share >= MIN_SKIN_SHARE,
    };
    if !face {
        out.push(SelfieFinding::NoFace);
    }
    if m.brightness < MIN_BRIGHTNESS {
        out.push(SelfieFinding::TooDark);
    } else if m.brightness > MAX_BRIGHTNESS {
        out.push(SelfieFinding::TooBright);
    }
    if flat || m.sharpness < MIN_SHARPNESS {
        out.push(SelfieFinding::Blurry);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: usize = 240;
    const H: usize = 320;

    fn frame(mut pixel: impl FnMut(usize, usize) -> [u8; 3]) -> Vec<u8> {
        let mut out = Vec::with_capacity(W * H * 4);
        for y in 0..H {
            for x in 0..W {
                let [r, g, b] = pixel(x, y);
                out.extend_from_slice(&[r, g, b, 255]);
            }
        }
        out
    }

    /// A face as a phone sees it: shaded skin oval, hair, eyes, mouth, a textured wall behind,
    /// and sensor noise.
    fn face(light: f32) -> Vec<u8> {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut noise = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % 17) as f32 - 8.0
        };
        frame(|x, y| {
            let (fx, fy) = (x as f32, y as f32);
            let in_oval = ((fx - 120.0) / 62.0).powi(2) + ((fy - 165.0) / 85.0).powi(2) <= 1.0;
            let hair =
                ((fx - 120.0) / 70.0).powi(2) + ((fy - 120.0) / 70.0).powi(2) <= 1.0 && fy < 115.0;
            let eye = ((fx - 97.0) / 10.0).powi(2) + ((fy - 150.0) / 5.0).powi(2) <= 1.0
                || ((fx - 143.0) / 10.0).powi(2) + ((fy - 150.0) / 5.0).powi(2) <= 1.0;
            let mouth = ((fx - 120.0) / 22.0).powi(2) + ((fy - 205.0) / 5.0).powi(2) <= 1.0;
            let base: [f32; 3] = if eye {
                [40.0, 30.0, 28.0]
            } else if mouth {
                [150.0, 70.0, 70.0]
            } else if hair {
                [35.0, 28.0, 25.0]
            } else if in_oval {
                let shade = 1.0 - (fx - 120.0).abs() / 200.0;
                [205.0 * shade, 150.0 * shade, 120.0 * shade]
            } else if (x / 12 + y / 12) % 2 == 0 {
                [170.0, 175.0, 180.0]
            } else {
                [150.0, 155.0, 160.0]
            };
            let n = noise();
            base.map(|c| ((c + n) * light).clamp(0.0, 255.0) as u8)
        })
    }

    #[test]
    fn chromium_green_test_frame_has_no_face() {
        let green = frame(|_, _| [0, 170, 0]);
        let found = assess(&green, W, H, None);
        assert!(found.contains(&SelfieFinding::NoFace), "{found:?}");
        assert!(found.contains(&SelfieFinding::Blurry), "{found:?}");
    }

    #[test]
    fn green_frame_with_the_fake_cameras_pacman_still_has_no_face() {
        let picture = frame(|x, y| {
            let inside = ((x as f32 - 120.0).powi(2) + (y as f32 - 160.0).powi(2)).sqrt() < 60.0;
            if inside { [255, 255, 255] } else { [0, 150, 0] }
        });
        assert!(assess(&picture, W, H, None).contains(&SelfieFinding::NoFace));
    }

    #[test]
    fn a_face_in_good_light_passes() {
        let picture = face(1.0);
        let m = measure(&picture, W, H);
        assert_eq!(findings_of(&m, None), vec![], "{m:?}");
    }

    #[test]
    fn a_face_in_the_dark_is_too_dark_but_still_a_face() {
        let found = assess(&face(0.3), W, H, None);
        assert!(found.contains(&SelfieFinding::TooDark), "{found:?}");
        assert!(!found.contains(&SelfieFinding::NoFace), "{found:?}");
    }

    #[test]
    fn a_washed_out_frame_is_too_bright() {
        let white = frame(|x, y| {
            if (x + y) % 2 == 0 {
                [250, 250, 250]
            } else {
                [240, 240, 240]
            }
        });
        assert!(assess(&white, W, H, None).contains(&SelfieFinding::TooBright));
    }

    #[test]
    fn a_smeared_face_is_blurry() {
        let sharp = face(1.0);
        // A wide box blur, as from a shaken or unfocused camera.
        let mut blurred = sharp.clone();
        let r = 6i64;
        for y in 0..H as i64 {
            for x in 0..W as i64 {
                let mut acc = [0u32; 3];
                let mut n = 0;
                for dy in -r..=r {
                    for dx in -r..=r {
                        let (sx, sy) = (
                            (x + dx).clamp(0, W as i64 - 1),
                            (y + dy).clamp(0, H as i64 - 1),
                        );
                        let i = (sy as usize * W + sx as usize) * 4;
                        for c in 0..3 {
                            acc[c] += u32::from(sharp[i + c]);
                        }
                        n += 1;
                    }
                }
                let i = (y as usize * W + x as usize) * 4;
                for c in 0..3 {
                    blurred[i + c] = (acc[c] / n) as u8;
                }
            }
        }
        let found = assess(&blurred, W, H, None);
        assert!(
            found.contains(&SelfieFinding::Blurry),
            "{:?}",
            measure(&blurred, W, H)
        );
        assert!(!found.contains(&SelfieFinding::NoFace));
    }

    #[test]
    fn the_browsers_face_detector_decides_about_the_face() {
        let green = frame(|_, _| [0, 170, 0]);
        assert!(!assess(&green, W, H, Some(1)).contains(&SelfieFinding::NoFace));
        assert!(assess(&face(1.0), W, H, Some(0)).contains(&SelfieFinding::NoFace));
    }

    #[test]
    fn a_too_small_buffer_is_not_a_face() {
        assert!(assess(&[0; 8], 2, 1, None).contains(&SelfieFinding::NoFace));
    }

    #[test]
    fn stored_words_round_trip_and_unknown_words_are_skipped() {
        let found = [
            SelfieFinding::Blurry,
            SelfieFinding::NoFace,
            SelfieFinding::Blurry,
        ];
        assert_eq!(to_stored(&found), "no-face,blurry");
        assert_eq!(
            from_stored("no-face,blurry,new-thing"),
            vec![SelfieFinding::NoFace, SelfieFinding::Blurry]
        );
        assert_eq!(from_stored(""), vec![]);
        for f in SelfieFinding::ALL {
            assert_eq!(SelfieFinding::parse(f.as_str()), Some(f));
            assert_eq!(
                serde_json::to_string(&f).unwrap(),
                format!("\"{}\"", f.as_str())
            );
        }
    }
}
