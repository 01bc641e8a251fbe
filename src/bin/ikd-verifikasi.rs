//! The verifier bundle (`verifikasi.html`), and its split points (`ikd_web::split_point`): the
//! Claim 169 decoder loads when a QR is first checked, the QR reader in wasm when the camera
//! finds no detector of the browser's own. `fallible`: a chunk that cannot be fetched is an
//! answer, never a panic.

#[path = "split_points/qr_decoder.rs"]
mod qr_decoder;

use ikd_web::split_point::ChunkUnavailable;
use ikd_web::verifier::{VERIFY, Verdict, VerifyRequest, verify_request};
use leptos::wasm_split::wasm_split;
use send_wrapper::SendWrapper;

#[wasm_split(qr_verifier, wasm_split_path = ::leptos::wasm_split, fallible)]
fn verify_qr(request: VerifyRequest) -> Result<Verdict, ChunkUnavailable> {
    Ok(verify_request(request))
}

fn main() {
    VERIFY.install(|request| Box::pin(SendWrapper::new(verify_qr(request))));
    qr_decoder::install();
    ikd_web::start(ikd_web::apps::verifier::VerifierApp);
}
