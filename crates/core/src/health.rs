//! `GET /api/health`: the service's answer to "are you there, and on what storage?".

use serde::{Deserialize, Serialize};

use crate::KeyId;

/// Which database back-end the service runs on. Replicas share PostgreSQL; a single
/// machine uses the embedded SQLite file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatabaseKind {
    Sqlite,
    Postgres,
}

impl DatabaseKind {
    /// The name a person reads on the status line.
    pub fn display_name(self) -> &'static str {
        match self {
            DatabaseKind::Sqlite => "SQLite",
            DatabaseKind::Postgres => "PostgreSQL",
        }
    }
}

/// The body of a successful health check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthReport {
    /// Always `"ok"` in a 200 answer; anything else is an error body instead.
    pub status: String,
    /// Version of the `ikd` binary that answered.
    pub version: String,
    pub database: DatabaseKind,
    /// Number of schema migrations applied, read back from the database itself, so a
    /// healthy answer proves the database is reachable and migrated.
    pub schema_version: i64,
    /// Key id of the issuer key this service signs credentials with.
    pub issuer_kid: KeyId,
    /// The population registry behind this service is synthetic demo data.
    pub demo_data: bool,
}

impl HealthReport {
    pub fn is_ok(&self) -> bool {
        self.status == "ok"
    }

    /// One line for people, in Bahasa Indonesia.
    pub fn summary_id(&self) -> String {
        let state = if self.is_ok() { "aktif" } else { "bermasalah" };
        format!(
            "Layanan {state} · versi {} · basis data {} (skema v{})",
            self.version,
            self.database.display_name(),
            self.schema_version
        )
    }

    /// The same line in English.
    pub fn summary_en(&self) -> String {
        let state = if self.is_ok() { "up" } else { "degraded" };
        format!(
            "Service {state} · version {} · database {} (schema v{})",
            self.version,
            self.database.display_name(),
            self.schema_version
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> HealthReport {
        HealthReport {
            status: "ok".into(),
            version: "0.1.0".into(),
            database: DatabaseKind::Postgres,
            schema_version: 1,
            issuer_kid: KeyId::from_public_key_bytes(b"key"),
            demo_data: true,
        }
    }

    #[test]
    fn health_report_uses_camel_case_json_that_the_pwa_reads() {
        let json = serde_json::to_value(report()).expect("serialises");
        assert_eq!(json["database"], "postgres");
        assert_eq!(json["schemaVersion"], 1);
        assert_eq!(json["demoData"], true);
        let back: HealthReport = serde_json::from_value(json).expect("round-trips");
        assert_eq!(back, report());
    }

    #[test]
    fn summary_names_the_database_in_indonesian_first() {
        let line = report().summary_id();
        assert_eq!(
            line,
            "Layanan aktif · versi 0.1.0 · basis data PostgreSQL (skema v1)"
        );
        let not_ok = HealthReport {
            status: "degraded".into(),
            ..report()
        };
        assert!(not_ok.summary_id().starts_with("Layanan bermasalah"));
        assert!(not_ok.summary_en().starts_with("Service degraded"));
    }
}
