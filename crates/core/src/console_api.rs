//! Request and answer bodies of the officer API, shared by the service and the officer console
//! (its own wasm bundle), so the two cannot drift apart. Paths are relative to `/api`.
//!
//! Desk mode: `POST /officer/session` (log in), `GET|POST /desks`, `GET /desks/{id}/token`,
//! `GET /desks/{id}/queue`, `GET /officer/registrations/{id}` (+ `/selfie`, `/registry-photo`),
//! `POST /officer/registrations/{id}/decision`, `POST /officer/decisions` (batch).
//! Drives: `GET|POST /drives`, `GET /drives/{id}`, `POST /drives/{id}/roster` (CSV body),
//! `GET /drives/{id}/progress` (`?format=csv`), `GET /drives/{id}/queue`.
//! Figures: `GET /dashboard/regions?parent=` (`&format=csv`), `GET /dashboard/drives`
//! (`?format=csv`), `PUT /targets/{region}` (admins). Staff: `GET|POST /officers`,
//! `POST /officers/{id}/disable` (supervisors and admins).

use serde::{Deserialize, Serialize};

use crate::officer::OfficerRole;
use crate::offline_bundle::KtpCard;
use crate::registration_status::RegistrationStatus;
use crate::selfie_quality::SelfieFinding;

/// The logged-in officer (`GET /officer/session`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OfficerInfo {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub role: OfficerRole,
    /// Dotted region code: province "32", regency "32.76" or district "32.76.01".
    pub region_code: String,
    /// The region's name, e.g. "KOTA DEPOK".
    #[serde(default)]
    pub region_name: String,
}

/// `POST /officer/session`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OfficerLogin {
    pub username: String,
    pub password: String,
    /// A solved captcha, needed only after `captcha-required`: repeated failures for this
    /// username from browsers it does not know.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captcha: Option<crate::captcha::Solution>,
}

/// `GET /api/officer/today?since=…`: the logged-in officer's own work since the start of their
/// day (the console sends its local midnight), for the home page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OfficerDay {
    /// Registrations this officer approved since then.
    pub approved: u64,
    /// Registrations this officer rejected since then.
    pub rejected: u64,
    /// Registrations waiting now at this officer's open desks and drives.
    pub waiting: u64,
}

/// `POST /api/officer/unlock`: a citizen at the counter whose NIK strangers ran up limits
/// against (failed logins from unknown browsers, wrong activation codes, tries).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UnlockRequest {
    pub nik: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum DeskKind {
    /// A counter at a Dukcapil office.
    Desk,
    /// A registration drive (jemput bola): one QR on a projector for many people.
    Drive,
}

impl DeskKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DeskKind::Desk => "desk",
            DeskKind::Drive => "drive",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "desk" => Some(DeskKind::Desk),
            "drive" => Some(DeskKind::Drive),
            _ => None,
        }
    }
}

/// The longest desk label, in characters (after trimming); the service refuses longer ones
/// and the console's input stops there.
pub const MAX_DESK_LABEL_CHARS: usize = 100;

/// `POST /desks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OpenDesk {
    pub kind: DeskKind,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Desk {
    pub id: i64,
    pub officer_id: i64,
    pub kind: DeskKind,
    pub label: String,
    pub region_code: String,
    pub opened_at: i64,
    pub closed_at: Option<i64>,
}

/// The length of a desk's short code (Crockford base32), which a phone types when its camera
/// fails.
pub const DESK_SHORT_CODE_LEN: usize = 6;

/// What the desk screen shows now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeskToken {
    /// The text to draw as a QR.
    pub qr_text: String,
    /// [`DESK_SHORT_CODE_LEN`] Crockford base32 characters, for typing.
    pub short_code: String,
    /// When the screen should fetch the next token (unix seconds).
    pub rotates_at: i64,
    /// The last moment a phone may still submit this token.
    pub expires_at: i64,
}

/// One person waiting at a desk or drive, oldest first. `nip` and `unit` are set when the
/// person is on the drive's roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct QueueItem {
    pub registration_id: String,
    pub nik: String,
    pub full_name: String,
    pub created_at: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// The face check: the selfie beside the registry photo, with the biodata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RegistrationDetail {
    pub registration_id: String,
    pub status: RegistrationStatus,
    pub reason: Option<String>,
    pub desk_id: i64,
    pub email: String,
    pub phone: String,
    pub created_at: i64,
    pub person: KtpCard,
    pub selfie_url: String,
    /// What the citizen's phone found in the selfie (sent by the app, so a hint only).
    #[serde(default)]
    pub selfie_findings: Vec<SelfieFinding>,
    /// `None` when the registry holds no photo of this person (an extract loaded without
    /// one): the console says so, and never shows a drawing in its place.
    pub registry_photo_url: Option<String>,
}

