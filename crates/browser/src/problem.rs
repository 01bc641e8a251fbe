//! Every failure of a call to the service, as a message a person can act on: Bahasa Indonesia
//! first (`Display`), English second ([`ApiProblem::message_en`]).

use ikd_core::ApiErrorBody;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiProblem {
    /// No answer at all: offline, DNS, or the service is down.
    #[error("Tidak dapat menghubungi layanan. Periksa koneksi internet Anda lalu coba lagi")]
    Unreachable,
    /// The service answered with an error body of its own.
    #[error("{}", .0.message)]
    Refused(ApiErrorBody),
    /// An HTTP error without our JSON body, e.g. from a proxy.
    #[error("Layanan menjawab dengan galat HTTP {0}. Coba lagi beberapa saat lagi")]
    Http(u16),
    /// A 2xx answer we cannot read: app and service versions disagree.
    #[error("Jawaban layanan tidak dapat dibaca. Muat ulang aplikasi untuk memperbaruinya")]
    Unreadable,
}

impl ApiProblem {
    /// The problem an unsuccessful answer stands for: the service's own refusal when the body
    /// is one, else the bare HTTP status.
    pub fn from_error_answer(status: u16, body: &str) -> Self {
        match serde_json::from_str::<ApiErrorBody>(body) {
            Ok(body) => ApiProblem::Refused(body),
            Err(_) => ApiProblem::Http(status),
        }
    }

    /// The same message in English, shown under (or instead of) the Indonesian one.
    pub fn message_en(&self) -> String {
        match self {
            ApiProblem::Unreachable => {
                "Cannot reach the service. Check your internet connection and try again".into()
            }
            ApiProblem::Refused(body) => body.message_en.clone(),
            ApiProblem::Http(status) => {
                format!("The service answered with HTTP error {status}. Try again shortly")
            }
            ApiProblem::Unreadable => {
                "The service's answer cannot be read. Reload the app to update it".into()
            }
        }
    }

    /// The stable code of a refusal (`data-mismatch`, `login-failed`, `not-found`, …).
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiProblem::Refused(body) => Some(&body.code),
            _ => None,
        }
    }

    /// The form field the refusal concerns, if the service named one.
    pub fn field(&self) -> Option<&str> {
        match self {
            ApiProblem::Refused(body) => body.field.as_deref(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_body_of_the_service_becomes_its_refusal() {
        let body = r#"{"code":"login-failed","message":"NIK atau kata sandi salah","messageEn":"Wrong NIK or password","field":"password"}"#;
        let problem = ApiProblem::from_error_answer(401, body);
        assert_eq!(problem.code(), Some("login-failed"));
        assert_eq!(problem.field(), Some("password"));
        assert_eq!(problem.to_string(), "NIK atau kata sandi salah");
        assert_eq!(problem.message_en(), "Wrong NIK or password");
    }

    #[test]
    fn any_other_error_answer_is_its_http_status() {
        let problem = ApiProblem::from_error_answer(502, "<html>Bad Gateway</html>");
        assert_eq!(problem, ApiProblem::Http(502));
        assert_eq!(problem.code(), None);
        assert_eq!(problem.field(), None);
        assert!(
            problem
                .to_string()
                .starts_with("Layanan menjawab dengan galat HTTP 502")
        );
        assert!(problem.message_en().contains("HTTP error 502"));
    }

    #[test]
    fn every_problem_speaks_indonesian_first_and_english_second() {
        for problem in [ApiProblem::Unreachable, ApiProblem::Unreadable] {
            assert_ne!(problem.to_string(), problem.message_en());
            assert!(!problem.message_en().is_empty());
        }
        assert_eq!(
            ApiProblem::Unreachable.to_string(),
            "Tidak dapat menghubungi layanan. Periksa koneksi internet Anda lalu coba lagi"
        );
    }
}
