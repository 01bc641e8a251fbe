//! The registration bundle (`daftar.html`), and its split point (`ikd_web::split_point`): the
//! QR reader in wasm loads when the camera finds no detector of the browser's own. `fallible`:
//! a chunk that cannot be fetched is an answer, never a panic.

use ikd_web::camera::QR_DECODER;
use ikd_web::split_point::ChunkUnavailable;
use leptos::wasm_split::wasm_split;
use send_wrapper::SendWrapper;

#[wasm_split(qr_decoder, wasm_split_path = ::leptos::wasm_split, fallible)]
fn decode_qr(
    rgba: Vec<u8>,
    width: usize,
    height: usize,
) -> Result<Option<String>, ChunkUnavailable> {
    Ok(ikd_web::qr_frame::decode_rgba(&rgba, width, height))
}

fn main() {
    QR_DECODER
        .install(|rgba, width, height| Box::pin(SendWrapper::new(decode_qr(rgba, width, height))));
    ikd_web::start(ikd_web::apps::register::RegisterApp);
}