/// `POST /officer/registrations/{id}/decision`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DecisionRequest {
    pub approve: bool,
    /// Required when rejecting: said to the citizen.
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DecisionOutcome {
    pub status: RegistrationStatus,
    /// Whether the email is on its way. It is queued in the decision's own transaction and
    /// sent by the service's mail worker with retries, so a decision that stands always has
    /// it; an officer's "kirim ulang" makes a new code if it never arrives.
    pub email_sent: bool,
}

/// The reasons an officer picks from when rejecting (free text is allowed too). Said to the
/// citizen in the rejection email, so they are in plain Indonesian.
pub const REJECTION_REASONS: [&str; 4] = [
    "Wajah pada swafoto tidak sesuai dengan foto perekaman e-KTP",
    "Swafoto buram, gelap, atau wajah tidak terlihat jelas",
    "Pendaftar tidak hadir di loket",
    "Data kontak (email/nomor HP) bukan milik pendaftar",
];

/// [`REJECTION_REASONS`] in English, in the same order: for an officer or a citizen who reads
/// English (the rejection mail carries both).
pub const REJECTION_REASONS_EN: [&str; REJECTION_REASONS.len()] = [
    "The face in the selfie does not match the e-KTP enrolment photo",
    "The selfie is blurred or dark, or the face is not clearly visible",
    "The applicant did not come to the desk",
    "The contact details (email/mobile number) are not the applicant's",
];

/// A rejection reason in English: the standard reasons have one; an officer's own words are
/// kept as they were written (`None`).
pub fn rejection_reason_en(reason: &str) -> Option<&'static str> {
    REJECTION_REASONS
        .iter()
        .position(|r| *r == reason)
        .map(|i| REJECTION_REASONS_EN[i])
}

/// `POST /officer/decisions`: one decision for several people, each face-checked first in the
/// console. Every registration is decided on its own; one failure does not undo the others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BatchDecision {
    pub registration_ids: Vec<String>,
    pub approve: bool,
    #[serde(default)]
    pub reason: Option<String>,
}

/// At most this many registrations per batch decision.
pub const MAX_BATCH_DECISIONS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BatchItemOutcome {
    pub registration_id: String,
    /// The new status, or `None` when this one was refused (see `problem`).
    pub status: Option<RegistrationStatus>,
    pub email_sent: bool,
    /// Indonesian message of the refusal, when refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BatchDecisionOutcome {
    pub decided: u32,
    pub refused: u32,
    pub results: Vec<BatchItemOutcome>,
}

/// `POST /drives`: a registration drive (jemput bola) for civil servants (ASN).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewDrive {
    /// e.g. "Jemput bola IKD Balai Kota Depok".
    pub name: String,
    /// Instansi, e.g. "PEMERINTAH KOTA DEPOK".
    pub agency: String,
    /// Unit kerja. When listed, roster rows must name one of them; when empty, any unit.
    #[serde(default)]
    pub units: Vec<String>,
    /// Tempat, e.g. "Aula Balai Kota Depok".
    pub place: String,
    /// YYYY-MM-DD.
    pub starts_on: String,
    /// YYYY-MM-DD, on or after `starts_on`.
    pub ends_on: String,
    /// Usernames of the officers who work the drive (the creator is always one).
    #[serde(default)]
    pub officers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DriveOfficer {
    pub id: i64,
    pub username: String,
    pub full_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Drive {
    pub id: i64,
    pub name: String,
    pub agency: String,
    pub units: Vec<String>,
    pub place: String,
    pub starts_on: String,
    pub ends_on: String,
    pub region_code: String,
    /// The drive's desk: its token is the QR shown on the projector, its queue the people
    /// waiting for the face check.
    pub desk_id: i64,
    pub created_by: i64,
    pub created_at: i64,
    pub officers: Vec<DriveOfficer>,
    pub on_roster: u64,
}

/// Why a roster row was not imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum RosterProblem {
    /// Not four columns NIP, NIK, name, unit.
    Columns,
    /// The NIK is not 16 digits with a real region and a real birth date.
    BadNik,
    /// The NIP is not 18 digits with real dates.
    BadNip,
    /// The name column is empty.
    MissingName,
    /// The unit is not one of the drive's units.
    UnknownUnit,
    /// The NIK or the NIP is already on the roster (earlier in this file or imported before).
    Duplicate,
    /// BKN holds no civil servant with this NIP and this NIK together. One problem for "no such
    /// NIK" and "another NIP", so a roster cannot be used to ask the registry who exists
    /// (issue 15); the codes `not-found` and `nip-nik-mismatch` it replaced are retired.
    NotOnRecord,
}

