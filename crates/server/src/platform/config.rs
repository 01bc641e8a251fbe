//! Settings of a running service that handlers need. Only configuration lives here, never
//! state: two replicas started with the same flags behave the same.

use std::path::PathBuf;

use crate::platform::mailer::Mailer;
use crate::platform::metrics::Metrics;
use crate::platform::rate_limit::RateLimits;
use crate::platform::work_limits::WorkLimits;

#[derive(Debug, Clone)]
pub struct ServiceConfig {
    /// Where citizens reach the app, for links in emails ("https://ikd.example.go.id").
    pub public_url: String,
    pub mailer: Mailer,
    /// The sender of activation and reset emails.
    pub mail_from: String,
    pub limits: RateLimits,
    pub credentials: CredentialPlan,
    /// How many reverse proxies in front of the service append to `X-Forwarded-For`: the
    /// client address is the entry that many places from the right (`http/client_ip.rs`).
    /// 0, the default, ignores the header: otherwise anyone could pick their own address and
    /// dodge the rate limits.
    pub trusted_proxy_hops: usize,
    /// The `iss` of every credential.
    pub issuer: String,
    pub citizen_sessions: SessionPolicy,
    pub officer_sessions: SessionPolicy,
    /// This process's permits for Argon2id and for requests in flight. Not configuration and
    /// not shared state: per process is right, it bounds this process's CPU and memory and no
    /// other replica needs it (`platform/work_limits.rs`).
    pub work: WorkLimits,
    /// This process's counters for `/metrics`, per process like `work` and for the same
    /// reason: no answer depends on them (`platform/metrics.rs`).
    pub metrics: Metrics,
}

/// How long the holder-bound credentials of a refresh last, and how often the phone makes
/// a new QR from them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CredentialPlan {
    pub validity_secs: i64,
    pub present_every_secs: i64,
}

impl CredentialPlan {
    /// A week, refreshed at half-life: a phone that is online once every three days never
    /// runs dry. A QR rotates every 30 s on the phone, with no network.
    pub const DEFAULT: CredentialPlan = CredentialPlan {
        validity_secs: 7 * 86_400,
        present_every_secs: ikd_core::claim169::PRESENT_EVERY_SECS,
    };
}

/// Idle and absolute lifetimes of a login session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle_secs: i64,
    pub absolute_secs: i64,
}

impl SessionPolicy {
    /// Citizens use the app mostly offline and need a session only to refresh their bundle,
    /// so it may sit idle for two weeks; it never lives longer than 30 days.
    pub const CITIZEN: SessionPolicy = SessionPolicy {
        idle_secs: 14 * 86_400,
        absolute_secs: 30 * 86_400,
    };
    /// Officers work at a shared counter: 30 minutes idle, one working day at most.
    pub const OFFICER: SessionPolicy = SessionPolicy {
        idle_secs: 30 * 60,
        absolute_secs: 12 * 3600,
    };
}

impl ServiceConfig {
    /// The defaults of `ikd serve` with emails written to `outbox`.
    pub fn new(public_url: &str, outbox: PathBuf) -> Self {
        ServiceConfig {
            public_url: public_url.trim_end_matches('/').to_owned(),
            mailer: Mailer::Outbox(outbox),
            mail_from: "IKD Dukcapil <noreply@ikd-demo.test>".to_owned(),
            limits: RateLimits::default(),
            credentials: CredentialPlan::DEFAULT,
            trusted_proxy_hops: 0,
            issuer: "urn:ikd:dukcapil".to_owned(),
            citizen_sessions: SessionPolicy::CITIZEN,
            officer_sessions: SessionPolicy::OFFICER,
            work: WorkLimits::for_this_machine(),
            metrics: Metrics::new(),
        }
    }
}
