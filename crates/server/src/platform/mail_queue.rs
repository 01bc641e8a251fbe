//! Outgoing mail as rows in the database, sent by a worker (`journey/mail_worker.rs`) with
//! retries. A handler only writes the row, inside the transaction that makes the mail
//! necessary: the answer never waits on SMTP (so it cannot tell by its timing whether a mail
//! went out), and a crash after the commit still sends the mail.
//!
//! Replicas share the queue: a worker takes a row by writing a short lease on it, so two
//! replicas never send the same row at once. A crash mid-send leaves the lease to expire and
//! the row is tried again: at-least-once, which for a code or a link is the right side to err.
//! Every attempt carries the same Message-ID (the row's id), so the one case that sends twice,
//! a crash after the relay accepted the mail and before the row says so, delivers the same
//! message again, which mail systems recognise (`tests/mail_exactly_once.rs`).

use rand_core::RngCore;
use sqlx::AnyConnection;

use crate::platform::db::{Db, DbError, unix_now};
use crate::platform::mailer::{Mailer, OutgoingMail};

/// How long a worker may take to send one message before another may try it.
pub const LEASE_SECS: i64 = 120;
/// Messages one pass takes; the rest wait for the next pass.
const BATCH: i64 = 50;
/// Waits after the first, second, … failure: about two days in all, so a mail server that is
/// down for a weekend still gets the mail, and a code that expired meanwhile is replaced by
/// the officer's "kirim ulang" anyway.
const RETRY_AFTER_SECS: [i64; 8] = [30, 120, 600, 1800, 3600, 4 * 3600, 12 * 3600, 24 * 3600];
/// Sent and failed rows are kept this long (without subject and body) for the operator.
const KEEP_SECS: i64 = 30 * 86_400;

/// What one pass of [`deliver_due`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    pub sent: u32,
    pub retry_later: u32,
    pub given_up: u32,
}

/// Queues `mail` inside the caller's transaction; the worker sends it once that commits.
pub async fn enqueue_in(conn: &mut AnyConnection, mail: &OutgoingMail) -> Result<(), DbError> {
    let mut id = [0u8; 16];
    rand_core::OsRng.fill_bytes(&mut id);
    let now = unix_now();
    sqlx::query(
        "INSERT INTO mail_queue (id, recipient, subject, body, created_at, next_attempt_at) \
         VALUES ($1, $2, $3, $4, $5, $5)",
    )
    .bind(ikd_core::hex::encode(&id))
    .bind(&mail.to)
    .bind(&mail.subject)
    .bind(&mail.body)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Sends the due messages once each: a failure is retried later, the last one gives up.
pub async fn deliver_due(db: &Db, mailer: &Mailer, from: &str) -> Result<Delivery, DbError> {
    let now = unix_now();
    let due: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM mail_queue WHERE sent_at IS NULL AND failed_at IS NULL \
         AND next_attempt_at <= $1 AND claimed_until < $1 ORDER BY next_attempt_at LIMIT $2",
    )
    .bind(now)
    .bind(BATCH)
    .fetch_all(db.pool())
    .await?;
    let mut delivery = Delivery::default();
    for id in due {
        let Some(claimed) = claim(db, &id).await? else {
            continue; // another replica took it
        };
        match mailer
            .send_as(from, &claimed.mail, Some(message_id(&id, from)))
            .await
        {
            Ok(()) => {
                finish(db, &id, Finished::Sent).await?;
                delivery.sent += 1;
            }
            Err(err) => {
                let attempt = usize::try_from(claimed.attempts).unwrap_or(usize::MAX);
                match RETRY_AFTER_SECS.get(attempt.saturating_sub(1)) {
                    Some(wait) => {
                        tracing::warn!(%err, mail = id, attempt, "email not sent; will retry");
                        retry_later(db, &id, *wait, &err.to_string()).await?;
                        delivery.retry_later += 1;
                    }
                    None => {
                        tracing::error!(%err, mail = id, attempt, "email not sent; giving up");
                        finish(
                            db,
                            &id,
                            Finished::GivenUp {
                                error: &err.to_string(),
                            },
                        )
                        .await?;
                        delivery.given_up += 1;
                    }
                }
            }
        }
    }
    forget_old(db).await?;
    Ok(delivery)
}

