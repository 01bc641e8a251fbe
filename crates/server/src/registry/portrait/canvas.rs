//! A tiny rasteriser for flat shapes given as signed distance functions. One sample per pixel
//! with a one-pixel soft edge: smooth edges look better at 48×64 than hard ones and cost the
//! JPEG fewer bytes (no ringing around stair steps).
//!
//! Only +, −, ×, ÷ and square roots are used (all exactly rounded in IEEE 754), never `sin`
//! or `atan2` from the platform's maths library, so a seed gives the same bytes on every
//! machine.
//!
//! Shapes are placed in portrait units: the picture is 0.75 wide and 1.0 tall (3:4), so a
//! scene looks the same at every size. Another aspect ratio centres the 3:4 frame and extends
//! the background.

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

impl Rgb {
    pub const fn new(r: u8, g: u8, b: u8) -> Rgb {
        Rgb(r as f32, g as f32, b as f32)
    }

    /// This colour moved towards `other` by `t` (0 = unchanged, 1 = `other`).
    pub fn mix(self, other: Rgb, t: f32) -> Rgb {
        Rgb(
            self.0 + (other.0 - self.0) * t,
            self.1 + (other.1 - self.1) * t,
            self.2 + (other.2 - self.2) * t,
        )
    }

    /// Darker (factor < 1) or lighter (factor > 1), clamped later when the pixels are written.
    pub fn scale(self, factor: f32) -> Rgb {
        Rgb(self.0 * factor, self.1 * factor, self.2 * factor)
    }
}

/// Width of the 3:4 frame in portrait units (its height is 1.0).
pub const FRAME_WIDTH: f32 = 0.75;

#[derive(Debug)]
pub struct Canvas {
    width: usize,
    height: usize,
    /// Pixels per portrait unit.
    scale: f32,
    /// Where the frame's origin lies, in pixels.
    origin_x: f32,
    origin_y: f32,
    pixels: Vec<Rgb>,
}

impl Canvas {
    pub fn new(width: usize, height: usize, background: Rgb) -> Canvas {
        let scale = (width as f32 / FRAME_WIDTH).min(height as f32);
        Canvas {
            width,
            height,
            scale,
            origin_x: (width as f32 - FRAME_WIDTH * scale) / 2.0,
            origin_y: (height as f32 - scale) / 2.0,
            pixels: vec![background; width * height],
        }
    }

    /// Paints `colour` where `distance` (in units, negative inside) says the shape is, within
    /// the box `[x0, x1] × [y0, y1]` (units) that must contain the shape.
    pub fn fill(
        &mut self,
        colour: Rgb,
        (x0, y0, x1, y1): (f32, f32, f32, f32),
        distance: impl Fn(f32, f32) -> f32,
    ) {
        let column = |x: f32| (self.origin_x + x * self.scale).floor();
        let row = |y: f32| (self.origin_y + y * self.scale).floor();
        let clamp = |v: f32, len: usize| (v.max(0.0) as usize).min(len);
        let (c0, c1) = (
            clamp(column(x0) - 1.0, self.width),
            clamp(column(x1) + 2.0, self.width),
        );
        let (r0, r1) = (
            clamp(row(y0) - 1.0, self.height),
            clamp(row(y1) + 2.0, self.height),
        );
        for r in r0..r1 {
            let y = (r as f32 + 0.5 - self.origin_y) / self.scale;
            for c in c0..c1 {
                let x = (c as f32 + 0.5 - self.origin_x) / self.scale;
                let coverage = (0.5 - distance(x, y) * self.scale).clamp(0.0, 1.0);
                if coverage > 0.0 {
                    let pixel = &mut self.pixels[r * self.width + c];
                    *pixel = pixel.mix(colour, coverage);
                }
            }
        }
    }

