//! The main bundle's pages that come in wasm chunks of their own, fetched the first time one
//! of them opens, so the first load of `/` carries only the welcome (issue 20: ≤ 200 KB
//! brotli). The service worker keeps every chunk for offline use like any file of the build.
//!
//! The split points live in the `ikd-web` binary (`src/main.rs`), which installs them in
//! [`CHUNKS`] (`crate::split_point` says why); a chunk that cannot be fetched shows
//! [`page_or_unavailable`]'s page instead. The
//! browser tests install [`Chunks::DIRECT`]: every page directly, in one piece.
//!
//! The pages come in three groups, by when a person needs them, so each group is one download
//! and the chunks its pages share with the others stay few: getting in, the card (the unlocked
//! menu and what it opens), and account care.

use leptos::prelude::*;
use send_wrapper::SendWrapper;

use crate::pages;
use crate::split_point::{ChunkUnavailable, Loading, SplitPoint};
use crate::state::AppState;

/// Getting in: activation, login, the PIN, and who is using a shared phone.
#[derive(Debug, Clone, Copy)]
pub enum EntryPage {
    Activate,
    Login,
    SetPin,
    Unlock,
    Who,
}

/// The card: the unlocked menu and everything it opens.
#[derive(Debug, Clone, Copy)]
pub enum CardPage {
    Menu,
    Ktp,
    Kk,
    Documents,
    Qr,
    Biodata,
    History,
    Consent,
}

/// Account care: settings, the account, its export and closing, a lost or a new phone.
#[derive(Debug, Clone, Copy)]
pub enum CarePage {
    Settings,
    Account,
    AccountExport,
    AccountClose,
    LostPhone,
    MovePhone,
}

/// How each group is loaded: the binary's split points, or [`Chunks::DIRECT`].
#[derive(Debug, Clone, Copy)]
pub struct Chunks {
    pub entry: fn(EntryPage) -> Loading<Result<AnyView, ChunkUnavailable>>,
    pub card: fn(CardPage) -> Loading<Result<AnyView, ChunkUnavailable>>,
    pub care: fn(CarePage) -> Loading<Result<AnyView, ChunkUnavailable>>,
    /// The resumed activation of the welcome (`pages::home::resume_fetch`).
    pub resume: fn(AppState) -> Loading<Result<pages::home::Resumed, ChunkUnavailable>>,
}

impl Chunks {
    /// Every page at once, from this library: for a build that is not split.
    pub const DIRECT: Chunks = Chunks {
        entry: |page| Box::pin(async move { Ok(entry_view(page)) }),
        card: |page| Box::pin(async move { Ok(card_view(page)) }),
        care: |page| Box::pin(async move { Ok(care_view(page)) }),
        resume: |app| {
            Box::pin(SendWrapper::new(async move {
                Ok(pages::home::resume_fetch(app).await)
            }))
        },
    };
}

/// The `ikd-web` binary's split points.
pub static CHUNKS: SplitPoint<Chunks> = SplitPoint::new("lazy_pages::CHUNKS");

/// A page from its group's chunk, or what to do when the chunk cannot be fetched.
pub async fn page_or_unavailable(loading: Loading<Result<AnyView, ChunkUnavailable>>) -> AnyView {
    match loading.await {
        Ok(page) => page,
        Err(ChunkUnavailable) => {
            view! { <crate::components::chunk_unavailable::ChunkUnavailablePage /> }.into_any()
        }
    }
}

pub fn entry_view(page: EntryPage) -> AnyView {
    match page {
        EntryPage::Activate => view! { <pages::activate::ActivatePage /> }.into_any(),
        EntryPage::Login => view! { <pages::login::LoginPage /> }.into_any(),
        EntryPage::SetPin => view! { <pages::pin::SetPinPage /> }.into_any(),
        EntryPage::Unlock => view! { <pages::pin::UnlockPage /> }.into_any(),
        EntryPage::Who => view! { <pages::who::WhoPage /> }.into_any(),
    }
}

pub fn card_view(page: CardPage) -> AnyView {
    match page {
        CardPage::Menu => view! { <pages::home::Menu /> }.into_any(),
        CardPage::Ktp => view! { <pages::ktp::KtpPage /> }.into_any(),
        CardPage::Kk => view! { <pages::kk::KkPage /> }.into_any(),
        CardPage::Documents => view! { <pages::documents::DocumentsPage /> }.into_any(),
        CardPage::Qr => view! { <pages::qr::QrPage /> }.into_any(),
        CardPage::Biodata => view! { <pages::biodata::BiodataPage /> }.into_any(),
        CardPage::History => view! { <pages::history::HistoryPage /> }.into_any(),
        CardPage::Consent => view! { <pages::consent::ConsentPage /> }.into_any(),
    }
}

pub fn care_view(page: CarePage) -> AnyView {
    match page {
        CarePage::Settings => view! { <pages::settings::SettingsPage /> }.into_any(),
        CarePage::Account => view! { <pages::account::AccountPage /> }.into_any(),
        CarePage::AccountExport => {
            view! { <pages::account_export::AccountExportPage /> }.into_any()
        }
        CarePage::AccountClose => view! { <pages::account_close::AccountClosePage /> }.into_any(),
        CarePage::LostPhone => view! { <pages::lost_phone::LostPhonePage /> }.into_any(),
        CarePage::MovePhone => view! { <pages::move_phone::MovePhonePage /> }.into_any(),
    }
}
