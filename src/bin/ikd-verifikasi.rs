//! The verifier bundle (`verifikasi.html`), and its split points (`ikd_web::split_point`): the
//! Claim 169 decoder loads when a QR is first checked, the QR reader in wasm when the camera
//! finds no detector of the browser's own.

use ikd_web::camera::QR_DECODER;
use ikd_web::verifier::{VERIFY, Verdict, VerifyRequest, verify_request};
use send_wrapper::SendWrapper;

#[leptos::lazy]
fn verify_qr(request: VerifyRequest) -> Verdict {
    verify_request(request)
}

#[leptos::lazy]
fn decode_qr(rgba: Vec<u8>, width: usize, height: usize) -> Option<String> {
    ikd_web::qr_frame::decode_rgba(&rgba, width, height)
}

fn main() {
    VERIFY.install(|request| Box::pin(SendWrapper::new(verify_qr(request))));
    QR_DECODER
        .install(|rgba, width, height| Box::pin(SendWrapper::new(decode_qr(rgba, width, height))));
    ikd_web::start(ikd_web::apps::verifier::VerifierApp);
}
