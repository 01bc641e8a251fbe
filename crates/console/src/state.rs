//! App-wide signals: who is logged in, and a clock that ticks every second for countdowns
//! and waiting times.

use ikd_core::console_api::OfficerInfo;
use ikd_core::officer::OfficerRole;
use leptos::prelude::*;

/// The officer session as the console knows it.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    /// `None` shows the login form, on any route.
    pub officer: RwSignal<Option<OfficerInfo>>,
    /// False until the first `GET /api/officer/session` has answered.
    pub checked: RwSignal<bool>,
    /// Whether the registry is synthetic demo data, as `GET /api/health` reports it (true
    /// until the service says otherwise: better a needless label than a missing one).
    pub demo_data: RwSignal<bool>,
}

impl Session {
    pub fn new() -> Self {
        Self {
            officer: RwSignal::new(None),
            checked: RwSignal::new(false),
            demo_data: RwSignal::new(true),
        }
    }

    /// Supervisors and admins manage officers.
    pub fn manages_staff(&self) -> bool {
        self.officer.with(|o| {
            o.as_ref()
                .is_some_and(|o| matches!(o.role, OfficerRole::Supervisor | OfficerRole::Admin))
        })
    }
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_session() -> Session {
    use_context::<Session>().expect("Session is provided by App")
}

/// Unix seconds on the service's clock, updated every second.
#[derive(Debug, Clone, Copy)]
pub struct Clock(pub RwSignal<i64>);

impl Clock {
    /// Starts ticking for as long as the calling component (the app) lives.
    pub fn start() -> Self {
        let now = RwSignal::new(ikd_browser::clock::service_now_secs());
        crate::browser::repeat(move || async move {
            now.set(ikd_browser::clock::service_now_secs());
            1000
        });
        Self(now)
    }
}

pub fn use_clock() -> RwSignal<i64> {
    use_context::<Clock>().expect("Clock is provided by App").0
}

/// Where the console is served: links and the router use it.
pub const BASE: &str = "/petugas";

/// The full address of a console route, for plain links: `href("/loket")` is "/petugas/loket".
pub fn href(path: &str) -> String {
    format!("{BASE}{path}")
}
