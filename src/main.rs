//! The main bundle (`index.html`), and its split points: each function below is where
//! `cargo xtask` cuts the wasm into a chunk that loads when the function is first called
//! (`ikd_web::apps::lazy_pages`). They live in this binary, not the library, so that the other
//! bundles, which link the same library, carry none of these pages (`ikd_web::split_point`).
//! `fallible`: a chunk that cannot be fetched is an answer, never a panic.

use ikd_web::apps::lazy_pages::{
    CHUNKS, CardPage, CarePage, Chunks, EntryPage, card_view, care_view, entry_view,
};
use ikd_web::pages::home::{Resumed, resume_fetch};
use ikd_web::split_point::{ChunkUnavailable, Loading};
use ikd_web::state::AppState;
use leptos::prelude::AnyView;
use leptos::wasm_split::wasm_split;
use send_wrapper::SendWrapper;

#[wasm_split(entry_pages, wasm_split_path = ::leptos::wasm_split, fallible)]
fn entry_page(page: EntryPage) -> Result<AnyView, ChunkUnavailable> {
    Ok(entry_view(page))
}

#[wasm_split(card_pages, wasm_split_path = ::leptos::wasm_split, fallible)]
fn card_page(page: CardPage) -> Result<AnyView, ChunkUnavailable> {
    Ok(card_view(page))
}

#[wasm_split(care_pages, wasm_split_path = ::leptos::wasm_split, fallible)]
fn care_page(page: CarePage) -> Result<AnyView, ChunkUnavailable> {
    Ok(care_view(page))
}

/// The fetch itself runs after the chunk has loaded, as the future this returns.
#[wasm_split(resume_activation, wasm_split_path = ::leptos::wasm_split, fallible)]
fn resume(app: AppState) -> Result<Loading<Resumed>, ChunkUnavailable> {
    Ok(Box::pin(SendWrapper::new(resume_fetch(app))))
}

fn main() {
    CHUNKS.install(Chunks {
        entry: |page| Box::pin(SendWrapper::new(entry_page(page))),
        card: |page| Box::pin(SendWrapper::new(card_page(page))),
        care: |page| Box::pin(SendWrapper::new(care_page(page))),
        resume: |app| {
            Box::pin(SendWrapper::new(async move {
                match resume(app).await {
                    Ok(fetching) => Ok(fetching.await),
                    Err(unavailable) => Err(unavailable),
                }
            }))
        },
    });
    ikd_web::start(ikd_web::apps::citizen::CitizenApp);
}
