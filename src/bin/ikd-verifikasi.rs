//! The verifier bundle (`verifikasi.html`), and its split points (`ikd_web::split_point`): the
//! Claim 169 decoder loads when a QR is first checked, the QR reader in wasm when the camera
//! finds no detector of the browser's own. `fallible`: a chunk that cannot be fetched is an
//! answer, never a panic.

use ikd_web::camera::QR_DECODER;
use ikd_web::split_point::ChunkUnavailable;
use ikd_web::verifier::{VERIFY, Verdict, VerifyRequest, verify_request};
use leptos::wasm_split::wasm_split;
use send_wrapper::SendWrapper;

#[wasm_split(qr_verifier, wasm_split_path = ::leptos::wasm_split, fallible)]
fn verify_qr(request: VerifyRequest) -> Result<Verdict, ChunkUnavailable> {
    Ok(verify_request(request))
}

#[wasm_split(qr_decoder, wasm_split_path = ::leptos::wasm_split, fallible)]
fn decode_qr(
    rgba: Vec<u8>,
    width: usize,
    height: usize,
) -> Result<Option<String>, ChunkUnavailable> {
    Ok(ikd_web::qr_frame::decode_rgba(&rgba, width, height))
}

fn main() {
    VERIFY.install(|request| Box::pin(SendWrapper::new(verify_qr(request))));
    QR_DECODER
        .install(|rgba, width, height| Box::pin(SendWrapper::new(decode_qr(rgba, width, height))));
    ikd_web::start(ikd_web::apps::verifier::VerifierApp);
}
