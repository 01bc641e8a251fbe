//! The background worker every `ikd serve` process runs: turns stored reset and lost-phone
//! requests into mail, then sends the queued mail (`platform/mail_queue.rs`). Each pass reads and leases
//! rows in the database, so any number of replicas may run it side by side.

use std::time::Duration;

use crate::journey::lost_phone;
use crate::journey::password_reset::{self, RequestsHandled};
use crate::platform::config::ServiceConfig;
use crate::platform::db::{Db, DbError};
use crate::platform::mail_queue::{self, Delivery};

/// How often a worker looks for work: mail may wait this long after the answer that queued it.
pub const POLL_EVERY: Duration = Duration::from_secs(1);

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub requests: RequestsHandled,
    /// Lost-phone codes mailed.
    pub lost_phone_codes: u32,
    pub delivery: Delivery,
}

/// One pass: what is due now, then return. Tests call this to "let the worker run".
pub async fn run_once(db: &Db, config: &ServiceConfig) -> Result<Pass, DbError> {
    let requests = password_reset::mail_requested_links(db, config).await?;
    let lost_phone_codes = lost_phone::mail_requested_codes(db, config).await?;
    let delivery = mail_queue::deliver_due(db, &config.mailer, &config.mail_from).await?;
    config
        .metrics
        .record_mail(delivery.sent, delivery.retry_later, delivery.given_up);
    Ok(Pass {
        requests,
        lost_phone_codes,
        delivery,
    })
}

/// Passes forever, [`POLL_EVERY`] apart. A failed pass (the database away) is logged and the
/// next one tries again: the work stays in the database meanwhile.
pub async fn run_forever(db: Db, config: std::sync::Arc<ServiceConfig>) {
    let mut ticker = tokio::time::interval(POLL_EVERY);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        if let Err(err) = run_once(&db, &config).await {
            config.metrics.record_mail_worker_failure();
            tracing::warn!(%err, "mail worker pass failed; retrying");
        }
    }
}
