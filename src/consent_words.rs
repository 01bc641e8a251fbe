//! Consent and account care in words a person reads (issue 17): what a scope lets an
//! institution read, for how long, what a confirmation says before anything is shared, the
//! new lines of Riwayat (institution reads, grants, officers opening the registration) and
//! why a device was revoked. Pure functions returning (Bahasa Indonesia, English) pairs, so
//! the browser tests check the exact wording; the screens pick one with `I18n::pick`.

use ikd_core::activity::{ActivityEntry, ActivityKind};
use ikd_core::consent_api::{ConsentItem, ConsentScope, ConsentStatus, parse_read_detail};

/// A text in both languages: Bahasa Indonesia first, English second.
pub type Words = (String, String);

fn words(id: impl Into<String>, en: impl Into<String>) -> Words {
    (id.into(), en.into())
}

/// The scope's short name, as a list or a button shows it.
pub fn scope_name(scope: ConsentScope) -> (&'static str, &'static str) {
    match scope {
        ConsentScope::Full => ("KTP lengkap", "Full KTP"),
        ConsentScope::Basic => ("Identitas dasar", "Basic identity"),
        ConsentScope::Age17 => ("Usia 17+ saja", "Age 17+ only"),
        ConsentScope::Kk => ("Kartu Keluarga", "Family card"),
    }
}

/// Exactly what the institution can read under the scope, in plain words.
pub fn scope_fields(scope: ConsentScope) -> (&'static str, &'static str) {
    match scope {
        ConsentScope::Full => (
            "semua isi KTP: NIK, nama, tempat dan tanggal lahir, jenis kelamin, golongan darah, \
             alamat, agama, status perkawinan, pekerjaan, kewarganegaraan dan masa berlaku \
             (tanpa foto)",
            "everything on the KTP: NIK, name, place and date of birth, sex, blood type, \
             address, religion, marital status, occupation, citizenship and validity \
             (no photo)",
        ),
        ConsentScope::Basic => (
            "NIK, nama lengkap, tanggal lahir dan jenis kelamin",
            "NIK, full name, birth date and sex",
        ),
        ConsentScope::Age17 => (
            "hanya jawaban ya atau tidak: apakah Anda sudah berusia 17 tahun (bukan tanggal lahir Anda)",
            "only a yes or no: whether you are 17 or older (not your birth date)",
        ),
        ConsentScope::Kk => (
            "Kartu Keluarga Anda dengan semua anggota keluarga di dalamnya",
            "your family card (KK) with every family member on it",
        ),
    }
}

/// "30 hari" / "30 days" (one day is "1 hari" / "1 day").
pub fn period(days: i64) -> Words {
    let en = if days == 1 {
        "1 day".to_owned()
    } else {
        format!("{days} days")
    };
    words(format!("{days} hari"), en)
}

/// What the confirmation says before an approval: who, exactly which fields, for how long,
/// for what, and that it can be undone.
pub fn approve_confirmation(item: &ConsentItem) -> Words {
    let (fields_id, fields_en) = scope_fields(item.scope);
    let (days_id, days_en) = period(item.period_days);
    let who = item.institution_name.trim();
    let purpose = item.purpose.trim();
    words(
        format!(
            "{who} akan dapat membaca {fields_id}, selama {days_id} sejak Anda menyetujui, \
             untuk: \u{201c}{purpose}\u{201d}. Setiap pembacaan tercatat di Riwayat, dan Anda \
             dapat mencabut izin ini kapan saja di menu Persetujuan."
        ),
        format!(
            "{who} will be able to read {fields_en}, for {days_en} from your approval, for: \
             \u{201c}{purpose}\u{201d}. Every read is listed in your history, and you can \
             revoke this at any time under Consents."
        ),
    )
}

/// What revoking says before it happens.
pub fn revoke_confirmation(item: &ConsentItem) -> Words {
    let who = item.institution_name.trim();
    let (scope_id, scope_en) = scope_name(item.scope);
    words(
        format!(
            "Cabut izin {who} untuk {scope_id}? Pembacaan berikutnya oleh {who} akan ditolak. \
             Data yang sudah dibaca sebelumnya tetap ada pada {who}."
        ),
        format!(
            "Revoke {who}'s access to {scope_en}? {who}'s next read will be refused. Data it \
             already read stays with {who}."
        ),
    )
}

