//! The verifier bundle (`verifikasi.html`).
fn main() {
    ikd_web::start(ikd_web::apps::verifier::VerifierApp);
}
