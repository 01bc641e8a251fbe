//! Issue 19, "a full disk on SQLite answers 503 without corrupting the database". The disk
//! fills as far as SQLite is concerned when a write needs a page past `max_page_count`: the
//! same SQLITE_FULL a full file system gives. That pragma does not persist, it holds per
//! connection, so the test takes every connection of the service's own pool (SQLite's pool
//! has four), sets it on each and hands them back: nothing a production build can reach.
//! Then registrations (a selfie each; a registration row, its adoption row and the daily
//! kept count in one transaction) go in until the database is full: that one answers 503
//! `unavailable` with `Retry-After`, nothing of it is written, the database checks out, and
//! once space returns the same person registers, with no restart.

use ikd_core::DatabaseKind;
use serde_json::Value;
use sqlx::pool::PoolConnection;

use crate::fixtures::{
    desk_registration_body, eligible_citizens, open_desk, register, seed_registry,
};
use crate::support::{TestApp, requested_backend};

/// Registrations ready to send (their captchas solved beforehand, their desk QR taken as each
/// is sent: it is valid for a minute at most); more than the capped database holds.
const BODIES: usize = 16;
/// Pages the database may grow by once capped (4 KiB each): about one registration a page.
const HEADROOM_PAGES: i64 = 6;

/// Every connection of the pool at once, each with `max_page_count` set to `pages`.
async fn cap_every_connection(app: &TestApp, pages: i64) {
    let mut held: Vec<PoolConnection<sqlx::Any>> = Vec::new();
    let max = app.db.pool().options().get_max_connections();
    for _ in 0..max {
        let mut conn = app.db.pool().acquire().await.expect("a pool connection");
        sqlx::query_scalar::<_, i64>(&format!("PRAGMA max_page_count = {pages}"))
            .fetch_one(&mut *conn)
            .await
            .expect("max_page_count");
        held.push(conn);
    }
    assert_eq!(app.db.pool().size(), max, "every connection capped");
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(app.db.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

#[tokio::test]
async fn a_full_sqlite_database_is_503_unavailable_with_nothing_half_written_and_recovers() {
    if requested_backend() != DatabaseKind::Sqlite {
        eprintln!("full_disk: a SQLite matter, skipped on PostgreSQL");
        return;
    }
    let app = TestApp::new().await;
    seed_registry(&app).await;
    let (officer, desk) = open_desk(&app).await;
    let citizens = eligible_citizens(&app, i64::try_from(BODIES).expect("small")).await;
    // Ready before the cap: the captcha and the desk token are writes of their own.
    let mut bodies: Vec<Value> = Vec::new();
    for citizen in &citizens {
        bodies.push(desk_registration_body(&app, &officer, desk, citizen).await);
    }

    let used = scalar(&app, "PRAGMA page_count").await;
    let free = scalar(&app, "PRAGMA freelist_count").await;
    cap_every_connection(&app, used + HEADROOM_PAGES).await;

    let mut accepted = 0;
    let mut refused = None;
    let desk_row = ikd_server::journey::desks::find(&app.db, desk)
        .await
        .expect("the desk");
    for (i, body) in bodies.iter_mut().enumerate() {
        // The desk's QR of this moment (a read: the desk's key and the clock), so no body
        // holds a token that expired while the others were made.
        let token = ikd_server::journey::desks::current_token(&app.db, &desk_row)
            .await
            .expect("the desk's token");
        body["deskToken"] = serde_json::to_value(&token).expect("json")["qrText"].clone();
        let response = app
            .answer_only(crate::fixtures::json_request(
                "POST",
                "/api/registrations",
                &*body,
                None,
            ))
            .await;
        if response.status() == 202 {
            accepted += 1;
            continue;
        }
        let status = response.status();
        let retry_after = response.headers().contains_key("retry-after");
        let answer = crate::support::body_json(response).await;
        assert_eq!(status, 503, "a full database is 503, never 500: {answer}");
        assert!(retry_after, "with Retry-After");
        assert_eq!(answer["code"], "unavailable", "{answer}");
        refused = Some(i);
        break;
    }
    let refused = refused.unwrap_or_else(|| {
        panic!(
            "{accepted} registrations fitted in {HEADROOM_PAGES} pages (+{free} free): \
             the database never filled"
        )
    });
    assert!(accepted >= 1, "some registrations fitted before it filled");
    eprintln!(
        "full_disk: {accepted} registrations fitted in {HEADROOM_PAGES} pages (+{free} free)"
    );

    // Nothing half-written: every accepted registration whole, the refused one absent.
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM registrations").await,
        accepted
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM adoption").await,
        accepted
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT CAST(COALESCE(SUM(registered), 0) AS BIGINT) FROM adoption_daily"
        )
        .await,
        accepted,
        "the kept count equals the rows"
    );
    let nik = &citizens[refused].nik;
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM registrations WHERE nik = $1")
        .bind(nik)
        .fetch_one(app.db.pool())
        .await
        .expect("count");
    assert_eq!(rows, 0, "the refused registration left nothing");
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(app.db.pool())
        .await
        .expect("integrity_check");
    assert_eq!(check, "ok");

    // Space returns: the same person registers, on the same service.
    cap_every_connection(&app, 1_073_741_823).await;
    let again = desk_registration_body(&app, &officer, desk, &citizens[refused]).await;
    let (status, answer) = register(&app, &again).await;
    assert_eq!(status, 202, "{answer}");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM registrations").await,
        accepted + 1
    );
}