    /// Row-major RGB bytes.
    pub fn into_rgb_bytes(self) -> Vec<u8> {
        // Adding 0.5 and truncating rounds these non-negative values; `round` is a libm call.
        let byte = |v: f32| (v.clamp(0.0, 255.0) + 0.5) as u8;
        let mut bytes = Vec::with_capacity(self.pixels.len() * 3);
        for p in &self.pixels {
            bytes.extend_from_slice(&[byte(p.0), byte(p.1), byte(p.2)]);
        }
        bytes
    }
}

/// Signed distance to an axis-aligned ellipse (Quílez's approximation: exact on the axes and
/// close enough elsewhere for a one-pixel soft edge).
pub fn ellipse(x: f32, y: f32, cx: f32, cy: f32, rx: f32, ry: f32) -> f32 {
    let (dx, dy) = (x - cx, y - cy);
    let (ux, uy) = (dx / rx, dy / ry);
    let (vx, vy) = (ux / rx, uy / ry);
    let k0 = (ux * ux + uy * uy).sqrt();
    let k1 = (vx * vx + vy * vy).sqrt();
    if k1 == 0.0 {
        -rx.min(ry)
    } else {
        k0 * (k0 - 1.0) / k1
    }
}

/// Signed distance to a box centred on (cx, cy) with half sizes (hx, hy) and corner radius r.
pub fn rounded_box(x: f32, y: f32, cx: f32, cy: f32, hx: f32, hy: f32, r: f32) -> f32 {
    let qx = (x - cx).abs() - hx + r;
    let qy = (y - cy).abs() - hy + r;
    let (ox, oy) = (qx.max(0.0), qy.max(0.0));
    let outside = (ox * ox + oy * oy).sqrt();
    outside + qx.max(qy).min(0.0) - r
}

/// Signed distance to the convex polygon with corners in clockwise order on screen (y down).
/// Taking the largest edge distance is exact inside and along the edges, which is all a soft
/// edge needs.
pub fn convex(x: f32, y: f32, corners: &[(f32, f32)]) -> f32 {
    let mut distance = f32::NEG_INFINITY;
    for (i, &(ax, ay)) in corners.iter().enumerate() {
        let (bx, by) = corners[(i + 1) % corners.len()];
        let (ex, ey) = (bx - ax, by - ay);
        let length = (ex * ex + ey * ey).sqrt();
        // (-ey, ex) points into a clockwise (y down) polygon, so `inside` is positive there.
        let inside = ((x - ax) * -ey + (y - ay) * ex) / length;
        distance = distance.max(-inside);
    }
    distance
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ellipse_distance_is_negative_inside_and_zero_on_the_axes_edge() {
        assert!(ellipse(0.5, 0.5, 0.5, 0.5, 0.2, 0.1) < 0.0);
        assert!(ellipse(0.5, 0.7, 0.5, 0.5, 0.2, 0.1) > 0.0);
        assert!(ellipse(0.7, 0.5, 0.5, 0.5, 0.2, 0.1).abs() < 1e-6);
        assert!(ellipse(0.5, 0.6, 0.5, 0.5, 0.2, 0.1).abs() < 1e-6);
    }

    #[test]
    fn convex_polygon_contains_its_centre_only() {
        let square = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)];
        assert!(convex(0.5, 0.5, &square) < 0.0);
        assert!((convex(0.5, 0.5, &square) + 0.5).abs() < 1e-6);
        assert!(convex(1.5, 0.5, &square) > 0.0);
        assert!(convex(0.5, -0.2, &square) > 0.0);
    }

    #[test]
    fn a_filled_shape_colours_the_pixels_it_covers() {
        let mut canvas = Canvas::new(30, 40, Rgb::new(0, 0, 0));
        canvas.fill(Rgb::new(255, 255, 255), (0.0, 0.0, 0.75, 0.5), |x, y| {
            rounded_box(x, y, 0.375, 0.25, 0.375, 0.25, 0.0)
        });
        let bytes = canvas.into_rgb_bytes();
        assert_eq!(bytes.len(), 30 * 40 * 3);
        assert_eq!(&bytes[..3], &[255, 255, 255]);
        assert_eq!(&bytes[bytes.len() - 3..], &[0, 0, 0]);
    }
}
