//! The registration bundle (`daftar.html`), and its split point (`ikd_web::split_point`): the
//! QR reader in wasm.

#[path = "split_points/qr_decoder.rs"]
mod qr_decoder;

fn main() {
    qr_decoder::install();
    ikd_web::start(ikd_web::apps::register::RegisterApp);
}
