//! The audit trail (jejak audit): what officers and operators did, by whom, when and from
//! where. The service appends rows and never changes or removes one (the database refuses);
//! supervisors read their region's rows in the console and export them as CSV.

use serde::{Deserialize, Serialize};

/// The most rows one read of the trail answers (newest first); narrow by day or officer for
/// older ones.
pub const MAX_AUDIT_ROWS: usize = 5000;

/// The actor of actions taken through the `ikd` command line, which has no officer account.
pub const OPERATOR_ACTOR: &str = "operator";

/// What was done. Second-factor changes join this set when officers get a second factor
/// (issue 15); there is nothing to record for them yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum AuditAction {
    /// A registration approved (alone or in a batch decision); subject: registration id.
    DecisionApproved,
    /// A registration rejected; subject: registration id, detail: the reason.
    DecisionRejected,
    /// A new activation code sent; subject: registration id.
    CodeResent,
    /// The attempt counters on a NIK lifted; subject: the NIK.
    LocksLifted,
    /// A drive's roster imported; subject: drive id.
    RosterImported,
    /// A registration drive created; subject: drive id.
    DriveCreated,
    /// A desk opened; subject: desk id.
    DeskOpened,
    /// A desk closed; subject: desk id.
    DeskClosed,
    /// An officer account added; subject: the new officer's id.
    OfficerAdded,
    /// An officer account switched off; subject: that officer's id.
    OfficerDisabled,
    /// An officer account switched back on; subject: that officer's id.
    OfficerEnabled,
    /// A new issuer signing key; subject: its key id.
    IssuerKeyRotated,
    /// An officer enrolled a second factor; subject: their id, detail: `passkey` or `totp`.
    SecondFactorEnrolled,
    /// An admin removed an officer's second factors (lost phone); subject: that officer's id.
    SecondFactorReset,
    /// An institution registered; subject: its id, detail: its name.
    InstitutionAdded,
    /// An institution switched off: every call it makes is refused; subject: its id.
    InstitutionDisabled,
    /// An institution's bearer key replaced (the old one stops at once); subject: its id.
    InstitutionKeyRotated,
}

impl AuditAction {
    pub const ALL: [AuditAction; 17] = [
        AuditAction::DecisionApproved,
        AuditAction::DecisionRejected,
        AuditAction::CodeResent,
        AuditAction::LocksLifted,
        AuditAction::RosterImported,
        AuditAction::DriveCreated,
        AuditAction::DeskOpened,
        AuditAction::DeskClosed,
        AuditAction::OfficerAdded,
        AuditAction::OfficerDisabled,
        AuditAction::OfficerEnabled,
        AuditAction::IssuerKeyRotated,
        AuditAction::SecondFactorEnrolled,
        AuditAction::SecondFactorReset,
        AuditAction::InstitutionAdded,
        AuditAction::InstitutionDisabled,
        AuditAction::InstitutionKeyRotated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::DecisionApproved => "decision-approved",
            AuditAction::DecisionRejected => "decision-rejected",
            AuditAction::CodeResent => "code-resent",
            AuditAction::LocksLifted => "locks-lifted",
            AuditAction::RosterImported => "roster-imported",
            AuditAction::DriveCreated => "drive-created",
            AuditAction::DeskOpened => "desk-opened",
            AuditAction::DeskClosed => "desk-closed",
            AuditAction::OfficerAdded => "officer-added",
            AuditAction::OfficerDisabled => "officer-disabled",
            AuditAction::OfficerEnabled => "officer-enabled",
            AuditAction::IssuerKeyRotated => "issuer-key-rotated",
            AuditAction::SecondFactorEnrolled => "second-factor-enrolled",
            AuditAction::SecondFactorReset => "second-factor-reset",
            AuditAction::InstitutionAdded => "institution-added",
            AuditAction::InstitutionDisabled => "institution-disabled",
            AuditAction::InstitutionKeyRotated => "institution-key-rotated",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == text)
    }

    pub fn label_id(self) -> &'static str {
        match self {
            AuditAction::DecisionApproved => "Pendaftaran disetujui",
            AuditAction::DecisionRejected => "Pendaftaran ditolak",
            AuditAction::CodeResent => "Kode aktivasi dikirim ulang",
            AuditAction::LocksLifted => "Kunci percobaan dibuka",
            AuditAction::RosterImported => "Daftar ASN diimpor",
            AuditAction::DriveCreated => "Kegiatan dibuat",
            AuditAction::DeskOpened => "Loket dibuka",
            AuditAction::DeskClosed => "Loket ditutup",
            AuditAction::OfficerAdded => "Petugas ditambahkan",
            AuditAction::OfficerDisabled => "Petugas dinonaktifkan",
            AuditAction::OfficerEnabled => "Petugas diaktifkan kembali",
            AuditAction::IssuerKeyRotated => "Kunci penerbit diganti",
            AuditAction::SecondFactorEnrolled => "Faktor kedua didaftarkan",
            AuditAction::SecondFactorReset => "Faktor kedua diatur ulang",
            AuditAction::InstitutionAdded => "Instansi didaftarkan",
            AuditAction::InstitutionDisabled => "Instansi dinonaktifkan",
            AuditAction::InstitutionKeyRotated => "Kunci API instansi diganti",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            AuditAction::DecisionApproved => "Registration approved",
            AuditAction::DecisionRejected => "Registration rejected",
            AuditAction::CodeResent => "Activation code resent",
            AuditAction::LocksLifted => "Attempt locks lifted",
            AuditAction::RosterImported => "Roster imported",
            AuditAction::DriveCreated => "Drive created",
            AuditAction::DeskOpened => "Desk opened",
            AuditAction::DeskClosed => "Desk closed",
            AuditAction::OfficerAdded => "Officer added",
            AuditAction::OfficerDisabled => "Officer switched off",
            AuditAction::OfficerEnabled => "Officer switched back on",
            AuditAction::IssuerKeyRotated => "Issuer key rotated",
            AuditAction::SecondFactorEnrolled => "Second factor enrolled",
            AuditAction::SecondFactorReset => "Second factor reset",
            AuditAction::InstitutionAdded => "Institution registered",
            AuditAction::InstitutionDisabled => "Institution switched off",
            AuditAction::InstitutionKeyRotated => "Institution API key rotated",
        }
    }
}

/// One row of the trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: i64,
    /// Unix seconds.
    pub at: i64,
    /// The officer who acted; `None` for the command line.
    pub officer_id: Option<i64>,
    /// The officer's username, or [`OPERATOR_ACTOR`].
    pub actor: String,
    /// The acting officer's region; "" for service-wide actions from the command line.
    pub region_code: String,
    /// The client address the request came from ("cli" for the command line).
    pub client_ip: String,
    pub action: AuditAction,
    /// Registration id, NIK, officer id, drive id, desk id or key id, as the action says.
    pub subject: String,
    pub detail: String,
}

/// The rows a viewer may read, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AuditTrail {
    pub entries: Vec<AuditEntry>,
    /// More rows matched than [`MAX_AUDIT_ROWS`]; only the newest are listed.
    pub truncated: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_round_trips_through_its_name() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
        }
    }
}
