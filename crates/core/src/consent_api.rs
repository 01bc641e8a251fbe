//! Consent (otorisasi, issue 17): an institution asks for a scope of a citizen's data, for a
//! purpose and a period; the citizen approves or declines, and may revoke a live grant at any
//! time. The closed sets (scope, status), the bounds and the request and answer bodies live
//! here, shared by the service and the PWA.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::offline_bundle::{FamilyCard, KtpCard};

/// The longest purpose an institution may state, in characters.
pub const MAX_PURPOSE_CHARS: usize = 200;
/// The shortest purpose: a word or two, not an empty string.
pub const MIN_PURPOSE_CHARS: usize = 3;
/// The longest period a grant may run, in days.
pub const MAX_PERIOD_DAYS: i64 = 365;
/// How long a request waits for the citizen's answer before it lapses.
pub const REQUEST_OPEN_SECS: i64 = 7 * 86_400;
/// Requests one institution may have waiting for one NIK at a time.
pub const MAX_WAITING_PER_NIK: i64 = 3;
/// The short code's length (Crockford base32) the institution shows at its counter.
pub const SHORT_CODE_LEN: usize = 8;

/// What an institution may read under a grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ConsentScope {
    /// The whole KTP card (every field the card prints; no photo).
    #[serde(rename = "full")]
    Full,
    /// NIK, full name, birth date and sex.
    #[serde(rename = "basic")]
    Basic,
    /// Only whether the person is 17 or older.
    #[serde(rename = "age-17")]
    Age17,
    /// The family card (KK) with its members.
    #[serde(rename = "kk")]
    Kk,
}

impl ConsentScope {
    pub const ALL: [ConsentScope; 4] = [
        ConsentScope::Full,
        ConsentScope::Basic,
        ConsentScope::Age17,
        ConsentScope::Kk,
    ];

    /// The word stored in the database and sent in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentScope::Full => "full",
            ConsentScope::Basic => "basic",
            ConsentScope::Age17 => "age-17",
            ConsentScope::Kk => "kk",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The fields a read under this scope answers, as the JSON names them.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            ConsentScope::Full => &[
                "nik",
                "fullName",
                "placeOfBirth",
                "birthDate",
                "sex",
                "bloodType",
                "street",
                "rt",
                "rw",
                "village",
                "district",
                "regency",
                "province",
                "religion",
                "maritalStatus",
                "occupation",
                "citizenship",
                "validUntil",
            ],
            ConsentScope::Basic => &["nik", "fullName", "birthDate", "sex"],
            ConsentScope::Age17 => &["ageOver17"],
            ConsentScope::Kk => &["familyCard"],
        }
    }

    pub fn label_id(self) -> &'static str {
        match self {
            ConsentScope::Full => "KTP lengkap",
            ConsentScope::Basic => "Identitas dasar (NIK, nama, tanggal lahir, jenis kelamin)",
            ConsentScope::Age17 => "Hanya apakah sudah 17 tahun",
            ConsentScope::Kk => "Kartu Keluarga",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            ConsentScope::Full => "Full KTP",
            ConsentScope::Basic => "Basic identity (NIK, name, birth date, sex)",
            ConsentScope::Age17 => "Only whether 17 or older",
            ConsentScope::Kk => "Family card (KK)",
        }
    }
}

impl fmt::Display for ConsentScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a request or grant stands. The database stores [`ConsentStatus::Waiting`],
/// [`ConsentStatus::Live`], [`ConsentStatus::Declined`] and [`ConsentStatus::Revoked`];
/// `Expired` and `Lapsed` follow from the clock ([`ConsentStatus::at`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ConsentStatus {
    /// Asked, not yet answered.
    Waiting,
    /// Approved and within its period: the institution may read its scope.
    Live,
    /// The citizen said no.
    Declined,
    /// The citizen withdrew a grant.
    Revoked,
    /// A grant whose period ended.
    Expired,
    /// A request nobody answered in time.
    Lapsed,
}

