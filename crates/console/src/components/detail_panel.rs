//! The face check: the selfie beside the photo taken at e-KTP recording, both large, with the
//! person's biodata as the KTP prints it. The photos report when they have loaded, so a face
//! can only be approved or marked as matching after it was actually on screen.

use ikd_core::console_api::{QueueItem, RegistrationDetail};
use leptos::prelude::*;

use crate::api::ApiProblem;
use crate::format::ktp_date;

/// What the detail panel shows.
#[derive(Debug, Clone, PartialEq)]
pub enum DetailState {
    /// Nobody selected (the queue is empty).
    Empty,
    Loading(String),
    Ready(Box<RegistrationDetail>),
    Failed(String, ApiProblem),
}

impl DetailState {
    /// The registration this state is about.
    pub fn registration_id(&self) -> Option<&str> {
        match self {
            DetailState::Empty => None,
            DetailState::Loading(id) | DetailState::Failed(id, _) => Some(id),
            DetailState::Ready(detail) => Some(&detail.registration_id),
        }
    }

    /// The registration whose detail is on screen.
    pub fn shown(&self) -> Option<&str> {
        match self {
            DetailState::Ready(detail) => Some(&detail.registration_id),
            _ => None,
        }
    }
}

/// Which photos of which registration have loaded (or failed to): bits below.
pub type PhotosSeen = RwSignal<(String, u8)>;

pub const SELFIE: u8 = 1;
pub const REGISTRY_PHOTO: u8 = 2;
/// Both photos on screen.
pub const BOTH_LOADED: u8 = SELFIE | REGISTRY_PHOTO;
/// A photo's failure bit: its loaded bit shifted by two.
pub const fn failed(photo: u8) -> u8 {
    photo << 2
}

fn mark(photos: PhotosSeen, id: &str, bit: u8) {
    photos.update(|(seen_id, bits)| {
        if seen_id != id {
            *seen_id = id.to_owned();
            *bits = 0;
        }
        *bits |= bit;
    });
}

#[component]
pub fn DetailPanel(
    #[prop(into)] state: Signal<DetailState>,
    /// The queue row of the selected person (NIP and unit on drives).
    #[prop(into)]
    item: Signal<Option<QueueItem>>,
    photos: PhotosSeen,
    /// The action buttons and the reject chooser.
    children: Children,
) -> impl IntoView {
    let shown_id = move || state.with(|s| s.shown().map(str::to_owned));
    view! {
        <section
            id="detail"
            class="detail"
            data-testid="detail"
            data-registration-id=shown_id
            aria-labelledby="detail-title"
            tabindex="-1"
        >
            {move || match state.get() {
                DetailState::Empty => view! {
                    <h2 id="detail-title">"Pemeriksaan wajah"</h2>
                    <p class="muted">"Tidak ada pendaftar yang dipilih."</p>
                }.into_any(),
                DetailState::Loading(_) => view! {
                    <h2 id="detail-title">"Pemeriksaan wajah"</h2>
                    <p class="muted" role="status">"Memuat data pendaftar…"</p>
                }.into_any(),
                DetailState::Failed(_, problem) => view! {
                    <h2 id="detail-title">"Pemeriksaan wajah"</h2>
                    <p class="error" role="alert">{problem.to_string()}</p>
                }.into_any(),
                DetailState::Ready(detail) => view! {
                    <Detail detail=*detail item=item.get_untracked() photos />
                }.into_any(),
            }}
            {children()}
        </section>
    }
}

