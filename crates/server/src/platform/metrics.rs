//! What an operator scrapes: this process's counters and histograms in the Prometheus text
//! format (version 0.0.4), served by `ikd serve --metrics-listen` on an address of its own,
//! never on the public port (`http/metrics.rs`).
//!
//! Per process, like the bounds on work (`platform/work_limits.rs`): each replica counts what
//! it served since it started, and Prometheus sums replicas (`sum by (route)`) and takes rates
//! over restarts. They are observations, not state of the service: no answer ever depends on
//! them, so any replica still answers any request. Written by hand on atomics and one short
//! lock per request (no exporter crate): a dozen series do not need a registry.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Upper bounds of the request duration histogram, seconds: from a cached read to the
/// request time-out (`work_limits::REQUEST_TIMEOUT_SECS`).
pub const DURATION_BUCKETS_SECS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The route label of a request no API route matched: one series, whatever the path.
pub const UNMATCHED_API_ROUTE: &str = "(unmatched)";
/// The route label of the PWA's and the console's files.
pub const WEB_ROUTE: &str = "(web)";

/// The `code` of a refusal, put on the response by the HTTP layer so the counter sees why
/// (`busy`, `rate-limited`, `unavailable`, …): a closed set, stable once shipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefusalCode(pub &'static str);

/// This process's metrics. Clones share them.
#[derive(Debug, Clone, Default)]
pub struct Metrics {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    requests: Mutex<BTreeMap<(&'static str, String), RouteSeries>>,
    refusals: Mutex<BTreeMap<&'static str, u64>>,
    mail_sent: AtomicU64,
    mail_retried: AtomicU64,
    mail_given_up: AtomicU64,
    mail_worker_failures: AtomicU64,
}

#[derive(Debug, Default)]
struct RouteSeries {
    /// Answers by status class: index 0 is 1xx, … 4 is 5xx.
    by_class: [u64; 5],
    /// Cumulative counts are made at render time; these are per bucket, the last one +Inf.
    buckets: [u64; DURATION_BUCKETS_SECS.len() + 1],
    sum_secs: f64,
}

/// What is read at scrape time rather than counted: permits, pool, queue.
#[derive(Debug, Clone, Copy, Default)]
pub struct Gauges {
    pub argon2_permits: u64,
    pub argon2_permits_in_use: u64,
    pub request_slots: u64,
    pub requests_in_flight: u64,
    pub pool_max: u64,
    pub pool_open: u64,
    pub pool_idle: u64,
    /// Whether the database answered the scrape's query in time.
    pub database_up: bool,
    /// Mail not yet sent nor given up, in the shared queue (all replicas); `None` when the
    /// database did not answer.
    pub mail_waiting: Option<u64>,
}

/// The method label: the usual ones by name, anything else as one series.
fn method_label(method: &str) -> &'static str {
    match method {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "DELETE" => "DELETE",
        "PATCH" => "PATCH",
        "OPTIONS" => "OPTIONS",
        _ => "other",
    }
}

impl Metrics {
    pub fn new() -> Self {
        Metrics::default()
    }

    /// One answered request: its method, route template (`/api/desks/{id}/queue`, or
    /// [`UNMATCHED_API_ROUTE`] / [`WEB_ROUTE`]), status, time taken and refusal code if any.
    pub fn record_request(
        &self,
        method: &str,
        route: &str,
        status: u16,
        took: Duration,
        refusal: Option<RefusalCode>,
    ) {
        let secs = took.as_secs_f64();
        let class = usize::from(status / 100).clamp(1, 5) - 1;
        let bucket = DURATION_BUCKETS_SECS
            .iter()
            .position(|&le| secs <= le)
            .unwrap_or(DURATION_BUCKETS_SECS.len());
        {
            let mut requests = lock(&self.inner.requests);
            let key = (method_label(method), route.to_owned());
            let series = requests.entry(key).or_default();
            series.by_class[class] += 1;
            series.buckets[bucket] += 1;
            series.sum_secs += secs;
        }
        if let Some(RefusalCode(code)) = refusal {
            *lock(&self.inner.refusals).entry(code).or_default() += 1;
        }
    }

    /// What one pass of the mail worker did.
    pub fn record_mail(&self, sent: u32, retried: u32, given_up: u32) {
        let add = |counter: &AtomicU64, n: u32| counter.fetch_add(u64::from(n), Ordering::Relaxed);
        add(&self.inner.mail_sent, sent);
        add(&self.inner.mail_retried, retried);
        add(&self.inner.mail_given_up, given_up);
    }

    /// A pass of the mail worker failed (the database away); the next one tries again.
    pub fn record_mail_worker_failure(&self) {
        self.inner
            .mail_worker_failures
            .fetch_add(1, Ordering::Relaxed);
    }

