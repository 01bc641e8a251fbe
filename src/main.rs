//! The main bundle (`index.html`).
fn main() {
    ikd_web::start(ikd_web::apps::citizen::CitizenApp);
}
