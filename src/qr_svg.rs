//! Draws a QR code as SVG (dark modules on white, with the quiet zone), for the citizen's
//! credential and nothing else: the service never renders QRs for the phone.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// ECC level M, as the Claim 169 benchmarks measured (versions 25–30 for the full profile).
pub fn svg(text: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .min_dimensions(300, 300)
            .quiet_zone(true)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build(),
    )
}