impl RosterProblem {
    pub fn as_str(self) -> &'static str {
        match self {
            RosterProblem::Columns => "columns",
            RosterProblem::BadNik => "bad-nik",
            RosterProblem::BadNip => "bad-nip",
            RosterProblem::MissingName => "missing-name",
            RosterProblem::UnknownUnit => "unknown-unit",
            RosterProblem::Duplicate => "duplicate",
            RosterProblem::NotOnRecord => "not-on-record",
        }
    }

    /// What the officer reads in the import report, in Bahasa Indonesia.
    pub fn message_id(self) -> &'static str {
        match self {
            RosterProblem::Columns => {
                "Baris harus berisi 4 kolom: NIP, NIK, nama, unit, dipisah koma (,) atau titik koma (;)"
            }
            RosterProblem::BadNik => {
                "NIK tidak valid (16 angka dengan kode wilayah dan tanggal lahir yang benar)"
            }
            RosterProblem::BadNip => "NIP tidak valid (18 angka dengan tanggal yang benar)",
            RosterProblem::MissingName => "Nama kosong",
            RosterProblem::UnknownUnit => "Unit kerja tidak termasuk unit kegiatan ini",
            RosterProblem::Duplicate => "Ganda: NIK atau NIP ini sudah ada di daftar",
            RosterProblem::NotOnRecord => {
                "NIP dan NIK ini tidak tercatat bersama sebagai ASN (data kependudukan dan BKN)"
            }
        }
    }

    pub fn message_en(self) -> &'static str {
        match self {
            RosterProblem::Columns => {
                "A row needs 4 columns: NIP, NIK, name, unit, separated by commas (,) or semicolons (;)"
            }
            RosterProblem::BadNik => {
                "Invalid NIK (16 digits with a real region code and birth date)"
            }
            RosterProblem::BadNip => "Invalid NIP (18 digits with real dates)",
            RosterProblem::MissingName => "The name is empty",
            RosterProblem::UnknownUnit => "The unit is not one of this drive's units",
            RosterProblem::Duplicate => "Duplicate: this NIK or NIP is already on the roster",
            RosterProblem::NotOnRecord => {
                "This NIP and NIK are not on record together as a civil servant (population and BKN data)"
            }
        }
    }
}

/// One roster row that was not imported, with its line number in the file (1-based, the
/// header counts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BadRosterRow {
    pub line: u64,
    pub nip: String,
    pub nik: String,
    pub name: String,
    pub problem: RosterProblem,
    pub message: String,
    pub message_en: String,
}

/// The answer to `POST /drives/{id}/roster`: every data row is either imported or listed in
/// `bad_rows`, so `rows == imported + bad_rows.len()`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RosterImportReport {
    pub rows: u64,
    pub imported: u64,
    pub bad_rows: Vec<BadRosterRow>,
}

/// A roster file larger than this is refused (about 300,000 rows).
pub const MAX_ROSTER_BYTES: usize = 32 * 1024 * 1024;

/// Progress of one unit (or the whole drive): people on the roster, and how many of them
/// registered, were approved and activated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct UnitProgress {
    pub unit: String,
    pub on_roster: u64,
    pub registered: u64,
    pub approved: u64,
    pub activated: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DriveProgress {
    pub drive_id: i64,
    pub units: Vec<UnitProgress>,
    pub total: UnitProgress,
}

/// Adoption in one region, against its target. `eligible` is the population that must hold a
/// KTP: 17 or older today with a recorded e-KTP.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RegionFigures {
    /// "" for Indonesia as a whole, "32" a province, "32.76" a regency or city.
    pub code: String,
    pub name: String,
    pub eligible: u64,
    pub registered: u64,
    pub activated: u64,
    /// The target share of `eligible` that should hold an activated IKD, in percent.
    pub target_percent: f64,
    /// Where the target was set: this region's own code, or the nearest region above it.
    pub target_set_at: String,
    /// `eligible × target_percent / 100`, rounded up.
    pub target_count: u64,
    /// `activated / target_count × 100` (0 when the target is 0).
    pub percent_of_target: f64,
}

/// A region's code and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RegionRef {
    pub code: String,
    pub name: String,
}

/// One day of the trend: totals reached by the end of that day (UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TrendPoint {
    /// YYYY-MM-DD.
    pub day: String,
    pub registered: u64,
    pub activated: u64,
}

