//! The split point of the QR reader in wasm (`rqrr`), shared by the registration and verifier
//! binaries (each includes this file: a split point must be defined in the binary, see
//! `ikd_web::split_point`). It loads when the camera finds no QR detector of the browser's
//! own; `fallible`: a decoder that cannot be fetched reads no QR in that frame.

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

pub fn install() {
    QR_DECODER
        .install(|rgba, width, height| Box::pin(SendWrapper::new(decode_qr(rgba, width, height))));
}
