//! `?format=csv` on the console's tables: the same figures as a CSV download.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(super) struct CsvFormat {
    /// `csv` for a CSV download; JSON otherwise.
    #[serde(default)]
    format: Option<String>,
}

impl CsvFormat {
    pub(super) fn is_csv(&self) -> bool {
        self.format.as_deref() == Some("csv")
    }
}

/// A CSV download. The UTF-8 byte-order mark makes spreadsheet programs read the names
/// (which may carry accents) as UTF-8.
pub(super) fn csv_attachment(file_name: &str, csv: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        format!("\u{feff}{csv}"),
    )
        .into_response()
}