/// `GET /dashboard/regions?parent=CODE`: the region, its children (provinces of Indonesia,
/// regencies of a province, districts of a regency) and the trend of the region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RegionDashboard {
    /// The regions above this one, Indonesia first, for a breadcrumb.
    #[serde(default)]
    pub ancestors: Vec<RegionRef>,
    pub region: RegionFigures,
    pub children: Vec<RegionFigures>,
    pub trend: Vec<TrendPoint>,
    /// YYYY-MM-DD: ages are counted on this day.
    pub as_of: String,
    /// Whether the officer may set targets here (admins, within their region).
    pub can_set_targets: bool,
}

/// One row of `GET /dashboard/drives`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DriveFigures {
    pub drive_id: i64,
    pub name: String,
    pub agency: String,
    pub region_code: String,
    /// The region's name ("Kota Depok"), so no screen shows a bare code.
    pub region_name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub on_roster: u64,
    pub registered: u64,
    pub approved: u64,
    pub activated: u64,
}

/// `PUT /targets/{region}` (admins, within their region). `region` is "" (send "id") for
/// Indonesia, or a province or regency code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetTarget {
    /// 0–100, at most two decimals.
    pub percent: f64,
}

/// An officer account as a supervisor sees it (`GET /officers`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct OfficerSummary {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub role: OfficerRole,
    pub region_code: String,
    /// The region's name ("Kota Depok", "Indonesia" for the whole country).
    pub region_name: String,
    pub disabled: bool,
    /// Decisions taken in the last 24 hours.
    pub decisions_today: u64,
}

/// `POST /officers`: a supervisor adds an officer in their region; an admin may also add
/// supervisors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewOfficerRequest {
    pub username: String,
    pub full_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub role: OfficerRole,
    pub region_code: String,
    /// At least 12 characters.
    pub password: String,
}

/// Target share in basis points (hundredths of a percent), the unit targets are stored in.
pub fn percent_to_basis_points(percent: f64) -> Option<i64> {
    if !(0.0..=100.0).contains(&percent) || !percent.is_finite() {
        return None;
    }
    let bp = (percent * 100.0).round();
    ((bp - percent * 100.0).abs() < 1e-6).then_some(bp as i64)
}

/// `ceil(eligible × bp / 10000)`: the number of activated people the target asks for.
pub fn target_count(eligible: u64, basis_points: i64) -> u64 {
    let bp = basis_points.clamp(0, 10_000) as u64;
    (eligible * bp).div_ceil(10_000)
}

/// Activated as a percentage of the target count, one decimal.
pub fn percent_of_target(activated: u64, target: u64) -> f64 {
    if target == 0 {
        return 0.0;
    }
    ((activated as f64 / target as f64) * 1000.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_standard_rejection_reason_has_english_and_an_officers_own_words_do_not() {
        for (id, en) in REJECTION_REASONS.iter().zip(REJECTION_REASONS_EN) {
            assert_eq!(rejection_reason_en(id), Some(en));
        }
        assert_eq!(rejection_reason_en("KTP rusak"), None);
    }

    #[test]
    fn targets_are_whole_basis_points_between_zero_and_a_hundred_percent() {
        assert_eq!(percent_to_basis_points(25.0), Some(2500));
        assert_eq!(percent_to_basis_points(70.0), Some(7000));
        assert_eq!(percent_to_basis_points(12.34), Some(1234));
        assert_eq!(percent_to_basis_points(12.345), None);
        assert_eq!(percent_to_basis_points(-1.0), None);
        assert_eq!(percent_to_basis_points(100.5), None);
        assert_eq!(percent_to_basis_points(f64::NAN), None);
    }

    #[test]
    fn the_target_count_rounds_up_and_progress_is_a_share_of_it() {
        // Depok: 25 % of 1.4 M who must hold a KTP.
        assert_eq!(target_count(1_400_000, 2500), 350_000);
        assert_eq!(target_count(3, 2500), 1);
        assert_eq!(target_count(0, 7000), 0);
        assert_eq!(percent_of_target(175_000, 350_000), 50.0);
        assert_eq!(percent_of_target(1, 3), 33.3);
        assert_eq!(percent_of_target(5, 0), 0.0);
    }

    #[test]
    fn roster_problems_have_stable_codes_and_messages_in_both_languages() {
        let all = [
            RosterProblem::Columns,
            RosterProblem::BadNik,
            RosterProblem::BadNip,
            RosterProblem::MissingName,
            RosterProblem::UnknownUnit,
            RosterProblem::Duplicate,
            RosterProblem::NotOnRecord,
        ];
        for problem in all {
            let json = serde_json::to_string(&problem).expect("serialises");
            assert_eq!(json, format!("\"{}\"", problem.as_str()));
            assert!(!problem.message_id().is_empty() && !problem.message_en().is_empty());
        }
    }
}
