//! What a synthetic person looks like (drawn from the seed, the sex and the age) and how that
//! look is painted. Everything is flat colour on purpose: nobody may mistake these portraits
//! for photographs of real people.

use ikd_core::Sex;

use super::canvas::{Canvas, FRAME_WIDTH, Rgb, convex, ellipse, rounded_box};
use crate::registry::rng::Rng;

/// Plain backgrounds as on identity photos: the KTP's red and blue, and a few softer ones.
const BACKGROUNDS: [Rgb; 6] = [
    Rgb::new(196, 48, 43),
    Rgb::new(40, 92, 170),
    Rgb::new(62, 120, 196),
    Rgb::new(168, 36, 52),
    Rgb::new(120, 150, 180),
    Rgb::new(70, 140, 150),
];

/// Skin tones across the archipelago, light to deep.
const SKIN: [Rgb; 7] = [
    Rgb::new(243, 208, 176),
    Rgb::new(232, 190, 150),
    Rgb::new(214, 165, 122),
    Rgb::new(196, 144, 100),
    Rgb::new(172, 120, 80),
    Rgb::new(146, 98, 64),
    Rgb::new(116, 76, 50),
];

const HAIR: [Rgb; 4] = [
    Rgb::new(22, 18, 16),
    Rgb::new(40, 30, 24),
    Rgb::new(62, 44, 32),
    Rgb::new(30, 26, 28),
];

const CLOTHING: [Rgb; 9] = [
    Rgb::new(245, 245, 240),
    Rgb::new(32, 42, 74),
    Rgb::new(110, 30, 40),
    Rgb::new(40, 90, 60),
    Rgb::new(90, 90, 96),
    Rgb::new(20, 20, 24),
    Rgb::new(150, 190, 220),
    Rgb::new(200, 150, 50),
    Rgb::new(120, 70, 120),
];

const HIJAB: [Rgb; 9] = [
    Rgb::new(248, 248, 246),
    Rgb::new(24, 24, 28),
    Rgb::new(34, 44, 88),
    Rgb::new(120, 36, 52),
    Rgb::new(214, 160, 170),
    Rgb::new(96, 104, 60),
    Rgb::new(210, 190, 160),
    Rgb::new(40, 110, 120),
    Rgb::new(140, 110, 170),
];

const GREY_HAIR: Rgb = Rgb::new(205, 205, 200);
const EYE: Rgb = Rgb::new(34, 26, 22);
const SHIRT_WHITE: Rgb = Rgb::new(250, 250, 250);
const PECI: Rgb = Rgb::new(18, 18, 20);