/// The status as a short label (`ConsentStatus::label_id` / `label_en`).
pub fn status_label(status: ConsentStatus) -> (&'static str, &'static str) {
    (status.label_id(), status.label_en())
}

/// The first characters of an id: enough to tell grants apart on a screen.
pub fn short_id(id: &str) -> &str {
    let end = id
        .char_indices()
        .nth(8)
        .map(|(at, _)| at)
        .unwrap_or(id.len());
    &id[..end]
}

/// The detail line of a Riwayat entry of issue 17's kinds, or `None` for the other kinds
/// (whose wording stays in the history page) and for a detail that does not parse.
pub fn activity_detail(entry: &ActivityEntry) -> Option<Words> {
    let detail = entry.detail.trim();
    match entry.kind {
        ActivityKind::InstitutionRead => {
            let (scope, grant) = parse_read_detail(detail)?;
            let (fields_id, fields_en) = scope_fields(scope);
            let (name_id, name_en) = scope_name(scope);
            let grant = short_id(grant);
            Some(words(
                format!("Dibaca: {name_id} ({fields_id}) · izin {grant}"),
                format!("Read: {name_en} ({fields_en}) · grant {grant}"),
            ))
        }
        ActivityKind::ConsentGranted
        | ActivityKind::ConsentDeclined
        | ActivityKind::ConsentRevoked => {
            let (scope, id) = parse_read_detail(detail)?;
            let (name_id, name_en) = scope_name(scope);
            let id = short_id(id);
            let (noun_id, noun_en) = if entry.kind == ActivityKind::ConsentDeclined {
                ("permintaan", "request")
            } else {
                ("izin", "grant")
            };
            Some(words(
                format!("Cakupan: {name_id} · {noun_id} {id}"),
                format!("Scope: {name_en} · {noun_en} {id}"),
            ))
        }
        ActivityKind::SelfieViewed | ActivityKind::RegistryPhotoViewed => {
            if detail.is_empty() {
                return None;
            }
            let id = short_id(detail);
            Some(words(
                format!("Saat memeriksa pendaftaran {id}"),
                format!("While checking registration {id}"),
            ))
        }
        _ => None,
    }
}

/// Why a device's credentials were revoked, from the service's reason word.
pub fn revocation_reason(reason: &str) -> Words {
    match reason.trim() {
        "logout" => words(
            "Anda keluar di perangkat itu",
            "You logged out on that device",
        ),
        "device-replaced" => words(
            "Diganti oleh perangkat yang lebih baru",
            "Replaced by a newer device",
        ),
        "lost-phone" => words("Dilaporkan hilang", "Reported lost"),
        "password-changed" => words("Kata sandi diubah", "Password changed"),
        "account-closed" => words("Akun ditutup", "Account closed"),
        "" => words("Dicabut", "Revoked"),
        other => words(format!("Dicabut ({other})"), format!("Revoked ({other})")),
    }
}

/// The app's address when an institution's link or QR opened it: `?persetujuan=<CODE>`.
/// The code, cleaned to what a short code or id can hold, if there is one.
pub fn code_in_query(search: &str) -> Option<String> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == "persetujuan")
        .map(|(_, value)| crate::api::path_part(value))
        .filter(|code| !code.is_empty() && code.len() <= 64)
}

/// A registration's status word (as an export carries it) in words.
pub fn registration_status(word: &str) -> Words {
    use ikd_core::registration_status::RegistrationStatus as S;
    match S::ALL.into_iter().find(|s| s.as_str() == word) {
        Some(S::Pending) => words("Menunggu pemeriksaan petugas", "Waiting for the officer"),
        Some(S::Approved) => words("Disetujui", "Approved"),
        Some(S::Rejected) => words("Ditolak", "Rejected"),
        Some(S::Activated) => words("Akun diaktifkan", "Account activated"),
        Some(S::Superseded) => words("Digantikan", "Replaced"),
        None => words(word, word),
    }
}
