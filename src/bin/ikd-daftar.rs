//! The registration bundle (`daftar.html`), and its split point (`ikd_web::split_point`): the
//! QR reader in wasm loads when the camera finds no detector of the browser's own.

use ikd_web::camera::QR_DECODER;
use send_wrapper::SendWrapper;

#[leptos::lazy]
fn decode_qr(rgba: Vec<u8>, width: usize, height: usize) -> Option<String> {
    ikd_web::qr_frame::decode_rgba(&rgba, width, height)
}

fn main() {
    QR_DECODER
        .install(|rgba, width, height| Box::pin(SendWrapper::new(decode_qr(rgba, width, height))));
    ikd_web::start(ikd_web::apps::register::RegisterApp);
}