#[derive(Debug, Clone, Copy, PartialEq)]
enum HairStyle {
    Short,
    SidePart,
    Buzz,
    Curly,
    Receding,
    Peci,
    Long,
    Bob,
    Bun,
    Hijab(Rgb),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Neckline {
    /// A white shirt collar.
    Collar,
    VNeck,
    Round,
}

/// Everything that varies between portraits, in portrait units (see `canvas`).
#[derive(Debug, Clone, PartialEq)]
pub struct Look {
    pub background: Rgb,
    skin: Rgb,
    hair: Rgb,
    style: HairStyle,
    clothing: Rgb,
    neckline: Neckline,
    /// Head centre and radii.
    cx: f32,
    cy: f32,
    rx: f32,
    ry: f32,
    /// How much narrower the jaw gets towards the chin (0 = a plain oval).
    chin: f32,
    shoulders: f32,
    eye_gap: f32,
    eye_size: f32,
    mouth_width: f32,
    glasses: bool,
    moustache: bool,
}

impl Look {
    /// The look of one person. Every choice is drawn from `seed` in a fixed order, so a seed
    /// always gives the same face.
    pub fn new(seed: u64, sex: Sex, age: u32) -> Look {
        let mut rng = Rng::new(seed ^ 0x706f_7274_7261_6974); // "portrait"
        let child = age < 13;
        let background = rng.pick(&BACKGROUNDS);
        let skin = rng.pick(&SKIN);
        let mut hair = rng.pick(&HAIR);
        if age >= 40 {
            let grey = ((age - 40) as f32 / 35.0).min(1.0) * uniform(&mut rng, 0.2, 1.0);
            hair = hair.mix(GREY_HAIR, grey);
        }
        let style = match sex {
            Sex::Male => rng.pick_weighted(&[
                (HairStyle::Short, 30),
                (HairStyle::SidePart, 25),
                (HairStyle::Buzz, 10),
                (HairStyle::Curly, 8),
                (HairStyle::Peci, if child { 2 } else { 12 }),
                (HairStyle::Receding, if age >= 40 { 20 } else { 0 }),
            ]),
            Sex::Female => {
                let hijab = HairStyle::Hijab(rng.pick(&HIJAB));
                rng.pick_weighted(&[
                    (
                        hijab,
                        match age {
                            0..5 => 0,
                            5..9 => 15,
                            _ => 60,
                        },
                    ),
                    (HairStyle::Long, 20),
                    (HairStyle::Bob, 10),
                    (HairStyle::Bun, 12),
                ])
            }
        };
        let clothing = rng.pick(&CLOTHING);
        let neckline = rng.pick_weighted(&[
            (Neckline::Collar, if sex == Sex::Male { 50 } else { 25 }),
            (Neckline::VNeck, 20),
            (Neckline::Round, 30),
        ]);
        // Children's heads are larger for their shoulders; faces vary from round to long.
        let (head_scale, shoulders) = if child { (1.05, 0.3) } else { (1.0, 0.37) };
        let rx = uniform(&mut rng, 0.165, 0.19) * head_scale;
        let ry = uniform(&mut rng, 0.215, 0.24) * head_scale;
        Look {
            background,
            skin,
            hair,
            style,
            clothing,
            neckline,
            cx: FRAME_WIDTH / 2.0 + uniform(&mut rng, -0.012, 0.012),
            cy: uniform(&mut rng, 0.42, 0.45),
            rx,
            ry,
            chin: uniform(&mut rng, 0.08, 0.3),
            shoulders: shoulders * uniform(&mut rng, 0.92, 1.08),
            eye_gap: rx * uniform(&mut rng, 0.36, 0.44),
            eye_size: if child { 1.25 } else { 1.0 } * uniform(&mut rng, 0.9, 1.15),
            mouth_width: rx * uniform(&mut rng, 0.22, 0.32),
            glasses: !child && rng.chance(if age >= 45 { 0.3 } else { 0.1 }),
            moustache: sex == Sex::Male && age >= 20 && rng.chance(0.25),
        }
    }

    pub fn draw(&self, canvas: &mut Canvas) {
        self.draw_back_hair(canvas);
        self.draw_body(canvas);
        self.draw_head(canvas);
        self.draw_face(canvas);
        self.draw_front_hair(canvas);
    }

    /// Head outline: an ellipse whose sides close in towards the chin.
    fn head_distance(&self, x: f32, y: f32) -> f32 {
        let below = ((y - self.cy) / self.ry).clamp(0.0, 1.0);
        let rx = self.rx * (1.0 - self.chin * below * below);
        ellipse(x, y, self.cx, self.cy, rx, self.ry)
    }

    fn head_box(&self, grow: f32) -> (f32, f32, f32, f32) {
        (
            self.cx - self.rx * grow,
            self.cy - self.ry * grow,
            self.cx + self.rx * grow,
            self.cy + self.ry * grow,
        )
    }

