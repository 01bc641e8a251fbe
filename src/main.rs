//! The main bundle (`index.html`), and its split points: each `#[lazy]` function below is where
//! `cargo xtask` cuts the wasm into a chunk that loads when first called
//! (`ikd_web::apps::lazy_pages`). They live in this binary, not the library, so that the other
//! bundles, which link the same library, carry none of these pages.

use ikd_web::apps::lazy_pages::{
    CHUNKS, CardPage, CarePage, Chunks, EntryPage, card_view, care_view, entry_view,
};
use ikd_web::pages::home::{Resumed, resume_fetch};
use ikd_web::state::AppState;
use leptos::prelude::AnyView;
use send_wrapper::SendWrapper;

#[leptos::lazy]
fn entry_page(page: EntryPage) -> AnyView {
    entry_view(page)
}

#[leptos::lazy]
fn card_page(page: CardPage) -> AnyView {
    card_view(page)
}

#[leptos::lazy]
fn care_page(page: CarePage) -> AnyView {
    care_view(page)
}

#[leptos::lazy]
async fn resume(app: AppState) -> Resumed {
    resume_fetch(app).await
}

fn main() {
    CHUNKS.install(Chunks {
        entry: |page| Box::pin(SendWrapper::new(entry_page(page))),
        card: |page| Box::pin(SendWrapper::new(card_page(page))),
        care: |page| Box::pin(SendWrapper::new(care_page(page))),
        resume: |app| Box::pin(SendWrapper::new(resume(app))),
    });
    ikd_web::start(ikd_web::apps::citizen::CitizenApp);
}