    /// The whole exposition, counters and the gauges read now.
    pub fn render(&self, gauges: &Gauges) -> String {
        let mut out = String::new();
        self.render_requests(&mut out);
        header(
            &mut out,
            "ikd_http_refusals_total",
            "counter",
            "Refusals this process answered, by their stable code (busy = 503 no room, \
             rate-limited = 429, unavailable = 503 database fault, timeout = 408)",
        );
        for (code, n) in lock(&self.inner.refusals).iter() {
            let _ = writeln!(
                out,
                "ikd_http_refusals_total{{code=\"{}\"}} {n}",
                escape(code)
            );
        }
        let counters = [
            (
                "ikd_mail_sent_total",
                "Mails this process's worker handed to the mailer",
                &self.inner.mail_sent,
            ),
            (
                "ikd_mail_retried_total",
                "Mail sends this process's worker failed and scheduled again",
                &self.inner.mail_retried,
            ),
            (
                "ikd_mail_given_up_total",
                "Mails this process's worker gave up on after the last retry",
                &self.inner.mail_given_up,
            ),
            (
                "ikd_mail_worker_pass_failures_total",
                "Passes of this process's mail worker that failed (database away)",
                &self.inner.mail_worker_failures,
            ),
        ];
        for (name, help, counter) in counters {
            header(&mut out, name, "counter", help);
            let _ = writeln!(out, "{name} {}", counter.load(Ordering::Relaxed));
        }
        let gauge_lines = [
            (
                "ikd_argon2_permits",
                "Argon2id permits of this process (one per core)",
                gauges.argon2_permits,
            ),
            (
                "ikd_argon2_permits_in_use",
                "Argon2id permits held now in this process",
                gauges.argon2_permits_in_use,
            ),
            (
                "ikd_http_request_slots",
                "Requests this process serves at once before answering 503 busy",
                gauges.request_slots,
            ),
            (
                "ikd_http_requests_in_flight",
                "Requests this process is serving now",
                gauges.requests_in_flight,
            ),
            (
                "ikd_db_pool_max_connections",
                "Most connections this process's pool opens",
                gauges.pool_max,
            ),
            (
                "ikd_db_pool_connections",
                "Connections this process's pool holds open now",
                gauges.pool_open,
            ),
            (
                "ikd_db_pool_idle_connections",
                "Open connections of this process's pool that are idle now",
                gauges.pool_idle,
            ),
            (
                "ikd_database_up",
                "1 when the database answered this scrape's query in time, else 0",
                u64::from(gauges.database_up),
            ),
        ];
        for (name, help, value) in gauge_lines {
            header(&mut out, name, "gauge", help);
            let _ = writeln!(out, "{name} {value}");
        }
        if let Some(waiting) = gauges.mail_waiting {
            header(
                &mut out,
                "ikd_mail_queue_waiting",
                "gauge",
                "Mails in the shared queue not yet sent nor given up (all replicas)",
            );
            let _ = writeln!(out, "ikd_mail_queue_waiting {waiting}");
        }
        out
    }

    fn render_requests(&self, out: &mut String) {
        let requests = lock(&self.inner.requests);
        header(
            out,
            "ikd_http_requests_total",
            "counter",
            "Requests this process answered, by method, route template and status class",
        );
        for ((method, route), series) in requests.iter() {
            for (class, n) in series.by_class.iter().enumerate() {
                if *n > 0 {
                    let _ = writeln!(
                        out,
                        "ikd_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{}xx\"}} {n}",
                        escape(route),
                        class + 1
                    );
                }
            }
        }
        header(
            out,
            "ikd_http_request_duration_seconds",
            "histogram",
            "Time from a request's arrival to its answer's head, in this process",
        );
        for ((method, route), series) in requests.iter() {
            let labels = format!("method=\"{method}\",route=\"{}\"", escape(route));
            let mut cumulative = 0;
            for (i, n) in series.buckets.iter().enumerate() {
                cumulative += n;
                let le = DURATION_BUCKETS_SECS
                    .get(i)
                    .map_or_else(|| "+Inf".to_owned(), |le| le.to_string());
                let _ = writeln!(
                    out,
                    "ikd_http_request_duration_seconds_bucket{{{labels},le=\"{le}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "ikd_http_request_duration_seconds_sum{{{labels}}} {}",
                series.sum_secs
            );
            let _ = writeln!(
                out,
                "ikd_http_request_duration_seconds_count{{{labels}}} {cumulative}"
            );
        }
    }
}

/// A poisoned lock only means a thread panicked mid-increment; the counts are still usable.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn header(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// A label value as the text format wants it.
fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_lands_in_its_class_and_bucket_and_the_histogram_is_cumulative() {
        let metrics = Metrics::new();
        metrics.record_request(
            "POST",
            "/api/session",
            429,
            Duration::from_millis(3),
            Some(RefusalCode("rate-limited")),
        );
        metrics.record_request("POST", "/api/session", 200, Duration::from_millis(70), None);
        metrics.record_request("BREW", "(unmatched)", 404, Duration::from_secs(99), None);
        metrics.record_mail(2, 1, 0);
        let text = metrics.render(&Gauges::default());
        for line in [
            "ikd_http_requests_total{method=\"POST\",route=\"/api/session\",status=\"4xx\"} 1",
            "ikd_http_requests_total{method=\"POST\",route=\"/api/session\",status=\"2xx\"} 1",
            "ikd_http_requests_total{method=\"other\",route=\"(unmatched)\",status=\"4xx\"} 1",
            "ikd_http_request_duration_seconds_bucket{method=\"POST\",route=\"/api/session\",le=\"0.005\"} 1",
            "ikd_http_request_duration_seconds_bucket{method=\"POST\",route=\"/api/session\",le=\"0.1\"} 2",
            "ikd_http_request_duration_seconds_bucket{method=\"other\",route=\"(unmatched)\",le=\"30\"} 0",
            "ikd_http_request_duration_seconds_bucket{method=\"other\",route=\"(unmatched)\",le=\"+Inf\"} 1",
            "ikd_http_request_duration_seconds_count{method=\"POST\",route=\"/api/session\"} 2",
            "ikd_http_refusals_total{code=\"rate-limited\"} 1",
            "ikd_mail_sent_total 2",
            "ikd_mail_retried_total 1",
            "ikd_database_up 0",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} missing in\n{text}");
        }
        assert!(!text.contains("ikd_mail_queue_waiting "), "{text}");
    }
}