impl ConsentStatus {
    pub const ALL: [ConsentStatus; 6] = [
        ConsentStatus::Waiting,
        ConsentStatus::Live,
        ConsentStatus::Declined,
        ConsentStatus::Revoked,
        ConsentStatus::Expired,
        ConsentStatus::Lapsed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ConsentStatus::Waiting => "waiting",
            ConsentStatus::Live => "live",
            ConsentStatus::Declined => "declined",
            ConsentStatus::Revoked => "revoked",
            ConsentStatus::Expired => "expired",
            ConsentStatus::Lapsed => "lapsed",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// The status at `now` of a row stored as `self`, whose request lapses at
    /// `request_expires_at` and whose grant (if any) ends at `expires_at`.
    pub fn at(self, now: i64, request_expires_at: i64, expires_at: Option<i64>) -> Self {
        match self {
            ConsentStatus::Waiting if now >= request_expires_at => ConsentStatus::Lapsed,
            ConsentStatus::Live if expires_at.is_none_or(|end| now >= end) => {
                ConsentStatus::Expired
            }
            other => other,
        }
    }

    pub fn label_id(self) -> &'static str {
        match self {
            ConsentStatus::Waiting => "Menunggu jawaban Anda",
            ConsentStatus::Live => "Berlaku",
            ConsentStatus::Declined => "Ditolak",
            ConsentStatus::Revoked => "Dicabut",
            ConsentStatus::Expired => "Berakhir",
            ConsentStatus::Lapsed => "Tidak dijawab",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            ConsentStatus::Waiting => "Waiting for your answer",
            ConsentStatus::Live => "Live",
            ConsentStatus::Declined => "Declined",
            ConsentStatus::Revoked => "Revoked",
            ConsentStatus::Expired => "Expired",
            ConsentStatus::Lapsed => "Not answered",
        }
    }
}

impl fmt::Display for ConsentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `POST /api/institution/consent-requests` (institution's bearer key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConsentRequestBody {
    /// The citizen's NIK (16 digits).
    pub nik: String,
    pub scope: ConsentScope,
    /// Why the institution asks, shown to the citizen; 3 to 200 characters.
    pub purpose: String,
    /// How many days the grant runs once approved; 1 to 365.
    pub period_days: i64,
}

/// The answer to every well-formed request, the same whether the NIK has an account or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ConsentRequestAccepted {
    /// The request's id; once approved, the grant's id.
    pub request_id: String,
    /// Eight characters the institution shows at its counter; the citizen finds the request
    /// with it in the app.
    pub short_code: String,
    /// A link to the request in the citizen app (shown as text or QR at the counter).
    pub link: String,
    /// Unix seconds: the request lapses if not answered by then.
    pub answer_by: i64,
    pub message: String,
    pub message_en: String,
}

/// `GET /api/institution/consent-requests/{id}`: where the institution's own request stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct InstitutionConsentView {
    pub request_id: String,
    pub scope: ConsentScope,
    pub purpose: String,
    pub period_days: i64,
    pub status: ConsentStatus,
    pub requested_at: i64,
    pub answer_by: i64,
    /// Unix seconds of the citizen's approval, for a grant.
    pub granted_at: Option<i64>,
    /// Unix seconds the grant ends.
    pub expires_at: Option<i64>,
}

/// A request or grant as its citizen sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ConsentItem {
    pub id: String,
    pub short_code: String,
    pub institution_name: String,
    /// False once the institution was switched off: it reads nothing any more.
    pub institution_active: bool,
    pub scope: ConsentScope,
    /// The fields this scope lets the institution read.
    pub fields: Vec<String>,
    pub purpose: String,
    pub period_days: i64,
    pub status: ConsentStatus,
    pub requested_at: i64,
    pub answer_by: i64,
    /// When the citizen approved or declined.
    pub answered_at: Option<i64>,
    /// When a grant ends.
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
    /// How many times the institution read under this grant, and the last time.
    pub reads: i64,
    pub last_read_at: Option<i64>,
}

/// `GET /api/consents`: what waits for an answer, and every grant, live and past.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ConsentOverview {
    /// Requests waiting for the citizen's answer, newest first.
    pub waiting: Vec<ConsentItem>,
    /// Every other request or grant (live, expired, revoked, declined, lapsed), newest first.
    pub grants: Vec<ConsentItem>,
}