    fn draw_back_hair(&self, canvas: &mut Canvas) {
        let (cx, cy, rx, ry) = (self.cx, self.cy, self.rx, self.ry);
        match self.style {
            HairStyle::Long => {
                let bottom = cy + ry * 2.2;
                canvas.fill(
                    self.hair,
                    (cx - rx * 1.4, cy - ry * 1.2, cx + rx * 1.4, bottom),
                    |x, y| {
                        let top = ellipse(x, y, cx, cy - ry * 0.05, rx * 1.22, ry * 1.1);
                        let fall =
                            rounded_box(x, y, cx, cy + ry * 0.7, rx * 1.25, ry * 1.5, rx * 0.5);
                        top.min(fall)
                    },
                );
            }
            HairStyle::Bob => {
                canvas.fill(self.hair, self.head_box(1.4), |x, y| {
                    let top = ellipse(x, y, cx, cy - ry * 0.05, rx * 1.22, ry * 1.1);
                    let sides =
                        rounded_box(x, y, cx, cy + ry * 0.2, rx * 1.22, ry * 0.75, rx * 0.3);
                    top.min(sides)
                });
            }
            HairStyle::Bun => {
                canvas.fill(self.hair, self.head_box(1.6), |x, y| {
                    ellipse(x, y, cx, cy - ry * 1.02, rx * 0.5, ry * 0.32)
                });
            }
            _ => {}
        }
    }

    fn draw_body(&self, canvas: &mut Canvas) {
        let (cx, cy, rx, ry) = (self.cx, self.cy, self.rx, self.ry);
        let neck_top = cy + ry * 0.5;
        let shoulder_top = cy + ry * 1.5;
        let neck = self.skin.scale(0.88);
        canvas.fill(neck, (cx - rx, neck_top, cx + rx, 1.0), |x, y| {
            rounded_box(
                x,
                y,
                cx,
                (neck_top + 1.0) / 2.0,
                rx * 0.48,
                (1.0 - neck_top) / 2.0,
                0.0,
            )
        });
        let half = self.shoulders;
        let body = |x: f32, y: f32| ellipse(x, y, cx, shoulder_top + 0.28, half, 0.32);
        canvas.fill(
            self.clothing,
            (cx - half, shoulder_top, cx + half, 1.2),
            body,
        );
        let open_depth = shoulder_top + 0.1;
        match self.neckline {
            Neckline::Collar => {
                let (w, collar) = (rx * 0.42, SHIRT_WHITE);
                canvas.fill(
                    neck,
                    (cx - w, shoulder_top - 0.02, cx + w, open_depth),
                    |x, y| {
                        convex(
                            x,
                            y,
                            &[
                                (cx - w, shoulder_top - 0.02),
                                (cx + w, shoulder_top - 0.02),
                                (cx, open_depth),
                            ],
                        )
                    },
                );
                for side in [-1.0f32, 1.0] {
                    let inner = (cx, open_depth - 0.01);
                    let top = (cx + side * w * 1.1, shoulder_top - 0.025);
                    let outer = (cx + side * w * 2.3, shoulder_top + 0.05);
                    let corners = if side < 0.0 {
                        [inner, outer, top]
                    } else {
                        [inner, top, outer]
                    };
                    canvas.fill(
                        collar,
                        (cx - w * 2.4, shoulder_top - 0.03, cx + w * 2.4, open_depth),
                        |x, y| convex(x, y, &corners),
                    );
                }
            }
            Neckline::VNeck => {
                let w = rx * 0.5;
                canvas.fill(
                    neck,
                    (cx - w, shoulder_top - 0.03, cx + w, open_depth + 0.02),
                    |x, y| {
                        convex(
                            x,
                            y,
                            &[
                                (cx - w, shoulder_top - 0.03),
                                (cx + w, shoulder_top - 0.03),
                                (cx, open_depth + 0.02),
                            ],
                        )
                    },
                );
            }
            Neckline::Round => {
                canvas.fill(
                    neck,
                    (cx - rx, shoulder_top - 0.05, cx + rx, shoulder_top + 0.06),
                    |x, y| ellipse(x, y, cx, shoulder_top - 0.01, rx * 0.55, 0.05),
                );
            }
        }
    }

