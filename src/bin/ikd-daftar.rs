//! The registration bundle (`daftar.html`).
fn main() {
    ikd_web::start(ikd_web::apps::register::RegisterApp);
}