/// `POST /api/consents/{id}/answer`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConsentAnswer {
    pub approve: bool,
}

/// The fields of [`ConsentScope::Basic`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct BasicIdentity {
    pub nik: String,
    pub full_name: String,
    /// ISO date.
    pub birth_date: String,
    /// "LAKI-LAKI" | "PEREMPUAN".
    pub sex: String,
}

/// `GET /api/institution/grants/{id}/data`: exactly the granted scope, nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct GrantData {
    pub grant_id: String,
    pub scope: ConsentScope,
    /// Unix seconds of this read (it is in the citizen's history).
    pub read_at: i64,
    /// Unix seconds the grant ends.
    pub expires_at: i64,
    /// Scope `full` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ktp: Option<KtpCard>,
    /// Scope `basic` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basic: Option<BasicIdentity>,
    /// Scope `age-17` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_over_17: Option<bool>,
    /// Scope `kk` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_card: Option<FamilyCard>,
}

/// The detail of an `institution-read` line in the citizen's history: `<scope>:<grant id>`.
pub fn read_detail(scope: ConsentScope, grant_id: &str) -> String {
    format!("{}:{grant_id}", scope.as_str())
}

/// The scope and grant id of an `institution-read` detail.
pub fn parse_read_detail(detail: &str) -> Option<(ConsentScope, &str)> {
    let (scope, grant) = detail.split_once(':')?;
    Some((ConsentScope::parse(scope)?, grant))
}

/// Whether a purpose may be shown to the citizen: 3 to 200 characters once trimmed, no
/// control characters but line breaks.
pub fn purpose_ok(purpose: &str) -> bool {
    let n = purpose.trim().chars().count();
    (MIN_PURPOSE_CHARS..=MAX_PURPOSE_CHARS).contains(&n)
        && !purpose.chars().any(|c| c.is_control() && c != '\n')
}

/// Whether a grant's period is 1 to [`MAX_PERIOD_DAYS`] days.
pub fn period_ok(days: i64) -> bool {
    (1..=MAX_PERIOD_DAYS).contains(&days)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scope_and_status_round_trips_through_its_word() {
        for scope in ConsentScope::ALL {
            assert_eq!(ConsentScope::parse(scope.as_str()), Some(scope));
            let json = serde_json::to_string(&scope).expect("json");
            assert_eq!(json, format!("\"{}\"", scope.as_str()));
        }
        for status in ConsentStatus::ALL {
            assert_eq!(ConsentStatus::parse(status.as_str()), Some(status));
            let json = serde_json::to_string(&status).expect("json");
            assert_eq!(json, format!("\"{}\"", status.as_str()));
        }
    }

    #[test]
    fn time_turns_a_grant_expired_and_a_request_lapsed() {
        let live = ConsentStatus::Live;
        assert_eq!(live.at(99, 0, Some(100)), ConsentStatus::Live);
        assert_eq!(live.at(100, 0, Some(100)), ConsentStatus::Expired);
        let waiting = ConsentStatus::Waiting;
        assert_eq!(waiting.at(99, 100, None), ConsentStatus::Waiting);
        assert_eq!(waiting.at(100, 100, None), ConsentStatus::Lapsed);
        assert_eq!(
            ConsentStatus::Revoked.at(1000, 0, Some(100)),
            ConsentStatus::Revoked
        );
    }

    #[test]
    fn bounds_and_details() {
        assert!(purpose_ok("Pembukaan rekening"));
        assert!(!purpose_ok("  a "));
        assert!(!purpose_ok(&"x".repeat(MAX_PURPOSE_CHARS + 1)));
        assert!(period_ok(1) && period_ok(MAX_PERIOD_DAYS));
        assert!(!period_ok(0) && !period_ok(MAX_PERIOD_DAYS + 1));
        let detail = read_detail(ConsentScope::Age17, "abc");
        assert_eq!(
            parse_read_detail(&detail),
            Some((ConsentScope::Age17, "abc"))
        );
    }
}