    fn draw_head(&self, canvas: &mut Canvas) {
        let (cx, cy, rx, ry) = (self.cx, self.cy, self.rx, self.ry);
        let ear = self.skin.scale(0.93);
        for side in [-1.0f32, 1.0] {
            let ex = cx + side * rx * 0.97;
            canvas.fill(ear, (ex - 0.04, cy - 0.06, ex + 0.04, cy + 0.08), |x, y| {
                ellipse(x, y, ex, cy + ry * 0.05, rx * 0.17, ry * 0.22)
            });
        }
        canvas.fill(self.skin, self.head_box(1.05), |x, y| {
            self.head_distance(x, y)
        });
    }

    fn draw_face(&self, canvas: &mut Canvas) {
        let (cx, cy, rx, ry) = (self.cx, self.cy, self.rx, self.ry);
        let eye_y = cy + ry * 0.02;
        let (erx, ery) = (rx * 0.15 * self.eye_size, ry * 0.07 * self.eye_size);
        let brow = self.hair.mix(EYE, 0.5);
        for side in [-1.0f32, 1.0] {
            let ex = cx + side * self.eye_gap;
            canvas.fill(
                EYE,
                (ex - erx, eye_y - ery, ex + erx, eye_y + ery),
                |x, y| ellipse(x, y, ex, eye_y, erx, ery),
            );
            let by = eye_y - ry * 0.2;
            canvas.fill(
                brow,
                (ex - erx * 1.6, by - 0.02, ex + erx * 1.6, by + 0.02),
                |x, y| rounded_box(x, y, ex, by, erx * 1.4, ry * 0.035, ry * 0.03),
            );
            if self.glasses {
                let frame = Rgb::new(30, 30, 34);
                let (gx, gy) = (erx * 2.2, ery * 3.2);
                canvas.fill(
                    frame,
                    (
                        ex - gx - 0.02,
                        eye_y - gy - 0.02,
                        ex + gx + 0.02,
                        eye_y + gy + 0.02,
                    ),
                    |x, y| ellipse(x, y, ex, eye_y, gx, gy).abs() - 0.006,
                );
            }
        }
        let nose_y = cy + ry * 0.3;
        canvas.fill(
            self.skin.scale(0.86),
            (cx - 0.03, nose_y - 0.03, cx + 0.03, nose_y + 0.03),
            |x, y| ellipse(x, y, cx, nose_y, rx * 0.14, ry * 0.07),
        );
        let mouth_y = cy + ry * 0.58;
        if self.moustache {
            let shade = self.hair.mix(self.skin, 0.25);
            canvas.fill(
                shade,
                (cx - 0.06, mouth_y - 0.05, cx + 0.06, mouth_y),
                |x, y| {
                    rounded_box(
                        x,
                        y,
                        cx,
                        mouth_y - ry * 0.12,
                        self.mouth_width * 1.15,
                        ry * 0.045,
                        ry * 0.04,
                    )
                },
            );
        }
        let lips = self.skin.mix(Rgb::new(150, 50, 60), 0.45).scale(0.85);
        canvas.fill(
            lips,
            (cx - 0.06, mouth_y - 0.03, cx + 0.06, mouth_y + 0.03),
            |x, y| ellipse(x, y, cx, mouth_y, self.mouth_width, ry * 0.05),
        );
    }

