//! Bounds on the work one process takes on at once, so strangers cannot exhaust it: Argon2id
//! runs behind permits sized to the cores, and the router holds a bounded number of requests
//! in flight, each for a bounded time. A request that finds no room is refused at once (503
//! `busy` with `Retry-After`), never queued without end.
//!
//! These are per process, and rightly so: they bound this process's CPU and memory, which no
//! other replica shares or needs to know about. They are not state of the service (sessions,
//! counters, tokens stay in the database), so any replica still answers any request.

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::platform::refusal::Refusal;

/// How long a request waits for a turn at Argon2id before it is refused as busy: long
/// enough to ride out a burst of logins, short enough that waiters never pile up.
pub const PASSWORD_PERMIT_WAIT_SECS: u64 = 2;
/// Requests one process serves at once; beyond this the router sheds load (503 `busy`).
pub const REQUESTS_IN_FLIGHT: usize = 1024;
/// The longest one request may take, reading its body included; then it is cut off (408).
pub const REQUEST_TIMEOUT_SECS: u64 = 30;
/// How long a refused person is asked to wait before trying again.
pub const BUSY_RETRY_AFTER_SECS: i64 = 2;

/// The service had no room for the request right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the service is busy")]
pub struct Busy;

impl Busy {
    pub fn refusal(self) -> Refusal {
        busy_refusal()
    }
}

/// 503 `busy` with `Retry-After`: the service is full right now, not broken.
pub fn busy_refusal() -> Refusal {
    let mut refusal = Refusal::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "busy",
        &format!("Layanan sedang sibuk. Coba lagi dalam {BUSY_RETRY_AFTER_SECS} detik"),
        &format!("The service is busy right now. Try again in {BUSY_RETRY_AFTER_SECS} seconds"),
    );
    refusal.retry_after = Some(BUSY_RETRY_AFTER_SECS);
    refusal
}

/// 408 `timeout`: the request took longer than [`REQUEST_TIMEOUT_SECS`] and was cut off.
pub fn timeout_refusal() -> Refusal {
    Refusal::new(
        StatusCode::REQUEST_TIMEOUT,
        "timeout",
        &format!("Permintaan melebihi batas waktu {REQUEST_TIMEOUT_SECS} detik. Coba lagi"),
        &format!("The request took longer than {REQUEST_TIMEOUT_SECS} seconds. Try again"),
    )
}

/// The permits of one process. Clones share them.
#[derive(Debug, Clone)]
pub struct WorkLimits {
    password: Arc<Semaphore>,
    password_permits: usize,
    requests: Arc<Semaphore>,
    request_slots: usize,
}

impl WorkLimits {
    /// One Argon2id at a time per core (each holds 19 MiB and a core for tens of
    /// milliseconds); [`REQUESTS_IN_FLIGHT`] requests.
    pub fn for_this_machine() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        WorkLimits::new(cores, REQUESTS_IN_FLIGHT)
    }

    pub fn new(password_permits: usize, requests: usize) -> Self {
        let password_permits = password_permits.max(1);
        let request_slots = requests.max(1);
        WorkLimits {
            password: Arc::new(Semaphore::new(password_permits)),
            password_permits,
            requests: Arc::new(Semaphore::new(request_slots)),
            request_slots,
        }
    }

    /// A turn at Argon2id, waiting at most [`PASSWORD_PERMIT_WAIT_SECS`]. The permit goes into
    /// the blocking task, so it is held until the work is done even if the request is dropped.
    pub async fn password_permit(&self) -> Result<OwnedSemaphorePermit, Busy> {
        let wait = Duration::from_secs(PASSWORD_PERMIT_WAIT_SECS);
        match tokio::time::timeout(wait, Arc::clone(&self.password).acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            // Elapsed, or closed (never closed here): no room either way.
            _ => Err(Busy),
        }
    }

    /// The semaphore the router's global concurrency limit takes its slots from.
    pub fn request_slots(&self) -> Arc<Semaphore> {
        Arc::clone(&self.requests)
    }

    /// Argon2id permits in all, and how many are held now (for `/metrics`).
    pub fn password_permits(&self) -> (usize, usize) {
        let free = self.password.available_permits();
        (
            self.password_permits,
            self.password_permits.saturating_sub(free),
        )
    }

    /// Request slots in all, and how many requests hold one now (for `/metrics`).
    pub fn request_slots_in_use(&self) -> (usize, usize) {
        let free = self.requests.available_permits();
        (self.request_slots, self.request_slots.saturating_sub(free))
    }

    /// Test probe: takes every Argon2id permit, as a flood of logins would, until the guard
    /// is dropped.
    pub async fn hold_all_password_permits(&self) -> OwnedSemaphorePermit {
        let permits = u32::try_from(self.password_permits).unwrap_or(u32::MAX);
        Arc::clone(&self.password)
            .acquire_many_owned(permits)
            .await
            .expect("the Argon2id semaphore is never closed")
    }

    /// Test probe: takes every request slot, as a flood of slow requests would, until the
    /// guard is dropped.
    pub async fn hold_all_request_slots(&self) -> OwnedSemaphorePermit {
        let permits = u32::try_from(self.requests.available_permits()).unwrap_or(u32::MAX);
        Arc::clone(&self.requests)
            .acquire_many_owned(permits)
            .await
            .expect("the request semaphore is never closed")
    }
}
