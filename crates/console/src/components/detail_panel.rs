//! The face check: the selfie beside the photo taken at e-KTP recording, both large, with the
//! person's biodata as the KTP prints it. The photos report when they have loaded, so a face
//! can only be approved or marked as matching after it was actually on screen.

use ikd_core::console_api::{QueueItem, RegistrationDetail, rejection_reason_en};
use ikd_core::registration_status::RegistrationStatus;
use leptos::prelude::*;

use crate::api::ApiProblem;
use crate::components::problem::ProblemText;
use crate::format::ktp_date;
use crate::i18n::use_i18n;

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
    let i18n = use_i18n();
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
                    <h2 id="detail-title">{move || i18n.t("Pemeriksaan wajah", "Face check")}</h2>
                    <p class="muted">{move || i18n.t("Tidak ada pendaftar yang dipilih.", "No applicant is selected.")}</p>
                }.into_any(),
                DetailState::Loading(_) => view! {
                    <h2 id="detail-title">{move || i18n.t("Pemeriksaan wajah", "Face check")}</h2>
                    <p class="muted" role="status">{move || i18n.t("Memuat data pendaftar…", "Loading the applicant's data…")}</p>
                }.into_any(),
                DetailState::Failed(_, problem) => view! {
                    <h2 id="detail-title">{move || i18n.t("Pemeriksaan wajah", "Face check")}</h2>
                    <ProblemText problem />
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
    let i18n = use_i18n();
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
    let rows: Vec<((&'static str, &'static str), String)> = [
        (("NIK", "NIK"), person.nik.clone()),
        (("Nama", "Name"), person.full_name.clone()),
        (
            ("Tempat/Tgl lahir", "Place/date of birth"),
            format!(
                "{}, {}",
                person.place_of_birth,
                ktp_date(&person.birth_date)
            ),
        ),
        (("Jenis kelamin", "Sex"), person.sex.clone()),
        (("Gol. darah", "Blood type"), person.blood_type.clone()),
        (("Alamat", "Address"), person.street.clone()),
        (("RT/RW", "RT/RW"), format!("{}/{}", person.rt, person.rw)),
        (("Kel/Desa", "Village"), person.village.clone()),
        (("Kecamatan", "District"), person.district.clone()),
        (("Kab/Kota", "Regency/city"), person.regency.clone()),
        (("Provinsi", "Province"), person.province.clone()),
        (("Agama", "Religion"), person.religion.clone()),
        (
            ("Status perkawinan", "Marital status"),
            person.marital_status.clone(),
        ),
        (("Pekerjaan", "Occupation"), person.occupation.clone()),
        (
            ("Kewarganegaraan", "Citizenship"),
            person.citizenship.clone(),
        ),
        (("Email", "Email"), detail.email.clone()),
        (("Nomor HP", "Mobile number"), detail.phone.clone()),
    ]
    .into_iter()
    .chain(item.iter().flat_map(|item| {
        item.nip
            .clone()
            .map(|nip| (("NIP", "NIP"), nip))
            .into_iter()
            .chain(
                item.unit
                    .clone()
                    .map(|unit| (("Unit kerja", "Work unit"), unit)),
            )
    }))
    .collect();
    let not_pending = (!detail.status.is_pending()).then(|| {
        let (status_id, status_en) = status_words(detail.status);
        let reason = detail.reason.clone();
        move || {
            let status = i18n.t(status_id, status_en);
            match reason.as_deref() {
                Some(r) => {
                    let (id, en) = reason_words(r);
                    format!("Status: {status} ({})", i18n.pick(id, en))
                }
                None => format!("Status: {status}"),
            }
        }
    });
    let name = person.full_name.clone();
    view! {
        <h2 id="detail-title">{person.full_name.clone()}</h2>
        {not_pending.map(|text| view! { <p class="notice">{text}</p> })}
        <div class="photos">
            <figure>
                <img
                    src=detail.selfie_url
                    alt={
                        let name = name.clone();
                        move || format!("{} {name}", i18n.t("Swafoto", "Selfie of"))
                    }
                    width="240"
                    height="320"
                    on:load=on_load(SELFIE)
                    on:error=on_error(SELFIE)
                />
                <figcaption>{move || i18n.t("Swafoto", "Selfie")}</figcaption>
                <Show when=move || selfie_failed(SELFIE)>
                    <p class="error">{move || i18n.t("Swafoto tidak dapat dimuat", "The selfie could not be loaded")}</p>
                </Show>
                // The citizen's phone checked the selfie: a hint only, the officer decides.
                {(!findings.is_empty()).then(|| view! {
                    <div class="selfie-findings" role="note" data-testid="selfie-findings">
                        <p class="warning">{move || i18n.t("⚠ Pemeriksaan ponsel:", "⚠ Phone check:")}</p>
                        <ul>
                            {findings.iter().map(|f| {
                                let f = *f;
                                view! { <li>{move || if i18n.en() { f.message_en() } else { f.message_id() }}</li> }
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
                            alt={
                                let name = name.clone();
                                move || format!("{} {name}", i18n.t("Foto perekaman e-KTP", "e-KTP enrolment photo of"))
                            }
                            width="240"
                            height="320"
                            on:load=on_load(REGISTRY_PHOTO)
                            on:error=on_error(REGISTRY_PHOTO)
                        />
                        <figcaption>{move || i18n.t("Foto perekaman e-KTP", "e-KTP enrolment photo")}</figcaption>
                        <Show when=move || has_failed(REGISTRY_PHOTO)>
                            <p class="error">{move || i18n.t("Foto perekaman tidak dapat dimuat", "The enrolment photo could not be loaded")}</p>
                        </Show>
                    </figure>
                }.into_any(),
                None => view! {
                    <figure class="no-registry-photo" data-testid="no-registry-photo">
                        <div class="photo-placeholder" role="img"
                            aria-label=move || i18n.t("Tidak ada foto registri", "No registry photo")>
                            <p class="warning">{move || i18n.t("Tidak ada foto registri", "No registry photo")}</p>
                        </div>
                        <figcaption>{move || i18n.t("Foto perekaman e-KTP", "e-KTP enrolment photo")}</figcaption>
                        <p class="muted">{move || i18n.t(
                            "Cocokkan wajah dengan orangnya dan dokumen lain",
                            "Check the face against the person and another document",
                        )}</p>
                    </figure>
                }.into_any(),
            }}
            <dl class="biodata">
                {rows
                    .into_iter()
                    .map(|((id, en), value)| view! { <dt>{move || i18n.t(id, en)}</dt><dd>{value}</dd> })
                    .collect_view()}
            </dl>
        </div>
    }
}

/// A registration's state as an officer reads it (Bahasa Indonesia, English).
fn status_words(status: RegistrationStatus) -> (&'static str, &'static str) {
    match status {
        RegistrationStatus::Pending => ("menunggu keputusan", "waiting for a decision"),
        RegistrationStatus::Approved => {
            ("disetujui, belum diaktifkan", "approved, not yet activated")
        }
        RegistrationStatus::Rejected => ("ditolak petugas", "rejected by an officer"),
        RegistrationStatus::Activated => ("aktif", "active"),
        RegistrationStatus::Superseded => (
            "digantikan pendaftaran yang lebih baru",
            "replaced by a newer registration",
        ),
    }
}

/// A rejection reason (Bahasa Indonesia, English): the standard reasons have an English
/// text; an officer's own words are shown as they were written.
fn reason_words(reason: &str) -> (String, String) {
    let en = rejection_reason_en(reason).unwrap_or(reason);
    (reason.to_owned(), en.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ikd_core::console_api::{REJECTION_REASONS, REJECTION_REASONS_EN};

    #[test]
    fn a_standard_reason_reads_in_english_and_an_officers_own_words_stay_as_written() {
        for (id, en) in REJECTION_REASONS.iter().zip(REJECTION_REASONS_EN) {
            assert_eq!(reason_words(id), ((*id).to_owned(), en.to_owned()));
        }
        assert_eq!(
            reason_words("KTP rusak"),
            ("KTP rusak".to_owned(), "KTP rusak".to_owned())
        );
    }

    #[test]
    fn every_status_has_its_own_words_in_both_languages() {
        let all = [
            RegistrationStatus::Pending,
            RegistrationStatus::Approved,
            RegistrationStatus::Rejected,
            RegistrationStatus::Activated,
            RegistrationStatus::Superseded,
        ];
        let words: std::collections::HashSet<_> = all.map(status_words).into_iter().collect();
        assert_eq!(words.len(), all.len());
    }
}