    fn draw_front_hair(&self, canvas: &mut Canvas) {
        let (cx, cy, rx, ry) = (self.cx, self.cy, self.rx, self.ry);
        let hair = self.hair;
        // A cap of hair: a slightly larger head shape above a hairline that dips at the temples.
        let cap = |x: f32, y: f32, hairline: f32, tilt: f32, grow: f32| {
            let dx = (x - cx) / rx;
            let line = cy - ry * hairline + dx * dx * ry * 0.3 + dx * tilt * ry;
            ellipse(x, y, cx, cy - ry * 0.08, rx * grow, ry * (grow - 0.02)).max(y - line)
        };
        let area = self.head_box(1.3);
        match self.style {
            HairStyle::Short => canvas.fill(hair, area, |x, y| cap(x, y, 0.48, 0.0, 1.1)),
            HairStyle::SidePart => canvas.fill(hair, area, |x, y| cap(x, y, 0.45, -0.18, 1.12)),
            HairStyle::Buzz => {
                canvas.fill(hair.mix(self.skin, 0.3), area, |x, y| {
                    cap(x, y, 0.55, 0.0, 1.04)
                });
            }
            HairStyle::Curly => {
                // Curls: small circles along the top of the cap, placed with the rational
                // parametrisation of the circle (no trigonometry, see `canvas`).
                let curls: Vec<(f32, f32)> = (0..=10)
                    .map(|i| {
                        let t = i as f32 / 5.0 - 1.0;
                        let (u, v) = (2.0 * t / (1.0 + t * t), (1.0 - t * t) / (1.0 + t * t));
                        (cx + rx * 1.02 * u, cy - ry * 0.1 - ry * 0.98 * v)
                    })
                    .collect();
                let curl = rx * 0.2;
                canvas.fill(hair, area, |x, y| {
                    curls
                        .iter()
                        .filter(|&&(_, py)| py < cy - ry * 0.2)
                        .map(|&(px, py)| ellipse(x, y, px, py, curl, curl))
                        .fold(cap(x, y, 0.42, 0.0, 1.08), f32::min)
                });
            }
            HairStyle::Receding => {
                for side in [-1.0f32, 1.0] {
                    let sx = cx + side * rx * 0.92;
                    canvas.fill(hair, area, |x, y| {
                        ellipse(x, y, sx, cy - ry * 0.22, rx * 0.16, ry * 0.32)
                    });
                }
            }
            HairStyle::Peci => {
                canvas.fill(hair, area, |x, y| cap(x, y, 0.5, 0.0, 1.06));
                canvas.fill(PECI, area, |x, y| {
                    rounded_box(x, y, cx, cy - ry * 0.8, rx * 1.02, ry * 0.3, rx * 0.12)
                });
            }
            HairStyle::Long | HairStyle::Bob => {
                canvas.fill(hair, area, |x, y| {
                    let dx = (x - cx).abs() / rx;
                    // A centre parting: the hairline rises towards the middle.
                    let line = cy - ry * 0.5 + dx * ry * 0.45;
                    ellipse(x, y, cx, cy - ry * 0.08, rx * 1.14, ry * 1.1).max(y - line)
                });
            }
            HairStyle::Bun => canvas.fill(hair, area, |x, y| cap(x, y, 0.52, 0.0, 1.06)),
            HairStyle::Hijab(colour) => self.draw_hijab(canvas, colour),
        }
    }

    /// The hijab covers hair, ears, neck and shoulders, leaving the face open.
    fn draw_hijab(&self, canvas: &mut Canvas, colour: Rgb) {
        let (cx, cy, rx, ry) = (self.cx, self.cy, self.rx, self.ry);
        let drape_top = cy + ry * 0.3;
        let spread = self.shoulders * 0.8;
        canvas.fill(
            colour,
            (cx - spread - 0.05, cy - ry * 1.4, cx + spread + 0.05, 1.0),
            |x, y| {
                let hood = ellipse(x, y, cx, cy - ry * 0.02, rx * 1.28, ry * 1.22);
                let drape = convex(
                    x,
                    y,
                    &[
                        (cx - rx * 1.15, drape_top),
                        (cx + rx * 1.15, drape_top),
                        (cx + spread, 1.02),
                        (cx - spread, 1.02),
                    ],
                ) - 0.03;
                let opening = self.head_distance(x, y).max(cy - ry * 0.52 - y) + rx * 0.06;
                hood.min(drape).max(-opening)
            },
        );
    }
}

/// Uniform in `low..high`.
fn uniform(rng: &mut Rng, low: f32, high: f32) -> f32 {
    let unit = (rng.next_u64() >> 40) as f32 / (1u64 << 24) as f32;
    low + (high - low) * unit
}
