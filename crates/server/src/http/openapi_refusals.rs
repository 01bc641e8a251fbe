//! The refusals every operation may answer, added to the OpenAPI document in one place rather
//! than repeated on each handler: schemathesis (issue 19) found 35 answers whose status the
//! document did not list, all of them refusals the router or an extractor gives on any route.
//!
//! - every operation: 408 `timeout` and 503 `busy` / `unavailable` with `Retry-After`
//!   (`work_limits.rs`, `error.rs`);
//! - every operation but the public ones: 401 `login-required` (the session extractors);
//! - every state-changing operation: 403 `cross-site` (`cross_site.rs`);
//! - every operation with a body: 413 (too large), 415 (wrong content type); with a JSON
//!   body also 400 (not JSON) and 422 (JSON of the wrong shape) (`json_body.rs`);
//! - every operation with path or query parameters: 400 `invalid-path` / `invalid-query` (an id
//!   past `i64`, a word where a number goes: `url_parts.rs`); with a path parameter also 404
//!   (no such desk, drive, registration, officer, consent or region, or none this caller may
//!   see). The logged-in runs found 16 of these.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{
    ContentBuilder, HeaderBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder,
};

/// Operations anyone may call without a session: `(method, path)`.
const PUBLIC: [(&str, &str); 15] = [
    ("get", "/api/health"),
    ("get", "/api/health/live"),
    ("get", "/api/health/ready"),
    ("get", "/api/openapi.json"),
    ("post", "/api/captcha"),
    ("post", "/api/registrations"),
    ("get", "/api/registrations/{id}/status"),
    ("post", "/api/activation"),
    ("post", "/api/password-reset"),
    ("post", "/api/password-reset/confirm"),
    ("post", "/api/session"),
    ("post", "/api/officer/session"),
    ("get", "/api/trust-list"),
    ("get", "/api/revocations"),
    // The institution's key, not a session: its refusal (401) is documented on the route.
    ("post", "/api/verifications"),
];

pub(super) fn add_to(doc: &mut OpenApi) {
    for (path, item) in &mut doc.paths.paths {
        let operations = [
            ("get", &mut item.get),
            ("post", &mut item.post),
            ("put", &mut item.put),
            ("delete", &mut item.delete),
            ("patch", &mut item.patch),
        ];
        for (method, operation) in operations {
            if let Some(operation) = operation {
                add_to_operation(method, path, operation);
            }
        }
    }
}

fn add_to_operation(method: &str, path: &str, operation: &mut Operation) {
    let parameters = operation.parameters.as_deref().unwrap_or_default();
    let in_path = parameters
        .iter()
        .any(|p| matches!(p.parameter_in, ParameterIn::Path));
    let in_query = parameters
        .iter()
        .any(|p| matches!(p.parameter_in, ParameterIn::Query));
    let json_body = operation
        .request_body
        .as_ref()
        .is_some_and(|body| body.content.contains_key("application/json"));
    let body_types: Vec<String> = operation
        .request_body
        .as_ref()
        .map(|body| body.content.keys().cloned().collect())
        .unwrap_or_default();
    let mut add = |status: &str, description: &str, retry_after: bool| {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| refusal(description, retry_after));
    };
    add("408", "`timeout`: the request took too long", false);
    add(
        "503",
        "`busy` (no room now) or `unavailable` (the database cannot answer); try again after \
         `Retry-After` seconds",
        true,
    );
    if !PUBLIC.contains(&(method, path)) {
        add("401", "`login-required`: no valid session", false);
    }
    if method != "get" {
        add(
            "403",
            "`cross-site`: a browser sent it from another site",
            false,
        );
    }
    match (json_body, in_path || in_query) {
        (true, true) => add(
            "400",
            "`json-syntax` (the body is not JSON), `invalid-path` or `invalid-query` (a \
             parameter is not of its type)",
            false,
        ),
        (true, false) => add("400", "`json-syntax`: the body is not JSON", false),
        (false, true) => add(
            "400",
            "`invalid-path` or `invalid-query`: a parameter is not of its type",
            false,
        ),
        (false, false) => {}
    }
    if in_path {
        add(
            "404",
            "`not-found` (or a more precise code): nothing by that name this caller may see",
            false,
        );
    }
    if !body_types.is_empty() {
        add("413", "`too-large`: the body is larger than allowed", false);
        add("415", "`content-type`: not the body's media type", false);
    }
    if json_body {
        add("422", "the body's JSON is not of the expected shape", false);
    }
}

fn refusal(description: &str, retry_after: bool) -> RefOr<Response> {
    let content = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("ApiErrorBody")))
        .build();
    let mut response = ResponseBuilder::new()
        .description(description)
        .content("application/json", content);
    if retry_after {
        response = response.header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(ObjectBuilder::new().schema_type(Type::Integer))
                .description(Some("seconds"))
                .build(),
        );
    }
    RefOr::T(response.build())
}