/// The Message-ID of queued mail `id` from `from` (`Nama <user@domain>`): the same on every
/// attempt, so the recipient's mail system sees one message however often it is sent.
fn message_id(id: &str, from: &str) -> String {
    let domain = from
        .rsplit_once('@')
        .map_or("ikd.invalid", |(_, rest)| rest.trim_end_matches('>').trim());
    format!("<{id}@{domain}>")
}

struct Claimed {
    mail: OutgoingMail,
    attempts: i64,
}

/// Takes the lease on one row and counts the attempt, reading the row in the same statement;
/// `None` when someone else holds it.
async fn claim(db: &Db, id: &str) -> Result<Option<Claimed>, DbError> {
    let now = unix_now();
    let row: Option<(String, String, String, i64)> = sqlx::query_as(
        "UPDATE mail_queue SET claimed_until = $1, attempts = attempts + 1 \
         WHERE id = $2 AND claimed_until < $3 AND sent_at IS NULL AND failed_at IS NULL \
         RETURNING recipient, subject, body, attempts",
    )
    .bind(now + LEASE_SECS)
    .bind(id)
    .bind(now)
    .fetch_optional(db.pool())
    .await?;
    Ok(row.map(|(to, subject, body, attempts)| Claimed {
        mail: OutgoingMail { to, subject, body },
        attempts,
    }))
}

async fn retry_later(db: &Db, id: &str, wait_secs: i64, error: &str) -> Result<(), DbError> {
    let now = unix_now();
    sqlx::query(
        "UPDATE mail_queue SET next_attempt_at = $1, claimed_until = 0, last_error = $2 \
         WHERE id = $3",
    )
    .bind(now + wait_secs)
    .bind(error)
    .bind(id)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// How a row's life in the queue ended.
enum Finished<'a> {
    Sent,
    GivenUp { error: &'a str },
}

/// Marks the row sent or given up, and blanks the code or link it carried.
async fn finish(db: &Db, id: &str, how: Finished<'_>) -> Result<(), DbError> {
    let (sql, error) = match how {
        Finished::Sent => (
            "UPDATE mail_queue SET sent_at = $1, subject = '', body = '', claimed_until = 0, \
             last_error = $2 WHERE id = $3",
            None,
        ),
        Finished::GivenUp { error } => (
            "UPDATE mail_queue SET failed_at = $1, subject = '', body = '', claimed_until = 0, \
             last_error = $2 WHERE id = $3",
            Some(error),
        ),
    };
    sqlx::query(sql)
        .bind(unix_now())
        .bind(error)
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Drops rows sent or given up long ago: on one pass in 64, as the other tables do.
async fn forget_old(db: &Db) -> Result<(), DbError> {
    if rand_core::OsRng.next_u32().is_multiple_of(64) {
        sqlx::query(
            "DELETE FROM mail_queue WHERE (sent_at IS NOT NULL OR failed_at IS NOT NULL) \
             AND created_at < $1",
        )
        .bind(unix_now() - KEEP_SECS)
        .execute(db.pool())
        .await?;
    }
    Ok(())
}

/// Messages not yet sent nor given up (the tests read it).
pub async fn waiting(db: &Db) -> Result<i64, DbError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM mail_queue WHERE sent_at IS NULL AND failed_at IS NULL",
    )
    .fetch_one(db.pool())
    .await?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_message_id_is_the_rows_id_at_the_senders_domain() {
        assert_eq!(
            super::message_id("0a1b", "IKD Dukcapil <noreply@ikd-demo.test>"),
            "<0a1b@ikd-demo.test>"
        );
        assert_eq!(super::message_id("0a1b", "no-domain"), "<0a1b@ikd.invalid>");
    }
}