#[component]
fn Detail(
    detail: RegistrationDetail,
    item: Option<QueueItem>,
    photos: PhotosSeen,
) -> impl IntoView {
    let person = detail.person;
    let id = detail.registration_id;
    let on_load = |bit: u8| {
        let id = id.clone();
        move |_| mark(photos, &id, bit)
    };
    let on_error = |photo: u8| {
        let id = id.clone();
        move |_| mark(photos, &id, failed(photo))
    };
    let has_failed = {
        let id = id.clone();
        move |photo: u8| photos.with(|(seen, bits)| seen == &id && bits & failed(photo) != 0)
    };
    let selfie_failed = has_failed.clone();
    // No registry photo to load (an extract person imported without one): nothing to wait for,
    // the officer checks the face against the person and their documents instead.
    if detail.registry_photo_url.is_none() {
        mark(photos, &id, REGISTRY_PHOTO);
    }
    let findings = detail.selfie_findings.clone();
    let rows: Vec<(&'static str, String)> = [
        ("NIK", person.nik.clone()),
        ("Nama", person.full_name.clone()),
        (
            "Tempat/Tgl lahir",
            format!(
                "{}, {}",
                person.place_of_birth,
                ktp_date(&person.birth_date)
            ),
        ),
        ("Jenis kelamin", person.sex.clone()),
        ("Gol. darah", person.blood_type.clone()),
        ("Alamat", person.street.clone()),
        ("RT/RW", format!("{}/{}", person.rt, person.rw)),
        ("Kel/Desa", person.village.clone()),
        ("Kecamatan", person.district.clone()),
        ("Kab/Kota", person.regency.clone()),
        ("Provinsi", person.province.clone()),
        ("Agama", person.religion.clone()),
        ("Status perkawinan", person.marital_status.clone()),
        ("Pekerjaan", person.occupation.clone()),
        ("Kewarganegaraan", person.citizenship.clone()),
        ("Email", detail.email.clone()),
        ("Nomor HP", detail.phone.clone()),
    ]
    .into_iter()
    .chain(item.iter().flat_map(|item| {
        item.nip
            .clone()
            .map(|nip| ("NIP", nip))
            .into_iter()
            .chain(item.unit.clone().map(|unit| ("Unit kerja", unit)))
    }))
    .collect();
    let not_pending = (!detail.status.is_pending()).then(|| {
        let reason = detail
            .reason
            .clone()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        format!("Status: {}{reason}", detail.status)
    });
    let name = person.full_name.clone();
    view! {
        <h2 id="detail-title">{person.full_name.clone()}</h2>
        {not_pending.map(|text| view! { <p class="notice">{text}</p> })}
        <div class="photos">
            <figure>
                <img
                    src=detail.selfie_url
                    alt=format!("Swafoto {name}")
                    width="240"
                    height="320"
                    on:load=on_load(SELFIE)
                    on:error=on_error(SELFIE)
                />
                <figcaption>"Swafoto"</figcaption>
                <Show when=move || selfie_failed(SELFIE)>
                    <p class="error">"Swafoto tidak dapat dimuat"</p>
                </Show>
                // The citizen's phone checked the selfie: a hint only, the officer decides.
                {(!findings.is_empty()).then(|| view! {
                    <div class="selfie-findings" role="note" data-testid="selfie-findings">
                        <p class="warning">"⚠ Pemeriksaan ponsel (phone check):"</p>
                        <ul>
                            {findings.iter().map(|f| view! {
                                <li>{f.message_id()}<span lang="en">{format!(" ({})", f.message_en())}</span></li>
                            }).collect_view()}
                        </ul>
                    </div>
                })}
            </figure>
            {match detail.registry_photo_url {
                Some(url) => view! {
                    <figure>
                        <img
                            src=url
                            alt=format!("Foto perekaman e-KTP {name}")
                            width="240"
                            height="320"
                            on:load=on_load(REGISTRY_PHOTO)
                            on:error=on_error(REGISTRY_PHOTO)
                        />
                        <figcaption>"Foto perekaman e-KTP"</figcaption>
                        <Show when=move || has_failed(REGISTRY_PHOTO)>
                            <p class="error">"Foto perekaman tidak dapat dimuat"</p>
                        </Show>
                    </figure>
                }.into_any(),
                None => view! {
                    <figure class="no-registry-photo" data-testid="no-registry-photo">
                        <div class="photo-placeholder" role="img"
                            aria-label="Tidak ada foto registri / No registry photo">
                            <p class="warning">"Tidak ada foto registri"</p>
                            <p lang="en">"No registry photo"</p>
                        </div>
                        <figcaption>"Foto perekaman e-KTP"</figcaption>
                        <p class="muted">"Cocokkan wajah dengan orangnya dan dokumen lain (Check the face against the person and another document)"</p>
                    </figure>
                }.into_any(),
            }}
            <dl class="biodata">
                {rows
                    .into_iter()
                    .map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> })
                    .collect_view()}
            </dl>
        </div>
    }
}
